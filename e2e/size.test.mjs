// scripts/size.sh and its budget gate (--check), on fixture sites: no build, no browser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const script = join(dirname(fileURLToPath(import.meta.url)), '..', 'scripts', 'size.sh');

function site(files) {
  const dir = mkdtempSync(join(tmpdir(), 'tokengrid-size-'));
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  return dir;
}

function size(args, env = {}) {
  const run = spawnSync('bash', [script, ...args], { encoding: 'utf8', env: { ...process.env, TOKENGRID_SIZE_CHECK: '', ...env } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

// Random bytes do not compress: 160 KiB of them are over both budgets.
const incompressible = (kib) => randomBytes(kib * 1024);

test('a site within budget passes the check; copies and _headers are not counted', () => {
  const dir = site({
    'index.html': '<!doctype html><title>t</title>',
    'app-0123456789abcdef.js': 'export default 1;\n'.repeat(100),
    'app-0123456789abcdef.js.gz': incompressible(200),
    'app-0123456789abcdef.js.br': incompressible(200),
    _headers: incompressible(200),
  });
  try {
    const run = size(['--check', dir]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /app-0123456789abcdef\.js /);
    assert.doesNotMatch(run.stdout, /\.gz|\.br|_headers/);
    assert.match(run.stdout, /^total: \d+ B gzip \(\d+\.\d KB; budget 150 KB\), \d+ B brotli \(\d+\.\d KB; budget 125 KB\)$/m);
    assert.match(run.stdout, /size check: within budget/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a site over budget fails the check and says by how much, only when asked to check', () => {
  // 130 KiB: over the brotli budget only. 160 KiB, one file in a subdirectory: over both.
  const brotliOnly = site({ 'index.html': 'x', 'app-0123456789abcdef_bg.wasm': incompressible(130) });
  const both = site({ 'index.html': 'x', 'snippets/a/inline0.js': incompressible(160) });
  try {
    assert.equal(size([both]).status, 0, 'without --check the figures are only printed');
    for (const run of [size(['--check', both]), size([both], { TOKENGRID_SIZE_CHECK: '1' })]) {
      assert.equal(run.status, 1);
      assert.match(run.stdout, /snippets\/a\/inline0\.js/);
      assert.match(run.stderr, /size check failed: 160\.\d KB gzip is 10\.\d KB over the 150 KB budget/);
      assert.match(run.stderr, /size check failed: 160\.\d KB brotli is 35\.\d KB over the 125 KB budget/);
    }
    const run = size(['--check', brotliOnly]);
    assert.equal(run.status, 1);
    assert.doesNotMatch(run.stderr, /gzip is/);
    assert.match(run.stderr, /brotli is 5\.\d KB over the 125 KB budget/);
  } finally {
    rmSync(brotliOnly, { recursive: true, force: true });
    rmSync(both, { recursive: true, force: true });
  }
});

test('a missing site or an unknown option is an error, not a pass', () => {
  assert.equal(size(['--check', join(tmpdir(), 'tokengrid-size-definitely-missing')]).status, 1);
  assert.equal(size(['--chek']).status, 2);
});
