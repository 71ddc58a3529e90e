// Stock y-websocket WebsocketProvider clients against the real server process: concurrent
// edits of Y.Text / Y.Map / Y.Array converge, a late client gets the full state, a restart
// with the same database keeps everything and providers reconnect by themselves, awareness
// states appear and disappear (disconnect and --awareness-timeout).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, tempDir } from '../support/server.mjs';
import {
  Y, WebSocket, WebsocketProvider, waitFor, sleep, rawClient, awarenessFrame, fetchDoc, updateFrame,
} from './lib.mjs';

function provider(server, room, doc = new Y.Doc()) {
  const p = new WebsocketProvider(`${server.ws}/yjs`, room, doc, {
    WebSocketPolyfill: WebSocket, disableBc: true, maxBackoffTime: 300,
  });
  return p;
}
// provider.destroy() leaves the Awareness timer running; destroying the doc stops it.
const done = (...ps) => { for (const p of ps) { p.destroy(); p.awareness.destroy(); p.doc.destroy(); } };
const synced = (p) => waitFor(() => p.synced, `provider ${p.roomname} synced`);
const snapshot = (doc) => ({
  text: doc.getText('t').toString(),
  map: doc.getMap('m').toJSON(),
  array: doc.getArray('a').toJSON(),
});

test('two providers converge, a late client gets everything, a restart keeps it and providers reconnect', async (t) => {
  const dir = tempDir();
  let server = await startServer(['--allow-anonymous-docs'], { dir });
  const port = server.port;
  const room = 'interop-1';
  const a = provider(server, room);
  const b = provider(server, room);
  t.after(() => done(a, b));
  await Promise.all([synced(a), synced(b)]);

  // Concurrent edits on both sides, interleaved without waiting for each other.
  for (let i = 0; i < 30; i++) {
    a.doc.transact(() => {
      a.doc.getText('t').insert(0, `a${i};`);
      a.doc.getMap('m').set(`k${i % 5}`, `a${i}`);
      a.doc.getArray('a').push([`a${i}`]);
    });
    b.doc.transact(() => {
      b.doc.getText('t').insert(b.doc.getText('t').length, `b${i};`);
      b.doc.getMap('m').set(`k${i % 5}`, `b${i}`);
      b.doc.getArray('a').insert(0, [{ b: i }]);
    });
    if (i % 7 === 0) await sleep(5);
  }
  await waitFor(() => JSON.stringify(snapshot(a.doc)) === JSON.stringify(snapshot(b.doc)) &&
    a.doc.getArray('a').length === 60, 'convergence of a and b');
  const expected = snapshot(a.doc);
  for (let i = 0; i < 30; i++) {
    assert.ok(expected.text.includes(`a${i};`) && expected.text.includes(`b${i};`), `text holds a${i} and b${i}`);
  }
  assert.equal(Object.keys(expected.map).length, 5);

  // A client connecting later receives the full state.
  const late = provider(server, room);
  await synced(late);
  await waitFor(() => JSON.stringify(snapshot(late.doc)) === JSON.stringify(expected), 'late client state');
  done(late);

  // Restart with the same database on the same port; providers reconnect on their own.
  await server.stop();
  await waitFor(() => !a.wsconnected && !b.wsconnected, 'providers see the disconnect');
  server = await startServer(['--allow-anonymous-docs'], { dir, port });
  t.after(() => server.stop());
  await waitFor(() => a.wsconnected && b.wsconnected && a.synced && b.synced, 'providers reconnected', 15000);

  // The restarted server kept everything (a fresh raw client, not a provider that could resend).
  const fresh = await fetchDoc(server.ws, room);
  assert.deepEqual(snapshot(fresh), expected);

  // Edits after the reconnect still flow both ways.
  a.doc.getText('t').insert(0, 'after-restart;');
  b.doc.getMap('m').set('after', true);
  await waitFor(() => b.doc.getText('t').toString().startsWith('after-restart;') &&
    a.doc.getMap('m').get('after') === true, 'edits after restart');
});

test('edits made while the server is down are delivered after the provider reconnects', async (t) => {
  const dir = tempDir();
  let server = await startServer(['--allow-anonymous-docs'], { dir });
  const port = server.port;
  const a = provider(server, 'offline-edits');
  const b = provider(server, 'offline-edits');
  t.after(() => done(a, b));
  await Promise.all([synced(a), synced(b)]);
  a.doc.getText('t').insert(0, 'before;');
  await waitFor(() => b.doc.getText('t').toString() === 'before;', 'first edit');
  await server.stop('SIGKILL');
  a.doc.getText('t').insert(0, 'offline-a;');
  b.doc.getArray('a').push(['offline-b']);
  server = await startServer(['--allow-anonymous-docs'], { dir, port });
  t.after(() => server.stop());
  await waitFor(() => a.doc.getArray('a').length === 1 && b.doc.getText('t').toString() === 'offline-a;before;',
    'offline edits exchanged after reconnect', 15000);
  const fresh = await fetchDoc(server.ws, 'offline-edits');
  assert.equal(fresh.getText('t').toString(), 'offline-a;before;');
  assert.deepEqual(fresh.getArray('a').toJSON(), ['offline-b']);
});

