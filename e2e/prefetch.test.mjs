// The first data request leaves before the wasm is there: index.html's inline
// script sends it, and the client takes that exchange over. A real Chromium
// drives the release build against the development API, whose counters prove
// what crossed the wire; the page's performance marks say who sent it (the
// script runs while the page is parsed, before the app's module can run).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startApi, launchBrowser, freshPage, signedInPage, count, LOGIN, DATA, EMAIL, PASSWORD,
  allowBrowserErrors, EXPECTED, distWithConfig,
} from './support.mjs';

let api;
let browser;
before(async () => {
  api = await startApi({ ttl: 60 });
  browser = await launchBrowser();
});
after(async () => {
  await browser?.close();
  await api?.stop();
});

/** Records the data requests the page sends: URL and Authorization header. */
function recordDataRequests(page) {
  const sent = [];
  page.on('request', async (request) => {
    if (!request.url().includes('/api:data/')) return;
    const entry = { url: request.url() };
    sent.push(entry);
    entry.authorization = (await request.allHeaders()).authorization ?? null;
  });
  return sent;
}

/** The page's tokengrid performance marks, in order, and what the script left on the window. */
function marks(page) {
  return page.evaluate(() => ({
    marks: performance.getEntriesByType('mark').map((m) => m.name).filter((n) => n.startsWith('tokengrid:')),
    left: typeof window.tokengridPrefetch,
  }));
}

