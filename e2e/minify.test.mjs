// scripts/postbuild.mjs (a release build's last steps: scripts/minify.mjs, csp.mjs, compress.mjs)
// on a fixture site shaped like Trunk's output: a wasm-bindgen-style glue and module, a style
// sheet, and an index.html with integrity hashes. No build, no browser; the end-to-end suites
// run the real build's output.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import binaryen from 'binaryen';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PATH = `${join(root, 'node_modules', '.bin')}:${process.env.PATH}`;

// A module that imports what wasm-bindgen would name `__wbg_<method>_<hash>` from its glue, and
// calls both imports from its start export with 7.
function module(imports) {
  const declared = imports.map((name, i) => `(import "./app_bg.js" "${name}" (func $i${i} (param i32)))`).join(' ');
  const calls = imports.map((_, i) => `(call $i${i} (i32.const 7))`).join(' ');
  const wat = `(module ${declared} (memory $m 1) (export "memory" (memory $m)) (func $s ${calls}) (export "__wbindgen_start" (func $s)))`;
  const parsed = binaryen.parseText(wat);
  const bytes = parsed.emitBinary();
  parsed.dispose();
  return Buffer.from(bytes);
}

// The glue as wasm-bindgen shapes it: the import object from `__wbg_get_imports`, the exports
// read as `wasm.<name>`.
function glue(imports) {
  const entries = imports.map((name) => `        ${name}: function(arg0) {\n            globalThis.calls.push(['${name}', arg0]);\n        },`).join('\n');
  return `function __wbg_get_imports() {
    const import0 = {
        __proto__: null,
${entries}
    };
    return {
        __proto__: null,
        "./app_bg.js": import0,
    };
}

let wasm;

function initSync(module) {
    const instance = new WebAssembly.Instance(module, __wbg_get_imports());
    wasm = instance.exports;
    wasm.__wbindgen_start();
    return wasm;
}

export { initSync };
`;
}

const sha384 = (data) => `sha384-${createHash('sha384').update(data).digest('base64')}`;
const CSS = '/* the page */\nbody {\n  margin: 0;\n  color: #333333;\n}\n';

function page(wasm, js) {
  return `<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <!--
      Runtime configuration: edit this block in the built dist/index.html.
    -->
    <script id="tokengrid-config" type="application/json">
      { "dataUrl": "/api:data/customers" }
    </script>
    <!--
      Notes for whoever reads the source.
    -->
    <script>
      (function () {
        // The early request.
        var answer = 6 * 7;
        window.early = answer;
      })();
    </script>
<script type="module">
import init, * as bindings from '/app-0123456789abcdef.js';
</script>
    <link rel="stylesheet" href="/main-0123456789abcdef.css" integrity="${sha384(CSS)}"/>
  <link rel="modulepreload" href="/app-0123456789abcdef.js" crossorigin="anonymous" integrity="${sha384(js)}"><link rel="preload" href="/app-0123456789abcdef_bg.wasm" crossorigin="anonymous" integrity="${sha384(wasm)}" as="fetch" type="application/wasm"></head>
  <body></body>
</html>
`;
}

/** A fixture site in a temporary directory, removed after test `t`. */
function site(t, { moduleImports, glueImports = moduleImports }) {
  const dir = mkdtempSync(join(tmpdir(), 'tokengrid-minify-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const wasm = module(moduleImports);
  const js = glue(glueImports);
  writeFileSync(join(dir, 'app-0123456789abcdef_bg.wasm'), wasm);
  writeFileSync(join(dir, 'app-0123456789abcdef.js'), js);
  writeFileSync(join(dir, 'main-0123456789abcdef.css'), CSS);
  writeFileSync(join(dir, 'index.html'), page(wasm, js));
  return dir;
}

const snapshot = (dir) => Object.fromEntries(readdirSync(dir).sort().map((name) => [name, readFileSync(join(dir, name))]));

function postbuild(dir) {
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'postbuild.mjs')], {
    encoding: 'utf8',
    env: { ...process.env, PATH, TRUNK_STAGING_DIR: dir, TRUNK_PROFILE: 'release' },
  });
  return { status: run.status, output: run.stdout + run.stderr };
}

