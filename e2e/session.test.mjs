// Token handling beyond a single 401: renewal ahead of expiry, tabs that
// share one session, logout everywhere, the request timeline, cancellation
// and timeouts — a real Chromium against the development API.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, openApp, freshPage, signedInPage, distWithConfig, count, LOGIN, DATA, sleep, EMAIL, PASSWORD, logIn, submitLogin, allowBrowserErrors, EXPECTED, withApi } from './support.mjs';


let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The timeline's lines that contain `text`, hidden ones included. */
function timelineLines(page, text) {
  return page.locator('[data-testid="timeline"] li', { hasText: text });
}

test('JWS tokens are renewed ahead, once: the load after the first token expired costs one request', async () => {
  // 15 s: renewal ahead needs a lifetime above 10 s (shorter ones renew at need only).
  await withApi({ ttl: 15, args: ['--token-format', 'jwt'] }, async (api) => {
    const { page } = await signedInPage(browser.context, api.url);
    const loggedInAt = Date.now();
    await api.resetCounters();
    const first = await page.evaluate(() => localStorage.getItem('authToken'));
    const countdown = await page.getByTestId('session-state').innerText();
    assert.match(countdown, /Token renews in \d+ s/);
    // The countdown is live: the text changes by itself.
    await page.waitForFunction((shown) => document.querySelector('[data-testid="session-state"]').innerText !== shown, countdown);
    // Lead = min(60 s, 20 % of 15 s) = 3 s: one renewal at ~12 s, the next at ~24 s.
    await timelineLines(page, 'renewed ahead of expiry').first().waitFor({ state: 'attached', timeout: 20_000 });
    // Past the first token's expiry, before the second renewal is due.
    await sleep(Math.max(0, loggedInAt + 15_500 - Date.now()));
    let c = await api.counters();
    assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } }, 'one renewal, not a storm');
    assert.equal(count(c, DATA).requests, 0, 'the renewal sent no data request and met no 401');
    assert.equal(await timelineLines(page, 'renewed ahead of expiry').count(), 1);
    assert.equal(await timelineLines(page, '401').count(), 0);
    const second = await page.evaluate(() => localStorage.getItem('authToken'));
    assert.ok(second && second !== first, 'the new token is stored');

    await api.resetCounters();
    await page.getByTestId('refresh').click();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    c = await api.counters();
    assert.deepEqual(count(c, DATA), { requests: 1, status: { 200: 1 } });
    assert.equal(count(c, LOGIN).requests, 0);
    await page.close();
  });
});

test('three tabs whose tokens expire together log in once, and each replays', async () => {
  await withApi({ ttl: 3 }, async (api) => {
    // Each tab's first request after expiry meets a 401 (one logs in, the
    // others adopt its token).
    allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
    const first = await freshPage(browser.context, api.url);
    const pages = [first.page];
    for (let i = 0; i < 2; i++) pages.push((await openApp(browser.context, api.url)).page);
    for (const page of pages) {
      await page.getByTestId('login-form').waitFor();
      await page.getByTestId('login-identity').fill(EMAIL);
      await page.getByTestId('login-password').fill(PASSWORD);
    }
    // All three submit at once, so each tab holds the credentials.
    await Promise.all(pages.map((p) => p.evaluate(() => document.querySelector('[data-testid="login-form"]').requestSubmit())));
    for (const page of pages) {
      await page.getByTestId('session-who').getByText(`Signed in as ${EMAIL}`).waitFor();
      await page.getByTestId('data-table').waitFor();
      await page.getByTestId('loading').waitFor({ state: 'detached' });
    }
    await sleep(3_600);
    await api.resetCounters();
    await Promise.all(pages.map((p) => p.getByTestId('refresh').click()));
    for (const page of pages) {
      await page.getByTestId('loading').waitFor({ state: 'detached' });
      assert.equal(await page.getByTestId('load-error').count(), 0);
    }
    const c = await api.counters();
    const timelines = await Promise.all(pages.map((p) => p.locator('[data-testid="timeline"] li').allTextContents()));
    assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } }, `${JSON.stringify(c)}\n${timelines.map((t) => t.slice(0, 8).join(' | ')).join('\n')}`);
    assert.equal(count(c, DATA).status[200], 3, JSON.stringify(c));
    const tokens = await Promise.all(pages.map((p) => p.evaluate(() => localStorage.getItem('authToken'))));
    assert.equal(new Set(tokens).size, 1);
    for (const page of pages) await page.close();
  });
});

test('a token stored by one tab is used by the others; logging out in one signs out all', async () => {
  await withApi({ ttl: 60 }, async (api) => {
    const a = (await freshPage(browser.context, api.url)).page;
    const b = (await openApp(browser.context, api.url)).page;
    await b.getByTestId('login-form').waitFor();
    await logIn(a);
    // B switches to the table by itself, with A's token.
    await b.getByTestId('data-table').waitFor();
    await b.locator('[data-testid="timeline"] li', { hasText: 'token adopted from another tab' }).first().waitFor({ state: 'attached' });
    await a.getByTestId('logout').click();
    await b.getByTestId('login-form').waitFor();
    assert.match(await b.getByTestId('login-notice').innerText(), /logged out in another tab/);
    assert.equal(await b.getByTestId('data-table').count(), 0);
    await a.close();
    await b.close();
  });
});

