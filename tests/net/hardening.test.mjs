// Transport hardening against the real process (issue 14): close codes and close reasons,
// a ping flood (memory stays bounded, a client that reads its pongs stays connected),
// the per-IP connection limit (half-open requests included), the Origin/Host policy,
// security headers, and accept() backing off when the process is out of descriptors.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { test } from 'node:test';

import { rawHttp, startServer } from '../support/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A client frame masked with the all-zero key (valid, and the payload needs no masking).
function clientFrame(opcode, payload = Buffer.alloc(0)) {
  const len = payload.length;
  let head;
  if (len < 126) head = Buffer.from([0x80 | opcode, 0x80 | len, 0, 0, 0, 0]);
  else if (len < 65536) head = Buffer.from([0x80 | opcode, 0x80 | 126, len >> 8, len & 255, 0, 0, 0, 0]);
  else throw new Error('too long for this helper');
  return Buffer.concat([head, payload]);
}
const closeFrame = (code, reason = Buffer.alloc(0)) => clientFrame(0x8, Buffer.concat([Buffer.from([code >> 8, code & 255]), reason]));

// A WebSocket over a raw socket: the handshake, then every server frame parsed as it comes.
async function rawWs(port, path = '/yjs/raw', extraHeaders = '') {
  const sock = net.connect(port, '127.0.0.1');
  await new Promise((resolve, reject) => { sock.once('connect', resolve); sock.once('error', reject); });
  const c = { sock, head: null, frames: 0, pongs: 0, close: null, ended: false, bytes: 0 };
  let buf = Buffer.alloc(0);
  let headResolve;
  const head = new Promise((r) => { headResolve = r; });
  sock.on('error', () => {});
  sock.on('close', () => { c.ended = true; headResolve(c.head); });
  sock.on('data', (d) => {
    c.bytes += d.length;
    buf = buf.length ? Buffer.concat([buf, d]) : d;
    if (c.head === null) {
      const end = buf.indexOf('\r\n\r\n');
      if (end < 0) return;
      c.head = buf.subarray(0, end).toString();
      buf = buf.subarray(end + 4);
      headResolve(c.head);
    }
    for (;;) {
      if (buf.length < 2) break;
      let len = buf[1] & 0x7f;
      let h = 2;
      if (len === 126) { if (buf.length < 4) break; len = buf.readUInt16BE(2); h = 4; }
      else if (len === 127) { if (buf.length < 10) break; len = Number(buf.readBigUInt64BE(2)); h = 10; }
      if (buf.length < h + len) break;
      const op = buf[0] & 0x0f;
      const payload = buf.subarray(h, h + len);
      c.frames++;
      if (op === 0xa) c.pongs++;
      if (op === 0x8) c.close = { code: payload.length >= 2 ? payload.readUInt16BE(0) : 1005, reason: payload.subarray(2).toString() };
      buf = buf.subarray(h + len);
    }
  });
  sock.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${extraHeaders}\r\n`);
  await head;
  return c;
}

async function waitUntil(pred, what, timeout = 5000) {
  const t0 = Date.now();
  while (!(await pred())) {
    if (Date.now() - t0 > timeout) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

function rssKiB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+) kB/);
  return Number(m[1]);
}

function cpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;  // utime + stime, in clock ticks of 1/100 s
}

const sanitized = Boolean(process.env.MOCKLOOP_SANITIZED);

test('close codes 1012-1014 and 3000-4999 are echoed; an invalid code is 1002; a reason that is not UTF-8 is 1007', async (t) => {
  const s = await startServer(['--allow-anonymous-docs']);
  t.after(() => s.stop());
  for (const code of [1012, 1013, 1014, 3000, 4999]) {
    const c = await rawWs(s.port, '/yjs/close-codes');
    assert.match(c.head, /^HTTP\/1.1 101/);
    c.sock.write(closeFrame(code, Buffer.from('bye')));
    await waitUntil(() => c.close, `echo of ${code}`);
    assert.equal(c.close.code, code);
    c.sock.destroy();
  }
  for (const code of [1004, 1005, 1015, 2000, 5000]) {
    const c = await rawWs(s.port, '/yjs/close-codes');
    c.sock.write(closeFrame(code));
    await waitUntil(() => c.close, `answer to ${code}`);
    assert.equal(c.close.code, 1002, `code ${code}`);
    c.sock.destroy();
  }
  const bad = await rawWs(s.port, '/yjs/close-codes');
  bad.sock.write(closeFrame(1000, Buffer.from([0xc3, 0x28])));  // not UTF-8
  await waitUntil(() => bad.close, 'answer to a bad reason');
  assert.equal(bad.close.code, 1007);
  bad.sock.destroy();
});

test('a ping flood does not grow the server; a client that reads its pongs stays connected', async (t) => {
  const s = await startServer(['--allow-anonymous-docs']);
  t.after(() => s.stop());
  const c = await rawWs(s.port, '/yjs/ping-flood');
  assert.match(c.head, /^HTTP\/1.1 101/);
  await sleep(200);
  const rss0 = rssKiB(s.proc.pid);
  const ping = clientFrame(0x9, Buffer.alloc(125, 0x61));
  const chunk = Buffer.concat(new Array(8192).fill(ping));  // ~1 MiB of pings
  const totalMiB = 128;
  let maxRss = rss0;
  for (let i = 0; i < totalMiB; i++) {
    if (!c.sock.write(chunk)) await new Promise((r) => c.sock.once('drain', r));
    if (i % 8 === 0) maxRss = Math.max(maxRss, rssKiB(s.proc.pid));
    assert.equal(c.ended, false, 'the server kept the connection');
  }
  await sleep(300);
  maxRss = Math.max(maxRss, rssKiB(s.proc.pid));
  const growthMiB = (maxRss - rss0) / 1024;
  t.diagnostic(`${totalMiB} MiB of pings: RSS ${rss0} -> max ${maxRss} KiB (+${growthMiB.toFixed(1)} MiB), ${c.pongs} pongs`);
  // Under ASan, freed memory waits in a quarantine of up to 256 MiB: RSS says nothing there.
  if (!sanitized) assert.ok(growthMiB < 32, `RSS grew ${growthMiB.toFixed(1)} MiB (ceiling 32 MiB)`);
  assert.ok(c.pongs > 0, 'pongs were sent');
  assert.ok(c.pongs < 8192 * totalMiB, 'pongs were coalesced');
  assert.equal(c.close, null, 'not closed');
  c.sock.write(closeFrame(1000));
  await waitUntil(() => c.close, 'close echo');
  assert.equal(c.close.code, 1000);

  // A client that never reads: its pongs cannot pile up either.
  const deaf = await rawWs(s.port, '/yjs/ping-flood');
  deaf.sock.pause();
  const rss1 = rssKiB(s.proc.pid);
  let written = 0;
  const deadline = Date.now() + 3000;
  while (written < 64 && Date.now() < deadline) {
    if (deaf.sock.write(chunk)) written++;
    else await Promise.race([new Promise((r) => deaf.sock.once('drain', r)), sleep(500)]);
  }
  const deafGrowth = (rssKiB(s.proc.pid) - rss1) / 1024;
  t.diagnostic(`deaf client wrote ${written} MiB of pings; RSS +${deafGrowth.toFixed(1)} MiB`);
  if (!sanitized) assert.ok(deafGrowth < 32, `RSS grew ${deafGrowth.toFixed(1)} MiB for a deaf client`);
  deaf.sock.destroy();
});

test('--max-connections-per-ip refuses the N+1th socket, half-open ones included, until one goes', async (t) => {
  const s = await startServer(['--max-connections-per-ip', '4', '--per-ip-limit-loopback', '--handshake-timeout', '2']);
  t.after(() => s.stop());
  const open = [];
  for (let i = 0; i < 4; i++) {
    const sock = net.connect(s.port, '127.0.0.1');  // never sends a request
    sock.on('error', () => {});
    await new Promise((r) => sock.once('connect', r));
    open.push(sock);
  }
  await sleep(100);
  const refused = await rawHttp(s.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n').catch((e) => e.code);
  assert.ok(refused === '' || refused === 'ECONNRESET', `the 5th socket is closed without an answer (${refused})`);
  open.pop().destroy();
  await sleep(100);
  const ok = await rawHttp(s.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.match(ok, /^HTTP\/1.1 200/);
  // The half-open ones lose their slots at the handshake timeout.
  await sleep(2500);
  const results = await Promise.all([0, 1, 2, 3].map(() => rawHttp(s.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')));
  for (const r of results) assert.match(r, /^HTTP\/1.1 200/);
  for (const sock of open) sock.destroy();
  const m = await (await fetch(`${s.url}/metrics`)).text();
  assert.match(m, /mockloop_connections_refused_total\{reason="max_connections_per_ip"\} [1-9]/);
});

test('loopback clients (a reverse proxy) are not counted per IP unless --per-ip-limit-loopback', async (t) => {
  const s = await startServer(['--max-connections-per-ip', '1']);
  t.after(() => s.stop());
  const held = net.connect(s.port, '127.0.0.1');
  held.on('error', () => {});
  await new Promise((r) => held.once('connect', r));
  assert.match(await rawHttp(s.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1.1 200/);
  held.destroy();
});

test('Origin not matching Host (nor --allowed-origin) is refused 403 on upgrades and on POST; no Origin passes', async (t) => {
  const s = await startServer(['--allow-anonymous-docs', '--allowed-origin', 'https://app.example.com']);
  t.after(() => s.stop());
  const evil = await rawWs(s.port, '/yjs/origin', 'Origin: https://evil.example\r\n');
  assert.match(evil.head, /^HTTP\/1.1 403/);
  assert.match(evil.head, /application\/json/);
  evil.sock.destroy();
  for (const origin of [`http://127.0.0.1:${s.port}`, 'https://app.example.com', null]) {
    const c = await rawWs(s.port, '/yjs/origin', origin ? `Origin: ${origin}\r\n` : '');
    assert.match(c.head, /^HTTP\/1.1 101/, `origin ${origin}`);
    c.sock.destroy();
  }
  const post = await fetch(`${s.url}/api/loops`, { method: 'POST', headers: { Origin: 'https://evil.example', 'Content-Type': 'application/json' }, body: '{}' });
  assert.equal(post.status, 403);
  const body = await post.json();
  assert.equal(body.error.code, 'origin_not_allowed');
  const get = await fetch(`${s.url}/healthz`, { headers: { Origin: 'https://evil.example' } });
  assert.equal(get.status, 200, 'a GET is not state-changing');
  const same = await fetch(`${s.url}/api/loops`, { method: 'POST', headers: { Origin: `http://127.0.0.1:${s.port}`, 'Content-Type': 'application/json' }, body: '{}' });
  assert.notEqual(same.status, 403);
  const none = await fetch(`${s.url}/api/loops`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });
  assert.notEqual(none.status, 403);
});

