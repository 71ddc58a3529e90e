// Whiteboard behaviour in two browsers sharing a study room: arrows stay attached when a
// shape moves (on the other participant's screen too), undo reverts only one's own edits,
// live cursors carry names, "follow" tracks another viewport, and SVG/PNG export work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boardDrag as drag, shot, withServerAndBrowser } from './harness.mjs';

// Anonymous docs as a fallback for servers without POST /api/study-rooms; the whiteboard,
// not access control, is under test here (room.e2e.mjs covers tokens).
let server, b;
withServerAndBrowser((env) => ({ server, b } = env), { extraArgs: ['--allow-anonymous-docs'] });

const T = (id) => `[data-testid="${id}"]`;

async function open(url, name) {
  const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  const page = await ctx.newPage();
  await page.goto(`${url}${url.includes('?') ? '&' : '?'}name=${name}`);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await page.click(T('view-board'));
  return page;
}

const arrowLine = (page) => page.$eval('[data-shape-type="arrow"] line', (l) => ['x1', 'y1', 'x2', 'y2'].map((k) => Number(l.getAttribute(k))));
const count = (page, type) => page.$$eval(`${T('board-shapes')} [data-shape-type="${type}"]`, (n) => n.length);

/** A study room from POST /api/study-rooms, or an anonymous doc on servers without that API. */
async function studyUrl(t) {
  const res = await fetch(`${server.base}/api/study-rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'board e2e', hostName: 'Ann' }) });
  if (res.status === 201) {
    const room = await res.json();
    return `${server.base}/study/${room.id}?token=${encodeURIComponent(room.token)}`;
  }
  t.diagnostic(`POST /api/study-rooms answered ${res.status}; using an anonymous study doc`);
  return `${server.base}/study/e2e-${Date.now()}`;
}

test('two participants on one whiteboard', async (t) => {
  const url = await studyUrl(t);
  const ann = await open(url, 'Ann');
  const bob = await open(url, 'Bob');

  // Ann draws two boxes and joins them with an arrow.
  await drag(ann, 'rect', [60, 60], [180, 140]);
  await drag(ann, 'ellipse', [400, 60], [520, 140]);
  await drag(ann, 'arrow', [120, 100], [460, 100]);
  await bob.waitForSelector('[data-shape-type="arrow"]');
  const before = await arrowLine(bob);
  assert.ok(Math.abs(before[0] - 180) < 2, `arrow starts on the box's right edge: ${before}`);
  assert.ok(Math.abs(before[2] - 400) < 14, `arrow ends near the ellipse's box: ${before}`);

  // Bob moves the ellipse down; the arrow follows on both screens.
  await bob.click(T('tool-select'));
  const bb = await (await bob.$(T('board-canvas'))).boundingBox();
  await bob.mouse.move(bb.x + 460, bb.y + 100);
  await bob.mouse.down();
  await bob.mouse.move(bb.x + 460, bb.y + 300, { steps: 5 });
  await bob.mouse.up();
  await ann.waitForFunction(() => Number(document.querySelector('[data-shape-type="arrow"] line')?.getAttribute('y2')) > 200);
  const moved = await arrowLine(ann);
  assert.ok(moved[3] > 200, `arrow end followed the ellipse: ${moved}`);

  // Bob adds a sticky; Ann's undo removes her own last change (the arrow), not Bob's work.
  await bob.click(T('tool-sticky'));
  await bob.mouse.click(bb.x + 700, bb.y + 300);
  await bob.keyboard.type('Bob idea');
  await bob.keyboard.press('Enter');
  await ann.waitForSelector('[data-shape-type="sticky"]', { timeout: 5000 });
  // An empty spot near the canvas's bottom-right corner (the study page's side panel and
  // timer bar leave the canvas smaller than the window).
  const cb = await (await ann.$(T('board-canvas'))).boundingBox();
  await ann.click(T('board-canvas'), { position: { x: cb.width - 60, y: cb.height - 30 } });
  await ann.keyboard.press('Control+z');
  await bob.waitForFunction(() => !document.querySelector('[data-shape-type="arrow"]'));
  assert.equal(await count(bob, 'sticky'), 1, "Bob's sticky survives Ann's undo");
  assert.equal(await count(bob, 'ellipse'), 1, "Bob's move is not Ann's to undo; the ellipse stays");
  await ann.keyboard.press('Control+Shift+z');
  await bob.waitForSelector('[data-shape-type="arrow"]');

  // Live cursors with names.
  const abb = await (await ann.$(T('board-canvas'))).boundingBox();
  await ann.mouse.move(abb.x + 300, abb.y + 400, { steps: 3 });
  await bob.waitForFunction(() => [...document.querySelectorAll('[data-testid="remote-cursor"] text')].some((t) => t.textContent === 'Ann'));

  // Bob follows Ann; Ann zooms; Bob's zoom follows.
  const annOption = await bob.$eval(T('board-follow'), (s) => [...s.options].find((o) => o.textContent.includes('Ann'))?.value);
  assert.ok(annOption, 'Ann is listed to follow');
  await bob.selectOption(T('board-follow'), annOption);
  await ann.click('[aria-label="Zoom in"]');
  await bob.waitForFunction(() => document.querySelector('.zoom-label')?.textContent === '120%');

  // Export.
  const svg = await ann.evaluate(async () => {
    const a = [];
    const orig = URL.createObjectURL;
    URL.createObjectURL = (blob) => { a.push(blob); return orig(blob); };
    document.querySelector('[data-testid="export-svg"]').click();
    document.querySelector('[data-testid="export-png"]').click();
    await new Promise((r) => setTimeout(r, 1500));
    URL.createObjectURL = orig;
    return Promise.all(a.map(async (blob) => ({ type: blob.type, size: blob.size, head: blob.type.includes('svg') ? (await blob.text()).slice(0, 4000) : '' })));
  });
  const s = svg.find((x) => x.type === 'image/svg+xml');
  const p = svg.find((x) => x.type === 'image/png');
  assert.ok(s && s.head.startsWith('<svg') && s.head.includes('data-shape-type="sticky"'), 'SVG export holds the shapes');
  assert.ok(p && p.size > 1000, 'PNG export produced an image');
  await shot(ann, '06-study-board-ann');
  await shot(bob, '07-study-board-bob-following');
});

