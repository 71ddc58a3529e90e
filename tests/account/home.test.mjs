// Home pages against the real process (issue 20): from the host's account alone, on a second
// browser, the host reissues their own link and the candidate's; archive hides a loop from
// the default My loops list and unarchive brings it back; export gives the loop, its
// debrief and the HTML report; delete removes the loop with every document, history,
// checkpoint, round event, scorecard, written work, invite and token of it: the test opens
// the SQLite file afterwards (sqlite3 CLI) and finds no row that mentions the loop, its
// rooms or its documents, while another loop's rows stay. Both loops are attached to a
// candidate profile first: the deleted one leaves the profile and its progress page, the
// other stays. Others get 403/404, and a state change without the CSRF header 403.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startServer } from '../support/server.mjs';
import { CHEAP, Client, PW, anon, makeLoop, mentions, useLoop } from './loop_fixture.mjs';

test('the host reaches, reissues, archives, exports and deletes a loop from their account; nothing of it is left in the database', async () => {
  const srv = await startServer([...CHEAP, '--history-checkpoint-every', '10'], { anonymousCreate: false });
  try {
    const code = /signup\?code=([A-Za-z0-9_-]+)/.exec(srv.output().out)[1];
    const host = new Client(srv);
    assert.equal((await host.req('POST', '/api/auth/signup', { email: 'hana@example.com', password: PW, displayName: 'Hana', inviteCode: code })).status, 201);
    const l = await makeLoop(host, 'Cara');
    const other = await makeLoop(host, 'Kept');
    const used = await useLoop(srv, host, l);
    await useLoop(srv, host, other);
    const db = `${srv.dir}/mockloop.db`;
    assert.ok(mentions(db, l.loop.id).length > 5, 'the loop has rows before');

    // A second browser: the account alone, no link.
    const laptop = new Client(srv);
    assert.equal((await laptop.req('POST', '/api/auth/login', { email: 'hana@example.com', password: PW })).status, 200);
    const listed = await laptop.req('GET', '/api/me/loops');
    assert.deepEqual(listed.body.loops.map((m) => m.candidateName).sort(), ['Cara', 'Kept']);
    const mine = listed.body.loops.find((m) => m.loopId === l.loop.id);
    assert.equal(mine.role, 'ROLE_HOST');
    assert.equal(mine.decision.outcome, 'DECISION_OUTCOME_NOT_APPLICABLE', 'a practice loop with its scorecard in: over');
    assert.equal(mine.past, true);

    // Reissue: the host's own link (the old one stops working), then the candidate's.
    const noCsrf = await laptop.req('POST', `/api/me/loops/${l.loop.id}/participants/${l.host.participantId}/invite`, undefined, { csrf: false });
    assert.equal(noCsrf.status, 403);
    const myLink = await laptop.req('POST', `/api/me/loops/${l.loop.id}/participants/${l.host.participantId}/invite`);
    assert.equal(myLink.status, 201, myLink.text);
    assert.ok(myLink.body.token);
    assert.equal((await anon(srv, 'GET', `/api/loops/${l.loop.id}`, l.host.token)).status, 401, 'the old host link is replaced');
    assert.equal((await anon(srv, 'GET', `/api/loops/${l.loop.id}`, myLink.body.token)).status, 200, 'the new one works');
    const candLink = await laptop.req('POST', `/api/me/loops/${l.loop.id}/participants/${l.cand.participantId}/invite`);
    assert.equal(candLink.status, 201);
    assert.equal((await anon(srv, 'GET', `/api/loops/${l.loop.id}`, l.cand.token)).status, 401);
    assert.equal((await anon(srv, 'GET', `/api/loops/${l.loop.id}`, candLink.body.token)).status, 200);
    // The account keeps following the loop through the new host link.
    const again = (await laptop.req('GET', '/api/me/loops')).body.loops.filter((m) => m.loopId === l.loop.id);
    assert.ok(again.some((m) => m.role === 'ROLE_HOST' && !m.revoked));

    // Somebody else: the candidate signs up (an admin's code) and attaches the candidate link.
    const codeFor = await host.req('POST', '/api/auth/signup-codes', { admin: false });
    const cara = new Client(srv);
    assert.equal((await cara.req('POST', '/api/auth/signup', { email: 'cara@example.com', password: PW, inviteCode: codeFor.body.code })).status, 201);
    assert.equal((await cara.req('POST', '/api/me/invites', { token: candLink.body.token })).status, 201);
    assert.equal((await cara.req('PUT', `/api/me/loops/${l.loop.id}/archive`, { archived: true })).status, 403);
    assert.equal((await cara.req('GET', `/api/me/loops/${l.loop.id}/export`)).status, 403);
    assert.equal((await cara.req('DELETE', `/api/me/loops/${l.loop.id}`)).status, 403);
    assert.equal((await cara.req('POST', `/api/me/loops/${l.loop.id}/participants/${l.host.participantId}/invite`)).status, 403);
    assert.equal((await cara.req('DELETE', `/api/me/loops/${other.loop.id}`)).status, 404, 'not on her account');
    assert.equal((await new Client(srv).req('GET', `/api/me/loops/${l.loop.id}/export`)).status, 401);
    const caraList = (await cara.req('GET', '/api/me/loops')).body.loops;
    assert.equal(caraList[0].decision, undefined, 'the candidate is not shown the decision');

    // Archive: gone from the default list, there with ?archived=1, back after unarchiving.
    assert.equal((await laptop.req('PUT', `/api/me/loops/${l.loop.id}/archive`, { archived: true }, { csrf: false })).status, 403);
    const arch = await laptop.req('PUT', `/api/me/loops/${l.loop.id}/archive`, { archived: true });
    assert.equal(arch.status, 200, arch.text);
    assert.equal(arch.body.archived, true);
    assert.deepEqual((await laptop.req('GET', '/api/me/loops')).body.loops.map((m) => m.candidateName), ['Kept']);
    const withArchived = (await laptop.req('GET', '/api/me/loops?archived=1')).body.loops;
    assert.ok(withArchived.some((m) => m.loopId === l.loop.id && m.archived));
    assert.equal((await laptop.req('PUT', `/api/me/loops/${l.loop.id}/archive`, { archived: false })).status, 200);
    assert.ok((await laptop.req('GET', '/api/me/loops')).body.loops.some((m) => m.loopId === l.loop.id));

    // Export: the loop with its invites (host view), the debrief, the HTML report.
    const exp = await laptop.req('GET', `/api/me/loops/${l.loop.id}/export`);
    assert.equal(exp.status, 200, exp.text);
    assert.match(exp.headers.get('content-disposition'), /attachment; filename="mockloop-/);
    assert.equal(exp.body.loop.loop.id, l.loop.id);
    assert.equal(exp.body.debrief.loop.id, l.loop.id);
    assert.match(exp.body.reportHtml, /<html[\s\S]*Cara/);
    assert.ok(exp.body.loop.loop.participants.length >= 3);

    // Both loops attached to a profile the host keeps for Cara (rows in profile_loops).
    const prof = await laptop.req('POST', '/api/profiles', { name: 'Cara' });
    assert.equal(prof.status, 201, prof.text);
    for (const x of [l, other])
      assert.equal((await laptop.req('POST', `/api/profiles/${prof.body.id}/loops`, { loopId: x.loop.id })).status, 201);
    const before = await laptop.req('GET', `/api/profiles/${prof.body.id}/progress`);
    assert.deepEqual(before.body.loops.map((x) => x.loopId).sort(), [l.loop.id, other.loop.id].sort());
    assert.ok(mentions(db, l.loop.id).some((m) => m.startsWith('profile_loops.')), 'the attachment is a row');

    // Delete: every row of the loop goes, the other loop's stay.
    const keptBefore = mentions(db, other.loop.id);
    assert.equal((await laptop.req('DELETE', `/api/me/loops/${l.loop.id}`, undefined, { csrf: false })).status, 403);
    const del = await laptop.req('DELETE', `/api/me/loops/${l.loop.id}`);
    assert.equal(del.status, 200, del.text);
    assert.ok(Number(del.body.rows) > 5, del.text);
    assert.ok(del.body.documents >= 3, `board, notes and draft documents went: ${del.text}`);
    assert.equal((await anon(srv, 'GET', `/api/loops/${l.loop.id}`, myLink.body.token)).status, 401);
    assert.equal((await laptop.req('DELETE', `/api/me/loops/${l.loop.id}`)).status, 404);
    assert.deepEqual((await laptop.req('GET', '/api/me/loops')).body.loops.map((m) => m.candidateName), ['Kept']);
    assert.deepEqual((await cara.req('GET', '/api/me/loops')).body.loops, undefined);
    // The profile forgets the loop: its progress page and the profile list the other one only.
    const after = await laptop.req('GET', `/api/profiles/${prof.body.id}/progress`);
    assert.equal(after.status, 200, after.text);
    assert.deepEqual(after.body.loops.map((x) => x.loopId), [other.loop.id]);
    assert.deepEqual(after.body.profile.loopIds, [other.loop.id]);
    await srv.stop();  // the WAL is checkpointed into the file; read it as it is on disk
    for (const needle of [l.loop.id, `room-${used.room}`, used.room, `written-${used.assignment}`, used.assignment])
      assert.deepEqual(mentions(db, needle), [], `no row mentions ${needle}`);
    assert.deepEqual(mentions(db, other.loop.id), keptBefore, 'the other loop is untouched');
  } finally {
    await srv.stop();
  }
});
