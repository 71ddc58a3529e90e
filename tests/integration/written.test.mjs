// The written work against the real server (issue 21): review comments anchored with Yjs
// relative positions survive concurrent edits by two Yjs clients; staff-only comments live
// in a doc the candidate and observers cannot open, and never appear in any frame or REST
// answer they get; submitting freezes the server's copy of the draft; the take-home report
// shows the document and the candidate-visible comments.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../support/server.mjs';
import { api, closeOf, rawClient, waitFor, WebSocket, Y } from './lib.mjs';

const STAFF_SECRET = 'STAFF-ONLY-7c1e: weak on cost';
const VISIBLE = 'Quantify the savings here';
const SENTENCE = 'We score every card payment in 100 ms.';

test('anchored comments survive concurrent edits; staff-only comments never reach candidate or observer', async (t) => {
  const server = await startServer([]);
  t.after(() => server.stop());
  const created = await api(server, 'POST', '/api/loops', null, {
    templateId: 'l7-loop', hostName: 'Grace', candidateName: 'Ada',
    participants: [{ displayName: 'Lin', role: 'ROLE_INTERVIEWER', roundIndexes: [1] }, { displayName: 'Obi', role: 'ROLE_OBSERVER' }, { displayName: 'Ada', role: 'ROLE_CANDIDATE' }],
  });
  assert.equal(created.status, 201, created.text);
  const loopId = created.json.loop.id;
  const tok = Object.fromEntries(created.json.invites.map((i) => [i.displayName, i.token]));
  const base = `/api/loops/${loopId}/written`;
  const a = await api(server, 'POST', base, tok.Grace, { kind: 'WRITTEN_KIND_SIX_PAGER', promptId: 'fraud-realtime', dueAtMs: Date.now() + 14 * 86400000 });
  assert.equal(a.status, 201, a.text);
  const { id, draftDoc, reviewDoc, staffDoc } = a.json;
  const yjs = (doc, who) => `${server.ws}/yjs/${doc}?token=${tok[who]}`;

  // Two candidate tabs and a reviewer on the draft.
  const tab1 = rawClient(yjs(draftDoc, 'Ada'));
  const tab2 = rawClient(yjs(draftDoc, 'Ada'));
  const lin = rawClient(yjs(draftDoc, 'Lin'));
  await Promise.all([tab1.opened, tab2.opened, lin.opened]);
  await waitFor(() => tab1.syncedStep2 && tab2.syncedStep2 && lin.syncedStep2, 'draft synced');
  tab1.edit((d) => d.getText('text').insert(0, `# Fraud\n\nIntro. ${SENTENCE} Next steps.\n`));
  await waitFor(() => lin.doc.getText('text').toString().includes('Next steps.'), 'reviewer sees the draft');
  await waitFor(() => tab2.doc.getText('text').toString().includes('Next steps.'), 'tab 2 sees the draft');

  // The reviewer anchors a candidate-visible and a staff-only comment to the sentence.
  const text = lin.doc.getText('text');
  const from = text.toString().indexOf(SENTENCE);
  const anchor = (body) => ({
    author: 'Lin', body, at: Date.now(), quote: SENTENCE,
    start: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, from)),
    end: Y.relativePositionToJSON(Y.createRelativePositionFromTypeIndex(text, from + SENTENCE.length, -1)),
  });
  const review = rawClient(yjs(reviewDoc, 'Lin'));
  const staff = rawClient(yjs(staffDoc, 'Lin'));
  await Promise.all([review.opened, staff.opened]);
  await waitFor(() => review.syncedStep2 && staff.syncedStep2, 'comment docs synced');
  review.edit((d) => d.getMap('comments').set('c1', anchor(VISIBLE)));
  staff.edit((d) => d.getMap('comments').set('s1', anchor(STAFF_SECRET)));

  // Concurrent edits from both tabs, before either sees the other's: before the sentence,
  // right after it, and at the end.
  tab1.edit((d) => d.getText('text').insert(d.getText('text').toString().indexOf('Intro.'), 'Summary first. '));
  tab2.edit((d) => {
    const t2 = d.getText('text');
    const end = t2.toString().indexOf(SENTENCE) + SENTENCE.length;
    t2.insert(end, ' An inserted clause.');
    t2.insert(t2.length, 'Appendix.\n');
  });
  const final = (c) => c.doc.getText('text').toString();
  await waitFor(() => [tab1, tab2, lin].every((c) => final(c).includes('Summary first.') && final(c).includes('Appendix.')), 'all converge');
  assert.equal(final(tab1), final(lin));
  assert.equal(final(tab2), final(lin));
  for (const c of [lin, tab1]) {
    const stored = review.doc.getMap('comments').get('c1');
    const s = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(stored.start), c.doc);
    const e = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(stored.end), c.doc);
    assert.equal(final(c).slice(s.index, e.index), SENTENCE, 'the anchor still covers the sentence');
  }

  // The candidate cannot open the staff-only doc; an observer neither; staff can.
  assert.equal((await closeOf(yjs(staffDoc, 'Ada'))).code, 4403);
  assert.equal((await closeOf(yjs(staffDoc, 'Obi'))).code, 4403);
  // What the candidate and the observer receive on the docs they may open.
  const candReview = rawClient(yjs(reviewDoc, 'Ada'));
  const obsReview = rawClient(yjs(reviewDoc, 'Obi'));
  await Promise.all([candReview.opened, obsReview.opened]);
  await waitFor(() => candReview.syncedStep2 && obsReview.syncedStep2, 'candidate and observer synced the review doc');
  assert.equal(candReview.doc.getMap('comments').get('c1').body, VISIBLE);

  // Submit: the server freezes its own copy of the draft.
  await waitFor(async () => (await api(server, 'POST', `${base}/${id}/submit`, tok.Ada, { expectedText: final(tab1) })).status === 201, 'submitted');
  const v1 = await api(server, 'GET', `${base}/${id}/versions/1`, tok.Lin);
  assert.equal(v1.json.text, final(tab1));
  tab1.edit((d) => d.getText('text').insert(0, 'NEW DRAFT LINE\n'));
  await waitFor(() => final(lin).startsWith('NEW DRAFT'), 'new draft arrives');
  assert.equal((await api(server, 'GET', `${base}/${id}/versions/1`, tok.Ada)).json.text, v1.json.text, 'version 1 is frozen');

  const answers = [];
  for (const who of ['Ada', 'Obi']) {
    for (const path of [base, `${base}/${id}/questions`, `${base}/${id}/versions/1`]) answers.push(await api(server, 'GET', path, tok[who]));
    answers.push(await api(server, 'GET', `${base}/${id}/report`, tok[who], null, 'text/html'));
    answers.push(await api(server, 'GET', `/api/loops/${loopId}`, tok[who]));
  }
  await new Promise((r) => setTimeout(r, 200));
  const frames = [...tab1.frames, ...tab2.frames, ...candReview.frames, ...obsReview.frames].map((f) => Buffer.from(f).toString('latin1'));
  for (const f of frames) assert.ok(!f.includes('STAFF-ONLY-7c1e'), 'no staff-only comment in a candidate or observer frame');
  for (const r of answers) {
    assert.ok(!r.text.includes('STAFF-ONLY-7c1e'), `no staff-only comment in ${r.text.slice(0, 80)}`);
    assert.ok(!r.text.includes(staffDoc), 'the staff doc is not even named');
  }
  const report = answers.find((r) => r.text.startsWith('<!doctype html>'));
  assert.ok(report.text.includes(VISIBLE) && report.text.includes('score every card payment'), 'the report shows the document and the visible comment');
  assert.ok(report.text.includes('@media print'));
  for (const c of [tab1, tab2, lin, review, staff, candReview, obsReview]) c.ws.close();
});
