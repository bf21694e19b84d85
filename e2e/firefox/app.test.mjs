// The mission in Firefox: the release build against the development API
// (2 s tokens) — log in, data on open with a stored token, and an expired
// token's 401 → silent login → replay; the API's counters prove what crossed
// the wire.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startApi, launchFirefox, freshPage, signedInPage, count, LOGIN, DATA, sleep, EMAIL, PASSWORD,
  everythingStored, submitLogin, waitFor, waitForText, textOf, howMany, click, rowCount, storedToken,
  timeline, refresh, byTestId,
} from './support.mjs';

const TTL = 2;

let api;
let firefox;
before(async () => {
  api = await startApi({ ttl: TTL });
  firefox = await launchFirefox();
});
after(async () => {
  await firefox?.close();
  await api?.stop();
});

test('Firefox: log in through the form, see the rows; the token is stored and the password is not', async () => {
  const { page } = await freshPage(firefox.browser, api.url);
  await waitForText(page, byTestId('login-hint'), EMAIL);
  await api.resetCounters();
  await submitLogin(page);
  await waitFor(page, 'data-table');
  assert.equal(await rowCount(page), 300);
  assert.equal(await howMany(page, `${byTestId('data-table')} tbody tr`), 25, 'one page of 25');
  assert.match(await textOf(page, 'data-table'), /Created at/);
  const token = await storedToken(page);
  assert.ok(token && token.split('.').length === 5, `stored token looks like a JWE: ${token}`);
  const stored = await everythingStored(page);
  assert.ok(!stored.includes(PASSWORD), `password must not be stored:\n${stored}`);
  const c = await api.counters();
  assert.deepEqual([count(c, LOGIN).requests, count(c, DATA).requests], [1, 1]);
});

test('Firefox: reload with a valid token: the table loads straight away, no form', async () => {
  const { page } = await signedInPage(firefox.browser, api.url);
  await api.resetCounters();
  await page.reload();
  await waitFor(page, 'data-table');
  await waitFor(page, 'loading', { state: 'detached' });
  assert.equal(await howMany(page, byTestId('login-form')), 0);
  assert.equal(await rowCount(page), 300);
  const c = await api.counters();
  assert.deepEqual(count(c, DATA), { requests: 1, status: { 200: 1 } });
  assert.equal(count(c, LOGIN).requests, 0, 'no login: the stored token is used');
});

test('Firefox: after expiry, a refresh costs exactly one 401, one login and one replay, as the timeline tells', async () => {
  // Firefox logs no console error for an HTTP error answer to a fetch
  // (Chromium logs "Failed to load resource"): nothing to allow here.
  const { page } = await signedInPage(firefox.browser, api.url);
  const before = await storedToken(page);

  await sleep(TTL * 1000 + 600);
  await api.resetCounters();
  await refresh(page);

  const c = await api.counters();
  assert.deepEqual(count(c, DATA), { requests: 2, status: { 401: 1, 200: 1 } });
  assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } });
  const after = await storedToken(page);
  assert.ok(after && after !== before, 'a new token is stored');
  assert.equal(await rowCount(page), 300);
  assert.equal(await howMany(page, byTestId('load-error')), 0);
  const story = (await timeline(page)).slice(0, 5).reverse().map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''));
  assert.deepEqual(story, [
    'GET /api:data/customers → 401',
    'token refused (401): logging in again',
    'POST /api:auth/auth/login (no token) → 200',
    'new token stored; repeating the request',
    'GET /api:data/customers (replay) → 200',
  ]);
});

test('Firefox: full reload after expiry: the form appears, and after login the table loads with no further click', async () => {
  const { page } = await signedInPage(firefox.browser, api.url);
  await sleep(TTL * 1000 + 600);
  await api.resetCounters();
  await page.reload();
  await waitFor(page, 'login-form');
  assert.match(await textOf(page, 'login-notice'), /session has expired/i);
  assert.equal(await storedToken(page), null, 'the rejected token is removed');
  await submitLogin(page);
  await waitFor(page, 'data-table');
  await waitFor(page, 'loading', { state: 'detached' });
  assert.equal(await rowCount(page), 300);
  const c = await api.counters();
  assert.deepEqual(count(c, DATA), { requests: 2, status: { 401: 1, 200: 1 } });
  assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } });
});

test('Firefox: wrong password: the message shows on the form, no table, no loop', async () => {
  const { page } = await freshPage(firefox.browser, api.url);
  await api.resetCounters();
  await submitLogin(page, EMAIL, 'not the password');
  await waitForText(page, byTestId('login-error'), 'Invalid Credentials.');
  await sleep(500);
  assert.equal(await howMany(page, byTestId('data-table')), 0);
  assert.equal(await page.$eval(byTestId('login-identity'), (e) => e.value), EMAIL, 'the typed email is kept');
  const c = await api.counters();
  assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 403: 1 } });
  assert.equal(count(c, DATA).requests, 0);
  assert.equal(await storedToken(page), null);
});

test('Firefox: log out removes the token and shows the form', async () => {
  const { page } = await signedInPage(firefox.browser, api.url);
  assert.ok(await storedToken(page));
  await click(page, 'logout');
  await waitFor(page, 'login-form');
  assert.equal(await storedToken(page), null);
  assert.equal(await howMany(page, byTestId('data-table')), 0);
  assert.ok(!(await everythingStored(page)).includes(PASSWORD));
});
