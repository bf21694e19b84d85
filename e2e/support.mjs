// Shared helpers for the end-to-end suite: start the development API (which
// also serves the release dist/ on the same origin), launch Debian's headless
// Chromium, and read the API's request counters.
import { spawn, execFileSync } from 'node:child_process';
import { connect, createServer } from 'node:net';
import { mkdtempSync, rmSync, existsSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apiBin = process.env.DEV_API_BIN ?? join(root, 'target', 'debug', 'dev-api');
const dist = join(root, 'dist');

/** Starts the dev API on 127.0.0.1 (port 0 = any free one) serving dist/. */
export async function startApi({ ttl = 2, port = 0, args = [], site = dist } = {}) {
  if (!existsSync(apiBin)) throw new Error(`${apiBin} is missing: run cargo build -p dev-api`);
  if (!existsSync(join(site, 'index.html'))) throw new Error(`${site}/index.html is missing: run trunk build --release`);
  // Suites log in far more often than a person: no login rate limit unless a
  // test asks for one.
  const limit = args.includes('--login-rate-limit') ? [] : ['--login-rate-limit', '0'];
  const child = spawn(apiBin, ['--port', String(port), '--token-ttl', String(ttl), '--counters', '--serve-dist', site, ...limit, ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`dev API did not start:\n${output}`)), 10_000);
    const onData = (chunk) => {
      output += chunk;
      const m = output.match(/dev-api listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`dev API exited (${code}):\n${output}`)); });
  });
  child.removeAllListeners('exit');
  return {
    url,
    port: Number(new URL(url).port),
    output: () => output,
    async counters() {
      const r = await fetch(`${url}/__dev/counters`);
      if (!r.ok) throw new Error(`counters: HTTP ${r.status}`);
      return r.json();
    },
    async resetCounters() {
      const r = await fetch(`${url}/__dev/counters/reset`, { method: 'POST' });
      if (!r.ok) throw new Error(`reset counters: HTTP ${r.status}`);
    },
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/**
 * A relay to `server` (a started API: its `url`) that holds every byte `latency / 2` ms on its
 * way in each direction, as a network with that round-trip time would (its bandwidth unlimited):
 * `{ url, stop }`, where `stop` stops the relay and the server. Without latency, the server.
 */
export async function overNetwork(server, latency) {
  if (!latency) return server;
  const target = new URL(server.url);
  const held = (from, to) => from.on('data', (bytes) => setTimeout(() => to.write(bytes), latency / 2))
    .on('end', () => setTimeout(() => to.end(), latency / 2))
    .on('error', () => to.destroy());
  const sockets = new Set();
  const relay = createServer((client) => {
    const upstream = connect(Number(target.port), target.hostname);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    held(client, upstream);
    held(upstream, client);
  });
  await new Promise((resolve) => relay.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${relay.address().port}`,
    stop: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => relay.close(resolve));
      await server.stop();
    },
  };
}

/** Requests and per-status counts of one endpoint, zero when never hit. */
export function count(counters, endpoint) {
  const c = counters[endpoint] ?? { requests: 0, status: {} };
  return { requests: c.requests, status: c.status ?? {} };
}

export const LOGIN = 'POST /api:auth/auth/login';
export const DATA = 'GET /api:data/customers';

/**
 * What the browser reports as going wrong, for the test that is running:
 * page errors (uncaught exceptions, wasm panics), console errors and
 * Content-Security-Policy violations, from every page of every browser
 * launched here. An `afterEach` below fails the test if any of them is not
 * on the test's allow-list (see `allowBrowserErrors`).
 */
const current = { problems: [], allowed: [] };

/** Browser errors that tests provoke on purpose, each matched exactly. */
export const EXPECTED = Object.freeze({
  /** Chromium logs every HTTP error answer to a fetch as a failed resource load. */
  status: (code, text) => new RegExp(`^console: Failed to load resource: the server responded with a status of ${code} \\(${text}\\)$`),
  /** A fetch to a server that is down or to a closed port. */
  refused: /^console: Failed to load resource: net::ERR_CONNECTION_REFUSED$/,
  /** A fetch whose connection was closed without an answer (the `drop` fault). */
  emptyResponse: /^console: Failed to load resource: net::ERR_EMPTY_RESPONSE$/,
});

/**
 * Allows, for the running test only, browser errors matching `patterns`;
 * each pattern must match at least one error, so an allow-list cannot
 * outlive the failure it was written for.
 */
export function allowBrowserErrors(...patterns) {
  current.allowed.push(...patterns);
}

// Registered for test files only (run by `node --test` or directly); the
// benchmarks import this module too and are no test.
const underTest = Boolean(process.env.NODE_TEST_CONTEXT) || /\.test\.m?js$/.test(process.argv[1] ?? '');
if (underTest) afterEach(async () => {
  for (const context of contexts) {
    // A page left open (a test that failed half-way) would act as another
    // tab in the next test.
    for (const page of context.pages()) if (page.url() !== 'about:blank') await page.close();
  }
  const { problems, allowed } = current;
  current.problems = [];
  current.allowed = [];
  const unexpected = problems.filter((p) => !allowed.some((re) => re.test(p)));
  assert.deepEqual(unexpected, [], 'no page error, console error or CSP violation');
  const unused = allowed.filter((re) => !problems.some((p) => re.test(p)));
  assert.deepEqual(unused, [], `allowed browser errors that did not happen (seen: ${JSON.stringify(problems)})`);
});

const contexts = new Set();
const pageProblems = new WeakMap();
const pageConsole = new WeakMap();

function watch(page) {
  const problems = [];
  const lines = [];
  pageProblems.set(page, problems);
  pageConsole.set(page, lines);
  const report = (problem) => {
    problems.push(problem);
    current.problems.push(problem);
  };
  page.on('pageerror', (e) => report(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    lines.push(m.text());
    if (m.type() === 'error') report(`console: ${m.text()}`);
  });
}

// Chromium's flags for every test and benchmark. Chromium 156 builds its omnibox popup (a WebUI
// page in a renderer of its own, ≈ 80–100 ms of CPU) for each new browser context: on 2 cores it
// ran beside the page being measured (in load.mjs, during each first-visit load), which a
// person's page in a browser already open never meets. Off, with the features Playwright itself
// turns off (a second --disable-features replaces its list rather than adding to it).
const PLAYWRIGHT_DISABLED = [
  'AvoidUnnecessaryBeforeUnloadCheckSync', 'DestroyProfileOnBrowserClose', 'HttpsUpgrades',
  'HttpsFirstBalancedModeAutoEnable', 'LensOverlay', 'MediaRouter', 'PaintHolding',
  'ThirdPartyStoragePartitioning', 'AvoidCorsURLLoaderRestartOnRedirect', 'OptimizationHints',
  'NetworkTimeServiceQuerying', 'AimEnabled', 'PreconnectToSearch',
];
const OMNIBOX_POPUP = ['PreloadTopChromeWebUI', 'WebUIOmniboxPopup', 'WebUIOmniboxFullPopup', 'WebUIOmniboxAimPopup'];
/** Playwright's launch options for Debian's Chromium, headless, with those flags. */
export const CHROMIUM = {
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
    `--disable-features=${[...PLAYWRIGHT_DISABLED, ...OMNIBOX_POPUP].join(',')}`,
  ],
};

/**
 * Launches headless Chromium with a fresh profile; returns { context, close }.
 * `options` are Playwright's context options (a `timezoneId`, say).
 */
export async function launchBrowser(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'tokengrid-e2e-'));
  const browser = await chromium.launchPersistentContext(profile, {
    ...CHROMIUM,
    viewport: { width: 1280, height: 800 },
    ...options,
  });
  // Every page, however a test opens it, reports its problems.
  await browser.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  for (const page of browser.pages()) watch(page);
  browser.on('page', watch);
  contexts.add(browser);
  return {
    context: browser,
    async close() {
      contexts.delete(browser);
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the app in a new page. `problems` lists this page's page errors,
 * console errors and CSP violations (the suite checks them after each
 * test anyway); `consoleLines` every console line, to prove no secret is
 * ever logged.
 */
export async function openApp(context, url) {
  const page = await context.newPage();
  await page.goto(url);
  return { page, problems: pageProblems.get(page), consoleLines: pageConsole.get(page) };
}

/**
 * Stores `token` under `key` in the `localStorage` of `origin`, from a blank page of that origin
 * that never reaches its server, in a page of its own closed afterwards (a page with routes loads
 * nothing from the cache, so the pages measured or tested after it keep theirs).
 */
export async function storeToken(context, origin, token, key = 'authToken') {
  const page = await context.newPage();
  const blank = new URL('/__token_blank', origin).href;
  await page.route(blank, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
  await page.goto(blank);
  await page.evaluate(([k, value]) => localStorage.setItem(k, value), [key, token]);
  await page.close();
}

/**
 * Opens the app with empty storage, at the login form. Other pages of the
 * context are closed first (an open page would act as another tab), and the
 * storage is emptied before the app runs, so no stale token is sent.
 */
export async function freshPage(context, url) {
  for (const open of context.pages()) await open.close();
  const page = await context.newPage();
  const blank = new URL('/__e2e_blank', url).href;
  await page.route(blank, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
  await page.goto(blank);
  await page.evaluate(() => { localStorage.clear(); sessionStorage.clear(); });
  await page.unroute(blank);
  await page.goto(url);
  await page.getByTestId('login-form').waitFor();
  return { page, problems: pageProblems.get(page), consoleLines: pageConsole.get(page) };
}

/**
 * A fresh page (see `freshPage`) logged in with the demo account through
 * the form, the table loaded: the credentials are in this page's memory.
 */
export async function signedInPage(context, url) {
  const opened = await freshPage(context, url);
  await logIn(opened.page);
  return opened;
}

/** Runs `body` with a dev API started with `options`, stopped afterwards whatever happens. */
export async function withApi(options, body) {
  const api = await startApi(options);
  try {
    await body(api);
  } finally {
    await api.stop();
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A copy of dist/ (or of the built site in `from`) whose configuration block
 * is replaced by `config` (an object, or raw text) — the way a deployer edits
 * a built site.
 */
export function distWithConfig(config, from = dist) {
  const dir = mkdtempSync(join(tmpdir(), 'tokengrid-dist-'));
  cpSync(from, dir, { recursive: true });
  const file = join(dir, 'index.html');
  const html = readFileSync(file, 'utf8');
  const text = typeof config === 'string' ? config : JSON.stringify(config);
  const block = /(<script id="tokengrid-config" type="application\/json">)[\s\S]*?(<\/script>)/;
  if (!block.test(html)) throw new Error('dist/index.html has no configuration block');
  writeFileSync(file, html.replace(block, (_, open, close) => `${open}${text}${close}`));
  // As a deployer would: refresh the Content-Security-Policy for the new configuration.
  execFileSync(process.execPath, [join(root, 'scripts', 'csp.mjs'), file], { stdio: 'ignore' });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Runs in a page, before its scripts (an init script): `window.__snapshot(root)` gives what
 * a table panel shows — the first page index.html draws, or the app's — in parts to compare,
 * test ids left out.
 */
export function installPanelSnapshot() {
  const strip = (html) => html.replace(/ data-testid="[^"]*"/g, '');
  window.__snapshot = (root) => ({
    heads: strip(root.querySelector('thead tr').outerHTML),
    filters: strip(root.querySelector('tr.filters').outerHTML),
    rows: strip(root.querySelector('tbody').innerHTML),
    caption: strip(root.querySelector('caption').outerHTML),
    region: root.querySelector('.table-scroll').getAttribute('aria-label'),
    count: root.querySelector('.match-count').textContent,
    size: root.querySelector('select').value,
    all: root.querySelector('option[value=all]').disabled,
    pager: strip(root.querySelector('nav.pager').outerHTML),
  });
}

/** The development API's demo account. */
export const EMAIL = 'demo@tokengrid.dev';
export const PASSWORD = 'tokengrid-demo';

/** A token for the demo account, straight from `api`'s login endpoint (for the benchmarks). */
export async function demoToken(api) {
  const r = await fetch(`${api}/api:auth/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: EMAIL, password: PASSWORD }),
  });
  if (!r.ok) throw new Error(`login: HTTP ${r.status}`);
  return (await r.json()).authToken;
}

