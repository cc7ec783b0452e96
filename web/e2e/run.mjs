// End-to-end tests of `stemma serve` in headless Debian Chromium, driven by
// playwright-core (no browser is downloaded: /usr/bin/chromium, from the
// Debian packages chromium and chromium-driver).
//
// Builds nothing. It indexes the seed texts (examples/seeds/*.txt) and a few
// documents it writes into a temporary index with `stemma index`, starts
// `stemma serve` on a free loopback port, runs the scenarios, saves
// screenshots to target/e2e/, and stops the server with Ctrl-C (SIGINT),
// checking that it shuts down cleanly.
//
//   node web/e2e/run.mjs            (after cargo build --release -p stemma-cli)
//   STEMMA_BIN=/path/to/stemma CHROMIUM=/usr/bin/chromium node web/e2e/run.mjs
//
// The last line is "N passed, M failed"; the exit status is 1 on any failure.

import { chromium } from 'playwright-core';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const bin = process.env.STEMMA_BIN || path.join(root, 'target', 'release', 'stemma');
const browserPath = process.env.CHROMIUM || '/usr/bin/chromium';
const outDir = process.env.STEMMA_E2E_OUT || path.join(root, 'target', 'e2e');
const BLOG = '000_50f99b9dd81999b9.txt';
const AFP = '001_ec1fae0d22ab38a7.txt';
const TOTAL_LIMIT_MS = 180_000;

for (const [what, p] of [['stemma binary', bin], ['chromium', browserPath]]) {
  if (!fs.existsSync(p)) {
    console.error(`e2e: no ${what} at ${p}` + (what === 'chromium'
      ? ' (apt-get install chromium chromium-driver)'
      : ' (cargo build --release -p stemma-cli, or set STEMMA_BIN)'));
    process.exit(2);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'stemma-e2e-'));
fs.mkdirSync(outDir, { recursive: true });
const seedsDir = path.join(root, 'examples', 'seeds');
const blogText = fs.readFileSync(path.join(seedsDir, BLOG), 'utf8');

// --- The corpus: the seeds and a few documents written here. ------------
const corpus = path.join(tmp, 'corpus');
fs.mkdirSync(corpus);
for (const f of fs.readdirSync(seedsDir).filter((f) => f.endsWith('.txt'))) {
  fs.copyFileSync(path.join(seedsDir, f), path.join(corpus, f));
}
// A relay of the blog copy that changes a figure and drops the headline.
const relay = blogText
  .replace('244 combattants de Daesh sont rentrés en France, ils font du bon boulot (Fabius).\n', '')
  .replaceAll('244', '250');
fs.writeFileSync(path.join(corpus, 'relay-250.txt'), relay);
fs.writeFileSync(path.join(corpus, 'meteo.txt'),
  'Météo : un week-end ensoleillé sur la Bretagne.\n\nLes températures dépasseront 25 degrés samedi, selon Météo-France.\n');
// A stored document whose title and text carry markup.
fs.writeFileSync(path.join(corpus, 'markup.json'), JSON.stringify({
  id: 'markup-doc',
  title: '<img src=x onerror="window.__pwned=1">Titre',
  url: 'javascript:window.__pwned=1',
  text: 'Texte <script>window.__pwned=1</script> avec <img src=x onerror="window.__pwned=1;alert(1)"> dedans.',
}));
// The uploads: markup as plain text, and an HTML page with scripts.
const evilTxt = path.join(tmp, 'evil.txt');
fs.writeFileSync(evilTxt,
  '<script>window.__pwned=1;alert("script")</script>\n<img src=x onerror="window.__pwned=1;alert(\'img\')">\n\n'
  + blogText.split('\n\n').slice(3, 8).join('\n\n'));
const evilHtml = path.join(tmp, 'evil.html');
fs.writeFileSync(evilHtml,
  '<html><head><title>Page &lt;script&gt;</title><script>window.__pwned=1</script></head><body>'
  + '<article><p>Avant &lt;script&gt;window.__pwned=1&lt;/script&gt; et onerror=alert(1) après.</p>'
  + '<img src=x onerror="window.__pwned=1"><p>'
  + blogText.split('\n\n').slice(4, 7).join('</p><p>') + '</p></article></body></html>');

