// Code runs against the real server and the real sandbox (issue 16): GET /api/runtimes, a
// candidate's run of all tests (the server keeps hidden test inputs and outputs out of the
// candidate's REST answers AND session frames, while staff see them), verdicts, one run in
// flight per round, request bounds, and a server whose sandbox cannot work refusing runs
// with the reason in /api/runtimes. Also: the staff-only switch that lets the candidate run
// the hidden tests, stdout streamed while a run goes (a hidden test's pieces to staff only),
// and compile/runtime errors mapped to source lines. Study rooms: runs on custom stdin only,
// shared with every peer. And 20 runs at once in 20 rooms: queued, all served, the server
// responsive meanwhile (a doc edit crosses a pair, REST answers).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, startServer } from '../support/server.mjs';
import { api, rawClient, sleep, waitFor, WebSocket } from './lib.mjs';

// A /session connection that keeps every binary frame it receives.
function session(server, token) {
  const ws = new WebSocket(`${server.ws}/session?token=${token}`);
  ws.on('error', () => {});
  const s = { ws, frames: [] };
  ws.on('message', (data) => s.frames.push(Buffer.from(data)));
  s.opened = new Promise((resolve) => ws.once('open', resolve));
  s.text = () => Buffer.concat(s.frames).toString('latin1');
  return s;
}

const lru = JSON.parse(readFileSync(path.join(repoRoot, 'content', 'coding_tests', 'code-lru-cache.json'), 'utf8'));
// How a hidden input appears inside a JSON string (newlines escaped).
const hiddenInputs = lru.hidden.map((t) => JSON.stringify(t.stdin).slice(1, -1)).filter((s) => s.length >= 20);
// Hidden expected outputs, raw (as streamed pieces carry them) and JSON-escaped.
const hiddenOutputs = lru.hidden.map((t) => t.expected).filter((s) => s.length >= 20);

async function waitDone(server, base, runId, token) {
  let run;
  await waitFor(async () => {
    run = (await api(server, 'GET', `${base}/${runId}`, token)).json;
    return run && run.status === 'done';
  }, `run ${runId} done`, 30000, 100);
  return run;
}

