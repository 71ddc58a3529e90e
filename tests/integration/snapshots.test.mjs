// Snapshots of a round (issue 19) against the real server, with Yjs clients as the reference:
// a snapshot at every phase boundary (automatic) and on demand by staff; staff restore the
// board or the code pad to one AS A NEW CHANGE: a Yjs client in the room sees the old content
// arrive as an ordinary update, a fresh client loads it from the store, and the history still
// answers every earlier moment as before. Candidates and observers are refused (403); bad
// input is a 4xx with nothing changed. Also who may watch the replay: the candidate once the
// loop has ended unless the host turned it off, observers always, neither ever sees a
// staff-only event.
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { api, fetchDoc, field, lenField, rawClient, sleep, varint, waitFor, WebSocket, Y } from './lib.mjs';

// ClientMessage {request_id = 1, timer = 4 {action = 1}} by hand.
let requestId = 1;
const timerMsg = (action) => Buffer.from([...field(1, 0, varint(requestId++)), ...lenField(4, field(1, 0, varint(action)))]);
const TIMER = { START: 1, NEXT: 4 };

function session(server, token) {
  const ws = new WebSocket(`${server.ws}/session?token=${token}`);
  ws.on('error', () => {});
  return { ws, opened: new Promise((resolve) => ws.once('open', resolve)) };
}

const sameState = (a, b) => Buffer.compare(Buffer.from(Y.encodeStateVector(a.doc)), Buffer.from(Y.encodeStateVector(b.doc))) === 0;
const STAFF_ONLY = ['note', 'scorecard_submitted', 'snapshot_taken', 'snapshot_restored'];

async function createLoop(server, extra = {}) {
  const created = await api(server, 'POST', '/api/loops', null, {
    templateId: 'single-coding', candidateName: 'Cam', hostName: 'Hana',
    participants: [{ displayName: 'Ivo', role: 'ROLE_INTERVIEWER' }, { displayName: 'Obi', role: 'ROLE_OBSERVER' }],
    ...extra,
  });
  assert.equal(created.status, 201, created.text);
  const inv = (role) => created.json.invites.find((i) => i.role === role);
  return { loop: created.json.loop, host: inv('ROLE_HOST').token, cand: inv('ROLE_CANDIDATE').token, ivo: inv('ROLE_INTERVIEWER'), obs: inv('ROLE_OBSERVER').token };
}

async function endRound(server, hs, base, host) {
  for (let k = 0; k < 12; k++) {
    const t = await api(server, 'GET', `${base}/timeline`, host);
    if (t.json.events.some((e) => e.kind === 'round_finished')) return;
    hs.ws.send(timerMsg(TIMER.NEXT));
    await sleep(100);
  }
  assert.fail('the round did not finish');
}