const idx = path.join(tmp, 'index');
const ix = spawnSync(bin, ['index', corpus, '--index', idx], { encoding: 'utf8' });
if (ix.status !== 0) {
  console.error(`e2e: stemma index failed:\n${ix.stdout}${ix.stderr}`);
  process.exit(2);
}

// --- The server. ---------------------------------------------------------
const server = spawn(bin, ['serve', '--index', idx, '--addr', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
let serverOut = '';
server.stdout.on('data', (d) => { serverOut += d; });
server.stderr.on('data', (d) => { serverOut += d; });
const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal })));
const base = await new Promise((resolve, reject) => {
  const t = setTimeout(() => reject(new Error(`the server did not start:\n${serverOut}`)), 20_000);
  const look = () => {
    const m = serverOut.match(/http:\/\/127\.0\.0\.1:\d+\//);
    if (m) { clearTimeout(t); resolve(m[0]); }
  };
  server.stdout.on('data', look);
  server.on('exit', () => reject(new Error(`the server exited:\n${serverOut}`)));
});

const watchdog = setTimeout(() => {
  console.error(`e2e: over ${TOTAL_LIMIT_MS / 1000} s, stopping`);
  server.kill('SIGKILL');
  process.exit(1);
}, TOTAL_LIMIT_MS);

const context = await chromium.launchPersistentContext(path.join(tmp, 'profile'), {
  executablePath: browserPath,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1400, height: 1000 },
});
const page = context.pages()[0] || await context.newPage();
page.setDefaultTimeout(20_000);
let dialogs = 0;
page.on('dialog', (d) => { dialogs += 1; d.dismiss().catch(() => {}); });
const pageErrors = [];
page.on('pageerror', (e) => pageErrors.push(String(e)));

// --- Scenarios. ----------------------------------------------------------
let passed = 0;
let failed = 0;
function check(cond, what) {
  if (!cond) throw new Error(what);
}
async function scenario(name, fn) {
  try {
    await fn();
    passed += 1;
    console.log(`ok - ${name}`);
  } catch (e) {
    failed += 1;
    console.log(`not ok - ${name}: ${e.message.split('\n')[0]}`);
    await page.screenshot({ path: path.join(outDir, `failed-${name.replace(/[^a-z0-9]+/gi, '-')}.png`) }).catch(() => {});
  }
}
const shot = (name, fullPage = false) => page.screenshot({ path: path.join(outDir, name), fullPage });
const pwned = () => page.evaluate(() => typeof window.__pwned);

await scenario('home page loads with a strict CSP and the forms', async () => {
  const res = await page.goto(base);
  check(res.status() === 200, `status ${res.status()}`);
  const csp = res.headers()['content-security-policy'] || '';
  check(csp.includes("default-src 'self'") && csp.includes("frame-ancestors 'none'") && !csp.includes('unsafe-inline'), `CSP: ${csp}`);
  check(res.headers()['x-content-type-options'] === 'nosniff', 'nosniff');
  await page.locator('textarea#text').waitFor();
  await page.locator('input#file').waitFor();
  check((await page.locator('text=Index: 5 documents').count()) === 1, 'index size shown');
  await shot('home.png');
});

await scenario('paste the blog seed: its versions are found, the Fabius clause flagged', async () => {
  await page.goto(base);
  await page.fill('textarea#text', blogText);
  await Promise.all([page.waitForURL(`${base}query`), page.click('form[action="/query"] button[type=submit]')]);
  const afp = page.locator(`li.result[data-id="${AFP}"]`);
  await afp.waitFor();
  check(await page.locator(`li.result[data-id="relay-250.txt"]`).count() === 1, 'the relay is found too');
  const flags = await afp.locator('.flag').allTextContents();
  check(flags.some((f) => f.includes('Fabius')), `flags: ${flags.join(' | ')}`);
  const cov = await afp.locator('meter').first().getAttribute('value');
  check(Number(cov) > 0.1 && Number(cov) < 1, `coverage ${cov}`);
  await shot('results.png', true);
});

