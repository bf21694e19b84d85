// Bad input and security, end to end: server text never becomes HTML, the
// Content-Security-Policy holds, the password is never stored or logged,
// bad stored state and refused storage are survived, the form checks input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, freshPage, signedInPage, count, LOGIN, DATA, sleep, EMAIL, PASSWORD, everythingStored, logIn, allowBrowserErrors, EXPECTED } from './support.mjs';


let browser;
let api;
before(async () => {
  browser = await launchBrowser();
  api = await startApi({ ttl: 2 });
});
after(async () => {
  await browser?.close();
  await api?.stop();
});

test('markup in the data is shown as text and runs nothing', async () => {
  const { page } = await freshPage(browser.context, api.url);
  let dialogs = 0;
  page.on('dialog', async (d) => { dialogs++; await d.dismiss(); });
  await logIn(page);
  await page.getByTestId('search').fill('<script');
  const cell = page.locator('[data-testid="data-table"] tbody td', { hasText: '<script' }).first();
  await cell.waitFor();
  assert.match(await cell.innerText(), /<script>/);
  assert.equal(await page.locator('[data-testid="data-table"] tbody script, [data-testid="data-table"] tbody b, [data-testid="data-table"] tbody img').count(), 0);
  await page.getByTestId('search').fill('<b>');
  assert.match(await page.locator('[data-testid="data-table"] tbody').innerText(), /<b>bold<\/b>/);
  await sleep(200);
  assert.equal(dialogs, 0);
  await page.close();
});

test('the built page carries a strict Content-Security-Policy and a whole session raises no violation', async () => {
  // Every test fails on a CSP violation (see support.mjs); this one proves
  // the policy is strict and walks through a whole session under it.
  const { page, problems } = await freshPage(browser.context, api.url);
  const policy = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(policy, /default-src 'none'/);
  assert.match(policy, /script-src 'self' 'wasm-unsafe-eval' 'sha256-[A-Za-z0-9+/=]+'/);
  assert.doesNotMatch(policy, /'unsafe-inline'|'unsafe-eval'/);
  assert.match(policy, /connect-src 'self'/);
  await logIn(page);
  await page.getByTestId('sort-name').click();
  await page.getByTestId('search').fill('a');
  await page.locator('[data-testid="timeline"] summary').click();
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  assert.deepEqual(problems, []);
  await page.close();
});

test('the password is in no storage and no console line, after login, silent re-login and logout', async () => {
  allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
  const { page, consoleLines } = await signedInPage(browser.context, api.url);
  assert.ok(!(await everythingStored(page)).includes(PASSWORD));
  await sleep(2_500); // the 2 s token expires
  await api.resetCounters();
  await page.getByTestId('refresh').click();
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  assert.equal(count(await api.counters(), LOGIN).status[200], 1, 'a silent re-login happened');
  const signedIn = await everythingStored(page);
  assert.ok(!signedIn.includes(PASSWORD));
  assert.match(signedIn, /^authToken\.meta=/m, 'the token and when it arrived are stored');
  await page.getByTestId('logout').click();
  await page.getByTestId('login-form').waitFor();
  const stored = await everythingStored(page);
  assert.ok(!stored.includes(PASSWORD), stored);
  assert.doesNotMatch(stored, /authToken/, 'logout removes the token and its .meta');
  assert.ok(consoleLines.every((line) => !line.includes(PASSWORD)), consoleLines.join('\n'));
  await page.close();
});

test('bad stored state reads as no token; a well-formed token the API refuses costs one 401, then the form', async () => {
  allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
  const { page } = await freshPage(browser.context, api.url);
  for (const junk of ['garbage with spaces', '', '{"token":"x"}', 'null', '"quoted"']) {
    await api.resetCounters();
    await page.evaluate((v) => localStorage.setItem('authToken', v), junk);
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    assert.equal(count(await api.counters(), DATA).requests, 0, `no request for ${JSON.stringify(junk)}`);
  }
  // Well-formed but longer than any server accepts in one header line:
  // never sent, and the form says why.
  await api.resetCounters();
  await page.evaluate(() => localStorage.setItem('authToken', 't'.repeat(20_000)));
  await page.reload();
  await page.getByTestId('login-form').waitFor();
  assert.match(await page.getByTestId('login-notice').innerText(), /The stored token is too long for a server to accept \(20000 bytes, more than 8000\)/);
  assert.equal(count(await api.counters(), DATA).requests, 0, 'no request with an over-long token');
  await api.resetCounters();
  await page.evaluate(() => localStorage.setItem('authToken', 'eyJhbGciOiJIUzI1NiJ9.eyJleHAiOjk5OTk5OTk5OTl9.c2lnbmF0dXJl'));
  await page.reload();
  await page.getByTestId('login-form').waitFor();
  assert.match(await page.getByTestId('login-notice').innerText(), /session has expired/);
  assert.deepEqual(count(await api.counters(), DATA), { requests: 1, status: { 401: 1 } });
  assert.equal(await page.evaluate(() => localStorage.getItem('authToken')), null);
  await page.close();
});

