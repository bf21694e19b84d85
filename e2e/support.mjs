// Shared helpers for the end-to-end suite: start the development API (which
// also serves the release dist/ on the same origin), launch Debian's headless
// Chromium, and read the API's request counters.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, cpSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
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

/** Requests and per-status counts of one endpoint, zero when never hit. */
export function count(counters, endpoint) {
  const c = counters[endpoint] ?? { requests: 0, status: {} };
  return { requests: c.requests, status: c.status ?? {} };
}

export const LOGIN = 'POST /api:auth/auth/login';
export const DATA = 'GET /api:data/customers';

/** Launches headless Chromium with a fresh profile; returns { browser, close }. */
export async function launchBrowser() {
  const profile = mkdtempSync(join(tmpdir(), 'tokengrid-e2e-'));
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage',
    ],
    viewport: { width: 1280, height: 800 },
  });
  return {
    context: browser,
    async close() {
      await browser.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Opens the app in a new page, collecting page errors, console errors and
 * Content-Security-Policy violations (`problems`), and every console line
 * (`consoleLines`, to prove no secret is ever logged).
 */
export async function openApp(context, url) {
  const page = await context.newPage();
  const problems = [];
  const consoleLines = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI}`);
    });
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    consoleLines.push(m.text());
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.goto(url);
  return { page, problems, consoleLines };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * A copy of dist/ whose configuration block is replaced by `config` (an
 * object, or raw text) — the way a deployer edits a built site.
 */
export function distWithConfig(config) {
  const dir = mkdtempSync(join(tmpdir(), 'tokengrid-dist-'));
  cpSync(dist, dir, { recursive: true });
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

/** The development API's demo account. */
export const EMAIL = 'demo@tokengrid.dev';
export const PASSWORD = 'tokengrid-demo';

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
