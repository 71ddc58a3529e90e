// Issue 15 items 4-7 in headless Chromium against the real server: a panel built in the
// lobby (two interviewers per onsite round, an observer, the optional round, a schedule) and
// managed afterwards on the host's settings page (reassign, remove, reissue a link): the
// removed person's open page closes, a replaced link stops working and the new one works.
// Colleagues' scorecards: absent from the page, every frame and every response before you
// submit, shown side by side after. No silent loss: two tabs on one scorecard get a
// conflict with both texts instead of a silent overwrite; a reload right after typing keeps
// the text. Screenshots go to test-output/e2e/.
//
// Run: (cd client-web && npm run build) && (cd tests/e2e && npm test)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { recordFrames, shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env));

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1366, height: 900 };

async function api(method, path, token, body) {
  const res = await fetch(`${server.base}${path}`, {
    method,
    headers: { Accept: 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}), ...(body ? { 'Content-Type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : {} };
}

const tokenOf = (link) => new URL(link).searchParams.get('token');

async function openRoom(ctx, link) {
  const page = await ctx.newPage();
  await page.goto(link);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  return page;
}

async function refused(page) {
  await page.waitForSelector(`${T('room-banner')}:not([hidden])`, { timeout: 10_000 });
  await page.waitForSelector(`${T('conn-state')}[data-state="refused"]`, { timeout: 10_000 });
}

test('a panel built in the lobby and managed on the settings page', async () => {
  const ctx = await b.browser.newContext({ viewport: VIEW });
  const host = await ctx.newPage();
  host.on('dialog', (d) => d.accept());
  await host.goto(`${server.base}/`);
  await host.waitForSelector(`${T('template-select')} option`, { state: 'attached' });
  await host.selectOption(T('level-select'), { label: 'L6 (engineering manager)' });
  const l6 = await host.$eval(T('template-select'), (s) => [...s.options].find((o) => /l6/i.test(o.value))?.value);
  await host.selectOption(T('template-select'), l6);
  assert.match(await host.$eval(T('template-select'), (s) => s.selectedOptions[0].textContent), /7 rounds \+ 1 optional/);
  await host.fill(T('candidate-name'), 'Ada Candidate');
  await host.fill(T('interviewer-name'), '');
  const onsite = { 'coding-1': 'Ann, Ben', 'coding-2': 'Ben, Cy', 'system-design': 'Ann, Dee', 'behavioral-1': 'Cy, Dee', 'behavioral-2': 'Ann, Eve', 'bar-raiser': 'Eve' };
  await host.fill(T('interviewers-phone-screen'), 'Ann');
  for (const [id, names] of Object.entries(onsite)) await host.fill(T(`interviewers-${id}`), names);
  await host.fill(T('interviewers-hm-chat'), 'Dee');
  assert.equal(await host.isChecked(T('include-hm-chat')), true, 'the optional round is on by default');
  await host.fill(T('bar-raiser-name'), 'Sam');
  await host.fill(T('observer-names'), 'Obi');
  const start = new Date(Date.now() + 24 * 3600_000);
  start.setHours(9, 0, 0, 0);
  const local = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}T09:00`;
  await host.fill(T('start-phone-screen'), local(start));
  await host.click(T('fill-times'));
  assert.notEqual(await host.inputValue(T('start-hm-chat')), '', 'later starts are filled in');
  await shot(host, 'panel-01-lobby-builder');
  await host.click(T('create-loop'));
  await host.waitForSelector(T('invite-candidate'), { timeout: 10_000 });
  await host.waitForSelector(T('keep-link-warning'));
  const links = Object.fromEntries(await host.$$eval('input[data-person]', (ins) => ins.map((i) => [i.dataset.person, i.value])));
  assert.ok(links.Ann && links.Ben && links.Obi && links.Host, JSON.stringify(Object.keys(links)));
  assert.equal(await host.$$eval(`${T('schedule')} li`, (l) => l.length), 8, 'the loop has the optional round: 8 rounds');
  assert.match(await host.textContent(T('schedule-round-0')), /9:00|09:00/, 'the start is shown in the viewer\'s time zone');
  await shot(host, 'panel-02-lobby-created');

  const hostToken = tokenOf(links.Host);
  const loopId = (await api('GET', '/api/loops', hostToken)).json.loops[0].id;
  let loop = (await api('GET', `/api/loops/${loopId}`, hostToken)).json;
  const person = (name) => loop.loop.participants.find((p) => p.displayName === name);
  assert.equal(loop.loop.rounds.length, 8);
  assert.deepEqual(person('Ann').roundIndexes, [0, 1, 3, 5], 'one person in several rounds');
  for (const r of [1, 2, 3, 4, 5]) {
    const n = loop.loop.participants.filter((p) => p.role === 'ROLE_INTERVIEWER' && (p.roundIndexes ?? []).includes(r)).length;
    assert.equal(n, 2, `two interviewers in onsite round ${r}`);
  }
  assert.equal(person('Obi').role, 'ROLE_OBSERVER');
  assert.equal(person('Sam').role, 'ROLE_BAR_RAISER');
  assert.ok(Number(loop.loop.rounds[0].startsAtMs) > Date.now());

  // Obi (observer) and Ben (interviewer) have their rooms open.
  const obiCtx = await b.browser.newContext({ viewport: VIEW });
  const obi = await openRoom(obiCtx, links.Obi);
  const benCtx = await b.browser.newContext({ viewport: VIEW });
  const ben = await openRoom(benCtx, links.Ben);
  await ben.click(T('schedule-menu'));
  assert.match(await ben.textContent(T('schedule-menu')), /Hiring manager chat/);

  // The host's settings page.
  await host.click(T('open-settings-link'));
  await host.waitForSelector(T('people-table'));
  await host.waitForSelector(`${T('person-status-Ben')}:text("joined")`, { timeout: 5_000 });
  assert.equal(await host.textContent(T('person-status-Ann')), 'invited');
  await shot(host, 'panel-03-settings');

  // Reassign Cy from coding 2 to system design (and keep behavioral 1).
  await host.uncheck(T('person-Cy-round-2'));
  await host.check(T('person-Cy-round-3'));
  await host.click(T('person-save-Cy'));
  await host.waitForSelector(`${T('settings-status')}:text("Saved Cy")`);
  loop = (await api('GET', `/api/loops/${loopId}`, hostToken)).json;
  assert.deepEqual(person('Cy').roundIndexes, [3, 4]);

  // Remove Obi: the open page shows the revoked state.
  await host.click(T('person-remove-Obi'));
  await host.waitForSelector(`${T('settings-status')}:text("Removed Obi")`);
  await refused(obi);
  assert.match(await obi.textContent(T('room-banner')), /revoked/i);
  await shot(obi, 'panel-04-removed-observer');
  assert.equal((await api('GET', `/api/loops/${loopId}`, tokenOf(links.Obi))).status, 401);
  assert.equal(await host.$(T('person-Obi')), null, 'the removed person is gone from the list');

  // Reissue Ben's link: the open page closes, the old link is refused, the new one works.
  await host.click(T('person-reissue-Ben'));
  const fresh = await (await host.waitForSelector(T('person-link-Ben'))).inputValue();
  assert.notEqual(fresh, links.Ben);
  await refused(ben);
  await shot(host, 'panel-05-reissued');
  const oldPage = await benCtx.newPage();
  await oldPage.goto(links.Ben);
  await refused(oldPage);
  const ben2Ctx = await b.browser.newContext({ viewport: VIEW });
  const ben2 = await openRoom(ben2Ctx, fresh);
  assert.equal(await ben2.getAttribute(T('room'), 'data-role'), 'interviewer');
  // The invite list never carries a token.
  loop = (await api('GET', `/api/loops/${loopId}`, hostToken)).json;
  assert.ok(loop.invites.every((i) => !i.token));

  // Schedule edit: move the system design round.
  const sd = new Date(start.getTime() + 2 * 24 * 3600_000);
  await host.fill(T('start-3'), local(sd).replace('T09:00', 'T15:30'));
  await host.click(T('save-schedule'));
  await host.waitForSelector(`${T('settings-status')}:text("Schedule saved")`);
  loop = (await api('GET', `/api/loops/${loopId}`, tokenOf(fresh))).json;
  assert.equal(new Date(Number(loop.loop.rounds[3].startsAtMs)).getHours(), 15);
  for (const c of [ctx, obiCtx, benCtx, ben2Ctx]) await c.close();
});

test("colleagues' scorecards: nothing before submitting, side by side after", async () => {
  const created = await api('POST', '/api/loops', '', {
    templateId: 'single-coding', candidateName: 'Cat', hostName: 'Hal',
    participants: [{ displayName: 'Ann', role: 'ROLE_INTERVIEWER', roundIndexes: [0] }, { displayName: 'Ben', role: 'ROLE_INTERVIEWER', roundIndexes: [0] }],
  });
  assert.equal(created.status, 201);
  const tok = Object.fromEntries(created.json.invites.map((i) => [i.displayName, i.token]));
  const loopId = created.json.loop.id;
  const SECRET = 'BEN-EVIDENCE-5521-never-before-submit';
  // Ben submits first (REST).
  const path = `/api/loops/${loopId}/rounds/0/scorecard`;
  const view = (await api('GET', path, tok.Ben)).json;
  assert.equal(view.othersHidden, true);
  const benDraft = { competencies: [{ competencyId: 'problem-solving', rating: 'RATING_NO_HIRE', evidence: SECRET }], overall: 'RATING_NO_HIRE', summary: `${SECRET} summary` };
  assert.equal((await api('PUT', path, tok.Ben, benDraft)).status, 200);
  assert.equal((await api('POST', `${path}/submit`, tok.Ben)).status, 200);

  const ctx = await b.browser.newContext({ viewport: VIEW });
  const page = await ctx.newPage();
  const frames = recordFrames(page);
  const bodies = [];
  page.on('response', async (r) => {
    if (r.url().includes('/api/')) bodies.push(await r.text().catch(() => ''));
  });
  await page.goto(`${server.base}/join?token=${tok.Ann}`);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await page.waitForSelector(T('colleague-scorecards'));
  assert.equal(await page.getAttribute(T('colleague-scorecards'), 'data-state'), 'hidden');
  // Ann works on her draft (saves go out) without seeing Ben's card anywhere.
  await page.check(`${T('rating-problem-solving')} input[value="3"]`);
  await page.check(T('overall-3'));
  await page.fill(T('scorecard-summary'), 'Ann: solid solution, clear tests');
  await page.waitForSelector(`${T('scorecard-status')}[data-state="draft"]`, { timeout: 5_000 });
  assert.ok(!(await page.content()).includes(SECRET), 'the page shows nothing of the colleague');
  const seen = () => [...frames.map((f) => f.data.toString('latin1')), ...bodies].filter((x) => x.includes(SECRET) || x.includes('BEN-EVIDENCE'));
  assert.equal(seen().length, 0, 'no frame or response carried the colleague\'s scorecard before submitting');
  assert.ok(frames.length > 0);
  await shot(page, 'panel-06-before-submit');

  await page.click(T('scorecard-submit'));
  await page.waitForSelector(`${T('colleague-scorecards')}[data-state="shown"]`, { timeout: 5_000 });
  await page.waitForSelector(T('compare-colleague'));
  const table = await page.textContent(T('colleague-scorecards'));
  assert.match(table, /Ben/);
  assert.ok(table.includes(SECRET), 'the colleague\'s evidence is shown after submitting');
  assert.equal(await page.getAttribute(T('compare-problem-solving'), 'data-disagreement'), 'split', 'hire vs no hire is highlighted');
  assert.equal(await page.getAttribute(T('compare-overall'), 'data-disagreement'), 'split');
  await page.locator(T('colleague-scorecards')).scrollIntoViewIfNeeded();
  await shot(page, 'panel-07-colleague-scorecards');

  // The host sees both at once (no scorecard of their own).
  const hostPage = await ctx.newPage();
  await hostPage.goto(`${server.base}/join?token=${tok.Hal}`);
  await hostPage.waitForSelector(`${T('colleague-scorecards')}[data-state="shown"]`, { timeout: 15_000 });
  assert.equal(await hostPage.$$eval(T('compare-colleague'), (n) => n.length), 2);
  await ctx.close();
});

test('two tabs on one scorecard: the stale save is refused and shown; a reload keeps the text', async () => {
  const created = await api('POST', '/api/loops', '', { templateId: 'single-coding', candidateName: 'Cat', participants: [{ displayName: 'Ann', role: 'ROLE_INTERVIEWER' }] });
  const ann = created.json.invites.find((i) => i.displayName === 'Ann').token;
  const loopId = created.json.loop.id;
  const path = `/api/loops/${loopId}/rounds/0/scorecard`;
  const ctx = await b.browser.newContext({ viewport: VIEW });
  const a = await openRoom(ctx, `${server.base}/join?token=${ann}`);
  const bTab = await openRoom(ctx, `${server.base}/join?token=${ann}`);
  bTab.on('dialog', (d) => d.accept());

  await a.fill(T('scorecard-summary'), 'typed in tab A');
  await a.waitForSelector(`${T('scorecard-status')}[data-state="draft"]`, { timeout: 5_000 });
  await bTab.fill(T('scorecard-summary'), 'typed in tab B');
  await bTab.waitForSelector(`${T('scorecard-conflict')}:not([hidden])`, { timeout: 5_000 });
  assert.match(await bTab.textContent(T('conflict-mine')), /typed in tab B/);
  assert.match(await bTab.textContent(T('conflict-theirs')), /typed in tab A/);
  assert.equal((await api('GET', path, ann)).json.mine.content.summary, 'typed in tab A', 'nothing was overwritten');
  await bTab.locator(T('scorecard-conflict')).scrollIntoViewIfNeeded();
  await shot(bTab, 'panel-08-conflict');
  await bTab.click(T('conflict-keep-mine'));
  await bTab.waitForSelector(`${T('scorecard-status')}[data-state="draft"]`, { timeout: 5_000 });
  assert.equal((await api('GET', path, ann)).json.mine.content.summary, 'typed in tab B');

  // Type and reload at once: the text survives (stash + keepalive save) and reaches the server.
  await bTab.click(T('scorecard-summary'));
  await bTab.keyboard.press('End');
  await bTab.keyboard.type(' and the last words');
  await bTab.reload();
  await bTab.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await bTab.waitForFunction(() => document.querySelector('[data-testid="scorecard-summary"]')?.value === 'typed in tab B and the last words', null, { timeout: 5_000 });
  const deadline = Date.now() + 5_000;
  let saved = '';
  while (Date.now() < deadline && saved !== 'typed in tab B and the last words') {
    saved = (await api('GET', path, ann)).json.mine.content.summary;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(saved, 'typed in tab B and the last words');
  assert.equal(await bTab.isHidden(T('scorecard-conflict')), true, 'no false conflict after the reload');
  await ctx.close();
});
