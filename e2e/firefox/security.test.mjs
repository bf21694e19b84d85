// The Content-Security-Policy in Firefox: the built page's strict policy
// holds through a whole session with no violation, and a violation would be
// seen (Firefox reports it as a `securitypolicyviolation` event and as an
// error line of its own) — so the suite's "no violation" means something.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startApi, launchFirefox, freshPage, signedInPage, count, LOGIN, sleep, PASSWORD, everythingStored, logIn,
  waitFor, click, refresh, allowBrowserErrors, byTestId,
} from './support.mjs';

let firefox;
let api;
before(async () => {
  firefox = await launchFirefox();
  api = await startApi({ ttl: 2 });
});
after(async () => {
  await firefox?.close();
  await api?.stop();
});

test('Firefox: the built page carries a strict Content-Security-Policy and a whole session raises no violation', async () => {
  const { page, problems } = await freshPage(firefox.browser, api.url);
  const policy = await page.$eval('meta[http-equiv="Content-Security-Policy"]', (m) => m.getAttribute('content'));
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/);
  assert.match(policy, /connect-src 'self'/);
  await logIn(page);
  await click(page, 'sort-name');
  await page.locator(byTestId('search')).fill('a');
  await page.click(`${byTestId('timeline')} summary`);
  // The 2 s token expires: a 401, a silent login and a replay under the policy too.
  await sleep(2_500);
  await refresh(page);
  await click(page, 'logout');
  await waitFor(page, 'login-form');
  assert.deepEqual(problems, []);
});

test('Firefox: a violation is reported — an injected inline script and a fetch to another origin', async () => {
  // Two policies apply (the page's meta tag and, from the dev API, the same
  // policy as a header), so Firefox reports each violation twice.
  allowBrowserErrors(
    /^console: CSP violation: script-src-elem blocked inline$/,
    /^pageerror: Content-Security-Policy: .*blocked an inline script \(script-src-elem\)/,
    /^console: CSP violation: connect-src blocked http:\/\/127\.0\.0\.1:9\/x$/,
    /^pageerror: Content-Security-Policy: .*blocked the loading of a resource \(connect-src\) at http:\/\/127\.0\.0\.1:9\/x/,
  );
  const { page, problems } = await freshPage(firefox.browser, api.url);
  const ran = await page.evaluate(() => {
    window.injected = false;
    const s = document.createElement('script');
    s.textContent = 'window.injected = true';
    document.body.append(s);
    return window.injected;
  });
  assert.equal(ran, false, 'the inline script did not run');
  const fetched = await page.evaluate(() => fetch('http://127.0.0.1:9/x').then(() => 'answered', (e) => e.name));
  assert.equal(fetched, 'TypeError', 'the fetch was refused before it left the page');
  // The reports arrive asynchronously; the suite's check after this test
  // fails unless each of the four kinds above was seen.
  for (let i = 0; i < 50 && problems.length < 8; i++) await sleep(100);
});

test('Firefox: the password is in no storage and no console line, after login, silent re-login and logout', async () => {
  const { page, consoleLines } = await signedInPage(firefox.browser, api.url);
  assert.ok(!(await everythingStored(page)).includes(PASSWORD));
  await sleep(2_500); // the 2 s token expires
  await api.resetCounters();
  await refresh(page);
  assert.equal(count(await api.counters(), LOGIN).status[200], 1, 'a silent re-login happened');
  const signedIn = await everythingStored(page);
  assert.ok(!signedIn.includes(PASSWORD));
  assert.match(signedIn, /^authToken\.meta=/m, 'the token and when it arrived are stored');
  await click(page, 'logout');
  await waitFor(page, 'login-form');
  const stored = await everythingStored(page);
  assert.ok(!stored.includes(PASSWORD), stored);
  assert.doesNotMatch(stored, /authToken/, 'logout removes the token and its .meta');
  assert.ok(consoleLines.every((line) => !line.includes(PASSWORD)), consoleLines.join('\n'));
});
