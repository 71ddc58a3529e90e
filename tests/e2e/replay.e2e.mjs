// The replay page (issue 19) in headless Chromium against the real server: a round's board
// and code are written at known moments by a Node Yjs client, then the host opens
// /replay/<loop>/0 at the first moment, scrubs to a later one and steps to the next event;
// each time the shapes drawn on the page (the room's BoardView, read-only) and the code pad
// are compared with GET .../state?at= for the moment the page shows; then, at the end of
// the still-running round, a new shape appears on the page by itself. Screenshots go to
// test-output/e2e/replay-*.png.
//
// Run: (cd client-web && npm run build) && MOCKLOOP_BIN=../../build/server/app/mockloop node --test replay.e2e.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { shot, withServerAndBrowser } from './harness.mjs';

const require = createRequire(import.meta.url);
const Y = require('yjs');
const syncProtocol = require('y-protocols/sync');
const encoding = require('lib0/encoding');
const decoding = require('lib0/decoding');
const WebSocket = require('ws');

let server, b;
withServerAndBrowser((x) => ({ server, b } = x));

const T = (id) => `[data-testid="${id}"]`;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A y-websocket client in miniature: syncs, then sends each local transaction as an update.
async function yClient(url) {
  const doc = new Y.Doc();
  const ws = new WebSocket(url);
  ws.binaryType = 'nodebuffer';
  let synced = false;
  ws.on('message', (data) => {
    const d = decoding.createDecoder(new Uint8Array(data));
    if (decoding.readVarUint(d) !== 0) return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    const kind = syncProtocol.readSyncMessage(d, e, doc, 'remote');
    if (encoding.length(e) > 1) ws.send(encoding.toUint8Array(e));
    if (kind === 1) synced = true;
  });
  doc.on('update', (u, origin) => {
    if (origin === 'remote') return;
    const e = encoding.createEncoder();
    encoding.writeVarUint(e, 0);
    syncProtocol.writeUpdate(e, u);
    ws.send(encoding.toUint8Array(e));
  });
  await new Promise((r, j) => { ws.once('open', r); ws.once('error', j); });
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, 0);
  syncProtocol.writeSyncStep1(e, doc);
  ws.send(encoding.toUint8Array(e));
  for (let i = 0; i < 200 && !synced; i++) await sleep(25);
  return { doc, ws };
}

const rect = (doc, id, x, y, text) => {
  const m = new Y.Map();
  for (const [k, v] of Object.entries({ type: 'rect', x, y, w: 140, h: 70, z: x, text })) m.set(k, v);
  doc.getMap('board').get('shapes').set(id, m);
};

// What the page draws: each shape group's id, and for rects the drawn box.
const drawn = (page) => page.$$eval('[data-testid="board-shapes"] g[data-shape-id]', (gs) => gs.map((g) => {
  const r = g.querySelector('rect');
  return { id: g.getAttribute('data-shape-id'), x: r ? Number(r.getAttribute('x')) : null, y: r ? Number(r.getAttribute('y')) : null };
}).sort((a, b) => a.id.localeCompare(b.id)));

const expected = (state) => Object.entries(state.board.shapes ?? {})
  .map(([id, s]) => ({ id, x: s.type === 'rect' ? s.x : null, y: s.type === 'rect' ? s.y : null }))
  .sort((a, b) => a.id.localeCompare(b.id));