for (const [name, script] of [
  ['full (quota)', () => {
    Storage.prototype.setItem = function () { throw new DOMException('quota exceeded', 'QuotaExceededError'); };
  }],
  ['disabled', () => {
    Object.defineProperty(window, 'localStorage', { get() { throw new DOMException('denied', 'SecurityError'); } });
  }],
]) {
  test(`storage ${name}: the session works from memory and says the token won't persist`, async () => {
    const { page } = await freshPage(browser.context, api.url);
    await page.addInitScript(script);
    await page.reload();
    await page.getByTestId('login-form').waitFor();
    await logIn(page);
    assert.match(await page.getByTestId('storage-warning').innerText(), /kept for this page only/);
    await page.getByTestId('refresh').click();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('load-error').count(), 0);
    await page.close();
  });
}

test('the form checks input in the browser, keeps the email after a refusal, and sends one login per submit', async () => {
  allowBrowserErrors(EXPECTED.status(403, 'Forbidden'));
  const { page } = await freshPage(browser.context, api.url);
  await api.resetCounters();
  await page.getByTestId('login-submit').click();
  assert.equal(await page.getByTestId('login-identity-problem').innerText(), 'Enter your email address.');
  assert.equal(await page.getByTestId('login-password-problem').innerText(), 'Enter your password.');
  assert.equal(await page.getByTestId('login-identity').getAttribute('aria-invalid'), 'true');
  assert.equal(await page.getByTestId('login-identity').getAttribute('aria-describedby'), 'login-identity-problem');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'login-identity', 'focus on the first problem');
  await page.getByTestId('login-identity').fill('demo@tokengrid');
  await page.getByTestId('login-password').fill('x');
  await page.getByTestId('login-submit').click();
  assert.equal(await page.getByTestId('login-identity-problem').innerText(), 'Enter an email address like name@example.com.');
  assert.equal(count(await api.counters(), LOGIN).requests, 0, 'nothing sent while the input is wrong');

  await page.getByTestId('login-identity').fill(EMAIL);
  await page.getByTestId('login-password').fill('wrong password');
  await page.evaluate(() => {
    const form = document.querySelector('[data-testid="login-form"]');
    form.requestSubmit();
    form.requestSubmit();
  });
  await page.getByTestId('login-error').waitFor();
  assert.equal(count(await api.counters(), LOGIN).requests, 1, 'a double submit sends one request');
  assert.equal(await page.getByTestId('login-identity').inputValue(), EMAIL);
  assert.equal(await page.getByTestId('login-identity').getAttribute('aria-invalid'), 'false');
  await page.close();
});

test('the policy lets the page reach every origin the configuration names, the refresh endpoint included', async () => {
  const { mkdtempSync, readFileSync, writeFileSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const { execFileSync } = await import('node:child_process');
  const dir = mkdtempSync(join(tmpdir(), 'tokengrid-csp-'));
  try {
    const page = readFileSync(new URL('../index.html', import.meta.url), 'utf8').replace(
      /(<script\s+id="tokengrid-config"\s+type="application\/json">)[\s\S]*?(<\/script>)/i,
      `$1{"loginUrl": "https://login.example/token", "dataUrl": "https://data.example/rows",
        "refreshUrl": "https://refresh.example/token/refresh", "devHintUrl": null}$2`,
    );
    writeFileSync(join(dir, 'index.html'), page);
    execFileSync(process.execPath, [new URL('../scripts/csp.mjs', import.meta.url).pathname, join(dir, 'index.html')]);
    const written = readFileSync(join(dir, 'index.html'), 'utf8');
    const connect = written.match(/connect-src ([^;"]*)/)[1].split(' ');
    for (const origin of ["'self'", 'https://login.example', 'https://data.example', 'https://refresh.example']) {
      assert.ok(connect.includes(origin), `connect-src has ${origin}: ${connect.join(' ')}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
