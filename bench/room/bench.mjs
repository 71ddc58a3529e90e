// Room benchmark: the same scenarios against mockloop (persistence on and --no-persist),
// the npm y-websocket server (@y/websocket-server 0.1.1) and Hocuspocus 4.7.0 (both in
// memory), in one run. Usage: node bench/room/bench.mjs [--servers a,b] [--scenarios a,b,..]
// [--json out.json]. Environment: MOCKLOOP_BIN, BENCH_WORKERS (default 2), BENCH_SECONDS,
// BENCH_GEN (cpp: the C++ worker, default; node: worker.mjs), BENCH_WORKER_BIN.
import { spawn, fork, execSync } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { readFileSync, readdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { requireJs, repoRoot, nowUs, step1, hocusAuth, syncUpdate, frameKind, Hist } from './proto.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const Y = requireJs('yjs');
const WebSocket = requireJs('ws');
const args = process.argv.slice(2);
const opt = (name, def) => { const i = args.indexOf(`--${name}`); return i >= 0 ? args[i + 1] : def; };
const SERVERS = opt('servers', 'mockloop,mockloop-nopersist,y-websocket,hocuspocus').split(',');
const SCENARIOS = opt('scenarios', 'a,b,c,d,e,f').split(',');
const WORKERS = Number(process.env.BENCH_WORKERS || 2);
const SECONDS = Number(process.env.BENCH_SECONDS || 6);
const BIN = process.env.MOCKLOOP_BIN || path.join(repoRoot, 'build', 'server', 'app', 'mockloop');
// The load generator's workers: the C++ one (bench/room/worker.cpp) by default, or the Node
// one (worker.mjs, with BENCH_CLIENT choosing its WebSocket client).
const GEN = process.env.BENCH_GEN || 'cpp';
const WORKER_BIN = process.env.BENCH_WORKER_BIN || path.join(repoRoot, 'build', 'bench', 'room_worker');
// BENCH_TICK_MS (C++ workers): every due update goes out on a shared tick of this many ms,
// 5 by default, the Node workers' schedule (so that changing the generator changes only its
// cost per message, not the load); 0 sends each update at its writer's own due time.
const TICK_MS = Number(process.env.BENCH_TICK_MS ?? 5);
const GEN_NAME = GEN === 'node' ? `node-${process.env.BENCH_CLIENT === 'ws' ? 'ws' : 'raw'}` : (TICK_MS ? `cpp (${TICK_MS} ms tick)` : 'cpp (own due times)');
const TCK = Number(execSync('getconf CLK_TCK').toString().trim()) || 100;
const log = (...a) => console.error(...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Server CPU: the on-CPU nanoseconds of all its threads (/proc/<pid>/task/*/schedstat),
// precise where utime+stime counts 10 ms ticks; the tick count is the fallback.
function procStats(pid) {
  let cpu = 0;
  try {
    for (const t of readdirSync(`/proc/${pid}/task`)) {
      try { cpu += Number(readFileSync(`/proc/${pid}/task/${t}/schedstat`, 'utf8').split(' ')[0]) / 1e9; } catch { /* exited */ }
    }
  } catch { cpu = 0; }
  if (!(cpu > 0)) {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    cpu = (Number(f[11]) + Number(f[12])) / TCK;
  }
  const rss = Number(readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)[1]);
  return { cpu, rss, t: performance.now() };
}

function freePort() {
  return new Promise((resolve) => { const s = net.createServer(); s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); }); });
}

