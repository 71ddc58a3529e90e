// A candidate's profile and progress against the real server (issue 20; docs/progress.md):
// ratings from submitted scorecards of several loops, their median and spread checked
// against numbers worked out by hand; each loop's decision equal to its debrief's; the
// self-assessment's score and band; the story bank's coverage and limits; and privacy:
// another account gets 404, a mentor sees only what the candidate shared, and only the
// loop's host may attach it.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startServer } from '../support/server.mjs';

const CHEAP = ['--pwhash-ops', '1', '--pwhash-mem-mib', '8', '--signup', 'open'];
const PW = 'correct horse battery';

// One "browser": a session cookie and its CSRF token.
class Client {
  constructor(srv) { this.srv = srv; this.cookie = ''; this.csrf = ''; }
  async req(method, p, body, { token } = {}) {
    const h = { accept: 'application/json' };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (this.cookie && !token) h.cookie = this.cookie;
    if (token) h.authorization = `Bearer ${token}`;
    if (this.csrf && method !== 'GET' && !token) h['x-csrf-token'] = this.csrf;
    const res = await fetch(`${this.srv.url}${p}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) this.cookie = `mockloop_session=${/^mockloop_session=([^;]*)/.exec(setCookie)?.[1] ?? ''}`;
    const text = await res.text();
    let json = {};
    try { json = text ? JSON.parse(text) : {}; } catch { /* not JSON */ }
    if (json.csrfToken) this.csrf = json.csrfToken;
    return { status: res.status, body: json, text };
  }
}

async function signUp(srv, email, displayName = '') {
  const c = new Client(srv);
  const r = await c.req('POST', '/api/auth/signup', { email, password: PW, displayName });
  assert.equal(r.status, 201, r.text);
  c.userId = r.body.user.id;
  return c;
}

// A loop the client hosts, with interviewers; answers { id, tokens: { host }, invites }.
async function hostLoop(c, templateId, interviewers, title, roundIndexes = [0]) {
  const participants = interviewers.map((n) => ({ displayName: n, role: 'ROLE_INTERVIEWER', roundIndexes }));
  const r = await c.req('POST', '/api/loops', { templateId, title, candidateName: 'Cam', hostName: 'Mia', participants });
  assert.equal(r.status, 201, r.text);
  const host = r.body.invites.find((i) => i.role === 'ROLE_HOST').token;
  return { id: r.body.loop.id, tokens: { host }, invites: r.body.invites };
}

const R = ['', 'RATING_STRONG_NO_HIRE', 'RATING_NO_HIRE', 'RATING_HIRE', 'RATING_STRONG_HIRE'];

test('progress numbers from the scorecards of three loops, privacy, self-assessment and stories', async (t) => {
  const srv = await startServer(CHEAP);
  t.after(() => srv.stop());
  const mentor = await signUp(srv, 'mia@example.com', 'Mia');
  const cand = await signUp(srv, 'cam@example.com', 'Cam');
  const stranger = await signUp(srv, 'eve@example.com', 'Eve');

  // The candidate's own profile: made on first use; nobody else sees it yet.
  const own = await cand.req('POST', '/api/me/profile');
  assert.equal(own.status, 200, own.text);
  assert.equal(own.body.relation, 'PROFILE_RELATION_CANDIDATE');
  const pid = own.body.id;
  assert.equal((await cand.req('POST', '/api/me/profile')).body.id, pid, 'the same profile the second time');
  for (const other of [mentor, stranger]) {
    assert.equal((await other.req('GET', `/api/profiles/${pid}/progress`)).status, 404);
    assert.equal((await other.req('GET', `/api/profiles/${pid}`)).status, 404);
  }
  assert.equal((await new Client(srv).req('GET', `/api/profiles/${pid}/progress`)).status, 401);

  // Only the candidate shares; a mentor may not widen it.
  assert.equal((await cand.req('PUT', `/api/profiles/${pid}/mentors`, { emails: ['nobody@example.com'] })).status, 400);
  const shared = await cand.req('PUT', `/api/profiles/${pid}/mentors`, { emails: ['Mia@Example.com'] });
  assert.equal(shared.status, 200, shared.text);
  assert.deepEqual(shared.body.mentors.map((m) => m.email), ['mia@example.com']);
  assert.equal((await mentor.req('PUT', `/api/profiles/${pid}/mentors`, { emails: ['eve@example.com'] })).status, 403);
  assert.equal((await mentor.req('GET', `/api/profiles/${pid}`)).body.relation, 'PROFILE_RELATION_MENTOR');

  // Three loops the mentor hosts (signed in: the host link is attached to her account).
  const a = await hostLoop(mentor, 'single-coding', ['Ivo', 'Jo'], 'Week 1');
  const b = await hostLoop(mentor, 'single-coding', ['Ivo'], 'Week 2');
  const c = await hostLoop(mentor, 'l6-loop', ['Ivo'], 'Onsite', [1]);
  const ivo = (l) => l.invites.find((i) => i.role === 'ROLE_INTERVIEWER' && i.displayName === 'Ivo').token;
  const jo = (l) => l.invites.find((i) => i.role === 'ROLE_INTERVIEWER' && i.displayName === 'Jo').token;
  const submit = async (loop, token, round, comp, lp, overall = 'RATING_HIRE') => {
    const base = `/api/loops/${loop.id}/rounds/${round}/scorecard`;
    const draft = { overall, summary: 's' };
    if (comp) draft.competencies = [{ competencyId: 'problem-solving', rating: R[comp] }];
    if (lp) draft.lpSignals = [{ lpId: 'dive-deep', rating: R[lp] }];
    const saved = await mentor.req('PUT', base, draft, { token });
    assert.equal(saved.status, 200, saved.text);
    assert.equal((await mentor.req('POST', `${base}/submit`, undefined, { token })).status, 200);
  };
  // problem-solving: 3 and 2 (loop a), 4 (b), 1 (c, coding-1 = round 1) -> sorted 1 2 3 4:
  // median 2.5, q1 at 0.75 -> 1.75, q3 at 2.25 -> 3.25, min 1, max 4.
  // dive-deep: 2 (a, Ivo), 4 (b) -> median 3, q1 2.5, q3 3.5.
  await submit(a, ivo(a), 0, 3, 2);
  await submit(a, jo(a), 0, 2, 0, 'RATING_NO_HIRE');
  await submit(b, ivo(b), 0, 4, 4, 'RATING_STRONG_HIRE');
  await submit(c, ivo(c), 1, 1, 0, 'RATING_NO_HIRE');

  // Attaching: the stranger cannot (no relation: 404); a non-host cannot; the host can.
  assert.equal((await stranger.req('POST', `/api/profiles/${pid}/loops`, { loopId: a.id })).status, 404);
  assert.equal((await cand.req('POST', `/api/profiles/${pid}/loops`, { loopId: a.id })).status, 403, 'the candidate does not host it');
  for (const l of [a, b, c]) {
    const r = await mentor.req('POST', `/api/profiles/${pid}/loops`, { loopId: l.id });
    assert.equal(r.status, 201, r.text);
  }
  const again = await mentor.req('POST', `/api/profiles/${pid}/loops`, { loopId: a.id });
  assert.equal(again.body.loopIds.length, 3, 'attaching twice keeps one');

  const p = await cand.req('GET', `/api/profiles/${pid}/progress`);
  assert.equal(p.status, 200, p.text);
  const ps = p.body.competencies.find((s) => s.id === 'problem-solving');
  assert.equal(ps.count, 4);
  assert.deepEqual([ps.median, ps.q1, ps.q3, ps.min, ps.max], [2.5, 1.75, 3.25, 1, 4]);
  assert.deepEqual(ps.points.map((x) => x.loopTitle).sort(), ['Onsite', 'Week 1', 'Week 1', 'Week 2']);
  const onsite = ps.points.find((x) => x.loopTitle === 'Onsite');
  assert.equal(onsite.roundTitle, 'Coding 1');
  assert.equal(onsite.interviewerName, 'Ivo');
  assert.equal(onsite.rating, 'RATING_STRONG_NO_HIRE');
  const dd = p.body.principles.find((s) => s.id === 'dive-deep');
  assert.deepEqual([dd.count, dd.median, dd.q1, dd.q3, dd.min, dd.max], [2, 3, 2.5, 3.5, 2, 4]);
  assert.equal(dd.name, 'Dive Deep');
  // Each loop's decision is the one its debrief states.
  assert.deepEqual(p.body.loops.map((l) => l.title), ['Week 1', 'Week 2', 'Onsite']);
  for (const l of [a, b, c]) {
    const d = await mentor.req('GET', `/api/loops/${l.id}/debrief`, undefined, { token: l.tokens.host });
    assert.equal(d.status, 200, d.text);
    const mine = p.body.loops.find((x) => x.loopId === l.id);
    assert.equal(mine.decision.outcome, d.body.decision.outcome);
    assert.equal(mine.decision.rule, d.body.decision.rule);
  }
  // The onsite: one weak round of six, the rest unscored: 4 of 6 may still be reached.
  assert.deepEqual(p.body.loops.map((l) => l.decision.outcome), ['DECISION_OUTCOME_NOT_APPLICABLE', 'DECISION_OUTCOME_NOT_APPLICABLE', 'DECISION_OUTCOME_PENDING']);
  // This week: three rounds with a submitted scorecard (a/0, b/0, c/1), none a system design.
  const week = p.body.weeks.at(-1);
  assert.equal(week.mockInterviews, 3);
  assert.equal(week.systemDesigns ?? 0, 0);
  assert.equal(p.body.weeks.length, 8);
  // The mentor sees the same numbers; the stranger still nothing.
  const pm = await mentor.req('GET', `/api/profiles/${pid}/progress`);
  assert.equal(pm.status, 200);
  assert.deepEqual(pm.body.competencies, p.body.competencies);
  assert.equal((await stranger.req('GET', `/api/profiles/${pid}/progress`)).status, 404);

  // The self-assessment: (sum - 12) * 100 / 48.
  const form = await cand.req('GET', '/api/prep/self-assessment');
  assert.equal(form.body.statements.length, 12);
  const take = (ratings) => cand.req('POST', `/api/profiles/${pid}/assessments`, { ratings });
  const s1 = await take(Array(12).fill(4)); // sum 48 -> 75: six-week intensive
  assert.equal(s1.status, 201, s1.text);
  assert.deepEqual([s1.body.score, s1.body.bandId], [75, 'six-week-intensive']);
  const s2 = await take([5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 4]); // 59 -> 97.9 -> 98
  assert.deepEqual([s2.body.score, s2.body.bandId], [98, 'final-polish']);
  const s3 = await take([3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 4]); // 37 -> 52.08 -> 52
  assert.deepEqual([s3.body.score, s3.body.bandId], [52, 'build-experience']);
  const s4 = await take([4, 4, 4, 3, 3, 3, 3, 3, 3, 3, 3, 3]); // 39 -> 56.25 -> 56
  assert.deepEqual([s4.body.score, s4.body.bandId], [56, 'twelve-week-comprehensive']);
  assert.equal((await take(Array(11).fill(3))).status, 400);
  assert.equal((await take([...Array(11).fill(3), 6])).status, 400);
  assert.equal((await mentor.req('POST', `/api/profiles/${pid}/assessments`, { ratings: Array(12).fill(5) })).status, 403,
    'the candidate assesses themselves');
  const p2 = await cand.req('GET', `/api/profiles/${pid}/progress`);
  assert.deepEqual(p2.body.assessments.map((x) => x.score), [75, 98, 52, 56]);

  // Stories: private unless shared; coverage and gaps; bounds.
  const story = (title, principles, kind, extra = {}) => ({
    title, situation: 'S', task: 'T', action: 'A', result: 'R', principles, kind,
    followUps: { surface: 'f1', technicalDepth: 'f2', leadershipImpact: 'f3', organisationalContext: 'f4', growth: 'f5' }, ...extra,
  });
  const st1 = await cand.req('POST', `/api/profiles/${pid}/stories`, story('Outage', ['ownership', 'dive-deep'], 'STORY_KIND_CHARACTER', { shared: true }));
  assert.equal(st1.status, 201, st1.text);
  const st2 = await cand.req('POST', `/api/profiles/${pid}/stories`, story('Secret', ['ownership'], 'STORY_KIND_VISION'));
  assert.equal(st2.status, 201);
  const mine = await cand.req('GET', `/api/profiles/${pid}/stories`);
  assert.equal(mine.body.stories.length, 2);
  const own16 = mine.body.coverage.principles;
  assert.equal(own16.length, 16);
  assert.equal(own16.find((x) => x.lpId === 'ownership').stories, 2);
  assert.ok(mine.body.coverage.gaps.some((g) => g.startsWith('No story shows 14 of the 16 principles')), mine.body.coverage.gaps.join('|'));
  assert.ok(mine.body.coverage.gaps.some((g) => g.startsWith('Leadership impact: 0 of at least 5')), mine.body.coverage.gaps.join('|'));
  const theirs = await mentor.req('GET', `/api/profiles/${pid}/stories`);
  assert.deepEqual(theirs.body.stories.map((s) => s.content.title), ['Outage'], 'the mentor reads only the shared story');
  assert.equal(JSON.stringify(theirs.body).includes('Secret'), false);
  assert.equal((await stranger.req('GET', `/api/profiles/${pid}/stories`)).status, 404);
  assert.equal((await mentor.req('POST', `/api/profiles/${pid}/stories`, story('Mine', [], 'STORY_KIND_VISION'))).status, 403);
  assert.equal((await cand.req('POST', `/api/profiles/${pid}/stories`, story('x'.repeat(201), [], 'STORY_KIND_VISION'))).status, 400);
  assert.equal((await cand.req('POST', `/api/profiles/${pid}/stories`, story('Long', [], 'STORY_KIND_VISION', { action: 'a'.repeat(4001) }))).status, 400);
  assert.equal((await cand.req('POST', `/api/profiles/${pid}/stories`, story('Bad LP', ['not-a-principle'], 'STORY_KIND_VISION'))).status, 400);
  assert.equal((await stranger.req('DELETE', `/api/profiles/${pid}/stories/${st1.body.id}`)).status, 404);
  // Sharing a story later: the mentor reads it from then on.
  const upd = await cand.req('PUT', `/api/profiles/${pid}/stories/${st2.body.id}`, story('Now shared', ['ownership'], 'STORY_KIND_VISION', { shared: true }));
  assert.equal(upd.status, 200, upd.text);
  assert.deepEqual((await mentor.req('GET', `/api/profiles/${pid}/stories`)).body.stories.map((s) => s.content.title), ['Outage', 'Now shared']);
  await cand.req('PUT', `/api/profiles/${pid}/stories/${st2.body.id}`, story('Secret', ['ownership'], 'STORY_KIND_VISION'));
  assert.equal((await cand.req('PUT', `/api/profiles/${pid}/stories/nope`, story('x', [], 'STORY_KIND_VISION'))).status, 404);
  // Editing and deleting a story: only whoever writes the profile's preparation (here the
  // candidate); a stranger learns nothing (404), a mentor reads the shared one but may not
  // change it (403), a change without the CSRF header or a session is refused, and a
  // refused change leaves the story as it was.
  const sid = st1.body.id;
  const sharedBefore = (await cand.req('GET', `/api/profiles/${pid}/stories`)).body.stories.find((x) => x.id === sid);
  const edit = story('Outage, edited', ['ownership'], 'STORY_KIND_CHARACTER', { shared: true });
  assert.equal((await stranger.req('PUT', `/api/profiles/${pid}/stories/${sid}`, edit)).status, 404);
  assert.equal((await mentor.req('PUT', `/api/profiles/${pid}/stories/${sid}`, edit)).status, 403);
  assert.equal((await mentor.req('DELETE', `/api/profiles/${pid}/stories/${sid}`)).status, 403);
  assert.equal((await new Client(srv).req('PUT', `/api/profiles/${pid}/stories/${sid}`, edit)).status, 401);
  for (const method of ['PUT', 'DELETE']) {
    const r = await fetch(`${srv.url}/api/profiles/${pid}/stories/${sid}`, {
      method, headers: { cookie: cand.cookie, 'content-type': 'application/json' }, body: method === 'PUT' ? JSON.stringify(edit) : undefined,
    });
    assert.equal(r.status, 403, `${method} without X-CSRF-Token`);
  }
  assert.equal((await cand.req('PUT', `/api/profiles/${pid}/stories/${sid}`, { ...edit, result: 'r'.repeat(4001) })).status, 400);
  assert.equal((await cand.req('PUT', `/api/profiles/${pid}/stories/${sid}`, { ...edit, principles: ['nope'] })).status, 400);
  assert.deepEqual((await cand.req('GET', `/api/profiles/${pid}/stories`)).body.stories.find((x) => x.id === sid), sharedBefore, 'refusals changed nothing');
  const edited = await cand.req('PUT', `/api/profiles/${pid}/stories/${sid}`, { ...edit, followUps: { ...edit.followUps, growth: 'learned' } });
  assert.equal(edited.status, 200, edited.text);
  assert.equal(edited.body.content.title, 'Outage, edited');
  assert.deepEqual(edited.body.content.principles, ['ownership']);
  assert.equal(edited.body.content.followUps.growth, 'learned');
  assert.equal(edited.body.createdAtMs, sharedBefore.createdAtMs, 'an edit keeps the creation time');
  assert.ok(edited.body.updatedAtMs >= sharedBefore.updatedAtMs);
  assert.deepEqual((await mentor.req('GET', `/api/profiles/${pid}/stories`)).body.stories.map((x) => x.content.title), ['Outage, edited'], 'the mentor reads the edit');
  assert.equal((await cand.req('DELETE', `/api/profiles/${pid}/stories/nope`)).status, 404);
  const p3 = await cand.req('GET', `/api/profiles/${pid}/progress`);
  assert.equal(p3.body.weeks.at(-1).storiesWritten, 2);
  const p3m = await mentor.req('GET', `/api/profiles/${pid}/progress`);
  assert.equal(p3m.body.storyCoverage.stories, 1, "the mentor's coverage counts the shared story only");

  // Count limit: 50 stories per profile.
  for (let i = 2; i < 50; i++)
    assert.equal((await cand.req('POST', `/api/profiles/${pid}/stories`, story(`S${i}`, [], 'STORY_KIND_VISION'))).status, 201);
  const over = await cand.req('POST', `/api/profiles/${pid}/stories`, story('S50', [], 'STORY_KIND_VISION'));
  assert.equal(over.status, 409, over.text);
  assert.equal((await cand.req('DELETE', `/api/profiles/${pid}/stories/${st2.body.id}`)).status, 200);

  // A mentor-kept profile: the keeper and co-mentors see it; nobody else.
  const kept = await mentor.req('POST', '/api/profiles', { name: 'Dana (no account)' });
  assert.equal(kept.status, 201, kept.text);
  assert.equal(kept.body.relation, 'PROFILE_RELATION_OWNER');
  assert.equal((await cand.req('GET', `/api/profiles/${kept.body.id}/progress`)).status, 404);
  assert.equal((await mentor.req('POST', `/api/profiles/${kept.body.id}/assessments`, { ratings: Array(12).fill(5) })).body.score, 100);
  const lists = await cand.req('GET', '/api/profiles');
  assert.deepEqual(lists.body.profiles.map((x) => x.id), [pid]);
  const mlist = await mentor.req('GET', '/api/profiles');
  assert.deepEqual(mlist.body.profiles.map((x) => x.id).sort(), [pid, kept.body.id].sort());
  // CSRF: a state change without the header is refused.
  const noCsrf = await fetch(`${srv.url}/api/profiles`, { method: 'POST', headers: { cookie: mentor.cookie, 'content-type': 'application/json' }, body: '{"name":"x"}' });
  assert.equal(noCsrf.status, 403);
});

// Handing a mentor-kept profile to the candidate's own account (docs/accounts.md): the keeper
// makes a one-time code (stored hashed), the candidate redeems it signed in, and the profile,
// with its loops, self-assessments and stories, is theirs; a stranger cannot use someone
// else's used code; a wrong code is 404; a candidate whose own profile holds anything gets 409.
test('a mentor hands a kept profile over to the candidate who signed up later', async (t) => {
  const srv = await startServer(CHEAP);
  t.after(() => srv.stop());
  const mentor = await signUp(srv, 'mia@example.com', 'Mia');
  const kept = await mentor.req('POST', '/api/profiles', { name: 'Dana (no account yet)' });
  assert.equal(kept.status, 201, kept.text);
  const pid = kept.body.id;
  const loop = await hostLoop(mentor, 'single-coding', ['Ivo'], 'Practice 1');
  assert.equal((await mentor.req('POST', `/api/profiles/${pid}/loops`, { loopId: loop.id })).status, 201);
  assert.equal((await mentor.req('POST', `/api/profiles/${pid}/assessments`, { ratings: Array(12).fill(4) })).status, 201);
  assert.equal((await mentor.req('POST', `/api/profiles/${pid}/stories`, { title: 'Kept story', kind: 'STORY_KIND_VISION' })).status, 201);

  const noCsrf = await fetch(`${srv.url}/api/profiles/${pid}/handover`, { method: 'POST', headers: { cookie: mentor.cookie } });
  assert.equal(noCsrf.status, 403);
  const ho = await mentor.req('POST', `/api/profiles/${pid}/handover`);
  assert.equal(ho.status, 201, ho.text);
  assert.match(ho.body.code, /^[A-Za-z0-9_-]{32}$/);
  assert.equal(ho.body.link, `/progress/claim?code=${ho.body.code}`);
  const week = 7 * 24 * 3600 * 1000;
  assert.ok(Math.abs(ho.body.expiresAtMs - (Date.now() + week)) < 60_000, 'lasts 7 days');

  // Dana signs up; a stranger with a wrong code gets nothing.
  const dana = await signUp(srv, 'dana@example.com', 'Dana');
  const eve = await signUp(srv, 'eve@example.com', 'Eve');
  assert.equal((await eve.req('POST', '/api/me/profile/claim', { code: 'wrong' })).status, 404);
  assert.equal((await new Client(srv).req('POST', '/api/me/profile/claim', { code: ho.body.code })).status, 401);
  assert.equal((await dana.req('GET', `/api/profiles/${pid}`)).status, 404, 'not hers before');
  const claimed = await dana.req('POST', '/api/me/profile/claim', { code: ho.body.code });
  assert.equal(claimed.status, 200, claimed.text);
  assert.equal(claimed.body.id, pid);
  assert.equal(claimed.body.relation, 'PROFILE_RELATION_CANDIDATE');
  assert.equal(claimed.body.candidateUserId, dana.userId);
  assert.deepEqual(claimed.body.mentors.map((m) => m.email), ['mia@example.com'], 'the keeper stays a mentor');
  // Used: nobody redeems it again, not Dana, not Eve.
  assert.equal((await eve.req('POST', '/api/me/profile/claim', { code: ho.body.code })).status, 404);
  assert.equal((await dana.req('POST', '/api/me/profile/claim', { code: ho.body.code })).status, 404);
  // Everything came with it; it is her own profile now.
  assert.equal((await dana.req('POST', '/api/me/profile')).body.id, pid);
  const p = await dana.req('GET', `/api/profiles/${pid}/progress`);
  assert.equal(p.status, 200, p.text);
  assert.deepEqual(p.body.loops.map((l) => l.loopId), [loop.id]);
  assert.equal(p.body.assessments.length, 1);
  assert.equal((await dana.req('GET', `/api/profiles/${pid}/stories`)).body.stories.length, 1);
  // The former keeper: a mentor now (reads, writes nothing, does not choose who sees it).
  assert.equal((await mentor.req('GET', `/api/profiles/${pid}`)).body.relation, 'PROFILE_RELATION_MENTOR');
  assert.equal((await mentor.req('GET', `/api/profiles/${pid}/stories`)).body.stories.length, 1, "the mentors' stories were shared on handover");
  assert.equal((await mentor.req('POST', `/api/profiles/${pid}/stories`, { title: 'x', kind: 'STORY_KIND_VISION' })).status, 403);
  assert.equal((await mentor.req('PUT', `/api/profiles/${pid}/mentors`, { emails: [] })).status, 403);
  assert.equal((await mentor.req('POST', `/api/profiles/${pid}/handover`)).status, 409);
  // Dana's choice: she ends Mia's access.
  assert.equal((await dana.req('PUT', `/api/profiles/${pid}/mentors`, { emails: [] })).status, 200);
  assert.equal((await mentor.req('GET', `/api/profiles/${pid}/progress`)).status, 404);

  // A second kept profile for Eve, who already practises on her own profile: refused (409,
  // profiles are not merged), nothing changes.
  const kept2 = await mentor.req('POST', '/api/profiles', { name: 'Eve (kept)' });
  const ho2 = await mentor.req('POST', `/api/profiles/${kept2.body.id}/handover`);
  const eveOwn = await eve.req('POST', '/api/me/profile');
  assert.equal((await eve.req('POST', `/api/profiles/${eveOwn.body.id}/assessments`, { ratings: Array(12).fill(3) })).status, 201);
  const refused = await eve.req('POST', '/api/me/profile/claim', { code: ho2.body.code });
  assert.equal(refused.status, 409, refused.text);
  assert.match(refused.body.error.message, /not merged/);
  assert.equal((await mentor.req('GET', `/api/profiles/${kept2.body.id}`)).body.relation, 'PROFILE_RELATION_OWNER', 'still kept');
  assert.equal((await eve.req('POST', '/api/me/profile')).body.id, eveOwn.body.id, 'her own profile untouched');
  // Dana already has a profile (the one she claimed, not empty): she cannot take Eve's either.
  assert.equal((await dana.req('POST', '/api/me/profile/claim', { code: ho2.body.code })).status, 409);
});
