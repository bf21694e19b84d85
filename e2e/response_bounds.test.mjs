// Bounded cost per response, as a user sees it: a huge cell shows its start
// and how much it leaves out (the CSV has all of it), a response with 20,000
// keys shows 50 columns and the menu finds the others, and a number no
// double can hold is shown as its text with the rest of the table intact.
// The answers are generated here (Playwright fulfils the data request);
// nothing measures speed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
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

/** A signed-in page whose next data answers are `body` (text). */
async function pageAnswering(body) {
  const { page } = await signedInPage(browser.context, api.url);
  await page.route('**/api:data/customers', (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body }));
  await page.getByTestId('refresh').click();
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  return page;
}

const rowCount = (page) => page.getByTestId('row-count').innerText();

test('a 5 MB cell shows its first 1,000 characters and how many it leaves out; the CSV has the whole value', async () => {
  const huge = 'a'.repeat(1_000) + 'b'.repeat(5_000_000);
  const page = await pageAnswering(JSON.stringify([{ id: 1, note: huge }, { id: 2, note: 'short' }]));
  assert.equal(await rowCount(page), '2 rows');
  const cell = page.locator('[data-testid="data-table"] tbody tr:first-child td:nth-child(2)');
  assert.equal(await cell.innerText(), `${'a'.repeat(1_000)} … (+5,000,000 characters)`);
  assert.equal(await page.getByTestId('cell-cut').count(), 1);
  assert.equal(await page.locator('[data-testid="data-table"] tbody tr:nth-child(2) td:nth-child(2)').innerText(), 'short');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  assert.deepEqual(csv.split('\r\n'), ['ID,Note', `1,${huge}`, '2,short', '']);
  await page.close();
});

test('20,000 columns: 50 shown with a sentence saying so; the menu finds another and shows it', async () => {
  const row = (n) => Object.fromEntries(Array.from({ length: 20_000 }, (_, i) => [`c${i}`, n * 100_000 + i]));
  const page = await pageAnswering(JSON.stringify([row(1), row(2), row(3)]));
  assert.equal(await rowCount(page), '3 rows');
  const headers = page.locator('[data-testid="data-table"] thead tr:first-child th');
  assert.equal(await headers.count(), 50);
  const note = page.getByTestId('columns-note');
  assert.equal(await note.innerText(), 'Showing 50 of 20,000 columns: choose others in the Columns menu.');
  await page.getByTestId('columns-menu').click();
  assert.equal(await page.locator('[data-testid^="column-toggle-"]').count(), 50, 'the menu lists 50 at a time');
  await page.getByTestId('columns-find').fill('c19999');
  await page.getByTestId('column-toggle-c19999').check();
  await note.getByText('Showing 51 of 20,000 columns').waitFor();
  assert.equal(await headers.count(), 51);
  assert.match(await headers.last().innerText(), /^C19999\s*↕$/);
  const lastCells = await page.locator('[data-testid="data-table"] tbody tr td:last-child').allInnerTexts();
  assert.deepEqual(lastCells, ['119999', '219999', '319999']);
  await page.close();
});

test('a number no double can hold (1e400) is shown as its text; the other rows are intact', async () => {
  const body = '[{"id": 1, "v": 1.5}, {"id": 2, "v": 1e400}, {"id": 3, "v": -1e400}, {"id": 4, "v": 7}]';
  const page = await pageAnswering(body);
  assert.equal(await rowCount(page), '4 rows');
  const ids = await page.locator('[data-testid="data-table"] tbody tr td:nth-child(1)').allInnerTexts();
  const values = await page.locator('[data-testid="data-table"] tbody tr td:nth-child(2)').allInnerTexts();
  assert.deepEqual(ids, ['1', '2', '3', '4']);
  assert.deepEqual(values, ['1.5', '1e400', '-1e400', '7']);
  assert.equal(await page.getByTestId('load-error').count(), 0, 'no error for the table');
  await page.close();
});

test('a cell holding a 3 MB JSON value (read in steps) shows its start and how much it leaves out; the CSV has all of it', async () => {
  const items = Array.from({ length: 60_000 }, (_, i) => ({ n: i, tags: ['x', 'y'], note: `item ${i} é` }));
  const nested = { items, total: items.length };
  const whole = JSON.stringify(nested);
  assert.ok(whole.length > 2 * 1024 * 1024, 'larger than several parse steps');
  // Spaced out as servers often send it: the cell shows compact JSON.
  const body = JSON.stringify([{ id: 1, data: nested }, { id: 2, data: { items: [] } }], null, 2);
  const page = await pageAnswering(body);
  assert.equal(await rowCount(page), '2 rows');
  const cell = page.locator('[data-testid="data-table"] tbody tr:first-child td:nth-child(2)');
  const shown = [...whole].slice(0, 1_000).join('');
  const left = ([...whole].length - 1_000).toLocaleString('en-US');
  assert.equal(await cell.innerText(), `${shown} … (+${left} characters)`);
  assert.equal(await page.locator('[data-testid="data-table"] tbody tr:nth-child(2) td:nth-child(2)').innerText(), '{"items":[]}');
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  const csv = readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
  assert.equal(csv.split('\r\n')[1], `1,"${whole.replaceAll('"', '""')}"`);
  await page.close();
});

test('an answer of 200,003 rows: the table holds the first 200,000 and says how many it leaves out', async () => {
  const body = `[${Array.from({ length: 200_003 }, (_, i) => `{"id":${i + 1}}`).join(',')}]`;
  const page = await pageAnswering(body);
  assert.equal(await rowCount(page), '200,000 rows');
  assert.equal(
    await page.getByTestId('rows-note').innerText(),
    'Showing the first 200,000 of 200,003 rows, the most a table holds: ask the server for fewer (paging).',
  );
  await page.getByTestId('sort-id').click();
  await page.getByTestId('sort-id').click();
  const firstId = page.locator('[data-testid="data-table"] tbody tr:first-child td:first-child');
  await page.waitForFunction(() => document.querySelector('[data-testid="data-table"] tbody tr td')?.textContent === '200000');
  assert.equal(await firstId.innerText(), '200000', 'sorted descending: the last row kept comes first');
  await page.close();
});
