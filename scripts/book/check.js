// The book's check (make test): opens every page of the rendered book in
// headless Chromium, as a reader would, and fails a page that
//   - does not load, or loads anything from outside the book (the book
//     must read offline),
//   - shows a picture that did not load (naturalWidth 0),
//   - links to a page of the book that does not exist, or to an anchor
//     (#L-12, #1-3-the-section) that its page does not have.
// Links to other sites are not followed: there is no network here.
// It also keeps a screenshot of each chapter's and lab's first screen,
// BOOK/screenshots/NN-name.png and labs-NAME.png.
//
// Prints TAP, one case per page, the failures named under it.
// usage: node scripts/book/check.js BOOK   (puppeteer-core on NODE_PATH;
//        CHROMIUM=/path/to/chromium, default /usr/bin/chromium)
'use strict';

const fs = require('fs');
const path = require('path');
const { pathToFileURL, fileURLToPath } = require('url');
const puppeteer = require('puppeteer-core');

const TABS = 2;                         // pages loading at once
const SCREEN = { width: 1200, height: 900 };

function pagesUnder(root) {
  const found = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name < b.name ? -1 : 1)) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'screenshots') walk(full);
      else if (entry.isFile() && entry.name.endsWith('.html')) found.push(full);
    }
  };
  walk(root);
  return found;
}

// A chapter or a lab (a page of docs/) gets a screenshot; code/ does not.
function screenshotName(book, file) {
  const relative = path.relative(book, file);
  if (relative === 'index.html' || relative.startsWith('code' + path.sep)) return null;
  return relative.replace(/\.html$/, '.png').split(path.sep).join('-');
}

// What a page holds, read in the page once it has loaded.
function readPage() {
  return {
    ids: Array.from(document.querySelectorAll('[id]'), (e) => e.id),
    links: Array.from(document.querySelectorAll('a[href]'), (a) => a.href),
    pictures: Array.from(document.images, (img) => ({
      src: img.currentSrc || img.src,
      loaded: img.complete && img.naturalWidth > 0,
    })),
  };
}

// A file: URL as the page's own relative link would name it.
function shown(file, href) {
  if (!href.startsWith('file:')) return href;
  const url = new URL(href);
  return path.relative(path.dirname(file), fileURLToPath(url)) + url.hash;
}

async function visit(tab, book, file, report) {
  const problems = [];
  const outside = [];
  const failed = new Map();     // URL -> why it failed
  // Stopped before it leaves: the check never touches the network.
  const onRequest = (request) => {
    const url = request.url();
    if (url.startsWith('file:') || url.startsWith('data:')) return request.continue();
    outside.push(url);
    return request.abort();
  };
  const onFailed = (request) => failed.set(request.url(), request.failure().errorText);
  tab.on('request', onRequest);
  tab.on('requestfailed', onFailed);
  let content = { ids: [], links: [], pictures: [] };
  try {
    await tab.goto(pathToFileURL(file).href, { waitUntil: 'load', timeout: 15000 });
    content = await tab.evaluate(readPage);
    const shot = screenshotName(book, file);
    if (shot) await tab.screenshot({ path: path.join(book, 'screenshots', shot) });
  } catch (error) {
    problems.push(`does not load: ${error.message.split('\n')[0]}`);
  }
  tab.off('request', onRequest);
  tab.off('requestfailed', onFailed);
  for (const url of outside) problems.push(`loads from outside the book: ${url}`);
  for (const picture of content.pictures) {
    if (picture.loaded) continue;
    const why = failed.get(picture.src) || 'not a picture Chromium can draw';
    problems.push(`picture did not load: ${shown(file, picture.src)} (${why})`);
    failed.delete(picture.src);
  }
  for (const url of outside) failed.delete(url);
  for (const [url, why] of failed) problems.push(`failed to load: ${shown(file, url)} (${why})`);
  report.set(file, { problems, ...content });
}

// A link inside the book must reach a file of it and, on a page, an
// element with its anchor.
function checkLinks(book, report) {
  const ids = new Map();
  for (const [file, page] of report) ids.set(file, new Set(page.ids));
  for (const [file, page] of report) {
    for (const href of new Set(page.links)) {
      if (!href.startsWith('file:')) continue;        // another site, or mailto:
      const url = new URL(href);
      const target = fileURLToPath(url);
      const anchor = decodeURIComponent(url.hash.slice(1));
      if (!target.startsWith(book + path.sep) || !fs.existsSync(target)) {
        page.problems.push(`broken link: ${shown(file, href)} (no such file in the book)`);
      } else if (anchor && ids.has(target) && !ids.get(target).has(anchor)) {
        page.problems.push(`broken link: ${shown(file, href)} (no element #${anchor} there)`);
      }
    }
  }
}

function counted(n, what) {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}

async function main() {
  const book = path.resolve(process.argv[2] || 'build/book');
  const files = pagesUnder(book);
  if (files.length === 0) throw new Error(`no pages in ${book}: make book first`);
  fs.mkdirSync(path.join(book, 'screenshots'), { recursive: true });

  const browser = await puppeteer.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    // Chromium's sandbox refuses to run as root (CI is root).
    args: (process.getuid() === 0 ? ['--no-sandbox'] : []).concat(['--disable-gpu', '--disable-dev-shm-usage']),
    defaultViewport: SCREEN,
  });
  const report = new Map();
  try {
    const queue = files.slice();
    await Promise.all(Array.from({ length: TABS }, async () => {
      const tab = await browser.newPage();
      await tab.setRequestInterception(true);
      while (queue.length > 0) await visit(tab, book, queue.shift(), report);
      await tab.close();
    }));
  } finally {
    await browser.close();
  }
  checkLinks(book, report);

  let failed = 0;
  files.forEach((file, i) => {
    const page = report.get(file);
    const name = path.relative(book, file);
    if (page.problems.length === 0) {
      console.log(`ok ${i + 1} - ${name}: loads, ${counted(new Set(page.links).size, 'link')} and ${counted(page.pictures.length, 'picture')} resolve`);
    } else {
      failed++;
      // The first problem on the line itself: make test's report shows it.
      const more = page.problems.length > 1 ? ` (and ${page.problems.length - 1} more)` : '';
      console.log(`not ok ${i + 1} - ${name}: ${page.problems[0]}${more}`);
      for (const problem of page.problems) console.log(`#   ${problem}`);
    }
  });
  console.log(`1..${files.length}`);
  process.exitCode = failed > 0 ? 1 : 0;
}

main().catch((error) => {
  console.log(`not ok 1 - the book's check could not run: ${error.message}`);
  process.exitCode = 1;
});