test('awareness states appear for the others and disappear when a client disconnects', async (t) => {
  const server = await startServer(['--allow-anonymous-docs']);
  t.after(() => server.stop());
  const a = provider(server, 'aw-1');
  const b = provider(server, 'aw-1');
  t.after(() => done(a, b));
  await Promise.all([synced(a), synced(b)]);
  a.awareness.setLocalStateField('user', { name: 'alice' });
  b.awareness.setLocalStateField('user', { name: 'bob' });
  await waitFor(() => b.awareness.getStates().get(a.doc.clientID)?.user?.name === 'alice', 'b sees alice');
  await waitFor(() => a.awareness.getStates().get(b.doc.clientID)?.user?.name === 'bob', 'a sees bob');

  // A late provider gets the existing states (the server answers its query / join).
  const c = provider(server, 'aw-1');
  t.after(() => done(c));
  await synced(c);
  // (A provider's initial empty state has clock 0, which y-protocols itself never relays.)
  c.awareness.setLocalStateField('user', { name: 'carol' });
  await waitFor(() => a.awareness.getStates().get(c.doc.clientID)?.user?.name === 'carol', 'a sees carol');
  await waitFor(() => c.awareness.getStates().get(a.doc.clientID)?.user?.name === 'alice' &&
    c.awareness.getStates().get(b.doc.clientID)?.user?.name === 'bob', 'late provider sees both');

  // A raw client announces itself and then drops the TCP connection without a goodbye:
  // the server must remove its state for the others.
  const raw = rawClient(`${server.ws}/yjs/aw-1`);
  await raw.opened;
  raw.send(awarenessFrame(424242, 1, { user: { name: 'raw' } }));
  await waitFor(() => a.awareness.getStates().get(424242)?.user?.name === 'raw', 'a sees the raw client');
  raw.ws.terminate();
  await waitFor(() => !a.awareness.getStates().has(424242) && !b.awareness.getStates().has(424242),
    'raw client state removed after disconnect');

  // A provider that goes away: its state disappears for the others.
  b.destroy();
  await waitFor(() => !a.awareness.getStates().has(b.doc.clientID) && !c.awareness.getStates().has(b.doc.clientID),
    'bob removed after disconnect');
  assert.equal(a.awareness.getStates().get(c.doc.clientID) !== undefined, true, 'c is still there');
});

test('an awareness state that is not renewed is dropped after --awareness-timeout', async (t) => {
  const server = await startServer(['--allow-anonymous-docs', '--awareness-timeout', '2']);
  t.after(() => server.stop());
  const a = provider(server, 'aw-timeout');
  t.after(() => done(a));
  await synced(a);
  const raw = rawClient(`${server.ws}/yjs/aw-timeout`);
  t.after(() => raw.ws.terminate());
  await raw.opened;
  raw.send(awarenessFrame(777001, 1, { user: { name: 'silent' } }));
  await waitFor(() => a.awareness.getStates().has(777001), 'provider sees the silent client');
  const seenAt = Date.now();
  // The raw client stays connected but never renews; the provider itself only drops remote
  // states after 30 s, so a removal within ~10 s comes from the server.
  await waitFor(() => !a.awareness.getStates().has(777001), 'silent state dropped by the server', 12000);
  const after = Date.now() - seenAt;
  assert.ok(raw.close === null, 'the silent connection itself stays open');
  // The raw client also got the removal (clock bumped, state null).
  assert.ok(raw.frames.length > 0);
  t.diagnostic(`dropped after ${after} ms`);
});

