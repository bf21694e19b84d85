// index.html's early script (the first data request, sent before the app's code has arrived),
// for the Node tests that run it in a `node:vm` context: its text as index.html has it and as a
// release build writes it, a fake page to run it on, and fake answers for the page's fetch.
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { compact } from '../scripts/csp.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const html = readFileSync(join(root, 'index.html'), 'utf8');

/** The page's origin in tests/prefetch_cases.json, whose cases the script is run over. */
export const { pageOrigin } = JSON.parse(readFileSync(join(root, 'tests', 'prefetch_cases.json'), 'utf8'));

/** The inline scripts of index.html that run (not the JSON configuration block). */
export const inlineScripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)]
  .filter(([, attributes]) => !/\bsrc\s*=|application\/json/i.test(attributes))
  .map(([, , body]) => body);

/** The early script as index.html has it, and as the release build writes it (compacted). */
export const versions = [['source', inlineScripts[0]], ['built', compact(inlineScripts[0] ?? '')]];

/**
 * Runs `script` on a fake page at `pageOrigin`: `configText` is its configuration block (null:
 * none), `getItem` its localStorage, `fetch` its fetch (by default an answer that never comes),
 * `setTimeout` its timers (by default none fires), `now` its clock (by default the real one),
 * `navigation` its navigation timing entry (by default none, as where the browser has none).
 * Returns what the script left on the page (`tokengridPrefetch`, undefined when it
 * sent nothing) and the names of the performance marks it set.
 */
export function runOnFakePage(script, {
  configText = null, getItem = () => null, fetch = () => new Promise(() => {}), setTimeout = () => {}, now,
  navigation,
} = {}) {
  const marks = [];
  const page = {
    document: {
      baseURI: `${pageOrigin}/`,
      getElementById: (id) => (id === 'tokengrid-config' && configText !== null ? { textContent: configText } : null),
    },
    localStorage: { getItem },
    fetch,
    setTimeout,
    performance: {
      mark: (name) => marks.push(name),
      getEntriesByType: (type) => (type === 'navigation' && navigation ? [navigation] : []),
    },
    Date: now === undefined ? Date : { now: () => now },
    AbortController,
    TextDecoder,
    URL,
  };
  page.window = page;
  vm.createContext(page);
  vm.runInContext(script, page);
  return { sent: page.tokengridPrefetch, marks };
}

/**
 * An answer for the fake page's fetch: `status`, a `Content-Length` header (null: none) and a
 * body whose reader gives `chunks` (Uint8Arrays) in turn and then says it is done — or, with
 * `ends: false`, is still coming (no further read finishes); with `chunks: null`, no body.
 * `reads()` is how many reads the script asked for.
 */
export function fakeAnswer({ status = 200, contentLength = null, chunks = null, ends = true } = {}) {
  let reads = 0;
  const read = () => {
    reads += 1;
    if (reads <= chunks.length) return Promise.resolve({ done: false, value: chunks[reads - 1] });
    return ends ? Promise.resolve({ done: true }) : new Promise(() => {});
  };
  return {
    status,
    headers: { get: (name) => (name.toLowerCase() === 'content-length' ? contentLength : null) },
    body: chunks === null ? null : { getReader: () => ({ read }) },
    reads: () => reads,
  };
}
