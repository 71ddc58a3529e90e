// Whiteboard editing in two browsers sharing a study room (issue 18): marquee selection +
// copy + paste shows the copies on the other participant's screen (and in another room),
// an arrow end dragged onto another shape re-attaches and follows it, the laser trail
// reaches the other participant, and moving a frame moves what lies inside it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env), { extraArgs: ['--allow-anonymous-docs'] });

const T = (id) => `[data-testid="${id}"]`;

async function studyUrl() {
  const res = await fetch(`${server.base}/api/study-rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'board edit e2e', hostName: 'Ann' }) });
  assert.equal(res.status, 201);
  const room = await res.json();
  return `${server.base}/study/${room.id}?token=${encodeURIComponent(room.token)}`;
}

async function open(url, name, ctx) {
  ctx ??= await b.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(`${url}&name=${name}`);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await page.click(T('view-board'));
  return page;
}

async function canvasBox(page) {
  return (await page.$(T('board-canvas'))).boundingBox();
}

async function drag(page, from, to, steps = 5) {
  const bb = await canvasBox(page);
  await page.mouse.move(bb.x + from[0], bb.y + from[1]);
  await page.mouse.down();
  await page.mouse.move(bb.x + to[0], bb.y + to[1], { steps });
  await page.mouse.up();
}

async function draw(page, tool, from, to) {
  await page.click(T(`tool-${tool}`));
  await drag(page, from, to);
  await page.keyboard.press('Escape'); // leaves a text editor (frames open one) and the selection
}

const count = (page, type) => page.$$eval(`${T('board-shapes')} [data-shape-type="${type}"]`, (n) => n.length);
const rects = (page) => page.$$eval(`${T('board-shapes')} [data-shape-type="rect"] rect`, (n) => n.map((r) => ({ x: Number(r.getAttribute('x')), y: Number(r.getAttribute('y')) })));
const arrowLine = (page) => page.$eval('[data-shape-type="arrow"] line', (l) => ['x1', 'y1', 'x2', 'y2'].map((k) => Number(l.getAttribute(k))));

test('marquee select, copy and paste reach the other participant, and another room', async () => {
  const url = await studyUrl();
  const ann = await open(url, 'Ann');
  const bob = await open(url, 'Bob');
  await draw(ann, 'rect', [60, 60], [160, 120]);
  await draw(ann, 'rect', [200, 60], [300, 120]);
  await draw(ann, 'ellipse', [500, 60], [600, 120]); // outside the marquee
  await bob.waitForFunction(() => document.querySelectorAll('[data-shape-type]').length === 3);

  // A drag on empty canvas selects what lies wholly inside it (and no longer pans).
  await ann.click(T('tool-select'));
  await drag(ann, [40, 40], [330, 150]);
  await ann.waitForFunction(() => document.querySelector('[data-testid="board-canvas"]').dataset.selected === '2');
  await shot(ann, 'boardedit-01-marquee');

  // Ctrl+C, then Ctrl+V with the pointer lower down: two more boxes, on Bob's screen too.
  await ann.keyboard.press('Control+c');
  const bb = await canvasBox(ann);
  await ann.mouse.move(bb.x + 200, bb.y + 300);
  await ann.keyboard.press('Control+v');
  await bob.waitForFunction(() => document.querySelectorAll('[data-shape-type="rect"]').length === 4, null, { timeout: 5000 });
  const ys = (await rects(bob)).map((r) => r.y).sort((a, b) => a - b);
  assert.ok(ys[2] > 200 && ys[3] > 200, `the pasted boxes sit where Ann pointed: ${ys}`);
  assert.equal(await count(bob, 'ellipse'), 1, 'the ellipse outside the marquee was not copied');

  // The clip is JSON on the system clipboard: a board in another room pastes it as well.
  const other = await open(await studyUrl(), 'Ann', ann.context());
  const ob = await canvasBox(other);
  await other.mouse.click(ob.x + 400, ob.y + 300);
  await other.keyboard.press('Control+v');
  await other.waitForFunction(() => document.querySelectorAll('[data-shape-type="rect"]').length === 2, null, { timeout: 5000 });

  // Duplicate and undo: Ctrl+D adds two, Ctrl+Z (Ann's own step) removes them again.
  await ann.keyboard.press('Control+d');
  await bob.waitForFunction(() => document.querySelectorAll('[data-shape-type="rect"]').length === 6);
  await ann.keyboard.press('Control+z');
  await bob.waitForFunction(() => document.querySelectorAll('[data-shape-type="rect"]').length === 4);
  await shot(bob, 'boardedit-02-pasted-bob');
  await ann.context().close();
  await bob.context().close();
});

test('an arrow end dragged onto another shape re-attaches and follows it', async () => {
  const url = await studyUrl();
  const ann = await open(url, 'Ann');
  const bob = await open(url, 'Bob');
  await draw(ann, 'rect', [60, 60], [160, 140]);
  await draw(ann, 'rect', [400, 60], [500, 140]);
  await draw(ann, 'ellipse', [400, 300], [500, 380]);
  await ann.click(T('tool-arrow'));
  await drag(ann, [110, 100], [450, 100]);
  await bob.waitForSelector('[data-shape-type="arrow"]');

  // Select the arrow, drag its end handle onto the ellipse.
  await ann.click(T('tool-select'));
  const bb = await canvasBox(ann);
  await ann.mouse.click(bb.x + 280, bb.y + 100);
  await ann.waitForSelector(T('arrow-end-to'));
  const end = await (await ann.$(T('arrow-end-to'))).boundingBox();
  await ann.mouse.move(end.x + end.width / 2, end.y + end.height / 2);
  await ann.mouse.down();
  await ann.mouse.move(bb.x + 450, bb.y + 340, { steps: 6 });
  await ann.mouse.up();
  // Wait for the attachment itself: the drag's last free-end update also has y2 > 250.
  await bob.waitForFunction(() => { const y = Number(document.querySelector('[data-shape-type="arrow"] line')?.getAttribute('y2')); return y > 250 && y < 320; }, null, { timeout: 5000 }).catch(() => {});
  const onEllipse = await arrowLine(bob);
  assert.ok(onEllipse[3] > 250 && onEllipse[3] < 320, `the arrow ends on the ellipse's box: ${onEllipse}`);

  // Bob moves the ellipse right; the re-attached end follows it on Ann's screen.
  await bob.click(T('tool-select'));
  const bob0 = await canvasBox(bob);
  await bob.mouse.move(bob0.x + 450, bob0.y + 340);
  await bob.mouse.down();
  await bob.mouse.move(bob0.x + 650, bob0.y + 340, { steps: 6 });
  await bob.mouse.up();
  await ann.waitForFunction(() => Number(document.querySelector('[data-shape-type="arrow"] line')?.getAttribute('x2')) > 560);
  const followed = await arrowLine(ann);
  assert.ok(followed[2] > 560, `the arrow end followed the ellipse: ${followed}`);
  await shot(ann, 'boardedit-03-arrow-reattached');
  await ann.context().close();
  await bob.context().close();
});

