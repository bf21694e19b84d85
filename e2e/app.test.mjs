// The mission end to end: a real Chromium drives the release build against
// the development API (2 s tokens), and the API's counters prove what
// crossed the wire.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startApi, launchBrowser, freshPage, signedInPage, count, LOGIN, DATA, sleep, root, EMAIL, PASSWORD, everythingStored, submitLogin, allowBrowserErrors, EXPECTED } from './support.mjs';

const TTL = 2;

let api;
let browser;
before(async () => {
  api = await startApi({ ttl: TTL });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.stop();
});

async function storedToken(page) {
  return page.evaluate(() => localStorage.getItem('authToken'));
}

/** The number of rows loaded (the caption's count; the body shows one page). */
async function rowCount(page) {
  const text = await page.getByTestId('row-count').innerText();
  return Number(text.match(/^([\d,]+) rows$/)?.[1].replaceAll(',', ''));
}

const focusedTestId = (page) => page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? document.activeElement?.tagName);

test('log in through the form, see the rows; the token is stored and the password is not', async () => {
  const { page } = await freshPage(browser.context, api.url);
  await page.getByTestId('login-hint').getByText(EMAIL).waitFor();
  assert.equal(await focusedTestId(page), 'login-identity', 'the form opens with the focus in its first field');
  await api.resetCounters();
  await submitLogin(page);
  await page.getByTestId('data-table').waitFor();
  assert.equal(await rowCount(page), 300);
  assert.equal(await page.locator('[data-testid="data-table"] tbody tr').count(), 25, 'one page of 25');
  await assert.doesNotReject(page.getByRole('columnheader', { name: 'Created at' }).waitFor());
  assert.match(await page.getByTestId('row-count').innerText(), /300 rows/);
  assert.equal(
    await page.evaluate(() => document.activeElement?.tagName),
    'MAIN',
    'the focus goes where the form was, not to the page body',
  );
  const token = await storedToken(page);
  assert.ok(token && token.split('.').length === 5, `stored token looks like a JWE: ${token}`);
  const stored = await everythingStored(page);
  assert.ok(!stored.includes(PASSWORD), `password must not be stored:\n${stored}`);
  const c = await api.counters();
  assert.deepEqual([count(c, LOGIN).requests, count(c, DATA).requests], [1, 1]);

  // The README's picture, taken when asked for (TOKENGRID_SCREENSHOT=1), so that a test run
  // leaves the working tree as it found it.
  if (process.env.TOKENGRID_SCREENSHOT) {
    mkdirSync(join(root, 'docs'), { recursive: true });
    await page.screenshot({ path: join(root, 'docs', 'screenshot.png') });
  }
  await page.close();
});

test('reload with a valid token: the table loads straight away, no form', async () => {
  const { page } = await signedInPage(browser.context, api.url);
  await api.resetCounters();
  await page.reload();
  await page.getByTestId('data-table').waitFor();
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('login-form').count(), 0);
  assert.equal(await rowCount(page), 300);
  const c = await api.counters();
  assert.deepEqual(count(c, DATA), { requests: 1, status: { 200: 1 } });
  assert.equal(count(c, LOGIN).requests, 0, 'no login: the stored token is used');
  await page.close();
});

test('after expiry, a refresh costs exactly one 401, one login and one replay', async () => {
  allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
  // Logged in on this page, so the credentials are in memory.
  const { page } = await signedInPage(browser.context, api.url);
  const before = await storedToken(page);

  await sleep(TTL * 1000 + 600);
  await api.resetCounters();
  await page.getByTestId('refresh').click();
  await page.getByTestId('loading').waitFor({ state: 'detached' });

  const c = await api.counters();
  assert.deepEqual(count(c, DATA), { requests: 2, status: { 401: 1, 200: 1 } });
  assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } });
  const after = await storedToken(page);
  assert.ok(after && after !== before, 'a new token is stored');
  assert.equal(await rowCount(page), 300);
  assert.equal(await page.getByTestId('load-error').count(), 0);
  await page.close();
});

