// The table end to end: search, sort, paging, CSV of the current view,
// state that survives a refresh, and server-side paging of Xano's envelope.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { startApi, launchBrowser, signedInPage, distWithConfig, count, sleep, LOGIN, DATA, submitLogin } from './support.mjs';

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

const signedIn = (url) => signedInPage(browser.context, url);

const column = (page, n) => page.locator(`[data-testid="data-table"] tbody tr td:nth-child(${n})`).allInnerTexts();
/** The ids `from`..=`to` as the ID column shows them. */
const ids = (from, to) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

test('search, per-column filter and the match count', async () => {
  const { page } = await signedIn(api.url);
  await page.getByTestId('search').fill('lisbon');
  await page.getByTestId('match-count').getByText(/of 300 rows match/).waitFor();
  const matching = Number((await page.getByTestId('match-count').innerText()).match(/^(\d+)/)[1]);
  assert.ok(matching > 0 && matching < 300, `${matching} rows mention Lisbon`);
  const addresses = await column(page, 9);
  assert.ok(addresses.every((a) => a.includes('Lisbon')), addresses.join('|'));
  await page.getByTestId('filter-plan').fill('pro');
  const plans = await column(page, 7);
  assert.ok(plans.length > 0 && plans.every((p) => p.includes('pro')), plans.join('|'));
  await page.getByTestId('search').fill('');
  await page.getByTestId('filter-plan').fill('');
  await page.getByTestId('match-count').getByText('300 rows').waitFor();
  assert.equal(await page.getByTestId('no-match').count(), 0, 'no note while rows match');
  await page.getByTestId('search').fill('no such text anywhere');
  await page.getByTestId('match-count').getByText('0 of 300 rows match').waitFor();
  assert.equal(await page.getByTestId('no-match').innerText(), 'No rows match the search and the column filters.');
  await page.getByTestId('search').fill('');
  await page.getByTestId('match-count').getByText('300 rows').waitFor();
  assert.equal(await page.getByTestId('no-match').count(), 0);
  await page.close();
});

test('a table wider than the window scrolls in its own box: the page never scrolls sideways', async () => {
  const { page } = await signedIn(api.url);
  for (const width of [800, 375]) {
    await page.setViewportSize({ width, height: 700 });
    const { page: pageWidth, window, box, boxWidth } = await page.evaluate(() => {
      const scroll = document.querySelector('[data-testid="data-table"]').closest('.table-scroll');
      return {
        page: document.documentElement.scrollWidth,
        window: document.documentElement.clientWidth,
        box: scroll.scrollWidth,
        boxWidth: scroll.clientWidth,
      };
    });
    assert.ok(box > boxWidth, `at ${width} px the table (${box} px) is wider than its box (${boxWidth} px)`);
    assert.ok(pageWidth <= window, `at ${width} px the page is ${pageWidth} px wide, the window ${window} px`);
  }
  await page.close();
});

test('sort by a header: numbers numerically, aria-sort set, nulls last; the sort survives a refresh', async () => {
  const { page } = await signedIn(api.url);
  await page.getByTestId('sort-amount').click();
  const amountHeader = page.locator('th', { has: page.getByTestId('sort-amount') });
  assert.equal(await amountHeader.getAttribute('aria-sort'), 'ascending');
  const amounts = (await column(page, 5)).map(Number);
  assert.deepEqual(amounts, [...amounts].sort((a, b) => a - b));
  await page.getByTestId('sort-amount').click();
  assert.equal(await amountHeader.getAttribute('aria-sort'), 'descending');
  const descending = (await column(page, 5)).map(Number);
  assert.deepEqual(descending, [...descending].sort((a, b) => b - a));
  assert.ok(Math.min(...descending) >= Math.max(...amounts), 'the largest 25 first, the smallest 25 first before');
  // Notes has nulls (about a third): they come after every note.
  await page.getByTestId('sort-notes').click();
  await page.getByTestId('page-size').selectOption('all');
  const notes = (await column(page, 8)).map((n) => n.trim().split('\n')[0]);
  assert.equal(notes.length, 300);
  const firstNull = notes.indexOf('—');
  assert.ok(firstNull > 0 && firstNull < 300, `some notes and some nulls: ${firstNull}`);
  assert.ok(notes.slice(firstNull).every((n) => n === '—'), 'nulls only after the notes');
  assert.ok(notes.slice(0, firstNull).every((n) => n !== '—'));
  await page.getByTestId('page-size').selectOption('25');
  await page.getByTestId('refresh').click();
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  const notesHeader = page.locator('th', { has: page.getByTestId('sort-notes') });
  assert.equal(await notesHeader.getAttribute('aria-sort'), 'ascending', 'kept across the refresh');
  await page.close();
});

