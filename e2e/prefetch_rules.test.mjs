// The inline script of index.html that sends the first data request early,
// run in a `node:vm` context with a fake page (configuration block,
// localStorage, fetch, timers, performance) over tests/prefetch_cases.json —
// the cases the native test (src/auth/prefetch/tests.rs) runs the client
// over, so the script's rules and the client's cannot drift apart.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { compact } from '../scripts/csp.mjs';
import { inlineScripts as scripts, versions, runOnFakePage, fakeAnswer } from './early_script.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { pageOrigin, now: defaultNow, cases } = JSON.parse(readFileSync(join(root, 'tests', 'prefetch_cases.json'), 'utf8'));

const stored = (value) => (typeof value === 'string' ? value : value.repeat.repeat(value.times));

/**
 * Runs the script on a fake page (e2e/early_script.mjs) whose fetch answers `respond()` and
 * whose timers are kept, not run; returns what it did.
 */
function run(script, { configText, storage = {}, now = defaultNow, respond = () => new Promise(() => {}), navigation }) {
  const fetches = [];
  const timers = [];
  const { sent, marks } = runOnFakePage(script, {
    configText,
    getItem: (key) => (Object.hasOwn(storage, key) ? stored(storage[key]) : null),
    fetch(url, init) {
      const response = respond();
      fetches.push({ url, init, response });
      return response;
    },
    setTimeout: (callback, ms) => timers.push({ callback, ms }),
    now,
    navigation,
  });
  return { fetches, timers, marks, sent };
}

const configText = (c) => (Object.hasOwn(c, 'configText') ? c.configText : JSON.stringify(c.config));

test('index.html has two inline scripts that run: the prefetch, then the first page\'s drawing', () => {
  assert.equal(scripts.length, 2);
  assert.match(scripts[0], /window\.tokengridPrefetch = sent/);
  assert.match(scripts[1], /sent\.paint = paint/);
});

test('the drawing script hands the prefetch its `paint` only when a first page is to be drawn', () => {
  const run = (prefetch) => {
    const page = vm.createContext({ window: {}, performance: { mark() {} }, Date, JSON, Map, Set, Object, Array, String, Math });
    if (prefetch) page.window.tokengridPrefetch = prefetch;
    vm.runInContext(scripts[1], page);
    return page.window.tokengridPrefetch;
  };
  assert.equal(run(undefined), undefined, 'no request sent: nothing to draw, nothing thrown');
  assert.equal(run({ holds: false }).paint, undefined, 'drawFirstPage false');
  assert.equal(typeof run({ holds: true, url: '/api:data/customers', caption: '' }).paint, 'function');
});