test('runs in a coding round: verdicts, hidden tests only for staff, shared over the session', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());

  const rt = await api(server, 'GET', '/api/runtimes');
  assert.equal(rt.status, 200);
  assert.equal(rt.json.sandbox.ok, true, JSON.stringify(rt.json));
  for (const id of ['python', 'javascript', 'cpp'])
    assert.equal(rt.json.runtimes.find((r) => r.id === id)?.available, true, `${id} available`);
  for (const r of rt.json.runtimes) if (!r.available) assert.ok(r.reason, `${r.id} says why it is unavailable`);
  // No cgroup limits are applied yet; /api/runtimes says what the machine offers and why.
  assert.equal(rt.json.cgroup.applied, false);
  assert.match(rt.json.cgroup.reason, /RLIMIT_AS/);

  const created = await api(server, 'POST', '/api/loops', null, {
    templateId: 'single-coding', candidateName: 'Cam', hostName: 'Hana',
    participants: [{ displayName: 'Ivo', role: 'ROLE_INTERVIEWER' }],
  });
  assert.equal(created.status, 201);
  const loopId = created.json.loop.id;
  const token = (role) => created.json.invites.find((i) => i.role === role).token;
  const cand = token('ROLE_CANDIDATE');
  const inter = token('ROLE_INTERVIEWER');
  const base = `/api/loops/${loopId}/rounds/0/runs`;

  const cs = session(server, cand);
  const is = session(server, inter);
  await Promise.all([cs.opened, is.opened]);
  await waitFor(() => cs.frames.length > 0 && is.frames.length > 0, 'snapshots');

  // Hidden tests are the interviewer's to open: refused to the candidate until allowed.
  const settings = `/api/loops/${loopId}/rounds/0/run-settings`;
  const refused = await api(server, 'POST', base, cand, { language: 'python', code: 'print(1)', tests: 'all', questionId: 'code-lru-cache' });
  assert.equal(refused.status, 403, JSON.stringify(refused.json));
  assert.match(refused.json.error.message, /not allowed the hidden tests/);
  assert.equal((await api(server, 'PUT', settings, cand, { candidateMayRunHidden: true })).status, 403);
  assert.equal((await api(server, 'PUT', settings, inter, { candidateMayRunHidden: 'yes' })).status, 400);
  assert.deepEqual((await api(server, 'PUT', settings, inter, { candidateMayRunHidden: true })).json, { candidateMayRunHidden: true });
  assert.deepEqual((await api(server, 'GET', settings, cand)).json, { candidateMayRunHidden: true });

  // The candidate runs the reference solution against every test.
  const start = await api(server, 'POST', base, cand, {
    language: 'python', code: lru.reference.python, tests: 'all', questionId: 'code-lru-cache',
  });
  assert.equal(start.status, 202, JSON.stringify(start.json));
  const { runId } = start.json;
  assert.equal(start.location, `/api/v1${base.slice(4)}/${runId}`);
  // One run in flight per round.
  const second = await api(server, 'POST', base, inter, { language: 'python', code: 'print(1)' });
  assert.equal(second.status, 429, JSON.stringify(second.json));

  const candView = await waitDone(server, base, runId, cand);
  assert.equal(candView.verdict, 'OK');
  assert.deepEqual(candView.hidden, { passed: lru.hidden.length, total: lru.hidden.length });
  assert.equal(candView.tests.length, lru.samples.length, 'the candidate sees the sample tests only');
  for (const tc of candView.tests) assert.equal(tc.hidden, false);
  const staffView = (await api(server, 'GET', `${base}/${runId}`, inter)).json;
  assert.equal(staffView.tests.length, lru.samples.length + lru.hidden.length);
  assert.equal(staffView.tests.filter((x) => x.hidden).length, lru.hidden.length);
  assert.ok(staffView.tests.every((x) => x.verdict === 'OK'));

  // Both sessions got the result; only the interviewer's frames carry hidden inputs.
  await waitFor(() => cs.text().includes(runId) && cs.text().includes('"status":"done"'), 'candidate run_update');
  await waitFor(() => is.text().includes('"status":"done"'), 'interviewer run_update');
  assert.ok(hiddenInputs.length >= 2);
  for (const h of hiddenInputs) {
    assert.ok(!cs.text().includes(h), 'a hidden input reached the candidate');
    assert.ok(!JSON.stringify(candView).includes(h));
  }
  assert.ok(hiddenInputs.some((h) => is.text().includes(h)), 'the interviewer sees hidden inputs');
  // Streamed pieces of hidden tests went to the interviewer only (raw bytes in RunOutputChunk).
  assert.ok(hiddenOutputs.length >= 2);
  for (const o of hiddenOutputs) {
    assert.ok(!cs.text().includes(o), 'a hidden output reached the candidate');
    assert.ok(!cs.text().includes(JSON.stringify(o).slice(1, -1)), 'a hidden output reached the candidate (JSON)');
  }
  assert.ok(hiddenOutputs.some((o) => is.text().includes(o)), 'the interviewer saw hidden outputs stream');
  const list = (await api(server, 'GET', base, cand)).json;
  assert.equal(list.runs.length, 1);
  for (const h of hiddenInputs) assert.ok(!JSON.stringify(list).includes(h));

  // A wrong answer, a C++ run with stdin, a compile error.
  const wrong = await api(server, 'POST', base, cand, { language: 'javascript', code: 'console.log(42)', tests: 'sample', questionId: 'code-lru-cache' });
  assert.equal(wrong.status, 202);
  assert.equal((await waitDone(server, base, wrong.json.runId, cand)).verdict, 'WRONG_ANSWER');
  const cpp = await api(server, 'POST', base, cand, { language: 'cpp', code: '#include <iostream>\nint main(){int a,b;std::cin>>a>>b;std::cout<<a*b<<"\\n";}', stdin: '6 7\n' });
  const cppRun = await waitDone(server, base, cpp.json.runId, cand);
  assert.equal(cppRun.verdict, 'OK', JSON.stringify(cppRun));
  assert.equal(cppRun.tests[0].stdout, '42\n');
  const bad = await api(server, 'POST', base, cand, { language: 'cpp', code: 'int main() { return y; }' });
  const badRun = await waitDone(server, base, bad.json.runId, cand);
  assert.equal(badRun.verdict, 'COMPILE_ERROR');
  assert.match(badRun.compile.stderr, /main\.cpp:1:/);

  // The debrief report lists the round's runs (count and last verdicts).
  const host = token('ROLE_HOST');
  const report = await fetch(`${server.url}/api/loops/${loopId}/debrief`, { headers: { authorization: `Bearer ${host}`, accept: 'text/html' } });
  assert.equal(report.status, 200);
  const html = await report.text();
  assert.match(html, /data-runs="4">4 runs/);
  assert.match(html, /Cam, python \(all\): OK 8\/8/);
  assert.match(html, /COMPILE_ERROR/);

  // Output streams while the program runs: the pieces reach the candidate's session before
  // the run is done (the program sleeps between lines, so they cannot all come at the end).
  const streaming = await api(server, 'POST', base, cand, {
    language: 'python', code: "import time\nfor i in range(5):\n    print('tick-%d' % i, flush=True)\n    time.sleep(0.6)\n",
  });
  assert.equal(streaming.status, 202);
  await waitFor(() => cs.text().includes('tick-1'), 'a streamed piece', 20000, 20);
  const doneWhenSeen = (await api(server, 'GET', `${base}/${streaming.json.runId}`, cand)).json.status;
  assert.notEqual(doneWhenSeen, 'done', 'the piece arrived while the run was still going');
  const streamed = await waitDone(server, base, streaming.json.runId, cand);
  assert.equal(streamed.tests[0].stdout, 'tick-0\ntick-1\ntick-2\ntick-3\ntick-4\n');

  // Errors mapped to lines: a compile error and a Python exception.
  assert.deepEqual(badRun.diagnostics.map((d) => [d.line, d.severity]), [[1, 'error']]);
  assert.match(badRun.diagnostics[0].message, /.y. was not declared/);  // g++ quotes with ‘’ under C.UTF-8
  const boom = await api(server, 'POST', base, cand, { language: 'python', code: 'x = 1\nprint(x / 0)\n' });
  const boomRun = await waitDone(server, base, boom.json.runId, cand);
  assert.equal(boomRun.verdict, 'RUNTIME_ERROR');
  assert.deepEqual(boomRun.diagnostics.map((d) => d.line), [2]);
  assert.match(boomRun.diagnostics[0].message, /ZeroDivisionError/);

  // Bounds and refusals.
  assert.equal((await api(server, 'POST', base, null, { language: 'python', code: '' })).status, 401);
  assert.equal((await api(server, 'POST', base, cand, { language: 'python', code: 'x', tests: 'some' })).status, 400);
  assert.equal((await api(server, 'POST', base, cand, { language: 'python', code: 'x'.repeat(65 * 1024) })).status, 413);
  assert.equal((await api(server, 'POST', base, cand, { language: 'python', code: 'x', tests: 'all', questionId: 'nope' })).status, 404);
  assert.equal((await api(server, 'POST', `/api/loops/${loopId}/rounds/9/runs`, cand, { language: 'python', code: 'x' })).status, 404);
  cs.ws.close();
  is.ws.close();
});