test('--allowed-host serves only the listed Host values', async (t) => {
  const s = await startServer(['--allowed-host', 'mockloop.test', '--allowed-host', '127.0.0.1']);
  t.after(() => s.stop());
  assert.match(await rawHttp(s.port, 'GET /healthz HTTP/1.1\r\nHost: mockloop.test\r\nConnection: close\r\n\r\n'), /^HTTP\/1.1 200/);
  assert.match(await rawHttp(s.port, `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: close\r\n\r\n`), /^HTTP\/1.1 200/);
  assert.match(await rawHttp(s.port, 'GET /healthz HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n'), /^HTTP\/1.1 403/);
});

test('every HTTP response carries the security headers', async (t) => {
  const s = await startServer([]);
  t.after(() => s.stop());
  for (const [path, init] of [['/healthz', {}], ['/nope', {}], ['/healthz', { method: 'POST' }]]) {
    const r = await fetch(`${s.url}${path}`, init);
    assert.equal(r.headers.get('content-security-policy'),
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'", path);
    assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(r.headers.get('x-frame-options'), 'DENY');
    assert.equal(r.headers.get('cross-origin-opener-policy'), 'same-origin');
  }
});

// Not under sanitizers: their runtime needs descriptors of its own (it probes memory through a
// pipe), so with none left it reports errors of its own making.
test('out of descriptors, accept() backs off: little CPU and few log lines', { skip: sanitized && 'sanitizer build' }, async (t) => {
  const s = await startServer([], { prefix: ['prlimit', '--nofile=48:48'] });
  t.after(() => s.stop());
  const socks = [];
  for (let i = 0; i < 80; i++) {
    const sock = net.connect(s.port, '127.0.0.1');
    sock.on('error', () => {});
    socks.push(sock);
  }
  await sleep(500);
  const cpu0 = cpuSeconds(s.proc.pid);
  await sleep(3000);
  const cpu = cpuSeconds(s.proc.pid) - cpu0;
  const lines = s.output().err.split('\n').concat(s.output().out.split('\n')).filter((l) => /accept failed/.test(l));
  t.diagnostic(`server CPU over 3 s out of descriptors: ${cpu.toFixed(2)} s; ${lines.length} log lines: ${lines[0] ?? ''}`);
  assert.ok(lines.length >= 1, 'the condition is logged');
  assert.ok(lines.length <= 3, `${lines.length} log lines`);
  assert.ok(cpu < 0.5, `CPU ${cpu} s`);
  for (const sock of socks) sock.destroy();
  await sleep(300);
  // Descriptors free again: the server serves (after at most one backoff period).
  await waitUntil(async () => /^HTTP\/1.1 200/.test(await rawHttp(s.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')), 'serving again', 5000);
});

test('--max-connections-per-token refuses (1008) a token\'s WebSocket past the limit, over all its documents', async (t) => {
  const s = await startServer(['--max-connections-per-token', '2']);
  t.after(() => s.stop());
  const room = async () => (await fetch(`${s.url}/api/study-rooms`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'q', hostName: 'h' }),
  })).json();
  const alpha = await room();
  const beta = await room();
  const path = (r) => `/yjs/${r.docName}?token=${encodeURIComponent(r.token)}`;
  const a = await rawWs(s.port, path(alpha));
  const b = await rawWs(s.port, path(alpha));
  const c = await rawWs(s.port, path(alpha));
  await waitUntil(() => c.close, 'the third is refused');
  assert.equal(c.close.code, 1008);
  assert.match(c.close.reason, /too many connections for this token/);
  const other = await rawWs(s.port, path(beta));
  await sleep(200);
  assert.equal(a.close, null);
  assert.equal(b.close, null);
  assert.equal(other.close, null);
  a.sock.destroy();
  await sleep(200);
  const d = await rawWs(s.port, path(alpha));
  await sleep(200);
  assert.equal(d.close, null, 'a slot is free again');
  for (const x of [b, c, other, d]) x.sock.destroy();
});
