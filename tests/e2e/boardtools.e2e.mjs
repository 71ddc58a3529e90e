// Whiteboard editing tools in two browsers sharing a study room (issue 18, third pass):
// dragging a shape near another snaps it to the other's edge with a guide line; a locked
// shape is passed over by clicks and the marquee and is unlocked from the right-click menu;
// the properties panel sets font size, text alignment and shrink-to-fit on a label, and
// arrowheads, elbow route and dash on an arrow; double-clicking an arrow edits its label.
// The other participant's board shows each change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env), { extraArgs: ['--allow-anonymous-docs'] });

const T = (id) => `[data-testid="${id}"]`;

async function open(url, name) {
  const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(`${url}&name=${name}`);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await page.click(T('view-board'));
  return page;
}

const shapes = (page) => page.evaluate(() => window.__mockloop.board.all());
const selected = (page) => page.$eval(T('board-canvas'), (c) => c.dataset.selected);

test('snap guides, locked shapes, text and arrow styles, arrow labels', async () => {
  const res = await fetch(`${server.base}/api/study-rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'board tools e2e', hostName: 'Ann' }) });
  assert.equal(res.status, 201);
  const room = await res.json();
  const url = `${server.base}/study/${room.id}?token=${encodeURIComponent(room.token)}`;
  const ann = await open(url, 'Ann');
  const bob = await open(url, 'Bob');
  const bb = await (await ann.$(T('board-canvas'))).boundingBox();
  const at = (x, y) => [bb.x + x, bb.y + y];
  const drawBox = async (x0, y0, x1, y1) => {
    await ann.click(T('tool-rect'));
    await ann.mouse.move(...at(x0, y0));
    await ann.mouse.down();
    await ann.mouse.move(...at(x1, y1), { steps: 4 });
    await ann.mouse.up();
    await ann.keyboard.press('Escape');
  };
  await drawBox(60, 60, 200, 140);
  await drawBox(300, 240, 400, 300);
  const [a, bx] = (await shapes(ann)).sort((p, q) => p.y - q.y);

  // --- snap: drag B so its left edge comes 4 px right of A's; it lands on A's edge, with a guide ---
  await ann.mouse.move(...at(350, 270));
  await ann.mouse.down();
  await ann.mouse.move(...at(350 - (bx.x - a.x) + 4, 300), { steps: 6 });
  const guides = await ann.$$eval(T('snap-guide'), (n) => n.map((g) => ({ axis: g.dataset.axis, x: Number(g.getAttribute('x1')) })));
  assert.ok(guides.some((g) => g.axis === 'x' && Math.abs(g.x - a.x) < 0.01), `a vertical guide at A's left edge: ${JSON.stringify(guides)}`);
  await shot(ann, 'boardtools-01-snap-guide');
  await ann.mouse.up();
  assert.equal(await ann.$$eval(T('snap-guide'), (n) => n.length), 0, 'the guide goes with the drag');
  await bob.waitForFunction((x) => window.__mockloop.board.all().some((s) => s.id !== undefined && s.y > 200 && s.x === x), a.x, { timeout: 5000 });

  // --- resize: B's corner dragged 3 px short of A's right edge snaps onto it ---
  const b1 = (await shapes(ann)).find((s) => s.id === bx.id);
  await ann.mouse.click(...at(b1.x + b1.w / 2, b1.y + b1.h / 2));
  await ann.waitForSelector('[data-handle]');
  await ann.mouse.move(...at(b1.x + b1.w, b1.y + b1.h));
  await ann.mouse.down();
  await ann.mouse.move(...at(a.x + a.w - 3, b1.y + b1.h + 17), { steps: 5 });
  assert.ok((await ann.$$eval(T('snap-guide'), (n) => n.length)) > 0, 'a guide while resizing');
  await ann.mouse.up();
  await bob.waitForFunction(([id, w]) => window.__mockloop.board.get(id)?.w === w, [bx.id, a.w], { timeout: 5000 });

  // --- lock from the context menu; clicks and the marquee pass over the locked box ---
  await ann.keyboard.press('Escape');
  await ann.mouse.click(...at(130, 100), { button: 'right' });
  await ann.click(T('context-lock'));
  await bob.waitForFunction((id) => window.__mockloop.board.get(id)?.locked === true, a.id, { timeout: 5000 });
  await ann.keyboard.press('Escape');
  await ann.mouse.move(...at(128, 98));
  await ann.mouse.move(...at(130, 100));
  await ann.waitForSelector(`${T('lock-hint')}[data-id="${a.id}"]`, { timeout: 5000 }); // hovering says why it will not select
  await shot(ann, 'boardtools-02-lock-hint');
  await ann.mouse.click(...at(130, 100));
  assert.equal(await selected(ann), '0', 'a click on a locked shape selects nothing');
  await ann.mouse.move(...at(30, 30));
  await ann.mouse.down();
  await ann.mouse.move(...at(230, 170), { steps: 4 });
  await ann.mouse.up();
  assert.equal(await selected(ann), '0', 'the marquee passes over a locked shape');
  await ann.mouse.click(...at(130, 100), { button: 'right' });
  assert.deepEqual(await ann.$$eval(`${T('board-context-menu')} button`, (n) => n.map((x) => x.dataset.testid)), ['context-unlock']);
  await ann.click(T('context-unlock'));
  await bob.waitForFunction((id) => !window.__mockloop.board.get(id)?.locked, a.id, { timeout: 5000 });
  assert.equal(await selected(ann), '1', 'unlocking selects the shape');

  // --- text: a label, then font size, alignment and shrink-to-fit from the panel ---
  await ann.mouse.dblclick(...at(130, 100));
  await ann.keyboard.type('Load balancer in front of the API fleet');
  await ann.keyboard.press('Enter');
  await ann.click(T('font-size-24'));
  await ann.click(T('text-align-left'));
  await ann.click(T('fit-shrink'));
  await bob.waitForFunction((id) => { const s = window.__mockloop.board.get(id); return s?.fontSize === 24 && s.align === 'left' && s.fit === 'shrink'; }, a.id, { timeout: 5000 });
  const texts = await bob.$$eval(`[data-shape-id="${a.id}"] text`, (n) => n.map((t) => ({ anchor: t.getAttribute('text-anchor'), size: Number(t.getAttribute('font-size')) })));
  assert.ok(texts.length > 1 && texts.every((t) => t.anchor === 'start' && t.size < 24 && t.size >= 8), `Bob sees left-aligned text shrunk below 24: ${JSON.stringify(texts)}`);
  await ann.click(T('fit-grow'));
  await bob.waitForFunction((id) => window.__mockloop.board.get(id)?.fit === undefined, a.id, { timeout: 5000 });

  // --- arrows: draw A -> B, double-click it to label it, then heads, route and dash ---
  await ann.click(T('tool-arrow'));
  await ann.mouse.move(...at(130, 100));
  await ann.mouse.down();
  await ann.mouse.move(...at(120, 270), { steps: 4 });
  await ann.mouse.up();
  const arrow = (await shapes(ann)).find((s) => s.type === 'arrow');
  assert.ok(arrow && arrow.from === a.id && arrow.to === bx.id, 'the arrow joins A and B');
  assert.equal(await ann.$eval(`${T('board-props')} [data-testid="heads-end"]`, (x) => x.getAttribute('aria-pressed')), 'true', 'the arrow section shows its heads');
  const line = await ann.$eval(`[data-shape-id="${arrow.id}"] line`, (l) => ['x1', 'y1', 'x2', 'y2'].map((k) => Number(l.getAttribute(k))));
  await ann.keyboard.press('Escape');
  await ann.mouse.dblclick(...at((line[0] + line[2]) / 2, (line[1] + line[3]) / 2));
  await ann.waitForSelector(T('board-text-editor'));
  await ann.keyboard.type('HTTPS');
  await ann.keyboard.press('Enter');
  await bob.waitForFunction((id) => [...document.querySelectorAll(`[data-shape-id="${id}"] text`)].some((t) => t.textContent === 'HTTPS'), arrow.id, { timeout: 5000 });
  await ann.mouse.click(...at((line[0] + line[2]) / 2, (line[1] + line[3]) / 2));
  assert.equal(await selected(ann), '1');
  await ann.click(T('heads-both'));
  await ann.click(T('route-elbow'));
  await ann.click(T('dash-dashed'));
  await bob.waitForFunction((id) => { const s = window.__mockloop.board.get(id); return s?.heads === 'both' && s.route === 'elbow' && s.dash === 'dashed'; }, arrow.id, { timeout: 5000 });
  const drawn = await bob.$eval(`[data-shape-id="${arrow.id}"]`, (g) => ({ heads: g.querySelectorAll('polygon').length, elbow: !!g.querySelector('polyline'), dash: g.querySelector('polyline')?.getAttribute('stroke-dasharray') }));
  assert.deepEqual(drawn, { heads: 2, elbow: true, dash: '8 6' }, 'Bob sees a dashed elbow arrow with two heads');
  await ann.click(T('heads-none'));
  await bob.waitForFunction((id) => window.__mockloop.board.get(id)?.heads === 'none', arrow.id, { timeout: 5000 });
  await shot(ann, 'boardtools-03-arrow-panel');
  await shot(bob, 'boardtools-04-bob');
  for (const p of [ann, bob]) await p.context().close();
});