test('a sandbox that cannot work refuses runs and /api/runtimes says why', async (t) => {
  const server = await startServer(['--runner-bwrap', '/nonexistent/bwrap']);
  t.after(() => server.stop());
  const rt = (await api(server, 'GET', '/api/runtimes')).json;
  assert.equal(rt.sandbox.ok, false);
  assert.match(rt.sandbox.reason, /\/nonexistent\/bwrap/);
  for (const r of rt.runtimes) assert.equal(r.available, false);
  const created = await api(server, 'POST', '/api/loops', null, { templateId: 'single-coding', candidateName: 'Cam', hostName: 'Hana' });
  const cand = created.json.invites.find((i) => i.role === 'ROLE_CANDIDATE').token;
  const r = await api(server, 'POST', `/api/loops/${created.json.loop.id}/rounds/0/runs`, cand, { language: 'python', code: 'print(1)' });
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /nonexistent/);
});

// ClientMessage {request_id: 1, study_join {name}} written by hand (field 160 -> tag 0x82 0x0a;
// StudyJoin.name is field 2), as no protobuf library is a dependency of these tests.
function studyJoinFrame(name) {
  const inner = Buffer.concat([Buffer.from([0x12, Buffer.byteLength(name)]), Buffer.from(name)]);
  return Buffer.concat([Buffer.from([0x08, 0x01, 0x82, 0x0a, inner.length]), inner]);
}

