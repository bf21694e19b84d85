// Token handling beyond one 401, in Firefox: renewal ahead of expiry, and
// tabs that share one session (Web Locks and storage events) — each tab a
// window of one browser context, so they share its storage.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  launchFirefox, freshContext, openApp, freshPage, signedInPage, count, LOGIN, DATA, sleep, EMAIL,
  PASSWORD, logIn, waitFor, waitForText, textOf, howMany, click, storedToken, timeline, byTestId, withApi } from './support.mjs';

let firefox;
before(async () => { firefox = await launchFirefox(); });
after(async () => { await firefox?.close(); });

const TIMELINE_LINE = `${byTestId('timeline')} li`;

/** How many timeline lines contain `text`, hidden ones included. */
async function timelineCount(page, text) {
  return (await timeline(page)).filter((line) => line.includes(text)).length;
}

test('Firefox: JWS tokens are renewed ahead, once: the load after the first token expired costs one request', async () => {
  // 15 s: renewal ahead needs a lifetime above 10 s (shorter ones renew at need only).
  await withApi({ ttl: 15, args: ['--token-format', 'jwt'] }, async (api) => {
    const { page } = await signedInPage(firefox.browser, api.url);
    const loggedInAt = Date.now();
    await api.resetCounters();
    const first = await storedToken(page);
    const countdown = await textOf(page, 'session-state');
    assert.match(countdown, /Token renews in \d+ s/);
    // The countdown is live: the text changes by itself.
    await page.waitForFunction((sel, shown) => document.querySelector(sel).innerText !== shown, {}, byTestId('session-state'), countdown);
    // Lead = min(60 s, 20 % of 15 s) = 3 s: one renewal at ~12 s, the next at ~24 s.
    await waitForText(page, TIMELINE_LINE, 'renewed ahead of expiry', { timeout: 20_000 });
    // Past the first token's expiry, before the second renewal is due.
    await sleep(Math.max(0, loggedInAt + 15_500 - Date.now()));
    let c = await api.counters();
    assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } }, 'one renewal, not a storm');
    assert.equal(count(c, DATA).requests, 0, 'the renewal sent no data request and met no 401');
    assert.equal(await timelineCount(page, 'renewed ahead of expiry'), 1);
    assert.equal(await timelineCount(page, '401'), 0);
    const second = await storedToken(page);
    assert.ok(second && second !== first, 'the new token is stored');

    await api.resetCounters();
    await click(page, 'refresh');
    await waitFor(page, 'loading', { state: 'detached' });
    c = await api.counters();
    assert.deepEqual(count(c, DATA), { requests: 1, status: { 200: 1 } });
    assert.equal(count(c, LOGIN).requests, 0);
  });
});

test('Firefox: three tabs whose tokens expire together log in once, and each replays', async () => {
  await withApi({ ttl: 3 }, async (api) => {
    const context = await freshContext(firefox.browser);
    const pages = [];
    for (let i = 0; i < 3; i++) pages.push((await openApp(context, api.url)).page);
    // Firefox has Web Locks: the tabs coordinate through them, not the fallback.
    assert.ok(await pages[0].evaluate(() => typeof navigator.locks?.request === 'function'), 'navigator.locks');
    for (const page of pages) {
      await waitFor(page, 'login-form');
      await page.locator(byTestId('login-identity')).fill(EMAIL);
      await page.locator(byTestId('login-password')).fill(PASSWORD);
    }
    // All three submit at once, so each tab holds the credentials.
    await Promise.all(pages.map((p) => p.evaluate((sel) => document.querySelector(sel).requestSubmit(), byTestId('login-form'))));
    for (const page of pages) {
      await waitForText(page, byTestId('session-who'), `Signed in as ${EMAIL}`);
      await waitFor(page, 'data-table');
      await waitFor(page, 'loading', { state: 'detached' });
    }
    await sleep(3_600);
    await api.resetCounters();
    await Promise.all(pages.map((p) => click(p, 'refresh')));
    for (const page of pages) {
      await waitFor(page, 'loading', { state: 'detached' });
      assert.equal(await howMany(page, byTestId('load-error')), 0);
    }
    const c = await api.counters();
    const timelines = await Promise.all(pages.map((p) => timeline(p)));
    assert.deepEqual(count(c, LOGIN), { requests: 1, status: { 200: 1 } }, `${JSON.stringify(c)}\n${timelines.map((t) => t.slice(0, 8).join(' | ')).join('\n')}`);
    assert.equal(count(c, DATA).status[200], 3, JSON.stringify(c));
    const tokens = await Promise.all(pages.map((p) => storedToken(p)));
    assert.equal(new Set(tokens).size, 1);
  });
});

test('Firefox: a token stored by one tab is used by the others; logging out in one signs out all', async () => {
  await withApi({ ttl: 60 }, async (api) => {
    const { page: a, context } = await freshPage(firefox.browser, api.url);
    const { page: b } = await openApp(context, api.url);
    await waitFor(b, 'login-form');
    await api.resetCounters();
    await logIn(a);
    // B switches to the table by itself, with A's token (a storage event).
    await waitFor(b, 'data-table');
    await waitForText(b, TIMELINE_LINE, 'token adopted from another tab');
    await waitFor(b, 'loading', { state: 'detached' });
    const c = count(await api.counters(), LOGIN);
    assert.deepEqual(c, { requests: 1, status: { 200: 1 } }, 'B did not log in itself');
    await click(a, 'logout');
    await waitFor(b, 'login-form');
    assert.match(await textOf(b, 'login-notice'), /logged out in another tab/);
    assert.equal(await howMany(b, byTestId('data-table')), 0);
  });
});
