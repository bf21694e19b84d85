// Browser benchmark (not a test: it prints figures for the README): many page changes in a
// row, for a figure steadier than run.mjs's median of 5. On one loaded page at each size, the
// pager's Next and Previous are clicked in turn (each click once the frame of the one before
// has rendered) and the mean over all of them is printed:
//   * click → the next task: the click's own task with its microtasks, where the app does all
//     of a page change's work (a user-blocking task posted right after the click runs after
//     them, and before the frame that renders the change);
//   * per change, from Chromium's Performance metrics over the whole run: main-thread task time
//     (TaskDuration), and of it script, style and layout (ScriptDuration, RecalcStyleDuration,
//     LayoutDuration) — the rest of a task is the browser's pre-paint, paint and commit.
// With BENCH_PROFILE=1 it also takes a CPU profile (sampled every 50 µs) and prints the
// functions with the most self time per change: give it a build that keeps its names
// (see "Figures today" in the README for how one is made) to read the module's functions.
//
// Usage: node e2e/bench/changes.mjs   (after trunk build --release and cargo build -p dev-api)
//   BENCH_ROWS=1000,10000 picks the sizes (default 10000); BENCH_CHANGES=200 how many changes;
//   BENCH_SITE=dir benchmarks another build's dist/ (alternate two builds' runs to compare).
import { startApi, launchBrowser, demoToken, loadedPage } from '../support.mjs';

const SIZES = (process.env.BENCH_ROWS || '10000').split(',').map(Number);
const CHANGES = Number(process.env.BENCH_CHANGES || 200);
const PROFILE = process.env.BENCH_PROFILE === '1';
if (SIZES.some((n) => !(n >= 26)) || !(CHANGES >= 2)) {
  console.error('usage: BENCH_ROWS=10000 BENCH_CHANGES=200 [BENCH_PROFILE=1] node e2e/bench/changes.mjs (at least 26 rows: two pages)');
  process.exit(2);
}

/** The `changes` page changes on `page`: the mean click → next task, in ms. */
function pageChanges(changes) {
  const next = document.querySelector('[data-testid=page-next]');
  const previous = document.querySelector('[data-testid=page-prev]');
  // A user-blocking task runs before a frame that is due; a message posted from an animation
  // frame callback arrives once that frame has rendered.
  const nextTask = () => scheduler.postTask(() => {}, { priority: 'user-blocking' });
  const channel = new MessageChannel();
  const rendered = () => new Promise((resolve) => requestAnimationFrame(() => {
    channel.port1.onmessage = () => resolve();
    channel.port2.postMessage(0);
  }));
  return (async () => {
    let total = 0;
    for (let i = 0; i < changes; i++) {
      const start = performance.now();
      (i % 2 ? previous : next).click();
      await nextTask();
      total += performance.now() - start;
      await rendered();
    }
    return total / changes;
  })();
}

/** Self time per change of the profile's functions, the largest first. */
function selfTimes(profile, changes) {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map();
  profile.samples.forEach((id, i) => {
    const { functionName, url } = nodes.get(id).callFrame;
    const name = `${functionName || '(anonymous)'}${url ? ` (${url.split('/').pop()})` : ''}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return [...self].map(([name, ms]) => [name, ms / changes]).sort((a, b) => b[1] - a[1]);
}

const browser = await launchBrowser();
try {
  for (const rows of SIZES) {
    const api = await startApi({ ttl: 3600, site: process.env.BENCH_SITE || undefined, args: ['--rows', String(rows)] });
    try {
      const page = await loadedPage(browser.context, api.url, await demoToken(api.url));
      // Past the idle-time preparation of the search text and sort ranks.
      await page.waitForTimeout(1000);
      const cdp = await browser.context.newCDPSession(page);
      await cdp.send('Performance.enable');
      const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value * 1000]));
      if (PROFILE) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 50 });
        await cdp.send('Profiler.start');
      }
      const before = await metrics();
      const click = await page.evaluate(pageChanges, CHANGES);
      const after = await metrics();
      const per = (name) => `${((after[name] - before[name]) / CHANGES).toFixed(2)} ms`;
      console.log(`${String(rows).padStart(6)} rows, ${CHANGES} page changes: click → next task ${click.toFixed(2)} ms (mean); per change: task ${per('TaskDuration')}, of it script ${per('ScriptDuration')}, style ${per('RecalcStyleDuration')}, layout ${per('LayoutDuration')}`);
      if (PROFILE) {
        const { profile } = await cdp.send('Profiler.stop');
        for (const [name, ms] of selfTimes(profile, CHANGES).slice(0, 30)) {
          console.log(`  ${ms.toFixed(3).padStart(7)} ms  ${name}`);
        }
      }
      await page.close();
    } finally {
      await api.stop();
    }
  }
} finally {
  await browser.close();
}
