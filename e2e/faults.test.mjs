// Faults, end to end: the development API misbehaves on purpose (--faults),
// and the page says what went wrong and what to do, keeps the last good
// table (marked stale), never loops (the API's counters bound the requests
// per user action) and recovers by itself or with one click.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, freshPage, signedInPage, distWithConfig, count, LOGIN, DATA, sleep, EMAIL, submitLogin, allowBrowserErrors, EXPECTED } from './support.mjs';


let browser;
let api;
let site;
before(async () => {
  browser = await launchBrowser();
  // The tokens' lifetime is configured, so renewal ahead follows it and
  // the tests count only the requests their faults provoke.
  site = distWithConfig({ tokenLifetimeSeconds: 60 });
  api = await startApi({ ttl: 60, args: ['--faults'], site: site.dir });
});
after(async () => {
  await browser?.close();
  await api?.stop();
  site?.remove();
});

async function inject(server, fault) {
  const r = await fetch(`${server.url}/__dev/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault),
  });
  assert.equal(r.status, 200, await r.text());
}

async function clearFaults(server) {
  await fetch(`${server.url}/__dev/faults`, { method: 'DELETE' });
}

/** A fresh page logged in with the table loaded, no faults; counters reset after. */
async function loaded(server = api) {
  await clearFaults(server);
  const opened = await signedInPage(browser.context, server.url);
  await server.resetCounters();
  return opened;
}

async function refreshFails(page) {
  await page.getByTestId('refresh').click();
  const error = page.getByTestId('load-error');
  await error.waitFor();
  await page.getByTestId('stale-note').waitFor();
  assert.equal(await page.getByTestId('data-table').count(), 1, 'the last good table stays');
  return error.innerText();
}

async function recovered(page) {
  await page.getByTestId('load-error').waitFor({ state: 'detached', timeout: 10_000 });
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('stale-note').count(), 0);
}

test('500 with Xano\'s ERROR_FATAL body: the message as text, the table kept, one request, Retry recovers', async () => {
  allowBrowserErrors(EXPECTED.status(500, 'Internal Server Error'));
  const { page } = await loaded();
  await inject(api, { endpoint: DATA, fault: 'error500', count: 1 });
  const message = await refreshFails(page);
  assert.match(message, /HTTP 500 \(Internal Server Error\): An unexpected error occurred\. <img src=x onerror=alert\(1\)>/);
  assert.equal(await page.locator('[data-testid="load-error"] img').count(), 0, 'the markup is text');
  await sleep(2_500);
  assert.deepEqual(count(await api.counters(), DATA), { requests: 1, status: { 500: 1 } }, 'no automatic retry of a 500');
  await page.getByTestId('retry').click();
  await recovered(page);
  await page.close();
});

test('502 with an HTML proxy page: summarised by its title, retried by itself once the proxy is back', async () => {
  allowBrowserErrors(EXPECTED.status(502, 'Bad Gateway'));
  const { page } = await loaded();
  await inject(api, { endpoint: DATA, fault: 'proxy502', count: 1 });
  const message = await refreshFails(page);
  assert.match(message, /HTTP 502 \(Bad Gateway\) with an HTML page: “502 Bad Gateway”/);
  assert.match(await page.getByTestId('retry-countdown').innerText(), /Trying again by itself in \d s/);
  await recovered(page);
  assert.deepEqual(count(await api.counters(), DATA), { requests: 2, status: { 502: 1, 200: 1 } });
  await page.close();
});

test('429 with Retry-After: shows the wait, waits, retries once', async () => {
  allowBrowserErrors(EXPECTED.status(429, 'Too Many Requests'));
  const { page } = await loaded();
  await inject(api, { endpoint: DATA, fault: 'rate429', count: 2, retry_after: 2 });
  const message = await refreshFails(page);
  assert.match(message, /rate limiting requests \(Whoa there!.*\)\. It asks to wait 2 s/);
  assert.match(await page.getByTestId('retry-countdown').innerText(), /in [12] s/);
  await sleep(3_000);
  // The retry met the second 429: once is enough, the user decides now.
  await page.getByTestId('load-error').waitFor();
  assert.equal(await page.getByTestId('retry-countdown').count(), 0);
  assert.deepEqual(count(await api.counters(), DATA), { requests: 2, status: { 429: 2 } });
  await page.getByTestId('retry').click();
  await recovered(page);
  await page.close();
});

for (const [fault, pattern] of [
  ['empty200', /could not be read: HTTP 200 with an empty body, where JSON was expected/],
  ['malformed', /could not be read: it is not valid JSON/],
]) {
  test(`a ${fault} answer: a readable message, the table kept, one request, Retry recovers`, async () => {
    const { page } = await loaded();
    await inject(api, { endpoint: DATA, fault, count: 1 });
    assert.match(await refreshFails(page), pattern);
    assert.equal(count(await api.counters(), DATA).requests, 1);
    await page.getByTestId('retry').click();
    await recovered(page);
    await page.close();
  });
}

test('a dropped connection: "could not reach", retried by itself', async () => {
  allowBrowserErrors(EXPECTED.emptyResponse);
  const { page } = await loaded();
  await inject(api, { endpoint: DATA, fault: 'drop', count: 1 });
  assert.match(await refreshFails(page), /Could not reach/);
  await recovered(page);
  assert.equal(count(await api.counters(), DATA).requests, 2);
  await page.close();
});

test('a load waiting to retry goes at once when the browser comes back online', async () => {
  allowBrowserErrors(EXPECTED.emptyResponse);
  // A browser of its own: a Playwright clock belongs to the whole context.
  const own = await launchBrowser();
  try {
    await own.context.clock.install();
    await clearFaults(api);
    const { page } = await signedInPage(own.context, api.url);
    // From now on the page's clock stands still, so no retry timer can
    // fire: only the online event can send the retry.
    await own.context.clock.pauseAt((await page.evaluate(() => Date.now())) + 500);
    await api.resetCounters();
    await inject(api, { endpoint: DATA, fault: 'drop', count: 1 });
    assert.match(await refreshFails(page), /Could not reach/);
    await page.getByTestId('retry-countdown').waitFor();
    assert.equal(count(await api.counters(), DATA).requests, 1);
    await page.evaluate(() => window.dispatchEvent(new Event('online')));
    await recovered(page);
    assert.deepEqual(count(await api.counters(), DATA), { requests: 2, status: { 0: 1, 200: 1 } });
    await page.close();
  } finally {
    await own.close();
  }
});

test('latency below the timeout: the loading state shows, then the table; one request', async () => {
  const { page } = await loaded();
  await inject(api, { endpoint: DATA, fault: 'latency', latency_ms: 1_500, count: 1 });
  await page.getByTestId('refresh').click();
  await page.getByTestId('loading').waitFor();
  await page.getByTestId('loading').waitFor({ state: 'detached', timeout: 5_000 });
  assert.equal(await page.getByTestId('load-error').count(), 0);
  assert.equal(count(await api.counters(), DATA).requests, 1);
  await page.close();
});

test('a token revoked before its expiry: one 401, a silent login, one replay', async () => {
  allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
  const { page } = await loaded();
  await fetch(`${api.url}/__dev/revoke`, { method: 'POST' });
  await page.getByTestId('refresh').click();
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  assert.equal(await page.getByTestId('load-error').count(), 0);
  const c = await api.counters();
  assert.deepEqual(count(c, DATA), { requests: 2, status: { 401: 1, 200: 1 } });
  assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } });
  await page.close();
});

for (const [fault, pattern] of [
  ['no_token', /The login response has no token at `authToken`\. Check the `tokenPath` setting \(fields present: `user`\)/],
  ['non_string_token', /The login response's `authToken` is a number, not a token/],
]) {
  test(`a login answer with ${fault}: named, no loop`, async () => {
    allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
    const { page } = await loaded();
    await fetch(`${api.url}/__dev/revoke`, { method: 'POST' });
    await inject(api, { endpoint: LOGIN, fault, count: 1 });
    assert.match(await refreshFails(page), pattern);
    const c = await api.counters();
    const story = async () => `${JSON.stringify(c)}\n${(await page.locator('[data-testid="timeline"] li').allTextContents()).join('\n')}`;
    assert.deepEqual(count(c, DATA), { requests: 1, status: { 401: 1 } }, await story());
    assert.equal(count(c, LOGIN).requests, 1, await story());
    await page.getByTestId('retry').click();
    await recovered(page);
    await page.close();
  });
}

test('the server is down when the page opens, then comes up: the page recovers without a reload', async () => {
  // The page is served by one process; its API is another origin that is
  // down at first. Both accept each other's HS256 tokens.
  const jwt = ['--token-format', 'jwt', '--jwt-secret', 'e2e-faults-secret-0123456789abcdef'];
  allowBrowserErrors(EXPECTED.refused);
  let backend = await startApi({ ttl: 300, args: [...jwt, '--faults'] });
  const port = backend.port;
  const site = distWithConfig({
    loginUrl: `${backend.url}/api:auth/auth/login`, dataUrl: `${backend.url}/api:data/customers`, devHintUrl: null,
  });
  const front = await startApi({ site: site.dir, args: jwt });
  try {
    const { page } = await freshPage(browser.context, front.url);
    await submitLogin(page);
    await page.getByTestId('data-table').waitFor();
    await backend.stop();
    await page.reload();
    const error = page.getByTestId('load-error');
    await error.waitFor();
    assert.match(await error.innerText(), /Could not reach/);
    await page.getByTestId('retry-countdown').waitFor();
    backend = await startApi({ ttl: 300, port, args: jwt });
    await page.getByTestId('data-table').waitFor({ timeout: 15_000 });
    await error.waitFor({ state: 'detached' });
    await page.close();
  } finally {
    await front.stop();
    await backend.stop();
    site.remove();
  }
});

test('the login rate limit answers 429 like Xano: the form says to wait, and its button counts the wait down and sends nothing meanwhile', async () => {
  allowBrowserErrors(EXPECTED.status(403, 'Forbidden'), EXPECTED.status(429, 'Too Many Requests'));
  const limited = await startApi({ args: ['--login-rate-limit', '2', '--login-rate-window', '20'] });
  try {
    const { page } = await freshPage(browser.context, limited.url);
    const button = page.getByTestId('login-submit');
    for (let i = 0; i < 3; i++) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api:auth/auth/login'));
      await submitLogin(page, EMAIL, `wrong ${i}`);
      await answered;
      await page.waitForFunction(() => document.querySelector('[data-testid=login-submit]').textContent !== 'Logging in…');
      if (i < 2) {
        assert.equal(await button.innerText(), 'Log in');
        assert.ok(await button.isEnabled(), 'after a refusal the form can be sent again');
        assert.equal(await page.getByTestId('login-error').innerText(), 'Invalid Credentials.');
      }
    }
    const message = await page.getByTestId('login-error').innerText();
    const [, wait] = message.match(/rate limiting requests \(Whoa there!.*\)\. It asks to wait (\d+) s/) ?? [];
    assert.ok(wait, message);
    assert.match(await button.innerText(), /^Log in again in \d+ s$/);
    assert.ok(Number((await button.innerText()).match(/\d+/)[0]) <= Number(wait), 'the count starts at the wait asked');
    assert.equal(await button.getAttribute('aria-disabled'), 'true');
    await page.getByTestId('login-password').focus();
    await page.keyboard.press('Enter');
    await page.waitForTimeout(300);
    assert.deepEqual(count(await limited.counters(), LOGIN).status, { 403: 2, 429: 1 }, 'nothing sent while it waits');
    await page.close();
  } finally {
    await limited.stop();
  }
});

test('a server whose every token fails first with 503 and then with 401: one Refresh sends six data requests at most, then waits for the user', async () => {
  allowBrowserErrors(EXPECTED.status(503, 'Service Unavailable'), EXPECTED.status(401, 'Unauthorized'));
  const { page } = await loaded();
  await inject(api, { endpoint: DATA, fault: 'revoke503', probability: 1 });
  await page.getByTestId('refresh').click();
  // Each automatic retry meets a 401, logs in silently and replays into the
  // next 503: tries of two requests, until the action's budget is spent.
  await page.getByTestId('retry-countdown').waitFor();
  // Done when an error shows with neither a countdown nor a load in flight.
  await page.waitForFunction(() => ['load-error', 'retry-countdown', 'loading']
    .map((id) => document.querySelector(`[data-testid="${id}"]`) !== null)
    .join() === 'true,false,false', null, { timeout: 40_000 });
  const message = await page.getByTestId('load-error').innerText();
  assert.match(message, /The session is renewed, but the request was not repeated automatically/, message);
  assert.equal(await page.getByTestId('data-table').count(), 1, 'the last good table stays');
  // A realistic idle window after the action: nothing more is sent.
  await sleep(5_000);
  const counters = await api.counters();
  assert.deepEqual(count(counters, DATA), { requests: 6, status: { 401: 3, 503: 3 } });
  assert.equal(count(counters, LOGIN).requests, 3, 'one silent login per 401');
  await clearFaults(api);
  await page.getByTestId('retry').click();
  await recovered(page);
  await page.close();
});
