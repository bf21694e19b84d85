#!/usr/bin/env node
// Shrinks what wasm-bindgen wrote for a release build, without changing what it does:
//
//   1. the wasm module's import and export names become short ones (binaryen's
//      `--minify-imports-and-exports-and-modules`): wasm-bindgen names each of the ≈ 160 imports
//      `__wbg_<method>_<16 hex digits>` under the module `./tokengrid_bg.js`, and the hex digits
//      do not compress;
//   2. its JavaScript glue is minified by esbuild, which also renames exactly those import keys
//      and export accesses to the module's new names (`mangleProps` with a fixed `mangleCache`);
//   3. the style sheet and index.html's classic inline scripts (the early data request) are
//      minified by esbuild too, and the page's comments go, except the one that explains its
//      configuration block to whoever edits it in a deployed build;
//   4. the `integrity` hash that index.html carries for the style sheet is written anew (before
//      scripts/csp.mjs hashes the inline scripts as they are now), and the wasm module's
//      `preload` and its glue's `modulepreload` links go (on a first visit the loader fetches
//      both once the first page is drawn; on other visits a script of Trunk.toml's loader adds
//      the links). The glue and the module, imported and fetched by the loader on the page's
//      own origin, carry no integrity hash: the policy's `script-src 'self'` is what admits them.
//
// The glue's own exports (what Trunk's loader imports) keep their names. Before anything is
// written, the new glue is linked against the new module in Node: a missing or misnamed import
// fails the build here, not in a user's browser. The end-to-end suites run on this output.
//
//   node scripts/minify.mjs dist       by hand, on a built site (only on wasm-bindgen's own output:
//                                      a second run finds nothing to rename and stops)
//   (scripts/postbuild.mjs runs it on $TRUNK_STAGING_DIR, release builds only)
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformSync } from 'esbuild';

/**
 * What each of `before`'s import and export names became in `after` (the same module with names
 * minified: the same imports and exports, in the same order, of the same kinds).
 */
export function renames(before, after) {
  const pairs = (list) => list.map(({ module, name, kind }) => ({ module, name, kind }));
  const [oldImports, newImports] = [WebAssembly.Module.imports(before), WebAssembly.Module.imports(after)].map(pairs);
  const [oldExports, newExports] = [WebAssembly.Module.exports(before), WebAssembly.Module.exports(after)].map(pairs);
  if (oldImports.length !== newImports.length || oldExports.length !== newExports.length) {
    throw new Error('the minified module has other imports or exports than the original');
  }
  const names = new Map();
  const modules = new Map();
  const exports = new Set(oldExports.map(({ name }) => name));
  const rename = (map, from, to, what) => {
    if (map.has(from) && map.get(from) !== to) throw new Error(`${what} ${from} was renamed twice (${map.get(from)}, ${to})`);
    map.set(from, to);
  };
  oldImports.forEach((old, i) => {
    const now = newImports[i];
    if (old.kind !== now.kind) throw new Error(`import ${i} changed its kind (${old.kind} → ${now.kind})`);
    rename(modules, old.module, now.module, 'module');
    rename(names, old.name, now.name, 'import');
  });
  oldExports.forEach((old, i) => {
    const now = newExports[i];
    if (old.kind !== now.kind) throw new Error(`export ${i} changed its kind (${old.kind} → ${now.kind})`);
    rename(names, old.name, now.name, 'export');
  });
  return { names, modules, exports };
}

/**
 * The glue minified, with every property named like one of `renames` renamed to match the
 * module (the import object's keys, its module key, and `wasm.<export>` accesses).
 */
export function minifyGlue(source, { names, modules, exports }) {
  // The module's exports are read as `wasm.<name>`; a word like `memory` could also be some other
  // object's property (`performance.memory`), which must keep its name. (Functions of the glue
  // named like an export are variables, not properties: esbuild renames those on its own.)
  for (const name of exports) {
    const escaped = name.replace(/[$]/g, '\\$&');
    const everywhere = source.match(new RegExp(`(?:\\.|['"])${escaped}(?![\\w$])`, 'g'))?.length ?? 0;
    const asExport = source.match(new RegExp(`\\bwasm\\.${escaped}(?![\\w$])`, 'g'))?.length ?? 0;
    if (everywhere !== asExport) throw new Error(`the glue uses the name ${name} for something other than the module's export: not minified`);
  }
  const mangleCache = Object.fromEntries([...names, ...modules]);
  const escape = (name) => name.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const mangleProps = new RegExp(`^(?:${Object.keys(mangleCache).map(escape).join('|')})$`);
  const result = transformSync(source, {
    format: 'esm',
    minify: true,
    mangleProps,
    mangleQuoted: true,
    mangleCache,
    target: 'es2022',
  });
  return result.code;
}

/** The `href` attribute of a link to `/${file}`, as a regular expression's source. */
const hrefTo = (file) => `href="/${file.replace(/[.]/g, '\\.')}"`;

/**
 * `html` without the `preload` and `modulepreload` links Trunk writes for `files` (the wasm module
 * and its glue): on a first visit the loader (Trunk.toml `pattern_script`) fetches them itself
 * once the first page is drawn, and the links would fetch them at once, beside the data answer
 * (on other visits the loader's classic script adds them).
 */