test('the request timeline shows 401 → login → replay', async () => {
  await withApi({ ttl: 2 }, async (api) => {
    allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
    const { page } = await signedInPage(browser.context, api.url);
    assert.match(await page.getByTestId('session-state').innerText(), /lifetime unknown/);
    await sleep(2_500);
    await page.getByTestId('refresh').click();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    await page.locator('[data-testid="timeline"] summary').click();
    const lines = await page.locator('[data-testid="timeline"] li').allInnerTexts();
    const story = lines.slice(0, 5).reverse().map((l) => l.replace(/^\d\d:\d\d:\d\d /, ''));
    assert.deepEqual(story, [
      'GET /api:data/customers → 401',
      'token refused (401): logging in again',
      'POST /api:auth/auth/login (no token) → 200',
      'new token stored; repeating the request',
      'GET /api:data/customers (replay) → 200',
    ]);
    // One 401 teaches no lifetime (the token may have been revoked early):
    // the bar still says the lifetime is unknown, and nothing renews ahead.
    assert.match(await page.getByTestId('session-state').innerText(), /lifetime unknown/);
    await page.close();
  });
});

test('a newer load aborts the one in flight; a slow server times out with a message and Retry', async () => {
  const site = distWithConfig({ dataUrl: '/__dev/delay?ms=3000', requestTimeoutSeconds: 1.5, devHintUrl: null });
  try {
    await withApi({ site: site.dir }, async (api) => {
      const { page } = await freshPage(browser.context, api.url);
      const aborted = [];
      page.on('requestfailed', (r) => { if (r.url().includes('/__dev/delay')) aborted.push(r.failure()?.errorText); });
      await submitLogin(page);
      await page.getByTestId('loading').waitFor();
      await page.getByTestId('refresh').click();
      const error = page.getByTestId('load-error');
      await error.waitFor({ timeout: 5_000 });
      assert.match(await error.innerText(), /did not answer within 1\.5 s/);
      assert.equal(aborted.length, 2, `the superseded load and the timed-out one were aborted: ${aborted}`);
      assert.ok(aborted.every((e) => /ABORTED/i.test(e ?? '')), String(aborted));
      await page.getByTestId('retry').waitFor();
      await page.close();
    });
  } finally {
    site.remove();
  }
});

test('a hidden tab does not renew; becoming visible re-checks by the wall clock and renews', async () => {
  await withApi({ ttl: 12, args: ['--token-format', 'jwt'] }, async (api) => {
    const { page } = await signedInPage(browser.context, api.url);
    // The tab goes to the background before the renewal time (9.6 s): both properties, as a
    // hidden tab has them (the app reads `document.hidden`).
    const visibility = (hidden) => {
      Object.defineProperty(document, 'hidden', { value: hidden, configurable: true });
      Object.defineProperty(document, 'visibilityState', { value: hidden ? 'hidden' : 'visible', configurable: true });
    };
    await page.evaluate(`(${visibility})(true)`);
    await api.resetCounters();
    await sleep(10_500);
    assert.equal(count(await api.counters(), LOGIN).requests, 0, 'no renewal while hidden');
    await page.evaluate(`(${visibility})(false); document.dispatchEvent(new Event('visibilitychange', { bubbles: true }));`);
    await page.locator('[data-testid="timeline"] li', { hasText: 'renewed ahead of expiry' }).first().waitFor({ state: 'attached', timeout: 3_000 });
    assert.deepEqual(count(await api.counters(), LOGIN), { requests: 1, status: { 200: 1 } });
    await page.close();
  });
});

async function inject(api, fault) {
  const r = await fetch(`${api.url}/__dev/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault),
  });
  assert.equal(r.status, 200, await r.text());
}

test('logging out aborts the load in flight', async () => {
  await withApi({ ttl: 60, args: ['--faults'] }, async (api) => {
    const { page } = await signedInPage(browser.context, api.url);
    const failed = [];
    const finished = [];
    page.on('requestfailed', (r) => { if (r.url().includes('/api:data/')) failed.push(r.failure()?.errorText); });
    page.on('requestfinished', (r) => { if (r.url().includes('/api:data/')) finished.push(r.url()); });
    await inject(api, { endpoint: DATA, fault: 'latency', latency_ms: 2_000, count: 1 });
    await page.getByTestId('refresh').click();
    await page.getByTestId('loading').waitFor();
    await page.getByTestId('logout').click();
    await page.getByTestId('login-form').waitFor();
    await sleep(2_500); // an answer the page still waited for would have arrived
    assert.deepEqual(failed, ['net::ERR_ABORTED'], 'the fetch was aborted');
    assert.deepEqual(finished, [], 'no answer was read');
    assert.equal(await page.getByTestId('data-table').count(), 0);
    await page.close();
  });
});

test('another user logging in never sees the previous user\'s rows', async () => {
  await withApi({ ttl: 60, args: ['--faults'] }, async (api) => {
    const other = { name: 'Other User', email: 'other@tokengrid.dev', password: 'other-password' };
    const signup = await fetch(`${api.url}/api:auth/auth/signup`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(other),
    });
    assert.equal(signup.status, 200, await signup.text());
    // The data request and its replay are both refused: the replay refused
    // again sends the user to the form, with the rows still in memory.
    allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
    const { page } = await signedInPage(browser.context, api.url);
    await inject(api, { endpoint: DATA, fault: 'revoke', count: 2 });
    await page.getByTestId('refresh').click();
    await page.getByTestId('login-form').waitFor();

    // Another person logs in on the same page; their load is slow.
    await inject(api, { endpoint: DATA, fault: 'latency', latency_ms: 1_500, count: 1 });
    await submitLogin(page, other.email, other.password);
    await page.getByTestId('loading').waitFor();
    assert.equal(await page.locator('[data-testid="data-table"] tbody tr').count(), 0, 'no rows of the previous user');
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    await page.getByTestId('session-who').getByText(`Signed in as ${other.email}`).waitFor();
    assert.equal(await page.locator('[data-testid="data-table"] tbody tr').count(), 25, 'their own rows once loaded');
    await page.close();
  });
});
