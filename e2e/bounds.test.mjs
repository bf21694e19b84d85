// Bounds that hold against any server: an idle page never turns a server's
// odd token lifetimes into a stream of logins. Each test counts the logins
// the development API sees over an idle window; none measures speed.
import { test, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, signedInPage, count, LOGIN, DATA, sleep, allowBrowserErrors, EXPECTED, withApi } from './support.mjs';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function refresh(page) {
  await page.getByTestId('refresh').click();
  await page.getByTestId('loading').waitFor({ state: 'detached' });
}

test('opaque tokens revoked 3 s after each login: the idle page learns no short lifetime and logs in only when a request needs it', async () => {
  allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
  await withApi({ ttl: 60, args: ['--faults'] }, async (api) => {
    const { page } = await signedInPage(browser.context, api.url);
    // Twice, at the same token age: revoked early, then a load meets the 401.
    for (let i = 0; i < 2; i += 1) {
      await sleep(3_000);
      const revoked = await fetch(`${api.url}/__dev/revoke`, { method: 'POST' });
      assert.equal(revoked.status, 200);
      await refresh(page);
    }
    assert.deepEqual(count(await api.counters(), LOGIN), { requests: 3, status: { 200: 3 } }, 'the form, then one silent login per 401');
    await api.resetCounters();
    // Idle: a client that took 3 s for the lifetime would log in every 2.4 s.
    await sleep(12_000);
    assert.deepEqual(count(await api.counters(), LOGIN), { requests: 0, status: {} }, 'no renewal ahead of a 3 s "lifetime"');
    assert.equal(await page.getByTestId('load-error').count(), 0);
    await page.close();
  });
});

test('JWS tokens that live 1–2 s: the idle page renews at need only, never every second', async () => {
  allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
  // The dev API writes `iat` and `exp` in whole seconds from the second the
  // token is issued in, so a token of `ttl` N lives between N − 1 and N
  // seconds: with 1 it could die 1 ms after the login, before the request
  // it was for (a clean-clone run met that once). With 2, at least a second.
  await withApi({ ttl: 2, args: ['--token-format', 'jwt'] }, async (api) => {
    const { page } = await signedInPage(browser.context, api.url);
    await api.resetCounters();
    await sleep(8_000);
    let c = await api.counters();
    assert.equal(count(c, LOGIN).requests, 0, 'no renewal ahead of a 1–2 s lifetime');
    assert.equal(count(c, DATA).requests, 0);
    // At need: the next load logs in once (and replays if it met a 401).
    await refresh(page);
    c = await api.counters();
    assert.equal(count(c, LOGIN).requests, 1);
    assert.ok(count(c, DATA).requests <= 2, JSON.stringify(c));
    assert.equal(await page.locator('[data-testid="data-table"] tbody tr').count() > 0, true);
    await page.close();
  });
});
