#!/usr/bin/env node
// Writes tokengrid's Content-Security-Policy into a built index.html, and the headers a static
// host should send into `_headers` beside it (the format Netlify and Cloudflare Pages read).
//
//   node scripts/csp.mjs dist/index.html     after editing the configuration block of a deployed build
//   (scripts/postbuild.mjs runs it on $TRUNK_STAGING_DIR/index.html in release builds; debug builds are left alone,
//    since `trunk serve` injects its own live-reload script)
//
// The policy allows exactly what the app needs:
//   script-src  'self' + the SHA-256 of each inline script (Trunk's loader, index.html's scripts that
//               send the first data request early and draw its first page) + 'wasm-unsafe-eval'
//   connect-src 'self' + the origins of the absolute URLs in the configuration block
//   style-src / img-src / font-src 'self'; everything else 'none'.
// A nonce baked in at build time would protect nothing (the same value on every load); hashes
// of the exact inline text are what a static host can serve.
//
// Classic inline scripts (index.html's early scripts: the first data request, its first page) are
// written without their comment lines and indentation: the same code, a third fewer bytes;
// index.html keeps the commented source. Running this again changes nothing.
//
// `_headers` carries, for every path: the same policy plus `frame-ancestors 'none'` (which only
// a header can carry: the app cannot be framed), `X-Content-Type-Options: nosniff` and
// `Referrer-Policy: no-referrer`. `dev-api --serve-dist` sends exactly these (its tests run this
// script and compare); the README's Deploy section shows the nginx equivalent.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * A classic script without its comment lines (lines that start with `//`), indentation and
 * empty lines: the same code (no line is joined to another), fewer bytes. Idempotent.
 */
export function compact(body) {
  const lines = body.split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('//'));
  return `\n${lines.join('\n')}\n`;
}

// Run as a script (not imported by a test).
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) main();

function main() {
  const file = process.argv[2] ?? (process.env.TRUNK_STAGING_DIR && join(process.env.TRUNK_STAGING_DIR, 'index.html'));
  if (!file) {
    console.error('usage: node scripts/csp.mjs path/to/index.html');
    process.exit(2);
  }
  if (!process.argv[2] && process.env.TRUNK_PROFILE !== 'release') process.exit(0);

  let html = readFileSync(file, 'utf8');

  // Inline scripts that run (not the JSON configuration block, which is data): classic ones
  // compacted, each hashed as written.
  const hashes = [];
  html = html.replace(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi, (whole, attributes, body) => {
    if (/\bsrc\s*=/i.test(attributes) || /type\s*=\s*["']?application\/json/i.test(attributes)) return whole;
    const text = /\btype\s*=/i.test(attributes) ? body : compact(body);
    hashes.push(`'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`);
    return `<script${attributes}>${text}</script>`;
  });

  // The API origins the configuration names.
  const origins = new Set();
  const config = html.match(/<script\s+id="tokengrid-config"\s+type="application\/json">([\s\S]*?)<\/script>/i);
  if (config) {
    try {
      const settings = JSON.parse(config[1]);
      for (const key of ['loginUrl', 'dataUrl', 'refreshUrl', 'devHintUrl']) {
        const value = settings[key];
        if (typeof value === 'string' && /^https?:\/\//i.test(value.trim())) origins.add(new URL(value.trim()).origin);
      }
    } catch {
      // A broken block is reported by the app itself; the policy stays 'self'.
    }
  }

  const policy = [
    "default-src 'none'",
    `script-src 'self' 'wasm-unsafe-eval' ${hashes.join(' ')}`.trim(),
    `connect-src 'self'${[...origins].map((o) => ` ${o}`).join('')}`,
    "style-src 'self'",
    "img-src 'self'",
    "font-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "object-src 'none'",
  ].join('; ');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policy}" />`;

  const existing = /<meta\s+http-equiv="Content-Security-Policy"[^>]*>/i;
  if (existing.test(html)) {
    html = html.replace(existing, meta);
  } else {
    // First in <head> after the charset, so it governs every script after it.
    html = html.replace(/(<meta\s+charset="[^"]*"\s*\/?>)/i, `$1\n    ${meta}`);
    if (!html.includes(meta)) {
      console.error(`${file}: no <meta charset> to place the policy after`);
      process.exit(1);
    }
  }
  writeFileSync(file, html);

  const headers = [
    '/*',
    `  Content-Security-Policy: ${policy}; frame-ancestors 'none'`,
    '  X-Content-Type-Options: nosniff',
    '  Referrer-Policy: no-referrer',
    '',
  ].join('\n');
  writeFileSync(join(dirname(file), '_headers'), headers);
  console.log(`csp: ${file}: ${hashes.length} inline script hash(es), connect-src 'self'${[...origins].map((o) => ` ${o}`).join('')}`);
}