test('paging: page size, next/last, and the count of pages', async () => {
  const { page } = await signedIn(api.url);
  assert.equal(await page.getByTestId('page-status').innerText(), 'Page 1 of 12');
  assert.deepEqual(await column(page, 1), ids(1, 25));
  await page.getByTestId('page-next').click();
  assert.deepEqual(await column(page, 1), ids(26, 50));
  await page.getByTestId('page-size').selectOption('100');
  assert.equal(await page.getByTestId('page-status').innerText(), 'Page 1 of 3', 'row 26 is on page 1 of 100');
  assert.deepEqual(await column(page, 1), ids(1, 100));
  await page.getByTestId('page-last').click();
  assert.deepEqual(await column(page, 1), ids(201, 300));
  await page.getByTestId('page-size').selectOption('10');
  assert.equal(await page.getByTestId('page-status').innerText(), 'Page 21 of 30', 'row 201 is on page 21 of 10');
  assert.deepEqual(await column(page, 1), ids(201, 210));
  await page.getByTestId('page-prev').click();
  assert.deepEqual(await column(page, 1), ids(191, 200));
  await page.getByTestId('page-first').click();
  assert.deepEqual(await column(page, 1), ids(1, 10));
  await page.close();
});

test('paging by keyboard: the button that goes off at the last or the first page hands the focus to the one that leads back', async () => {
  const { page } = await signedIn(api.url);
  const focused = () => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);
  await page.getByTestId('page-size').selectOption('100');
  await page.getByTestId('page-next').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('page-status').getByText('Page 2 of 3').waitFor();
  assert.equal(await focused(), 'page-next', 'an enabled button keeps the focus');
  await page.keyboard.press('Enter');
  await page.getByTestId('page-status').getByText('Page 3 of 3').waitFor();
  assert.ok(await page.getByTestId('page-next').isDisabled());
  assert.equal(await focused(), 'page-prev', 'Next went off at the last page');
  await page.getByTestId('page-first').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('page-status').getByText('Page 1 of 3').waitFor();
  assert.equal(await focused(), 'page-next', 'First went off at the first page');
  await page.keyboard.press('Enter');
  await page.getByTestId('page-last').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('page-status').getByText('Page 3 of 3').waitFor();
  assert.equal(await focused(), 'page-prev', 'Last went off at the last page');
  await page.close();
});

test('the Columns menu closes as a menu does: on Escape, focus back on its button, and on a click outside it', async () => {
  const { page } = await signedIn(api.url);
  const open = () => page.locator('details.columns-menu').evaluate((d) => d.open);
  await page.getByTestId('columns-menu').click();
  await page.getByTestId('column-toggle-address').click();
  assert.ok(await open(), 'a click inside keeps it open');
  await page.keyboard.press('Escape');
  assert.equal(await open(), false, 'Escape closes it');
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute('data-testid')), 'columns-menu');
  await page.getByTestId('columns-menu').click();
  assert.ok(await open());
  await page.getByTestId('row-count').click();
  assert.equal(await open(), false, 'a click outside closes it');
  await page.close();
});

test('Download CSV gives the current view: filtered, sorted, shown columns, safely escaped', async () => {
  const { page } = await signedIn(api.url);
  await page.getByTestId('filter-plan').fill('enterprise');
  await page.getByTestId('sort-name').click();
  await page.getByTestId('columns-menu').click();
  await page.getByTestId('column-toggle-address').click();
  await page.getByTestId('column-toggle-tags').click();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-csv').click()]);
  assert.equal(download.suggestedFilename(), 'customers.csv');
  const csv = readFileSync(await download.path(), 'utf8');
  const lines = csv.replace(/^\uFEFF/, '').split('\r\n').filter(Boolean);
  assert.equal(lines[0], 'ID,Name,Email,Created at,Amount,Active,Plan,Notes');
  const shown = Number((await page.getByTestId('match-count').innerText()).match(/^(\d+)/)[1]);
  assert.ok(shown > 25, `more rows match (${shown}) than a page shows`);
  assert.equal(lines.length - 1, shown, 'every matching row, not just this page');
  const names = lines.slice(1).map((l) => l.split(',')[1]);
  assert.deepEqual(names, [...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true, sensitivity: 'base' })));
  assert.ok(lines.slice(1).every((l) => l.includes(',enterprise,')), 'only the filtered rows');
  await page.close();
});

test('server-side paging: the envelope drives the pager and page changes go through the client', async () => {
  const site = distWithConfig({ dataUrl: '/api:data/customers?page=1&per_page=20', devHintUrl: null });
  const paged = await startApi({ ttl: 60, site: site.dir });
  try {
    const { page } = await signedIn(paged.url);
    assert.equal(await page.getByTestId('page-status').innerText(), 'Page 1 of 15');
    assert.deepEqual(await column(page, 1), ids(1, 20));
    assert.match(await page.getByTestId('match-count').innerText(), /20 of 20 rows on this page, 300 in all/);
    await paged.resetCounters();
    await page.getByTestId('page-next').click();
    await page.getByTestId('page-status').getByText('Page 2 of 15').waitFor();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    assert.deepEqual(await column(page, 1), ids(21, 40));
    await page.getByTestId('page-last').click();
    await page.getByTestId('page-status').getByText('Page 15 of 15').waitFor();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    assert.deepEqual(await column(page, 1), ids(281, 300));
    assert.ok(await page.getByTestId('page-next').isDisabled());
    assert.ok(await page.getByTestId('page-last').isDisabled());
    const c = await paged.counters();
    assert.deepEqual(count(c, DATA), { requests: 2, status: { 200: 2 } });
    assert.equal(count(c, LOGIN).requests, 0);
    // A refresh reloads the same server page.
    await page.getByTestId('refresh').click();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('page-status').innerText(), 'Page 15 of 15');
    assert.deepEqual(await column(page, 1), ids(281, 300));
    await page.close();
  } finally {
    await paged.stop();
    site.remove();
  }
});

