// Issue 18: .excalidraw interop through the toolbar. A scene written by Excalidraw's own
// format rules (tests/fixtures/board/excalidraw/) imports as the same shapes - labels,
// bindings, frame, styles - reaches the other participant, and exports back with the same
// elements. (A container whose label word would break in our wider font is widened about
// its centre on import, so positions may differ by that much.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repo, shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env), { extraArgs: ['--allow-anonymous-docs'] });

const T = (id) => `[data-testid="${id}"]`;
const FILE = join(repo, 'tests', 'fixtures', 'board', 'excalidraw', 'url-shortener.excalidraw');

async function open(url, name) {
  const ctx = await b.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${url}${url.includes('?') ? '&' : '?'}name=${name}`);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await page.click(T('view-board'));
  return page;
}

test('an .excalidraw file imports as the same shapes and exports back with the same elements', async () => {
  const res = await fetch(`${server.base}/api/study-rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'interop e2e', hostName: 'Ann' }) });
  const url = res.status === 201 ? await res.json().then((r) => `${server.base}/study/${r.id}?token=${encodeURIComponent(r.token)}`) : `${server.base}/study/e2e-interop-${Date.now()}`;
  const ann = await open(url, 'Ann');
  const bob = await open(url, 'Bob');
  await ann.setInputFiles(T('import-excalidraw-file'), FILE);

  const types = (page) => page.$$eval('[data-testid="board-shapes"] [data-shape-id]', (gs) => gs.map((g) => `${g.getAttribute('data-shape-id')}:${g.getAttribute('data-shape-type')}`).sort());
  const want = ['arr1:arrow', 'arr2:arrow', 'client1:ellipse', 'db1:diamond', 'frameHLD:frame', 'line1:arrow', 'note1:text', 'pen1:freehand', 'svc1:rect'];
  await bob.waitForFunction((n) => document.querySelectorAll('[data-testid="board-shapes"] [data-shape-id]').length === n, want.length, { timeout: 10_000 });
  assert.deepEqual(await types(ann), want);
  assert.deepEqual(await types(bob), want, 'the import reached the other participant');
  // Labels (wrapped to their shapes: compare without the breaks).
  const label = (id) => bob.$eval(`[data-shape-id="${id}"]`, (g) => [...g.querySelectorAll('text')].map((t) => t.textContent).join('').replace(/\s/g, ''));
  const labels = { client1: 'Browser', svc1: 'Shortener service', arr1: 'POST /urls', frameHLD: 'High-level design', note1: '100M new URLs/day\n~1,200 writes/s' };
  for (const [id, t] of Object.entries(labels)) assert.equal(await label(id), t.replace(/\s/g, ''), `the text of ${id}`);
  // The bound arrow starts on the ellipse's box edge and ends on the rectangle's.
  const line = await bob.$eval('[data-shape-id="arr1"] line', (l) => ['x1', 'y1', 'x2', 'y2'].map((k) => Number(l.getAttribute(k))));
  const right = await bob.$eval('[data-shape-id="client1"] ellipse', (e) => Number(e.getAttribute('cx')) + Number(e.getAttribute('rx')));
  assert.deepEqual(line.slice(0, 2), [right, 40], 'starts on the right edge of the (widened) ellipse');
  assert.ok(Math.abs(line[2] - 288) < 1, `arrow line stops at its head's base before x=300: ${line}`);
  await shot(bob, 'board-excalidraw-imported');

  const exported = await ann.evaluate(async () => {
    const blobs = [];
    const orig = URL.createObjectURL;
    URL.createObjectURL = (blob) => { blobs.push(blob); return orig(blob); };
    document.querySelector('[data-testid="export-excalidraw"]').click();
    URL.createObjectURL = orig;
    return JSON.parse(await blobs[0].text());
  });
  const original = JSON.parse(readFileSync(FILE, 'utf8')).elements.filter((e) => !e.isDeleted && e.type !== 'image');
  assert.equal(exported.type, 'excalidraw');
  const byId = new Map(exported.elements.map((e) => [e.id, e]));
  for (const e of original.filter((x) => !(x.type === 'text' && x.containerId))) {
    const got = byId.get(e.id);
    assert.ok(got, `element ${e.id} exported`);
    assert.equal(got.type, e.type, `${e.id} keeps its type`);
    assert.equal(got.strokeColor, e.strokeColor.toLowerCase(), `${e.id} keeps its stroke colour`);
    if (e.startBinding) assert.equal(got.startBinding?.elementId, e.startBinding.elementId, `${e.id} start binding`);
    if (e.endBinding) assert.equal(got.endBinding?.elementId, e.endBinding.elementId, `${e.id} end binding`);
  }
  for (const e of original.filter((x) => x.type === 'text' && x.containerId)) {
    const label = exported.elements.find((x) => x.type === 'text' && x.containerId === e.containerId);
    assert.equal(label?.originalText, e.originalText, `the label of ${e.containerId}`);
  }
});