async function startServer(kind) {
  let proc; let re; let base;
  if (kind.startsWith('mockloop')) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'mockloop-bench-'));
    const a = ['--listen', '127.0.0.1:0', '--db', path.join(dir, 'bench.db'), '--allow-anonymous-docs',
      '--content-dir', path.join(repoRoot, 'content'), '--log-level', 'warn',
      '--updates-per-second', '1000000', '--update-burst', '1000000', '--max-conns-per-doc', '20000',
      '--max-connections', '30000', '--max-docs', '100000', '--send-queue-frames', '1000000', '--idle-timeout', '600'];
    if (kind === 'mockloop-nopersist') a.push('--no-persist');
    if (process.env.MOCKLOOP_ARGS) a.push(...process.env.MOCKLOOP_ARGS.split(' ').filter(Boolean));
    proc = spawn(BIN, a, { stdio: ['ignore', 'pipe', 'pipe'] });
    re = /listening on http:\/\/[^:]+:(\d+)\//;
    base = (port) => `ws://127.0.0.1:${port}/yjs`;
  } else if (kind === 'y-websocket') {
    const port = await freePort();
    proc = spawn(process.execPath, [path.join(repoRoot, 'tests/js/node_modules/@y/websocket-server/src/server.js')],
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, HOST: '127.0.0.1', PORT: String(port) } });
    re = /on port (\d+)/;
    base = (p) => `ws://127.0.0.1:${p}`;
  } else if (kind === 'hocuspocus') {
    proc = spawn(process.execPath, [path.join(here, 'hocuspocus-server.mjs')], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PORT: '0' } });
    re = /listening on port (\d+)/;
    base = (p) => `ws://127.0.0.1:${p}/hp`;
  } else throw new Error(`unknown server ${kind}`);
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; if (err.length > 20000) err = err.slice(-10000); });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${kind} did not start: ${err}`)), 15000);
    proc.stdout.on('data', (d) => { out += d; const m = out.match(re); if (m) { clearTimeout(timer); resolve(Number(m[1])); } });
    proc.on('exit', (c) => reject(new Error(`${kind} exited ${c}: ${err}`)));
    proc.on('error', (e) => reject(new Error(`${kind} could not start: ${e.message}`)));
  });
  return {
    kind, proc, port, base: base(port), hocus: kind === 'hocuspocus', pid: proc.pid, err: () => err,
    async stop() {
      if (process.env.BENCH_METRICS && kind.startsWith('mockloop')) {
        // BENCH_METRICS=regex: print the server's matching /metrics lines before it stops.
        const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
        const re = new RegExp(process.env.BENCH_METRICS);
        process.stderr.write(text.split('\n').filter((l) => re.test(l)).join('\n') + '\n');
      }
      proc.kill('SIGKILL'); await new Promise((r) => (proc.exitCode !== null || proc.signalCode ? r() : proc.on('exit', r))); },
  };
}

// ---- workers --------------------------------------------------------------------------
// A C++ worker behind the interface of a forked one: send(msg) and 'message' events, as
// JSON lines on its stdin and stdout.
function spawnCppWorker() {
  const p = spawn(WORKER_BIN, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const w = new EventEmitter();
  let buf = '';
  p.stdout.setEncoding('utf8');
  p.stdout.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) w.emit('message', JSON.parse(buf.slice(0, i)));
  });
  p.on('exit', (code) => { if (code) log(`C++ worker exited with ${code}`); });
  w.send = (m) => p.stdin.write(`${JSON.stringify(m)}\n`);
  return w;
}

class Workers {
  constructor(n) {
    this.ws = Array.from({ length: n }, () => (GEN === 'node'
      ? fork(path.join(here, 'worker.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
      : spawnCppWorker()));
    this.ready = Promise.all(this.ws.map((w) => new Promise((r) => w.once('message', r))));
  }
  ask(i, msg, ev) {
    return new Promise((resolve) => { const w = this.ws[i]; const h = (m) => { if (m.ev === ev) { w.off('message', h); resolve(m); } }; w.on('message', h); w.send(msg); });
  }
  async setup(server, clients, concurrency = 100) {
    await this.ready;
    const parts = this.ws.map(() => []);
    clients.forEach((c, i) => parts[i % parts.length].push(c));
    const r = await Promise.all(parts.map((p, i) => this.ask(i, { cmd: 'setup', base: server.base, hocus: server.hocus, clients: p, concurrency }, 'connected')));
    return { connectMs: r.flatMap((x) => x.connectMs), failed: r.reduce((s, x) => s + x.failed, 0), open: r.reduce((s, x) => s + x.open, 0) };
  }
  async run(msg) {
    const t0Us = nowUs() + 300000;
    const r = await Promise.all(this.ws.map((_, i) => this.ask(i, { cmd: 'run', t0Us, tickMs: TICK_MS, ...msg }, 'ran')));
    const hist = new Hist();
    for (const x of r) hist.merge(x.hist);
    return { hist, sent: r.flatMap((x) => x.sent), recv: r.flatMap((x) => x.recv), genCpuS: r.reduce((s, x) => s + x.cpuS, 0), wallS: Math.max(...r.map((x) => x.wallS)) };
  }
  async close() { await Promise.all(this.ws.map((_, i) => this.ask(i, { cmd: 'close' }, 'closed'))); }
}

function pct(arr, p) { if (!arr.length) return NaN; const s = [...arr].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)]; }

// Every client received every update the writers of its doc sent (not its own), none closed.
function converged(run) {
  const sentByDoc = new Map();
  const sentById = new Map();
  for (const [id, doc, n] of run.sent) { sentByDoc.set(doc, (sentByDoc.get(doc) || 0) + n); sentById.set(id, n); }
  let bad = 0;
  for (const [id, doc, n, closed] of run.recv) {
    const expected = (sentByDoc.get(doc) || 0) - (sentById.get(id) || 0);
    if (n !== expected || closed) bad++;
  }
  return { ok: bad === 0, bad };
}

let nextId = 1;
function makeClients(docs, perDoc, writersPerDoc, rate, prefix) {
  const out = [];
  for (let d = 0; d < docs; d++) {
    for (let k = 0; k < perDoc; k++) {
      const id = nextId++;
      out.push({ id, client: 1000000 + id, doc: `${prefix}-${d}`, rate: k < writersPerDoc ? rate : 0 });
    }
  }
  return out;
}

// (a), (b), (c): fixed load for SECONDS.
async function loadScenario(kind, spec) {
  const server = await startServer(kind);
  const workers = new Workers(WORKERS);
  try {
    const s0 = procStats(server.pid);
    const clients = makeClients(spec.docs, spec.perDoc, spec.writers, spec.rate, `${spec.name}-${Date.now()}`);
    const con = await workers.setup(server, clients);
    await sleep(300);
    const s1 = procStats(server.pid);
    const run = await workers.run({ durationMs: SECONDS * 1000, drainMs: 3000 });
    const s2 = procStats(server.pid);
    const wall = (s2.t - s1.t) / 1000;
    const delivered = run.recv.reduce((s, r) => s + r[2], 0);
    const conv = converged(run);
    return {
      connect: { p50: pct(con.connectMs, 0.5), p99: pct(con.connectMs, 0.99), max: Math.max(...con.connectMs), failed: con.failed },
      lat: { p50: run.hist.q(0.5) / 1000, p99: run.hist.q(0.99) / 1000, max: run.hist.max / 1000, n: run.hist.n },
      deliveredPerS: delivered / (SECONDS), sentPerS: run.sent.reduce((s, x) => s + x[2], 0) / SECONDS,
      serverCpuS: s2.cpu - s1.cpu, serverCpuPct: 100 * (s2.cpu - s1.cpu) / wall, rssKB: s2.rss,
      rssPerDocKB: (s2.rss - s0.rss) / spec.docs, converged: conv.ok, notConverged: conv.bad,
      genCpuPct: 100 * run.genCpuS / wall,
    };
  } finally { await workers.close(); await server.stop(); }
}

// (d): step the rate up until p99 >= 50 ms or deliveries fall behind.
async function rateScenario(kind) {
  const server = await startServer(kind);
  const workers = new Workers(WORKERS);
  const steps = (process.env.BENCH_D_STEPS || '250,500,1000,2000,4000,8000,12000,16000,20000,30000,40000,50000,60000').split(',').map(Number);
  try {
    const clients = makeClients(1, 10, 10, 1, `d-${Date.now()}`);
    await workers.setup(server, clients);
    const rows = [];
    let best = null;
    let top = null;
    for (const total of steps) {
      const s1 = procStats(server.pid);
      const run = await workers.run({ durationMs: 2500, drainMs: 2000, scale: total / 10 });
      const s2 = procStats(server.pid);
      const delivered = run.recv.reduce((s, r) => s + r[2], 0);
      const expected = run.sent.reduce((s, x) => s + x[2], 0) * 9;
      const closed = run.recv.some((r) => r[3]);
      const row = {
        rate: total, sentPerS: run.sent.reduce((s, x) => s + x[2], 0) / 2.5, deliveredPerS: delivered / 2.5,
        p50: run.hist.q(0.5) / 1000, p99: run.hist.q(0.99) / 1000, max: run.hist.max / 1000,
        serverCpuS: s2.cpu - s1.cpu, usPerDelivery: delivered ? 1e6 * (s2.cpu - s1.cpu) / delivered : NaN,
        genCpuPct: 100 * run.genCpuS / ((s2.t - s1.t) / 1000), complete: delivered === expected && !closed,
        serverCpuPct: 100 * (s2.cpu - s1.cpu) / ((s2.t - s1.t) / 1000), rssKB: s2.rss,
      };
      rows.push(row);
      log(`  (d) ${kind} ${total}/s: delivered ${row.deliveredPerS.toFixed(0)}/s p99 ${row.p99.toFixed(2)} ms, ${row.usPerDelivery.toFixed(2)} us/delivery, server ${row.serverCpuPct.toFixed(0)}%, gen ${row.genCpuPct.toFixed(0)}%${row.complete ? '' : ' INCOMPLETE'}`);
      const keeps = row.complete && row.sentPerS > 0.9 * total;
      if (keeps && row.p99 < 50) best = row;
      if (keeps) top = row;
      // Stop once updates are lost/late beyond recovery or latency is far past the bar.
      if (!keeps || row.p99 > 1000) break;
    }
    // best: highest rate with p99 < 50 ms; top: highest rate fully delivered (saturation).
    return { best, top, steps: rows };
  } finally { await workers.close(); await server.stop(); }
}

// (e): a doc holding 20,000 edits; late joiners.
let eUpdates = null;
function prepareEdits(n = 20000) {
  if (eUpdates) return eUpdates;
  const doc = new Y.Doc();
  const ups = [];
  doc.on('update', (u) => ups.push(u));
  const text = doc.getText('t');
  let seed = 42;
  const rnd = () => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648; };
  for (let i = 0; i < n; i++) {
    const len = text.length;
    if (len > 20 && rnd() < 0.2) text.delete(Math.floor(rnd() * (len - 3)), 1 + Math.floor(rnd() * 3));
    else text.insert(Math.floor(rnd() * (len + 1)), 'abcdefgh'.slice(0, 1 + Math.floor(rnd() * 5)));
  }
  eUpdates = { ups, sv: Buffer.from(Y.encodeStateVector(doc)), text: text.toString() };
  return eUpdates;
}

function rawConnect(server, doc) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.base}/${doc}`, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    ws.on('open', () => { if (server.hocus) ws.send(hocusAuth(doc)); resolve(ws); });
    ws.on('error', reject);
  });
}
// Resolves with the first sync step 2, or null after `timeoutMs` (the caller retries).
function awaitStep2(ws, hocus, timeoutMs = 10000) {
  return new Promise((resolve) => {
    const timer = setTimeout(() => { ws.off('message', h); resolve(null); }, timeoutMs);
    const h = (buf) => { const k = frameKind(buf, hocus); if ((k.type === 0 || k.type === 4) && k.sub === 1) { clearTimeout(timer); ws.off('message', h); resolve({ buf, k, t: performance.now() }); } };
    ws.on('message', h);
  });
}
function payloadOf(buf, p) { let v = 0; let m = 1; for (;;) { const b = buf[p++]; v += (b & 0x7f) * m; if (b < 0x80) break; m *= 128; } return buf.subarray(p, p + v); }

