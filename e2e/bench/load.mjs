// Browser benchmark (not a test: it prints figures for the README): time to the first table
// row, tokengrid's release build vs the plain page (e2e/bench/plain.html, same request with
// the stored token, rendered with textContent).
//
// As deployed: both pages come from one `dev-api --serve-dist` (a static host: precompressed
// copies by Accept-Encoding, hashed assets immutable, the page revalidated), the data from a
// second dev API on another origin (so both pages pay the CORS preflight); the dist/ copy is
// configured with that API's absolute URLs, as a deployer would.
//
// Two modes, each at 40, 300 and 10,000 rows, loads interleaved (app, plain, app, plain, …; the
// order turned by one place each round, and --settle ms, default 250, between loads, so that
// no page always meets what the load before it left behind):
//   first visit   a fresh browser context (empty cache and storage, token stored) per load;
//   repeat visit  one profile on disk, warmed up by two loads of each page: the assets come
//                 from the cache, the page is revalidated (304).
// Printed per mode and size: the medians, their ratio with its 90 % interval (the rounds
// resampled: how far the ratio could move with other loads like these), and the breakdown of
// the median load —
// navigation (page response end), the wasm module fetched, the app's performance marks
// (`tokengrid:wasm-ready`, `…:data-sent`, `…:data-received`, `…:first-row`, `…:app-row`; "—" where the
// build has none) and the data request's resource timing — all in ms since navigation start.
//
// Usage: node e2e/bench/load.mjs [--loads 15] [--rows 40,300,10000] [--modes first,repeat]
//                               [--against DIR] [--settle 250] [--latency 0]
//   (after trunk build --release and cargo build -p dev-api)
//
// --against DIR adds a second build of the app (a release build's dist/ kept from another
// commit), served as deployed from its own origin and loaded in the same interleaved rounds
// (app, plain, against, …), and prints the median of the rounds' differences between the two.
// The plain page's figures move by ±20 % from run to run on a small machine, so two builds are
// compared within one run, never across runs; and a copy of a build against itself shows how
// large a difference the run can tell from none.
//
// --latency MS puts a network between the browser and both servers: each server is reached
// through a relay on loopback that holds every byte MS/2 ms in each direction, so each request
// that goes to a server (the page's revalidation, the CORS preflight, the data, a first visit's
// assets) is answered MS ms later than on loopback, for every page alike; what comes from the
// cache is not held. Loopback (0, the default) is the pages' own cost with no network in the
// way; a real network's round trips come on top.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { startApi, distWithConfig, root, demoToken, storeToken, overNetwork, CHROMIUM } from '../support.mjs';

const { values: options } = parseArgs({
  options: {
    loads: { type: 'string', default: '15' },
    rows: { type: 'string', default: '40,300,10000' },
    modes: { type: 'string', default: 'first,repeat' },
    against: { type: 'string' },
    settle: { type: 'string', default: '250' },
    latency: { type: 'string', default: '0' },
  },
});
const LOADS = Number(options.loads);
const SIZES = options.rows.split(',').map(Number);
const MODES = options.modes.split(',');
const AGAINST = options.against;
const SETTLE = Number(options.settle);
const LATENCY = Number(options.latency);
if (!(LOADS >= 1) || SIZES.some((n) => !(n >= 1)) || MODES.some((m) => !['first', 'repeat'].includes(m))
  || (AGAINST !== undefined && !existsSync(join(AGAINST, 'index.html'))) || !(SETTLE >= 0) || !(LATENCY >= 0)) {
  console.error('usage: node e2e/bench/load.mjs [--loads N] [--rows 40,300,10000] [--modes first,repeat] [--against DIR] [--settle MS] [--latency MS]');
  console.error('  DIR: another release build (a directory with its index.html)');
  process.exit(2);
}

const MARKS = ['tokengrid:wasm-ready', 'tokengrid:data-sent', 'tokengrid:data-received', 'tokengrid:first-row', 'tokengrid:app-row'];
const STORAGE_KEY = 'authToken';

// Records when the first body row of any table appears, on both pages alike.
const FIRST_ROW = `
  window.__firstRow = new Promise((resolve) => {
    new MutationObserver((_, observer) => {
      if (document.querySelector('table tbody tr')) { observer.disconnect(); resolve(performance.now()); }
    }).observe(document, { childList: true, subtree: true });
  });
`;