test('the build compacts the script once: comment lines and indentation go, the code stays', () => {
  const [, built] = versions[1];
  assert.equal(compact(built), built, 'compacting again changes nothing');
  assert.doesNotMatch(built, /^\s*\/\//m);
  assert.ok(built.length < scripts[0].length * 0.75, `${built.length} of ${scripts[0].length} bytes`);
});

for (const [version, script] of versions) for (const c of cases) {
  test(`prefetch (${version}): ${c.name}`, () => {
    const { fetches, timers, marks, sent } = run(script, { configText: configText(c), storage: c.storage, now: c.now });
    const want = c.request && c.request.authorization !== null && c.prefetch !== false ? c.request : null;
    if (!want) {
      assert.deepEqual({ fetches, timers: timers.length, marks, sent }, { fetches: [], timers: 0, marks: [], sent: undefined });
      return;
    }
    assert.equal(fetches.length, 1, 'one request');
    const [{ url, init, response }] = fetches;
    // As the app's fetch library sends it: resolved against the page, its query re-set.
    const target = new URL(want.url, `${pageOrigin}/`);
    target.search = target.search;
    assert.equal(url, target.href);
    assert.deepEqual(Object.keys(init).sort(), ['headers', 'signal'], 'GET, nothing but the header and the signal');
    assert.deepEqual({ ...init.headers }, { Authorization: want.authorization });
    assert.deepEqual(timers.map((t) => t.ms), [...(sent.holds ? [50] : []), want.timeoutMs], 'the wait for the first page (below) and the request timeout');
    assert.deepEqual(marks, ['tokengrid:data-sent']);
    assert.equal(sent.url, want.url, 'the URL the client asks for');
    assert.equal(sent.authorization, want.authorization);
    assert.equal(sent.response, response);
    assert.equal(init.signal, sent.controller.signal);
    assert.equal(sent.failed, false);
  });
}

const base = cases.find((c) => c.name.startsWith('a stored opaque token'));

test('the timeout aborts the prefetch, and a failed fetch is marked failed', async () => {
  const { timers, sent } = run(versions[1][1], { configText: configText(base), storage: base.storage, respond: () => Promise.reject(new TypeError('Failed to fetch')) });
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(sent.failed, true, 'the client will not take a failed prefetch over');
  assert.equal(sent.controller.signal.aborted, false);
  timers.find((t) => t.ms === 15_000).callback();
  assert.equal(sent.controller.signal.aborted, true);
});

test('the script never throws, whatever the page lacks', () => {
  const page = { window: {}, document: { getElementById: () => ({ textContent: '{}' }) } };
  page.window = page;
  vm.createContext(page);
  for (const [, script] of versions) assert.doesNotThrow(() => vm.runInContext(script, page), 'no localStorage, no fetch');
  assert.equal(page.tokengridPrefetch, undefined);
});

// The app's code waits for the first page (Trunk.toml's loader awaits `sent.drawn`), whatever
// the visit, unless none will be drawn.
/** 'drawn' once `sent.drawn` has resolved, 'waiting' while it has not. */
const state = (sent) => Promise.race([
  sent.drawn.then(() => 'drawn'),
  new Promise((resolve) => setImmediate(() => resolve('waiting'))),
]);
/** An answer whose body has brought `chunks` and is still coming. */
const answer = (status, contentLength, chunks = []) => Promise.resolve(fakeAnswer({ status, contentLength, chunks, ends: false }));

for (const [version, script] of versions) {
  test(`prefetch (${version}): the app's code waits for the answer, at most 50 ms where the page's round trip is unknown`, async () => {
    const { sent, timers } = run(script, { configText: configText(base), storage: base.storage });
    assert.equal(sent.holds, true);
    assert.equal(await state(sent), 'waiting', 'no answer yet');
    const hold = timers.find((t) => t.ms === 50);
    assert.ok(hold, `a 50 ms timer among ${timers.map((t) => t.ms)}`);
    hold.callback();
    assert.equal(await state(sent), 'drawn');
  });

  test(`prefetch (${version}): over a network the wait grows by the page's own round trip, at most 250 ms`, async () => {
    // The page's own request: sent at 100 ms, its first byte at `first`.
    const hold = (navigation) => {
      const { timers } = run(script, { configText: configText(base), storage: base.storage, navigation });
      return timers.filter((t) => t.ms !== 15_000).map((t) => t.ms);
    };
    const page = (first) => ({ requestStart: 100, responseStart: first });
    assert.deepEqual(hold(undefined), [50], 'no navigation timing: 50 ms');
    assert.deepEqual(hold(page(101)), [51], 'loopback: 1 ms');
    assert.deepEqual(hold(page(160)), [110], 'a 60 ms round trip: 50 + 60');
    assert.deepEqual(hold(page(2100)), [300], 'a page that took 2 s: 50 + 250');
    assert.deepEqual(hold(page(0)), [50], 'no first byte known (0)');
    assert.deepEqual(hold({ requestStart: 0, responseStart: 0 }), [50], 'none known');
    assert.deepEqual(hold({}), [50], 'fields missing');
  });

  test(`prefetch (${version}): no wait for a body that will not be drawn`, async () => {
    const cases = [
      ['a 401', () => answer(401, '20')],
      ['a 200 over 512 KiB by its Content-Length', () => answer(200, '524289')],
      ['a 200 whose chunks pass 512 KiB', () => answer(200, null, [new Uint8Array(524_289)])],
      ['a failed request', () => Promise.reject(new TypeError('Failed to fetch'))],
    ];
    for (const [what, respond] of cases) {
      const { sent } = run(script, { configText: configText(base), storage: base.storage, respond });
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(await state(sent), 'drawn', what);
    }
    // Its neighbour: a 200 of 512 KiB whose body is still coming is waited for.
    const { sent } = run(script, { configText: configText(base), storage: base.storage, respond: () => answer(200, '524288') });
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(await state(sent), 'waiting', 'a body that may be drawn');
  });

  test(`prefetch (${version}): drawFirstPage false: the app's code does not wait`, async () => {
    const config = { ...JSON.parse(configText(base)), drawFirstPage: false };
    const { sent } = run(script, { configText: JSON.stringify(config), storage: base.storage });
    assert.equal(sent.holds, false);
    assert.equal(await state(sent), 'drawn', 'before any answer');
  });
}
