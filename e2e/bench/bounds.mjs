// Browser benchmark (not a test: it prints figures): the release build answered with
// ≈ 30 MiB data responses (just under the default `maxResponseBytes`, 32 MiB) of six shapes — many rows; one huge cell; 20,000 columns; one cell holding a large JSON value; one huge key; the most rows that size holds —
// and, for each, the time to the first table row and the longest task the page ran
// (PerformanceObserver `longtask`: every task over 50 ms, from navigation until
// `--settle` ms after the first row, so the idle-time sort and search preparation
// counts too); then the longest task of the first sort (a click on the second column's
// header) and of the first search (typing "9"), each watched for a second, and of a
// refresh (the same answer read again, the old table dropped).
//
// The page comes from `dev-api --serve-dist` with a token stored; Playwright fulfils the
// data request (the early request of index.html and any later one) with the generated
// body, so the figures are the page's own work: reading, parsing, building, rendering.
//
// Usage: node e2e/bench/bounds.mjs [--loads 3] [--mib 30] [--settle 3000] [--site dist] [--only nested]
//   [--sort email] (the column whose first sort is measured, by key; the second column if not given)
//   (after trunk build --release and cargo build -p dev-api; --site another build's dist/
//   to compare)
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { chromium } from 'playwright-core';
import { startApi, demoToken, CHROMIUM } from '../support.mjs';

const { values: options } = parseArgs({
  options: {
    loads: { type: 'string', default: '3' },
    mib: { type: 'string', default: '30' },
    settle: { type: 'string', default: '3000' },
    verbose: { type: 'boolean', default: false },
    site: { type: 'string' },
    only: { type: 'string' },
    sort: { type: 'string' },
  },
});
const LOADS = Number(options.loads);
const BYTES = Number(options.mib) * 1024 * 1024;
const SETTLE = Number(options.settle);

/** A body of about `BYTES` bytes: `[row(0), row(1), …]`. */
function rowsUpTo(row) {
  const parts = [];
  let size = 2;
  for (let i = 0; size < BYTES; i++) {
    const text = JSON.stringify(row(i));
    parts.push(text);
    size += text.length + 1;
  }
  return `[${parts.join(',')}]`;
}

const SHAPES = {
  'many rows': () => rowsUpTo((i) => ({
    id: i + 1,
    name: `Customer ${i + 1}`,
    email: `customer${i + 1}@example.com`,
    created_at: 1_704_067_200_000 + i * 60_000,
    amount: Math.round(((i * 7919) % 100_000)) / 100,
    active: i % 3 !== 0,
    plan: ['free', 'pro', 'enterprise'][i % 3],
    notes: i % 3 === 0 ? null : `note ${i} about the order`,
  })),
  'one huge cell': () => JSON.stringify([
    { id: 1, name: 'huge', blob: 'x'.repeat(BYTES - 200) },
    { id: 2, name: 'small', blob: 'y' },
  ]),
  '20,000 columns': () => rowsUpTo((n) => Object.fromEntries(
    Array.from({ length: 20_000 }, (_, i) => [`column_${i}`, n * 1_000_000 + i]),
  )),
  // One cell holding a large JSON value (not a string): read in steps like the rest.
  'one nested value': () => `[{"id":1,"name":"nested","data":${rowsUpTo((i) => ({ k: i, v: `value ${i}` }))}},{"id":2,"name":"small","data":null}]`,
  // The most rows an answer of this size can hold: `[1,1,1,…]`.
  'tiny rows': () => `[${'1,'.repeat(BYTES / 2 - 1)}1]`,
  // One key (a column name) of 30 MiB.
  'one huge key': () => JSON.stringify([{ id: 1, ['k_'.repeat((BYTES - 100) / 2)]: 1 }, { id: 2 }]),
};

const RECORD = `
  window.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  window.__firstRow = new Promise((resolve) => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('table tbody tr')) { observer.disconnect(); resolve(performance.now()); }
    }).observe(document, { childList: true, subtree: true });
  });
`;

