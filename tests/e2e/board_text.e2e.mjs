// Issue 18: text that behaves. Long labels typed into a sticky, a box, an ellipse, a
// diamond and a free text wrap inside their shapes - checked with the browser's own text
// bounding boxes (getBBox) in the page and in the exported SVG - and the two break the
// lines identically (the layout the server's debrief SVG uses too: tests/fixtures/board).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env), { extraArgs: ['--allow-anonymous-docs'] });

const T = (id) => `[data-testid="${id}"]`;
const SENTENCE = 'The API gateway checks the token, applies the rate limit and forwards the request to the order service';

async function studyUrl() {
  const res = await fetch(`${server.base}/api/study-rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'board text e2e', hostName: 'Ann' }) });
  if (res.status === 201) {
    const room = await res.json();
    return `${server.base}/study/${room.id}?token=${encodeURIComponent(room.token)}`;
  }
  return `${server.base}/study/e2e-text-${Date.now()}`;
}

/** Per shape: its outline's box, the kind of outline, and every text line's box (SVG user units). */
function measure(root) {
  const out = [];
  for (const g of root.querySelectorAll('[data-shape-type]')) {
    const type = g.getAttribute('data-shape-type');
    const outline = g.querySelector(':scope > rect, :scope > ellipse, :scope > polygon');
    const texts = [...g.querySelectorAll(':scope > text')];
    if (!texts.length) continue;
    const ob = outline ? outline.getBBox() : null;
    out.push({
      type,
      outline: ob && { x: ob.x, y: ob.y, w: ob.width, h: ob.height, tag: outline.tagName },
      lines: texts.map((t) => {
        const bb = t.getBBox();
        return { text: t.textContent, x: bb.x, y: bb.y, w: bb.width, h: bb.height };
      }),
    });
  }
  return out;
}

function assertInside(shapes, where) {
  const tol = 1;
  for (const s of shapes) {
    if (!s.outline) continue; // free text: no outline
    const o = s.outline;
    for (const l of s.lines) {
      const corners = [[l.x, l.y], [l.x + l.w, l.y], [l.x, l.y + l.h], [l.x + l.w, l.y + l.h]];
      for (const [x, y] of corners) {
        let inside;
        const cx = o.x + o.w / 2, cy = o.y + o.h / 2;
        if (o.tag === 'ellipse') inside = ((x - cx) / (o.w / 2)) ** 2 + ((y - cy) / (o.h / 2)) ** 2 <= 1.02;
        else if (o.tag === 'polygon') inside = Math.abs(x - cx) / (o.w / 2) + Math.abs(y - cy) / (o.h / 2) <= 1.02;
        else inside = x >= o.x - tol && x <= o.x + o.w + tol && y >= o.y - tol && y <= o.y + o.h + tol;
        assert.ok(inside, `${where}: line "${l.text}" (${JSON.stringify(l)}) leaves its ${s.type} ${JSON.stringify(o)}`);
      }
    }
  }
}

test('wrapped text stays inside its shape in the page and in the exported SVG', async () => {
  const ctx = await b.browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(`${await studyUrl()}&name=Ann`);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await page.click(T('view-board'));
  const bb = await (await page.$(T('board-canvas'))).boundingBox();

  // A sticky (click to place; its editor opens), and the free text.
  await page.click(T('tool-sticky'));
  await page.mouse.click(bb.x + 40, bb.y + 40);
  await page.keyboard.insertText(SENTENCE);
  await page.keyboard.press('Enter');
  await page.click(T('tool-text'));
  await page.mouse.click(bb.x + 40, bb.y + 420);
  await page.keyboard.insertText('Free text wraps at its box width too, like a paragraph of notes');
  await page.keyboard.press('Enter');
  // A box, an ellipse and a diamond: drag to draw, double-click to label.
  const spots = { rect: [240, 40], ellipse: [460, 40], diamond: [700, 40] };
  for (const [tool, [x, y]] of Object.entries(spots)) {
    await page.click(T(`tool-${tool}`));
    await page.mouse.move(bb.x + x, bb.y + y);
    await page.mouse.down();
    await page.mouse.move(bb.x + x + 180, bb.y + y + 90, { steps: 3 });
    await page.mouse.up();
    await page.mouse.dblclick(bb.x + x + 90, bb.y + y + 45);
    await page.waitForSelector(T('board-text-editor'));
    await page.keyboard.insertText(SENTENCE);
    await page.keyboard.press('Enter');
  }
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="board-shapes"] [data-shape-type] text').length >= 20);
  await page.evaluate(() => document.fonts.ready);

  const inPage = await page.$eval(T('board-shapes'), measure);
  assert.equal(inPage.length, 5, `five shapes with text: ${inPage.map((s) => s.type)}`);
  for (const s of inPage) assert.ok(s.lines.length >= 2, `${s.type} wrapped its text into ${s.lines.length} lines`);
  assertInside(inPage, 'page');

  // The exported SVG, parsed into the page so the browser measures it the same way.
  await page.evaluate(async () => {
    const blobs = [];
    const orig = URL.createObjectURL;
    URL.createObjectURL = (blob) => { blobs.push(blob); return orig(blob); };
    document.querySelector('[data-testid="export-svg"]').click();
    URL.createObjectURL = orig;
    const doc = new DOMParser().parseFromString(await blobs[0].text(), 'image/svg+xml');
    const svg = document.importNode(doc.documentElement, true);
    svg.id = 'export-probe';
    svg.style.position = 'absolute';
    svg.style.left = '-10000px';
    document.body.append(svg);
  });
  const inExport = await page.$eval('#export-probe', measure);
  assertInside(inExport, 'exported SVG');
  const lines = (shapes) => shapes.map((s) => `${s.type}: ${s.lines.map((l) => l.text).join(' | ')}`).sort();
  assert.deepEqual(lines(inExport), lines(inPage), 'the export breaks every line where the page does');
  for (const s of inPage) {
    const e = inExport.find((x) => x.type === s.type);
    s.lines.forEach((l, i) => assert.ok(Math.abs(l.w - e.lines[i].w) < 0.5, `${s.type} line ${i} is as wide in the export (${l.w} vs ${e.lines[i].w})`));
  }
  await shot(page, 'board-text-wrapped');
  await ctx.close();
});
