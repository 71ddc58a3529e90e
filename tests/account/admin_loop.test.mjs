// `mockloop admin export` and `delete` against the real binary and a real database: the
// same export as the host's account gives, and a deletion that leaves no row of the loop
// (checked in the SQLite file) and the other loop untouched.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

import { runBinary, startServer } from '../support/server.mjs';
import { CHEAP, Client, PW, anon, makeLoop, mentions, useLoop } from './loop_fixture.mjs';

test('mockloop admin export and delete do the same from the command line; delete needs --yes and a stopped server', async () => {
  const srv = await startServer([...CHEAP, '--history-checkpoint-every', '10'], { anonymousCreate: false });
  const db = `${srv.dir}/mockloop.db`;
  const content = new URL('../../content', import.meta.url).pathname;
  try {
    const code = /signup\?code=([A-Za-z0-9_-]+)/.exec(srv.output().out)[1];
    const host = new Client(srv);
    assert.equal((await host.req('POST', '/api/auth/signup', { email: 'op@example.com', password: PW, displayName: 'Op', inviteCode: code })).status, 201);
    const l = await makeLoop(host, 'Dana');
    const other = await makeLoop(host, 'Eli');
    const used = await useLoop(srv, host, l);
    await useLoop(srv, host, other);

    // Export reads only: it runs beside the live server.
    const out = `${srv.dir}/export.json`;
    const exp = await runBinary(['admin', 'export', '--loop', l.loop.id, '--out', out, '--db', db, '--content-dir', content]);
    assert.equal(exp.code, 0, exp.stderr);
    const exported = JSON.parse(readFileSync(out, 'utf8'));
    assert.equal(exported.loop.loop.id, l.loop.id);
    assert.equal(exported.debrief.loop.id, l.loop.id);
    assert.match(exported.reportHtml, /<html[\s\S]*Dana/);
    assert.ok(exported.loop.loop.participants.length >= 3, 'the host view: every participant');
    const twice = await runBinary(['admin', 'export', '--loop', l.loop.id, '--out', out, '--db', db, '--content-dir', content]);
    assert.equal(twice.code, 1, 'never overwrites');
    assert.match(twice.stderr, /exists already/);
    const stdout = await runBinary(['admin', 'export', '--loop', other.loop.id, '--db', db, '--content-dir', content]);
    assert.equal(JSON.parse(stdout.stdout).loop.loop.id, other.loop.id);
    const none = await runBinary(['admin', 'export', '--loop', 'nope', '--db', db, '--content-dir', content]);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /no such loop/);

    // Delete: confirmation, then the lock.
    const unconfirmed = await runBinary(['admin', 'delete', '--loop', l.loop.id, '--db', db, '--content-dir', content]);
    assert.equal(unconfirmed.code, 2);
    assert.match(unconfirmed.stderr, /add --yes/);
    const busy = await runBinary(['admin', 'delete', '--loop', l.loop.id, '--yes', '--db', db, '--content-dir', content]);
    assert.equal(busy.code, 1);
    assert.match(busy.stderr, /stop the server first/);
    assert.ok(mentions(db, l.loop.id).length > 5, 'nothing was deleted while refused');
    await srv.stop();

    const keptBefore = mentions(db, other.loop.id);
    const del = await runBinary(['admin', 'delete', '--loop', l.loop.id, '--yes', '--db', db, '--content-dir', content]);
    assert.equal(del.code, 0, del.stderr);
    const m = /deleted loop \S+: (\d+) rows, (\d+) documents/.exec(del.stdout);
    assert.ok(m, del.stdout);
    assert.ok(Number(m[1]) > 5 && Number(m[2]) >= 3, del.stdout);
    for (const needle of [l.loop.id, `room-${used.room}`, used.room, `written-${used.assignment}`, used.assignment])
      assert.deepEqual(mentions(db, needle), [], `no row mentions ${needle}`);
    assert.deepEqual(mentions(db, other.loop.id), keptBefore, 'the other loop is untouched');
    const again = await runBinary(['admin', 'delete', '--loop', l.loop.id, '--yes', '--db', db, '--content-dir', content]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /no such loop/);

    // The server starts on the file afterwards and the other loop still works.
    const back = await startServer([...CHEAP], { dir: srv.dir, anonymousCreate: false });
    try {
      assert.equal((await anon(back, 'GET', `/api/loops/${other.loop.id}`, other.host.token)).status, 200);
      assert.equal((await anon(back, 'GET', `/api/loops/${l.loop.id}`, l.host.token)).status, 401);
    } finally {
      await back.stop();
    }
  } finally {
    await srv.stop();
  }
});
