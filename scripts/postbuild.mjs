#!/usr/bin/env node
// Trunk's post_build hook (Trunk.toml): a release build's last steps, in this order, on
// $TRUNK_STAGING_DIR. Trunk runs one stage's hooks concurrently, and each step here reads what
// the one before it wrote:
//
//   1. scripts/minify.mjs    short wasm import/export names, minified glue, style sheet and
//                            inline scripts, and the index.html integrity hashes to match;
//   2. scripts/csp.mjs       the Content-Security-Policy with the inline scripts' hashes, _headers;
//   3. scripts/compress.mjs  the .br and .gz copies of the final assets.
//
// Debug builds (`trunk serve`) are left as wasm-bindgen wrote them.
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('postbuild: run by Trunk (TRUNK_STAGING_DIR is not set)');
  process.exit(2);
}
if (process.env.TRUNK_PROFILE !== 'release') process.exit(0);

const scripts = dirname(fileURLToPath(import.meta.url));
try {
  execFileSync(process.execPath, [join(scripts, 'minify.mjs'), dir], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(scripts, 'csp.mjs'), join(dir, 'index.html')], { stdio: 'inherit' });
  execFileSync(process.execPath, [join(scripts, 'compress.mjs'), dir], { stdio: 'inherit' });
} catch (error) {
  // The step has said why; the build must not go on without it.
  process.exit(error.status ?? 1);
}
