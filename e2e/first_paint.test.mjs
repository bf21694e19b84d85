// The first page drawn before the app's table: index.html's early script draws
// the first page of rows from the prefetched answer as soon as it is in (while
// the wasm is still on its way, or already running), and the app takes it away
// when its own table shows. The app is the oracle: for each answer, the drawn
// page must be what the app then shows — header cells, filter row, rows,
// caption, counts, pager — in the same place (nothing moves when the app takes
// over), shown in a frame of its own, with no frame between the two without
// rows; or, when the script is in any doubt, nothing is drawn and the app shows
// what it shows without it. Unless a test says otherwise, the wasm is held back
// until the answer is in, so the script has its turn with the answer first.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startApi, launchBrowser, demoToken, count, DATA, distWithConfig, allowBrowserErrors, EXPECTED, installPanelSnapshot, storeToken, overNetwork,
} from './support.mjs';

let api;
let browser;
let token;
before(async () => {
  api = await startApi({ ttl: 3600 });
  // Half an hour off UTC: local times are the page's, not UTC.
  browser = await launchBrowser({ timezoneId: 'Asia/Kolkata' });
  token = await demoToken(api.url);
});
after(async () => {
  await browser?.close();
  await api?.stop();
});

/**
 * Runs in the page before its scripts: snapshots the drawn page when it
 * appears, its layout at the next frame (the style sheet applied), and counts
 * the frames after it that show neither it nor the app's rows.
 */
function record() {
  window.__boxes = (root) => Object.fromEntries(['.toolbar', '.table-scroll', 'caption', 'thead', 'tbody tr', 'nav.pager']
    .map((selector) => [selector, JSON.stringify(root.querySelector(selector).getBoundingClientRect())]));
  const seen = { drawn: null, boxes: null, frames: 0, gaps: 0 };
  window.__firstPaint = seen;
  new MutationObserver(() => {
    const frame = document.getElementById('tokengrid-first-paint');
    if (!frame || seen.drawn) return;
    seen.drawn = window.__snapshot(frame);
    requestAnimationFrame(function check() {
      const drawn = document.getElementById('tokengrid-first-paint');
      const app = document.querySelector('[data-testid=data-table] tbody tr');
      if (drawn && !seen.boxes) {
        seen.boxes = window.__boxes(drawn);
        const box = drawn.querySelector('.toolbar .search').getBoundingClientRect();
        seen.hit = {
          target: document.elementFromPoint(box.x + box.width / 2, box.y + box.height / 2)?.id,
          inert: drawn.firstElementChild.inert,
        };
      }
      seen.frames += 1;
      if (!drawn && !app) seen.gaps += 1;
      if (!app) requestAnimationFrame(check);
    });
  }).observe(document, { childList: true, subtree: true });
}

/**
 * Opens the app at `site` with a token stored, the data answer `answer` (a
 * route's fulfilment; none: the API's own), the wasm held back until that
 * answer is in (`wasmFirst`: the app runs first and says it is loading, with
 * nothing drawn, then the answer comes).
 * Waits until `shows` (a selector) is on the page.
 */
