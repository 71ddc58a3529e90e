// Helpers for the process-level tests: y-protocols frames built by hand (so a test can send
// exactly the bytes it wants), polling, and the stock Yjs packages loaded once (CommonJS
// builds, so yjs, y-protocols and y-websocket share one Yjs instance).
import { requireJs } from '../support/server.mjs';

export const Y = requireJs('yjs');
export const WebSocket = requireJs('ws');
export const encoding = requireJs('lib0/encoding');
export const decoding = requireJs('lib0/decoding');
export const syncProtocol = requireJs('y-protocols/sync');
export const awarenessProtocol = requireJs('y-protocols/awareness');
export const { WebsocketProvider } = requireJs('y-websocket');

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Polls `pred` until it returns a truthy value; throws `what` after `timeout` ms.
export async function waitFor(pred, what = 'condition', timeout = 10000, every = 20) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await pred();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(every);
  }
}

function frame(build) {
  const e = encoding.createEncoder();
  build(e);
  return Buffer.from(encoding.toUint8Array(e));
}
export const step1Frame = (sv) => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 0); encoding.writeVarUint8Array(e, sv); });
export const step2Frame = (u) => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 1); encoding.writeVarUint8Array(e, u); });
export const updateFrame = (u) => frame((e) => { encoding.writeVarUint(e, 0); encoding.writeVarUint(e, 2); encoding.writeVarUint8Array(e, u); });
export const queryAwarenessFrame = () => frame((e) => { encoding.writeVarUint(e, 3); });
// One awareness entry {clientID, clock, state} (state null = removal).
export const awarenessFrame = (clientID, clock, state) => frame((e) => {
  encoding.writeVarUint(e, 1);
  const inner = encoding.createEncoder();
  encoding.writeVarUint(inner, 1);
  encoding.writeVarUint(inner, clientID);
  encoding.writeVarUint(inner, clock);
  encoding.writeVarString(inner, JSON.stringify(state));
  encoding.writeVarUint8Array(e, encoding.toUint8Array(inner));
});

// Decodes one server frame: { type: 'step1'|'step2'|'update'|'awareness'|'query'|'auth'|..., payload }.
export function parseFrame(buf) {
  const d = decoding.createDecoder(new Uint8Array(buf));
  const t = decoding.readVarUint(d);
  if (t === 0) {
    const s = decoding.readVarUint(d);
    const payload = decoding.readVarUint8Array(d);
    return { type: ['step1', 'step2', 'update'][s] ?? `sync${s}`, payload };
  }
  if (t === 1) {
    const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
    const n = decoding.readVarUint(inner);
    const entries = [];
    for (let i = 0; i < n; i++) {
      const clientID = decoding.readVarUint(inner);
      const clock = decoding.readVarUint(inner);
      entries.push({ clientID, clock, state: JSON.parse(decoding.readVarString(inner)) });
    }
    return { type: 'awareness', entries };
  }
  if (t === 3) return { type: 'query' };
  if (t === 2) return { type: 'auth' };
  return { type: `unknown${t}` };
}

// A raw y-protocols client with a Yjs doc: answers the server's step 1, applies every sync
// message, records what it received. `send*` write frames; `edit(fn)` changes the local doc
// and sends the update.
export function rawClient(url, { autoSync = true } = {}) {
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  const doc = new Y.Doc();
  const c = {
    ws, doc, frames: [], received: [], close: null, syncedStep2: false,
    opened: new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); }),
    closed: null,
    send(buf) { ws.send(buf); },
    edit(fn) {
      let update = null;
      const h = (u, origin) => { if (origin !== 'remote') update = u; };
      doc.on('update', h);
      doc.transact(() => fn(doc));
      doc.off('update', h);
      if (update) ws.send(updateFrame(update));
      return update;
    },
  };
  c.closed = new Promise((resolve) => ws.on('close', (code, reason) => {
    c.close = { code, reason: reason.toString() };
    resolve(c.close);
  }));
  ws.on('error', () => {});
  ws.on('message', (data) => {
    c.frames.push(data);
    let f;
    try { f = parseFrame(data); } catch { return; }
    if (f.type === 'step1' && autoSync) ws.send(step2Frame(Y.encodeStateAsUpdate(doc, f.payload)));
    if (f.type === 'step2' || f.type === 'update') {
      if (f.type === 'step2') c.syncedStep2 = true;
      c.received.push(f.payload);
      Y.applyUpdate(doc, f.payload, 'remote');
    }
  });
  c.opened.then(() => { if (autoSync) ws.send(step1Frame(Y.encodeStateVector(doc))); }, () => {});
  return c;
}

// Reads a doc's full state from the server with a fresh raw client.
export async function fetchDoc(wsBase, name) {
  const c = rawClient(`${wsBase}/yjs/${name}`);
  await c.opened;
  await waitFor(() => c.syncedStep2, `step 2 for ${name}`);
  c.ws.close();
  return c.doc;
}

// A REST call with an optional bearer token: {status, json (or the text when not JSON), text}.
export async function api(server, method, p, token, body, accept = 'application/json') {
  const headers = { 'content-type': 'application/json', accept };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${p}`, { method, headers, body: body === undefined || body === null ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { json = text; }
  return { status: res.status, json, text, location: res.headers.get('location') };
}

// Resolves with how a WebSocket to `url` ended: {status} when the upgrade was refused,
// else the close {code, reason}.
export function closeOf(url) {
  return new Promise((resolve) => {
    const ws = new WebSocket(url);
    ws.on('unexpected-response', (_req, res) => { resolve({ status: res.statusCode }); ws.terminate(); });
    ws.on('error', () => {});
    ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() }));
  });
}

// Protobuf by hand, for session messages the tests build byte by byte.
export function varint(n) {
  const out = [];
  while (n > 127) { out.push((n & 127) | 128); n = Math.floor(n / 128); }
  out.push(n);
  return out;
}
export const field = (no, wire, payload) => [...varint(no * 8 + wire), ...payload];
export const lenField = (no, bytes) => field(no, 2, [...varint(bytes.length), ...bytes]);
