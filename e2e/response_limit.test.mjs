// maxResponseBytes, end to end: the release build, configured to read at most
// 1 MiB of any answer, against the development API's `oversize` fault (64 MiB
// of JSON, with Content-Length or chunked without). The page names the
// setting and the limit, offers Retry, keeps the last good table, retries
// nothing by itself, and the browser downloads a small part of the answer at
// most (DevTools' network events count the bytes); the same for the answer to
// the early request index.html's script sends, and a login answer over the
// limit is a login error on the form. The script's body read is also run over
// the body cases of tests/prefetch_cases.json, which the client's own rule is
// held to natively (src/auth/prefetch/tests.rs).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  root, startApi, launchBrowser, freshPage, signedInPage, distWithConfig, count, LOGIN, DATA, sleep, submitLogin, logIn,
} from './support.mjs';
import { versions, runOnFakePage, fakeAnswer } from './early_script.mjs';

const LIMIT = 1 << 20;
const OVERSIZE = 64 << 20;
const MESSAGE = (url) => `The answer from ${url} is larger than 1 MiB, the \`maxResponseBytes\` setting. Ask for fewer rows (paging) or raise the setting.`;
const LOGIN_MESSAGE = (url) => `The answer from ${url} is larger than 1 MiB, the \`maxResponseBytes\` setting. An answer with a token is a few fields: check the \`loginUrl\` setting.`;

let browser;
let api;
let site;
before(async () => {
  browser = await launchBrowser();
  site = distWithConfig({ tokenLifetimeSeconds: 60, maxResponseBytes: LIMIT });
  api = await startApi({ ttl: 60, args: ['--faults'], site: site.dir });
});
after(async () => {
  await browser?.close();
  await api?.stop();
  site?.remove();
});

async function inject(fault) {
  const r = await fetch(`${api.url}/__dev/faults`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(fault),
  });
  assert.equal(r.status, 200, await r.text());
}

async function clearFaults() {
  await fetch(`${api.url}/__dev/faults`, { method: 'DELETE' });
}

/**
 * Watches the page's requests to `path` through DevTools: for each, the
 * bytes that reached the browser and how it ended ("finished", "canceled"
 * or the network error).
 */
async function watchNetwork(page, path) {
  const cdp = await page.context().newCDPSession(page);
  const requests = new Map();
  cdp.on('Network.requestWillBeSent', (e) => {
    if (new URL(e.request.url).pathname === path && e.request.method !== 'OPTIONS') {
      requests.set(e.requestId, { received: 0, ended: null });
    }
  });
  cdp.on('Network.dataReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.received += e.encodedDataLength;
  });
  cdp.on('Network.loadingFinished', (e) => {
    const r = requests.get(e.requestId);
    if (r) { r.received = Math.max(r.received, e.encodedDataLength); r.ended = 'finished'; }
  });
  cdp.on('Network.loadingFailed', (e) => {
    const r = requests.get(e.requestId);
    if (r) r.ended = e.canceled ? 'canceled' : e.errorText;
  });
  await cdp.send('Network.enable');
  return { all: () => [...requests.values()], stop: () => cdp.detach() };
}

/** The request ended before it was read through: aborted, and a small part of the answer downloaded. */
async function aborted(network) {
  let requests = network.all();
  for (let i = 0; i < 100 && requests.some((r) => r.ended === null); i++) {
    await sleep(50);
    requests = network.all();
  }
  assert.equal(requests.length, 1, JSON.stringify(requests));
  const [{ received, ended }] = requests;
  assert.equal(ended, 'canceled', 'the request is aborted, not read to its end');
  assert.ok(received < OVERSIZE / 8, `${received} of ${OVERSIZE} bytes downloaded`);
}

