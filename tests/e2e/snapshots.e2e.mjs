// The Snapshots panel of the replay page (issue 19) in headless Chromium against the real
// server, with a panel's contexts open at once: the candidate and the interviewer are in the
// live round; the host, on the round's replay page, takes a snapshot of the board as it is;
// the candidate changes the board afterwards (moves a sticky, adds shapes); the host restores
// the board to the snapshot from the panel, and both pages IN the live room see their board
// return to the snapshot's shapes (compared with what they drew at the snapshot and with
// GET .../state?at=<snapshot's moment>); the host's timeline lists snapshot_taken and
// snapshot_restored. An observer may open the replay but has no Snapshots panel and gets 403
// from the snapshot routes; the candidate's replay after the loop ended has neither the panel
// nor any staff-only event (nor the snapshot's name) in any response or frame it got.
// Screenshots: test-output/e2e/snapshots-*.png.
//
// Run: (cd client-web && npm run build) && MOCKLOOP_BIN=../../build/server/app/mockloop node --test snapshots.e2e.mjs
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { boardDrag as drag, boardSticky as sticky, recordFrames, shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env));

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1366, height: 900 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const STAFF_ONLY = ['note', 'scorecard_submitted', 'snapshot_taken', 'snapshot_restored'];
const SNAP_NAME = 'SNAP-NAME-s19 two shapes';

async function api(method, path, token, body) {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {}, text };
}

// The shapes a page draws: id, type, the first box's position, and the texts.
const drawn = (page) => page.$$eval('[data-testid="board-shapes"] g[data-shape-id]', (gs) => gs.map((g) => {
  const r = g.querySelector('rect');
  return { id: g.getAttribute('data-shape-id'), type: g.getAttribute('data-shape-type'), x: r ? Number(r.getAttribute('x')) : null, y: r ? Number(r.getAttribute('y')) : null, text: [...g.querySelectorAll('text')].map((t) => t.textContent).join(' ') };
}).sort((a, b) => a.id.localeCompare(b.id)));
const idsOf = (shapes) => shapes.map((s) => `${s.id}:${s.type}`).sort();
const stateIds = (state) => Object.entries(state.board.shapes ?? {}).map(([id, s]) => `${id}:${s.type}`).sort();

/** Every API response a page gets: read as each one finishes (reading a body later may never settle). */
function recordResponses(page) {
  const out = [];
  page.on('requestfinished', async (req) => {
    if (!new URL(req.url()).pathname.startsWith('/api/')) return;
    const r = await req.response();
    out.push({ url: req.url(), status: r?.status() ?? 0, body: await r?.body().catch(() => Buffer.alloc(0)) ?? Buffer.alloc(0) });
  });
  return async () => { await sleep(200); return out; };
}