async function lateJoinScenario(kind, joins = 10) {
  const { ups, sv, text } = prepareEdits();
  const server = await startServer(kind);
  try {
    const doc = `e-${Date.now()}`;
    const prefix = server.hocus ? doc : null;
    const s0 = procStats(server.pid);
    const t0 = performance.now();
    const w = await rawConnect(server, doc);
    for (const u of ups) w.send(syncUpdate(prefix, Buffer.from(u)));
    // Wait until the server holds all of it (at most a minute: a server that never does
    // fails the scenario instead of hanging the run).
    for (const giveUp = performance.now() + 60000; ;) {
      if (performance.now() > giveUp) throw new Error('the server never held all of the edits');
      const c = await rawConnect(server, doc);
      const p = awaitStep2(c, server.hocus);
      c.send(step1(prefix));
      const got = await p;
      c.terminate();
      if (!got) continue;  // no answer: ask again on a new connection
      const { buf, k } = got;
      const d = new Y.Doc();
      Y.applyUpdate(d, payloadOf(buf, k.p));
      if (Buffer.from(Y.encodeStateVector(d)).equals(sv)) break;
      await sleep(200);
    }
    const loadS = (performance.now() - t0) / 1000;
    const s1 = procStats(server.pid);
    // The writer stays connected: in-memory Hocuspocus drops a document with no connection.
    await sleep(300);
    // Cold joins: the writer changes the doc (one character) before each, so no server can
    // answer from a cached encoding. Warm joins follow, with no change between them.
    const wd = new Y.Doc();
    for (const u of ups) Y.applyUpdate(wd, u);
    let expected = text;
    let unanswered = 0;
    const joinOnce = async () => {
      for (;;) {
        const sA = procStats(server.pid);
        const c = await rawConnect(server, doc);
        const p = awaitStep2(c, server.hocus);
        const ts = performance.now();
        c.send(step1(prefix));
        const got = await p;
        const sB = procStats(server.pid);
        if (!got) {  // a join that got no answer is retried, and reported
          c.terminate();
          if (++unanswered > 3) throw new Error('late joiners get no sync step 2');
          continue;
        }
        const payload = payloadOf(got.buf, got.k.p);
        const d0 = performance.now();
        const d = new Y.Doc();
        Y.applyUpdate(d, payload);
        const decode = performance.now() - d0;
        c.terminate();
        return { ms: got.t - ts, cpuMs: 1000 * (sB.cpu - sA.cpu), decode, size: payload.length,
          ok: d.getText('t').toString() === expected };
      }
    };
    const cold = []; const warm = [];
    for (let i = 0; i < joins; i++) {
      const before = Y.encodeStateVector(wd);
      wd.getText('t').insert(0, 'x');
      w.send(syncUpdate(prefix, Buffer.from(Y.encodeStateAsUpdate(wd, before))));
      expected = wd.getText('t').toString();
      await sleep(50);
      cold.push(await joinOnce());
    }
    for (let i = 0; i < joins; i++) warm.push(await joinOnce());
    const rss = procStats(server.pid).rss;
    w.terminate();
    const stats = (xs) => ({
      syncMs: { p50: pct(xs.map((x) => x.ms), 0.5), min: Math.min(...xs.map((x) => x.ms)), max: Math.max(...xs.map((x) => x.ms)) },
      serverCpuMsPerJoin: pct(xs.map((x) => x.cpuMs), 0.5),
    });
    return {
      ...stats(cold), warm: stats(warm), decodeMs: pct(cold.map((x) => x.decode), 0.5), step2Bytes: cold[0].size,
      converged: cold.every((x) => x.ok) && warm.every((x) => x.ok), loadS, loadCpuS: s1.cpu - s0.cpu, rssKB: rss,
      unanswered,
    };
  } finally { await server.stop(); }
}

