// Same round for everyone (issue 15 item 1 and the room polish), in headless Chromium against
// the real server: host, interviewer, candidate and observer in four browser contexts at
// 1280x720. The interviewer looks at the System design round without moving anyone, then
// moves the loop there: the candidate's and observer's pages follow (measured delay printed);
// a reload of every page keeps round 4 (?round=4); a shape the candidate draws after the
// reload is in round 4's document (seen on the interviewer's page of round 4); the
// candidate's page cannot be in another round (JoinRound and /yjs refused, a ?round=1 link
// lands in round 4); moving on with a break shows the server's countdown to everyone, and
// ending it starts the next round's timer; the favicon is served and no page gets a 404;
// the board is at least 560 px tall; the observer's board toolbar has no editing control.
// Screenshots: test-output/e2e/rounds-*.png.
//
// Run: (cd client-web && npm run build) && (cd tests/e2e && MOCKLOOP_BIN=... node --test rounds.e2e.mjs)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env));

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1280, height: 720 };
const ROLES = ['host', 'interviewer', 'candidate', 'observer'];

const roundTitle = (p) => p.$eval(T('round-title'), (e) => e.textContent);
const waitRound = (p, re, timeout = 5000) =>
  p.waitForFunction((src) => new RegExp(src, 'i').test(document.querySelector('[data-testid="round-title"]')?.textContent ?? ''), re.source, { timeout });
const connected = (p) => p.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });

/**
 * Opens a /yjs connection to `doc` with `token`. The server refuses after the upgrade with a
 * close code (4403 forbidden); resolves with that code, or 'open' when the connection is
 * still open after 1.5 s (and has received the server's sync step).
 */
function yjsOutcome(doc, token) {
  return new Promise((resolve) => {
    const ws = new WebSocket(`${server.base.replace('http', 'ws')}/yjs/${doc}?token=${encodeURIComponent(token)}`);
    let got = false;
    const timer = setTimeout(() => { resolve(got ? 'open' : 'silent'); ws.close(); }, 1500);
    ws.on('message', () => { got = true; });
    ws.on('close', (code) => { clearTimeout(timer); resolve(code); });
    ws.on('unexpected-response', (_req, res) => { clearTimeout(timer); resolve(res.statusCode); });
    ws.on('error', () => {});
  });
}

