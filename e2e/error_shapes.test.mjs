// Every common backend's error shape, end to end: the dev API's `answer`
// fault sends each body as that backend would, on the login endpoint (the
// message on the login form) and on the data endpoint (the table's error).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startApi, launchBrowser, freshPage, signedInPage, count, LOGIN, DATA, submitLogin, allowBrowserErrors, EXPECTED } from './support.mjs';

let browser;
let api;
before(async () => {
  browser = await launchBrowser();
  api = await startApi({ ttl: 60, args: ['--faults'] });
});
after(async () => {
  await browser?.close();
  await api?.stop();
});

/** Chromium's reason phrase in its console line for a failed load. */
const CHROMIUM_PHRASE = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 422: 'Unprocessable Entity' };
/** The app's reason phrase in its message. */
const APP_PHRASE = { 400: 'Bad Request', 403: 'Forbidden', 422: 'Unprocessable Content' };

const SHAPES = [
  {
    name: 'FastAPI / pydantic validation errors',
    status: 422,
    body: { detail: [
      { type: 'missing', loc: ['body', 'username'], msg: 'Field required', input: null },
      { type: 'missing', loc: ['body', 'password'], msg: 'Field required', input: null },
    ] },
    message: 'username: Field required; password: Field required',
  },
  {
    name: 'FastAPI refused credentials (401)',
    status: 401,
    body: { detail: 'Incorrect username or password' },
    message: 'Incorrect username or password',
  },
  {
    name: 'Django REST framework field errors',
    status: 400,
    body: { username: ['This field is required.'], password: ['This field may not be blank.'] },
    message: 'username: This field is required. password: This field may not be blank.',
  },
  {
    name: 'Django REST framework non-field errors',
    status: 400,
    body: { non_field_errors: ['Unable to log in with provided credentials.'] },
    message: 'Unable to log in with provided credentials.',
  },
  {
    name: 'RFC 9457 problem details',
    status: 401,
    contentType: 'application/problem+json',
    body: { type: 'about:blank', title: 'Unauthorized', status: 401, detail: 'Bad credentials', instance: '/login' },
    message: 'Unauthorized: Bad credentials',
  },
  {
    name: 'Laravel validation errors',
    status: 422,
    body: { message: 'The email field must be a valid email address. (and 1 more error)', errors: {
      email: ['The email field must be a valid email address.'], password: ['The password field is required.'],
    } },
    message: 'email: The email field must be a valid email address. password: The password field is required.',
  },
  {
    name: 'Spring Boot error',
    status: 401,
    body: { timestamp: '2025-01-01T00:00:00.000+00:00', status: 401, error: 'Unauthorized', message: 'Bad credentials', path: '/login' },
    message: 'Bad credentials',
  },
  {
    name: 'Spring Boot error without a message, with markup in the error',
    status: 403,
    body: { timestamp: '2025-01-01T00:00:00.000+00:00', status: 403, error: 'Forbidden <img src=x onerror=alert(1)>', message: '', path: '/login' },
    message: 'Forbidden <img src=x onerror=alert(1)>',
  },
];

async function inject(fault) {
  const r = await fetch(`${api.url}/__dev/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ count: 1, ...fault }),
  });
  assert.equal(r.status, 200, await r.text());
}

function answer(endpoint, shape, status = shape.status) {
  return {
    endpoint, fault: 'answer', status,
    content_type: shape.contentType ?? 'application/json',
    body: JSON.stringify(shape.body),
  };
}

for (const shape of SHAPES) {
  test(`${shape.name}: read on the login form and in the table's error`, async () => {
    // A 401 from the data endpoint means renewal, not an error to show:
    // there the same body comes with 403.
    const dataStatus = shape.status === 401 ? 403 : shape.status;
    allowBrowserErrors(
      EXPECTED.status(shape.status, CHROMIUM_PHRASE[shape.status]),
      ...(dataStatus === shape.status ? [] : [EXPECTED.status(dataStatus, CHROMIUM_PHRASE[dataStatus])]),
    );
    await fetch(`${api.url}/__dev/faults`, { method: 'DELETE' });

    // The login endpoint refuses the login with this body.
    const { page } = await freshPage(browser.context, api.url);
    await api.resetCounters();
    await inject(answer(LOGIN, shape));
    await submitLogin(page);
    const loginError = page.getByTestId('login-error');
    await loginError.waitFor();
    assert.equal(await loginError.innerText(), shape.message);
    assert.equal(await page.locator('[data-testid="login-error"] img').count(), 0, 'markup stays text');
    const c = await api.counters();
    assert.deepEqual(count(c, LOGIN), { requests: 1, status: { [shape.status]: 1 } }, 'one login request, never a renewal');
    assert.equal(count(c, DATA).requests, 0);
    assert.equal(await page.evaluate(() => localStorage.getItem('authToken')), null);
    await page.close();

    // The data endpoint refuses a load with this body.
    const signedIn = await signedInPage(browser.context, api.url);
    await api.resetCounters();
    await inject(answer(DATA, shape, dataStatus));
    await signedIn.page.getByTestId('refresh').click();
    const loadError = signedIn.page.getByTestId('load-error');
    await loadError.waitFor();
    const text = await loadError.innerText();
    const sentence = `The server answered HTTP ${dataStatus} (${APP_PHRASE[dataStatus]}): ${shape.message}`;
    assert.ok(text.includes(sentence), `${text}\nshould contain\n${sentence}`);
    assert.equal(await signedIn.page.locator('[data-testid="load-error"] img').count(), 0, 'markup stays text');
    assert.equal(await signedIn.page.getByTestId('data-table').count(), 1, 'the last good table stays');
    const d = await api.counters();
    assert.deepEqual(count(d, DATA), { requests: 1, status: { [dataStatus]: 1 } });
    assert.equal(count(d, LOGIN).requests, 0);
    await signedIn.page.close();
  });
}