test('snapshots: phase boundaries and on demand; restore board and code as a new change; staff only', async (t) => {
  const server = await startServer(['--history-checkpoint-every', '10', '--doc-idle-unload', '1']);
  t.after(() => server.stop());
  const { loop, host, cand, ivo, obs } = await createLoop(server);
  const room = loop.rounds[0].roomId;
  const base = `/api/loops/${loop.id}/rounds/0`;
  const snaps = async (token = host) => api(server, 'GET', `${base}/snapshots`, token);

  const hs = session(server, host);
  await hs.opened;
  const c = rawClient(`${server.ws}/yjs/room-${room}?token=${cand}`);
  const i = rawClient(`${server.ws}/yjs/room-${room}?token=${ivo.token}`);
  await Promise.all([c.opened, i.opened]);
  await waitFor(() => c.syncedStep2 && i.syncedStep2, 'both clients synced');
  const edit = async (fn) => { c.edit(fn); await waitFor(() => sameState(c, i), 'relayed'); };

  hs.ws.send(timerMsg(TIMER.START));
  await waitFor(async () => (await snaps()).json?.snapshots?.length === 1, 'the phase 1 snapshot');

  const shape = (id, x, text) => (d) => {
    const m = new Y.Map();
    for (const [k, v] of Object.entries({ type: 'rect', x, y: 40, w: 120, h: 60, text })) m.set(k, v);
    d.getMap('board').get('shapes').set(id, m);
  };
  await edit((d) => { d.getMap('board').set('version', 2); d.getMap('board').set('shapes', new Y.Map()); });
  await edit(shape('a', 40, 'Client'));
  await edit(shape('b', 300, 'Cache'));
  await edit((d) => { d.getMap('codepad').set('language', 'python'); d.getText('code').insert(0, 'def get(k):\n    return cache[k] 😀\n'); });
  await sleep(20);
  const wantBoard = c.doc.getMap('board').toJSON();
  const wantCode = c.doc.getText('code').toString();

  // On demand: staff only, a bounded name.
  assert.equal((await api(server, 'POST', `${base}/snapshots`, cand, { name: 'mine' })).status, 403);
  assert.equal((await api(server, 'POST', `${base}/snapshots`, obs, { name: 'mine' })).status, 403);
  assert.equal((await api(server, 'POST', `${base}/snapshots`, ivo.token, { name: 'x'.repeat(81) })).status, 400);
  assert.equal((await api(server, 'POST', `${base}/snapshots`, ivo.token, { name: 'bad\u0007' })).status, 400);
  const taken = await api(server, 'POST', `${base}/snapshots`, ivo.token, { name: 'Two boxes' });
  assert.equal(taken.status, 201, taken.text);
  assert.equal(taken.json.name, 'Two boxes');
  assert.equal(taken.json.kind, 'manual');
  assert.equal(taken.json.by, ivo.participantId);
  await sleep(20);

  // Later edits: one shape gone, one moved, one added; the code rewritten.
  await edit((d) => d.getMap('board').get('shapes').delete('a'));
  await edit((d) => d.getMap('board').get('shapes').get('b').set('x', 500));
  await edit(shape('c', 700, 'DB'));
  await edit((d) => { const tx = d.getText('code'); tx.delete(0, tx.length); tx.insert(0, 'class LRU:\n    pass\n'); d.getMap('codepad').set('language', 'java'); });
  await sleep(20);
  const beforeRestore = Date.now();
  const laterBoard = c.doc.getMap('board').toJSON();
  await sleep(20);

  hs.ws.send(timerMsg(TIMER.NEXT));
  await waitFor(async () => (await snaps()).json.snapshots.length === 3, 'the phase 2 snapshot');
  const list = (await snaps()).json;
  assert.deepEqual(list.snapshots.map((s) => s.kind), ['phase', 'manual', 'phase']);
  assert.deepEqual(list.snapshots.map((s) => s.id), ['phase-1', 'snap-1', 'phase-2']);
  for (let k = 1; k < list.snapshots.length; k++) assert.ok(list.snapshots[k - 1].atMs <= list.snapshots[k].atMs);
  assert.ok(list.maxPerRound > 0);
  assert.equal((await snaps(cand)).status, 403);
  assert.equal((await snaps(obs)).status, 403);

  // Restore: staff only, bad input refused, nothing changed.
  const restore = (token, id, body) => api(server, 'POST', `${base}/snapshots/${id}/restore`, token, body);
  assert.equal((await restore(cand, 'snap-1', { target: 'board' })).status, 403);
  assert.equal((await restore(obs, 'snap-1', { target: 'board' })).status, 403);
  assert.equal((await restore(host, 'snap-1', { target: 'everything' })).status, 400);
  assert.equal((await restore(host, 'snap-1', {})).status, 400);
  assert.equal((await restore(host, 'snap-99', { target: 'board' })).status, 404);
  assert.deepEqual(c.doc.getMap('board').toJSON(), laterBoard, 'nothing changed');

  const received = c.received.length;
  const rb = await restore(host, 'snap-1', { target: 'board' });
  assert.equal(rb.status, 200, rb.text);
  await waitFor(() => isDeepStrictEqual(c.doc.getMap('board').toJSON(), wantBoard), 'the candidate sees the old board');
  assert.ok(c.received.length > received, 'it came as an update');
  assert.equal(c.doc.getText('code').toString(), 'class LRU:\n    pass\n', 'the code is untouched');
  await waitFor(() => sameState(c, i), 'both clients agree');
  assert.deepEqual(i.doc.getMap('board').toJSON(), wantBoard);

  const rc = await restore(ivo.token, 'snap-1', { target: 'code' });
  assert.equal(rc.status, 200, rc.text);
  await waitFor(() => c.doc.getText('code').toString() === wantCode, 'the candidate sees the old code');
  assert.equal(c.doc.getMap('codepad').get('language'), 'python');
  assert.deepEqual(c.doc.getMap('board').toJSON(), wantBoard);

  // A restore is an ordinary change: the candidate keeps editing on top of it.
  await edit(shape('d', 900, 'Queue'));
  assert.ok('d' in i.doc.getMap('board').get('shapes').toJSON());

  // The history still has everything: the moment before the restore is unchanged, and the
  // restore is the host's and the interviewer's edits on the timeline (plus staff events).
  const past = await api(server, 'GET', `${base}/state?at=${beforeRestore}`, host);
  assert.equal(past.status, 200, past.text);
  assert.deepEqual(past.json.board, laterBoard);
  assert.equal(past.json.code.text, 'class LRU:\n    pass\n');
  const now = await api(server, 'GET', `${base}/state?at=${Date.now() + 1000}`, host);
  assert.deepEqual(now.json.board, c.doc.getMap('board').toJSON());
  assert.equal(now.json.code.text, wantCode);
  const tl = (await api(server, 'GET', `${base}/timeline`, host)).json;
  const kinds = tl.events.map((e) => e.kind);
  assert.ok(kinds.includes('snapshot_taken') && kinds.filter((k) => k === 'snapshot_restored').length === 2, kinds.join(','));
  const hostId = loop.participants.find((p) => p.role === 'ROLE_HOST').id;
  assert.ok(tl.activity.some((a) => a.participantId === hostId), 'the restore is recorded as the host\'s edit');

  // Stored, not only broadcast: a fresh client loads the restored content.
  const fresh = await fetchDoc(server.ws, `room-${room}?token=${host}`);
  assert.equal(fresh.getText('code').toString(), wantCode);
  assert.deepEqual(fresh.getMap('board').toJSON(), c.doc.getMap('board').toJSON());

  // A restore into a document no one has open (unloaded): loaded, changed, stored.
  for (const cl of [c, i]) cl.ws.close();
  await sleep(2500);
  const r0 = await restore(host, 'phase-1', { target: 'code' });
  assert.equal(r0.status, 200, r0.text);
  const after = await fetchDoc(server.ws, `room-${room}?token=${host}`);
  assert.equal(after.getText('code').toString(), '', 'the code as it was when phase 1 started');
  assert.ok('d' in after.getMap('board').get('shapes').toJSON(), 'the board untouched');

  // The limit on snapshots taken on demand (kMaxSnapshotsPerRound).
  let refused = null;
  for (let k = 0; k < 60 && !refused; k++) {
    const r = await api(server, 'POST', `${base}/snapshots`, host, { name: `s${k}` });
    if (r.status !== 201) refused = r;
  }
  assert.ok(refused, 'a limit was reached');
  assert.equal(refused.status, 409, refused.text);
  assert.match(refused.json.error.message, /at most \d+/);

  // After the loop: the candidate may watch (default on) and sees no snapshot event.
  await endRound(server, hs, base, host);
  const ct = await api(server, 'GET', `${base}/timeline`, cand);
  assert.equal(ct.status, 200, ct.text);
  assert.equal(ct.json.staffEvents, false);
  for (const e of ct.json.events) assert.ok(!STAFF_ONLY.includes(e.kind), e.kind);
  assert.equal((await snaps(cand)).status, 403, 'snapshots stay staff only after the loop');
  hs.ws.close();
});

