// Refresh tokens end to end: the release build, configured with a refreshUrl,
// against the development API in refresh mode (`--refresh-tokens`: rotation,
// and a spent refresh token revokes its whole family). A reload after expiry
// shows the table through the kept refresh token, three tabs sharing a
// rotating refresh token in localStorage send it once per expiry and never
// have one refused, and logging out forgets it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchBrowser, withApi, freshPage, openApp, logIn, count, sleep, distWithConfig,
  allowBrowserErrors, everythingStored, EXPECTED, LOGIN, DATA, PASSWORD,
} from './support.mjs';

const REFRESH = 'POST /api:auth/auth/refresh';
const TTL = 3;

let browser;
const sites = {};
before(async () => {
  browser = await launchBrowser();
  for (const kept of ['memory', 'session', 'local']) {
    sites[kept] = distWithConfig({ refreshUrl: '/api:auth/auth/refresh', refreshTokenStorage: kept });
  }
});
after(async () => {
  await browser?.close();
  for (const site of Object.values(sites)) site.remove();
});

const refreshApi = (kept, body) => withApi({ ttl: TTL, args: ['--refresh-tokens'], site: sites[kept].dir }, body);

/** Where the page keeps the refresh token: [localStorage, sessionStorage] entries. */
const keptRefresh = (page) => page.evaluate(() => [localStorage.getItem('authToken.refresh'), sessionStorage.getItem('authToken.refresh')]);

async function tableShown(page) {
  await page.getByTestId('data-table').waitFor();
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('login-form').count(), 0, 'no form');
  assert.equal(await page.getByTestId('load-error').count(), 0, 'no error');
}

test('a reload after the token expired shows the table through the refresh token, without the form', async () => {
  await refreshApi('session', async (api) => {
    // The expired token's first use is refused; the refresh renews it.
    allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
    const { page } = await freshPage(browser.context, api.url);
    await logIn(page);
    const [inLocal, inSession] = await keptRefresh(page);
    assert.equal(inLocal, null, 'not in localStorage');
    assert.ok(JSON.parse(inSession).token, 'a JSON record in sessionStorage');
    await sleep(TTL * 1000 + 600);
    await api.resetCounters();
    await page.reload();
    await tableShown(page);
    const c = await api.counters();
    assert.deepEqual(count(c, REFRESH), { requests: 1, status: { 200: 1 } }, JSON.stringify(c));
    assert.deepEqual(count(c, LOGIN), { requests: 0, status: {} }, 'no password after a reload');
    assert.deepEqual(count(c, DATA), { requests: 2, status: { 200: 1, 401: 1 } }, JSON.stringify(c));
    const [, rotated] = await keptRefresh(page);
    assert.notEqual(JSON.parse(rotated).token, JSON.parse(inSession).token, 'rotated');
    assert.ok(!(await everythingStored(page)).includes(PASSWORD), 'the password is never stored');
    await page.close();
  });
});

test('a refresh token kept in memory is gone after a reload: the expired session needs the form', async () => {
  await refreshApi('memory', async (api) => {
    allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
    const { page } = await freshPage(browser.context, api.url);
    await logIn(page);
    assert.deepEqual(await keptRefresh(page), [null, null], 'in no storage');
    await sleep(TTL * 1000 + 600);
    await api.resetCounters();
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    const c = await api.counters();
    assert.deepEqual(count(c, REFRESH), { requests: 0, status: {} });
    await page.close();
  });
});

test('three tabs sharing a rotating refresh token in localStorage refresh once per expiry, never refused', async () => {
  await refreshApi('local', async (api) => {
    // Each tab's first request after expiry meets a 401 (one refreshes, the
    // others adopt its token).
    allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
    const first = await freshPage(browser.context, api.url);
    await logIn(first.page);
    const [shared] = await keptRefresh(first.page);
    assert.ok(JSON.parse(shared).token, 'a JSON record in localStorage');
    // Two more tabs open on the stored token: they hold no password.
    const pages = [first.page];
    for (let i = 0; i < 2; i++) {
      const { page } = await openApp(browser.context, api.url);
      await tableShown(page);
      pages.push(page);
    }
    for (let expiry = 1; expiry <= 2; expiry++) {
      await sleep(TTL * 1000 + 600);
      await api.resetCounters();
      await Promise.all(pages.map((p) => p.getByTestId('refresh').click()));
      for (const page of pages) await tableShown(page);
      const c = await api.counters();
      const timelines = await Promise.all(pages.map((p) => p.locator('[data-testid="timeline"] li').allTextContents()));
      const why = `${JSON.stringify(c)}\n${timelines.map((t) => t.slice(0, 8).join(' | ')).join('\n')}`;
      assert.deepEqual(count(c, REFRESH), { requests: 1, status: { 200: 1 } }, `expiry ${expiry}: ${why}`);
      assert.deepEqual(count(c, LOGIN), { requests: 0, status: {} }, `expiry ${expiry}: ${why}`);
      assert.equal(count(c, DATA).status[200], 3, `expiry ${expiry}: ${why}`);
      const tokens = await Promise.all(pages.map((p) => p.evaluate(() => localStorage.getItem('authToken'))));
      assert.equal(new Set(tokens).size, 1, 'one token for all tabs');
    }
    // Logging out in one tab forgets the refresh token for all.
    await pages[1].getByTestId('logout').click();
    await pages[1].getByTestId('login-form').waitFor();
    for (const page of pages) await page.getByTestId('login-form').waitFor();
    for (const page of pages) assert.deepEqual(await keptRefresh(page), [null, null]);
    for (const page of pages) await page.close();
  });
});

test('logging out forgets a refresh token kept in sessionStorage', async () => {
  await refreshApi('session', async (api) => {
    const { page } = await freshPage(browser.context, api.url);
    await logIn(page);
    assert.ok((await keptRefresh(page))[1]);
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    assert.deepEqual(await keptRefresh(page), [null, null]);
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    await page.close();
  });
});