test('full reload after expiry: the form appears, and after login the table loads with no further click', async () => {
  allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
  const { page } = await signedInPage(browser.context, api.url);
  await sleep(TTL * 1000 + 600);
  await api.resetCounters();
  await page.reload();
  await page.getByTestId('login-form').waitFor();
  assert.match(await page.getByTestId('login-notice').innerText(), /session has expired/i);
  assert.equal(await storedToken(page), null, 'the rejected token is removed');
  await submitLogin(page);
  await page.getByTestId('data-table').waitFor();
  assert.equal(await rowCount(page), 300);
  const c = await api.counters();
  assert.deepEqual(count(c, DATA), { requests: 2, status: { 401: 1, 200: 1 } });
  assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } });
  await page.close();
});

test('wrong password: the message shows on the form, no table, no loop', async () => {
  allowBrowserErrors(EXPECTED.status(403, 'Forbidden'));
  const { page } = await freshPage(browser.context, api.url);
  await api.resetCounters();
  await submitLogin(page, EMAIL, 'not the password');
  await page.getByTestId('login-error').getByText('Invalid Credentials.').waitFor();
  await sleep(500);
  assert.equal(await page.getByTestId('data-table').count(), 0);
  assert.equal(await page.getByTestId('login-identity').inputValue(), EMAIL, 'the typed email is kept');
  const c = await api.counters();
  assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 403: 1 } });
  assert.equal(count(c, DATA).requests, 0);
  assert.equal(await storedToken(page), null);
  await page.close();
});

test('log out removes the token and shows the form', async () => {
  const { page } = await signedInPage(browser.context, api.url);
  assert.ok(await storedToken(page));
  await page.getByTestId('logout').focus();
  await page.keyboard.press('Enter');
  await page.getByTestId('login-form').waitFor();
  assert.equal(await focusedTestId(page), 'login-identity', 'the focus goes from the gone button to the form, not to the page');
  assert.equal(await storedToken(page), null);
  assert.equal(await page.getByTestId('data-table').count(), 0);
  assert.ok(!(await everythingStored(page)).includes(PASSWORD));
  await page.close();
});

test('a failed refresh keeps the last table on screen, and Retry recovers once the server is back', async () => {
  // The server is down for one refresh, then a new process (which knows no
  // token) answers the retry with a 401.
  allowBrowserErrors(EXPECTED.refused, EXPECTED.status(401, 'Unauthorized'));
  const { page } = await signedInPage(browser.context, api.url);

  const port = api.port;
  await api.stop();
  await page.getByTestId('refresh').click();
  await page.getByTestId('load-error').waitFor();
  assert.match(await page.getByTestId('load-error').innerText(), /could not reach/i);
  await page.getByTestId('stale-note').waitFor();
  assert.equal(await rowCount(page), 300, 'the last good table stays');

  // A new API process on the same port: it does not know the old token,
  // so Retry goes 401 → silent login → replay, and the table is fresh.
  api = await startApi({ ttl: TTL, port });
  await page.getByTestId('retry').click();
  await page.getByTestId('load-error').waitFor({ state: 'detached' });
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  assert.equal(await rowCount(page), 300);
  const c = await api.counters();
  assert.deepEqual(count(c, DATA), { requests: 2, status: { 401: 1, 200: 1 } });
  assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } });
  await page.close();
});

test('an answer with no rows, then a failed refresh: "No rows to show." stays, under a note that fits it', async () => {
  allowBrowserErrors(EXPECTED.status(500, 'Internal Server Error'));
  const { page } = await freshPage(browser.context, api.url);
  let down = false;
  await page.route((url) => url.pathname.startsWith('/api:data/'), (route) => route.fulfill(down
    ? { status: 500, contentType: 'application/json', body: '{"code":"ERROR_FATAL","message":"Down for a moment."}' }
    : { status: 200, contentType: 'application/json', body: '[]' }));
  await submitLogin(page);
  await page.getByTestId('empty').waitFor();
  down = true;
  await page.getByTestId('refresh').click();
  await page.getByTestId('load-error').waitFor();
  // There is no table to call stale: the words speak of what shows below.
  assert.equal(await page.getByTestId('stale-note').innerText(), 'Shown below: the last data that loaded, which may be out of date.');
  assert.equal(await page.getByTestId('empty').innerText(), 'No rows to show.', 'what loaded last stays');
  assert.equal(await page.getByTestId('data-table').count(), 0);
  await page.close();
});
