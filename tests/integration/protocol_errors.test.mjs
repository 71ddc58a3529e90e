// Malformed input and limits against the real server: the offending connection is closed
// with the right code and a reason, the document is unchanged, and the other clients of the
// same document keep working (their edits still reach a third client).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import {
  Y, WebSocket, encoding, waitFor, sleep, rawClient, fetchDoc, updateFrame, step2Frame, awarenessFrame,
} from './lib.mjs';

const bytes = (...b) => Buffer.from(b);
const withPayload = (type, sub, payload) => {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, type);
  if (sub !== null) encoding.writeVarUint(e, sub);
  encoding.writeVarUint8Array(e, payload);
  return Buffer.from(encoding.toUint8Array(e));
};

// A real update, for truncation.
function sampleUpdate() {
  const d = new Y.Doc();
  d.getText('t').insert(0, 'hello world, this is a sample update');
  d.getMap('m').set('k', { a: [1, 2, 3] });
  return Y.encodeStateAsUpdate(d);
}

// Outcome of a connection: { code, reason } from a close frame, or { status } when refused
// before the upgrade.
function connectOutcome(url, { onOpen } = {}) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => { resolve({ status: res.statusCode }); ws.terminate(); });
    ws.on('error', () => {});
    ws.on('open', () => onOpen?.(ws));
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

// Two good clients on `doc`: `editor` and `observer`; checks that an edit by the editor
// reaches the observer.
async function goodPair(server, doc) {
  const editor = rawClient(`${server.ws}/yjs/${doc}`);
  const observer = rawClient(`${server.ws}/yjs/${doc}`);
  await Promise.all([editor.opened, observer.opened]);
  await waitFor(() => editor.syncedStep2 && observer.syncedStep2, 'good clients synced');
  let n = 0;
  return {
    editor, observer,
    async stillWorks(label) {
      const token = `ok-${label}-${n++}`;
      editor.edit((d) => d.getMap('m').set(token, true));
      await waitFor(() => observer.doc.getMap('m').get(token) === true, `edit after ${label} reaches the observer`);
      assert.equal(editor.close, null, `editor still open after ${label}`);
      assert.equal(observer.close, null, `observer still open after ${label}`);
    },
    close() { editor.ws.terminate(); observer.ws.terminate(); },
  };
}

const state = (doc) => JSON.stringify({ t: doc.getText('t').toString(), m: doc.getMap('m').toJSON() });

test('malformed input closes only the offending connection, with the right code', async (t) => {
  const server = await startServer(['--allow-anonymous-docs', '--max-message-bytes', '65536']);
  t.after(() => server.stop());
  const doc = 'malformed';
  const pair = await goodPair(server, doc);
  t.after(() => pair.close());
  pair.editor.edit((d) => { d.getText('t').insert(0, 'base text'); });
  await pair.stillWorks('setup');

  const full = sampleUpdate();
  const cases = [
    { name: 'empty frame', frame: bytes(), codes: [1007, 1003] },
    { name: 'truncated varint (message type)', frame: bytes(0x80), codes: [1007] },
    { name: 'truncated varint (sync type)', frame: bytes(0x00, 0xff), codes: [1007] },
    { name: 'truncated varint (payload length)', frame: bytes(0x00, 0x02, 0x80, 0x80), codes: [1007] },
    { name: 'payload longer than the frame', frame: bytes(0x00, 0x02, 0x40, 0x01, 0x02), codes: [1007] },
    { name: 'overlong varint', frame: bytes(0x00, 0x02, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01), codes: [1007] },
    { name: 'unknown message type', frame: bytes(0x07, 0x00), codes: [1003] },
    { name: 'unknown sync message type', frame: withPayload(0, 9, new Uint8Array([0])), codes: [1003] },
    { name: 'update that fails to decode (garbage)', frame: updateFrame(new Uint8Array([0xff, 0xff, 0xff, 0x0f, 0x01, 0x02])), codes: [1007] },
    { name: 'update that fails to decode (truncated update)', frame: updateFrame(full.slice(0, Math.floor(full.length / 2))), codes: [1007] },
    { name: 'step 2 that fails to decode', frame: step2Frame(full.slice(0, full.length - 3)), codes: [1007] },
    { name: 'step 1 with a bad state vector', frame: withPayload(0, 0, new Uint8Array([0x05, 0x80])), codes: [1007] },
    { name: 'malformed awareness update', frame: withPayload(1, null, new Uint8Array([0x02, 0x01])), codes: [1007] },
    { name: 'oversized frame', frame: updateFrame(new Uint8Array(100 * 1024).fill(7)), codes: [1009] },
    { name: 'text frame', text: 'hello', codes: [1003] },
  ];

  const problems = [];
  for (const c of cases) {
    const before = state(await fetchDoc(server.ws, doc));
    const bad = rawClient(`${server.ws}/yjs/${doc}`);
    await bad.opened;
    await waitFor(() => bad.syncedStep2, `${c.name}: bad client synced`);
    if (c.text !== undefined) bad.ws.send(c.text); else bad.ws.send(c.frame);
    const close = await Promise.race([bad.closed, sleep(5000).then(() => null)]);
    assert.ok(close, `${c.name}: connection closed`);
    t.diagnostic(`${c.name}: ${close.code} "${close.reason}"`);
    // Wrong code or no reason: noted, and the other cases still run.
    if (!c.codes.includes(close.code)) problems.push(`${c.name}: close code ${close.code}, expected ${c.codes}`);
    if (close.reason.length === 0) problems.push(`${c.name}: no close reason (code ${close.code})`);
    await pair.stillWorks(c.name);
    const after = await fetchDoc(server.ws, doc);
    // Unchanged except for the good editor's own check edit.
    const expected = JSON.parse(before);
    const got = JSON.parse(state(after));
    assert.equal(got.t, expected.t, `${c.name}: text unchanged`);
    for (const [k, v] of Object.entries(got.m)) {
      if (!(k in expected.m)) assert.ok(k.startsWith('ok-'), `${c.name}: unexpected key ${k}`);
      else assert.deepEqual(v, expected.m[k]);
    }
  }
  assert.deepEqual(problems, []);
});

