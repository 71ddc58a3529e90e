// e2e_bench: code runs end to end through the real server and the real sandbox (issue 16).
// A benchmark, not a test: it prints numbers and asserts nothing about speed.
//
//  1. Run pressed -> last byte at a SECOND client: the candidate POSTs a run; the clock stops
//     when the interviewer's /session receives the RunUpdate with status "done" (the final
//     frame, which carries the whole kept output). p50/p99 over N runs per language of a
//     hello world (tests: none) and of a typical solution with 10 tests (code-coin-change,
//     tests: all = 2 samples + 8 hidden; the content's reference solution per language; the
//     C++ one is 52 lines, so its row is also "C++ compile + 10 tests of a ~50-line solution").
//  2. Fan-out under load: an interview pair on the round's doc (/yjs): A writes a Yjs update
//     every 20 ms, B's receive time minus A's send time. p50/p99 idle, then while 20 runs (one
//     per study room, 20 rooms; CPU-bound ~0.3 s each) are queued on the pool (slots = cores).
//
// The sandbox's overhead over the same program run bare is bench/runner/runner_bench.cpp.
//
// Usage: MOCKLOOP_BIN=build/server/app/mockloop node bench/runner/e2e_bench.mjs [runs=50]
//        LANGS=python,javascript,cpp (java too when a JDK is installed: LANGS=...,java)
//        SLOW_N=10: fewer runs for the C++/Java 10-test rows (each compiles) on a loaded machine
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { repoRoot, startServer } from '../../tests/support/server.mjs';
import { rawClient, sleep, WebSocket } from '../../tests/integration/lib.mjs';

const N = Number(process.argv[2] ?? 50);
const SLOW_N = Number(process.env.SLOW_N ?? N);  // runs of the compiled languages' 10-test row
const LANGS = (process.env.LANGS ?? 'python,javascript,cpp').split(',');
const coin = JSON.parse(readFileSync(path.join(repoRoot, 'content', 'coding_tests', 'code-coin-change.json'), 'utf8'));
const HELLO = {
  python: 'print("hello, world")\n',
  javascript: 'console.log("hello, world");\n',
  cpp: '#include <cstdio>\nint main() { std::puts("hello, world"); }\n',
  java: 'public class Main { public static void main(String[] a) { System.out.println("hello, world"); } }\n',
};

function pct(v, p) {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((s.length * p) / 100))];
}
// The runner's own account (medians): compile time and the tests' summed run time.
const parts = (r) => `   [${r.compile.length ? `compile p50 ${pct(r.compile, 50)} ms, ` : ''}tests p50 ${pct(r.tests, 50)} ms]`;
const fmt = (v) => `p50 ${pct(v, 50).toFixed(1).padStart(7)} ms  p99 ${pct(v, 99).toFixed(1).padStart(7)} ms  (n=${v.length})`;

async function api(server, method, p, token, body) {
  const headers = { 'content-type': 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${server.url}${p}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null };
}

// A session whose frames resolve waiters looking for a run's final RunUpdate.
function watcher(url) {
  const ws = new WebSocket(url);
  ws.on('error', () => {});
  const waits = new Map();  // runId -> resolve
  ws.on('message', (data) => {
    const now = performance.now();
    const s = Buffer.from(data).toString('latin1');
    if (!s.includes('"status":"done"')) return;
    for (const [id, resolve] of waits) if (s.includes(id)) { waits.delete(id); resolve({ at: now, text: s }); }
  });
  const token = new URL(url).searchParams.get('token');
  return { ws, token, opened: new Promise((r) => ws.once('open', r)), done: (id) => new Promise((r) => waits.set(id, r)) };
}

// Also returns, from each run as staff see it, the compile time and the tests' run times.
async function latency(server, base, cand, second, body, n = N) {
  const out = [];
  const compile = [];
  const tests = [];
  let bad = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const r = await api(server, 'POST', base, cand, body);
    if (r.status !== 202) { bad++; await sleep(50); continue; }
    const { at, text } = await second.done(r.json.runId);
    out.push(at - t0);
    if (!text.includes('"verdict":"OK"')) bad++;
    const run = (await api(server, 'GET', `${base}/${r.json.runId}`, second.token)).json;
    if (run?.compile) compile.push(run.compile.timeMs);
    tests.push((run?.tests ?? []).reduce((n, t) => n + (t.timeMs ?? 0), 0));
  }
  return { out, bad, compile, tests };
}

async function fanout(a, b, ms) {
  const sent = new Map();
  const lat = [];
  const m = b.doc.getMap('bench');
  const obs = () => { const k = m.get('seq'); if (sent.has(k)) { lat.push(performance.now() - sent.get(k)); sent.delete(k); } };
  m.observe(obs);
  const end = performance.now() + ms;
  for (let seq = 0; performance.now() < end; seq++) {
    sent.set(`${ms}-${seq}`, performance.now());
    a.edit((d) => d.getMap('bench').set('seq', `${ms}-${seq}`));
    await sleep(20);
  }
  await sleep(300);
  m.unobserve(obs);
  return lat;
}

