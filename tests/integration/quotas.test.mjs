// Room quotas against the real process (room/limits.hpp): a document's stored bytes and its
// awareness bytes are bounded, so no client can make a document unusable for the others.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startServer } from '../support/server.mjs';
import { awarenessFrame, fetchDoc, parseFrame, rawClient, sleep, waitFor } from './lib.mjs';

async function joined(url) {
  const c = rawClient(url);
  await c.opened;
  await waitFor(() => c.syncedStep2, 'synced');
  return c;
}

test('an update over --max-doc-bytes is refused with 1008 and nothing of it is stored', async (t) => {
  const server = await startServer(['--allow-anonymous-docs', '--max-doc-bytes', '4096']);
  t.after(() => server.stop());
  const url = `${server.ws}/yjs/capped`;
  const writer = await joined(url);
  const reader = await joined(url);
  t.after(() => { writer.ws.terminate(); reader.ws.terminate(); });
  writer.edit((d) => d.getText('t').insert(0, 'a'.repeat(1000)));
  await waitFor(() => reader.doc.getText('t').length === 1000, 'the first update relayed');
  writer.edit((d) => d.getText('t').insert(0, 'b'.repeat(4000)));
  const close = await writer.closed;
  assert.equal(close.code, 1008);
  assert.equal(close.reason, 'document size limit reached');
  await sleep(200);
  assert.equal(reader.doc.getText('t').toString(), 'a'.repeat(1000), 'the refused update was relayed');
  assert.equal(reader.close, null, 'another client was closed');
  const again = await fetchDoc(server.ws, 'capped');
  assert.equal(again.getText('t').toString(), 'a'.repeat(1000));
});

test('awareness states cannot make a document unjoinable; a large one closes its sender', async (t) => {
  const server = await startServer(['--allow-anonymous-docs', '--max-doc-awareness-bytes', '8192',
    '--max-awareness-bytes', '4096']);
  t.after(() => server.stop());
  const url = `${server.ws}/yjs/crowded-awareness`;
  const clients = [];
  t.after(() => { for (const c of clients) c.ws.terminate(); });
  for (let i = 1; i <= 6; i++) {
    const c = await joined(url);
    clients.push(c);
    c.send(awarenessFrame(1000 + i, 1, { name: 'x'.repeat(3000) }));  // two fit in 8 KiB
  }
  const big = await joined(url);
  clients.push(big);
  big.send(awarenessFrame(2000, 1, { name: 'y'.repeat(5000) }));
  const bigClose = await big.closed;
  assert.equal(bigClose.code, 1008);
  assert.equal(bigClose.reason, 'awareness state too large');
  await sleep(200);
  for (const c of clients.slice(0, 6)) assert.equal(c.close, null, 'a client at the doc limit was closed');
  const joiner = await joined(url);
  clients.push(joiner);
  await sleep(200);
  const states = joiner.frames.map(parseFrame).filter((f) => f.type === 'awareness').flatMap((f) => f.entries)
    .filter((e) => e.state !== null);
  const bytes = states.reduce((n, e) => n + JSON.stringify(e.state).length, 0);
  assert.equal(states.length, 2, JSON.stringify(states.map((s) => s.clientID)));
  assert.ok(bytes <= 8192, `${bytes} awareness bytes sent to a joiner`);
});

test('one token cannot take a document\'s connection slots (--max-conns-per-principal)', async (t) => {
  const server = await startServer(['--max-conns-per-principal', '3']);
  t.after(() => server.stop());
  const res = await fetch(`${server.url}/api/study-rooms`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'q', hostName: 'h' }),
  });
  assert.equal(res.status, 201);
  const room = await res.json();
  const url = `${server.ws}/yjs/${room.docName}?token=${encodeURIComponent(room.token)}`;
  const held = [];
  t.after(() => { for (const c of held) c.ws.terminate(); });
  for (let i = 0; i < 3; i++) held.push(await joined(url));
  const fourth = rawClient(url);
  held.push(fourth);
  const close = await fourth.closed;
  assert.equal(close.code, 1013);
  assert.match(close.reason, /too many connections to this document with one token/);
  for (const c of held.slice(0, 3)) assert.equal(c.close, null);
  held[0].ws.close();
  await held[0].closed;
  await waitFor(async () => {
    const c = rawClient(url);
    held.push(c);
    await c.opened.catch(() => {});
    return Promise.race([waitFor(() => c.syncedStep2, 'synced', 2000).then(() => !c.close).catch(() => false),
      c.closed.then(() => false)]);
  }, 'a slot after one of its connections left', 5000, 100);
});
