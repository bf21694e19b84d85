// Browser benchmarks (not tests: they print figures for the README).
//  1. Time to the first table row: tokengrid's release build vs a plain-JS
//     page doing the same fetch (e2e/bench/plain.html), stored token, median of 7.
//  2. Interaction to render: click a header to sort, type a search, go to
//     the next page — from the event to the next animation frame after the
//     DOM changed — at 1k, 10k and 100k rows, median of 5.
// Usage: node e2e/bench/run.mjs   (after trunk build --release and cargo build -p dev-api)
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { startApi, launchBrowser, distWithConfig, root } from '../support.mjs';

const EMAIL = 'demo@tokengrid.dev';
const PASSWORD = 'tokengrid-demo';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1)} ms`;

// Records when the first body row of any table appears.
const FIRST_ROW = `
  new MutationObserver((_, observer) => {
    if (document.querySelector('table tbody tr')) { window.__firstRow = performance.now(); observer.disconnect(); }
  }).observe(document, { childList: true, subtree: true });
`;

async function token(url) {
  const r = await fetch(`${url}/api:auth/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  return (await r.json()).authToken;
}

async function firstRow(context, url, authToken) {
  const page = await context.newPage();
  await page.addInitScript(FIRST_ROW);
  await page.goto(`${new URL(url).origin}/bench-blank`);
  await page.evaluate((t) => localStorage.setItem('authToken', t), authToken);
  await page.goto(url);
  await page.waitForFunction(() => window.__firstRow !== undefined, null, { timeout: 60_000 });
  const ms = await page.evaluate(() => window.__firstRow);
  await page.close();
  return ms;
}

async function timeToFirstTable(browser) {
  const site = distWithConfig({ devHintUrl: null });
  cpSync(join(root, 'e2e', 'bench', 'plain.html'), join(site.dir, 'plain.html'));
  const results = [];
  for (const rows of [300, 10_000]) {
    const api = await startApi({ ttl: 3600, site: site.dir, args: ['--rows', String(rows)] });
    const authToken = await token(api.url);
    const app = [], plain = [];
    for (let i = 0; i < 7; i++) {
      app.push(await firstRow(browser.context, `${api.url}/`, authToken));
      plain.push(await firstRow(browser.context, `${api.url}/plain.html`, authToken));
    }
    results.push({ rows, app: median(app), plain: median(plain) });
    await api.stop();
  }
  site.remove();
  return results;
}

/**
 * Runs `action` and measures, from just before it, (a) when the DOM shows
 * the result (polled with macrotasks, so the measure includes Leptos'
 * scheduled effects) and (b) when the next animation frame starts after
 * that, the frame that paints it.
 */
async function interaction(page, action, done) {
  return page.evaluate(async ({ action, done }) => {
    const run = new Function(action);
    const finished = new Function(done);
    const channel = new MessageChannel();
    const macrotask = () => new Promise((resolve) => { channel.port1.onmessage = () => resolve(); channel.port2.postMessage(0); });
    const start = performance.now();
    run();
    while (!finished()) await macrotask();
    const dom = performance.now() - start;
    await new Promise((resolve) => requestAnimationFrame(() => resolve()));
    return { dom, frame: performance.now() - start };
  }, { action, done });
}

async function interactionToRender(browser) {
  const results = [];
  for (const rows of [1_000, 10_000, 100_000]) {
    const api = await startApi({ ttl: 3600, args: ['--rows', String(rows)] });
    const page = await browser.context.newPage();
    await page.goto(api.url);
    await page.evaluate(() => localStorage.clear());
    await page.reload();
    await page.getByTestId('login-identity').fill(EMAIL);
    await page.getByTestId('login-password').fill(PASSWORD);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('data-table').waitFor({ timeout: 120_000 });
    await page.getByTestId('loading').waitFor({ state: 'detached', timeout: 120_000 });
    // The first sort of a column ranks its rows, unless the app already did
    // in idle time (up to 20,000 rows): give it the half second a user
    // needs to reach for a header.
    await page.waitForTimeout(500);
    const firstSort = await interaction(page,
      "document.querySelector('[data-testid=sort-email]').click()",
      "return document.querySelector('[data-testid=sort-email]').closest('th').getAttribute('aria-sort') === 'ascending'");
    await page.getByTestId('sort-email').click();
    await page.getByTestId('sort-email').click();
    const sort = [], search = [], next = [];
    for (let i = 0; i < 5; i++) {
      // Sort by name: none → ascending (measured), then back to none.
      sort.push(await interaction(page,
        "document.querySelector('[data-testid=sort-name]').click()",
        "return document.querySelector('[data-testid=sort-name]').closest('th').getAttribute('aria-sort') === 'ascending'"));
      await page.getByTestId('sort-name').click();
      await page.getByTestId('sort-name').click();
      search.push(await interaction(page,
        `const s = document.querySelector('[data-testid=search]'); s.value = 'grace ${i}'; s.dispatchEvent(new Event('input', { bubbles: true }))`,
        `return document.querySelector('[data-testid=match-count]').textContent.includes('match')`));
      await page.getByTestId('search').fill('');
      await page.getByTestId('match-count').getByText(`${rows} rows`).waitFor();
      next.push(await interaction(page,
        "document.querySelector('[data-testid=page-next]').click()",
        "return document.querySelector('[data-testid=page-status]').textContent.startsWith('Page 2')"));
      await page.getByTestId('page-first').click();
    }
    const pick = (xs, k) => median(xs.map((x) => x[k]));
    results.push({
      rows,
      firstSort: firstSort.dom, firstSortFrame: firstSort.frame,
      sort: pick(sort, 'dom'), sortFrame: pick(sort, 'frame'),
      search: pick(search, 'dom'), searchFrame: pick(search, 'frame'),
      next: pick(next, 'dom'), nextFrame: pick(next, 'frame'),
    });
    await page.close();
    await api.stop();
  }
  return results;
}

const browser = await launchBrowser();
try {
  console.log('time to first table row (stored token, median of 7):');
  for (const r of await timeToFirstTable(browser)) {
    console.log(`  ${String(r.rows).padStart(6)} rows: tokengrid ${fmt(r.app)}, plain JS ${fmt(r.plain)}, ratio ${(r.app / r.plain).toFixed(2)}`);
  }
  console.log('interaction to render: event → DOM updated (→ next frame starts), median of 5:');
  for (const r of await interactionToRender(browser)) {
    console.log(`  ${String(r.rows).padStart(6)} rows: first sort of a column ${fmt(r.firstSort)} (${fmt(r.firstSortFrame)}), sort ${fmt(r.sort)} (${fmt(r.sortFrame)}), search ${fmt(r.search)} (${fmt(r.searchFrame)}), next page ${fmt(r.next)} (${fmt(r.nextFrame)})`);
  }
} finally {
  await browser.close();
}
