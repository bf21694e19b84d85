// The first page of a large answer shows as soon as the first part of the body is read, before
// the rest is: the table of the first rows, marked as still reading, then the whole table in its
// place. An answer that turns out broken after its first rows takes that first page away again
// and says what is wrong. The answers are generated here (Playwright fulfils the data request of
// a page reloaded with a stored token); what is checked is the order of what the page shows,
// never its timing.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, signedInPage } from './support.mjs';

let browser;
let api;
before(async () => {
  browser = await launchBrowser();
  api = await startApi({ ttl: 60 });
});
after(async () => {
  await browser?.close();
  await api?.stop();
});

/** `n` rows of about 200 bytes: 6,000 of them are several of the app's 512 KiB reading steps. */
function rows(n) {
  return Array.from({ length: n }, (_, i) => ({
    id: i + 1, name: `Customer ${i + 1}`, email: `c${i + 1}@example.com`,
    plan: ['free', 'pro'][i % 2], note: 'x'.repeat(100),
  }));
}

/**
 * A signed-in page reloaded (a first load with the stored token) whose data answers are `body`;
 * `window.__tables` lists, in order, each table of the app's that showed rows (its test id, its
 * row count): not the first page `index.html`'s script may draw before the app runs
 * (e2e/first_paint.test.mjs).
 */
async function reloadAnswering(body) {
  const { page } = await signedInPage(browser.context, api.url);
  await page.route('**/api:data/customers', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body }));
  await page.addInitScript(() => {
    window.__tables = [];
    new MutationObserver(() => {
      for (const table of document.querySelectorAll('table:not(#tokengrid-first-paint table)')) {
        const seen = { id: table.dataset.testid, rows: table.tBodies[0]?.rows.length ?? 0 };
        const last = window.__tables.at(-1);
        if (seen.rows > 0 && (last?.id !== seen.id || last?.rows !== seen.rows)) window.__tables.push(seen);
      }
    }).observe(document, { childList: true, subtree: true });
  });
  await page.reload();
  return page;
}

test('a large answer shows its first page while the rest is read, then the whole table', async () => {
  const page = await reloadAnswering(JSON.stringify(rows(6_000)));
  await page.getByTestId('row-count').getByText('6,000 rows').waitFor();
  const tables = await page.evaluate(() => window.__tables);
  assert.deepEqual(tables[0], { id: 'data-table-preview', rows: 25 }, JSON.stringify(tables));
  assert.deepEqual(tables.at(-1), { id: 'data-table', rows: 25 });
  assert.equal(await page.getByTestId('data-table-preview').count(), 0);
  assert.equal(await page.getByTestId('reading-rows').count(), 0);
  // The whole table's first page is the rows the first page showed.
  const names = await page.locator('[data-testid="data-table"] tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(names, rows(25).map((r) => r.name));
});

test('an answer that is not JSON after its first rows takes its first page away and says why', async () => {
  const body = JSON.stringify(rows(6_000)).replace(/\]$/, ', {"id": tru}]');
  const page = await reloadAnswering(body);
  const error = page.getByTestId('load-error');
  await error.waitFor();
  assert.match(await error.innerText(), /not JSON|expected/i);
  const tables = await page.evaluate(() => window.__tables);
  assert.equal(tables[0]?.id, 'data-table-preview', JSON.stringify(tables));
  assert.equal(await page.locator('table').count(), 0, 'no rows of a broken answer stay');
});

test('a small answer shows the whole table at once', async () => {
  const page = await reloadAnswering(JSON.stringify(rows(40)));
  await page.getByTestId('row-count').getByText('40 rows').waitFor();
  const tables = await page.evaluate(() => window.__tables);
  assert.deepEqual(tables, [{ id: 'data-table', rows: 25 }]);
});
