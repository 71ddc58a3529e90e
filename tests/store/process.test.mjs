// The real mockloop process and its database file: one server per file whatever path reaches
// it (a symlink, a hard link, after the <db>.lock file is deleted), and an existing file that
// is empty or damaged is refused at start naming the file.
import assert from 'node:assert/strict';
import { closeSync, linkSync, openSync, readFileSync, statSync, symlinkSync, unlinkSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { repoRoot, runBinary, startServer, tempDir } from '../support/server.mjs';

const content = path.join(repoRoot, 'content');
const runOn = (db, extra = []) => runBinary(['--listen', '127.0.0.1:0', '--db', db, '--content-dir', content, ...extra]);

async function assertRefusedInUse(first, db) {
  const second = await runOn(db);
  assert.equal(second.code, 1, second.stderr);
  assert.ok(second.stderr.includes(db), second.stderr);
  assert.match(second.stderr, /in use by another mockloop process/);
  assert.ok(second.stderr.includes(`pid ${first.proc.pid}`), second.stderr);
  const h = await fetch(`${first.url}/healthz`);  // the first one is unaffected
  assert.equal(h.status, 200);
}

test('a second server is refused through a symlink, a hard link and after the .lock file is deleted', async () => {
  const a = await startServer([]);
  try {
    const db = path.join(a.dir, 'mockloop.db');
    const sym = path.join(a.dir, 'via-symlink.db');
    const hard = path.join(a.dir, 'via-hardlink.db');
    symlinkSync(db, sym);
    linkSync(db, hard);
    await assertRefusedInUse(a, sym);
    await assertRefusedInUse(a, hard);
    unlinkSync(`${db}.lock`);
    await assertRefusedInUse(a, db);
  } finally {
    await a.stop();
  }
  // Once the first one is gone, the file is free again.
  const b = await startServer([], { dir: a.dir });
  await b.stop();
});

test('an existing zero-byte database file is refused, naming it; a new path starts', async () => {
  const dir = tempDir();
  const zero = path.join(dir, 'zero.db');
  writeFileSync(zero, '');
  const r = await runOn(zero);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stderr.includes(zero), r.stderr);
  assert.match(r.stderr, /is empty \(0 bytes\)/);
  assert.equal(statSync(zero).size, 0, 'the refused file was written to');
  const s = await startServer([], { dir });  // dir/mockloop.db is new
  await s.stop();
});

test('a damaged database fails PRAGMA quick_check at start unless --skip-db-check', async () => {
  const dir = tempDir();
  const s = await startServer([], { dir });
  await s.stop();
  const db = path.join(dir, 'mockloop.db');
  const size = statSync(db).size;
  assert.ok(size > 8192, `database too small to damage: ${size}`);
  assert.equal(readFileSync(db).subarray(0, 15).toString(), 'SQLite format 3');
  const fd = openSync(db, 'r+');
  writeSync(fd, Buffer.alloc(size - 4096, 0xa5), 0, size - 4096, 4096);  // every page but the first few
  closeSync(fd);
  const r = await runOn(db);
  assert.equal(r.code, 1, r.stderr);
  assert.ok(r.stderr.includes(db), r.stderr);
  assert.match(r.stderr, /integrity check/);
  const skipped = await runOn(db, ['--skip-db-check']);
  assert.doesNotMatch(skipped.stderr, /integrity check/);
});