test('the replay page shows the board and code the state API rebuilt, at each moment it is scrubbed to', async (t) => {
  const r = await fetch(`${server.base}/api/loops`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ templateId: 'single-coding', hostName: 'Hana', candidateName: 'Cam' }),
  });
  assert.equal(r.status, 201);
  const created = await r.json();
  const host = created.invites.find((i) => i.role === 'ROLE_HOST').token;
  const loopId = created.loop.id;
  const room = created.loop.rounds[0].roomId;
  const wsBase = server.base.replace('http', 'ws');
  const c = await yClient(`${wsBase}/yjs/room-${room}?token=${host}`);
  t.after(() => c.ws.close());

  c.doc.transact(() => { c.doc.getMap('board').set('version', 1); c.doc.getMap('board').set('shapes', new Y.Map()); });
  c.doc.transact(() => { rect(c.doc, 'api', 40, 40, 'API'); rect(c.doc, 'cache', 300, 40, 'Cache'); });
  c.doc.transact(() => c.doc.getText('code').insert(0, 'def get(key):\n    return cache[key]\n'));
  await sleep(400);
  const m1 = Date.now();
  await sleep(400);
  // The host starts the timer over the session protocol (ClientMessage {request_id: 1,
  // timer: {action: START}}, encoded by hand): an event between the two moments.
  const session = new WebSocket(`${wsBase}/session?token=${host}`);
  session.on('error', () => {});
  await new Promise((r) => session.once('open', r));
  t.after(() => session.close());
  session.send(Buffer.from([0x08, 0x01, 0x22, 0x02, 0x08, 0x01]));
  await sleep(400);
  c.doc.transact(() => { c.doc.getMap('board').get('shapes').get('cache').set('x', 420); rect(c.doc, 'db', 300, 260, 'DB'); });
  c.doc.transact(() => c.doc.getText('code').insert(0, '# read-through cache\n'));
  await sleep(400);
  const m2 = Date.now();

  const state = async (at) => (await fetch(`${server.base}/api/v1/loops/${loopId}/rounds/0/state?at=${at}`, { headers: { authorization: `Bearer ${host}` } })).json();
  const shownAt = (page) => page.$eval(T('replay'), (el) => Number(el.querySelector('main')?.dataset.shownAt ?? 0));
  const check = async (page, label) => {
    const at = await shownAt(page);
    const s = await state(at);
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="board-shapes"] g[data-shape-id]').length === n,
      Object.keys(s.board.shapes ?? {}).length, { timeout: 5000 });
    assert.deepEqual(await drawn(page), expected(s), `board at ${label}`);
    const code = await page.$eval(T('code-content'), (el) => el.textContent);
    assert.equal(code.replace(/\s+/g, ''), s.code.text.replace(/\s+/g, ''), `code at ${label}`);
    return s;
  };

  const ctx = await b.browser.newContext({ viewport: { width: 1366, height: 900 } });
  t.after(() => ctx.close());
  const page = await ctx.newPage();
  await page.goto(`${server.base}/replay/${loopId}/0?token=${host}&at=${m1}`);
  await page.waitForFunction(() => Number(document.querySelector('[data-testid="replay"] main')?.dataset.shownAt) > 0, null, { timeout: 15_000 });
  const s1 = await check(page, 'the first moment');
  assert.deepEqual(Object.keys(s1.board.shapes).sort(), ['api', 'cache']);
  await shot(page, 'replay-first-moment');

  // Scrub to the second moment (the range input, as a user dragging it would).
  await page.$eval(T('replay-scrubber'), (el, at) => { el.value = String(at); el.dispatchEvent(new Event('input', { bubbles: true })); }, m2);
  await page.waitForFunction((m1) => Number(document.querySelector('[data-testid="replay"] main')?.dataset.shownAt) > m1, m1, { timeout: 5000 });
  await sleep(300);  // a later answer may still be on its way
  const s2 = await check(page, 'the scrubbed moment');
  assert.deepEqual(Object.keys(s2.board.shapes).sort(), ['api', 'cache', 'db']);
  assert.equal(s2.board.shapes.cache.x, 420);
  await shot(page, 'replay-scrubbed');

  // Back to the start, then "next event" moves forward and shows that moment.
  await page.$eval(T('replay-scrubber'), (el) => { el.value = el.min; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await sleep(300);
  const before = await shownAt(page);
  await page.click(T('replay-next'));
  await page.waitForFunction((b) => Number(document.querySelector('[data-testid="replay"] main')?.dataset.shownAt) > b, before, { timeout: 5000 });
  await sleep(300);
  await check(page, 'the next event');
  assert.ok((await page.$$(`${T('replay-events')} li`)).length >= 2);

  // The round goes on: a reader standing at the end follows it. The page asks for the
  // timeline again (every 5 s), its end grows, and it shows the board with the new shape.
  const endBefore = await page.$eval(T('replay'), (el) => Number(el.querySelector('main').dataset.endMs));
  await page.$eval(T('replay-scrubber'), (el) => { el.value = el.max; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await page.waitForFunction((e) => Number(document.querySelector('[data-testid="replay"] main')?.dataset.shownAt) >= e, endBefore, { timeout: 5000 });
  await sleep(300);
  c.doc.transact(() => rect(c.doc, 'queue', 40, 260, 'Queue'));
  await page.waitForFunction((e) => Number(document.querySelector('[data-testid="replay"] main')?.dataset.endMs) > e, endBefore, { timeout: 20_000 });
  await page.waitForFunction(() => document.querySelector('[data-testid="board-shapes"] g[data-shape-id="queue"]'), null, { timeout: 10_000 });
  const s3 = await check(page, 'the new end');
  assert.deepEqual(Object.keys(s3.board.shapes).sort(), ['api', 'cache', 'db', 'queue']);
  assert.match(await page.textContent(T('replay-time')), /^(\d+:\d\d) \/ \1$/, 'the position is the new end');
  await shot(page, 'replay-live-end');
});