/** A new page of the app at `url` with `token` stored, its table loaded (for the benchmarks). */
export async function loadedPage(context, url, token) {
  const page = await context.newPage();
  await page.goto(`${url}/bench-blank`);
  await page.evaluate((t) => localStorage.setItem('authToken', t), token);
  await page.goto(`${url}/`);
  await page.locator('[data-testid=data-table] tbody tr').first().waitFor({ timeout: 120_000 });
  await page.getByTestId('loading').waitFor({ state: 'detached', timeout: 120_000 });
  return page;
}

/** Fills the login form and submits it. */
export async function submitLogin(page, email = EMAIL, password = PASSWORD) {
  await page.getByTestId('login-identity').fill(email);
  await page.getByTestId('login-password').fill(password);
  await page.getByTestId('login-submit').click();
}

/** Logs in with the demo account and waits for the table to finish loading. */
export async function logIn(page) {
  await submitLogin(page);
  await page.getByTestId('data-table').waitFor();
  await page.getByTestId('loading').waitFor({ state: 'detached' });
}

/** Every place a page could have persisted a secret, as one string. */
export async function everythingStored(page) {
  return page.evaluate(async () => {
    const dump = [];
    for (const s of [localStorage, sessionStorage]) {
      for (let i = 0; i < s.length; i++) dump.push(`${s.key(i)}=${s.getItem(s.key(i))}`);
    }
    dump.push(`cookies=${document.cookie}`);
    for (const db of (await indexedDB.databases?.()) ?? []) dump.push(`indexedDB=${db.name}`);
    return dump.join('\n');
  });
}
