// Browser benchmark of the table's interactions (not a test: it prints
// figures for the README). At 1,000, 10,000 and 100,000 rows, median of 5:
//   * first sort of a column, clicked as soon as the page has loaded (up to
//     20,000 rows the app ranks every column in the idle time after a load,
//     within a few idle periods, so this is mostly a re-sort by then; beyond,
//     the click ranks the column's rows);
//   * the same first change by plain JavaScript: the texts that first sort shows written with
//     `textContent` into the cells of a page just loaded — what the browser alone costs for the
//     first change of a fresh page's table;
//   * re-sort (a column already ranked), a search keystroke, a page turn;
//   * the floor: one attribute of the table panel changed, the least any page can do, so the
//     frame figures can be read against what the browser gives a change that costs nothing;
//   * the same page change written by plain JavaScript: the next page's cell texts set with
//     `textContent` into the same cells, no app code — what any page pays the browser to
//     render that change (its style, layout and paint), the bound for the app's page change;
// each started once the frames of what ran before have rendered, at a random point between
// two frames (as a person's click comes), and timed from the event to (a) the DOM showing the
// result (the last change to the table panel's DOM, seen by a MutationObserver: a frame the
// browser renders meanwhile does not count), (b) the start of the first animation frame after
// the change, the frame that shows it, and (c) the end of that frame's rendering (style,
// layout, paint: a message posted from its animation-frame callback arrives after them); and
// (d) the page's main-thread CPU time over (c) (Chromium's ThreadTime metric), which other
// processes on a busy machine do not inflate, and the script part of it (ScriptDuration). The
// MutationObserver that sees (a) costs the page time of its own for each change it records, so
// the page change and its plain-JavaScript twin are also run without one: then (a) is the first
// user-blocking task after the event that sees the change done, or the start of a frame before
// it that does.
// The time to the first table row is measured by e2e/bench/load.mjs.
// Usage: node e2e/bench/run.mjs   (after trunk build --release and cargo build -p dev-api)
//   BENCH_ROWS=1000,10000 picks the sizes; BENCH_SITE=dir benchmarks another build's dist/.
import { startApi, launchBrowser, demoToken, loadedPage } from '../support.mjs';

const RUNS = 5;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (ms) => `${ms.toFixed(1).padStart(5)} ms`;

/**
 * Runs `action` and measures, from just before it, (a) the last change to the
 * table panel's DOM before `done()` holds (polled with macrotasks, so the
 * measure includes Leptos' scheduled effects; with `observe: false`, no
 * MutationObserver: when the change was first seen done), (b) when the frame
 * that shows it starts (the first animation frame after both the event and the
 * change), (c) when that frame's rendering has finished, and the main thread's
 * CPU and script time over it all.
 */
async function interaction(page, action, done, { observe = true } = {}) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Performance.enable');
  const metrics = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value * 1000]));
  const before = await metrics();
  const times = await page.evaluate(async ({ action, done, observe }) => {
    const run = new Function(action);
    const finished = new Function(done);
    // Settled first: the frames of what ran before have rendered (two animation frames), then
    // a random part of a frame passes, so the event comes anywhere between two frames, as a
    // person's click does, and never right behind a frame still in flight.
    await new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, Math.random() * 16.7))));
    const channel = new MessageChannel();
    const macrotask = () => new Promise((resolve) => { channel.port1.onmessage = () => resolve(); channel.port2.postMessage(0); });
    let changed = null;
    const observer = observe ? new MutationObserver(() => { changed = performance.now(); }) : null;
    observer?.observe(document.querySelector('.table-panel'), { subtree: true, childList: true, attributes: true, characterData: true });
    // The first frame after `at`: when it starts, whether the change is done by then, and when
    // its rendering is done.
    let firstFrame = null;
    const nextFrame = (at) => new Promise((resolve) => requestAnimationFrame(() => {
      const frame = performance.now() - at;
      firstFrame ??= { frame, ready: finished() };
      const paint = new MessageChannel();
      paint.port1.onmessage = () => resolve({ frame, painted: performance.now() - at });
      paint.port2.postMessage(0);
    }));
    const start = performance.now();
    const first = nextFrame(start);
    run();
    // Unobserved, the polls are user-blocking tasks, which the browser runs before other
    // queued tasks (a timer or idle work of the app's would otherwise count as the change).
    const poll = observe ? macrotask : () => scheduler.postTask(() => {}, { priority: 'user-blocking' });
    while (!finished()) await poll();
    const polled = performance.now() - start;
    observer?.takeRecords();
    observer?.disconnect();
    // Unobserved, the change was done by the first poll that saw it done, or by the start of a
    // frame that came before that poll and saw it done.
    const dom = observe ? (changed === null ? polled : changed - start)
      : firstFrame?.ready ? Math.min(firstFrame.frame, polled) : polled;
    // The frame that shows the change: the first after the event when the DOM
    // was done before it started, else the first after the DOM was done.
    let frame = await first;
    if (frame.frame < dom) {
      const later = await nextFrame(start + dom);
      frame = { frame: later.frame + dom, painted: later.painted + dom };
    }
    return { dom, ...frame };
  }, { action, done, observe });
  const after = await metrics();
  await cdp.detach();
  return { ...times, cpu: after.ThreadTime - before.ThreadTime, script: after.ScriptDuration - before.ScriptDuration };
}