test('Refresh keeps sort, search, filters, page, page size and hidden columns', async () => {
  const { page } = await signedIn(api.url);
  await page.getByTestId('sort-name').click();
  await page.getByTestId('search').fill('a');
  await page.getByTestId('filter-plan').fill('pro');
  await page.getByTestId('page-size').selectOption('10');
  await page.getByTestId('page-next').click();
  await page.getByTestId('columns-menu').click();
  await page.getByTestId('column-toggle-address').click();
  const view = async () => ({
    sort: await page.locator('th', { has: page.getByTestId('sort-name') }).getAttribute('aria-sort'),
    search: await page.getByTestId('search').inputValue(),
    filter: await page.getByTestId('filter-plan').inputValue(),
    size: await page.getByTestId('page-size').inputValue(),
    status: await page.getByTestId('page-status').innerText(),
    headers: await page.locator('[data-testid="data-table"] thead th').allInnerTexts(),
    ids: await column(page, 1),
  });
  const before = await view();
  assert.equal(before.sort, 'ascending');
  assert.equal(before.size, '10');
  assert.ok(!before.headers.some((h) => /Address/.test(h)), 'the address column is hidden');
  const requests = async () => count(await api.counters(), DATA).requests;
  const sent = await requests();
  await page.getByTestId('refresh').click();
  // The answer has arrived when the request is counted and nothing is loading.
  for (let i = 0; i < 100 && (await requests()) === sent; i++) await sleep(50);
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  assert.equal(await requests(), sent + 1, 'the refresh sent one data request');
  assert.deepEqual(await view(), before);
  await page.close();
});

test('sort, search and page survive a log-out and log-in on the page', async () => {
  const { page } = await signedIn(api.url);
  await page.getByTestId('sort-name').click();
  await page.getByTestId('search').fill('a');
  await page.getByTestId('page-next').click();
  const before = await page.getByTestId('page-status').innerText();
  await page.getByTestId('logout').click();
  await submitLogin(page);
  await page.getByTestId('data-table').waitFor();
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  assert.equal(await page.locator('th', { has: page.getByTestId('sort-name') }).getAttribute('aria-sort'), 'ascending');
  assert.equal(await page.getByTestId('search').inputValue(), 'a');
  assert.equal(await page.getByTestId('page-status').innerText(), before);
  await page.close();
});

test('server-side paging: Previous, First and the page size go back to the server', async () => {
  const site = distWithConfig({ dataUrl: '/api:data/customers?page=1&per_page=20', devHintUrl: null });
  const paged = await startApi({ ttl: 60, site: site.dir });
  const shows = async (page, status, from, to) => {
    await page.getByTestId('page-status').getByText(status, { exact: true }).waitFor();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    assert.deepEqual(await column(page, 1), ids(from, to), status);
  };
  try {
    const { page } = await signedIn(paged.url);
    await shows(page, 'Page 1 of 15', 1, 20);
    await paged.resetCounters();
    await page.getByTestId('page-last').click();
    await shows(page, 'Page 15 of 15', 281, 300);
    await page.getByTestId('page-prev').click();
    await shows(page, 'Page 14 of 15', 261, 280);
    await page.getByTestId('page-first').click();
    await shows(page, 'Page 1 of 15', 1, 20);
    assert.ok(await page.getByTestId('page-first').isDisabled());
    assert.ok(await page.getByTestId('page-prev').isDisabled());
    await page.getByTestId('page-next').click();
    await shows(page, 'Page 2 of 15', 21, 40);
    // 10 a page: row 21 is on page 3.
    await page.getByTestId('page-size').selectOption('10');
    await shows(page, 'Page 3 of 30', 21, 30);
    assert.equal(await page.getByTestId('page-size').inputValue(), '10');
    assert.match(await page.getByTestId('match-count').innerText(), /^10 of 10 rows on this page, 300 in all$/);
    await page.getByTestId('page-size').selectOption('100');
    await shows(page, 'Page 1 of 3', 1, 100);
    const c = await paged.counters();
    assert.deepEqual(count(c, DATA), { requests: 6, status: { 200: 6 } }, 'one request per page turn');
    await page.close();
  } finally {
    await paged.stop();
    site.remove();
  }
});
