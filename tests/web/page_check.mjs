// Loads the web page (make web) in headless Chromium and checks it as a
// reader would use it, printing TAP:
//   1. the test kernel boots in the page by Multiboot with the selection
//      given, its KTAP on COM2 says every suite passed, and the run ends
//      through the exit port;
//   2. a failing selection (ktest_canary) is seen to fail: this check
//      can tell a broken kernel from a good one;
//   3. the monitor entry boots from the ISO (GRUB's menu, the entry
//      picked by the page, the user programs as modules); driven by keys
//      typed into the console it prints its frames, heap and pd lines,
//      and the live panels, reading guest memory, show the same; its
//      poweroff finds no exit port there, and the CPU halts for good.
//
// usage: node tests/web/page_check.mjs http://127.0.0.1:PORT/ TEST-SELECTION
// (tests/web/page_test.sh serves build/web/ and runs this).
import { createRequire } from "node:module";
import path from "node:path";

const require = createRequire(path.resolve("build/web/package.json"));
const puppeteer = require("puppeteer-core");

const [base, selection] = process.argv.slice(2);
const BOOT_SECONDS = 30;
let number = 0, failed = 0;

function result(ok, what, detail) {
	number++;
	if (!ok)
		failed++;
	console.log(`${ok ? "ok" : "not ok"} ${number} - ${what}`);
	if (!ok && detail)
		console.log(String(detail).split("\n").map(l => `#   ${l}`).join("\n"));
}

const text = (page, selector) => page.$eval(selector, e => e.textContent);

// Waits until the element's text matches, or the time is up; returns the text.
async function waitForText(page, selector, pattern, seconds = BOOT_SECONDS) {
	const end = Date.now() + seconds * 1000;
	let seen = "";
	while (Date.now() < end) {
		seen = await text(page, selector);
		if (pattern.test(seen))
			return seen;
		await new Promise(r => setTimeout(r, 100));
	}
	throw new Error(`no ${pattern} in ${selector} after ${seconds} s; it shows:\n${seen.slice(-1500)}`);
}

