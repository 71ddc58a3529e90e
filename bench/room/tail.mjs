// Where a fan-out latency tail comes from: reads the files a run wrote with BENCH_DUMP=path
// (one per worker) and prints, per update, when its first and last copies arrived, and for
// the updates behind the p99 whether all copies were late (server or writer side) or only
// one worker's (generator side).
//   BENCH_DUMP=/tmp/d SCENARIOS=b SERVERS=mockloop bench/room/run.sh && node bench/room/tail.mjs /tmp/d.*
import { readFileSync } from 'node:fs';

const byUpdate = new Map();  // "sendUs/writer" -> [{ lat, worker }]
const all = [];
for (const f of process.argv.slice(2)) {
  const d = JSON.parse(readFileSync(f, 'utf8'));
  const worker = f.split('.').pop();
  for (let i = 0; i + 3 < d.length; i += 4) {
    const lat = d[i + 3] - d[i];
    all.push(lat);
    const k = `${d[i]}/${d[i + 1]}`;
    if (!byUpdate.has(k)) byUpdate.set(k, []);
    byUpdate.get(k).push({ lat, worker });
  }
}
if (!all.length) { console.error('usage: node tail.mjs DUMPFILE...  (no deliveries read)'); process.exit(1); }
const q = (xs, p) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))];
const num = (a, b) => a - b;
all.sort(num);
const p99 = q(all, 0.99);
console.log(`deliveries ${all.length}, updates ${byUpdate.size}: p50 ${q(all, 0.5)} us, p99 ${p99} us, max ${all[all.length - 1]} us`);
const firsts = []; const lasts = [];
for (const v of byUpdate.values()) { firsts.push(Math.min(...v.map((x) => x.lat))); lasts.push(Math.max(...v.map((x) => x.lat))); }
firsts.sort(num); lasts.sort(num);
for (const p of [0.5, 0.9, 0.99]) console.log(`per update p${p * 100}: first copy ${q(firsts, p)} us, last copy ${q(lasts, p)} us`);
// The updates behind the p99, worst first, each with its latest copy per worker.
const lastByWorker = (v) => {
  const last = {};
  for (const x of v) last[x.worker] = Math.max(last[x.worker] ?? 0, x.lat);
  return last;
};
const tail = [...byUpdate.entries()].map(([k, v]) => ({ k, v, n: v.filter((x) => x.lat >= p99).length })).filter((u) => u.n)
  .sort((a, b) => b.n - a.n).map((u) => ({ ...u, lastBy: lastByWorker(u.v) }));
const firstP99 = q(firsts, 0.99);
let allLate = 0; let oneWorker = 0;
for (const u of tail) {
  const first = Math.min(...u.v.map((x) => x.lat));
  const lateWorkers = Object.values(u.lastBy).filter((l) => l >= p99).length;
  if (first >= firstP99) allLate++;
  else if (lateWorkers === 1 && Object.keys(u.lastBy).length > 1) oneWorker++;
}
console.log(`copies at or over the p99 come from ${tail.length} updates: ${allLate} had even their first copy late ` +
  `(>= the p99 of first copies), ${oneWorker} were late at one worker only, ${tail.length - allLate - oneWorker} other`);
for (const u of tail.slice(0, 8)) {
  const lats = u.v.map((x) => x.lat).sort(num);
  console.log(`  update ${u.k}: ${u.n} copies in the tail; first ${lats[0]}, median ${q(lats, 0.5)}, last ${lats[lats.length - 1]} us; last per worker ${JSON.stringify(u.lastBy)}`);
}