test('Snapshots panel: take, change the live board, restore; observer and candidate views', async (t) => {
  const created = await api('POST', '/api/loops', '', {
    templateId: 'single-coding', candidateName: 'Cam', hostName: 'Hana',
    participants: [{ displayName: 'Ivo', role: 'ROLE_INTERVIEWER', roundIndexes: [0] }, { displayName: 'Obi', role: 'ROLE_OBSERVER' }],
  });
  assert.equal(created.status, 201, created.text);
  const tok = Object.fromEntries(created.json.invites.map((i) => [i.role, i.token]));
  const loopId = created.json.loop.id;
  const base = `/api/loops/${loopId}/rounds/0`;
  const contexts = [];
  t.after(() => Promise.all(contexts.map((c) => c.close())));
  const newPage = async () => {
    const ctx = await b.browser.newContext({ viewport: VIEW });
    contexts.push(ctx);
    const page = await ctx.newPage();
    page.on('dialog', (d) => d.accept());
    return page;
  };
  const joinRoom = async (page, token) => {
    await page.goto(`${server.base}/join?token=${token}`);
    await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
    await page.click(T('view-board'));
  };
  const openReplay = async (page, token, at) => {
    await page.goto(`${server.base}/replay/${loopId}/0?token=${token}${at ? `&at=${at}` : ''}`);
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="replay"] main')?.dataset.shownAt) > 0, null, { timeout: 15_000 });
  };

  // The candidate (everything it receives recorded) and the interviewer in the live room.
  const cand = await newPage();
  const candFrames = recordFrames(cand);
  const candResponses = recordResponses(cand);
  await joinRoom(cand, tok.ROLE_CANDIDATE);
  const ivo = await newPage();
  await joinRoom(ivo, tok.ROLE_INTERVIEWER);

  await drag(cand, 'rect', [60, 60], [200, 140]);
  await sticky(cand, [360, 100], 'before');
  await ivo.waitForFunction(() => [...document.querySelectorAll('[data-shape-type="sticky"] text')].some((x) => x.textContent === 'before'), null, { timeout: 5000 });
  await sleep(300);
  const atSnapshot = await drawn(cand);
  assert.deepEqual(atSnapshot.map((s) => s.type).sort(), ['rect', 'sticky']);

  // The host, on the replay page, goes to the end (the present) and takes a named snapshot.
  const host = await newPage();
  await openReplay(host, tok.ROLE_HOST);
  await host.waitForSelector(T('replay-snapshots-panel'));
  await host.$eval(T('replay-scrubber'), (el) => { el.value = el.max; el.dispatchEvent(new Event('input', { bubbles: true })); });
  await host.waitForFunction(() => { const m = document.querySelector('[data-testid="replay"] main'); return Number(m?.dataset.shownAt) >= Number(document.querySelector('[data-testid="replay-scrubber"]').max); }, null, { timeout: 5000 });
  await host.fill(T('replay-snapshot-name'), SNAP_NAME);
  await host.click(T('replay-snapshot-take'));
  await host.waitForSelector(T('replay-snapshot-snap-1'), { timeout: 5000 });
  assert.match(await host.textContent(T('replay-snapshot-status')), /taken/);
  const snap = (await api('GET', `${base}/snapshots`, tok.ROLE_HOST)).json.snapshots.find((s) => s.id === 'snap-1');
  assert.equal(snap.name, SNAP_NAME);
  const snapState = (await api('GET', `/api/v1${base.slice(4)}/state?at=${snap.atMs}`, tok.ROLE_HOST)).json;
  assert.deepEqual(stateIds(snapState), idsOf(atSnapshot), 'the snapshot holds the board as it was');

  // Later, in the room: the candidate moves the sticky and adds two shapes.
  await cand.click(T('tool-select'));
  const bb = await (await cand.$(T('board-canvas'))).boundingBox();
  await cand.keyboard.press('Escape');
  await cand.mouse.move(bb.x + 440, bb.y + 160);
  await cand.mouse.down();
  await cand.mouse.move(bb.x + 640, bb.y + 360, { steps: 5 });
  await cand.mouse.up();
  await drag(cand, 'ellipse', [60, 300], [200, 380]);
  await sticky(cand, [360, 500], 'after');
  await ivo.waitForFunction(() => [...document.querySelectorAll('[data-shape-type="sticky"] text')].some((x) => x.textContent === 'after'), null, { timeout: 5000 });
  const changed = await drawn(cand);
  assert.equal(changed.length, 4);
  const movedSticky = changed.find((s) => s.id === atSnapshot.find((x) => x.type === 'sticky').id);
  assert.notDeepEqual([movedSticky.x, movedSticky.y], [atSnapshot.find((x) => x.type === 'sticky').x, atSnapshot.find((x) => x.type === 'sticky').y], 'the sticky moved');
  await shot(cand, 'snapshots-01-changed-board');

  // The host restores the board from the panel; both pages in the live room see it return.
  await host.click(T('replay-restore-board-snap-1'));
  await host.waitForFunction(() => /restored/.test(document.querySelector('[data-testid="replay-snapshot-status"]')?.textContent ?? ''), null, { timeout: 5000 });
  for (const page of [cand, ivo]) {
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="board-shapes"] g[data-shape-id]').length === n, atSnapshot.length, { timeout: 5000 });
    await sleep(200);
    assert.deepEqual(await drawn(page), atSnapshot, 'the live board is the snapshot\'s again');
    assert.deepEqual(idsOf(await drawn(page)), stateIds(snapState));
  }
  await shot(cand, 'snapshots-02-restored-in-room');

  // The host's timeline (reloaded) lists both staff events.
  await openReplay(host, tok.ROLE_HOST, Date.now());
  const kinds = await host.$$eval(`${T('replay-events')} li`, (l) => l.map((x) => x.dataset.kind));
  assert.ok(kinds.includes('snapshot_taken') && kinds.includes('snapshot_restored'), kinds.join(','));
  await host.locator(T('replay-snapshots-panel')).scrollIntoViewIfNeeded();
  await shot(host, 'snapshots-03-host-replay');

  // An observer may watch, without the panel; the snapshot routes answer 403.
  const obs = await newPage();
  const obsResponses = recordResponses(obs);
  await openReplay(obs, tok.ROLE_OBSERVER);
  await sleep(300);
  assert.equal(await obs.$(T('replay-snapshots-panel')), null, 'no Snapshots panel for an observer');
  const routes = await obs.evaluate(async ({ base, token }) => {
    const call = (method, path, body) => fetch(path, { method, headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: body && JSON.stringify(body) }).then((r) => r.status);
    return [await call('GET', `${base}/snapshots`), await call('POST', `${base}/snapshots`, { name: 'mine' }), await call('POST', `${base}/snapshots/snap-1/restore`, { target: 'board' })];
  }, { base, token: tok.ROLE_OBSERVER });
  assert.deepEqual(routes, [403, 403, 403]);
  const obsKinds = await obs.$$eval(`${T('replay-events')} li`, (l) => l.map((x) => x.dataset.kind));
  for (const k of obsKinds) assert.ok(!STAFF_ONLY.includes(k), k);
  for (const x of await obsResponses()) if (x.status === 200) for (const k of [...STAFF_ONLY.slice(1), SNAP_NAME]) assert.ok(!x.body.includes(k), `the observer got ${k} from ${x.url}`);
  await shot(obs, 'snapshots-04-observer-replay');

  // The interviewer ends the round; then the candidate's replay: no panel, no staff-only event.
  if (await ivo.$(T('timer-start'))) await ivo.click(T('timer-start'));
  for (let k = 0; k < 8 && (await ivo.getAttribute(T('timer-bar'), 'data-status')) !== 'finished'; k++) {
    await ivo.click(T('timer-next'));
    await sleep(300);
  }
  assert.equal(await ivo.getAttribute(T('timer-bar'), 'data-status'), 'finished');
  const replay = await cand.context().newPage();
  const replayFrames = recordFrames(replay);
  const replayResponses = recordResponses(replay);
  await openReplay(replay, tok.ROLE_CANDIDATE);
  await sleep(300);
  assert.equal(await replay.$(T('replay-snapshots-panel')), null, 'no Snapshots panel for the candidate');
  const candKinds = await replay.$$eval(`${T('replay-events')} li`, (l) => l.map((x) => x.dataset.kind));
  assert.ok(candKinds.includes('round_finished'), candKinds.join(','));
  for (const k of candKinds) assert.ok(!STAFF_ONLY.includes(k), k);
  await shot(replay, 'snapshots-05-candidate-replay');
  const got = [...await candResponses(), ...await replayResponses()];
  assert.ok(got.some((x) => x.url.includes('/timeline')), 'the candidate loaded its timeline');
  assert.ok(!got.some((x) => x.url.includes('/snapshots')), 'the candidate\'s page never asked for snapshots');
  for (const x of got) for (const k of [...STAFF_ONLY.slice(1), SNAP_NAME]) assert.ok(!x.body.includes(k), `the candidate got ${k} from ${x.url}`);
  const candBytes = Buffer.concat([...candFrames, ...replayFrames].map((f) => f.data));
  assert.ok(!candBytes.includes(Buffer.from('SNAP-NAME-s19')), 'a frame carried the snapshot name');
});
