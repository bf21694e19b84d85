// The runtime configuration: a built dist/ re-pointed by editing its
// index.html, and bad settings reported on the page by name.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, openApp, distWithConfig, count, LOGIN, DATA, allowBrowserErrors, EXPECTED } from './support.mjs';
import { createServer } from 'node:net';

/** A loopback port nothing listens on: bound once by the OS, then closed. */
async function closedPort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

async function withSite(config, body, args = []) {
  const site = distWithConfig(config);
  const api = await startApi({ site: site.dir, args });
  try {
    await body(api);
  } finally {
    await api.stop();
    site.remove();
  }
}

test('a typo in a setting stops the app with a message naming it', async () => {
  await withSite({ logniUrl: '/api:auth/auth/login' }, async (api) => {
    const { page } = await openApp(browser.context, api.url);
    const panel = page.getByTestId('config-error');
    await panel.waitFor();
    assert.match(await panel.innerText(), /unknown field `logniUrl`/);
    assert.equal(await page.getByTestId('login-form').count(), 0);
    await page.close();
  });
});

test('malformed configuration JSON is reported, not ignored', async () => {
  await withSite('{ "loginUrl": ', async (api) => {
    const { page } = await openApp(browser.context, api.url);
    await page.getByTestId('config-error').waitFor();
    assert.match(await page.getByTestId('config-error').innerText(), /not valid/);
    await page.close();
  });
});

test('a wrong token path: the login answer is reported with the setting to fix', async () => {
  await withSite({ tokenPath: 'data.token', devHintUrl: null }, async (api) => {
    const { page } = await openApp(browser.context, api.url);
    await page.getByTestId('login-form').waitFor();
    assert.equal(await page.getByTestId('login-hint').count(), 0, 'no hint when devHintUrl is null');
    await page.getByTestId('login-identity').fill('demo@tokengrid.dev');
    await page.getByTestId('login-password').fill('tokengrid-demo');
    await page.getByTestId('login-submit').click();
    const error = page.getByTestId('login-error');
    await error.waitFor();
    assert.match(await error.innerText(), /no token at `data\.token`.*`tokenPath`.*`authToken`/);
    assert.equal(await page.evaluate(() => localStorage.getItem('authToken')), null);
    const c = await api.counters();
    assert.equal(count(c, LOGIN).requests, 1);
    assert.equal(count(c, DATA).requests, 0);
    await page.close();
  });
});

test('a wrong login URL names the `loginUrl` setting', async () => {
  allowBrowserErrors(EXPECTED.status(404, 'Not Found'));
  await withSite({ loginUrl: '/api:auth/auth/signin' }, async (api) => {
    const { page } = await openApp(browser.context, api.url);
    await page.getByTestId('login-identity').fill('demo@tokengrid.dev');
    await page.getByTestId('login-password').fill('tokengrid-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    assert.match(await page.getByTestId('login-error').innerText(), /HTTP 404.*`loginUrl`/);
    await page.close();
  });
});

test('another storage key and an absolute data URL on another origin work without a rebuild', async () => {
  // Two processes on two ports (two origins) that accept each other's
  // HS256 tokens: login on the page's origin, data cross-origin via CORS.
  const jwt = ['--token-format', 'jwt', '--jwt-secret', 'e2e-shared-secret-0123456789abcdef'];
  const api = await startApi({ args: jwt });
  try {
    await withSite({ storageKey: 'tgToken', dataUrl: `${api.url}/api:data/customers?page=2&per_page=25`, title: 'Second page' }, async (site) => {
      const { page } = await openApp(browser.context, site.url);
      await page.getByTestId('login-identity').fill('demo@tokengrid.dev');
      await page.getByTestId('login-password').fill('tokengrid-demo');
      await page.getByTestId('login-submit').click();
      await page.getByTestId('data-table').waitFor();
      assert.equal(await page.locator('[data-testid="data-table"] tbody tr').count(), 25);
      assert.match(await page.locator('caption').innerText(), /Second page/);
      const stored = await page.evaluate(() => [localStorage.getItem('tgToken'), localStorage.getItem('authToken')]);
      assert.ok(stored[0], 'token under the configured key');
      assert.equal(stored[1], null);
      await page.close();
    }, jwt);
    assert.equal(count(await api.counters(), 'GET /api:data/customers').status[200], 1);
  } finally {
    await api.stop();
  }
});

test('an unreachable login URL: the message names the `loginUrl` setting', async () => {
  allowBrowserErrors(EXPECTED.refused);
  const port = await closedPort();
  const loginUrl = `http://127.0.0.1:${port}/api:auth/auth/login`;
  await withSite({ loginUrl, devHintUrl: null }, async (api) => {
    const { page, problems } = await openApp(browser.context, api.url);
    await page.getByTestId('login-identity').fill('demo@tokengrid.dev');
    await page.getByTestId('login-password').fill('tokengrid-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('login-error').waitFor();
    const message = await page.getByTestId('login-error').innerText();
    assert.ok(message.startsWith(`Could not reach ${loginUrl}: `), message);
    assert.match(message, /check the `loginUrl` setting/);
    assert.deepEqual(problems.filter((p) => /Content Security Policy|Refused to/.test(p)), [], 'the policy allowed the configured origin');
    await page.close();
  });
});