const server = await startServer(['--max-study-rooms-per-ip-hour', '1000', '--max-loops-per-ip-hour', '1000']);
try {
  const rt = (await api(server, 'GET', '/api/runtimes')).json;
  console.log(`e2e_bench: ${os.cpus().length} cores, load average ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} (shared machine)`);
  console.log(`runtimes: ${rt.runtimes.map((r) => `${r.id}${r.available ? ' ' + r.version : ' (unavailable)'}`).join(', ')}`);
  const created = await api(server, 'POST', '/api/loops', null, {
    templateId: 'single-coding', candidateName: 'Cam', hostName: 'Hana', participants: [{ displayName: 'Ivo', role: 'ROLE_INTERVIEWER' }],
  });
  const loopId = created.json.loop.id;
  const tok = (role) => created.json.invites.find((i) => i.role === role).token;
  const cand = tok('ROLE_CANDIDATE');
  const inter = tok('ROLE_INTERVIEWER');
  const base = `/api/loops/${loopId}/rounds/0/runs`;
  await api(server, 'PUT', `/api/loops/${loopId}/rounds/0/run-settings`, inter, { candidateMayRunHidden: true });
  const second = watcher(`${server.ws}/session?token=${inter}`);
  await second.opened;
  await sleep(300);

  console.log(`\n1. Run pressed -> last byte at a second client (${N} runs each, one after another)`);
  for (const lang of LANGS) {
    if (!rt.runtimes.find((r) => r.id === lang)?.available) { console.log(`${lang}: unavailable, skipped`); continue; }
    const hello = await latency(server, base, cand, second, { language: lang, code: HELLO[lang], tests: 'none' });
    console.log(`${(lang + ' hello world').padEnd(36)} ${fmt(hello.out)}${hello.bad ? `  ${hello.bad} not OK` : ''}${parts(hello)}`);
    const ref = coin.reference[lang];
    if (!ref) { console.log(`${lang}: no reference solution for code-coin-change, 10-test row skipped`); continue; }
    const sol = await latency(server, base, cand, second, { language: lang, code: ref, tests: 'all', questionId: 'code-coin-change' },
      lang === 'cpp' || lang === 'java' ? SLOW_N : N);
    const what = lang === 'cpp' ? 'cpp compile + 10 tests (52 lines)' : `${lang} solution, 10 tests`;
    console.log(`${what.padEnd(36)} ${fmt(sol.out)}${sol.bad ? `  ${sol.bad} not OK` : ''}${parts(sol)}`);
  }

  // 2. Fan-out of an interview pair on the round doc, idle and while 20 runs queue.
  const doc = `/yjs/room-${created.json.loop.rounds[0].roomId}`;
  const a = rawClient(`${server.ws}${doc}?token=${cand}`);
  const b = rawClient(`${server.ws}${doc}?token=${inter}`);
  await Promise.all([a.opened, b.opened]);
  await sleep(500);
  const idle = await fanout(a, b, 10_000);
  const rooms = [];
  for (let i = 0; i < 20; i++) rooms.push((await api(server, 'POST', '/api/study-rooms', null, { title: `bench ${i}`, hostName: 'B' })).json);
  const busy = 's = 0\nfor i in range(4_000_000):\n    s += i\nprint(s)\n';
  const t0 = performance.now();
  const posted = await Promise.all(rooms.map((r) => api(server, 'POST', `/api/study-rooms/${r.id}/runs`, r.token, { language: 'python', code: busy })));
  const accepted = posted.filter((r) => r.status === 202).length;
  let drained = 0;
  const drain = (async () => {
    for (;;) {
      const states = await Promise.all(rooms.map((r, i) => posted[i].status === 202
        ? api(server, 'GET', `/api/study-rooms/${r.id}/runs/${posted[i].json.runId}`, r.token).then((x) => x.json?.status)
        : 'done'));
      if (states.every((s) => s === 'done')) { drained = performance.now() - t0; return; }
      await sleep(250);
    }
  })();
  const loaded = [];
  while (!drained) loaded.push(...(await fanout(a, b, 1000)));
  await drain;
  console.log(`\n2. Fan-out of an interview pair (Yjs update A -> B, every 20 ms)`);
  console.log(`${'idle'.padEnd(36)} ${fmt(idle)}`);
  console.log(`${'while 20 runs queue (20 rooms)'.padEnd(36)} ${fmt(loaded)}`);
  console.log(`p99 ratio loaded/idle: ${(pct(loaded, 99) / pct(idle, 99)).toFixed(2)}x; ${accepted}/20 runs accepted, all done after ${(drained / 1000).toFixed(1)} s`);
  a.ws.close();
  b.ws.close();
  second.ws.close();
} finally {
  await server.stop();
}