test('who may watch: observers always, the candidate after the loop unless the host turned it off; no staff-only event', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  for (const hidden of [false, true]) {
    const { loop, host, cand, ivo, obs } = await createLoop(server, hidden ? { replayHiddenFromCandidate: true } : {});
    assert.equal(Boolean(loop.replayHiddenFromCandidate), hidden);
    const base = `/api/loops/${loop.id}/rounds/0`;
    const hs = session(server, host);
    await hs.opened;
    hs.ws.send(timerMsg(TIMER.START));
    await waitFor(async () => (await api(server, 'GET', `${base}/timeline`, host)).json.events.some((e) => e.kind === 'phase_started'), 'started');
    // Staff-only material: a submitted scorecard and a snapshot.
    assert.equal((await api(server, 'PUT', `${base}/scorecard`, ivo.token, { overall: 'RATING_HIRE', summary: 'SECRET-7' })).status, 200);
    assert.equal((await api(server, 'POST', `${base}/scorecard/submit`, ivo.token)).status, 200);
    assert.equal((await api(server, 'POST', `${base}/snapshots`, host, { name: 'SECRET-SNAP' })).status, 201);

    // Observers watch during the loop, without staff-only events.
    const during = await api(server, 'GET', `${base}/timeline`, obs);
    assert.equal(during.status, 200, during.text);
    assert.equal(during.json.staffEvents, false);
    assert.equal((await api(server, 'GET', `${base}/timeline`, cand)).status, 403, 'the candidate waits for the end');
    assert.equal((await api(server, 'GET', `${base}/state?at=${Date.now()}`, cand)).status, 403);

    await endRound(server, hs, base, host);
    const staff = (await api(server, 'GET', `${base}/timeline`, host)).json;
    assert.ok(staff.events.some((e) => e.kind === 'scorecard_submitted') && staff.events.some((e) => e.kind === 'snapshot_taken'));
    const readers = hidden ? [obs] : [obs, cand];
    for (const token of readers) {
      const tl = await api(server, 'GET', `${base}/timeline`, token);
      const st = await api(server, 'GET', `${base}/state?at=${Date.now()}`, token);
      assert.equal(tl.status, 200, tl.text);
      assert.equal(st.status, 200, st.text);
      assert.equal(tl.json.staffEvents, false);
      for (const e of tl.json.events) assert.ok(!STAFF_ONLY.includes(e.kind), e.kind);
      for (const text of [tl.text, st.text]) assert.ok(!text.includes('SECRET'), 'nothing staff-only');
    }
    if (hidden) {
      assert.equal((await api(server, 'GET', `${base}/timeline`, cand)).status, 403, 'the host turned it off');
      assert.equal((await api(server, 'GET', `${base}/state?at=${Date.now()}`, cand)).status, 403);
    }
    hs.ws.close();
  }
});