test('updates arriving in one read reach the other clients in order, in few writes, and are kept', async (t) => {
  const dir = tempDir();
  let server = await startServer(['--allow-anonymous-docs'], { dir });
  t.after(() => server.stop());
  const room = 'one-read';
  const receiver = rawClient(`${server.ws}/yjs/${room}`);
  const sender = rawClient(`${server.ws}/yjs/${room}`);
  t.after(() => { receiver.ws.close(); sender.ws.close(); });
  await Promise.all([receiver.opened, sender.opened]);
  await waitFor(() => receiver.syncedStep2 && sender.syncedStep2, 'both synced');

  // 60 single-character updates, written to the socket in one call.
  const N = 60;
  const source = new Y.Doc();
  const updates = [];
  source.on('update', (u) => updates.push(u));
  for (let i = 0; i < N; i++) source.getText('t').insert(i, String.fromCharCode(65 + (i % 26)));
  const writesTotal = async () => Number((await (await fetch(`${server.url}/metrics`)).text())
    .match(/^mockloop_ws_writes_total (\d+)/m)[1]);
  const before = await writesTotal();
  const already = receiver.received.length;
  sender.ws._socket.write(Buffer.concat(updates.map((u) => {
    const payload = updateFrame(u);  // one masked binary frame each, as a client must send them
    const mask = Buffer.from([9, 8, 7, 6]);
    const len = payload.length;
    const head = len < 126 ? Buffer.from([0x82, 0x80 | len]) : Buffer.from([0x82, 0x80 | 126, len >> 8, len & 255]);
    return Buffer.concat([head, mask, Buffer.from(payload.map((b, i) => b ^ mask[i & 3]))]);
  })));
  await waitFor(() => receiver.received.length - already >= N, `${N} updates at the receiver`);
  const got = receiver.received.slice(already);
  assert.equal(got.length, N, 'each update once');
  for (let i = 0; i < N; i++) assert.deepEqual(Buffer.from(got[i]), Buffer.from(updates[i]), `update ${i} in order`);
  assert.equal(receiver.doc.getText('t').toString(), source.getText('t').toString());
  // The sends of one read are corked into one write on the receiver's own io thread, or
  // taken together by the flush posted to it from another thread.
  const writes = (await writesTotal()) - before;
  assert.ok(writes < N / 2, `the ${N} updates went out in ${writes} socket writes (fewer than ${N / 2})`);

  // All of them were committed: a restarted server has them.
  await server.stop();
  server = await startServer(['--allow-anonymous-docs'], { dir });
  const fresh = await fetchDoc(server.ws, room);
  assert.equal(fresh.getText('t').toString(), source.getText('t').toString());
});

test('updates that reach the server at the same moment share one commit and all arrive and are kept', async (t) => {
  const dir = tempDir();
  let server = await startServer(['--allow-anonymous-docs'], { dir });
  t.after(() => { try { process.kill(server.proc.pid, 'SIGCONT'); } catch { /* gone */ } return server.stop(); });
  const K = 8;
  const pairs = [];
  for (let i = 0; i < K; i++) {
    pairs.push({ writer: rawClient(`${server.ws}/yjs/moment-${i}`), watcher: rawClient(`${server.ws}/yjs/moment-${i}`) });
  }
  t.after(() => { for (const p of pairs) { p.writer.ws.close(); p.watcher.ws.close(); } });
  await Promise.all(pairs.flatMap((p) => [p.writer.opened, p.watcher.opened]));
  await waitFor(() => pairs.every((p) => p.writer.syncedStep2 && p.watcher.syncedStep2), 'all synced');
  const metric = async (name) => Number((await (await fetch(`${server.url}/metrics`)).text())
    .match(new RegExp(`^${name} (\\d+)`, 'm'))[1]);
  const commits0 = await metric('mockloop_doc_commits_total');

  // Stopped, the server cannot read: the K updates (one per document) wait in its sockets
  // and its io threads find them all ready at once when it continues.
  process.kill(server.proc.pid, 'SIGSTOP');
  try {
    pairs.forEach((p, i) => p.writer.edit((d) => d.getText('t').insert(0, `doc ${i}`)));
    await sleep(300);
  } finally {
    process.kill(server.proc.pid, 'SIGCONT');
  }
  await waitFor(() => pairs.every((p, i) => p.watcher.doc.getText('t').toString() === `doc ${i}`), 'every watcher has its update');
  const commits = (await metric('mockloop_doc_commits_total')) - commits0;
  const threads = Number(process.env.MOCKLOOP_THREADS || 1);
  // At most one transaction per io thread, plus one: on a loaded machine a thread can resume
  // from SIGSTOP between two polls and find the sockets ready over two rounds (seen about one
  // run in five under ctest -j2). Without batching it would be K.
  assert.ok(commits >= 1 && commits <= threads + 1,
    `${K} updates to ${K} documents in ${commits} transactions (at most one per io thread: ${threads}, plus one)`);

  await server.stop();
  server = await startServer(['--allow-anonymous-docs'], { dir });
  for (let i = 0; i < K; i++) {
    const fresh = await fetchDoc(server.ws, `moment-${i}`);
    assert.equal(fresh.getText('t').toString(), `doc ${i}`);
  }
});
