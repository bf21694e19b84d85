// Form-encoded logins, end to end: the release build configured with
// "loginBodyFormat": "form" (an OAuth 2.0 password grant, as FastAPI's
// OAuth2PasswordRequestForm takes it) logs in through the form against the
// dev API, which reads form bodies, and renews with the same body after a 401.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, freshPage, distWithConfig, count, LOGIN, DATA, sleep, EMAIL, PASSWORD, submitLogin, allowBrowserErrors, EXPECTED } from './support.mjs';

const FORM = 'application/x-www-form-urlencoded';

let browser;
before(async () => { browser = await launchBrowser(); });
after(async () => { await browser?.close(); });

/** The dev API serving a copy of dist/ whose configuration is `config`. */
async function withSite(config, body, options = {}) {
  const site = distWithConfig(config);
  const api = await startApi({ ...options, site: site.dir });
  try {
    await body(api);
  } finally {
    await api.stop();
    site.remove();
  }
}

/** Every login request the page sends: its content type and body. */
function recordLogins(page) {
  const logins = [];
  page.on('request', (r) => {
    if (r.method() === 'POST' && new URL(r.url()).pathname === '/api:auth/auth/login') {
      logins.push({ contentType: r.headers()['content-type'], body: r.postData() });
    }
  });
  return logins;
}

const formConfig = {
  loginBodyFormat: 'form',
  loginExtraFields: { grant_type: 'password', client_id: 'web app' },
};

test('a form login: the credentials and extra fields form-encoded, then the table', async () => {
  await withSite(formConfig, async (api) => {
    const { page } = await freshPage(browser.context, api.url);
    const logins = recordLogins(page);
    await submitLogin(page);
    await page.getByTestId('data-table').waitFor();
    assert.deepEqual(logins, [{
      contentType: FORM,
      body: 'email=demo%40tokengrid.dev&password=tokengrid-demo&grant_type=password&client_id=web+app',
    }]);
    const c = await api.counters();
    assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } });
    assert.deepEqual(count(c, DATA), { requests: 1, status: { 200: 1 } });
    await page.close();
  });
});

test('a password with &, =, +, %, spaces and non-ASCII survives the form encoding', async () => {
  await withSite(formConfig, async (api) => {
    const email = 'form.user@tokengrid.dev';
    const password = 'a&b=c +d%e€ü';
    const signup = await fetch(`${api.url}/api:auth/auth/signup`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Form User', email, password }),
    });
    assert.equal(signup.status, 200, await signup.text());
    const { page } = await freshPage(browser.context, api.url);
    const logins = recordLogins(page);
    await submitLogin(page, email, password);
    await page.getByTestId('data-table').waitFor();
    // What the browser's own serializer would write for the same pairs.
    const expected = new URLSearchParams([['email', email], ['password', password], ...Object.entries(formConfig.loginExtraFields)]).toString();
    assert.equal(logins[0].body, expected);
    assert.match(logins[0].body, /password=a%26b%3Dc\+%2Bd%25e%E2%82%AC%C3%BC&/);
    assert.deepEqual(count(await api.counters(), LOGIN), { requests: 1, status: { 200: 1 } });
    await page.close();
  });
});

test('after a 401 the silent login sends the same form body, and the request is replayed', async () => {
  allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
  await withSite(formConfig, async (api) => {
    const { page } = await freshPage(browser.context, api.url);
    const logins = recordLogins(page);
    await submitLogin(page);
    await page.getByTestId('data-table').waitFor();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    await api.resetCounters();
    await sleep(2_500);
    await page.getByTestId('refresh').click();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('login-form').count(), 0, 'no form: renewed silently');
    assert.equal(await page.getByTestId('load-error').count(), 0);
    const c = await api.counters();
    assert.deepEqual(count(c, DATA), { requests: 2, status: { 200: 1, 401: 1 } }, 'one 401, one replay');
    assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } }, 'one silent login');
    assert.equal(logins.length, 2);
    assert.deepEqual(logins[1], logins[0], 'the renewal sends the form login again');
    assert.equal(logins[1].contentType, FORM);
    await page.close();
  }, { ttl: 2 });
});

test('the default JSON login is unchanged', async () => {
  await withSite({}, async (api) => {
    const { page } = await freshPage(browser.context, api.url);
    const logins = recordLogins(page);
    await submitLogin(page);
    await page.getByTestId('data-table').waitFor();
    assert.deepEqual(logins, [{
      contentType: 'application/json',
      body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
    }]);
    await page.close();
  });
});

test('a bad loginExtraFields stops the app with a message naming it, and nothing is sent', async () => {
  await withSite({ loginExtraFields: { grant_type: 'password', client_id: 7 } }, async (api) => {
    const page = await browser.context.newPage();
    await page.goto(api.url);
    const panel = page.getByTestId('config-error');
    await panel.waitFor();
    assert.match(await panel.innerText(), /`loginExtraFields` has `client_id` = a number; give every value as a string/);
    assert.equal(await page.getByTestId('login-form').count(), 0);
    const c = await api.counters();
    assert.equal(count(c, LOGIN).requests + count(c, DATA).requests, 0);
    await page.close();
  });
});