test('an awareness state that is not JSON is refused, never relayed to the others', async (t) => {
  const server = await startServer(['--allow-anonymous-docs']);
  t.after(() => server.stop());
  const pair = await goodPair(server, 'aw-json');
  t.after(() => pair.close());
  const bad = rawClient(`${server.ws}/yjs/aw-json`);
  await bad.opened;
  await waitFor(() => bad.syncedStep2, 'bad client synced');
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1); encoding.writeVarUint(inner, 5); encoding.writeVarUint(inner, 1);
  encoding.writeVarString(inner, '{not json');
  const framesBefore = pair.observer.frames.length;
  bad.ws.send(withPayload(1, null, encoding.toUint8Array(inner)));
  const close = await Promise.race([bad.closed, sleep(3000).then(() => null)]);
  await pair.stillWorks('awareness JSON');
  // A stock client JSON.parses every relayed state: a relayed '{not json' would throw in it.
  const relayed = pair.observer.frames.slice(framesBefore).some((f) => f.includes(Buffer.from('{not json')));
  assert.equal(relayed, false, 'invalid JSON awareness state relayed to the other clients');
  assert.ok(close, 'the connection that sent it was closed');
  assert.equal(close.code, 1007);
  assert.ok(close.reason.length > 0);
});

test('a document without a valid token is refused (4401) unless --allow-anonymous-docs', async (t) => {
  const server = await startServer([]);
  t.after(() => server.stop());
  for (const url of [`${server.ws}/yjs/private-doc`, `${server.ws}/yjs/private-doc?token=not-a-token`]) {
    const out = await connectOutcome(url);
    t.diagnostic(`${url}: ${JSON.stringify(out)}`);
    if (out.status !== undefined) assert.ok([401, 403].includes(out.status), `HTTP ${out.status}`);
    else {
      assert.equal(out.code, 4401);
      assert.ok(out.reason.length > 0, 'a reason');
    }
  }
  // The same server with anonymous docs allowed lets it in (sanity for the refusal above).
  const open = await startServer(['--allow-anonymous-docs']);
  t.after(() => open.stop());
  const c = rawClient(`${open.ws}/yjs/private-doc`);
  await c.opened;
  await waitFor(() => c.syncedStep2, 'anonymous doc synced');
  c.ws.close();
});

