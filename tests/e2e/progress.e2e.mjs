// The progress page (issue 20; docs/progress.md) in headless Chromium against the real
// server: a mentor hosts three loops whose scorecards rate the candidate, attaches them to
// the candidate's profile (shared with her), and the candidate opens /progress: the
// competency chart shows every rating with its median and spread, the loops their
// decisions, and a self-assessment taken on the page shows its score and band. In the story
// bank she adds a story, edits it in place (every STAR field, principles, a follow-up, the
// shared flag) and deletes another, each checked in the server's answer (and the mentor sees
// the story once shared). A stranger's browser is told the profile is not shared with them.
// The second test: a mentor hands a kept profile over; the candidate opens the link signed
// out, signs in from it, comes back to it and takes the profile over in her own browser. Screenshots: test-output/e2e/progress-*.png.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env), {
  extraArgs: ['--signup', 'open', '--pwhash-ops', '1', '--pwhash-mem-mib', '8'],
});

const T = (id) => `[data-testid="${id}"]`;
const R = ['', 'RATING_STRONG_NO_HIRE', 'RATING_NO_HIRE', 'RATING_HIRE', 'RATING_STRONG_HIRE'];

async function req(who, method, path, body, token) {
  const headers = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (token) headers.authorization = `Bearer ${token}`;
  else if (who?.cookie) {
    headers.cookie = who.cookie;
    if (method !== 'GET') headers['x-csrf-token'] = who.csrf;
  }
  const res = await fetch(`${server.base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  assert.ok(res.ok, `${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return { json, res };
}

async function signUp(email, displayName) {
  const { json, res } = await req(null, 'POST', '/api/auth/signup', { email, password: 'a long test password', displayName });
  const secret = /^mockloop_session=([^;]*)/.exec(res.headers.get('set-cookie'))[1];
  return { cookie: `mockloop_session=${secret}`, secret, csrf: json.csrfToken };
}

async function asBrowser(who) {
  const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 1000 } });
  await ctx.addCookies([{ name: 'mockloop_session', value: who.secret, url: server.base }]);
  return { ctx, page: await ctx.newPage() };
}

