// Browser benchmark (not a test: it prints figures for the README): where the main thread's
// time goes in an interaction — the app's code (script) and the browser's rendering of the
// change (style, layout, pre-paint, paint) — from a Chromium trace of the interactions
// e2e/bench/run.mjs times. At each size, per interaction (a re-sort, a search keystroke, a
// page change; 10 of each on one loaded page, after the idle-time preparation), the mean
// milliseconds per interaction of each trace event kind.
//
// Usage: node e2e/bench/frames.mjs   (after trunk build --release and cargo build -p dev-api)
//   BENCH_ROWS=1000,10000 picks the sizes; BENCH_SITE=dir benchmarks another build's dist/.
import { startApi, launchBrowser, demoToken, loadedPage } from '../support.mjs';

const TIMES = 10;
// Trace event → the part of the work it is.
const PARTS = {
  FunctionCall: 'script', EventDispatch: 'script', RunMicrotasks: 'script',
  UpdateLayoutTree: 'style', Layout: 'layout', PrePaint: 'pre-paint', Paint: 'paint', Layerize: 'paint',
};
const INTERACTIONS = {
  're-sort': `const b = q('sort-name'); const before = b.closest('th').getAttribute('aria-sort'); b.click();
    return () => b.closest('th').getAttribute('aria-sort') !== before;`,
  'search keystroke': `const s = q('search'); const before = q('match-count').textContent;
    s.value = s.value ? '' : 'grace'; s.dispatchEvent(new Event('input', { bubbles: true }));
    return () => q('match-count').textContent !== before;`,
  'page change': `const before = q('page-status').textContent; q(before.startsWith('Page 1 ') ? 'page-next' : 'page-prev').click();
    return () => q('page-status').textContent !== before;`,
};

/**
 * Runs `script` (which returns a "done" check) and waits until the frame after it is done has
 * been rendered, between the marks `bench:start` and `bench:end`.
 */
async function interact(page, script) {
  await page.evaluate(async (script) => {
    const q = (id) => document.querySelector(`[data-testid=${id}]`);
    performance.mark('bench:start');
    const done = new Function('q', script)(q);
    const channel = new MessageChannel();
    const macrotask = () => new Promise((resolve) => { channel.port1.onmessage = () => resolve(); channel.port2.postMessage(0); });
    while (!done()) await macrotask();
    await new Promise((resolve) => requestAnimationFrame(() => { channel.port1.onmessage = () => resolve(); channel.port2.postMessage(0); }));
    performance.mark('bench:end');
  }, script);
}

async function breakdown(context, rows) {
  const api = await startApi({ ttl: 3600, site: process.env.BENCH_SITE || undefined, args: ['--rows', String(rows)] });
  let page;
  try {
    page = await loadedPage(context, api.url, await demoToken(api.url));
    // Rank the name column (and let the idle-time preparation finish) before tracing.
    await page.getByTestId('sort-name').click();
    await page.waitForTimeout(2_000);
    const result = {};
    for (const [name, script] of Object.entries(INTERACTIONS)) {
      const cdp = await page.context().newCDPSession(page);
      const events = [];
      cdp.on('Tracing.dataCollected', (d) => events.push(...d.value));
      const complete = new Promise((resolve) => cdp.once('Tracing.tracingComplete', resolve));
      await cdp.send('Tracing.start', { categories: 'devtools.timeline,blink.user_timing', transferMode: 'ReportEvents' });
      for (let i = 0; i < TIMES; i++) {
        await interact(page, script);
        await page.waitForTimeout(100);
      }
      await cdp.send('Tracing.end');
      await complete;
      await cdp.detach();
      // The interactions' windows, from their marks: other work (the session's one-second
      // tick, idle-time preparation) is left out.
      const at = (name) => events.filter((e) => e.name === name).map((e) => e.ts).sort((a, b) => a - b);
      const [starts, ends] = [at('bench:start'), at('bench:end')];
      const inWindow = (ts) => starts.some((start, i) => ts >= start && ts <= (ends[i] ?? Infinity));
      // Top-level events of the page's main thread only (nested ones are inside these).
      const main = events.find((e) => e.name === 'EventDispatch' || e.name === 'FunctionCall');
      const parts = {};
      let depthEnd = 0;
      for (const e of events.filter((e) => e.ph === 'X' && e.dur && e.tid === main?.tid).sort((a, b) => a.ts - b.ts)) {
        const part = PARTS[e.name];
        if (!part || e.ts < depthEnd || !inWindow(e.ts)) continue;
        depthEnd = e.ts + e.dur;
        parts[part] = (parts[part] ?? 0) + e.dur / 1000 / TIMES;
      }
      result[name] = parts;
    }
    return result;
  } finally {
    await page?.close();
    await api.stop();
  }
}

const browser = await launchBrowser();
try {
  const parts = [...new Set(Object.values(PARTS))];
  console.log(`main-thread ms per interaction (mean of ${TIMES}): ${parts.join(' / ')} = total`);
  for (const rows of (process.env.BENCH_ROWS ?? '1000,10000,100000').split(',').map(Number)) {
    const result = await breakdown(browser.context, rows);
    for (const [name, p] of Object.entries(result)) {
      const figures = parts.map((k) => (p[k] ?? 0).toFixed(1));
      const total = parts.reduce((sum, k) => sum + (p[k] ?? 0), 0);
      console.log(`  ${String(rows).padStart(7)} rows, ${name.padEnd(16)} ${figures.join(' / ')} = ${total.toFixed(1)}`);
    }
  }
} finally {
  await browser.close();
}