const click = (testid) => `document.querySelector('[data-testid=${testid}]').click()`;
const sorted = (testid) => `return document.querySelector('[data-testid=${testid}]').closest('th').getAttribute('aria-sort') === 'ascending'`;

const onSecondPage = "return document.querySelector('[data-testid=page-status]').textContent.startsWith('Page 2')";
async function backToFirstPage(page) {
  await page.getByTestId('page-first').click();
  await page.getByTestId('page-status').getByText('Page 1 ').waitFor();
}

// The text of each body cell's first element (the text, link, time or symbol a cell shows).
const CELLS = 'tbody td > :first-child';
const cellTexts = `[...document.querySelectorAll('${CELLS}')].map((e) => e.textContent)`;
const writeTexts = (texts) => `const texts = ${JSON.stringify(texts)};
  document.querySelectorAll('${CELLS}').forEach((e, k) => { e.textContent = texts[k]; });`;

async function interactions(context, rows) {
  const api = await startApi({ ttl: 3600, site: process.env.BENCH_SITE || undefined, args: ['--rows', String(rows)] });
  const authToken = await demoToken(api.url);
  // The texts a first sort by e-mail shows, for its plain-JavaScript twin.
  let page = await loadedPage(context, api.url, authToken);
  await page.getByTestId('sort-email').click();
  await page.locator('th[aria-sort=ascending] [data-testid=sort-email]').waitFor();
  const sortedTexts = await page.evaluate(cellTexts);
  const firstSort = [], plainFirst = [];
  for (let i = 0; i < RUNS; i++) {
    await page.close();
    page = await loadedPage(context, api.url, authToken);
    plainFirst.push(await interaction(page, writeTexts(sortedTexts), 'return true'));
    await page.close();
    page = await loadedPage(context, api.url, authToken);
    firstSort.push(await interaction(page, click('sort-email'), sorted('sort-email')));
  }
  await page.getByTestId('sort-email').click();
  await page.getByTestId('sort-email').click();
  // Rank the name column once; the measured sorts reuse its ranks.
  await page.getByTestId('sort-name').click();
  await page.getByTestId('sort-name').click();
  await page.getByTestId('sort-name').click();
  const sort = [], search = [], next = [], floor = [], plain = [], bareNext = [], barePlain = [];
  for (let i = 0; i < RUNS; i++) {
    sort.push(await interaction(page, click('sort-name'), sorted('sort-name')));
    await page.getByTestId('sort-name').click();
    await page.getByTestId('sort-name').click();
    search.push(await interaction(page,
      `const s = document.querySelector('[data-testid=search]'); s.value = 'grace ${i}'; s.dispatchEvent(new Event('input', { bubbles: true }))`,
      `return document.querySelector('[data-testid=match-count]').textContent.includes('match')`));
    await page.getByTestId('search').fill('');
    await page.getByTestId('match-count').getByText(`${rows.toLocaleString('en-US')} rows`).waitFor();
    const firstPage = await page.evaluate(cellTexts);
    next.push(await interaction(page, click('page-next'), onSecondPage));
    const secondPage = await page.evaluate(cellTexts);
    floor.push(await interaction(page, `document.querySelector('.table-panel').dataset.bench = '${i}'`, 'return true'));
    await backToFirstPage(page);
    // The same page change written by plain JavaScript (no app code): the second page's cell
    // texts into the same cells, then the first page's back.
    const plainChange = async (options) => {
      const times = await interaction(page, writeTexts(secondPage), 'return true', options);
      await page.evaluate(writeTexts(firstPage));
      return times;
    };
    plain.push(await plainChange());
    // Both again with no MutationObserver, whose records cost the page time of their own (a few
    // microseconds per change, hundreds of changes here).
    bareNext.push(await interaction(page, click('page-next'), onSecondPage, { observe: false }));
    await backToFirstPage(page);
    barePlain.push(await plainChange({ observe: false }));
  }
  await page.close();
  await api.stop();
  const pick = (xs) => Object.fromEntries(['dom', 'frame', 'painted', 'cpu', 'script'].map((k) => [k, median(xs.map((x) => x[k]))]));
  return { rows, firstSort: pick(firstSort), plainFirst: pick(plainFirst), sort: pick(sort), search: pick(search), next: pick(next), plain: pick(plain), floor: pick(floor), bareNext: pick(bareNext), barePlain: pick(barePlain) };
}

const browser = await launchBrowser();
try {
  console.log(`interactions: event → DOM updated (→ next frame starts → its rendering done) [main-thread CPU; of it script], median of ${RUNS}`);
  for (const rows of (process.env.BENCH_ROWS ?? '1000,10000,100000').split(',').map(Number)) {
    const r = await interactions(browser.context, rows);
    const both = (x) => `${fmt(x.dom)} (${fmt(x.frame)} → ${fmt(x.painted)}) [${fmt(x.cpu)}; ${fmt(x.script)}]`;
    console.log(`  ${String(rows).padStart(7)} rows: first sort of a column ${both(r.firstSort)}, its texts written by plain JavaScript into a page just loaded ${both(r.plainFirst)}, re-sort ${both(r.sort)}, search keystroke ${both(r.search)}, page change ${both(r.next)}, the same change by plain JavaScript ${both(r.plain)}, the floor ${both(r.floor)}; with no MutationObserver: page change ${both(r.bareNext)}, plain JavaScript ${both(r.barePlain)}`);
  }
} finally {
  await browser.close();
}