await scenario('side by side: the Fabius clause is marked as only in the pasted version', async () => {
  await Promise.all([
    page.waitForURL(`${base}compare`),
    page.click(`li.result[data-id="${AFP}"] button.sbs`),
  ]);
  const only = page.locator('#col-a .o', { hasText: 'Fabius' });
  check(await only.count() >= 1, 'no only-A highlight holds "Fabius"');
  check(await page.locator('#col-b .o', { hasText: 'Fabius' }).count() === 0, 'Fabius marked in B');
  const sentence = only.first().locator('xpath=ancestor::span[contains(@class,"s ")][1]');
  check(/st-only|st-edited/.test(await sentence.getAttribute('class')), 'its sentence has no counterpart status');
  check(await page.locator('.only-a .only-list li', { hasText: 'Fabius' }).count() === 1, 'listed under Only in A');
  check(await page.locator('#col-a .n-agree', { hasText: '244' }).count() >= 1, 'the figure 244 agrees');
  await shot('side-by-side.png');
});

await scenario('clicking a shared sentence highlights its counterpart, scrolled into view', async () => {
  const shared = page.locator('#col-a .s.st-edited[data-cp]', { hasText: 'Le Bret' }).first();
  await shared.scrollIntoViewIfNeeded();
  await shared.click();
  const cpId = (await shared.getAttribute('data-cp')).split(' ')[0];
  const cp = page.locator(`[id="${cpId}"]`);
  await page.waitForFunction((id) => document.getElementById(id)?.classList.contains('hl-cp'), cpId);
  check((await shared.getAttribute('class')).includes('hl'), 'the clicked sentence is not marked');
  check((await cp.textContent()).includes('Le Bret'), `the counterpart is about something else: ${await cp.textContent()}`);
  // Scrolled: the counterpart lies inside B's visible scroll area.
  await page.waitForTimeout(800);
  const box = await cp.boundingBox();
  const pane = await page.locator('#col-b .text').boundingBox();
  check(box && pane && box.y + box.height > pane.y && box.y < pane.y + pane.height, 'counterpart not scrolled into view');
  await shot('sentence-counterpart.png');
  // A passage button marks the passage on both sides.
  await page.click('button.pbtn');
  check(await page.locator('#col-a .s.hl-p').count() > 0 && await page.locator('#col-b .s.hl-p').count() > 0, 'passage not marked on both sides');
});