const median = (xs) => {
  const known = xs.filter((x) => typeof x === 'number');
  if (known.length === 0) return null;
  const sorted = [...known].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};
const ms = (x) => (x === null ? '—' : x.toFixed(1));
const signed = (x) => (x === null ? '—' : `${x > 0 ? '+' : ''}${x.toFixed(1)}`);
const kb = (x) => (x === null ? '—' : `${(x / 1024).toFixed(1)} KB`);

/**
 * The deployed site: dist/ configured for the API's absolute URLs (its policy refreshed by
 * scripts/csp.mjs, as a deployer does), plus the plain page. The host sends index.html's policy
 * for every file, so the plain page's inline script gets its hash added to that policy.
 */
function deployedSite(api, from) {
  const site = distWithConfig({
    loginUrl: `${api}/api:auth/auth/login`,
    dataUrl: `${api}/api:data/customers`,
    devHintUrl: null,
  }, from);
  const plain = readFileSync(join(root, 'e2e', 'bench', 'plain.html'), 'utf8');
  writeFileSync(join(site.dir, 'plain.html'), plain);
  const script = plain.match(/<script type="module">([\s\S]*?)<\/script>/)[1];
  const hash = `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
  const index = join(site.dir, 'index.html');
  const html = readFileSync(index, 'utf8');
  const withHash = html.replace(/(<meta\s+http-equiv="Content-Security-Policy"\s+content="[^"]*?script-src [^;"]*)/i, `$1 ${hash}`);
  if (withHash === html) throw new Error('dist/index.html has no script-src policy to extend');
  writeFileSync(index, withHash);
  return site;
}

/** Loads `url` in a new page of `context`; the first row's time and the breakdown. */
async function load(context, url) {
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
  await page.goto(url);
  let timer;
  const firstRow = await Promise.race([
    page.evaluate(() => window.__firstRow),
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no table row at ${url} within 60 s: ${problems.join('; ')}`)), 60_000);
    }),
  ]).finally(() => clearTimeout(timer));
  // tokengrid's own table, which replaces a first page drawn before the app ran.
  await page.waitForFunction(() => !document.getElementById('tokengrid-config')
    || performance.getEntriesByName('tokengrid:app-row').length > 0, null, { timeout: 60_000 });
  const figures = await page.evaluate((marks) => {
    const nav = performance.getEntriesByType('navigation')[0];
    const resources = performance.getEntriesByType('resource');
    const wasm = resources.find((r) => r.name.endsWith('.wasm'));
    const data = resources.find((r) => r.initiatorType === 'fetch' && r.name.includes('/api:data/'));
    return {
      pageEnd: nav.responseEnd,
      // The page's bytes on the wire: a few hundred for a 304, its size for a 200.
      pageTransfer: nav.transferSize,
      wasmEnd: wasm?.responseEnd ?? null,
      // 0 when it came from the cache; the compressed size otherwise.
      wasmTransfer: wasm ? wasm.transferSize : null,
      dataStart: data?.startTime ?? null,
      dataEnd: data?.responseEnd ?? null,
      marks: Object.fromEntries(marks.map((name) => [name, performance.getEntriesByName(name, 'mark')[0]?.startTime ?? null])),
    };
  }, MARKS);
  await page.close();
  if (problems.length) throw new Error(`${url}: ${problems.join('; ')}`);
  return { firstRow, ...figures };
}

function storedToken(origins, token) {
  return { cookies: [], origins: origins.map((origin) => ({ origin, localStorage: [{ name: STORAGE_KEY, value: token }] })) };
}

/** `pages`' loads, by page: the same keys, each an empty list. */
const noRuns = (pages) => Object.fromEntries(Object.keys(pages).map((which) => [which, []]));

/**
 * The pages in round `i`'s order: turned by one place each round, so that each page is loaded
 * after each other page equally often. A page's load leaves work behind it (the closed page's
 * process going away, the wasm module's optimizing compiler), which the next load would
 * otherwise always meet in the same page: with a fixed order app, plain, against, two copies of
 * one build differed by up to 13 ms.
 */
