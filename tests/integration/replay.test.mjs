// The round replay (issue 19) against the real server, with Yjs as the reference: two Yjs
// clients (candidate and interviewer) and the host's session drive a round at known moments
// (board shapes, code edits, phase changes, a question, a code run when the sandbox works,
// staff notes, a submitted scorecard). Then GET .../state?at=<moment> must equal a Yjs doc
// built from the updates sent before that moment, GET .../timeline must list the events in
// order and filter them by role (the candidate never sees notes or scorecards, and may watch
// only once the loop has ended); compaction and a restart in between change no answer.
import http from 'node:http';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { api, field, lenField, rawClient, sleep, varint, waitFor, WebSocket, Y } from './lib.mjs';

// ---- protobuf by hand: ClientMessage {request_id = 1, timer = 4 {action = 1}, select_question = 5 {question_id = 1}}
let requestId = 1;
const clientMessage = (body) => Buffer.from([...field(1, 0, varint(requestId++)), ...body]);
const TIMER = { START: 1, PAUSE: 2, RESUME: 3, NEXT: 4, EXTEND: 6 };
const timerMsg = (action, extendSeconds = 0) =>
  clientMessage(lenField(4, [...field(1, 0, varint(action)), ...(extendSeconds ? field(2, 0, varint(extendSeconds)) : [])]));
const questionMsg = (id) => clientMessage(lenField(5, lenField(1, [...Buffer.from(id)])));

function session(server, token) {
  const ws = new WebSocket(`${server.ws}/session?token=${token}`);
  ws.on('error', () => {});
  const s = { ws, frames: [] };
  ws.on('message', (d) => s.frames.push(Buffer.from(d)));
  s.opened = new Promise((resolve) => ws.once('open', resolve));
  return s;
}

const sameState = (a, b) => Buffer.compare(Buffer.from(Y.encodeStateVector(a.doc)), Buffer.from(Y.encodeStateVector(b.doc))) === 0;

