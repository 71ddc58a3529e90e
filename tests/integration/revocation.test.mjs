// Revocation and expiry on every channel, against the real server: revoking an invite
// closes that token's /yjs connections and /session with 4401 within a second; an expired
// invite is refused everywhere (REST 401, /yjs and /session 4401) and its open connections
// are closed; refusals carry 4000 + the HTTP status as their close code.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { api, closeOf, rawClient, waitFor, WebSocket } from './lib.mjs';

function session(server, token) {
  const ws = new WebSocket(`${server.ws}/session?token=${token}`);
  ws.on('error', () => {});
  const s = { ws, close: null };
  s.opened = new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('close', () => reject(new Error('closed'))); });
  s.closed = new Promise((resolve) => ws.on('close', (code, reason) => { s.close = { code, reason: reason.toString(), at: Date.now() }; resolve(s.close); }));
  return s;
}

// `p`, or a failure naming `what` after `ms` (a missed close fails instead of hanging).
function within(p, ms, what) {
  let timer;
  const late = new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms); });
  return Promise.race([p, late]).finally(() => clearTimeout(timer));
}

async function createLoop(server, participants) {
  const r = await api(server, 'POST', '/api/loops', null, { templateId: 'l6-loop', hostName: 'Grace', participants });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  const byName = Object.fromEntries(r.json.invites.map((i) => [i.displayName, i]));
  return { loop: r.json.loop, byName };
}

test('revoking an interviewer closes its notes-doc and session connections with 4401 within 1 s', async (t) => {
  const server = await startServer([]);
  t.after(() => server.stop());
  const { loop, byName } = await createLoop(server, [{ displayName: 'Lin', role: 'ROLE_INTERVIEWER', roundIndexes: [1] }]);
  const lin = byName.Lin;
  const notesDoc = `${server.ws}/yjs/room-${loop.rounds[1].roomId}-notes-${lin.participantId}?token=${lin.token}`;
  const sharedDoc = `${server.ws}/yjs/room-${loop.rounds[1].roomId}?token=${lin.token}`;
  const notes = rawClient(notesDoc);
  const board = rawClient(sharedDoc);
  await Promise.all([notes.opened, board.opened]);
  await waitFor(() => notes.syncedStep2 && board.syncedStep2, 'interviewer synced both docs');
  notes.edit((d) => d.getText('notes').insert(0, 'before revocation'));
  const s = session(server, lin.token);
  await s.opened;

  const host = byName.Grace.token;
  const t0 = Date.now();
  const rev = await api(server, 'POST', `/api/loops/${loop.id}/tokens/${lin.tokenId}/revoke`, host);
  assert.equal(rev.status, 200);
  const [nc, bc, sc] = await within(Promise.all([notes.closed, board.closed, s.closed]), 15000, 'closes after the revocation');
  const elapsed = Date.now() - t0;
  t.diagnostic(`closed after ${elapsed} ms: ${JSON.stringify([nc, bc, sc])}`);
  for (const c of [nc, bc, sc]) {
    assert.equal(c.code, 4401);
    assert.match(c.reason, /revoked/);
  }
  assert.ok(elapsed < 1000, `closed within 1 s (took ${elapsed} ms)`);

  // The revoked token opens nothing any more.
  const again = await closeOf(notesDoc);
  assert.equal(again.code, 4401);
  assert.equal((await closeOf(`${server.ws}/session?token=${lin.token}`)).code, 4401);
  assert.equal((await api(server, 'GET', `/api/loops/${loop.id}`, lin.token)).status, 401);
});

test('an expired invite is refused everywhere and its open connections are closed with 4401', async (t) => {
  const server = await startServer([]);
  t.after(() => server.stop());
  const expiresAtMs = Date.now() + 1500;
  const { loop, byName } = await createLoop(server, [
    { displayName: 'Tmp', role: 'ROLE_INTERVIEWER', expiresAtMs },
  ]);
  const tmp = byName.Tmp;
  assert.equal(Number(tmp.expiresAtMs), expiresAtMs);
  const doc = `${server.ws}/yjs/room-${loop.rounds[0].roomId}-notes-${tmp.participantId}?token=${tmp.token}`;
  const c = rawClient(doc);
  await c.opened;
  await waitFor(() => c.syncedStep2, 'synced before expiry');
  const s = session(server, tmp.token);
  await s.opened;
  const [dc, sc] = await within(Promise.all([c.closed, s.closed]), 15000, 'closes after the expiry');
  t.diagnostic(`closed ${Date.now() - expiresAtMs} ms after expiry: ${JSON.stringify([dc, sc])}`);
  assert.equal(dc.code, 4401);
  assert.equal(sc.code, 4401);
  assert.match(dc.reason, /expired/);
  assert.equal((await closeOf(doc)).code, 4401);
  assert.equal((await closeOf(`${server.ws}/session?token=${tmp.token}`)).code, 4401);
  const rest = await api(server, 'GET', `/api/loops/${loop.id}`, tmp.token);
  assert.equal(rest.status, 401);
  assert.equal(rest.json.error.code, 'unauthenticated');
  // An expiry in the past is refused when the loop is created.
  const past = await api(server, 'POST', '/api/loops', null,
    { templateId: 'l6-loop', participants: [{ displayName: 'Old', role: 'ROLE_OBSERVER', expiresAtMs: Date.now() - 1 }] });
  assert.equal(past.status, 400);
});

test('refusals close with 4000 + the HTTP status; study tokens get 403 on loop resources', async (t) => {
  const server = await startServer([]);
  t.after(() => server.stop());
  const { loop, byName } = await createLoop(server, []);
  const study = (await api(server, 'POST', '/api/study-rooms', null, {})).json;
  // A study token: its own doc opens; loop docs, sessions and question banks are forbidden.
  const own = rawClient(`${server.ws}/yjs/${study.docName}?token=${study.token}`);
  await own.opened;
  await waitFor(() => own.syncedStep2, 'study doc synced');
  own.ws.close();
  assert.equal((await closeOf(`${server.ws}/yjs/room-${loop.rounds[0].roomId}?token=${study.token}`)).code, 4403);
  assert.equal((await closeOf(`${server.ws}/session?token=${study.token}`)).code, 4403);
  const q = await api(server, 'GET', '/api/questions', study.token);
  assert.equal(q.status, 403);
  assert.equal(q.json.error.code, 'forbidden');
  // The candidate may not open the private doc; an unknown doc is 4404.
  const candidate = Object.values(byName).find((i) => i.role === 'ROLE_CANDIDATE');
  assert.equal((await closeOf(`${server.ws}/yjs/room-${loop.rounds[0].roomId}-private?token=${candidate.token}`)).code, 4403);
  assert.equal((await closeOf(`${server.ws}/yjs/room-nosuchroom?token=${byName.Grace.token}`)).code, 4404);
  assert.equal((await closeOf(`${server.ws}/yjs/room-x?token=not-a-token`)).code, 4401);
});