// Runs the site's glue and module as the browser would, and returns what the imports saw.
async function start(dir) {
  const copy = join(dir, `run-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(copy, readFileSync(join(dir, 'app-0123456789abcdef.js')));
  try {
    const { initSync } = await import(pathToFileURL(copy).href);
    globalThis.calls = [];
    initSync(new WebAssembly.Module(readFileSync(join(dir, 'app-0123456789abcdef_bg.wasm'))));
    return globalThis.calls;
  } finally {
    rmSync(copy);
  }
}

const IMPORTS = ['__wbg_alert_0123456789abcdef', '__wbg_log_fedcba9876543210'];

test('a release build gets short wasm names and minified files, and works as before', async (t) => {
  const dir = site(t, { moduleImports: IMPORTS });
  const before = await start(dir);
  const run = postbuild(dir);
  assert.equal(run.status, 0, run.output);

  const wasm = readFileSync(join(dir, 'app-0123456789abcdef_bg.wasm'));
  const imports = WebAssembly.Module.imports(new WebAssembly.Module(wasm));
  assert.equal(imports.length, 2);
  for (const { module, name } of imports) {
    assert.ok(module.length <= 2 && name.length <= 2, `not shortened: ${module} ${name}`);
  }
  const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasm)).map((e) => e.name);
  assert.ok(!exports.includes('__wbindgen_start'), `exports kept their names: ${exports}`);
  const js = readFileSync(join(dir, 'app-0123456789abcdef.js'), 'utf8');
  assert.doesNotMatch(js, /__wbg_alert_0123456789abcdef:|"\.\/app_bg\.js"|\.__wbindgen_start/);

  // The same calls, with the same arguments, reach the same glue functions.
  assert.deepEqual(await start(dir), before);
  assert.deepEqual(before, [['__wbg_alert_0123456789abcdef', 7], ['__wbg_log_fedcba9876543210', 7]]);

  const css = readFileSync(join(dir, 'main-0123456789abcdef.css'), 'utf8');
  assert.ok(css.length < CSS.length && !css.includes('/*'), css);
  assert.match(css, /color:#333/);
});

test('index.html keeps its configuration and its explanation, loses the other comments, and its hashes match the new files', (t) => {
  const dir = site(t, { moduleImports: IMPORTS });
  assert.equal(postbuild(dir).status, 0);
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  assert.match(html, /Runtime configuration: edit this block/);
  assert.match(html, /<script id="tokengrid-config" type="application\/json">\n {6}\{ "dataUrl": "\/api:data\/customers" \}\n {4}<\/script>/);
  assert.doesNotMatch(html, /Notes for whoever reads the source|The early request/);
  assert.match(html, /import init, \* as bindings from '\/app-0123456789abcdef\.js';/);

  // Each integrity attribute is the hash of the file as it is now: a browser would refuse
  // the preloaded copy otherwise.
  const hashed = [...html.matchAll(/href="\/([^"]+)"[^>]*integrity="([^"]+)"/g)];
  for (const [, file, integrity] of hashed) {
    assert.equal(integrity, sha384(readFileSync(join(dir, file))), file);
  }
  assert.deepEqual(hashed.map(([, file]) => file), ['main-0123456789abcdef.css']);
  // Neither the wasm module nor its glue is preloaded: the loader fetches them once the first
  // page is drawn (or adds the links itself, on a visit that does not wait).
  assert.doesNotMatch(html, /rel="(module)?preload"/);
  assert.match(html, /<link rel="stylesheet" href="\/main-0123456789abcdef\.css" integrity="[^"]+"\/><\/head>/);
  // The early script still does what it did, and the policy allows it as written now.
  const early = html.match(/<script>([\s\S]*?)<\/script>/)[1];
  const window = {};
  new Function('window', early)(window);
  assert.equal(window.early, 42);
  const hash = `'sha256-${createHash('sha256').update(early, 'utf8').digest('base64')}'`;
  assert.ok(html.includes(hash), `the CSP lacks ${hash}`);
});

test('the precompressed copies are of the final files', (t) => {
  const dir = site(t, { moduleImports: IMPORTS });
  assert.equal(postbuild(dir).status, 0);
  for (const name of ['app-0123456789abcdef_bg.wasm', 'app-0123456789abcdef.js', 'main-0123456789abcdef.css']) {
    const file = readFileSync(join(dir, name));
    assert.deepEqual(gunzipSync(readFileSync(join(dir, `${name}.gz`))), file, `${name}.gz`);
    assert.deepEqual(brotliDecompressSync(readFileSync(join(dir, `${name}.br`))), file, `${name}.br`);
  }
});

test('a glue that does not give the module an import it names fails the build and changes nothing', (t) => {
  const dir = site(t, { moduleImports: IMPORTS, glueImports: IMPORTS.slice(0, 1) });
  const before = snapshot(dir);
  const run = postbuild(dir);
  assert.notEqual(run.status, 0);
  assert.match(run.output, /minify: the glue gives the module no __wbg_log_fedcba9876543210/);
  assert.deepEqual(snapshot(dir), before);
});

test('minifying a minified site again changes nothing', (t) => {
  const dir = site(t, { moduleImports: IMPORTS });
  assert.equal(postbuild(dir).status, 0);
  const once = snapshot(dir);
  const run = spawnSync(process.execPath, [join(root, 'scripts', 'minify.mjs'), dir], { encoding: 'utf8', env: { ...process.env, PATH } });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /nothing to do/);
  assert.deepEqual(snapshot(dir), once);
});

test('a glue that reads a property named like an export from another object is not minified', (t) => {
  const dir = site(t, { moduleImports: IMPORTS });
  const file = join(dir, 'app-0123456789abcdef.js');
  // `performance.memory` is the browser's, not the module's `memory`: renaming it would break it.
  writeFileSync(file, `${readFileSync(file, 'utf8')}\nexport const heap = () => globalThis.performance?.memory;\n`);
  const before = snapshot(dir);
  const run = postbuild(dir);
  assert.notEqual(run.status, 0);
  assert.match(run.output, /minify: the glue uses the name memory for something other than the module's export/);
  assert.deepEqual(snapshot(dir), before);
});