test('the loop moves as one: follow, reload, draw, break, favicon, board size', async (t) => {
  if (server.fake) return t.skip('needs the real server');
  const res = await fetch(`${server.base}/api/loops`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateId: 'l6-loop', candidateName: 'Cam Candidate', hostName: 'Hana Host', participants: [{ displayName: 'Ivo Interviewer', role: 'ROLE_INTERVIEWER' }, { displayName: 'Olu Observer', role: 'ROLE_OBSERVER' }] }),
  });
  assert.equal(res.status, 201);
  const loop = await res.json();
  const invite = (role) => loop.invites.find((i) => i.role === `ROLE_${role.toUpperCase()}`);
  const sdIndex = loop.loop.rounds.findIndex((r) => /system design/i.test(r.title));
  assert.equal(sdIndex, 3, 'System design is round 4 of the L6 loop');

  // --- four participants, each in their own browser context ---
  const pages = {};
  const notFound = [];
  for (const role of ROLES) {
    const ctx = await b.browser.newContext({ viewport: VIEW });
    const p = await ctx.newPage();
    p.on('response', (r) => { if (r.status() === 404) notFound.push(`${role}: ${r.url()}`); });
    pages[role] = p;
    await p.goto(`${server.base}${invite(role).link}`);
    await connected(p);
  }
  for (const role of ROLES) {
    assert.match(await roundTitle(pages[role]), /phone screen/i, `${role} opens on the loop's current round`);
    assert.match(pages[role].url(), /[?&]round=1\b/, `${role}'s URL reflects round 1`);
  }
  const { interviewer: inter, candidate: cand, observer: obs, host } = pages;
  assert.equal(await cand.$$eval(T('round-select'), (n) => n.length), 0, 'the candidate has no round picker');

  // --- the interviewer looks at System design without moving anyone ---
  await inter.selectOption(T('round-select'), String(sdIndex));
  await waitRound(inter, /system design/);
  assert.equal(await inter.textContent(T('viewing-banner')), 'Viewing round 4 - the loop is in round 1');
  await shot(inter, 'rounds-01-interviewer-viewing');
  await new Promise((r) => setTimeout(r, 300));
  for (const p of [cand, obs, host]) assert.match(await roundTitle(p), /phone screen/i, 'looking moves nobody');

  // --- ... then moves the loop there; everyone follows ---
  const t0 = Date.now();
  await inter.click(T('move-loop-here'));
  const delays = await Promise.all([cand, obs, host].map(async (p) => { await waitRound(p, /system design/); return Date.now() - t0; }));
  t.diagnostic(`candidate, observer, host followed after ${delays.join(', ')} ms`);
  console.log(`# follow delay (ms): candidate ${delays[0]}, observer ${delays[1]}, host ${delays[2]}`);
  for (const d of delays) assert.ok(d < 5000, `followed within 5 s (${d} ms)`);
  for (const role of ROLES) {
    const p = pages[role];
    await p.waitForFunction(() => /[?&]round=4\b/.test(location.search), null, { timeout: 5000 });
    assert.equal(await p.getAttribute(T('view-board'), 'aria-selected'), 'true', `${role}: System design opens the board`);
    assert.equal(await p.$$eval(T('viewing-banner'), (n) => n.length), 0, `${role} is not "viewing" another round`);
  }

  // --- reload of every page keeps round 4 ---
  for (const role of ROLES) {
    await pages[role].reload();
    await connected(pages[role]);
    await waitRound(pages[role], /system design/);
    assert.match(pages[role].url(), /[?&]round=4\b/);
  }

  // --- what the candidate draws after the reload is in round 4's document ---
  const rects = (p) => p.$$eval(`${T('board-shapes')} [data-shape-type="rect"]`, (n) => n.length);
  const before = await rects(inter);
  await cand.click(T('tool-rect'));
  const bb = await (await cand.$(T('board-canvas'))).boundingBox();
  await cand.mouse.move(bb.x + 120, bb.y + 120);
  await cand.mouse.down();
  await cand.mouse.move(bb.x + 300, bb.y + 220, { steps: 5 });
  await cand.mouse.up();
  await inter.waitForFunction((n) => document.querySelectorAll('[data-testid="board-shapes"] [data-shape-type="rect"]').length > n, before, { timeout: 5000 });
  assert.match(await roundTitle(inter), /system design/i, "the shape is in round 4's document");

  // --- board size, toolbars, screenshots ---
  for (const role of ROLES) await shot(pages[role], `rounds-02-${role}-round4`);
  for (const role of ROLES) {
    const p = pages[role];
    const hgt = await p.$eval(T('board-canvas'), (e) => e.getBoundingClientRect().height);
    t.diagnostic(`${role}: board canvas ${Math.round(hgt)} px tall at 1280x720`);
    // The toolbar is one row at 1280 px: export, .excalidraw, Template and Follow phases are
    // in its "⋯" menu (a second row cost about 27 px).
    assert.ok(hgt >= 560, `${role}: board canvas is ${hgt} px tall at 1280x720`);
    // One row: every visible control's vertical middle lies within the first control's height.
    const spread = await p.$eval('.board-toolbar', (tb) => {
      const mids = [...tb.children].map((c) => c.getBoundingClientRect()).filter((r) => r.height > 0).map((r) => r.top + r.height / 2);
      return Math.max(...mids) - Math.min(...mids);
    });
    assert.ok(spread < 10, `${role}: the board toolbar wraps (controls' middles ${spread} px apart)`);
  }
  for (const sel of ['board-undo', 'board-redo', 'board-delete', 'board-props', 'tool-rect', 'tool-sticky']) {
    assert.equal(await obs.$$eval(T(sel), (n) => n.length), 0, `the observer's toolbar has ${sel}`);
    assert.equal(await cand.$$eval(T(sel), (n) => n.length), 1, `the candidate's toolbar lacks ${sel}`);
  }

  // --- the candidate cannot be in another round ---
  await cand.evaluate(() => window.__mockloop.session.send({ case: 'joinRound', value: { roundIndex: 0 } }));
  await new Promise((r) => setTimeout(r, 500));
  assert.match(await roundTitle(cand), /system design/i, 'a JoinRound to round 1 was refused');
  const candToken = invite('candidate').token;
  assert.equal(await yjsOutcome(`room-${loop.loop.rounds[0].roomId}`, candToken), 4403, "round 1's document is refused to the candidate");
  assert.equal(await yjsOutcome(`room-${loop.loop.rounds[sdIndex].roomId}`, candToken), 'open', "round 4's document opens");
  await cand.goto(`${server.base}/join?round=1`); // the tab keeps its token; the link asks for round 1
  await connected(cand);
  await waitRound(cand, /system design/);
  assert.match(cand.url(), /[?&]round=4\b/);

  // --- moving on with a break: the server's countdown for everyone, then the round starts ---
  await inter.click(T('next-round'));
  for (const role of ROLES) {
    const p = pages[role];
    await waitRound(p, /behavioral 1/);
    await p.waitForSelector(`${T('break-banner')}:not([hidden])`, { timeout: 5000 });
    assert.match(await p.textContent(T('break-text')), /^Break - next round in 1[45]:\d\d$/, `${role} sees the break`);
  }
  assert.equal(await cand.$$eval(`${T('end-break')}:not([hidden])`, (n) => n.length), 0, 'the candidate cannot end the break');
  for (const role of ROLES) await shot(pages[role], `rounds-03-${role}-break`);
  assert.equal(await cand.getAttribute(T('timer-bar'), 'data-status'), 'idle', 'the round waits for the break');
  await inter.click(T('end-break'));
  for (const p of [cand, obs]) {
    await p.waitForSelector(`${T('break-banner')}[hidden]`, { state: 'attached', timeout: 5000 });
    await p.waitForSelector(`${T('timer-bar')}[data-status="running"]`, { timeout: 5000 });
  }

  // --- favicon, and no 404 anywhere ---
  const fav = await fetch(`${server.base}/favicon.svg`);
  assert.equal(fav.status, 200);
  assert.match(fav.headers.get('content-type') ?? '', /image\/svg\+xml/);
  assert.equal(await host.$eval('link[rel="icon"]', (l) => new URL(l.href).pathname), '/favicon.svg');
  await host.goto(`${server.base}/`);
  await host.waitForSelector(`${T('template-select')} option`, { state: 'attached' });
  assert.deepEqual(notFound, [], 'no request answered 404');
  for (const p of Object.values(pages)) await p.context().close();
});
