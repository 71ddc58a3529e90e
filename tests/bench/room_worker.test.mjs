// The C++ load-generator worker (bench/room/worker.cpp) against the real server: its
// hand-encoded updates are valid Yjs (the reference Yjs reads the server's document and
// finds every writer's text in order), and it counts every delivery to every other client
// once, none of a client's own, in its histogram and its per-client counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { startServer, repoRoot } from '../support/server.mjs';
import { fetchDoc } from '../integration/lib.mjs';

const bin = process.env.BENCH_WORKER_BIN || path.join(repoRoot, 'build', 'bench', 'room_worker');

function worker() {
  const p = spawn(bin, [], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting = [];
  let buf = '';
  p.stdout.setEncoding('utf8');
  p.stdout.on('data', (d) => {
    buf += d;
    for (let i; (i = buf.indexOf('\n')) >= 0; buf = buf.slice(i + 1)) waiting.shift()(JSON.parse(buf.slice(0, i)));
  });
  const next = () => new Promise((resolve) => waiting.push(resolve));
  const ask = (msg) => { const r = next(); p.stdin.write(`${JSON.stringify(msg)}\n`); return r; };
  return { p, next, ask };
}

test('the C++ worker writes valid Yjs updates and counts each delivery once', async (t) => {
  const server = await startServer(['--allow-anonymous-docs']);
  t.after(() => server.stop());
  const w = worker();
  t.after(() => w.p.kill());
  assert.equal((await w.next()).ev, 'ready');
  const doc = 'worker-check';
  const clients = Array.from({ length: 6 }, (_, i) => ({ id: i + 1, client: 1000001 + i, doc, rate: i < 2 ? 40 : 0 }));
  const con = await w.ask({ cmd: 'setup', base: `${server.ws}/yjs`, hocus: false, clients, concurrency: 3 });
  assert.equal(con.ev, 'connected');
  assert.equal(con.failed, 0);
  assert.equal(con.open, 6);
  assert.equal(con.connectMs.length, 6);

  const ran = await w.ask({ cmd: 'run', t0Us: Math.round((performance.timeOrigin + performance.now()) * 1000) + 100000, durationMs: 1000, drainMs: 2000 });
  assert.equal(ran.ev, 'ran');
  const sent = new Map(ran.sent.map(([id, , n]) => [id, n]));
  assert.deepEqual([...sent.keys()].sort(), [1, 2]);
  for (const n of sent.values()) assert.ok(n >= 30 && n <= 50, `about 40 updates each in 1 s (${n})`);
  const total = sent.get(1) + sent.get(2);
  let received = 0;
  for (const [id, d, n, closed] of ran.recv) {
    assert.equal(d, doc);
    assert.equal(closed, 0);
    assert.equal(n, total - (sent.get(id) || 0), `client ${id} got every other writer's update once`);
    received += n;
  }
  assert.equal(ran.hist.n, received, 'the histogram holds every delivery');
  assert.equal(ran.hist.nz.reduce((s, [, c]) => s + c, 0), received);

  // The reference Yjs reads what the server holds: each writer's markers, in its own order.
  const y = await fetchDoc(server.ws, doc);
  const text = y.getText('t').toString();
  for (const id of [1, 2]) {
    const marks = [...text.matchAll(new RegExp(`~T(\\d{16})${String(id).padStart(6, '0')}x{8}`, 'g'))].map((m) => Number(m[1]));
    assert.equal(marks.length, sent.get(id), `writer ${id}'s updates are all in the document`);
    assert.deepEqual(marks, [...marks].sort((a, b) => a - b), `writer ${id}'s text is in the order it was written`);
  }
  assert.equal((await w.ask({ cmd: 'close' })).ev, 'closed');
});