test('the candidate sees her progress across three loops and takes the self-assessment', async () => {
  const mentor = await signUp('mia@example.com', 'Mia');
  const cand = await signUp('cam@example.com', 'Cam');
  const eve = await signUp('eve@example.com', 'Eve');
  const pid = (await req(cand, 'POST', '/api/me/profile')).json.id;
  await req(cand, 'PUT', `/api/profiles/${pid}/mentors`, { emails: ['mia@example.com'] });
  // problem-solving 1, 3, 2, 4 over three loops: median 2.5, middle half 1.75-3.25.
  const plan = [['Week 1', [[1, 2]]], ['Week 2', [[3, 3], [2, 3]]], ['Week 3', [[4, 4]]]];
  for (const [title, cards] of plan) {
    const participants = cards.map((_, i) => ({ displayName: `Interviewer ${i + 1}`, role: 'ROLE_INTERVIEWER', roundIndexes: [0] }));
    const made = (await req(mentor, 'POST', '/api/loops', { templateId: 'single-coding', title, candidateName: 'Cam', participants })).json;
    const tokens = made.invites.filter((i) => i.role === 'ROLE_INTERVIEWER').map((i) => i.token);
    for (const [i, [comp, lp]] of cards.entries()) {
      const base = `/api/loops/${made.loop.id}/rounds/0/scorecard`;
      await req(null, 'PUT', base, { overall: R[comp], competencies: [{ competencyId: 'problem-solving', rating: R[comp] }], lpSignals: [{ lpId: 'dive-deep', rating: R[lp] }] }, tokens[i]);
      await req(null, 'POST', `${base}/submit`, undefined, tokens[i]);
    }
    await req(mentor, 'POST', `/api/profiles/${pid}/loops`, { loopId: made.loop.id });
  }

  const { ctx, page } = await asBrowser(cand);
  await page.goto(`${server.base}/progress`);
  await page.waitForSelector(`${T('series')}[data-id="problem-solving"]`, { timeout: 10_000 });
  const caption = await page.textContent(`${T('series')}[data-id="problem-solving"] figcaption`);
  assert.match(caption, /4 ratings · median 2\.5 · middle half 1\.75-3\.25 · range 1-4/);
  assert.equal(await page.locator(`${T('series')}[data-id="problem-solving"] circle`).count(), 4);
  assert.equal(await page.locator(`${T('loops')} tbody tr`).count(), 3);
  assert.match(await page.textContent(T('gaps')), /No story shows 16 of the 16 principles/);

  // The self-assessment, on the page: all 4s -> 75, six-week intensive.
  await page.click('#assess-h ~ details summary');
  for (const sel of await page.locator('select[data-statement]').all()) await sel.selectOption('4');
  await page.click('#assess-h ~ details button[type="submit"]');
  await page.waitForFunction((sel) => /75 \/ 100 · Six-week intensive/.test(document.querySelector(sel)?.textContent ?? ''), T('latest-assessment'));
  await page.locator('#comp-h').scrollIntoViewIfNeeded();
  await shot(page, 'progress-candidate');

  // The story bank: add two stories, edit the first in place, delete the second.
  const addStory = async (title, situation) => {
    await page.click('#stories-h ~ details summary');
    const form = page.locator(T('story-add'));
    await form.locator('input[name="title"]').fill(title);
    await form.locator('textarea[name="situation"]').fill(situation);
    await form.locator('button[type="submit"]').click();
    await page.waitForFunction(([sel, t]) => [...document.querySelectorAll(sel)].some((e) => e.textContent.includes(t)), [T('story'), title]);
  };
  await addStory('Pager storm', 'Alerts every night');
  await addStory('Draft to drop', 'Not needed');
  const before = (await req(cand, 'GET', `/api/profiles/${pid}/stories`)).json.stories;
  assert.deepEqual(before.map((s) => s.content.title), ['Pager storm', 'Draft to drop']);
  const [first, second] = before;
  assert.equal((await req(mentor, 'GET', `/api/profiles/${pid}/stories`)).json.stories, undefined, 'private until shared');

  const item = page.locator(`${T('story')}[data-id="${first.id}"]`);
  await item.getByRole('button', { name: 'Edit' }).click();
  const edit = item.locator(T('story-edit'));
  assert.equal(await edit.locator('input[name="title"]').inputValue(), 'Pager storm', 'the form opens filled in');
  assert.equal(await edit.locator('textarea[name="situation"]').inputValue(), 'Alerts every night');
  await edit.locator('input[name="title"]').fill('Pager storm, fixed');
  await edit.locator('textarea[name="task"]').fill('Stop the pages');
  await edit.locator('textarea[name="action"]').fill('Rewrote the alert rules');
  await edit.locator('textarea[name="result"]').fill('Pages down 90%');
  await edit.locator('input[type="checkbox"][value="ownership"]').check();
  await edit.locator('input[type="checkbox"][value="dive-deep"]').check();
  await edit.locator('select[name="kind"]').selectOption({ label: 'Leadership impact' });
  await edit.locator('textarea[name="growth"]').fill('Alert on symptoms, not causes');
  await edit.locator('input[name="shared"]').check();
  await edit.evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot(page, 'progress-story-editing');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await page.waitForFunction((sel) => document.querySelector(sel)?.textContent.includes('Pager storm, fixed'), `${T('story')}[data-id="${first.id}"]`);
  const saved = (await req(cand, 'GET', `/api/profiles/${pid}/stories`)).json.stories.find((s) => s.id === first.id);
  assert.equal(saved.content.title, 'Pager storm, fixed');
  assert.equal(saved.content.situation, 'Alerts every night');
  assert.equal(saved.content.task, 'Stop the pages');
  assert.equal(saved.content.action, 'Rewrote the alert rules');
  assert.equal(saved.content.result, 'Pages down 90%');
  assert.deepEqual(saved.content.principles.sort(), ['dive-deep', 'ownership']);
  assert.equal(saved.content.kind, 'STORY_KIND_LEADERSHIP_IMPACT');
  assert.equal(saved.content.followUps.growth, 'Alert on symptoms, not causes');
  assert.equal(saved.content.shared, true);
  assert.deepEqual((await req(mentor, 'GET', `/api/profiles/${pid}/stories`)).json.stories.map((s) => s.content.title), ['Pager storm, fixed']);

  page.once('dialog', (d) => d.accept());
  await page.locator(`${T('story')}[data-id="${second.id}"]`).getByRole('button', { name: 'Delete' }).click();
  await page.waitForFunction((sel) => !document.querySelector(sel), `${T('story')}[data-id="${second.id}"]`);
  const after = (await req(cand, 'GET', `/api/profiles/${pid}/stories`)).json;
  assert.deepEqual(after.stories.map((s) => s.id), [first.id]);
  assert.equal(after.coverage.stories, 1);
  await page.locator(`${T('story')}[data-id="${first.id}"] summary`).click();
  await page.locator('#stories-h').evaluate((e) => e.scrollIntoView({ block: 'start' }));
  await shot(page, 'progress-story-bank');
  await ctx.close();

  // A stranger gets nothing.
  const other = await asBrowser(eve);
  await other.page.goto(`${server.base}/progress/${pid}`);
  await other.page.waitForSelector('.error');
  assert.match(await other.page.textContent('.error'), /not shared with you/);
  await other.ctx.close();
});

