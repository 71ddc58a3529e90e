// Prints the benchmark table (markdown) from one or more bench.mjs JSON outputs: each
// figure is the median over the runs given. Ratios are mockloop / the better peer (lower is
// better for latency, CPU and memory; higher is better for (d) throughput).
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
const runs = files.map((f) => JSON.parse(readFileSync(f, 'utf8')));
const med = (xs) => { const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((a, b) => a - b); return v.length ? (v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2) : NaN; };
const get = (sc, kind, fn) => med(runs.map((r) => { try { return fn(r.results[sc][kind]); } catch { return NaN; } }));
const all = (sc, kind, fn) => runs.every((r) => { try { return fn(r.results[sc][kind]); } catch { return false; } });
const errOf = (sc, kind) => runs.map((r) => r.results?.[sc]?.[kind]?.error).find(Boolean);
const OURS = ['mockloop', 'mockloop-nopersist'];
const PEERS = ['y-websocket', 'hocuspocus'];
const KINDS = [...OURS, ...PEERS];
const f = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const ratio = (a, b) => (Number.isFinite(a) && Number.isFinite(b) && b > 0 ? `${(a / b).toFixed(2)}x` : '-');
const bestPeer = (sc, fn, higher = false) => {
  const v = PEERS.map((k) => get(sc, k, fn)).filter(Number.isFinite);
  return v.length ? (higher ? Math.max(...v) : Math.min(...v)) : NaN;
};
const out = [];
const p = (s) => out.push(s);
p(`Runs: ${runs.length} (${runs.map((r) => r.date).join(', ')}); load generator: ${[...new Set(runs.map((r) => ({ raw: 'node-raw', ws: 'node-ws' })[r.client || 'ws'] || r.client))].join(', ')}; medians shown. Ratio = mockloop (persist on) / better peer; [no-persist ratio in brackets].`);
p('');
const NAMES = { a: '(a) 1 doc x 2 clients, 2 x 20/s', b: '(b) 1 doc x 50 clients, 5 x 20/s', c: '(c) 500 docs x 4 clients, 1 x 2/s each' };
for (const sc of ['a', 'b', 'c']) {
  if (!runs.some((r) => r.results[sc])) continue;
  p(`### ${NAMES[sc]}`);
  p('| server | connect p50/p99/max ms | fan-out p50 / p99 / max ms | delivered/s | server CPU s (%) | RSS MB | RSS/doc KB | converged | generator CPU % |');
  p('|---|---|---|---|---|---|---|---|---|');
  for (const k of KINDS) {
    const e = errOf(sc, k);
    if (e) { p(`| ${k} | error: ${e} |||||||| `); continue; }
    p(`| ${k} | ${f(get(sc, k, (x) => x.connect.p50))} / ${f(get(sc, k, (x) => x.connect.p99))} / ${f(get(sc, k, (x) => x.connect.max))} | ` +
      `${f(get(sc, k, (x) => x.lat.p50), 2)} / ${f(get(sc, k, (x) => x.lat.p99), 2)} / ${f(get(sc, k, (x) => x.lat.max), 2)} | ` +
      `${f(get(sc, k, (x) => x.deliveredPerS), 0)} | ${f(get(sc, k, (x) => x.serverCpuS), 2)} (${f(get(sc, k, (x) => x.serverCpuPct))}%) | ` +
      `${f(get(sc, k, (x) => x.rssKB) / 1024)} | ${f(get(sc, k, (x) => x.rssPerDocKB))} | ${all(sc, k, (x) => x.converged) ? 'yes' : 'NO'} | ${f(get(sc, k, (x) => x.genCpuPct))} |`);
  }
  const r = (fn) => `${ratio(get(sc, 'mockloop', fn), bestPeer(sc, fn))} [${ratio(get(sc, 'mockloop-nopersist', fn), bestPeer(sc, fn))}]`;
  p(`Ratios vs better peer: p99 ${r((x) => x.lat.p99)} (target <= 0.5x); server CPU ${r((x) => x.serverCpuS)} (target <= 0.5x)` +
    (sc === 'c' ? `; RSS/doc ${f(get(sc, 'mockloop', (x) => x.rssPerDocKB))} KB (target <= 25 KB)` : ''));
  p('');
}
if (runs.some((r) => r.results.d)) {
  p('### (d) 1 doc x 10 clients (all writing), highest total update rate with p99 < 50 ms and every update delivered');
  p('| server | highest rate with p99 < 50 ms (updates/s) | its delivered/s | its p50 / p99 / max ms | its server CPU % | highest fully delivered rate | its delivered/s, p99 ms | server CPU us / delivered msg there | generator CPU % there |');
  p('|---|---|---|---|---|---|---|---|---|');
  for (const k of KINDS) {
    const e = errOf('d', k);
    if (e) { p(`| ${k} | error: ${e} ||||||||`); continue; }
    const b = (fn) => get('d', k, (x) => fn(x.best));
    const t = (fn) => get('d', k, (x) => fn(x.top));
    p(`| ${k} | ${f(b((x) => x.rate), 0)} | ${f(b((x) => x.deliveredPerS), 0)} | ${f(b((x) => x.p50), 2)} / ${f(b((x) => x.p99), 2)} / ${f(b((x) => x.max), 1)} | ${f(b((x) => x.serverCpuPct))} | ` +
      `${f(t((x) => x.rate), 0)} | ${f(t((x) => x.deliveredPerS), 0)}, ${f(t((x) => x.p99), 1)} | ${f(t((x) => x.usPerDelivery), 2)} | ${f(t((x) => x.genCpuPct))} |`);
  }
  const us = (k) => get('d', k, (x) => x.top.usPerDelivery);
  p(`Ratios: server CPU per delivered message (at each server's highest fully delivered rate) ${ratio(us('mockloop'), bestPeer('d', (x) => x.top.usPerDelivery))} [${ratio(us('mockloop-nopersist'), bestPeer('d', (x) => x.top.usPerDelivery))}] (target <= 1.5 us absolute); ` +
    `rate with p99 < 50 ms ${ratio(get('d', 'mockloop', (x) => x.best.rate), bestPeer('d', (x) => x.best.rate, true))}`);
  p('');
  p('Steps (median run not applicable; first run): ' + KINDS.map((k) => `${k}: ` + (runs[0].results.d?.[k]?.steps || []).map((s) => `${s.rate}/s→p99 ${f(s.p99, 1)} ms, ${f(s.usPerDelivery, 2)} us/msg${s.complete ? '' : ' (incomplete)'}`).join('; ')).join(' | '));
  p('');
}
if (runs.some((r) => r.results.e)) {
  p('### (e) late joiner, doc with 20,000 edits (time from its step 1 to the last byte of step 2)');
  p('Cold: the doc changed just before each join (no cached encoding can answer). Warm: joins with no change in between.');
  p('| server | cold sync ms p50 (min/max) | cold server CPU ms per join | warm sync ms p50 | warm server CPU ms per join | client decode ms | step 2 bytes | full state | server RSS MB |');
  p('|---|---|---|---|---|---|---|---|---|');
  for (const k of KINDS) {
    const e = errOf('e', k);
    if (e) { p(`| ${k} | error: ${e} ||||||`); continue; }
    p(`| ${k} | ${f(get('e', k, (x) => x.syncMs.p50), 2)} (${f(get('e', k, (x) => x.syncMs.min), 2)} / ${f(get('e', k, (x) => x.syncMs.max), 1)}) | ${f(get('e', k, (x) => x.serverCpuMsPerJoin), 2)} | ${f(get('e', k, (x) => x.warm?.syncMs.p50), 2)} | ${f(get('e', k, (x) => x.warm?.serverCpuMsPerJoin), 2)} | ${f(get('e', k, (x) => x.decodeMs), 0)} | ${f(get('e', k, (x) => x.step2Bytes), 0)} | ${all('e', k, (x) => x.converged) ? 'yes' : 'NO'} | ${f(get('e', k, (x) => x.rssKB) / 1024)} |`);
  }
  const r = (fn) => `${ratio(get('e', 'mockloop', fn), bestPeer('e', fn))} [${ratio(get('e', 'mockloop-nopersist', fn), bestPeer('e', fn))}]`;
  p(`Ratios vs better peer (cold): sync time ${r((x) => x.syncMs.p50)} (target <= 0.2x); server CPU ${r((x) => x.serverCpuMsPerJoin)} (target <= 0.2x). Warm: sync time ${r((x) => x.warm?.syncMs.p50)}; server CPU ${r((x) => x.warm?.serverCpuMsPerJoin)}. Server CPU per join: on-CPU time of all server threads (schedstat) from before the connection to the last byte of step 2, median of 10.`);
  p('');
}
if (runs.some((r) => r.results.f)) {
  p('### (f) 10,000 WebSocket connections in one process (5,000 on 50 docs, then 5,000 on 5,000 docs)');
  p('| server | held | failed | connect p50/p99/max ms | RSS MB | KB per connection | KB per doc |');
  p('|---|---|---|---|---|---|---|');
  for (const k of KINDS) {
    const e = errOf('f', k);
    if (e) { p(`| ${k} | error: ${e} ||||||`); continue; }
    p(`| ${k} | ${f(get('f', k, (x) => x.held), 0)} | ${f(get('f', k, (x) => x.failed), 0)} | ${f(get('f', k, (x) => x.connect.p50))} / ${f(get('f', k, (x) => x.connect.p99))} / ${f(get('f', k, (x) => x.connect.max))} | ${f(get('f', k, (x) => x.rssKB) / 1024)} | ${f(get('f', k, (x) => x.perConnKB))} | ${f(get('f', k, (x) => x.perDocKB))} |`);
  }
  p('Target: 10,000 connections within 1 GiB (mockloop row).');
}
console.log(out.join('\n'));
