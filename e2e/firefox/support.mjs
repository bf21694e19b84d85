// The end-to-end suite's core flows in a second engine: Debian's Firefox ESR
// driven through WebDriver BiDi by puppeteer-core. The dev API, its counters
// and the dist/ copies come from ../support.mjs (they know no browser); this
// module launches Firefox, opens the app in fresh windows and fails each test
// on any page error, console error or Content-Security-Policy violation it
// did not expect.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach } from 'node:test';
import assert from 'node:assert/strict';
import puppeteer from 'puppeteer-core';
import { EMAIL, PASSWORD } from '../support.mjs';

export { startApi, withApi, distWithConfig, count, LOGIN, DATA, sleep, EMAIL, PASSWORD, everythingStored } from '../support.mjs';

const FIREFOX = process.env.FIREFOX ?? '/usr/bin/firefox-esr';

/**
 * What Firefox reports as going wrong in the running test: page errors
 * (uncaught exceptions, wasm panics and the engine's own error lines, which
 * include every CSP violation), console errors, and the
 * `securitypolicyviolation` events an init script turns into console errors.
 */
const current = { problems: [], allowed: [] };

/**
 * Allows, for the running test only, browser errors matching `patterns`;
 * each must match at least one error, so an allow-list cannot outlive the
 * failure it was written for.
 */
export function allowBrowserErrors(...patterns) {
  current.allowed.push(...patterns);
}

const contexts = new Set();

afterEach(async () => {
  // A window left open by a test that failed half-way would act as another
  // tab of the next test.
  for (const context of contexts) await context.close().catch(() => {});
  contexts.clear();
  const { problems, allowed } = current;
  current.problems = [];
  current.allowed = [];
  const unexpected = problems.filter((p) => !allowed.some((re) => re.test(p)));
  assert.deepEqual(unexpected, [], 'no page error, console error or CSP violation');
  const unused = allowed.filter((re) => !problems.some((p) => re.test(p)));
  assert.deepEqual(unused, [], `allowed browser errors that did not happen (seen: ${JSON.stringify(problems)})`);
});

/** Launches headless Firefox ESR with a fresh profile; returns { browser, close }. */
export async function launchFirefox() {
  const profile = mkdtempSync(join(tmpdir(), 'tokengrid-e2e-firefox-'));
  const browser = await puppeteer.launch({
    browser: 'firefox',
    protocol: 'webDriverBiDi',
    executablePath: FIREFOX,
    headless: true,
    userDataDir: profile,
    defaultViewport: { width: 1280, height: 800 },
  });
  return {
    browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * A new browser context (its own storage, as a fresh profile would have)
 * that the suite closes after the test. Windows opened in one context are
 * the tabs of one user: they share localStorage, storage events and locks.
 */
export async function freshContext(browser) {
  const context = await browser.createBrowserContext();
  contexts.add(context);
  return context;
}

/**
 * Opens the app at `url` in a new window of `context` (a window, not a tab:
 * a background tab of a headless window is `hidden` to the page, and the
 * app does not renew in hidden pages). `problems` lists this page's errors
 * (each test checks them anyway), `consoleLines` every console line.
 */
export async function openApp(context, url) {
  const page = await context.newPage({ type: 'window' });
  const problems = [];
  const consoleLines = [];
  const report = (problem) => {
    problems.push(problem);
    current.problems.push(problem);
  };
  page.on('pageerror', (e) => report(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    consoleLines.push(m.text());
    if (m.type() === 'error') report(`console: ${m.text()}`);
  });
  await page.evaluateOnNewDocument(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  await page.goto(url);
  return { page, problems, consoleLines };
}

/** A page of a fresh context (empty storage) at the login form. */
export async function freshPage(browser, url) {
  const context = await freshContext(browser);
  const opened = await openApp(context, url);
  await waitFor(opened.page, 'login-form');
  return { ...opened, context };
}

/**
 * A fresh page logged in with the demo account through the form, the table
 * loaded: the credentials are in this page's memory.
 */
export async function signedInPage(browser, url) {
  const opened = await freshPage(browser, url);
  await logIn(opened.page);
  return opened;
}

/** The CSS selector of a `data-testid`. */
export const byTestId = (id) => `[data-testid="${id}"]`;

/**
 * Waits until the element with `data-testid` `id` is in the document
 * (`attached`, the default), shown (`visible`) or gone (`detached`).
 */
export async function waitFor(page, id, { state = 'attached', timeout } = {}) {
  const options = { timeout, visible: state === 'visible', hidden: state === 'detached' };
  await page.waitForSelector(byTestId(id), options);
}

/** Waits until some element matching `selector` contains `text` (a string or RegExp). */
export async function waitForText(page, selector, text, { timeout } = {}) {
  const pattern = typeof text === 'string' ? { source: text, literal: true } : { source: text.source, flags: text.flags };
  await page.waitForFunction((sel, p) => {
    const re = p.literal ? null : new RegExp(p.source, p.flags);
    return [...document.querySelectorAll(sel)].some((e) => (re ? re.test(e.textContent) : e.textContent.includes(p.source)));
  }, { timeout }, selector, pattern);
}

/** The rendered text of the element with `data-testid` `id`. */
export async function textOf(page, id) {
  return page.$eval(byTestId(id), (e) => e.innerText);
}

/** How many elements match `selector`. */
export async function howMany(page, selector) {
  return page.$$eval(selector, (all) => all.length);
}

/** Clicks the element with `data-testid` `id` once it is visible and enabled. */
export async function click(page, id) {
  await page.locator(byTestId(id)).click();
}

/** The number of rows loaded (the caption's count; the body shows one page). */
export async function rowCount(page) {
  return Number((await textOf(page, 'row-count')).match(/^([\d,]+) rows$/)?.[1].replaceAll(',', ''));
}

/** The stored token, or null. */
export async function storedToken(page) {
  return page.evaluate(() => localStorage.getItem('authToken'));
}

/** The request timeline's lines, newest first, hidden ones included. */
export async function timeline(page) {
  return page.$$eval(`${byTestId('timeline')} li`, (all) => all.map((li) => li.textContent));
}

/** Fills the login form and submits it. */
export async function submitLogin(page, email = EMAIL, password = PASSWORD) {
  await page.locator(byTestId('login-identity')).fill(email);
  await page.locator(byTestId('login-password')).fill(password);
  await click(page, 'login-submit');
}

/** Logs in with the demo account and waits for the table to finish loading. */
export async function logIn(page) {
  await submitLogin(page);
  await waitFor(page, 'data-table');
  await waitFor(page, 'loading', { state: 'detached' });
}

/** Clicks Refresh and waits for the load to finish (with or without an error). */
export async function refresh(page) {
  await click(page, 'refresh');
  await waitFor(page, 'loading', { state: 'detached' });
}

/** Injects a development API fault (the API runs with `--faults`). */
export async function inject(api, fault) {
  const r = await fetch(`${api.url}/__dev/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault),
  });
  assert.equal(r.status, 200, await r.text());
}