test('the whiteboard works from the keyboard alone', async (t) => {
  const page = await open(await studyUrl(t), 'Kim');
  // Tab to the canvas (every control before it is focusable and labelled).
  let reached = false;
  for (let i = 0; i < 40 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.getAttribute('data-testid') === 'board-canvas');
  }
  assert.ok(reached, 'the canvas is reachable with Tab');
  const unlabelled = await page.$$eval('button, select, input, textarea', (els) => els.filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length)).length);
  assert.equal(unlabelled, 0, 'every control has a label');
  await page.keyboard.press('n'); // a box in the middle of the view
  await page.waitForSelector('[data-shape-type="rect"]');
  await page.keyboard.press('Enter');
  await page.keyboard.type('Load balancer');
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('[data-shape-type="rect"] text')?.textContent === 'Load balancer');
  const x0 = await page.$eval('[data-shape-type="rect"] rect', (r) => Number(r.getAttribute('x')));
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction((x) => Number(document.querySelector('[data-shape-type="rect"] rect').getAttribute('x')) === x + 10, x0);
  await page.keyboard.press('Delete');
  await page.waitForFunction(() => !document.querySelector('[data-shape-type="rect"]'));
  await page.keyboard.press('Control+z');
  await page.waitForSelector('[data-shape-type="rect"]');
  await page.context().close();
});

test('a server restart: the page reconnects by itself and offline edits resync', async (t) => {
  if (server.fake) return t.skip('the stand-in server keeps documents in memory only');
  const url = await studyUrl(t);
  const ann = await open(url, 'Ann');
  await drag(ann, 'rect', [60, 60], [180, 140]);
  await ann.waitForSelector('[data-shape-type="rect"]');
  await new Promise((r) => setTimeout(r, 300)); // let the update reach the server
  const restarting = server.restart(1500);
  await ann.waitForSelector(`${T('conn-state')}[data-state="reconnecting"]`, { timeout: 10_000 });
  // Drawn while the server is down: kept locally, sent on reconnect.
  await drag(ann, 'ellipse', [300, 60], [420, 140]);
  await restarting;
  await ann.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 20_000 });
  await shot(ann, '09-after-restart');
  const bob = await open(url, 'Bob');
  await bob.waitForSelector('[data-shape-type="rect"]', { timeout: 10_000 });
  await bob.waitForSelector('[data-shape-type="ellipse"]', { timeout: 10_000 });
  // And live editing works again both ways.
  await drag(bob, 'diamond', [500, 60], [600, 140]);
  await ann.waitForSelector('[data-shape-type="diamond"]', { timeout: 10_000 });
});
