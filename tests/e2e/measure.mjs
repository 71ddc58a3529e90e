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
const study = await measure(`${server.base}/study/measure-${Date.now()}`);
console.log(`Room page loads ${lastLoaded.length} assets, gzip ${(study.bytes / 1024).toFixed(1)} KiB: ${lastLoaded.join(', ')}`);
console.log(`Room page (study room, anonymous doc), ${N} cold loads: time to interactive median ${study.tti.toFixed(0)} ms (min ${study.min.toFixed(0)}, max ${study.max.toFixed(0)}), DOMContentLoaded ${study.dcl.toFixed(0)} ms`);
console.log('\n| asset | bytes | gzip |\n|---|---:|---:|');
for (const [f, s, g] of rows) console.log(`| ${f} | ${s} | ${g} |`);
await b.close();
await server.stop();
void statSync;