// (f): 10,000 connections: 5,000 on 50 docs, then 5,000 more on 5,000 docs.
async function connScenario(kind) {
  const server = await startServer(kind);
  const workers = new Workers(WORKERS);
  try {
    const s0 = procStats(server.pid);
    const tag = `f-${Date.now()}`;
    const a = await workers.setup(server, makeClients(50, 100, 0, 0, `${tag}-a`), 200);
    await sleep(1000);
    const s1 = procStats(server.pid);
    const b = await workers.setup(server, makeClients(5000, 1, 0, 0, `${tag}-b`), 200);
    await sleep(1500);
    const s2 = procStats(server.pid);
    const open = b.open;
    // 5,000 conns on 50 docs: per connection (the 50 docs are negligible);
    // 5,000 conns on 5,000 docs: per (doc + connection), minus the connection part.
    const perConn = (s1.rss - s0.rss) / 5000;
    const perDoc = (s2.rss - s1.rss) / 5000 - perConn;
    const ms = a.connectMs.concat(b.connectMs);
    return {
      held: open, failed: a.failed + b.failed, rssKB: s2.rss, perConnKB: perConn, perDocKB: perDoc,
      connect: { p50: pct(ms, 0.5), p99: pct(ms, 0.99), max: Math.max(...ms) }, serverCpuS: s2.cpu - s0.cpu,
    };
  } finally { await workers.close(); await server.stop(); }
}

