// Issue 18: the system-design shape library. Found by search in the toolbar's "Shapes"
// pop-over, placed in the middle of the view, drawn with its own picture and label - on the
// other participant's screen too - and in the exported SVG.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env), { extraArgs: ['--allow-anonymous-docs'] });

const T = (id) => `[data-testid="${id}"]`;

async function open(url, name) {
  const ctx = await b.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${url}${url.includes('?') ? '&' : '?'}name=${name}`);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await page.click(T('view-board'));
  return page;
}

test('system-design shapes are found by search, placed, and seen by the other participant', async () => {
  const res = await fetch(`${server.base}/api/study-rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'library e2e', hostName: 'Ann' }) });
  const url = res.status === 201 ? await res.json().then((r) => `${server.base}/study/${r.id}?token=${encodeURIComponent(r.token)}`) : `${server.base}/study/e2e-lib-${Date.now()}`;
  const ann = await open(url, 'Ann');
  const bob = await open(url, 'Bob');

  // Search by a keyword that is not the label: "postgres" finds the database.
  await ann.click(T('library-open'));
  await ann.fill(T('library-search'), 'postgres');
  assert.deepEqual(await ann.$$eval('.board-library-list button', (bs) => bs.map((x) => x.getAttribute('data-testid'))), ['library-database']);
  await ann.press(T('library-search'), 'Enter');
  // Two more by clicking: a queue and a two-headed arrow.
  for (const id of ['queue', 'arrow2']) {
    await ann.click(T('library-open'));
    await ann.click(T(`library-${id}`));
  }
  await bob.waitForFunction(() => document.querySelectorAll('[data-testid="board-shapes"] [data-shape-type]').length === 3, null, { timeout: 10_000 });
  const icons = await bob.$$eval('[data-shape-type="icon"]', (gs) => gs.map((g) => ({ label: [...g.querySelectorAll('text')].map((t) => t.textContent).join(' '), paths: g.querySelectorAll('path').length })));
  assert.deepEqual(icons.map((i) => i.label).sort(), ['Database', 'Queue / stream']);
  for (const i of icons) assert.ok(i.paths >= 2, `${i.label} has its picture`);
  assert.equal(await bob.$$eval('[data-shape-type="arrow"] polygon', (p) => p.length), 2, 'the two-headed arrow has two heads');
  await shot(bob, 'board-library-bob');

  const svg = await ann.evaluate(async () => {
    const blobs = [];
    const orig = URL.createObjectURL;
    URL.createObjectURL = (blob) => { blobs.push(blob); return orig(blob); };
    document.querySelector('[data-testid="export-svg"]').click();
    URL.createObjectURL = orig;
    return blobs[0].text();
  });
  assert.ok(svg.includes('M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3z'), 'the exported SVG draws the database cylinder');
});