test('runs in a study room: custom stdin only, shared with every peer, never question tests', async (t) => {
  const server = await startServer();
  t.after(() => server.stop());
  const created = await api(server, 'POST', '/api/study-rooms', null, { title: 'runs', hostName: 'Ann' });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const { id, token } = created.json;
  const base = `/api/study-rooms/${id}/runs`;

  const peers = ['Ann', 'Ben'].map((name) => {
    const ws = new WebSocket(`${server.ws}/session/study?token=${token}`);
    ws.on('error', () => {});
    const s = { ws, frames: [] };
    ws.on('message', (data) => s.frames.push(Buffer.from(data)));
    s.opened = new Promise((resolve) => ws.once('open', resolve)).then(() => ws.send(studyJoinFrame(name)));
    s.text = () => Buffer.concat(s.frames).toString('latin1');
    return s;
  });
  t.after(() => peers.forEach((p) => p.ws.terminate()));
  await Promise.all(peers.map((p) => p.opened));
  await waitFor(() => peers.every((p) => p.frames.length > 0), 'study snapshots');

  // A run on the peer's own stdin: 202 with the run id, the output reaches both peers.
  const code = 'import sys\ns = sys.stdin.read().strip()\nfor i in range(3):\n    print(s + "-" + str(i))\n';
  const started = await api(server, 'POST', base, token, { language: 'python', code, stdin: 'zebra', by: 'Ann' });
  assert.equal(started.status, 202, JSON.stringify(started.json));
  assert.match(started.location, new RegExp(`/study-rooms/${id}/runs/${started.json.runId}$`));
  const run = await waitDone(server, base, started.json.runId, token);
  assert.equal(run.verdict, 'OK', JSON.stringify(run));
  assert.equal(run.by, 'Ann');
  assert.equal(run.studyId, id);
  assert.equal(run.loopId, undefined);
  assert.equal(run.tests[0].stdout, 'zebra-0\nzebra-1\nzebra-2\n');
  for (const p of peers)
    await waitFor(() => p.text().includes(started.json.runId) && p.text().includes('zebra-2') && p.text().includes('"status":"done"'),
      'the run reached every peer', 10000);

  const list = await api(server, 'GET', base, token);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.runs.map((r) => r.runId), [started.json.runId]);

  // Question tests are not a study room's: sample and all refused, whatever the question.
  for (const tests of ['sample', 'all']) {
    const r = await api(server, 'POST', base, token, { language: 'python', code: 'print(1)', tests, questionId: 'code-lru-cache' });
    assert.equal(r.status, 403, JSON.stringify(r.json));
    assert.match(r.json.error.message, /own stdin only/);
  }
  for (const p of peers) for (const s of hiddenInputs) assert.ok(!p.text().includes(s), 'no hidden input in a study frame');

  // Bounds: the author's name, one run in flight per room.
  assert.equal((await api(server, 'POST', base, token, { language: 'python', code: 'print(1)', by: 'x'.repeat(61) })).status, 400);
  const slow = await api(server, 'POST', base, token, { language: 'python', code: 'import time\ntime.sleep(1.5)\n' });
  assert.equal(slow.status, 202);
  const second = await api(server, 'POST', base, token, { language: 'python', code: 'print(2)' });
  assert.equal(second.status, 429, JSON.stringify(second.json));
  await waitDone(server, base, slow.json.runId, token);

  // Tokens stay in their place: no token, another study room's, a loop's.
  assert.equal((await api(server, 'GET', base, null)).status, 401);
  const other = await api(server, 'POST', '/api/study-rooms', null, { title: 'other', hostName: 'Cy' });
  assert.equal((await api(server, 'GET', base, other.json.token)).status, 403);
  assert.equal((await api(server, 'GET', `${base}/${started.json.runId}`, other.json.token)).status, 403);
  assert.equal((await api(server, 'GET', `/api/study-rooms/${other.json.id}/runs/${started.json.runId}`, other.json.token)).status, 404);
  const loop = await api(server, 'POST', '/api/loops', null, { templateId: 'single-coding', candidateName: 'Cam', hostName: 'Hana' });
  const host = loop.json.invites.find((i) => i.role === 'ROLE_HOST').token;
  assert.equal((await api(server, 'POST', base, host, { language: 'python', code: 'print(1)' })).status, 403);
  const loopRuns = `/api/loops/${loop.json.loop.id}/rounds/0/runs`;
  assert.equal((await api(server, 'POST', loopRuns, token, { language: 'python', code: 'print(1)' })).status, 403);
});