async function open({ site = api.url, answer, wasmFirst = false, shows = '[data-testid=data-table] tbody tr', width } = {}) {
  const page = await browser.context.newPage();
  if (width) await page.setViewportSize({ width, height: 800 });
  const blank = `${site}/__first_paint_blank`;
  await page.route(blank, (route) => route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>blank</title>' }));
  await page.goto(blank);
  await page.evaluate((t) => { localStorage.clear(); localStorage.setItem('authToken', t); }, token);
  await page.addInitScript(installPanelSnapshot);
  await page.addInitScript(record);
  let wasmReady;
  const ran = new Promise((resolve) => { wasmReady = resolve; });
  if (answer || wasmFirst) {
    await page.route((url) => url.pathname.startsWith('/api:data/'), async (route) => {
      if (wasmFirst) await ran;
      if (answer) await route.fulfill({ status: 200, contentType: 'application/json', ...answer });
      else await route.continue();
    });
  }
  let release;
  const released = new Promise((resolve) => { release = resolve; });
  await page.route('**/*.wasm', async (route) => {
    if (!wasmFirst) await released;
    await route.continue();
  });
  await page.goto(`${site}/`, { waitUntil: 'commit' });
  if (wasmFirst) {
    await page.getByTestId('loading').waitFor();
    assert.equal(await page.locator('#tokengrid-first-paint').count(), 0, 'nothing drawn: no answer yet');
    wasmReady();
  } else {
    // The answer's body is in, and the script has had its turn with it.
    await page.waitForFunction(() => window.tokengridPrefetch);
    await page.evaluate(() => window.tokengridPrefetch.body.then(() => {}, () => {})
      .then(() => new Promise((resolve) => setTimeout(resolve, 0))));
    release();
  }
  await page.locator(shows).first().waitFor();
  const seen = await page.evaluate(() => window.__firstPaint);
  return { page, seen };
}

/** Asserts that the page drew the app's first page, in the app's place. */
async function assertDrawnAsTheApp(page, seen) {
  assert.ok(seen.drawn, 'the first page was drawn before the app ran');
  await page.getByTestId('loading').waitFor({ state: 'detached' });
  const app = await page.evaluate(() => {
    const panel = document.querySelector('main .table-panel');
    return { shown: window.__snapshot(panel), boxes: window.__boxes(panel) };
  });
  for (const part of Object.keys(app.shown)) {
    assert.deepEqual(seen.drawn[part], app.shown[part], `the drawn ${part} is the app's`);
  }
  assert.deepEqual(seen.boxes, app.boxes, 'nothing moves when the app takes over');
  assert.equal(seen.gaps, 0, 'no frame between the drawn page and the app\'s table lacks rows');
  assert.equal(await page.locator('#tokengrid-first-paint').count(), 0, 'the app took the drawn page away');
  assert.equal(await page.locator('#tokengrid-frame').count(), 0, 'and its template: nothing can be drawn over the app later');
}

test('the seeded customers: the first page is drawn before the app runs, as the app then shows it, in its place', async () => {
  await api.resetCounters();
  const { page, seen } = await open();
  // Nothing on it takes a click or the focus: a click lands on its outer box,
  // never on the app's page under it.
  assert.deepEqual(seen.hit, { target: 'tokengrid-first-paint', inert: true });
  await assertDrawnAsTheApp(page, seen);
  // Links, e-mail addresses, local times, JSON, empty cells, ✓ and ✗ all drawn.
  for (const kind of ['href="mailto:', '<time datetime="', 'class="json"', 'class="null"', 'class="bool"']) {
    assert.ok(seen.drawn.rows.includes(kind), kind);
  }
  assert.match(seen.drawn.pager, /Page 1 of 12/);
  const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
  assert.equal(marks.filter((m) => m === 'tokengrid:first-row').length, 1, 'one first-row mark: the drawn page\'s');
  assert.ok(marks.indexOf('tokengrid:first-row') < marks.indexOf('tokengrid:wasm-ready'), 'the first row came before the wasm');
  assert.ok(marks.indexOf('tokengrid:wasm-ready') < marks.indexOf('tokengrid:app-row'), 'the app\'s own row is marked when it shows');
  assert.deepEqual(count(await api.counters(), DATA), { requests: 1, status: { 200: 1 } }, 'one data request');
  // The app's page acts: a sort answers.
  await page.getByTestId('sort-name').click();
  await page.locator('th[aria-sort=ascending]').waitFor();
  await page.close();
});

test('nothing moves on narrow screens either: the header keeps the session bar\'s rows before the bar comes', async () => {
  for (const width of [800, 375]) {
    const { page, seen } = await open({ width });
    await assertDrawnAsTheApp(page, seen);
    await page.close();
  }
});

/** Rows that use every kind of cell and label the app has, on one page. */
const KINDS = [
  {
    id: 1, userId: 7, JSONData: { b: [1, 2.5, '<i>x</i>', null, true], a: { 'c d': 'é' } }, api_url: 'https://example.com/a?b=1#c',
    home_page: 'HTTP://EXAMPLE.COM', contact: 'a.b+c@ex-ample.co.uk', created_at: 1704067200000, updatedAt: 1704067200999,
    deleted_at: 5, flag: true, mixed: 1, price: 1303.20, whole: 100.0, tiny: 0.0001, zero: 0.0, note: 'line 1\nline 2 <b>&amp;</b>',
    'a-b.c d': 'x', ip_address: '127.0.0.1', uuid: '', ['k'.repeat(120)]: 'long key', '': 'no key', 'Zürich time': 'ü',
  },
  {
    id: -2, userId: null, api_url: 'https://user@example.com/', home_page: 'http://x', contact: 'a@b', created_at: 4102444799000,
    updatedAt: null, deleted_at: 1704067200000, flag: false, mixed: 'one', price: -0.5, whole: -3.0, tiny: 12.5,
    note: '   ', ip_address: 'https://ex.com/a b', uuid: 'mailto:a@b.co',
  },
  // Markup in texts, keys and JSON cells; a carriage return, which the HTML parser reads as a
  // line feed unless it is written as a reference.
  { id: 3, note: 'a\r\nb\r "c" \'d\' &lt; <script>x</script>', '<i class="k">&amp;</i>': '\u0001\u007f\uffff',
    JSONData: { '"<&>"': 'x\ry' }, contact: 'a&b@example.com', api_url: 'https://ex.com/?a=1&b="2"' },
  { id: 0, contact: 'a@@b.co', mixed: true, note: 'x'.repeat(1000) },
];

test('every kind of cell and label is drawn as the app draws it', async () => {
  const body = JSON.stringify(KINDS).replace('"whole":100', '"whole":100.0').replace('"whole":-3', '"whole":-3.0')
    .replace('"zero":0', '"zero":0.0').replace('"price":1303.2', '"price":1303.20');
  assert.match(body, /"whole":100\.0,.*"zero":0\.0,/, 'the whole decimals are written as decimals');
  const { page, seen } = await open({ answer: { body } });
  await assertDrawnAsTheApp(page, seen);
  assert.match(seen.drawn.pager, /Page 1 of 1/);
  assert.match(seen.drawn.heads, />User ID</);
  await page.close();
});

test('the caption comes from the configured title or the data URL, as the app has it', async () => {
  for (const config of [{ title: '  Orders  ' }, { dataUrl: '/api:data/line_items/?page=2#top' }, { dataUrl: '/api:data/:/' }]) {
    const site = distWithConfig(config);
    const served = await startApi({ ttl: 3600, site: site.dir });
    try {
      const { page, seen } = await open({ site: served.url, answer: { body: JSON.stringify([{ id: 1 }]) } });
      await assertDrawnAsTheApp(page, seen);
      await page.close();
    } finally {
      await served.stop();
      site.remove();
    }
  }
});

test('drawFirstPage: false: nothing is drawn, the app draws the table alone', async () => {
  const site = distWithConfig({ drawFirstPage: false });
  const served = await startApi({ ttl: 3600, site: site.dir });
  try {
    const { page, seen } = await open({ site: served.url, answer: { body: JSON.stringify([{ id: 1 }]) } });
    assert.equal(seen.drawn, null);
    await page.close();
  } finally {
    await served.stop();
    site.remove();
  }
});

/**
 * Holds `page`'s data answers until the page asks for the app's module (5 s at most). Returns
 * the list of what ended each hold, as they end: 'the module' or 'the 5 s limit'.
 */
async function holdDataUntilModuleAsked(page) {
  let asked;
  const moduleAsked = new Promise((resolve) => { asked = resolve; });
  page.on('request', (request) => { if (request.url().endsWith('.wasm')) asked('the module'); });
  const ends = [];
  await page.route((url) => url.pathname.startsWith('/api:data/'), async (route) => {
    let timer;
    ends.push(await Promise.race([moduleAsked, new Promise((resolve) => { timer = setTimeout(resolve, 5000, 'the 5 s limit'); })]));
    clearTimeout(timer);
    await route.continue();
  });
  return ends;
}

test('the app\'s code (module and glue) is fetched once the first page is drawn or its wait (50 ms and the page\'s own round trip) has passed, on a first visit and a repeat visit alike; with no request sent: preloaded at once', async () => {
  // A site on an origin this browser has not seen: its page and files come over the network.
  const site = distWithConfig({ dataUrl: `${api.url}/api:data/customers`, loginUrl: `${api.url}/api:auth/auth/login`, devHintUrl: null });
  const served = await startApi({ ttl: 3600, site: site.dir });
  // A page that notes when the early script's `drawn` resolves (before the app's loader, which
  // awaits it, goes on) and what it said; the app takes the exchange off the page later.
  const watched = async () => {
    const page = await browser.context.newPage();
    await page.addInitScript(() => {
      let sent;
      Object.defineProperty(window, 'tokengridPrefetch', {
        configurable: true,
        get: () => sent,
        set: (value) => {
          sent = value;
          if (!value || window.__sent) return;
          window.__sent = { holds: value.holds };
          value.drawn.then(() => { window.__sent.drawnAt = performance.now(); });
        },
      });
    });
    return page;
  };
  const seen = async (page, shows) => {
    await page.getByTestId(shows).waitFor();
    return page.evaluate(() => {
      const resources = performance.getEntriesByType('resource');
      const wasm = resources.filter((r) => r.name.endsWith('.wasm'));
      const glue = resources.filter((r) => /\/tokengrid-[^/]*\.js$/.test(r.name));
      return {
        ...window.__sent,
        sent: performance.getEntriesByName('tokengrid:data-sent', 'mark')[0]?.startTime,
        wasm: wasm[0].startTime,
        glue: glue[0].startTime,
        wasmRequests: wasm.length,
        glueRequests: glue.length,
        // Whether the module came from the HTTP cache (nothing transferred).
        wasmCached: wasm[0].transferSize === 0,
        // When the page had been read whole (the loader, a module script, runs after it).
        read: performance.getEntriesByType('navigation')[0].domInteractive,
      };
    });
  };
  // A visit; `held`: its answer held until the app asks for its module (5 s at most), which
  // it does only once its wait has passed without an answer. (Playwright turns a page's HTTP
  // cache off while it routes requests: a held visit reads everything over the network.)
  const visit = async (held) => {
    const page = await watched();
    if (held) await holdDataUntilModuleAsked(page);
    await page.goto(`${served.url}/`);
    const got = await seen(page, 'data-table');
    await page.close();
    return got;
  };
  try {
    await storeToken(browser.context, served.url, token);
    // The answer held on a first visit: the app's code waits for it (50 ms and a loopback round
    // trip), then comes.
    const first = await visit(true);
    assert.equal(first.wasmCached, false, JSON.stringify(first));
    // (The mark is set just after the timer starts.)
    assert.ok(first.drawnAt - first.sent >= 45, `waited at least 50 ms for the answer: ${JSON.stringify(first)}`);
    // A visit that fills the cache, then a repeat visit: its page revalidated, the app's
    // files read from the cache, and yet its code waits for the first page too.
    await visit(false);
    const repeat = await visit(false);
    assert.equal(repeat.wasmCached, true, JSON.stringify(repeat));
    for (const [when, got] of [['a first visit', first], ['a repeat visit', repeat]]) {
      assert.equal(got.holds, true, when);
      assert.ok(got.wasm >= got.drawnAt, `${when}: the module asked for after the wait: ${JSON.stringify(got)}`);
      assert.ok(got.glue >= got.drawnAt, `${when}: its glue asked for after the wait: ${JSON.stringify(got)}`);
      assert.equal(got.wasmRequests, 1, when);
      assert.equal(got.glueRequests, 1, when);
    }

    // No token: no request, no first page to wait for. The module and its glue are preloaded
    // while the page is still being read, and fetched once.
    const page = await watched();
    await page.addInitScript(() => localStorage.removeItem('authToken'));
    await page.goto(`${served.url}/`);
    const got = await seen(page, 'login-form');
    assert.equal(got.holds, undefined, 'nothing sent');
    assert.ok(got.wasm < got.read, `the module asked for before the page was read whole: ${JSON.stringify(got)}`);
    assert.equal(got.wasmRequests, 1, 'the preload is the module the loader starts');
    assert.ok(got.glue < got.read, `the glue asked for before the page was read whole: ${JSON.stringify(got)}`);
    assert.equal(got.glueRequests, 1, 'the preload is the glue the loader imports');
    await page.close();
  } finally {
    await served.stop();
    site.remove();
  }
});

test('over a slow network the app\'s code waits longer for the first page: 50 ms plus the page\'s own round trip', async () => {
  // The site 150 ms away (a relay that holds every byte 75 ms each way; a page fulfilled by
  // Playwright would lose its loopback address and with it the right to ask the API), the API
  // on loopback, its data answer held until the app asks for its module (5 s at most), so that
  // only the wait can end it.
  const site = distWithConfig({ dataUrl: `${api.url}/api:data/customers`, loginUrl: `${api.url}/api:auth/auth/login`, devHintUrl: null });
  const served = await overNetwork(await startApi({ ttl: 3600, site: site.dir }), 150);
  try {
    await storeToken(browser.context, served.url, token);
    const page = await browser.context.newPage();
    const ends = await holdDataUntilModuleAsked(page);
    await page.goto(`${served.url}/`);
    await page.getByTestId('data-table').waitFor();
    const got = await page.evaluate(() => {
      const navigation = performance.getEntriesByType('navigation')[0];
      return {
        trip: navigation.responseStart - navigation.requestStart,
        sent: performance.getEntriesByName('tokengrid:data-sent', 'mark')[0].startTime,
        wasm: performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm')).startTime,
      };
    });
    await page.close();
    assert.ok(got.trip >= 150, `the page's round trip as the browser timed it: ${JSON.stringify(got)}`);
    assert.equal(ends[0], 'the module', 'the wait ended without an answer');
    // (The mark is set just after the timer starts.)
    const hold = 50 + Math.min(got.trip, 250);
    assert.ok(got.wasm - got.sent >= hold - 5, `waited ${hold} ms for the answer: ${JSON.stringify(got)}`);
  } finally {
    await served.stop();
    site.remove();
  }
});

test('a host that serves the module without its `application/wasm` type: the app starts all the same', async () => {
  await storeToken(browser.context, api.url, token);
  const page = await browser.context.newPage();
  const types = [];
  await page.route('**/*.wasm', async (route) => {
    const response = await route.fetch();
    types.push(response.headers()['content-type']);
    await route.fulfill({ response, headers: { ...response.headers(), 'content-type': 'application/octet-stream' } });
  });
  await page.goto(`${api.url}/`);
  await page.getByTestId('data-table').locator('tbody tr').first().waitFor();
  assert.deepEqual(types, ['application/wasm'], 'the host\'s own type, replaced');
  await page.close();
});

test('more than 500 rows: "All" is off and the pager counts 21 pages, as in the app', async () => {
  const rows = Array.from({ length: 501 }, (_, i) => ({ id: i + 1, name: `row ${i + 1}` }));
  const { page, seen } = await open({ answer: { body: JSON.stringify(rows) } });
  await assertDrawnAsTheApp(page, seen);
  assert.equal(seen.drawn.all, true);
  assert.match(seen.drawn.pager, /Page 1 of 21/);
  await page.close();
});

/**
 * Answers the script leaves to the app, each beside the nearest answer it
 * draws: [what, the answer left to the app, the answer drawn, what the app
 * shows for the first].
 */
const rows = (n, row) => JSON.stringify(Array.from({ length: n }, (_, i) => row(i)));
// 30 rows, each with a whole decimal (`"n":0.0`, `"n":1.0`, …) and a text of brackets,
// braces, escaped quotes and backslashes; the JSON cell of row `at` (from 0) holds a whole
// decimal, the others 5.5. The script reads the first page's 25 rows again, cut from the text.
const thirty = (at) => `[${Array.from({ length: 30 }, (_, i) =>
  `{"id":${i},"t":"a\\\\\\"}]{[\\\\","n":${i}.0,"j":{"n":${i === at ? '5.0' : '5.5'}}}`).join(',')}]`;
const DOUBTS = [
  ['a number with an exponent', '[{"n":5e2}]', '[{"n":500}]'],
  ['an integer of 16 digits', '[{"n":1234567890123456}]', '[{"n":123456789012345}]'],
  ['a decimal of 16 digits', '[{"n":1.234567890123456}]', '[{"n":1.23456789012345}]'],
  ['a decimal below 10^-4', '[{"n":0.00001}]', '[{"n":0.0001}]'],
  ['minus zero', '[{"n":-0}]', '[{"n":0}]'],
  ['minus zero as a decimal', '[{"n":-0.0}]', '[{"n":0.0}]'],
  ['a whole decimal inside a JSON cell', '[{"j":{"n":5.0}}]', '[{"j":{"n":5.5}}]'],
  ['a whole decimal inside a JSON cell of the 25th row of 30 (its neighbour: of the 26th)', thirty(24), thirty(25)],
  ['a key that looks like an array index', '[{"b":1,"1":2}]', '[{"b":1,"01":2}]'],
  ['a key that looks like an array index in a JSON cell', '[{"j":{"b":1,"1":2}}]', '[{"j":{"b":1,"01":2}}]'],
  ['a key that looks like an array index once its escape is read', '[{"b":1,"\\u0031":2}]', '[{"b":1,"\\u0061":2}]'],
  ['a NUL in a text (the HTML parser would drop it)', '[{"t":"a\\u0000b"}]', '[{"t":"a\\u0001b"}]'],
  ['an escaped surrogate pair', '[{"t":"\\ud83d\\ude00"}]', '[{"t":"\ud83d\ude00"}]'],
  ['51 columns', rows(1, () => Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`c${i}`, i]))),
    rows(1, () => Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`c${i}`, i])))],
  ['a text of 1,001 characters', rows(1, () => ({ t: 'x'.repeat(1001) })), rows(1, () => ({ t: 'x'.repeat(1000) }))],
  ['a JSON cell of 1,001 characters', rows(1, () => ({ j: ['x'.repeat(997)] })), rows(1, () => ({ j: ['x'.repeat(996)] }))],
  ['a non-ASCII text with an @', rows(1, () => ({ t: 'ü@example.com' })), rows(1, () => ({ t: 'u@example.com' }))],
  ['a non-ASCII text that starts as a link', rows(1, () => ({ t: 'https://ex.com/ü' })), rows(1, () => ({ t: 'https://ex.com/u' }))],
  ['a paging envelope', JSON.stringify({ items: [{ id: 1 }], curPage: 1, nextPage: null }), '[{"id":1}]'],
  ['rows that are not objects', '[1,2]', '[{"value":1},{"value":2}]'],
  ['rows without keys', '[{},{}]', '[{"a":null},{}]', '[data-testid=data-table]'],
  ['a body larger than the app reads in one step (512 KiB)', rows(4450, (i) => ({ id: i, t: 'y'.repeat(100) })),
    rows(4400, (i) => ({ id: i, t: 'y'.repeat(100) }))],
  ['a body that starts with a byte order mark', '\ufeff[{"id":1}]', '[{"id":1}]'],
  ['nesting 64 deep', rows(1, () => ({ j: JSON.parse('['.repeat(62) + ']'.repeat(62)) })),
    rows(1, () => ({ j: JSON.parse('['.repeat(61) + ']'.repeat(61)) }))],
];

