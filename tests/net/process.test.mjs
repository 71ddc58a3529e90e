// The real mockloop process over real sockets: flags, /healthz, /metrics, static files,
// HTTP and WebSocket limits, graceful shutdown.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';

import { openWs, rawHttp, repoRoot, runBinary, startServer, tempDir } from '../support/server.mjs';

function staticSite() {
  const dir = tempDir('mockloop-site-');
  mkdirSync(path.join(dir, 'site', 'assets'), { recursive: true });
  writeFileSync(path.join(dir, 'site', 'index.html'), '<!doctype html><title>MockLoop</title>');
  writeFileSync(path.join(dir, 'site', 'assets', 'app-abc.js'), 'export const x = 1;');
  writeFileSync(path.join(dir, 'site', 'assets', 'app-abc.css'), 'body{}');
  writeFileSync(path.join(dir, 'secret.txt'), 'top secret');
  symlinkSync(path.join(dir, 'secret.txt'), path.join(dir, 'site', 'leak.txt'));
  return path.join(dir, 'site');
}

test('--help prints every flag and exits 0; bad flags exit 2 with a message', async () => {
  const help = await runBinary(['--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--listen HOST:PORT/);
  assert.match(help.stdout, /--max-message-bytes/);
  const unknown = await runBinary(['--nope']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown flag '--nope'/);
  const bad = await runBinary(['--threads', 'x']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--threads/);
});

test('a port already in use is a start-up error with exit code 1', async () => {
  const a = await startServer([]);
  try {
    const b = await runBinary(['--listen', `127.0.0.1:${a.port}`, '--db', path.join(a.dir, 'other.db'),
      '--content-dir', path.join(repoRoot, 'content')]);
    assert.equal(b.code, 1);
    assert.match(b.stderr, /cannot listen/);
  } finally {
    await a.stop();
  }
});

test('a second server on the same database file is a start-up error naming the file', async () => {
  const a = await startServer(['--allow-anonymous-docs']);
  try {
    const db = path.join(a.dir, 'mockloop.db');
    const b = await runBinary(['--listen', '127.0.0.1:0', '--db', db, '--content-dir', path.join(repoRoot, 'content')]);
    assert.equal(b.code, 1);
    assert.ok(b.stderr.includes(db), b.stderr);
    assert.match(b.stderr, /in use by another mockloop process/);
    const h = await fetch(`${a.url}/healthz`);  // the first one is unaffected
    assert.equal(h.status, 200);
  } finally {
    await a.stop();
  }
});

test('/healthz and /metrics', async () => {
  const s = await startServer([]);
  try {
    const h = await fetch(`${s.url}/healthz`);
    assert.equal(h.status, 200);
    assert.match(h.headers.get('content-type'), /application\/json/);
    const body = await h.json();
    assert.equal(body.status, 'ok');
    const m = await fetch(`${s.url}/metrics`);
    assert.equal(m.status, 200);
    assert.match(m.headers.get('content-type'), /text\/plain/);
    const text = await m.text();
    for (const name of ['mockloop_build_info', 'mockloop_connections', 'mockloop_http_requests_total',
      'mockloop_ws_messages_in_total', 'mockloop_bytes_in_total', 'mockloop_bytes_out_total',
      'mockloop_errors_total', 'mockloop_docs_loaded', 'mockloop_session_connections', 'mockloop_rooms_active']) {
      assert.match(text, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
    const post = await fetch(`${s.url}/healthz`, { method: 'POST' });
    assert.equal(post.status, 405);
  } finally {
    await s.stop();
  }
});

test('static files: types, caching, 404, client routes, every traversal form refused', async () => {
  const site = staticSite();
  const s = await startServer(['--static-dir', site]);
  try {
    const js = await fetch(`${s.url}/assets/app-abc.js`);
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.match(js.headers.get('cache-control'), /immutable/);
    const etag = js.headers.get('etag');
    assert.ok(etag);
    const again = await fetch(`${s.url}/assets/app-abc.js`, { headers: { 'If-None-Match': etag } });
    assert.equal(again.status, 304);
    const css = await fetch(`${s.url}/assets/app-abc.css`);
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    const route = await fetch(`${s.url}/room/abc`);
    assert.equal(route.status, 200);
    assert.match(await route.text(), /MockLoop/);
    const missing = await fetch(`${s.url}/assets/missing.js`);
    assert.equal(missing.status, 404);
    assert.equal((await missing.json()).error.code, 'not_found');
    for (const target of ['/../secret.txt', '/assets/../../secret.txt', '/%2e%2e/secret.txt',
      '/%2E%2E/%2E%2E/secret.txt', '/assets/%2e%2e/%2e%2e/secret.txt', '/..%2fsecret.txt', '/leak.txt',
      '/a%5c..%5csecret.txt', '/%00index.html', '/bad%zz']) {
      const res = await rawHttp(s.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
      const status = Number(res.split(' ')[1]);
      assert.ok(status === 400 || status === 403, `${target} -> ${status}`);
      assert.doesNotMatch(res, /top secret/);
      assert.match(res, /"error":\{"code":/);
    }
  } finally {
    await s.stop();
  }
});

test('bad HTTP input: malformed request 400, oversized headers 431, oversized body 413', async () => {
  const s = await startServer(['--max-header-bytes', '4096', '--max-body-bytes', '2048']);
  try {
    const garbage = await rawHttp(s.port, 'THIS IS NOT HTTP\r\n\r\n');
    assert.match(garbage, /^HTTP\/1\.1 400/);
    assert.match(garbage, /"code":"invalid_argument"/);  // one spelling for 400 (common/error.cpp)
    const big = await rawHttp(s.port, `GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(8000)}\r\n\r\n`);
    assert.match(big, /^HTTP\/1\.1 431/);
    const body = 'x'.repeat(5000);
    const large = await rawHttp(s.port,
      `POST /api/loops HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    assert.match(large, /^HTTP\/1\.1 413/);
    const h = await fetch(`${s.url}/healthz`);
    assert.equal(h.status, 200, 'server still healthy');
  } finally {
    await s.stop();
  }
});

test('WebSocket limits: oversized message 1009, text frame 1003, unknown path 404', async () => {
  const s = await startServer(['--allow-anonymous-docs', '--max-message-bytes', '4096']);
  try {
    const a = openWs(`${s.ws}/yjs/limits-doc`);
    const ws = await a.opened;
    ws.send(Buffer.alloc(10000, 1));
    const c = await a.closed;
    assert.equal(c.code, 1009);
    const b = openWs(`${s.ws}/yjs/limits-doc`);
    const ws2 = await b.opened;
    ws2.send('hello as text');
    const c2 = await b.closed;
    assert.equal(c2.code, 1003);
    assert.match(c2.reason, /text frames/);
    const res = await rawHttp(s.port, 'GET /nowhere HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
      + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n');
    assert.match(res, /^HTTP\/1\.1 404/);
  } finally {
    await s.stop();
  }
});

test('graceful shutdown: SIGTERM closes WebSockets with 1001 and exits 0', async () => {
  const s = await startServer(['--allow-anonymous-docs']);
  const a = openWs(`${s.ws}/yjs/shutdown-doc`);
  await a.opened;
  const b = openWs(`${s.ws}/yjs/shutdown-doc`);
  await b.opened;
  const { code, signal } = await s.stop('SIGTERM');
  const [ca, cb] = await Promise.all([a.closed, b.closed]);
  assert.equal(ca.code, 1001);
  assert.equal(cb.code, 1001);
  assert.equal(signal, null);
  assert.equal(code, 0);
});

// A raw client: the handshake (plus `extra` bytes in the same write), then collects every
// byte the server sends until it closes the socket.
async function rawWs(port, docPath, extra = Buffer.alloc(0)) {
  const net = await import('node:net');
  const sock = net.connect(port, '127.0.0.1');
  const chunks = [];
  const done = new Promise((resolve) => {
    sock.on('close', () => resolve(Buffer.concat(chunks)));
    sock.on('error', () => {});
  });
  sock.on('data', (d) => chunks.push(d));
  sock.setTimeout(3000, () => sock.destroy());
  const req = `GET ${docPath} HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`
    + 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n';
  sock.write(Buffer.concat([Buffer.from(req), extra]));
  return { sock, done, received: () => Buffer.concat(chunks) };
}

// Masked client frame.
function clientFrame(opcode, payload, { fin = true, masked = true } = {}) {
  const key = Buffer.from([1, 2, 3, 4]);
  const head = Buffer.from([(fin ? 0x80 : 0) | opcode, (masked ? 0x80 : 0) | payload.length]);
  const body = Buffer.from(payload.map((b, i) => (masked ? b ^ key[i & 3] : b)));
  return Buffer.concat([head, masked ? key : Buffer.alloc(0), body]);
}

// Server frames after the HTTP response: [{opcode, payload}].
function serverFrames(bytes) {
  const start = bytes.indexOf('\r\n\r\n') + 4;
  const frames = [];
  let p = start;
  while (p + 2 <= bytes.length) {
    let len = bytes[p + 1] & 0x7f;
    let h = 2;
    if (len === 126) { len = bytes.readUInt16BE(p + 2); h = 4; }
    if (p + h + len > bytes.length) break;
    frames.push({ opcode: bytes[p] & 0x0f, payload: bytes.subarray(p + h, p + h + len) });
    p += h + len;
  }
  return frames;
}

test('WebSocket framing: fragments, ping/pong, close echo, frames behind the handshake, 1002, bad handshake', async () => {
  const s = await startServer(['--allow-anonymous-docs']);
  try {
    // A sync step 1 (empty state vector) sent in two fragments is one message: step 2 comes back.
    const a = openWs(`${s.ws}/yjs/frag-doc`);
    const ws = await a.opened;
    ws.send(Buffer.from([0, 0]), { fin: false });
    ws.send(Buffer.from([1, 0]), { fin: true });
    for (let i = 0; i < 100 && !a.events.messages.some((m) => m[0] === 0 && m[1] === 1); i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(a.events.messages.some((m) => m[0] === 0 && m[1] === 1), 'step 2 answers a fragmented step 1');
    const pong = new Promise((r) => ws.once('pong', (d) => r(d.toString())));
    ws.ping('are you there');
    assert.equal(await pong, 'are you there');
    ws.close(4000, 'bye');
    assert.equal((await a.closed).code, 4000, 'the server echoes the close code');

    // A step 1 written together with the handshake is answered; then an unmasked frame is a
    // protocol error: close 1002 with a reason, and the socket is closed.
    const r1 = await rawWs(s.port, '/yjs/raw-doc', clientFrame(2, [0, 0, 1, 0]));
    for (let i = 0; i < 100 && serverFrames(r1.received()).filter((f) => f.opcode === 2).length < 2; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.match(r1.received().toString('latin1'), /^HTTP\/1\.1 101/);
    assert.match(r1.received().toString('latin1'), /Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK\+xOo=/i);
    r1.sock.write(clientFrame(2, [0, 2, 0], { masked: false }));
    const frames = serverFrames(await r1.done);
    const binary = frames.filter((f) => f.opcode === 2);
    assert.ok(binary.some((f) => f.payload[0] === 0 && f.payload[1] === 1), 'step 2 for the early step 1');
    const close = frames.find((f) => f.opcode === 8);
    assert.ok(close, 'a close frame');
    assert.equal(close.payload.readUInt16BE(0), 1002);
    assert.match(close.payload.subarray(2).toString(), /masked/);

    // A handshake without a key is refused with 400 and a JSON body.
    const bad = await rawHttp(s.port, 'GET /yjs/x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
      + 'Sec-WebSocket-Version: 13\r\n\r\n');
    assert.match(bad, /^HTTP\/1\.1 400/);
    assert.match(bad, /"code":"bad_handshake"/);

    const h = await fetch(`${s.url}/healthz`);
    assert.equal(h.status, 200, 'server still healthy');
  } finally {
    await s.stop();
  }
});