await scenario('the document page traces the family: copy tree and flagged claims', async () => {
  const res = await page.goto(`${base}doc?id=${encodeURIComponent(BLOG)}`);
  check(res.status() === 200, `status ${res.status()}`);
  await page.locator(`li.result[data-id="${AFP}"]`).waitFor();
  check(await page.locator(`li.result[data-id="${BLOG}"]`).count() === 0, 'the document is among its own versions');
  await page.waitForFunction(() => {
    const s = document.querySelector('#trace');
    return s && !s.textContent.includes('Loading…');
  });
  const trace = await page.locator('#trace').textContent();
  check(/Family \(3 versions\)/.test(trace), `trace section: ${trace}`);
  // The tree: a box per version (links to their pages), the blog highlighted.
  check(await page.locator('#trace svg.stemma-tree a .node').count() === 3, 'three version nodes in the tree');
  check(await page.locator('#trace svg.stemma-tree .node.focus').count() === 1, 'the focus is highlighted');
  check(await page.locator('#trace svg.stemma-tree line').count() >= 2, 'copy edges drawn');
  // The Fabius clause is flagged, and its link opens the side-by-side view at it.
  const fabius = page.locator('#trace tr.claim-unsupported', { hasText: 'bon boulot' }).first();
  check(await fabius.count() === 1, 'the Fabius quote is not flagged unsupported');
  const href = await fabius.locator('a').first().getAttribute('href');
  check(/^\/compare\?a=.*#a:\d+$/.test(href || ''), `claim link ${href}`);
  await shot('document.png', true);
  await Promise.all([page.waitForURL(/\/compare\?/), page.click(`li.result[data-id="${AFP}"] a.sbs`)]);
  await page.locator('#col-a .s').first().waitFor();
  await shot('doc-compare.png');
});

await scenario('a link to a byte offset (#a:N) selects the sentence holding it', async () => {
  const at = Buffer.byteLength(blogText.slice(0, blogText.indexOf('Fabius')), 'utf8');
  await page.goto(`${base}compare?a=${encodeURIComponent(BLOG)}&b=${encodeURIComponent(AFP)}#a:${at}`);
  const sel = page.locator('#col-a .s.hl');
  await sel.waitFor();
  check((await sel.textContent()).includes('Fabius'), `selected: ${await sel.textContent()}`);
});

await scenario('search finds the blog by a rare word', async () => {
  await page.goto(base);
  await page.fill('input#q', 'Fabius');
  await Promise.all([page.waitForURL(/\/search\?q=Fabius/), page.press('input#q', 'Enter')]);
  const first = page.locator('li.hit a').first();
  check((await first.textContent()) === BLOG, `first hit: ${await first.textContent()}`);
});

await scenario('an uploaded text with <script> and onerror= is shown as text and nothing runs', async () => {
  await page.goto(base);
  await page.setInputFiles('input#file', evilTxt);
  await Promise.all([page.waitForURL(`${base}query`), page.click('form[action="/query"] button[type=submit]')]);
  await page.locator('li.result').first().waitFor();
  await Promise.all([page.waitForURL(`${base}compare`), page.click(`li.result[data-id="${BLOG}"] button.sbs`)]);
  const a = await page.locator('#col-a .text').textContent();
  check(a.includes('<script>window.__pwned=1;alert("script")</script>'), 'the script tag is not shown as text');
  check(a.includes('onerror="window.__pwned=1'), 'the onerror attribute is not shown as text');
  check(await page.locator('#col-a script, #col-a img, main img').count() === 0, 'an element was created from the text');
  check((await page.locator('#col-a h2').textContent()).includes('evil.txt'), 'the file name is the version id');
  await page.waitForTimeout(300);
  check(await pwned() === 'undefined', 'window.__pwned was set');
  check(dialogs === 0, `${dialogs} dialog(s) fired`);
  await shot('upload-escaped.png');
});

await scenario('an uploaded HTML page and a stored document with markup run nothing', async () => {
  await page.goto(base);
  await page.setInputFiles('input#file', evilHtml);
  await Promise.all([page.waitForURL(`${base}query`), page.click('form[action="/query"] button[type=submit]')]);
  await page.locator('h1').waitFor();
  check((await page.locator('h1').textContent()).includes('Page <script>'), 'the page title is not shown as text');
  await page.goto(`${base}doc?id=markup-doc`);
  check((await page.locator('h1').textContent()).includes('<img src=x onerror='), 'the title is not shown as text');
  check((await page.locator('.doc-text .text').textContent()).includes('<script>window.__pwned=1</script>'), 'text not shown');
  check(await page.locator('main img, main script, a[href^="javascript:"]').count() === 0, 'markup became elements');
  await page.waitForTimeout(300);
  check(await pwned() === 'undefined', 'window.__pwned was set');
  check(dialogs === 0, `${dialogs} dialog(s) fired`);
});

await scenario('usable at phone width: one column, counterpart still reached', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}compare?a=${encodeURIComponent(BLOG)}&b=${encodeURIComponent(AFP)}`);
  const a = await page.locator('#col-a').boundingBox();
  const b = await page.locator('#col-b').boundingBox();
  check(b.y >= a.y + a.height - 1 && a.width <= 390, 'columns not stacked');
  const scrollW = await page.evaluate(() => document.documentElement.scrollWidth);
  check(scrollW <= 391, `page wider than the screen: ${scrollW}`);
  await shot('phone.png');
  const shared = page.locator('#col-a .s[data-cp]').first();
  await shared.click();
  const cpId = (await shared.getAttribute('data-cp')).split(' ')[0];
  await page.waitForFunction((id) => document.getElementById(id)?.classList.contains('hl-cp'), cpId);
  await page.setViewportSize({ width: 1400, height: 1000 });
});

await scenario('the pages raised no script error', async () => {
  check(pageErrors.length === 0, pageErrors.join(' | '));
});

await context.close();

// --- Graceful shutdown on Ctrl-C. ----------------------------------------
await scenario('the server stops cleanly on SIGINT', async () => {
  server.kill('SIGINT');
  const r = await Promise.race([exited, new Promise((res) => setTimeout(() => res(null), 10_000))]);
  check(r && r.code === 0, `exit ${JSON.stringify(r)}; output:\n${serverOut}`);
  check(serverOut.includes('stopped'), 'no "stopped" message');
});
if (server.exitCode === null) server.kill('SIGKILL');
clearTimeout(watchdog);
fs.rmSync(tmp, { recursive: true, force: true });
console.log(`screenshots in ${path.relative(process.cwd(), outDir) || '.'}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
