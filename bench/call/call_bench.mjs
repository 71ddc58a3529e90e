// Call benchmark (issue 17), not a test: prints numbers.
//  1. Browser: 2 and then 4 people of one round join the call in Debian's chromium (fake
//     camera and microphone, loopback): time from the last "Join call" click to media from
//     every peer at every page; signalling messages sent per set-up; CPU of the whole browser
//     (all its processes, /proc) per page over a 10 s window of a settled call, and the
//     server's CPU over the same window.
//  2. Server: 100 concurrent call set-ups on raw /session sockets (join, offer, answer, 4 ICE
//     candidates each way, as a real set-up sends) in 100 loops at once: the server's CPU
//     for all of them (utime+stime of its process) and the relay's p50/p99 latency.
// Run: (cd client-web && npm run build) && node bench/call/call_bench.mjs  [RUNS=3] [SIGNALLING_ONLY=1]
import { readdirSync, readFileSync } from 'node:fs';
import { FAKE_MEDIA, T, createLoop, rawSession, waitMedia } from '../../tests/e2e/call-helpers.mjs';
import { launchBrowser, startServer } from '../../tests/e2e/harness.mjs';

const TICK = 100;  // USER_HZ on Linux
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Descendants of this node process: pid -> { comm, cpu ticks (utime+stime) }.
function children() {
  const info = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const s = readFileSync(`/proc/${d}/stat`, 'utf8');
      const close = s.lastIndexOf(')');
      const comm = s.slice(s.indexOf('(') + 1, close);
      const f = s.slice(close + 2).split(' ');
      info.set(Number(d), { ppid: Number(f[1]), comm, ticks: Number(f[11]) + Number(f[12]) });
    } catch { /* gone */ }
  }
  const out = new Map();
  const mine = (pid) => { for (let p = pid, n = 0; p > 1 && n < 64; p = info.get(p)?.ppid ?? 0, n++) if (p === process.pid) return true; return false; };
  for (const [pid, v] of info) if (pid !== process.pid && mine(pid)) out.set(pid, v);
  return out;
}
const cpuOf = (filter) => [...children().values()].filter((v) => filter(v.comm)).reduce((a, v) => a + v.ticks, 0);
const isServer = (c) => c.startsWith('mockloop');
const isBrowser = (c) => !isServer(c) && !c.startsWith('node');
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))];

async function browserCall(n) {
  const server = await startServer();
  const b = await launchBrowser({ extraArgs: FAKE_MEDIA });
  try {
    const extra = Array.from({ length: n - 2 }, (_, i) => ({ displayName: `Interviewer ${i + 1}`, role: 'ROLE_INTERVIEWER' }));
    const { loop } = await createLoop(server.base, extra);
    const invites = loop.invites.filter((i) => i.role !== 'ROLE_OBSERVER' && i.role !== 'ROLE_BAR_RAISER').slice(0, n);
    const pages = [];
    for (const inv of invites) {
      const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 720 } });
      const p = await ctx.newPage();
      await p.goto(`${server.base}${inv.link}`);
      await p.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 20_000 });
      pages.push(p);
    }
    for (const p of pages.slice(0, -1)) await p.click(T('call-join'));
    const t0 = Date.now();
    await pages.at(-1).click(T('call-join'));
    await Promise.all(pages.map((p) => waitMedia(p, n - 1, 40_000)));
    const joinMs = Date.now() - t0;
    const signals = (await Promise.all(pages.map((p) => p.evaluate(() => window.__mockloop.call.signalsSent)))).reduce((a, x) => a + x, 0);
    await sleep(3000);  // settle (bandwidth estimation ramps up)
    const b0 = cpuOf(isBrowser), s0 = cpuOf(isServer), w0 = Date.now();
    await sleep(10_000);
    const wall = (Date.now() - w0) / 1000;
    const browserCpu = (cpuOf(isBrowser) - b0) / TICK / wall;  // cores
    const serverCpu = (cpuOf(isServer) - s0) / TICK / wall;
    return { joinMs, signals, perPage: browserCpu / n, serverCpu };
  } finally {
    await b.close();
    await server.stop();
  }
}