test('the doubts are what they say: the big body is over 512 KiB, its neighbour under', () => {
  const big = DOUBTS.find(([name]) => name.startsWith('a body larger'));
  assert.ok(Buffer.byteLength(big[1]) > 524288 && Buffer.byteLength(big[2]) <= 524288);
  assert.equal(JSON.stringify(JSON.parse(DOUBTS.find(([name]) => name.startsWith('a JSON cell'))[2]).at(0).j).length, 1000);
  const [doubt, drawn] = [thirty(24), thirty(25)].map((text) => JSON.parse(text));
  assert.equal(doubt.length, 30);
  assert.equal(doubt[0].t, 'a\\"}]{[\\');
  assert.deepEqual([doubt[24].j.n, doubt[25].j.n, drawn[24].j.n, drawn[25].j.n], [5, 5.5, 5.5, 5]);
  assert.ok(thirty(24).includes('"n":7.0,') && thirty(24).includes('{"n":5.0}'));
});

for (const [name, doubt, drawn, shows] of DOUBTS) {
  test(`nothing is drawn for ${name} (the app shows it alone); its neighbour is drawn as the app draws it`, async () => {
    const left = await open({ answer: { body: doubt }, shows });
    assert.equal(left.seen.drawn, null, 'nothing drawn');
    await left.page.close();
    const { page, seen } = await open({ answer: { body: drawn }, shows });
    await assertDrawnAsTheApp(page, seen);
    await page.close();
  });
}

