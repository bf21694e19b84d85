// Faults in Firefox: the development API misbehaves on purpose (--faults) or
// goes away, and the page says what went wrong, keeps the last good table
// (marked stale), sends no more requests than the action allows (the API's
// counters) and recovers by itself or with one click.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startApi, launchFirefox, signedInPage, distWithConfig, count, LOGIN, DATA, sleep, waitFor, textOf, howMany,
  click, rowCount, inject, byTestId, timeline,
} from './support.mjs';

let firefox;
let api;
let site;
before(async () => {
  firefox = await launchFirefox();
  // The tokens' lifetime is configured, so renewal ahead follows it and the
  // tests count only the requests their faults provoke.
  site = distWithConfig({ tokenLifetimeSeconds: 60 });
  api = await startApi({ ttl: 60, args: ['--faults'], site: site.dir });
});
after(async () => {
  await firefox?.close();
  await api?.stop();
  site?.remove();
});

/** A fresh page logged in with the table loaded, no faults; counters reset after. */
async function loaded(server = api) {
  await fetch(`${server.url}/__dev/faults`, { method: 'DELETE' });
  const opened = await signedInPage(firefox.browser, server.url);
  await server.resetCounters();
  return opened;
}

async function refreshFails(page) {
  await click(page, 'refresh');
  await waitFor(page, 'load-error');
  await waitFor(page, 'stale-note');
  assert.equal(await howMany(page, byTestId('data-table')), 1, 'the last good table stays');
  return textOf(page, 'load-error');
}

async function recovered(page) {
  await waitFor(page, 'load-error', { state: 'detached', timeout: 10_000 });
  await waitFor(page, 'loading', { state: 'detached' });
  assert.equal(await howMany(page, byTestId('stale-note')), 0);
}

test('Firefox: 500 with Xano\'s ERROR_FATAL body: the message as text, the table kept, one request, Retry recovers', async () => {
  const { page } = await loaded();
  await inject(api, { endpoint: DATA, fault: 'error500', count: 1 });
  const message = await refreshFails(page);
  assert.match(message, /HTTP 500 \(Internal Server Error\): An unexpected error occurred\. <img src=x onerror=alert\(1\)>/);
  assert.equal(await howMany(page, `${byTestId('load-error')} img`), 0, 'the markup is text');
  await sleep(2_500);
  assert.deepEqual(count(await api.counters(), DATA), { requests: 1, status: { 500: 1 } }, 'no automatic retry of a 500');
  await click(page, 'retry');
  await recovered(page);
  assert.deepEqual(count(await api.counters(), DATA), { requests: 2, status: { 500: 1, 200: 1 } });
});

test('Firefox: 502 with an HTML proxy page: summarised by its title, retried by itself once the proxy is back', async () => {
  const { page } = await loaded();
  await inject(api, { endpoint: DATA, fault: 'proxy502', count: 1 });
  const message = await refreshFails(page);
  assert.match(message, /HTTP 502 \(Bad Gateway\) with an HTML page: “502 Bad Gateway”/);
  assert.match(await textOf(page, 'retry-countdown'), /Trying again by itself in \d s/);
  await recovered(page);
  assert.deepEqual(count(await api.counters(), DATA), { requests: 2, status: { 502: 1, 200: 1 } });
});

/** The data requests the page itself sent, newest first, as its timeline tells. */
async function pageDataRequests(page) {
  return (await timeline(page)).filter((line) => / GET \/api:data\/customers /.test(line));
}

test('Firefox: a connection dropped without an answer is sent again by Firefox itself; the page sees one answer', async () => {
  // Unlike Chromium, Firefox resends an idempotent request whose connection
  // closed before any answer (up to network.http.request.max-attempts = 10
  // times), unseen by the page: the server counts two requests, the page sent one.
  const { page } = await loaded();
  const before = (await pageDataRequests(page)).length;
  await inject(api, { endpoint: DATA, fault: 'drop', count: 1 });
  await click(page, 'refresh');
  await waitFor(page, 'loading', { state: 'detached' });
  assert.equal(await howMany(page, byTestId('load-error')), 0);
  assert.deepEqual(count(await api.counters(), DATA), { requests: 2, status: { 0: 1, 200: 1 } });
  const sent = (await pageDataRequests(page)).slice(0, -before || undefined);
  assert.equal(sent.length, 1, sent.join('\n'));
  assert.match(sent[0], /GET \/api:data\/customers → 200$/);
});

test('Firefox: connections dropped until Firefox gives up: "could not reach", retried by the page itself', async () => {
  const { page } = await loaded();
  const before = (await pageDataRequests(page)).length;
  await inject(api, { endpoint: DATA, fault: 'drop', count: 10 });
  assert.match(await refreshFails(page), /Could not reach/);
  assert.match(await textOf(page, 'retry-countdown'), /Trying again by itself in \d s/);
  await recovered(page);
  // Two fetches by the page: the failed one (ten attempts on the wire) and its retry.
  assert.deepEqual(count(await api.counters(), DATA), { requests: 11, status: { 0: 10, 200: 1 } });
  const sent = (await pageDataRequests(page)).slice(0, -before || undefined);
  assert.equal(sent.length, 2, sent.join('\n'));
});

test('Firefox: a failed refresh keeps the last table on screen, and Retry recovers once the server is back', async () => {
  // A server of its own: it goes down for one refresh, then a new process
  // (which knows no token) answers the retry with a 401.
  let own = await startApi({ ttl: 60 });
  try {
    const { page } = await signedInPage(firefox.browser, own.url);
    const port = own.port;
    await own.stop();
    await click(page, 'refresh');
    await waitFor(page, 'load-error');
    assert.match(await textOf(page, 'load-error'), /could not reach/i);
    await waitFor(page, 'stale-note');
    assert.equal(await rowCount(page), 300, 'the last good table stays');

    // A new API process on the same port: it does not know the old token,
    // so Retry goes 401 → silent login → replay, and the table is fresh.
    own = await startApi({ ttl: 60, port });
    await click(page, 'retry');
    await waitFor(page, 'load-error', { state: 'detached' });
    await waitFor(page, 'loading', { state: 'detached' });
    assert.equal(await rowCount(page), 300);
    const c = await own.counters();
    assert.deepEqual(count(c, DATA), { requests: 2, status: { 401: 1, 200: 1 } });
    assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } });
  } finally {
    await own.stop();
  }
});
