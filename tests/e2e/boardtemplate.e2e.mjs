// The system design round's board template (issue 18): "Template" adds the phase plan's
// frames (content/phases/plans.txtpb board_frames) for everyone, and when the phase timer
// moves on, every board that follows phases scrolls to that phase's frames; a participant
// who switched "Follow phases" off stays where they are.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env));

const T = (id) => `[data-testid="${id}"]`;

async function open(url, name) {
  const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await ctx.newPage();
  await page.goto(`${url}&name=${name}`);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await page.click(T('view-board'));
  return page;
}

/** Board titles of the frames whose name label lies inside the visible canvas. */
const visibleFrames = (page) =>
  page.evaluate(() => {
    const c = document.querySelector('[data-testid="board-canvas"]').getBoundingClientRect();
    return [...document.querySelectorAll('[data-shape-type="frame"]')]
      .filter((g) => {
        const r = g.querySelector('rect').getBoundingClientRect();
        return r.left >= c.left - 1 && r.top >= c.top - 1 && r.right <= c.right + 1 && r.bottom <= c.bottom + 1;
      })
      .map((g) => g.querySelector('text').textContent)
      .sort();
  });

test('the round template adds the frames and the phase timer scrolls everyone to them', async () => {
  const res = await fetch(`${server.base}/api/study-rooms`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ title: 'template e2e', hostName: 'Ann' }) });
  assert.equal(res.status, 201);
  const room = await res.json();
  const url = `${server.base}/study/${room.id}?token=${encodeURIComponent(room.token)}`;
  const ann = await open(url, 'Ann');
  const bob = await open(url, 'Bob');
  const carl = await open(url, 'Carl');

  // Template and Follow phases live in the toolbar's "⋯" menu (one toolbar row at 1280 px).
  await ann.click(T('board-menu-open'));
  await shot(ann, 'boardtemplate-00-menu-ann');
  await ann.click(T('board-template'));
  assert.equal(await ann.$eval(T('board-menu'), (d) => d.open), false, 'the menu closes after Template');
  // Counted in the doc: the canvas draws only what is near the view.
  await bob.waitForFunction(() => window.__mockloop.board.all().filter((s) => s.type === 'frame').length === 7, null, { timeout: 5000 });
  // Everyone's board shows the current phase (requirements) once the frames exist.
  await bob.waitForFunction(() => document.querySelector('[data-testid="board-canvas"]').dataset.phase === 'requirements');
  assert.deepEqual(await visibleFrames(bob), ['Estimates', 'Requirements']);
  // Adding the template twice does not duplicate it.
  await ann.click(T('board-menu-open'));
  await ann.click(T('board-template'));
  await new Promise((r) => setTimeout(r, 300));
  assert.equal(await bob.evaluate(() => window.__mockloop.board.all().filter((s) => s.type === 'frame').length), 7);

  // Carl stops following phases; Ann moves the timer on to the high-level design.
  await carl.click(T('board-menu-open'));
  await carl.uncheck(T('board-follow-phases'));
  await carl.keyboard.press('Escape');
  const carlBefore = await visibleFrames(carl);
  await ann.click(T('timer-next'));
  await bob.waitForFunction(() => document.querySelector('[data-testid="board-canvas"]').dataset.phase === 'high-level', null, { timeout: 5000 });
  await ann.waitForFunction(() => document.querySelector('[data-testid="board-canvas"]').dataset.phase === 'high-level', null, { timeout: 5000 });
  const seen = await visibleFrames(bob);
  assert.ok(seen.includes('API') && seen.includes('High-level design'), `Bob sees the high-level frames: ${seen}`);
  await carl.waitForFunction(() => document.querySelector('[data-testid="timer-phase"]').textContent.includes('High-level'));
  assert.deepEqual(await visibleFrames(carl), carlBefore, 'Carl, not following phases, stayed put');
  await shot(bob, 'boardtemplate-01-high-level-bob');
  for (const p of [ann, bob, carl]) await p.context().close();
});