for (const chunked of [false, true]) {
  const how = chunked ? 'chunked, without Content-Length' : 'with Content-Length';
  test(`a refresh answered with 64 MiB (${how}): the setting named, Retry offered, the table kept, nothing retried, the download aborted`, async () => {
    await clearFaults();
    const { page } = await signedInPage(browser.context, api.url);
    const rows = await page.locator('[data-testid="data-table"] tbody tr').count();
    await api.resetCounters();
    const network = await watchNetwork(page, '/api:data/customers');
    await inject({ endpoint: DATA, fault: 'oversize', count: 1, bytes: OVERSIZE, chunked });
    await page.getByTestId('refresh').click();
    const error = page.getByTestId('load-error');
    await error.waitFor();
    assert.match(await error.innerText(), new RegExp(escape(MESSAGE('/api:data/customers'))));
    await page.getByTestId('stale-note').waitFor();
    assert.equal(await page.locator('[data-testid="data-table"] tbody tr').count(), rows, 'the last good table stays');
    await aborted(network);
    await sleep(2_500);
    assert.equal(await page.getByTestId('retry-countdown').count(), 0, 'no retry by itself');
    assert.deepEqual(count(await api.counters(), DATA), { requests: 1, status: { 200: 1 } }, 'one request');
    await page.getByTestId('retry').click();
    await error.waitFor({ state: 'detached' });
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('stale-note').count(), 0);
    await network.stop();
    await page.close();
  });

  test(`the early request's answer over the limit (${how}): the same message on opening, Retry loads the table`, async () => {
    await clearFaults();
    const { page } = await signedInPage(browser.context, api.url);
    await api.resetCounters();
    const network = await watchNetwork(page, '/api:data/customers');
    await inject({ endpoint: DATA, fault: 'oversize', count: 1, bytes: OVERSIZE, chunked });
    await page.reload();
    const error = page.getByTestId('load-error');
    await error.waitFor();
    assert.match(await error.innerText(), new RegExp(escape(MESSAGE('/api:data/customers'))));
    const marks = await page.evaluate(() => performance.getEntriesByType('mark').map((m) => m.name));
    assert.deepEqual(
      marks.filter((n) => n.startsWith('tokengrid:')),
      ['tokengrid:data-sent', 'tokengrid:wasm-ready'],
      'sent and read by the script, refused by the app; no body received',
    );
    await aborted(network);
    await sleep(2_500);
    assert.deepEqual(count(await api.counters(), DATA), { requests: 1, status: { 200: 1 } }, 'not retried by itself');
    await page.getByTestId('retry').click();
    await page.getByTestId('data-table').waitFor();
    await page.getByTestId('loading').waitFor({ state: 'detached' });
    assert.equal(await page.getByTestId('load-error').count(), 0);
    await network.stop();
    await page.close();
  });
}

test('a login answer over the limit: a login error on the form, naming the setting; the next login works', async () => {
  await clearFaults();
  const { page } = await freshPage(browser.context, api.url);
  await inject({ endpoint: LOGIN, fault: 'oversize', count: 1, bytes: 2 * LIMIT, chunked: true });
  await api.resetCounters();
  await submitLogin(page);
  const error = page.getByTestId('login-error');
  await error.waitFor();
  assert.equal(await error.innerText(), LOGIN_MESSAGE('/api:auth/auth/login'));
  assert.equal(await page.getByTestId('login-form').count(), 1, 'still the form');
  assert.equal(await page.evaluate(() => localStorage.getItem('authToken')), null, 'no token');
  assert.equal(count(await api.counters(), DATA).requests, 0);
  await logIn(page);
  assert.equal(count(await api.counters(), LOGIN).requests, 2);
  await page.close();
});

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

// ------------------------------------------------- the script's body read

const { bodies } = JSON.parse(readFileSync(join(root, 'tests', 'prefetch_cases.json'), 'utf8'));

const chunkBytes = (chunk) => (typeof chunk === 'number' ? new Uint8Array(chunk).fill(97)
  : typeof chunk === 'string' ? new TextEncoder().encode(chunk) : new Uint8Array(chunk.bytes));

/** Runs the script on a fake page (e2e/early_script.mjs) whose fetch answers `c`; what its body read came to. */
async function readBody(source, c) {
  const response = fakeAnswer({ contentLength: c.contentLength, chunks: c.chunks?.map(chunkBytes) ?? null });
  const { sent } = runOnFakePage(source, {
    configText: JSON.stringify({ maxResponseBytes: c.limit }),
    getItem: (key) => (key === 'authToken' ? 'opaque-token-1' : null),
    fetch: () => Promise.resolve(response),
  });
  assert.ok(sent, 'the script sent the request');
  // The bytes read, decoded as the app decodes them (tested natively:
  // src/auth/transport.rs `utf8_text`, Response.text()'s rule).
  const read = await sent.body;
  const text = read === false ? false
    : new TextDecoder().decode(new Uint8Array(read.flatMap((chunk) => [...chunk])));
  return { reads: response.reads(), over: read === false, text, aborted: sent.controller.signal.aborted };
}

for (const [version, source] of versions) for (const c of bodies) {
  test(`the script's body read (${version}): ${c.name}`, async () => {
    const { reads, over, text, aborted: wasAborted } = await readBody(source, c);
    assert.deepEqual({ reads, over }, { reads: c.reads, over: c.over });
    assert.equal(wasAborted, c.over, 'over the limit, the request is aborted');
    if (!c.over) assert.equal(typeof text, 'string');
    if (c.text !== undefined) assert.equal(text, c.text);
  });
}