function inTurn(pages, i) {
  const keys = Object.keys(pages);
  const k = i % keys.length;
  return [...keys.slice(k), ...keys.slice(0, k)];
}

/** Lets what the last load left behind finish before the next one starts. */
const settle = () => new Promise((resolve) => setTimeout(resolve, SETTLE));

async function firstVisits(browser, pages, origins, token) {
  const runs = noRuns(pages);
  for (let i = 0; i < LOADS; i++) {
    for (const which of inTurn(pages, i)) {
      const context = await browser.newContext({ storageState: storedToken(origins, token), viewport: { width: 1280, height: 800 } });
      await context.addInitScript(FIRST_ROW);
      try {
        runs[which].push(await load(context, pages[which]));
      } finally {
        await context.close();
      }
      await settle();
    }
  }
  return runs;
}

async function repeatVisits(pages, origins, token) {
  const profile = mkdtempSync(join(tmpdir(), 'tokengrid-bench-'));
  const context = await chromium.launchPersistentContext(profile, { ...CHROMIUM, viewport: { width: 1280, height: 800 } });
  try {
    await context.addInitScript(FIRST_ROW);
    for (const origin of origins) await storeToken(context, origin, token, STORAGE_KEY);
    for (let i = 0; i < 2; i++) for (const which of Object.keys(pages)) await load(context, pages[which]);
    const runs = noRuns(pages);
    for (let i = 0; i < LOADS; i++) {
      for (const which of inTurn(pages, i)) {
        runs[which].push(await load(context, pages[which]));
        await settle();
      }
    }
    return runs;
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

function summarize(runs) {
  const pick = (which, f) => median(runs[which].map(f));
  const app = {
    firstRow: pick('app', (r) => r.firstRow),
    pageEnd: pick('app', (r) => r.pageEnd),
    pageTransfer: pick('app', (r) => r.pageTransfer),
    wasmEnd: pick('app', (r) => r.wasmEnd),
    wasmTransfer: pick('app', (r) => r.wasmTransfer),
    dataStart: pick('app', (r) => r.dataStart),
    dataEnd: pick('app', (r) => r.dataEnd),
    marks: Object.fromEntries(MARKS.map((name) => [name, pick('app', (r) => r.marks[name])])),
  };
  const plain = {
    firstRow: pick('plain', (r) => r.firstRow),
    pageEnd: pick('plain', (r) => r.pageEnd),
    pageTransfer: pick('plain', (r) => r.pageTransfer),
    dataStart: pick('plain', (r) => r.dataStart),
    dataEnd: pick('plain', (r) => r.dataEnd),
  };
  // The two builds compared round by round: the median of each round's difference, and in how
  // many rounds this build drew its row sooner.
  const paired = (f) => median(runs.app.map((r, i) => f(r) - f(runs.against[i])));
  const against = runs.against && {
    firstRow: pick('against', (r) => r.firstRow),
    appRow: pick('against', (r) => r.marks['tokengrid:app-row']),
    firstRowDelta: paired((r) => r.firstRow),
    appRowDelta: paired((r) => r.marks['tokengrid:app-row']),
    sooner: runs.app.filter((r, i) => r.firstRow < runs.against[i].firstRow).length,
  };
  return { app, plain, against, ratio: app.firstRow / plain.firstRow, interval: ratioInterval(runs) };
}

/**
 * How far the ratio of the medians could move with other loads like these: its 5th and 95th
 * percentiles over 2,000 resamples of the rounds (drawn with replacement, each round's app and
 * plain load kept together). A seeded generator, so the same loads give the same interval.
 */
function ratioInterval(runs) {
  let seed = 0x9e3779b9;
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const n = runs.app.length;
  const ratios = [];
  for (let k = 0; k < 2000; k++) {
    const picks = Array.from({ length: n }, () => Math.floor(random() * n));
    ratios.push(median(picks.map((i) => runs.app[i].firstRow)) / median(picks.map((i) => runs.plain[i].firstRow)));
  }
  ratios.sort((a, b) => a - b);
  return [ratios[Math.floor(0.05 * ratios.length)], ratios[Math.floor(0.95 * ratios.length)]];
}

const interval = ([low, high]) => `${low.toFixed(2)}–${high.toFixed(2)}`;

function print(mode, rows, { app, plain, against, ratio, interval: range }) {
  const title = mode === 'first' ? 'first visit' : 'repeat visit';
  const m = (name) => ms(app.marks[`tokengrid:${name}`]);
  console.log(`${title}, ${rows} rows${LATENCY ? `, ${LATENCY} ms latency` : ''} (median of ${LOADS}): tokengrid ${ms(app.firstRow)} ms, plain ${ms(plain.firstRow)} ms, ratio ${ratio.toFixed(2)} (90 % interval ${interval(range)})`);
  console.log(`  tokengrid: page ${ms(app.pageEnd)} (${kb(app.pageTransfer)} transferred), wasm fetched ${ms(app.wasmEnd)} (${app.wasmTransfer === 0 ? 'cached' : `${kb(app.wasmTransfer)} transferred`}), wasm-ready ${m('wasm-ready')}, data-sent ${m('data-sent')}, data request ${ms(app.dataStart)} → ${ms(app.dataEnd)}, data-received ${m('data-received')}, first-row ${m('first-row')}, row seen ${ms(app.firstRow)}, the app's own row ${m('app-row')}`);
  console.log(`  plain:     page ${ms(plain.pageEnd)} (${kb(plain.pageTransfer)} transferred), data request ${ms(plain.dataStart)} → ${ms(plain.dataEnd)}, row seen ${ms(plain.firstRow)}`);
  if (against) {
    console.log(`  against:   row seen ${ms(against.firstRow)} (${(against.firstRow / plain.firstRow).toFixed(2)} × plain), the app's own row ${ms(against.appRow)} (${AGAINST})`);
    console.log(`  this build − against, round by round (median): row seen ${signed(against.firstRowDelta)} ms (sooner in ${against.sooner} of ${LOADS} rounds), the app's own row ${signed(against.appRowDelta)} ms`);
  }
}

const browser = await chromium.launch(CHROMIUM);
const summary = [];
try {
  for (const rows of SIZES) {
    const server = await startApi({ ttl: 3600, args: ['--rows', String(rows)] });
    const api = await overNetwork(server, LATENCY);
    const site = deployedSite(api.url);
    const host = await overNetwork(await startApi({ ttl: 3600, site: site.dir }), LATENCY);
    const other = AGAINST && deployedSite(api.url, AGAINST);
    const otherHost = other && await overNetwork(await startApi({ ttl: 3600, site: other.dir }), LATENCY);
    try {
      const token = await demoToken(server.url);
      const pages = {
        app: `${host.url}/`,
        plain: `${host.url}/plain.html?data=${encodeURIComponent(`${api.url}/api:data/customers`)}`,
        ...(otherHost && { against: `${otherHost.url}/` }),
      };
      const origins = [host.url, ...(otherHost ? [otherHost.url] : [])];
      for (const mode of MODES) {
        const runs = mode === 'first'
          ? await firstVisits(browser, pages, origins, token)
          : await repeatVisits(pages, origins, token);
        const result = summarize(runs);
        print(mode, rows, result);
        summary.push({ mode, rows, result });
      }
    } finally {
      await otherHost?.stop();
      other?.remove();
      await host.stop();
      await api.stop();
      site.remove();
    }
  }
} finally {
  await browser.close();
}
console.log(`\ntime to the first table row, tokengrid / plain page (median of ${LOADS} interleaved loads${LATENCY ? `, ${LATENCY} ms latency per request` : ''}):`);
for (const { mode, rows, result } of summary) {
  const against = result.against ? `; against: ${ms(result.against.firstRow)} ms = ${(result.against.firstRow / result.plain.firstRow).toFixed(2)}×, this build ${signed(result.against.firstRowDelta)} ms round by round` : '';
  console.log(`  ${(mode === 'first' ? 'first visit' : 'repeat visit').padEnd(12)} ${String(rows).padStart(6)} rows: ${ms(result.app.firstRow).padStart(7)} ms vs ${ms(result.plain.firstRow).padStart(7)} ms = ${result.ratio.toFixed(2)}× (${interval(result.interval)})${against}`);
}