async function loadOnce(browser, api, token, body) {
  const context = await browser.newContext({
    storageState: { cookies: [], origins: [{ origin: api.url, localStorage: [{ name: 'authToken', value: token }] }] },
    viewport: { width: 1280, height: 800 },
  });
  await context.addInitScript(RECORD);
  await context.route('**/api:data/customers', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body }));
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  try {
    await page.goto(api.url);
    let timer;
    const firstRow = await Promise.race([
      page.evaluate(() => window.__firstRow),
      new Promise((resolve) => { timer = setTimeout(() => resolve(null), 120_000); }),
    ]).finally(() => clearTimeout(timer));
    await page.waitForTimeout(SETTLE);
    const tasks = await page.evaluate(() => window.__longTasks);
    // The first sort (the --sort column, else the second, or the only one) and the first
    // search, after the load.
    const sortStart = await page.evaluate(() => performance.now());
    const sorts = page.locator('[data-testid^="sort-"]');
    await (options.sort ? page.getByTestId(`sort-${options.sort}`) : sorts.nth(Math.min(1, (await sorts.count()) - 1))).click();
    await page.waitForTimeout(1000);
    const searchStart = await page.evaluate(() => performance.now());
    await page.getByTestId('search').fill('9');
    await page.waitForTimeout(1000);
    await page.getByTestId('search').fill('');
    // A refresh: the same answer read again, the old table dropped.
    const refreshStart = await page.evaluate(() => performance.now());
    await page.getByTestId('refresh').click();
    await page.getByTestId('loading').waitFor({ state: 'detached', timeout: 120_000 });
    await page.waitForTimeout(SETTLE);
    const later = await page.evaluate(() => window.__longTasks);
    const longestIn = (from, to) => later.filter((t) => t.start >= from && t.start < to)
      .reduce((m, t) => Math.max(m, t.duration), 0);
    if (options.verbose) {
      const marks = await page.evaluate(() => performance.getEntriesByType('mark')
        .filter((m) => m.name.startsWith('tokengrid:')).map((m) => `${m.name.slice(10)}@${Math.round(m.startTime)}`).join(' '));
      console.log(JSON.stringify({ firstRow: Math.round(firstRow), marks, tasks: tasks.map((t) => [Math.round(t.start), Math.round(t.duration)]) }));
    }
    const error = await page.getByTestId('load-error').innerText().catch(() => null);
    return {
      firstRow,
      longest: tasks.reduce((m, t) => Math.max(m, t.duration), 0),
      over200: tasks.filter((t) => t.duration > 200).length,
      longTasks: tasks.length,
      sort: longestIn(sortStart, searchStart),
      search: longestIn(searchStart, refreshStart),
      refresh: longestIn(refreshStart, Infinity),
      error: error ?? (problems.length ? problems.join('; ') : null),
    };
  } finally {
    await context.close();
  }
}

const median = (xs) => {
  const known = xs.filter((x) => typeof x === 'number').sort((a, b) => a - b);
  return known.length ? known[Math.floor(known.length / 2)] : null;
};
const ms = (x) => (x === null ? '—' : `${x.toFixed(0)} ms`);

const api = await startApi({ ttl: 3600, ...(options.site ? { site: resolve(options.site) } : {}) });
const browser = await chromium.launch(CHROMIUM);
try {
  const token = await demoToken(api.url);
  console.log(`site: ${options.site ?? 'dist'}; ${LOADS} loads per shape; long tasks until ${SETTLE} ms after the first row`);
  console.log('| shape | body | first row (median) | longest task (max) | tasks > 200 ms | tasks > 50 ms | first sort: longest task | first search: longest task | refresh: longest task | error |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const [name, make] of Object.entries(SHAPES).filter(([n]) => !options.only || n.includes(options.only))) {
    const body = make();
    const runs = [];
    for (let i = 0; i < LOADS; i++) runs.push(await loadOnce(browser, api, token, body));
    const longest = Math.max(...runs.map((r) => r.longest));
    const error = runs.find((r) => r.error)?.error ?? '';
    console.log(`| ${name} | ${(body.length / 1024 / 1024).toFixed(1)} MiB | ${ms(median(runs.map((r) => r.firstRow)))} | ${ms(longest)} | ${Math.max(...runs.map((r) => r.over200))} | ${Math.max(...runs.map((r) => r.longTasks))} | ${ms(Math.max(...runs.map((r) => r.sort)))} | ${ms(Math.max(...runs.map((r) => r.search)))} | ${ms(Math.max(...runs.map((r) => r.refresh)))} | ${error.slice(0, 80)} |`);
  }
} finally {
  await browser.close();
  await api.stop();
}