test('the laser trail is seen by the other participant and fades', async () => {
  const url = await studyUrl();
  const ann = await open(url, 'Ann');
  const bob = await open(url, 'Bob');
  await ann.click(T('tool-laser'));
  const bb = await canvasBox(ann);
  await ann.mouse.move(bb.x + 100, bb.y + 200);
  await ann.mouse.down();
  const seen = bob.waitForSelector(`${T('laser-trail')}[data-who="Ann"]`, { timeout: 5000 });
  for (let i = 1; i <= 12; i++) await ann.mouse.move(bb.x + 100 + i * 30, bb.y + 200 + (i % 2) * 20);
  await seen;
  await shot(bob, 'boardedit-04-laser-bob');
  await ann.mouse.up();
  // Never in the doc: no shape was added; and the trail fades on its own.
  assert.equal(await bob.$$eval('[data-shape-type]', (n) => n.length), 0);
  await bob.waitForFunction(() => !document.querySelector('[data-testid="laser-trail"]'), null, { timeout: 5000 });
  await ann.context().close();
  await bob.context().close();
});

test('moving a frame moves the shapes inside it', async () => {
  const url = await studyUrl();
  const ann = await open(url, 'Ann');
  const bob = await open(url, 'Bob');
  await draw(ann, 'frame', [40, 60], [440, 360]);
  await draw(ann, 'rect', [80, 120], [180, 180]);
  await draw(ann, 'sticky', [250, 200], [380, 300]);
  await draw(ann, 'ellipse', [560, 120], [660, 180]); // outside the frame
  await bob.waitForFunction(() => document.querySelectorAll('[data-shape-type]').length === 4);
  const before = await bob.$eval('[data-shape-type="rect"] rect', (r) => Number(r.getAttribute('x')));
  const ellipseBefore = await bob.$eval('[data-shape-type="ellipse"] ellipse', (e) => Number(e.getAttribute('cx')));

  // Drag the frame by its name label (above its top-left corner).
  await ann.click(T('tool-select'));
  await drag(ann, [60, 50], [160, 90]);
  await bob.waitForFunction((x) => Number(document.querySelector('[data-shape-type="rect"] rect').getAttribute('x')) >= x + 90, before);
  const sticky = await bob.$eval('[data-shape-type="sticky"] rect', (r) => Number(r.getAttribute('x')));
  assert.ok(sticky >= 340, `the sticky inside the frame moved too: ${sticky}`);
  assert.equal(await bob.$eval('[data-shape-type="ellipse"] ellipse', (e) => Number(e.getAttribute('cx'))), ellipseBefore, 'the ellipse outside stayed');
  await shot(bob, 'boardedit-05-frame-moved-bob');

  // The shortcut sheet opens on `?`.
  await ann.focus(T('board-canvas'));
  await ann.keyboard.press('?');
  await ann.waitForSelector(T('board-shortcuts'));
  await shot(ann, 'boardedit-06-shortcuts');
  await ann.keyboard.press('Escape');
  await ann.waitForFunction(() => !document.querySelector('[data-testid="board-shortcuts"]'));
  await ann.context().close();
  await bob.context().close();
});
