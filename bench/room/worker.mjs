// Load-generator worker (forked by bench.mjs): holds many raw WebSocket clients, writes
// pre-encoded updates at a fixed rate, and on receive only scans bytes for send markers.
// Commands over IPC: setup, run, close.
import { RawWs } from './rawws.mjs';
import { requireJs, appendUpdate, syncUpdate, step1, hocusAuth, frameKind, marker, scanMarkers, nowUs, Hist } from './proto.mjs';

const WebSocket = requireJs('ws');
let clients = [];
let hocus = false;
let runT0 = Infinity;  // markers sent at or after this (us) belong to the current run
// BENCH_DUMP=path: every delivery of a run (send us, writer id, receiver id, arrival us) is
// written to path.<pid> for bench/room/tail.mjs. At most DUMP_MAX deliveries are kept.
const DUMP = process.env.BENCH_DUMP ? [] : null;
const DUMP_MAX = 2_000_000;

// Clients: RawWs (default) or, with BENCH_CLIENT=ws, the `ws` package (the generator's
// client until 2026-12-01; in a scheduler trace of (b) a worker spent about 9 us per
// received message in it, after the server had written them all).
const RAW = (process.env.BENCH_CLIENT || 'raw') !== 'ws';

function onMessage(c, buf, now, finish) {
  if (!c.synced) {
    const k = frameKind(buf, hocus);
    if ((k.type === 0 || k.type === 4) && k.sub === 1) { c.synced = true; finish(true); }
    return;
  }
  scanMarkers(buf, (ts, id) => {
    if (id === c.id) return; // an echo of its own update (the y-websocket server sends those)
    if (ts < runT0) return;  // sent before the current run (a late one from the previous step)
    c.recv++;
    c.hist.add(now - ts);
    if (DUMP && DUMP.length < 4 * DUMP_MAX) DUMP.push(ts, id, c.id, now);
  });
}

function connect(url, c) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let done = false;
    const finish = (ok) => { if (!done) { done = true; c.connectMs = performance.now() - t0; c.ok = ok; resolve(); } };
    const opened = () => {
      if (hocus) c.ws.send(hocusAuth(c.doc));
      c.ws.send(step1(hocus ? c.doc : null));
    };
    if (RAW) {
      c.ws = new RawWs(url, {
        nowUs,
        onopen: opened,
        onmessage: (buf, at) => onMessage(c, buf, at, finish),
        onclose: () => { c.closed = true; finish(false); },
      });
      c.ws.terminate = () => c.ws.close();
      return;
    }
    const ws = new WebSocket(url, { perMessageDeflate: false });
    ws.binaryType = 'nodebuffer';
    c.ws = ws;
    ws.on('open', opened);
    ws.on('message', (buf) => onMessage(c, buf, nowUs(), finish));
    ws.on('error', () => finish(false));
    ws.on('close', () => { c.closed = true; finish(false); });
  });
}

async function setup(msg) {
  hocus = msg.hocus;
  const added = msg.clients.map((c) => ({ ...c, recv: 0, sent: 0, clock: 0, hist: null, synced: false, measuring: false }));
  clients = clients.concat(added);   // setup adds to the clients already held
  const conc = msg.concurrency || 200;
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(conc, added.length) }, async () => {
    while (next < added.length) {
      const c = added[next++];
      await connect(`${msg.base}/${c.doc}`, c);
    }
  }));
  const ms = added.map((c) => c.connectMs);
  process.send({ ev: 'connected', connectMs: ms, failed: added.filter((c) => !c.ok).length,
    open: clients.filter((c) => c.ok && !c.closed).length });
}

// Writers send `rate` updates/s each, on a 5 ms tick (catching up if a tick is late), each
// from its own phase.
async function run(msg) {
  const hist = new Hist();
  for (const c of clients) { c.hist = hist; c.recv = 0; c.sent = 0; }
  // All workers start writing at the same wall-clock moment (msg.t0Us, shortly ahead), and
  // receivers count only markers sent from then on: no worker misses the first updates of
  // another, and late deliveries from a previous step are not counted in this one.
  runT0 = msg.t0Us;
  while (nowUs() < msg.t0Us) await new Promise((r) => setTimeout(r, 1));
  // Each writer has its own phase (spread by the golden ratio, the same in every run), as
  // independent users would: writers of equal rates do not all fire on the same tick.
  const writers = clients.filter((c) => c.rate > 0).map((c) => ({
    c, rate: c.rate * (msg.scale || 1), due: 0, phase: 1 - ((c.id * 0.6180339887498949) % 1),
  }));
  const pad = 'x'.repeat(msg.pad || 8);
  const cpu0 = process.cpuUsage();
  const start = performance.now();
  const prefixFor = (c) => (hocus ? c.doc : null);
  await new Promise((resolve) => {
    const tick = () => {
      const el = (performance.now() - start) / 1000;
      if (el * 1000 >= msg.durationMs) { clearInterval(timer); resolve(); return; }
      for (const w of writers) {
        const c = w.c;
        if (c.closed) continue;
        const want = Math.floor(el * w.rate + w.phase);
        while (w.due < want) {
          const s = marker(c.id) + pad;
          const f = syncUpdate(prefixFor(c), appendUpdate(c.client, c.clock, s));
          c.clock += s.length;
          c.ws.send(f);
          c.sent++;
          w.due++;
        }
      }
    };
    const timer = setInterval(tick, 5);
    tick();
  });
  // Drain: wait until nothing more arrives for a while (or the cap).
  let last = -1;
  const capEnd = performance.now() + (msg.drainMs || 3000);
  for (;;) {
    await new Promise((r) => setTimeout(r, 300));
    const total = clients.reduce((s, c) => s + c.recv, 0);
    if (total === last || performance.now() > capEnd) break;
    last = total;
  }
  const cpu = process.cpuUsage(cpu0);
  if (DUMP) { (await import('node:fs')).writeFileSync(`${process.env.BENCH_DUMP}.${process.pid}`, JSON.stringify(DUMP)); DUMP.length = 0; }
  process.send({
    ev: 'ran',
    hist: hist.toJSON(),
    sent: clients.filter((c) => c.sent).map((c) => [c.id, c.doc, c.sent]),
    recv: clients.map((c) => [c.id, c.doc, c.recv, c.closed ? 1 : 0]),
    cpuS: (cpu.user + cpu.system) / 1e6,
    wallS: (performance.now() - start) / 1000,
  });
}

process.on('message', async (msg) => {
  if (msg.cmd === 'setup') await setup(msg);
  else if (msg.cmd === 'run') await run(msg);
  else if (msg.cmd === 'close') {
    for (const c of clients) c.ws?.terminate();
    process.send({ ev: 'closed' });
    setTimeout(() => process.exit(0), 50);
  }
});
// Warm the client path once (module loading, JIT) so the first measured connect is not a
// cold start, then tell the parent.
{
  const s = (await import('node:http')).createServer().listen(0, '127.0.0.1', () => {
    const wss = new WebSocket.Server({ server: s });
    wss.on('connection', (c) => c.close());
    const w = new WebSocket(`ws://127.0.0.1:${s.address().port}/`);
    w.on('close', () => { wss.close(); s.close(); process.send({ ev: 'ready' }); });
    w.on('error', () => process.send({ ev: 'ready' }));
  });
}