test('nothing is drawn for an answer without rows, one that is not JSON or not a 200: the app says what it is', async () => {
  for (const [answer, shows] of [
    [{ body: '[]' }, '[data-testid=empty]'],
    [{ body: '[{"id":1},' }, '[data-testid=load-error]'],
    [{ status: 201, body: '[{"id":1}]' }, '[data-testid=data-table] tbody tr'],
  ]) {
    const { page, seen } = await open({ answer, shows });
    assert.equal(seen.drawn, null, `nothing drawn for ${JSON.stringify(answer).slice(0, 60)}`);
    await page.close();
  }
});

test('a refused token: nothing is drawn, and the form shows', async () => {
  allowBrowserErrors(EXPECTED.status(401, 'Unauthorized'));
  const { page, seen } = await open({
    answer: { status: 401, body: '{"code":"ERROR_CODE_UNAUTHORIZED","message":"Invalid token."}' },
    shows: '[data-testid=login-form]',
  });
  assert.equal(seen.drawn, null);
  await page.close();
});

test('the app runs and says it is loading before the answer comes: the first page is drawn all the same and shown in a frame before the app\'s table replaces it', async () => {
  for (const answer of [undefined, { body: '[{"id":1}]' }]) {
    const { page, seen } = await open({ answer, wasmFirst: true });
    assert.ok(seen.boxes, 'a frame showed the drawn page');
    await assertDrawnAsTheApp(page, seen);
    await page.close();
  }
});