test('state?at= equals the Yjs doc at each moment; the timeline is ordered and filtered; restart changes nothing', async (t) => {
  const flags = ['--history-checkpoint-every', '10', '--compact-after', '10', '--doc-idle-unload', '1'];
  let server = await startServer(flags);
  t.after(() => server.stop());

  const created = await api(server, 'POST', '/api/loops', null, {
    templateId: 'single-coding', candidateName: 'Cam', hostName: 'Hana',
    participants: [{ displayName: 'Ivo', role: 'ROLE_INTERVIEWER' }],
  });
  assert.equal(created.status, 201, created.text);
  const loop = created.json.loop;
  const inv = (role) => created.json.invites.find((i) => i.role === role);
  const host = inv('ROLE_HOST').token, cand = inv('ROLE_CANDIDATE').token, ivo = inv('ROLE_INTERVIEWER');
  const room = loop.rounds[0].roomId;
  const base = `/api/loops/${loop.id}/rounds/0`;

  const hs = session(server, host);
  await hs.opened;
  const c = rawClient(`${server.ws}/yjs/room-${room}?token=${cand}`);
  const i = rawClient(`${server.ws}/yjs/room-${room}?token=${ivo.token}`);
  await Promise.all([c.opened, i.opened]);
  await waitFor(() => c.syncedStep2 && i.syncedStep2, 'both clients synced');

  const ref = new Y.Doc();  // every update in the order it was sent: the reference
  const sent = [];
  const edit = async (client, other, fn) => {
    const u = client.edit(fn);
    if (!u) return;
    sent.push(u);
    Y.applyUpdate(ref, u);
    await waitFor(() => sameState(client, other), 'the update relayed (committed)');
  };
  const moments = [];
  const mark = async (label, timer) => {
    await sleep(15);
    const at = Date.now();
    const doc = new Y.Doc();
    for (const u of sent) Y.applyUpdate(doc, u);
    moments.push({ label, at, board: doc.getMap('board').toJSON(), code: doc.getText('code').toString(), timer });
    await sleep(15);
  };
  const timeline = async (token) => api(server, 'GET', `${base}/timeline`, token);
  const eventCount = async (kind) => (await timeline(host)).json.events.filter((e) => e.kind === kind).length;

  // Phase 1 starts.
  hs.ws.send(timerMsg(TIMER.START));
  await waitFor(async () => (await eventCount('phase_started')) === 1, 'phase 1 started');
  await mark('started, empty board', { phaseIndex: 0, status: 'running' });

  // The candidate draws three shapes and an arrow.
  await edit(c, i, (d) => {
    const board = d.getMap('board');
    board.set('version', 1);
    board.set('shapes', new Y.Map());
  });
  const shape = (id, type, x, y, extra = {}) => (d) => {
    const m = new Y.Map();
    for (const [k, v] of Object.entries({ type, x, y, w: 120, h: 60, z: x, ...extra })) m.set(k, v);
    d.getMap('board').get('shapes').set(id, m);
  };
  await edit(c, i, shape('client', 'rect', 40, 40, { text: 'Client' }));
  await edit(c, i, shape('cache', 'ellipse', 300, 40, { text: 'Cache', fill: '#fde68a' }));
  await edit(c, i, shape('db', 'diamond', 300, 240, { text: 'DB' }));
  await edit(c, i, shape('a1', 'arrow', 160, 70, { from: 'client', to: 'cache', points: [160, 70, 300, 70] }));
  await mark('four shapes', { phaseIndex: 0, status: 'running' });

  // The interviewer sets the language and types code; the host asks the question.
  await edit(i, c, (d) => d.getMap('codepad').set('language', 'python'));
  for (const line of ['class LRU:\n', '    def __init__(self, n):\n', '        self.n = n\n'])
    await edit(i, c, (d) => d.getText('code').insert(d.getText('code').length, line));
  hs.ws.send(questionMsg('code-lru-cache'));
  await waitFor(async () => (await eventCount('question_asked')) === 1, 'question recorded');
  await mark('code typed, question asked', { phaseIndex: 0, status: 'running' });

  // Phase 2 (a phase boundary: a checkpoint), then many small edits (past checkpoint-every).
  hs.ws.send(timerMsg(TIMER.NEXT));
  await waitFor(async () => (await eventCount('phase_started')) === 2, 'phase 2 started');
  for (let k = 0; k < 14; k++) {
    await edit(c, i, (d) => d.getMap('board').get('shapes').get('cache').set('x', 300 + k * 5));
    await edit(i, c, (d) => d.getText('code').insert(d.getText('code').length, `        # step ${k}\n`));
  }
  await edit(c, i, (d) => d.getMap('board').get('shapes').delete('db'));
  await edit(c, i, (d) => d.getText('code').delete(0, 5));
  await mark('after many edits and a deletion', { phaseIndex: 1, status: 'running' });

  // A pause and an extension.
  hs.ws.send(timerMsg(TIMER.PAUSE));
  await waitFor(async () => (await eventCount('phase_paused')) === 1, 'paused');
  await mark('paused', { phaseIndex: 1, status: 'paused' });
  hs.ws.send(timerMsg(TIMER.RESUME));
  hs.ws.send(timerMsg(TIMER.EXTEND, 120));
  await waitFor(async () => (await eventCount('phase_extended')) === 1, 'extended');

  // A code run, when this machine's sandbox works.
  const rt = await api(server, 'GET', '/api/runtimes');
  const canRun = rt.json?.sandbox?.ok && rt.json.runtimes.some((r) => r.id === 'python' && r.available);
  if (canRun) {
    const start = await api(server, 'POST', `${base}/runs`, cand, { language: 'python', code: 'print(1)', tests: 'none' });
    assert.equal(start.status, 202, start.text);
    await waitFor(async () => (await api(server, 'GET', `${base}/runs/${start.json.runId}`, cand)).json?.status === 'done',
      'run done', 30000, 100);
  } else {
    t.diagnostic(`no code run: the sandbox is unavailable here (${JSON.stringify(rt.json?.sandbox)})`);
  }

  // Staff-only material: the interviewer's notes and a submitted scorecard.
  const notesSecret = 'drew the cache before the requirements SECRET-NOTE-4c1';
  const notes = rawClient(`${server.ws}/yjs/room-${room}-notes-${ivo.participantId}?token=${ivo.token}`);
  await notes.opened;
  await waitFor(() => notes.syncedStep2, 'notes synced');
  const noteUpdate = notes.edit((d) => {
    d.getText('notes').insert(0, `[0:05] ${notesSecret}\n`);
    d.getArray('stamps').push([{ serverTimeMs: Date.now(), elapsedMs: 5200, pos: null }]);
  });
  assert.ok(noteUpdate);
  // Evidence links: a rating cites the moment the four shapes were drawn (momentsMs).
  const cited = moments[1].at;
  const tooMany = await api(server, 'PUT', `${base}/scorecard`, ivo.token,
    { overall: 'RATING_HIRE', lpSignals: [{ lpId: 'dive-deep', rating: 'RATING_HIRE', momentsMs: Array(9).fill(cited) }] });
  assert.equal(tooMany.status, 400, tooMany.text);
  for (const outside of [loop.createdAtMs - 1, Date.now() + 60_000]) {
    const r = await api(server, 'PUT', `${base}/scorecard`, ivo.token,
      { overall: 'RATING_HIRE', lpSignals: [{ lpId: 'dive-deep', rating: 'RATING_HIRE', momentsMs: [outside] }] });
    assert.equal(r.status, 400, `a moment outside the loop's time: ${r.text}`);
  }
  const save = await api(server, 'PUT', `${base}/scorecard`, ivo.token, {
    overall: 'RATING_HIRE', summary: 'SECRET-SUMMARY-77',
    lpSignals: [{ lpId: 'dive-deep', rating: 'RATING_HIRE', evidence: 'cache first', momentsMs: [cited] }],
  });
  assert.equal(save.status, 200, save.text);
  const back = await api(server, 'GET', `${base}/scorecard`, ivo.token);
  assert.deepEqual(JSON.stringify(back.json).match(/"momentsMs":\[[^\]]*\]/)?.[0], `"momentsMs":["${cited}"]`, back.text);
  const submit = await api(server, 'POST', `${base}/scorecard/submit`, ivo.token);
  assert.equal(submit.status, 200, submit.text);

  // Before the loop ends the candidate may not watch.
  assert.equal((await timeline(cand)).status, 403);
  assert.equal((await api(server, 'GET', `${base}/state?at=${moments[0].at}`, cand)).status, 403);

  // The round ends (next past the last phase): the loop has ended.
  for (let k = 0; k < 12 && (await eventCount('round_finished')) === 0; k++) {
    hs.ws.send(timerMsg(TIMER.NEXT));
    await sleep(100);
  }
  assert.equal(await eventCount('round_finished'), 1);
  await mark('finished', { status: 'finished' });

  // ---- the answers ----
  const answers = async () => {
    const out = { states: [] };
    for (const m of moments) {
      const r = await api(server, 'GET', `${base}/state?at=${m.at}`, host);
      assert.equal(r.status, 200, r.text);
      out.states.push(r.json);
    }
    out.host = (await timeline(host)).json;
    out.cand = await timeline(cand);
    out.candState = await api(server, 'GET', `${base}/state?at=${moments[2].at}`, cand);
    return out;
  };
  const check = (a) => {
    moments.forEach((m, k) => {
      const s = a.states[k];
      assert.deepEqual(s.board, m.board, `board at "${m.label}"`);
      assert.equal(s.code.text, m.code, `code at "${m.label}"`);
      for (const [key, v] of Object.entries(m.timer)) assert.equal(s.timer[key], v, `timer.${key} at "${m.label}"`);
    });
    assert.equal(a.states[0].question, null);
    assert.equal(a.states[2].question.id, 'code-lru-cache');
    assert.equal(a.states[2].code.language, 'python');
    assert.ok(Object.keys(a.states[1].board.shapes).length === 4 && !('db' in a.states[3].board.shapes));
    // At least one moment was rebuilt from a checkpoint rather than from the first update.
    assert.ok(a.states.some((s) => s.rebuiltFrom.checkpointSeq > 0), JSON.stringify(a.states.map((s) => s.rebuiltFrom)));

    const ev = a.host.events;
    for (let k = 1; k < ev.length; k++) assert.ok(ev[k - 1].atMs <= ev[k].atMs, 'events in time order');
    const kinds = ev.map((e) => e.kind);
    const first = (kind) => kinds.indexOf(kind);
    for (const kind of ['phase_started', 'question_asked', 'phase_paused', 'phase_resumed', 'phase_extended',
      'participant_joined', 'edits', 'note', 'scorecard_submitted', 'round_finished'])
      assert.ok(first(kind) >= 0, `host timeline has ${kind}: ${kinds.join(',')}`);
    if (canRun) assert.ok(first('code_run') > first('phase_extended'), 'the run after the extension');
    assert.ok(first('phase_started') < first('question_asked') && first('question_asked') < first('phase_paused'));
    assert.ok(kinds.indexOf('phase_started', first('phase_started') + 1) < first('phase_paused'), 'phase 2 before the pause');
    assert.ok(first('scorecard_submitted') < first('round_finished'));
    assert.ok(ev.find((e) => e.kind === 'note').summary.includes(notesSecret));
    assert.equal(ev.find((e) => e.kind === 'note').participantId, ivo.participantId);
    assert.ok(a.host.staffEvents);
    assert.ok(a.host.phases.length >= 2 && a.host.phases[0].index === 0);
    const edits = ev.filter((e) => e.kind === 'edits').map((e) => e.participantId);
    assert.ok(edits.includes(ivo.participantId) && edits.includes(inv('ROLE_CANDIDATE').participantId), 'edits by both');
    assert.ok(!JSON.stringify(a.host).includes(host) && !JSON.stringify(a.host).includes(ivo.token), 'no token in a timeline');

    // The candidate, after the loop: the same timeline without staff-only events.
    assert.equal(a.cand.status, 200, a.cand.text);
    assert.equal(a.cand.json.staffEvents, false);
    const ck = a.cand.json.events.map((e) => e.kind);
    assert.ok(!ck.includes('note') && !ck.includes('scorecard_submitted'));
    assert.ok(ck.includes('phase_started') && ck.includes('question_asked') && ck.includes('edits'));
    for (const text of [a.cand.text, a.candState.text]) {
      assert.ok(!text.includes('SECRET'), 'nothing staff-only in the candidate\'s answers');
    }
    assert.deepEqual(a.candState.json.board, moments[2].board);
  };

  const before = await answers();
  check(before);
  // The log was compacted (every 10 updates) between the marked moments and these answers:
  // the history answered them all the same.
  const metrics = await (await fetch(`${server.url}/metrics`)).text();
  assert.ok(Number(metrics.match(/^mockloop_doc_compactions_total (\d+)/m)?.[1] ?? 0) > 0, 'a compaction happened in between');

  // The HTML report links the cited moment to the replay and embeds the board as it was then.
  const report = await fetch(`${server.url}/api/loops/${loop.id}/debrief`, { headers: { authorization: `Bearer ${host}`, accept: 'text/html' } });
  assert.equal(report.status, 200);
  const html = await report.text();
  assert.ok(html.includes(`href="/replay/${loop.id}/0?at=${cited}"`), 'a link to the replay at the cited moment');
  // A copy saved to disk still reaches this server: the head names it as the links' base.
  assert.ok(html.includes(`<head><base href="${server.url}/">`), 'the report names this server as its base');
  // fetch() sets Host from the URL; node:http sends the one given.
  const spoofed = await new Promise((resolve, reject) => {
    const rq = http.get(`${server.url}/api/loops/${loop.id}/debrief`, { headers: { authorization: `Bearer ${host}`, accept: 'text/html', host: 'evil.example/"x' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode, body }));
    });
    rq.on('error', reject);
  });
  assert.equal(spoofed.status, 200);
  assert.ok(spoofed.body.includes('<svg') && !spoofed.body.includes('<base'), 'a Host header that is not a host name gets no base');
  const figure = html.slice(html.indexOf(`data-moment="${cited}"`));
  assert.ok(figure.length > 0 && figure.indexOf('<svg') >= 0 && figure.indexOf('<svg') < figure.indexOf('</figure>'), 'the board at that moment');
  const fig = figure.slice(0, figure.indexOf('</figure>'));
  assert.ok(fig.includes('Client') && fig.includes('Cache') && fig.includes('DB'), 'the four shapes of that moment');

  // Compaction (idle unload compacts) and a restart: the same answers.
  for (const cl of [c, i, notes]) cl.ws.close();
  hs.ws.close();
  await sleep(2500);
  const dir = server.dir;
  await server.stop();
  server = await startServer(flags, { dir });
  const after = await answers();
  check(after);
  assert.deepEqual(after.states, before.states);
  // Presence: the restart closed the sessions; their "left" events may be added, nothing else.
  const strip = (tl) => tl.events.filter((e) => e.kind !== 'participant_left');
  assert.deepEqual(strip(after.host), strip(before.host));

  // Bad input: a malformed moment is a 400, another loop's round a 404.
  assert.equal((await api(server, 'GET', `${base}/state?at=soon`, host)).status, 400);
  assert.equal((await api(server, 'GET', `/api/loops/${loop.id}/rounds/7/timeline`, host)).status, 404);
});