test('20 runs at once in 20 study rooms: all queued and served in turn while the server stays responsive', async (t) => {
  // Two slots (the default is the number of cores): 18 of the 20 runs wait in the pool's queue.
  const server = await startServer(['--max-study-rooms-per-ip-hour', '100', '--run-slots', '2']);
  t.after(() => server.stop());
  const rooms = [];
  for (let i = 0; i < 20; i++) {
    const r = await api(server, 'POST', '/api/study-rooms', null, { title: `queue ${i}`, hostName: 'Q' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    rooms.push(r.json);
  }
  const base = (r) => `/api/study-rooms/${r.id}/runs`;
  const code = (i) => `s = 0\nfor k in range(300000):\n    s += k\nprint(${i}, s)\n`;
  const posted = await Promise.all(rooms.map((r, i) => api(server, 'POST', base(r), r.token, { language: 'python', code: code(i) })));
  for (const p of posted) assert.equal(p.status, 202, JSON.stringify(p.json));
  // One queued run per room: the last room's run is still waiting, its next one is refused.
  const again = await api(server, 'POST', base(rooms[19]), rooms[19].token, { language: 'python', code: 'print(1)' });
  assert.equal(again.status, 429, JSON.stringify(again.json));

  // While the queue drains, the server answers other work: an interview pair's doc edits
  // reach the other side, and REST calls answer (liveness bounds only, never speed).
  const created = await api(server, 'POST', '/api/loops', null, { templateId: 'single-coding', candidateName: 'Cam', hostName: 'Hana' });
  assert.equal(created.status, 201);
  const host = created.json.invites.find((i) => i.role === 'ROLE_HOST').token;
  const cand = created.json.invites.find((i) => i.role === 'ROLE_CANDIDATE').token;
  const doc = `${server.ws}/yjs/room-${created.json.loop.rounds[0].roomId}`;
  const a = rawClient(`${doc}?token=${cand}`);
  const b = rawClient(`${doc}?token=${host}`);
  t.after(() => { a.ws.terminate(); b.ws.terminate(); });
  await Promise.all([a.opened, b.opened]);
  let done = 0, probes = 0;
  const statuses = () => Promise.all(rooms.map((r, i) => api(server, 'GET', `${base(r)}/${posted[i].json.runId}`, r.token)));
  for (let round = 0; done < 20; round++) {
    a.edit((d) => d.getText('code').insert(0, `${round}\n`));
    await waitFor(() => b.doc.getText('code').toString().startsWith(`${round}\n`), 'an edit reaches the other side during the queue', 5000);
    const t0 = Date.now();
    assert.equal((await api(server, 'GET', '/api/runtimes')).status, 200);
    assert.ok(Date.now() - t0 < 5000, 'GET /api/runtimes answers within 5 s during the queue');
    probes++;
    const runs = await statuses();
    done = runs.filter((r) => r.json.status === 'done').length;
    assert.ok(round < 600, 'the queue drains');
    await sleep(200);
  }
  assert.ok(probes >= 2, `probed while runs were queued (${probes})`);
  const runs = await statuses();
  runs.forEach((r, i) => {
    assert.equal(r.json.verdict, 'OK', JSON.stringify(r.json));
    assert.equal(r.json.tests[0].stdout, `${i} ${(300000 * 299999) / 2}\n`);
  });
});
