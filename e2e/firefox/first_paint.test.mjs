// The first page that index.html's early script draws before the app runs, in
// a second engine: its own dates, regular expressions and JSON reader. The
// app's start is held in a copy of dist/ until the early answer is read (so
// the page is drawn first, every time), then the drawn page and the table the
// app shows in its place must be the same, part for part — over the seeded
// customers: integers and decimals, e-mail links, local times, ✓/✗/—, JSON
// cells, and whole decimals (1200.0) past the first page, which the script
// reads the first page's rows again for.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { root, demoToken, installPanelSnapshot } from '../support.mjs';
import { startApi, launchFirefox, freshContext, openApp, distWithConfig, waitFor, byTestId } from './support.mjs';

let firefox;
let api;
let site;
before(async () => {
  firefox = await launchFirefox();
  site = distWithConfig({});
  const file = join(site.dir, 'index.html');
  const html = readFileSync(file, 'utf8');
  // Trunk's module script, started only once the early answer has been read:
  // the early script's drawing runs first (it was waiting on the same promise).
  const held = html.replace(/<script type="module">\n(?=await window\.tokengridPrefetch\?\.drawn;)/,
    `<script type="module">
await window.tokengridPrefetch?.body.then(() => {}, () => {});
`);
  assert.notEqual(held, html, 'dist/index.html has the module script this test holds');
  writeFileSync(file, held);
  execFileSync(process.execPath, [join(root, 'scripts', 'csp.mjs'), file], { stdio: 'ignore' });
  api = await startApi({ ttl: 3600, site: site.dir });
});
after(async () => {
  await firefox?.close();
  await api?.stop();
  site?.remove();
});

test('Firefox: the first page is drawn before the app runs, as the app then shows it', async () => {
  const { page } = await openApp(await freshContext(firefox.browser), api.url);
  await waitFor(page, 'login-form');
  await page.evaluate((token) => localStorage.setItem('authToken', token), await demoToken(api.url));
  await page.evaluateOnNewDocument(installPanelSnapshot);
  await page.evaluateOnNewDocument(() => {
    new MutationObserver(() => {
      const drawn = document.getElementById('tokengrid-first-paint');
      if (drawn && !window.__drawn) window.__drawn = window.__snapshot(drawn);
    }).observe(document, { childList: true, subtree: true });
  });
  await page.reload();
  await page.waitForSelector(`${byTestId('data-table')} tbody tr`);
  await page.waitForFunction(() => !document.getElementById('tokengrid-first-paint'));
  const { drawn, shown, marks } = await page.evaluate(() => ({
    drawn: window.__drawn ?? null,
    shown: window.__snapshot(document.querySelector('[data-testid=data-table]').closest('.table-panel')),
    marks: performance.getEntriesByType('mark').map((m) => m.name),
  }));
  assert.ok(drawn, 'a first page was drawn');
  assert.match(drawn.rows, /mailto:/, 'e-mail links among the drawn cells');
  assert.match(drawn.rows, /<time datetime=/, 'local times among the drawn cells');
  assert.deepEqual(drawn, shown);
  assert.ok(marks.indexOf('tokengrid:first-row') < marks.indexOf('tokengrid:wasm-ready'), marks.join(', '));
});