test('a mentor hands a kept profile to the candidate, who takes it over in her browser', async () => {
  const mentor = await signUp('kim@example.com', 'Kim');
  const kept = (await req(mentor, 'POST', '/api/profiles', { name: 'Dana' })).json;
  await req(mentor, 'POST', `/api/profiles/${kept.id}/assessments`, { ratings: Array(12).fill(4) });

  const m = await asBrowser(mentor);
  await m.page.goto(`${server.base}/progress/${kept.id}`);
  await m.page.click(`${T('handover')} button`);
  const link = await (await m.page.waitForSelector(T('handover-link'))).inputValue();
  assert.match(link, /\/progress\/claim\?code=[A-Za-z0-9_-]{32}$/);
  await shot(m.page, 'progress-handover-link');
  await m.ctx.close();

  // Dana opens the link before signing in: the page sends her to sign in and, once she has,
  // back to the same link with its code.
  const dana = await signUp('dana@example.com', 'Dana');
  const d = { ctx: await b.browser.newContext({ viewport: { width: 1280, height: 1000 } }) };
  d.page = await d.ctx.newPage();
  await d.page.goto(link);
  await d.page.click(T('claim-sign-in'));
  await d.page.waitForURL(/\/login\?next=/);
  await d.page.fill(T('auth-email'), 'dana@example.com');
  await d.page.fill(T('auth-password'), 'a long test password');
  await d.page.click(T('auth-submit'));
  await d.page.waitForURL(link);
  await d.page.waitForSelector(T('claim'));
  await shot(d.page, 'progress-claim');
  await d.page.click(T('claim'));
  await d.page.waitForURL(`${server.base}/progress/${kept.id}`);
  await d.page.waitForSelector(T('latest-assessment'));
  const mine = (await req(dana, 'GET', `/api/profiles/${kept.id}`)).json;
  assert.equal(mine.relation, 'PROFILE_RELATION_CANDIDATE');
  assert.deepEqual(mine.mentors.map((x) => x.email), ['kim@example.com']);
  // Used: the link does nothing a second time.
  await d.page.goto(link);
  await d.page.click(T('claim'));
  await d.page.waitForSelector('[role="status"].error');
  assert.match(await d.page.textContent('[role="status"]'), /no such handover code/);
  await d.ctx.close();
});
