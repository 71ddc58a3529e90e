// Whiteboard benchmark (issue 18; a program that prints numbers, not a test). In Debian's
// headless chromium against the real server and the built client (client-web/dist):
//  - frame time (intervals between animation frames, ms) while dragging a selection of 50
//    shapes on boards of 300 and 2,000 shapes, at 100% zoom in a 1280x800 window, and on
//    the 2,000-shape board zoomed out to 20% (about 1,000 shapes in view);
//  - time to open a 2,000-shape board: from navigation to the board showing all shapes.
// Each figure is the median of BENCH_RUNS runs (default 3). Usage, from the repo root:
//   MOCKLOOP_BIN=build/server/app/mockloop node bench/board/bench.mjs
import { launchBrowser, startServer } from '../../tests/e2e/harness.mjs';

const RUNS = Number(process.env.BENCH_RUNS ?? 3);
// "2000fit": the 2,000-shape board zoomed out to 20% (about 1,000 shapes in view).
const SIZES = (process.env.BENCH_SIZES ?? '300,2000,2000fit').split(',');
const T = (id) => `[data-testid="${id}"]`;

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const pct = (xs, p) => xs.slice().sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];

async function studyUrl(server) {
  const res = await fetch(`${server.base}/api/study-rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'board bench', hostName: 'Bench' }) });
  const room = await res.json();
  return `${server.base}/study/${room.id}?token=${encodeURIComponent(room.token)}&name=Bench`;
}

async function open(b, url) {
  const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 30_000 });
  await page.click(T('view-board'));
  return { page, t0 };
}

/**
 * Fills the board in one transaction: a cluster of 50 small boxes at the top-left (the
 * selection to drag; the 10 of its bottom row have arrows to shapes outside it, so the
 * grabbed top-left box has no arrow near it at any zoom), then n - 60 labelled shapes of
 * mixed types and arrows in a 25-column grid below, every fifth joined to its neighbour.
 */
function populate(page, n) {
  return page.evaluate((n) => {
    const model = window.__mockloop.board;
    const rest = n - 60; // 50 in the cluster, 10 arrows from it
    const ids = [];
    model.prepare();
    model.transact(() => {
      for (let i = 0; i < 50; i++) ids.push(model.add({ type: 'rect', x: 40 + (i % 10) * 56, y: 40 + Math.floor(i / 10) * 36, w: 40, h: 24 }));
      const others = [];
      const types = ['rect', 'ellipse', 'diamond', 'sticky'];
      let arrows = 0;
      for (let i = 0; others.length + arrows < rest; i++) {
        const x = (i % 25) * 130, y = 260 + Math.floor(i / 25) * 90;
        others.push(model.add({ type: types[i % 4], x, y, w: 100, h: 56, text: `svc ${i}` }));
        if (i % 5 === 4 && others.length + arrows < rest) {
          model.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [0, 0, 1, 1], from: others.at(-2), to: others.at(-1) });
          arrows++;
        }
      }
      for (let i = 0; i < 10 && others[i]; i++) model.add({ type: 'arrow', x: 0, y: 0, w: 0, h: 0, points: [0, 0, 1, 1], from: ids[40 + i], to: others[i] });
    });
    return model.all().length;
  }, n);
}

async function dragFrameTimes(page, fit) {
  const bb = await (await page.$(T('board-canvas'))).boundingBox();
  await page.click(T('tool-select'));
  // Marquee around the cluster, then drag it by one of its boxes.
  await page.mouse.move(bb.x + 20, bb.y + 20);
  await page.mouse.down();
  await page.mouse.move(bb.x + 620, bb.y + 240, { steps: 4 });
  await page.mouse.up();
  const selected = await page.$eval(T('board-canvas'), (s) => s.dataset.selected);
  // Zoomed out to the minimum (20%) around the selection, so about half of the 2,000-shape
  // board (some 1,000 shapes) is in view; the grab point stays over the same shape.
  const grab = { x: bb.x + 60, y: bb.y + 52 };
  if (fit) {
    await page.mouse.move(grab.x, grab.y);
    await page.keyboard.down('Control');
    await page.mouse.wheel(0, 1000);
    await page.keyboard.up('Control');
    await page.waitForFunction(() => document.querySelector('.zoom-label').textContent === '20%');
    await page.waitForTimeout(300);
  }
  await page.evaluate(() => {
    window.__frames = [];
    let last = performance.now();
    const tick = (t) => {
      window.__frames.push(t - last);
      last = t;
      if (window.__recording) requestAnimationFrame(tick);
    };
    window.__recording = true;
    requestAnimationFrame(tick);
  });
  const clusterX = () => page.evaluate(() => window.__mockloop.board.all().find((s) => s.w === 40 && s.h === 24).x);
  const x0 = await clusterX();
  await page.mouse.move(grab.x, grab.y);
  await page.mouse.down();
  for (let i = 1; i <= 80; i++) await page.mouse.move(grab.x + i * 4, grab.y + i * 2);
  await page.mouse.up();
  await page.waitForTimeout(200);
  if ((await clusterX()) === x0) console.error('warning: the selection did not move');
  const frames = await page.evaluate(() => {
    window.__recording = false;
    return window.__frames.slice(1);
  });
  return { selected, frames };
}

const server = await startServer({ extraArgs: ['--allow-anonymous-docs', ...(process.env.BENCH_CONTENT_DIR ? ['--content-dir', process.env.BENCH_CONTENT_DIR] : [])] });
const b = await launchBrowser();
try {
  for (const size of SIZES) {
    const n = parseInt(size, 10), fit = size.endsWith('fit');
    const p50s = [], p95s = [], opens = [];
    for (let r = 0; r < RUNS; r++) {
      const url = await studyUrl(server);
      const { page } = await open(b, url);
      const count = await populate(page, n);
      await page.waitForFunction((n) => Number(document.querySelector('[data-testid="board-canvas"]').dataset.shapeCount) === n, count, { timeout: 60_000 });
      await page.waitForTimeout(500); // let the update reach the server
      const { selected, frames } = await dragFrameTimes(page, fit);
      if (selected !== '50') console.error(`warning: ${selected} shapes selected, not 50`);
      p50s.push(pct(frames, 50));
      p95s.push(pct(frames, 95));
      // A second participant opens the same board.
      const second = await open(b, url);
      await second.page.waitForFunction((n) => Number(document.querySelector('[data-testid="board-canvas"]')?.dataset.shapeCount) === n, count, { timeout: 60_000, polling: 'raf' });
      opens.push(Date.now() - second.t0);
      await second.page.context().close();
      await page.context().close();
      console.error(`  n=${n} run ${r + 1}: shapes ${count}, frames ${frames.length}, p50 ${pct(frames, 50).toFixed(1)} ms, p95 ${pct(frames, 95).toFixed(1)} ms, open ${opens.at(-1)} ms`);
    }
    console.log(`board of ${n} shapes${fit ? ' at 20% zoom' : ''}: drag 50 frame time p50 ${median(p50s).toFixed(1)} ms, p95 ${median(p95s).toFixed(1)} ms; open ${median(opens)} ms (medians of ${RUNS})`);
  }
} finally {
  await b.close();
  await server.stop();
}