/** A token for the demo account, from the API's login endpoint. */
async function demoToken(base) {
  const r = await fetch(`${base}/api:auth/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  assert.equal(r.status, 200);
  return (await r.json()).authToken;
}

async function tableLoaded(page) {
  await page.getByTestId('data-table').waitFor();
  await page.getByTestId('loading').waitFor({ state: 'detached' });
}

test('a page load with a stored token sends one data request, with the bearer, before the wasm runs', async () => {
  const { page } = await signedInPage(browser.context, api.url);
  const token = await page.evaluate(() => localStorage.getItem('authToken'));
  const sent = recordDataRequests(page);
  await api.resetCounters();
  await page.reload();
  await tableLoaded(page);
  const c = await api.counters();
  assert.deepEqual(count(c, DATA), { requests: 1, status: { 200: 1 } }, 'one data request, not two');
  assert.equal(count(c, LOGIN).requests, 0);
  assert.deepEqual(sent, [{ url: `${api.url}/api:data/customers`, authorization: `Bearer ${token}` }]);
  const { marks: order, left } = await marks(page);
  assert.deepEqual(
    order.filter((n) => n !== 'tokengrid:first-row' && n !== 'tokengrid:app-row'),
    ['tokengrid:data-sent', 'tokengrid:wasm-ready', 'tokengrid:data-received'],
    'sent by the script, taken over by the app',
  );
  assert.equal(left, 'undefined', 'the app took the exchange off the window');
  await page.close();
});

test('the prefetched request appears in the timeline as the client\'s own', async () => {
  const { page } = await signedInPage(browser.context, api.url);
  await page.reload();
  await tableLoaded(page);
  const lines = await page.locator('[data-testid="timeline"] li').allTextContents();
  assert.equal(lines.length, 1, `one entry: ${JSON.stringify(lines)}`);
  assert.match(lines[0], /GET \/api:data\/customers → 200/);
  assert.doesNotMatch(lines[0], /no token/);
  await page.close();
});

test('an expired JWS, a malformed stored token or none: the script sends nothing, and neither does the app', async () => {
  const { page } = await freshPage(browser.context, api.url);
  // {"exp":1700000000}: long past, beyond the five seconds allowed for clock skew.
  const expired = 'e30.eyJleHAiOjE3MDAwMDAwMDB9.c2ln';
  for (const [what, value, notice] of [
    ['an expired JWS', expired, /session has expired/],
    ['a malformed token', 'garbage with spaces', null],
    ['a placeholder', 'null', null],
    ['no token', null, null],
  ]) {
    await page.evaluate((v) => (v === null ? localStorage.clear() : localStorage.setItem('authToken', v)), value);
    await api.resetCounters();
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    assert.equal(count(await api.counters(), DATA).requests, 0, `no data request with ${what}`);
    assert.deepEqual(await marks(page), { marks: ['tokengrid:wasm-ready'], left: 'undefined' }, what);
    if (notice) assert.match(await page.getByTestId('login-notice').innerText(), notice, what);
    else assert.equal(await page.getByTestId('login-notice').count(), 0, what);
  }
  await page.close();
});

test('a prefetched 401 leads to the form with its notice, and no second data request', async () => {
  allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
  const { page } = await freshPage(browser.context, api.url);
  // A token in form that the API does not know.
  await page.evaluate(() => localStorage.setItem('authToken', 'not-a-token-this-api-issued'));
  await api.resetCounters();
  await page.reload();
  await page.getByTestId('login-form').waitFor();
  assert.match(await page.getByTestId('login-notice').innerText(), /session has expired/);
  const c = await api.counters();
  assert.deepEqual(count(c, DATA), { requests: 1, status: { 401: 1 } });
  assert.equal(count(c, LOGIN).requests, 0, 'no credentials in a freshly loaded page: no login');
  const { marks: order } = await marks(page);
  assert.deepEqual(order, ['tokengrid:data-sent', 'tokengrid:wasm-ready', 'tokengrid:data-received'], 'the 401 was the prefetch');
  assert.equal(await page.evaluate(() => localStorage.getItem('authToken')), null, 'the refused token is forgotten');
  const lines = await page.locator('[data-testid="timeline"] li').allTextContents();
  assert.equal(lines.filter((l) => l.includes('GET /api:data/customers')).length, 1, JSON.stringify(lines));
  await page.close();
});

test('the configuration edited in a built dist/ changes what the script requests', async () => {
  const site = distWithConfig({ dataUrl: '/api:data/customers?page=2&per_page=10', storageKey: 'tg.session' });
  const edited = await startApi({ ttl: 60, site: site.dir });
  try {
    const { page } = await freshPage(browser.context, edited.url);
    const token = await demoToken(edited.url);
    await page.evaluate((t) => { localStorage.setItem('tg.session', t); localStorage.setItem('authToken', 'not-this-one'); }, token);
    const sent = recordDataRequests(page);
    await edited.resetCounters();
    await page.reload();
    await tableLoaded(page);
    assert.deepEqual(sent, [{ url: `${edited.url}/api:data/customers?page=2&per_page=10`, authorization: `Bearer ${token}` }]);
    assert.equal(count(await edited.counters(), DATA).requests, 1);
    const { marks: order } = await marks(page);
    assert.equal(order[0], 'tokengrid:data-sent', 'sent by the script, with no rebuild');
    await page.close();
  } finally {
    await edited.stop();
    site.remove();
  }
});

/** Holds the app's wasm until `release()` is called: the script has run, the app has not. */
async function holdWasm(page) {
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route('**/*_bg.wasm', async (route) => { await released; await route.continue(); });
  return release;
}

/** Resolves with the first data request the page sends. */
function firstDataRequest(page) {
  return new Promise((resolve) => {
    const seen = (request) => {
      if (!request.url().includes('/api:data/')) return;
      page.off('request', seen);
      resolve(request);
    };
    page.on('request', seen);
  });
}

test('a prefetch that failed before the app came is forgotten: the app sends its own request', async () => {
  allowBrowserErrors(/^console: Failed to load resource: net::ERR_FAILED$/);
  const { page } = await signedInPage(browser.context, api.url);
  const release = await holdWasm(page);
  // The prefetch meets a network error; any later data request goes through.
  let refused = 0;
  await page.route('**/api:data/**', (route) => (refused++ === 0 ? route.abort('failed') : route.continue()));
  const failed = new Promise((resolve) => page.once('requestfailed', resolve));
  await api.resetCounters();
  await page.reload({ waitUntil: 'commit' });
  await failed;
  release();
  await tableLoaded(page);
  assert.equal(refused, 2, 'the prefetch, then the app\'s own request');
  assert.deepEqual(count(await api.counters(), DATA), { requests: 1, status: { 200: 1 } });
  const lines = await page.locator('[data-testid="timeline"] li').allTextContents();
  assert.equal(lines.length, 1, `the app saw one request: ${JSON.stringify(lines)}`);
  assert.match(lines[0], /GET \/api:data\/customers → 200/);
  await page.close();
});

test('a prefetch that is not the app\'s first request is aborted, and the app sends its own', async () => {
  await withFaults(async (faulty) => {
    const { page } = await signedInPage(browser.context, faulty.url);
    const release = await holdWasm(page);
    // The prefetch stays in flight until it is aborted.
    await inject(faulty, { endpoint: DATA, fault: 'latency', latency_ms: 30_000, count: 1 });
    const failures = [];
    page.on('requestfailed', (r) => { if (r.url().includes('/api:data/')) failures.push(r.failure()?.errorText); });
    const prefetch = firstDataRequest(page);
    await page.reload({ waitUntil: 'commit' });
    const first = await prefetch;
    // Another token arrives before the app runs (another tab logged in, say):
    // the app's first request carries it, so it is not the prefetched one.
    const token = await demoToken(faulty.url);
    await page.evaluate((t) => localStorage.setItem('authToken', t), token);
    const own = firstDataRequest(page);
    release();
    const second = await own;
    await tableLoaded(page);
    assert.notEqual((await first.allHeaders()).authorization, `Bearer ${token}`);
    assert.equal((await second.allHeaders()).authorization, `Bearer ${token}`);
    assert.deepEqual(failures, ['net::ERR_ABORTED'], 'the prefetch was aborted, not left running');
    const lines = await page.locator('[data-testid="timeline"] li').allTextContents();
    assert.equal(lines.length, 1, `the app saw one request: ${JSON.stringify(lines)}`);
    await page.close();
  });
});

async function withFaults(body) {
  const faulty = await startApi({ ttl: 60, args: ['--faults'] });
  try {
    await body(faulty);
  } finally {
    await faulty.stop();
  }
}

async function inject(target, fault) {
  const r = await fetch(`${target.url}/__dev/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault),
  });
  assert.equal(r.status, 200, await r.text());
}