const LOAD = {
  a: { name: 'a', docs: 1, perDoc: 2, writers: 2, rate: 20 },
  b: { name: 'b', docs: 1, perDoc: 50, writers: 5, rate: 20 },
  c: { name: 'c', docs: 500, perDoc: 4, writers: 1, rate: 2 },
};

const results = {};
for (const sc of SCENARIOS) {
  results[sc] = {};
  for (const kind of SERVERS) {
    log(`(${sc}) ${kind} ...`);
    try {
      if (LOAD[sc]) results[sc][kind] = await loadScenario(kind, LOAD[sc]);
      else if (sc === 'd') results[sc][kind] = await rateScenario(kind);
      else if (sc === 'e') results[sc][kind] = await lateJoinScenario(kind);
      else if (sc === 'f') results[sc][kind] = await connScenario(kind);
      log(`  ${JSON.stringify(results[sc][kind]).slice(0, 400)}`);
    } catch (e) {
      results[sc][kind] = { error: String(e.message || e).slice(0, 300) };
      log(`  error: ${e.message}`);
    }
  }
}
const jsonOut = opt('json', null);
if (jsonOut) writeFileSync(jsonOut, JSON.stringify({ date: new Date().toISOString(), seconds: SECONDS, workers: WORKERS, client: GEN_NAME, results }, null, 1));
console.log(JSON.stringify(results));
process.exit(0);