test('a client that never reads is closed with 1013 and can reconnect and resync', async (t) => {
  const server = await startServer(['--allow-anonymous-docs', '--send-queue-frames', '16', '--updates-per-second', '100000', '--update-burst', '100000']);
  t.after(() => server.stop());
  const doc = 'slow-reader';
  const pair = await goodPair(server, doc);
  t.after(() => pair.close());
  const slow = rawClient(`${server.ws}/yjs/${doc}`);
  await slow.opened;
  await waitFor(() => slow.syncedStep2, 'slow client synced');
  slow.ws._socket.pause();   // never read again (until the end)
  // Enough bytes to fill both kernel buffers and the server's queue.
  const chunk = 'x'.repeat(32 * 1024);
  // Paced so that the observer (a reading Node client, but slow at applying 32 KB strings)
  // never has more than a few frames queued; only the paused client falls behind.
  for (let i = 0; i < 400; i++) {
    pair.editor.edit((d) => d.getArray('big').push([`${i}:${chunk}`]));
    if (i % 4 === 3) await waitFor(() => pair.observer.doc.getArray('big').length === i + 1, `observer at ${i}`, 10000, 2);
    if (slow.close) break;
  }
  await waitFor(() => pair.observer.doc.getArray('big').length === 400 || slow.close, 'observer got everything', 30000);
  for (let i = pair.observer.doc.getArray('big').length; i < 400; i++) {
    pair.editor.edit((d) => d.getArray('big').push([`${i}:${chunk}`]));
    if (i % 4 === 3) await waitFor(() => pair.observer.doc.getArray('big').length === i + 1, `observer at ${i}`, 10000, 2);
  }
  slow.ws._socket.resume();
  const close = await Promise.race([slow.closed, sleep(10000).then(() => null)]);
  assert.ok(close, 'the slow client was closed');
  t.diagnostic(`slow client: ${close.code} "${close.reason}"`);
  assert.equal(close.code, 1013);
  assert.ok(close.reason.length > 0);
  await pair.stillWorks('slow reader');
  const again = await fetchDoc(server.ws, doc);
  assert.equal(again.getArray('big').length, 400, 'a reconnecting client resyncs everything');
});

test('connections per document are limited', async (t) => {
  const server = await startServer(['--allow-anonymous-docs', '--max-conns-per-doc', '3']);
  t.after(() => server.stop());
  const pair = await goodPair(server, 'crowded');
  t.after(() => pair.close());
  const third = rawClient(`${server.ws}/yjs/crowded`);
  await third.opened;
  await waitFor(() => third.syncedStep2, 'third synced');
  t.after(() => third.ws.terminate());
  const out = await connectOutcome(`${server.ws}/yjs/crowded`);
  t.diagnostic(`fourth connection: ${JSON.stringify(out)}`);
  if (out.status !== undefined) assert.ok([429, 503].includes(out.status));
  else {
    assert.ok([1008, 1013].includes(out.code), `code ${out.code}`);
    assert.ok(out.reason.length > 0);
  }
  await pair.stillWorks('refused fourth');
  // Another document is not affected.
  const other = rawClient(`${server.ws}/yjs/other-doc`);
  await other.opened;
  await waitFor(() => other.syncedStep2, 'other doc synced');
  other.ws.close();
  // A slot frees up when someone leaves.
  third.ws.close();
  await third.closed;
  await waitFor(async () => {
    const c = rawClient(`${server.ws}/yjs/crowded`);
    const ok = await Promise.race([c.opened.then(() => waitFor(() => c.syncedStep2 || c.close, 'x', 2000)).then(() => c.syncedStep2 && !c.close), sleep(2500).then(() => false)]).catch(() => false);
    c.ws.terminate();
    return ok;
  }, 'a slot after a client left', 5000, 100);
});

test('a client over the update rate is slowed (its reads pause), not closed; the others keep working', async (t) => {
  const server = await startServer(['--allow-anonymous-docs', '--updates-per-second', '10', '--update-burst', '10']);
  t.after(() => server.stop());
  const pair = await goodPair(server, 'rate');
  t.after(() => pair.close());
  const fast = rawClient(`${server.ws}/yjs/rate`);
  await fast.opened;
  await waitFor(() => fast.syncedStep2, 'fast synced');
  const started = Date.now();
  for (let i = 0; i < 40; i++) fast.edit((d) => d.getMap('m').set(`fast${i}`, i));
  await pair.stillWorks('rate limit');
  await waitFor(async () => {
    const doc = await fetchDoc(server.ws, 'rate');
    return [...doc.getMap('m').keys()].filter((k) => k.startsWith('fast')).length === 40;
  }, 'every update of the fast client applied', 15000, 250);
  const elapsed = (Date.now() - started) / 1000;
  t.diagnostic(`40 updates at 10/s with a burst of 10: ${elapsed.toFixed(1)} s`);
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.ok(Number(metrics.match(/^mockloop_doc_rate_pauses_total (\d+)/m)?.[1] ?? 0) > 0, 'its reads were paused');
  assert.equal(fast.close, null, 'the fast client was not closed');
});