export function withoutPreloads(html, files) {
  return files.reduce((page, file) => {
    const element = new RegExp(`\\s*<link\\b[^>]*\\brel="(?:module)?preload"[^>]*\\b${hrefTo(file)}[^>]*>`);
    if (!element.test(page)) throw new Error(`index.html has no <link rel="preload"> or <link rel="modulepreload"> for /${file}`);
    return page.replace(element, '');
  }, html);
}

/** `html` with the `integrity` attribute of the element whose href is `/${file}` set to `hash`. */
export function withIntegrity(html, file, hash) {
  const element = new RegExp(`(<link\\b[^>]*\\b${hrefTo(file)}[^>]*\\bintegrity=")[^"]*(")`);
  if (!element.test(html)) throw new Error(`index.html has no <link href="/${file}" integrity=…>`);
  return html.replace(element, `$1${hash}$2`);
}

/**
 * index.html with each classic inline script (not the JSON configuration block, not a module)
 * minified, and without its comments but the configuration block's.
 */
export function minifyPage(html) {
  const scripts = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, (whole, attributes, body) => {
    if (/\b(src|type)\s*=/i.test(attributes) || !body.trim()) return whole;
    const { code } = transformSync(body, { minify: true, target: 'es2020', charset: 'utf8' });
    return `<script${attributes}>\n${code}</script>`;
  });
  return scripts.replace(/[ \t]*<!--([\s\S]*?)-->[ \t]*\n?/g, (whole, text) => (/configuration/i.test(text) ? whole : ''));
}

const sha384 = (data) => `sha384-${createHash('sha384').update(data).digest('base64')}`;

/**
 * Links the glue, minified as `minifyGlue` does, against `bytes` in Node without starting the
 * app: the import object wasm-bindgen's `__wbg_get_imports` builds must give the module every
 * import it names.
 */
async function link(source, map, bytes) {
  const dir = mkdtempSync(join(tmpdir(), 'tokengrid-minify-'));
  try {
    const file = join(dir, 'glue.mjs');
    writeFileSync(file, minifyGlue(`${source}\nexport { __wbg_get_imports as tokengridImports };\n`, map));
    const { tokengridImports } = await import(pathToFileURL(file).href);
    const module = new WebAssembly.Module(bytes);
    const imports = tokengridImports();
    const original = new Map([...map.names].map(([from, to]) => [to, from]));
    const missing = WebAssembly.Module.imports(module)
      .filter(({ module: from, name, kind }) => kind === 'function' && typeof imports[from]?.[name] !== 'function')
      .map(({ name }) => original.get(name) ?? name);
    if (missing.length) throw new Error(`the glue gives the module no ${missing.join(', ')}: not minified`);
    await WebAssembly.instantiate(module, imports);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
  if (!dir) {
    console.error('usage: node scripts/minify.mjs path/to/dist');
    process.exit(2);
  }
  const files = readdirSync(dir);
  const wasmFiles = files.filter((name) => name.endsWith('_bg.wasm'));
  if (wasmFiles.length !== 1) throw new Error(`${dir}: expected one *_bg.wasm, found ${wasmFiles.length}`);
  const wasmFile = wasmFiles[0];
  const glueFile = wasmFile.replace(/_bg\.wasm$/, '.js');
  const wasmPath = join(dir, wasmFile);
  const gluePath = join(dir, glueFile);
  const htmlPath = join(dir, 'index.html');

  const before = readFileSync(wasmPath);
  const work = mkdtempSync(join(tmpdir(), 'tokengrid-minify-'));
  let after;
  try {
    const out = join(work, 'out.wasm');
    // wasm-opt prints the mapping as well; it is read back from the module instead.
    execFileSync('wasm-opt', [wasmPath, '--minify-imports-and-exports-and-modules', '--strip-producers', '--strip-target-features', '-o', out], { stdio: ['ignore', 'ignore', 'inherit'] });
    after = readFileSync(out);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const map = renames(new WebAssembly.Module(before), new WebAssembly.Module(after));
  const changed = [...map.names].filter(([from, to]) => from !== to).length;
  if (changed === 0) {
    console.log(`minify: ${wasmFile} has short names already; nothing to do`);
    return;
  }
  const source = readFileSync(gluePath, 'utf8');
  await link(source, map, after);
  const glue = minifyGlue(source, map);

  writeFileSync(wasmPath, after);
  writeFileSync(gluePath, glue);
  let html = minifyPage(readFileSync(htmlPath, 'utf8'));
  html = withoutPreloads(html, [wasmFile, glueFile]);
  for (const sheet of files.filter((name) => name.endsWith('.css'))) {
    const { code } = transformSync(readFileSync(join(dir, sheet), 'utf8'), { loader: 'css', minify: true, charset: 'utf8' });
    writeFileSync(join(dir, sheet), code);
    html = withIntegrity(html, sheet, sha384(code));
  }
  writeFileSync(htmlPath, html);
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  console.log(`minify: ${changed} import and export names shortened; ${wasmFile} ${kb(before.length)} → ${kb(after.length)}, ${glueFile} → ${kb(Buffer.byteLength(glue))}`);
}

// Run as a script (not imported by a test).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(`minify: ${error.message}`);
    process.exit(1);
  });
}
