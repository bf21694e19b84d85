#!/usr/bin/env node
// Writes precompressed copies beside each hashed asset of a built site: `X.br` (brotli,
// quality 11) and `X.gz` (gzip, level 9) for every `.wasm`, `.js` and `.css` file, for hosts
// that serve a precompressed file by the request's Accept-Encoding instead of compressing on
// every request (nginx `gzip_static` / `brotli_static`, Caddy `file_server { precompressed }`,
// GitLab Pages, `dev-api --serve-dist`).
//
//   node scripts/compress.mjs dist     by hand, e.g. after replacing a file
//   (scripts/postbuild.mjs runs it on $TRUNK_STAGING_DIR, release builds only)
//
// HTML is never precompressed, and any `*.html.gz` / `*.html.br` found is removed: `index.html`
// is the one file a deployer edits (its configuration block, then `scripts/csp.mjs`), and a
// host with `gzip_static` would go on serving the old page from a stale `index.html.gz`. The
// page is a few KB, revalidated on every visit; hosts that compress on the fly (nginx `gzip on`,
// Caddy `encode`) still compress it. The hashed assets never change under their name, so their
// copies cannot go stale. scripts/postbuild.mjs runs it last, after every step that changes an
// asset.
import { readdirSync, readFileSync, writeFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync, constants } from 'node:zlib';

const dir = process.argv[2] ?? process.env.TRUNK_STAGING_DIR;
if (!dir) {
  console.error('usage: node scripts/compress.mjs path/to/dist');
  process.exit(2);
}
if (!process.argv[2] && process.env.TRUNK_PROFILE !== 'release') process.exit(0);
if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) {
  console.error(`compress: ${dir} is not a directory`);
  process.exit(1);
}

const COMPRESSED = /\.(wasm|js|css)$/i;
const STALE_PAGE = /\.html?\.(gz|br)$/i;

let raw = 0, gz = 0, br = 0, files = 0;
for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
  if (!entry.isFile()) continue;
  const file = join(entry.parentPath ?? entry.path, entry.name);
  if (STALE_PAGE.test(entry.name)) {
    rmSync(file);
    console.log(`compress: removed ${file} (pages are never precompressed)`);
    continue;
  }
  if (!COMPRESSED.test(entry.name)) continue;
  const data = readFileSync(file);
  const gzipped = gzipSync(data, { level: 9 });
  // The same settings as scripts/size.sh, so its figures are these files' sizes.
  const brotli = brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } });
  writeFileSync(`${file}.gz`, gzipped);
  writeFileSync(`${file}.br`, brotli);
  raw += data.length; gz += gzipped.length; br += brotli.length; files += 1;
}
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
console.log(`compress: ${dir}: ${files} asset(s), ${kb(raw)} raw → ${kb(gz)} .gz, ${kb(br)} .br`);