async function signallingSetups(count) {
  const server = await startServer({ extraArgs: ['--max-loops-per-ip-hour', String(count * 2)] });
  try {
    const pairs = [];
    for (let i = 0; i < count; i++) {
      const { invite } = await createLoop(server.base, []);
      const host = await rawSession(server.base, invite('host').token);
      const cand = await rawSession(server.base, invite('candidate').token);
      pairs.push({ host, cand, hostId: invite('host').participantId, candId: invite('candidate').participantId });
    }
    await Promise.all(pairs.flatMap((p) => [p.host.waitFor((m) => m.body.case === 'snapshot', 60_000), p.cand.waitFor((m) => m.body.case === 'snapshot', 60_000)]));
    const sdp = 'v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n' + 'a=x\r\n'.repeat(120);  // ~ a real offer's 1-4 KB
    const cand = (k) => ({ case: 'candidate', value: { candidate: `candidate:${k} 1 udp 2122260223 192.168.1.${k} 5${k}000 typ host`, sdpMid: '0', sdpMLineIndex: 0 } });
    const s0 = cpuOf(isServer);
    const t0 = performance.now();
    const latencies = [];
    let messages = 0;
    await Promise.all(pairs.map(async (p) => {
      p.host.send({ case: 'callJoin', value: {} });
      p.cand.send({ case: 'callJoin', value: {} });
      await p.host.waitFor((m) => m.body.case === 'callState' && m.body.value.joined, 60_000);
      await p.cand.waitFor((m) => m.body.case === 'callState' && m.body.value.joined, 60_000);
      const relay = async (from, to, toId, body, pred) => {
        const t = performance.now();
        from.send({ case: 'callSignal', value: { peerId: toId, body } });
        messages++;
        await to.waitFor(pred, 20_000);
        latencies.push(performance.now() - t);
      };
      const isSignal = (kind) => (m) => m.body.case === 'callSignal' && m.body.value.body.case === kind;
      await relay(p.host, p.cand, p.candId, { case: 'description', value: { type: 'offer', sdp } }, isSignal('description'));
      await relay(p.cand, p.host, p.hostId, { case: 'description', value: { type: 'answer', sdp } }, isSignal('description'));
      for (let k = 1; k <= 4; k++) {
        const n0 = p.cand.got.length, h0 = p.host.got.length;
        await relay(p.host, p.cand, p.candId, cand(k), (m) => p.cand.got.indexOf(m) >= n0 && isSignal('candidate')(m));
        await relay(p.cand, p.host, p.hostId, cand(k), (m) => p.host.got.indexOf(m) >= h0 && isSignal('candidate')(m));
      }
    }));
    const wallMs = performance.now() - t0;
    await sleep(200);
    const cpuMs = ((cpuOf(isServer) - s0) / TICK) * 1000;
    for (const p of pairs) { p.host.close(); p.cand.close(); }
    return { wallMs, cpuMs, messages, p50: pct(latencies, 0.5), p99: pct(latencies, 0.99) };
  } finally {
    await server.stop();
  }
}

const runs = Number(process.env.RUNS ?? 3);
console.log(`# call benchmark, ${runs} runs each, medians; machine: ${(await import('node:os')).cpus().length} cores`);
for (const n of process.env.SIGNALLING_ONLY ? [] : [2, 4]) {
  const rs = [];
  for (let i = 0; i < runs; i++) rs.push(await browserCall(n));
  console.log(`browser ${n}-person call: join->media at every page ${median(rs.map((r) => r.joinMs))} ms; signalling messages per set-up ${median(rs.map((r) => r.signals))}; ` +
    `browser CPU per page ${(median(rs.map((r) => r.perPage)) * 100).toFixed(0)}% of a core; server CPU during the call ${(median(rs.map((r) => r.serverCpu)) * 100).toFixed(2)}% of a core`);
}
const ss = [];
for (let i = 0; i < runs; i++) ss.push(await signallingSetups(100));
console.log(`server, 100 concurrent call set-ups (${median(ss.map((r) => r.messages))} signals): server CPU ${median(ss.map((r) => r.cpuMs)).toFixed(0)} ms in all ` +
  `(${(median(ss.map((r) => r.cpuMs)) / 100).toFixed(2)} ms per set-up); wall ${median(ss.map((r) => r.wallMs)).toFixed(0)} ms; relay p50 ${median(ss.map((r) => r.p50)).toFixed(1)} ms, p99 ${median(ss.map((r) => r.p99)).toFixed(1)} ms`);