// KTAP's verdict: the top-level plan and results, and the totals line.
function ktapPassed(verdicts) {
	const plan = verdicts.match(/^1\.\.(\d+)$/m);
	const top = verdicts.split("\n").filter(l => /^(not )?ok \d+ /.test(l));
	const totals = verdicts.match(/^# Totals: pass:(\d+) fail:(\d+) skip:(\d+) total:(\d+)$/m);
	return plan !== null && totals !== null && Number(plan[1]) === top.length &&
		top.every(l => l.startsWith("ok ")) && totals[2] === "0" && Number(totals[1]) > 0;
}

async function testKernel(browser) {
	const page = await browser.newPage();
	const cmdline = selection ? `test=${selection}` : "test";
	await page.goto(`${base}?kernel=kernel-test.elf&cmdline=${encodeURIComponent(cmdline)}`);
	const verdicts = await waitForText(page, "#com2", /^# Totals: .*$/m).catch(e => e.message);
	const console1 = await text(page, "#com1");
	result(console1.includes(`Cairn booting (loader: unknown, command line: "${cmdline}")`),
		"the test kernel boots in the page (v86's Multiboot loader)", console1.slice(0, 500));
	result(ktapPassed(verdicts), `its KTAP on COM2 (${cmdline}): every suite ok, and the totals`, verdicts);
	const status = await waitForText(page, "#status", /exit port/, 5).catch(e => e.message);
	result(/exit port/.test(status), "the run ends through port 0xF4, and the page says so", status);
	await page.close();
}

async function testCanaryFails(browser) {
	const page = await browser.newPage();
	await page.goto(`${base}?kernel=kernel-test.elf&cmdline=test=ktest_canary`);
	const verdicts = await waitForText(page, "#com2", /^# Totals: .*$/m).catch(e => e.message);
	result(/^# Totals: /m.test(verdicts) && !ktapPassed(verdicts),
		"a failing selection (ktest_canary) is judged failed", verdicts);
	await page.close();
}

// The last line of the console that starts with prefix.
function lastLine(console1, prefix) {
	const lines = console1.split("\n").filter(l => l.startsWith(prefix));
	return lines.length ? lines[lines.length - 1] : `(no line starting '${prefix}')`;
}

// Types a command at the monitor's prompt and waits for the next prompt.
async function monitorCommand(page, command) {
	await page.keyboard.type(command);
	await page.keyboard.press("Enter");
	await waitForText(page, "#com1", new RegExp(`${command}\\n(.|\\n)*cairn> $`), 10);
}

async function testMonitorFromTheIso(browser) {
	const page = await browser.newPage();
	await page.goto(`${base}?entry=monitor`);
	await waitForText(page, "#com1", /cairn> $/, 60);
	await page.focus("#com1");
	// A program from GRUB's modules; a block for the heap panel to find;
	// then the monitor's own view of what the panels show.
	for (const command of ["run hello", "kmalloc 3000", "frames", "heap", "pd"])
		await monitorCommand(page, command);
	const console1 = await text(page, "#com1");
	await new Promise(r => setTimeout(r, 1000));   // a few refreshes of the panels
	const pmm = await text(page, "#panel-pmm .body");
	const heap = await text(page, "#panel-heap .body");
	const paging = await text(page, "#panel-paging .body");
	result(/highlighted entry/.test(console1) && /loader: GRUB/.test(console1) && /run: hello exit=0/.test(console1),
		"the monitor entry boots from the ISO: GRUB's menu, its entry picked, the programs loaded", console1.slice(-800));
	result(console1.includes("kmalloc: 0x"), "keys typed into the console reach the monitor", console1.slice(-800));
	// `frames` prints two lines; the panel's first two are the same.
	const monitorFrames = console1.split("\n").filter(l => l.startsWith("frames: ")).slice(-2).join("\n");
	const panelFrames = pmm.split("\n").slice(0, 2).join("\n");
	result(monitorFrames === panelFrames && monitorFrames !== "", "the PMM panel's books equal the monitor's `frames`",
		`monitor:\n${monitorFrames}\npanel:\n${panelFrames}`);
	const heapTotals = lastLine(console1, "heap: ") === lastLine(heap, "heap: ");
	result(heapTotals && /\d+ used \(\d+ bytes\)/.test(heap), "the heap panel's walk equals the monitor's `heap`",
		`monitor: ${lastLine(console1, "heap: ")}\npanel:   ${lastLine(heap, "heap: ")}`);
	const monitorPd = lastLine(console1, "pd: ").replace(" (CR3)", "");
	const pdRuns = l => l.split("\n").filter(x => x.startsWith("  pde ")).join("\n");
	const monitorRuns = pdRuns(console1.slice(console1.lastIndexOf("pd: directory")));
	result(monitorPd === lastLine(paging, "pd: ") && monitorRuns === pdRuns(paging) && monitorRuns !== "",
		"the page directory panel equals the monitor's `pd`",
		`monitor: ${monitorPd}\n${monitorRuns}\npanel:   ${lastLine(paging, "pd: ")}\n${pdRuns(paging)}`);
	// Outside v86's Multiboot path no exit port listens: the kernel must
	// halt for good, and say nothing more (no fault report).
	await page.keyboard.type("poweroff");
	await page.keyboard.press("Enter");
	const status = await waitForText(page, "#status", /Halted/, 10).catch(e => e.message);
	// The console paints once a frame, so its last lines may come after
	// the status; then wait a moment more for anything that follows.
	await waitForText(page, "#com1", /poweroff: leaving the emulator/, 5).catch(() => {});
	await new Promise(r => setTimeout(r, 500));
	const after = (await text(page, "#com1")).split("poweroff: leaving the emulator")[1] ?? "(no poweroff line)";
	result(/Halted/.test(status) && after.trim() === "", "poweroff through the ISO: the exit port does nothing, the CPU halts",
		`${status}\nafter the poweroff line: ${after}`);
	await page.close();
}

const browser = await puppeteer.launch({
	executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
	headless: true,
	args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
});
try {
	console.log("TAP version 13");
	console.log("1..10");
	await testKernel(browser);
	await testCanaryFails(browser);
	await testMonitorFromTheIso(browser);
} catch (error) {
	result(false, "the check itself", error.stack);
} finally {
	await browser.close();
}
process.exit(failed ? 1 : 0);
