// The page: the boot menu's entries as buttons, the serial consoles, and
// the live panels refreshed a few times a second while the kernel runs.
//
// URL parameters boot at once, without a click:
//   ?entry=ID                       a menu entry by its --id (grub.cfg)
//   ?kernel=kernel-test.elf&cmdline=test=boot
//                                   an ELF by Multiboot with any command
//                                   line (make test boots the test kernel so)
import { startCairn, cpuCr3 } from "./emulator.js";
import { SerialView, keyToSerial } from "./console.js";
import { Guest } from "./guest.js";
import { readPmm, renderPmm } from "./panel-pmm.js";
import { currentDirectory, readDirectory, renderDirectory, renderTable } from "./panel-paging.js";
import { readHeap, renderHeap } from "./panel-heap.js";

const REFRESH_MS = 250;
const KERNELS = ["kernel.elf", "kernel-test.elf"];     // what make web copies
const KERNEL_STARTED = "Cairn booting";                 // src/kernel/main.c's first line

const $ = id => document.getElementById(id);
const com1 = new SerialView($("com1"));
const com2 = new SerialView($("com2"));
let emulator = null, guest = null, timer = null;

function setStatus(text) {
	$("status").textContent = text;
}

// The kernel index of an ELF: symbols, field offsets, constants.
async function loadIndex(kernel) {
	const response = await fetch(kernel.replace(/\.elf$/, ".index.json"));
	if (!response.ok)
		throw new Error(`no index for ${kernel}`);
	return response.json();
}

async function boot(entry) {
	if (emulator) {
		clearInterval(timer);
		await emulator.destroy();
	}
	com1.clear();
	com2.clear();
	guest = null;
	const index = await loadIndex(entry.kernel);
	setStatus(`Running: ${entry.title} (${entry.boot === "iso" ? "the ISO, through SeaBIOS and GRUB" : "Multiboot, straight from v86"})`);
	emulator = startCairn(entry, {
		screen: $("screen"),
		onCom1: byte => com1.receive(byte),
		onCom2: byte => com2.receive(byte),
		onHalted: () => setStatus(`Halted: ${entry.title}: the CPU stopped with interrupts off, for good`),
	});
	const running = emulator;
	timer = setInterval(() => {
		// Until the kernel runs, those addresses hold the firmware's or
		// GRUB's data: nothing to read yet.
		if (guest === null && com1.text.includes(KERNEL_STARTED))
			guest = new Guest(running, index);
		if (guest !== null)
			refreshPanels();
	}, REFRESH_MS);
}

// Each panel reads on its own: one that cannot (a structure not set up
// yet, an address not mapped) says why and leaves the others be.
function refreshPanels() {
	guest.newSnapshot();
	showPanel("panel-pmm", element => renderPmm(element, readPmm(guest)));
	showPanel("panel-paging", element => {
		const current = currentDirectory(guest);
		const entries = readDirectory(guest, current.directory);
		renderDirectory(element, guest, current, entries, cpuCr3(emulator));
		renderTable(document.querySelector("#panel-paging .table"), guest, entries, Number($("pde-choice").value) % 1024);
	});
	showPanel("panel-heap", element => renderHeap(element, readHeap(guest)));
}

function showPanel(id, render) {
	const element = document.querySelector(`#${id} .body`);
	try {
		render(element);
		element.classList.remove("stale");
	} catch (error) {
		element.classList.add("stale");
		element.textContent = `not readable now: ${error.message}`;
	}
}

function makeButtons(entries) {
	for (const entry of entries) {
		const button = document.createElement("button");
		button.textContent = entry.title;
		button.dataset.id = entry.id;
		if (entry.boot === "unavailable") {
			button.disabled = true;
			button.title = `Not available here: ${entry.why}`;
		} else {
			button.title = `${entry.kernel} ${entry.cmdline} (${entry.boot})`;
			button.addEventListener("click", () => boot(entry));
		}
		$("menu").append(button);
	}
}

// The kernel's write to port 0xF4 ends v86's Multiboot run by throwing
// "HALT" out of its loop: the run is over, not broken.
function watchForExit() {
	window.addEventListener("error", event => {
		if (String(event.error ?? event.message).includes("HALT")) {
			event.preventDefault();
			setStatus(`${$("status").textContent.replace(/^Running/, "Ended")}: the kernel wrote to port 0xF4 (the exit port)`);
		}
	});
}

function bootFromUrl(entries) {
	const params = new URLSearchParams(location.search);
	if (params.has("entry")) {
		const entry = entries.find(e => e.id === params.get("entry"));
		if (entry && entry.boot !== "unavailable")
			return boot(entry);
		setStatus(`No entry '${params.get("entry")}' to boot here.`);
	} else if (params.has("kernel")) {
		const kernel = params.get("kernel");
		if (!KERNELS.includes(kernel))
			return setStatus(`No kernel '${kernel}' here: ${KERNELS.join(" or ")}.`);
		const cmdline = params.get("cmdline") ?? "";
		return boot({ title: `${kernel} ${cmdline}`, kernel, cmdline, boot: "multiboot" });
	}
}

async function main() {
	watchForExit();
	$("com1").addEventListener("keydown", event => {
		const bytes = keyToSerial(event);
		if (bytes !== null && emulator) {
			event.preventDefault();
			emulator.serial0_send(bytes);
		}
	});
	const entries = await (await fetch("menu.json")).json();
	makeButtons(entries);
	await bootFromUrl(entries);
}

main();
