// `mockloop admin ...` against the real binary and a real database: listing and showing
// loops (never a token), reissuing a lost host link (refused while a server holds the
// file), backups, restoring one and the integrity check, and bad usage.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { runBinary, startServer, tempDir } from '../support/server.mjs';

async function createLoop(url, title) {
  const templates = await (await fetch(`${url}/api/templates`)).json();
  const res = await fetch(`${url}/api/loops`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ templateId: templates.templates[0].id, title }),
  });
  assert.equal(res.status, 201);
  return res.json();
}

test('admin: list, show, reissue a lost host link, backup, check', async () => {
  const dir = tempDir();
  const db = path.join(dir, 'mockloop.db');
  const content = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..', '..', 'content');
  let s = await startServer(['--allow-anonymous-create', 'on'], { dir });
  const made = await createLoop(s.url, 'Admin check loop');
  const loopId = made.loop.id;
  const hostToken = made.invites[0].token;

  // Reading commands run beside the live server.
  const list = await runBinary(['admin', 'list-loops', '--json', '--db', db]);
  assert.equal(list.code, 0, list.stderr);
  const loops = JSON.parse(list.stdout);
  assert.equal(loops.length, 1);
  assert.equal(loops[0].id, loopId);
  assert.equal(loops[0].title, 'Admin check loop');
  assert.ok(loops[0].participants >= 2);
  const table = await runBinary(['admin', 'list-loops', '--db', db]);
  assert.match(table.stdout, /Admin check loop/);

  const show = await runBinary(['admin', 'show-loop', '--loop', loopId, '--json', '--db', db]);
  assert.equal(show.code, 0, show.stderr);
  const shown = JSON.parse(show.stdout);
  assert.ok(shown.participants.some((p) => p.role === 'host'));
  assert.ok(shown.links.every((l) => l.state === 'live'));
  for (const inv of made.invites) assert.ok(!show.stdout.includes(inv.token), 'no token in the output');

  // Writing needs the file: refused while the server runs, naming why.
  const busy = await runBinary(['admin', 'reissue-link', '--loop', loopId, '--participant', 'host', '--db', db,
    '--content-dir', content]);
  assert.equal(busy.code, 1);
  assert.match(busy.stderr, /stop the server first/);

  const backup = path.join(dir, 'copy.db');
  const b = await runBinary(['admin', 'backup', '--out', backup, '--db', db]);
  assert.equal(b.code, 0, b.stderr);
  assert.ok(existsSync(backup));
  const again = await runBinary(['admin', 'backup', '--out', backup, '--db', db]);
  assert.equal(again.code, 1);
  assert.match(again.stderr, /exists already/);
  const check = await runBinary(['admin', 'check', '--db', backup]);
  assert.equal(check.code, 0, check.stderr);
  assert.match(check.stdout, /quick_check ok/);
  const copied = JSON.parse((await runBinary(['admin', 'list-loops', '--json', '--db', backup])).stdout);
  assert.equal(copied[0].id, loopId);

  await s.stop();
  const re = await runBinary(['admin', 'reissue-link', '--loop', loopId, '--participant', 'host', '--db', db,
    '--content-dir', content, '--base-url', 'https://mock.example.org/']);
  assert.equal(re.code, 0, re.stderr);
  const m = re.stdout.trim().match(/^https:\/\/mock\.example\.org\/join\?token=(\S+)$/);
  assert.ok(m, re.stdout);
  const fresh = decodeURIComponent(m[1]);

  s = await startServer([], { dir });
  try {
    const old = await fetch(`${s.url}/api/loops/${loopId}`, { headers: { authorization: `Bearer ${hostToken}` } });
    assert.equal(old.status, 401);
    const now = await fetch(`${s.url}/api/loops/${loopId}`, { headers: { authorization: `Bearer ${fresh}` } });
    assert.equal(now.status, 200);
    assert.equal((await now.json()).loop.title, 'Admin check loop');
    const after = JSON.parse((await runBinary(['admin', 'show-loop', '--loop', loopId, '--json', '--db', db])).stdout);
    assert.ok(after.links.some((l) => l.state === 'revoked'));
  } finally {
    await s.stop();
  }

  // Restore, as docs/self-hosting.md says: a stopped server, the backup copied into place
  // (no -wal/-shm beside it), start. The backup predates the reissue: the old link works there.
  const restoredDir = tempDir();
  copyFileSync(backup, path.join(restoredDir, 'mockloop.db'));
  s = await startServer([], { dir: restoredDir });
  try {
    const old = await fetch(`${s.url}/api/loops/${loopId}`, { headers: { authorization: `Bearer ${hostToken}` } });
    assert.equal(old.status, 200);
    assert.equal((await old.json()).loop.title, 'Admin check loop');
    const gone = await fetch(`${s.url}/api/loops/${loopId}`, { headers: { authorization: `Bearer ${fresh}` } });
    assert.equal(gone.status, 401, 'the link issued after the backup does not exist in it');
  } finally {
    await s.stop();
  }
});

test('admin: bad usage exits 2 with the usage text, a missing loop exits 1', async () => {
  const db = path.join(tempDir(), 'mockloop.db');
  const none = await runBinary(['admin']);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /list-loops/);
  const unknown = await runBinary(['admin', 'frobnicate', '--db', db]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown command 'frobnicate'/);
  const noLoop = await runBinary(['admin', 'show-loop', '--db', db]);
  assert.equal(noLoop.code, 2);
  assert.match(noLoop.stderr, /needs --loop/);
  const badLimit = await runBinary(['admin', 'list-loops', '--limit', 'x', '--db', db]);
  assert.equal(badLimit.code, 2);
  const s = await startServer([], { dir: path.dirname(db) });
  await s.stop();
  const missing = await runBinary(['admin', 'show-loop', '--loop', 'nope', '--db', db]);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /no loop nope/);
});
