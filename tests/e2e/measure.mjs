// Measures the production bundle: gzip sizes of what each page loads, and time to
// interactive of the room page (performance mark 'room-interactive': whiteboard and code
// editor mounted and the shared doc synced) over localhost, median of N cold loads.
// Prints Markdown for client-web/README.md.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { dist, launchBrowser, startServer } from './harness.mjs';

const N = Number(process.env.RUNS ?? 7);
const assets = join(dist, 'assets');
let total = 0, totalGz = 0;
const rows = [];
for (const f of readdirSync(assets).sort()) {
  const buf = readFileSync(join(assets, f));
  const gz = gzipSync(buf, { level: 9 }).length;
  total += buf.length;
  totalGz += gz;
  rows.push([f, buf.length, gz]);
}
console.log(`Total dist/assets: ${(total / 1024).toFixed(1)} KiB, gzip ${(totalGz / 1024).toFixed(1)} KiB`);

const server = await startServer({ extraArgs: ['--allow-anonymous-docs'] });
const b = await launchBrowser();
let lastLoaded = [];
const median = (a) => a.slice().sort((x, y) => x - y)[Math.floor(a.length / 2)];
async function measure(url) {
  const tti = [], dcl = [], bytes = [];
  for (let i = 0; i < N; i++) {
    const ctx = await b.browser.newContext({ viewport: { width: 1366, height: 820 } });
    const page = await ctx.newPage();
    const loaded = new Set();
    page.on('request', (r) => {
      const m = /\/assets\/([^?]+)$/.exec(r.url());
      if (m) loaded.add(m[1]);
    });
    await page.goto(url);
    await page.waitForFunction(() => performance.getEntriesByName('room-interactive').length > 0, null, { timeout: 20_000 });
    const t = await page.evaluate(() => ({ tti: performance.getEntriesByName('room-interactive')[0].startTime, dcl: performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd }));
    tti.push(t.tti);
    dcl.push(t.dcl);
    bytes.push(rows.filter(([f]) => loaded.has(f)).reduce((a, [, , g]) => a + g, 0));
    lastLoaded = [...loaded].sort();
    await ctx.close();
  }
  return { tti: median(tti), dcl: median(dcl), min: Math.min(...tti), max: Math.max(...tti), bytes: median(bytes) };
}
const sr = await fetch(`${server.base}/api/study-rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'measure', hostName: 'M' }) });
const studyUrl = sr.status === 201 ? await sr.json().then((r) => `${server.base}/study/${r.id}?token=${r.token}`) : `${server.base}/study/measure-${Date.now()}`;
const study = await measure(studyUrl);
console.log(`Room page loads ${lastLoaded.length} assets, gzip ${(study.bytes / 1024).toFixed(1)} KiB: ${lastLoaded.join(', ')}`);
console.log(`Study room, ${N} cold loads: time to interactive median ${study.tti.toFixed(0)} ms (min ${study.min.toFixed(0)}, max ${study.max.toFixed(0)}), DOMContentLoaded ${study.dcl.toFixed(0)} ms`);
const lr = await fetch(`${server.base}/api/loops`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ templateId: 'l6-loop', candidateName: 'M', participants: [{ displayName: 'I', role: 'ROLE_INTERVIEWER' }] }) });
if (lr.status === 201) {
  const loop = await lr.json();
  for (const role of ['ROLE_CANDIDATE', 'ROLE_INTERVIEWER']) {
    const inv = loop.invites.find((i) => i.role === role);
    const r = await measure(`${server.base}${inv.link}`);
    console.log(`Interview room as ${role} (session snapshot + shared doc${role === 'ROLE_INTERVIEWER' ? ' + private doc + panel' : ''}), ${N} cold loads: time to interactive median ${r.tti.toFixed(0)} ms (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})`);
  }
}
console.log('\n| asset | bytes | gzip |\n|---|---:|---:|');
for (const [f, s, g] of rows) console.log(`| ${f} | ${s} | ${g} |`);
await b.close();
await server.stop();
void statSync;
