// The whole interview flow in headless Chromium against the real server (issue 6 "Proof"):
// host creates an L6 loop; the interviewer moves the loop to the system design round and the
// candidate joins it there, in two
// contexts; a box drawn by one appears for the other; code typed by the candidate appears for
// the interviewer; both show the same phase and remaining seconds (within 1 s); the
// candidate's page has no rubric/score element and its WebSockets never carry scorecard or
// rubric data; the interviewer submits a scorecard; the debrief shows it. Screenshots go to
// test-output/e2e/.
//
// Run: (cd client-web && npm run build) && (cd tests/e2e && npm install && npm test)
// Env: MOCKLOOP_BIN (server binary), MOCKLOOP_E2E_FAKE=1 (stand-in server, client checks only).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBinary } from '@bufbuild/protobuf';
import { ServerMessageSchema } from './gen/session_pb.js';
import { recordFrames, shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env));

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1366, height: 820 };

// The loop has one current round (issue 15): staff bring the loop to System design (look at
// it, then "Move the loop here"); the candidate, who has no round picker, lands where the
// loop is.
async function joinSystemDesign(page, link) {
  await page.goto(link);
  await page.waitForSelector(`${T('room')}[data-round]`, { timeout: 15_000 });
  if (await page.$(T('round-select'))) {
    const idx = await page.$eval(T('round-select'), (sel) => [...sel.options].find((o) => /system design/i.test(o.textContent))?.value);
    assert.ok(idx !== undefined, 'the loop has a system design round');
    if ((await page.$eval(T('round-select'), (s) => s.value)) !== idx) {
      await page.selectOption(T('round-select'), idx);
      await page.click(T('move-loop-here'));
    }
  }
  await page.waitForFunction((re) => new RegExp(re, 'i').test(document.querySelector('[data-testid="round-title"]')?.textContent ?? ''), 'system design');
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  assert.doesNotMatch(page.url(), /token=/, 'the invite token leaves the address bar once read');
  await page.click(T('view-split'));
}

function decodeSession(frames) {
  const out = [];
  for (const f of frames) {
    if (f.dir !== 'in' || !f.url.includes('/session')) continue;
    try {
      out.push(fromBinary(ServerMessageSchema, new Uint8Array(f.data)));
    } catch {
      out.push(null);
    }
  }
  return out;
}

test('an L6 loop from lobby to debrief', async (t) => {
  // --- host creates the loop ---
  const hostCtx = await b.browser.newContext({ viewport: VIEW });
  const host = await hostCtx.newPage();
  await host.goto(`${server.base}/`);
  await host.waitForSelector(`${T('template-select')} option`, { state: 'attached' });
  await host.selectOption(T('level-select'), { label: 'L6 (engineering manager)' });
  const l6 = await host.$eval(T('template-select'), (s) => [...s.options].find((o) => /l6/i.test(o.value + o.textContent))?.value);
  assert.ok(l6, 'an L6 template is offered');
  await host.selectOption(T('template-select'), l6);
  await host.fill(T('candidate-name'), 'Ada Candidate');
  await host.fill(T('interviewer-name'), 'Ivan Interviewer');
  await host.click(T('create-loop'));
  await host.waitForSelector(T('invite-candidate'), { timeout: 10_000 });
  const link = (role) => host.$eval(T(`invite-${role}`), (i) => i.value);
  const candLink = await link('candidate');
  const intLink = await link('interviewer');
  const debriefHref = await host.$eval(T('open-debrief-link'), (a) => a.href);
  assert.match(candLink, /token=/);
  await shot(host, '01-lobby-invites');

  // --- interviewer and candidate join the system design round ---
  const intCtx = await b.browser.newContext({ viewport: VIEW });
  const candCtx = await b.browser.newContext({ viewport: VIEW });
  const inter = await intCtx.newPage();
  const cand = await candCtx.newPage();
  const candFrames = recordFrames(cand);
  const intFrames = recordFrames(inter);
  await joinSystemDesign(inter, intLink);
  await joinSystemDesign(cand, candLink);
  assert.equal(await inter.getAttribute(T('room'), 'data-role'), 'interviewer');
  assert.equal(await cand.getAttribute(T('room'), 'data-role'), 'candidate');

  // --- the interviewer asks a question (prompt to all, hints to staff) ---
  await inter.waitForSelector(T('interviewer-panel'));
  const ask = await inter.$(`[data-testid^="select-question-"]`);
  if (ask) {
    await inter.click('summary:has-text("Question bank")').catch(() => {});
    await ask.click();
    await cand.waitForSelector(`${T('question-prompt')}:not([hidden])`, { timeout: 5000 });
  }

  // --- a box drawn by the interviewer appears for the candidate ---
  await inter.click(T('tool-rect'));
  const box = await inter.$(T('board-canvas'));
  const bb = await box.boundingBox();
  await inter.mouse.move(bb.x + 80, bb.y + 80);
  await inter.mouse.down();
  await inter.mouse.move(bb.x + 200, bb.y + 150, { steps: 5 });
  await inter.mouse.up();
  await cand.waitForSelector(`${T('board-shapes')} [data-shape-type="rect"]`, { timeout: 5000 });
  // ... and a sticky drawn by the candidate appears for the interviewer.
  await cand.click(T('tool-sticky'));
  const cbb = await (await cand.$(T('board-canvas'))).boundingBox();
  await cand.mouse.click(cbb.x + 300, cbb.y + 100);
  await cand.keyboard.type('cache?');
  await cand.keyboard.press('Enter');
  await inter.waitForFunction(() => [...document.querySelectorAll('[data-shape-type="sticky"] text')].some((t) => t.textContent === 'cache?'), null, { timeout: 5000 });

  // --- code typed by the candidate appears for the interviewer ---
  await cand.click('.cm-content');
  await cand.keyboard.type('def shard(key):\n    return hash(key) % 16');
  await inter.waitForFunction(() => document.querySelector('.cm-content')?.textContent.includes('hash(key) % 16'), null, { timeout: 5000 });

  // --- the interviewer starts the timer; both show the same phase and remaining seconds ---
  const start = await inter.$(T('timer-start'));
  if (start) await start.click();
  await cand.waitForSelector(`${T('timer-bar')}[data-status="running"]`, { timeout: 5000 });
  await inter.waitForSelector(`${T('timer-bar')}[data-status="running"]`, { timeout: 5000 });
  await new Promise((r) => setTimeout(r, 1500)); // a few ping/pong rounds for the clock offset
  const read = (p) => p.evaluate(() => ({ phase: document.querySelector('[data-testid="timer-phase"]').textContent, ms: Number(document.querySelector('[data-testid="timer-remaining"]').dataset.ms), text: document.querySelector('[data-testid="timer-remaining"]').textContent, at: Date.now() }));
  const [ti, tc] = await Promise.all([read(inter), read(cand)]);
  assert.equal(tc.phase, ti.phase, 'same phase');
  // Both pages run on this machine's clock, so remaining + read time must agree.
  const skew = Math.abs(ti.ms + ti.at - (tc.ms + tc.at));
  assert.ok(skew < 1000, `remaining time differs by ${skew} ms (${ti.text} vs ${tc.text})`);
  assert.ok(ti.ms > 0, 'the phase is counting down');

  // --- the interviewer's own notes (staff only) ---
  await inter.click(T('my-notes-content'));
  await inter.keyboard.type('PRIVATE-NOTE-7f3a candidate skipped capacity estimates');

  // --- the interviewer submits a scorecard ---
  const ratings = await inter.$$eval('fieldset[data-testid^="rating-"]', (fs) => fs.map((f) => f.dataset.testid));
  for (const r of ratings) await inter.check(`[data-testid="${r}-3"]`);
  await inter.check(T('overall-3'));
  await inter.fill(T('scorecard-summary'), 'SCORECARD-SUMMARY-91c2 clear requirements, solid sharding');
  await shot(inter, '02-interviewer-room');
  await inter.click(T('scorecard-submit'));
  await inter.waitForSelector(`${T('scorecard-status')}[data-state="submitted"]`, { timeout: 5000 });

  // --- the candidate's page has no rubric or score element ---
  await new Promise((r) => setTimeout(r, 500));
  await shot(cand, '03-candidate-room');
  for (const sel of ['interviewer-panel', 'rubric-form', 'scorecard-submit', 'scorecard-status', 'notes-panel', 'my-notes', 'bar-raiser-panel', 'question-hints']) {
    assert.equal(await cand.$$eval(T(sel), (n) => n.length), 0, `candidate page has ${sel}`);
  }
  assert.equal(await cand.$eval(T('phase-guidance'), (g) => g.hidden && g.textContent === ''), true, 'candidate sees interviewer guidance');
  assert.equal(await inter.$eval(T('phase-guidance'), (g) => !g.hidden && g.textContent.length > 0), true, 'interviewer sees the phase guidance');
  assert.equal(await cand.$$eval('[data-testid^="rating-"], [data-testid^="overall"], [data-testid^="competency-"]', (n) => n.length), 0, 'candidate page has rating inputs');

  // --- the candidate's WebSockets never carried scorecard or rubric data ---
  assert.ok(candFrames.length > 0, 'candidate frames were recorded');
  assert.ok(candFrames.some((f) => f.url.includes('/session')), 'candidate used the session socket');
  assert.ok(!candFrames.some((f) => f.url.includes('-private')), 'candidate opened the private doc');
  assert.ok(!candFrames.some((f) => f.url.includes('-notes-')), 'candidate opened a notes doc');
  for (const m of decodeSession(candFrames)) {
    assert.ok(m, 'candidate received an unparsable session frame');
    assert.notEqual(m.body.case, 'scorecard', 'candidate received a scorecard message');
    if (m.body.case === 'snapshot') {
      const s = m.body.value;
      assert.equal(s.rubric, undefined, 'candidate snapshot carries a rubric');
      assert.equal(s.myScorecard, undefined, 'candidate snapshot carries a scorecard');
      assert.equal(s.questions.length, 0, 'candidate snapshot carries the question bank');
      assert.equal(s.selectedQuestion, undefined, 'candidate snapshot carries the full question');
      assert.equal(s.privateDoc, '', 'candidate snapshot names the private doc');
      assert.equal(s.notes, undefined, 'candidate snapshot names notes docs');
    }
    if (m.body.case === 'questionSelected') assert.equal(m.body.value.question, undefined, 'candidate got the question with hints');
  }
  // Every string the interviewer got that is interviewer-only must be absent from every
  // candidate frame (session and Yjs, in and out), byte for byte.
  const secrets = new Set(['PRIVATE-NOTE-7f3a', 'SCORECARD-SUMMARY-91c2']);
  for (const m of decodeSession(intFrames)) {
    if (m?.body.case !== 'snapshot') continue;
    const s = m.body.value;
    for (const c of s.rubric?.competencies ?? []) for (const a of Object.values(c.anchors ?? {})) if (typeof a === 'string' && a.length > 12) secrets.add(a);
    for (const q of s.questions) for (const h of [...q.hints, q.interviewerNotes]) if (h && h.length > 12) secrets.add(h);
    for (const ph of s.plan?.phases ?? []) if (ph.guidance.length > 12) secrets.add(ph.guidance); // "shown to interviewers"
  }
  assert.ok(secrets.size > 2, 'the interviewer received rubric anchors or hints to compare against');
  const candBytes = Buffer.concat(candFrames.map((f) => f.data));
  for (const s of secrets) assert.ok(!candBytes.includes(Buffer.from(s)), `candidate frames contain interviewer-only text: ${s.slice(0, 40)}`);

  // --- the Bar Raiser vetoes in the Bar Raiser round ---
  const brLink = await host.$eval(T('invite-bar_raiser'), (i) => i.value);
  const brCtx = await b.browser.newContext({ viewport: VIEW });
  const br = await brCtx.newPage();
  await br.goto(brLink);
  await br.waitForSelector(T('round-select'), { timeout: 15_000 });
  const brIdx = await br.$eval(T('round-select'), (sel) => [...sel.options].find((o) => /bar raiser/i.test(o.textContent))?.value);
  if ((await br.$eval(T('round-select'), (s) => s.value)) !== brIdx) await br.selectOption(T('round-select'), brIdx);
  await br.waitForFunction(() => /bar raiser/i.test(document.querySelector('[data-testid="round-title"]')?.textContent ?? ''));
  await br.waitForSelector(T('bar-raiser-panel'));
  for (const r of await br.$$eval('fieldset[data-testid^="rating-"]', (fs) => fs.map((f) => f.dataset.testid))) await br.check(`[data-testid="${r}-2"]`);
  await br.check(T('overall-2'));
  await br.check(T('verdict-2')); // BAR_RAISER_VERDICT_VETO
  await br.fill(T('scorecard-summary'), 'VETO-SUMMARY ownership of failures was missing');
  await br.click(T('scorecard-submit'));
  await br.waitForSelector(`${T('scorecard-status')}[data-state="submitted"]`, { timeout: 5000 });
  await shot(br, '04b-bar-raiser-veto');
  await brCtx.close();

  // --- the debrief shows the scorecard ---
  await host.goto(debriefHref);
  await host.waitForSelector(T('debrief-decision'), { timeout: 10_000 });
  await host.waitForFunction(() => document.body.textContent.includes('SCORECARD-SUMMARY-91c2'), null, { timeout: 5000 });
  assert.ok(await host.$$eval(T('debrief-scorecard'), (n) => n.length) >= 2);
  assert.match(await host.textContent(T('debrief-decision')), /vetoed/i, 'the decision shows the Bar Raiser veto');
  await shot(host, '04-debrief');
  assert.doesNotMatch(host.url(), /token=/, 'the token leaves the address bar');
  await host.reload(); // the tab keeps its token (sessionStorage) across a reload
  await host.waitForSelector(T('debrief-decision'), { timeout: 10_000 });
  if (!server.fake) {
    // The HTML report opens in a sandboxed frame (opaque origin, no scripts), never as a blob:
    // page. Its only allowance is popups (a cited moment opens the replay in a new tab).
    await host.click(T('debrief-html'));
    const frameEl = await host.waitForSelector(T('debrief-report-frame'), { timeout: 10_000 });
    const sandbox = (await frameEl.getAttribute('sandbox')).split(/\s+/).filter(Boolean).sort();
    assert.deepEqual(sandbox, ['allow-popups', 'allow-popups-to-escape-sandbox'], 'sandbox without allow-same-origin or allow-scripts');
    const frame = await frameEl.contentFrame();
    await frame.waitForSelector('svg', { timeout: 10_000 });
    assert.equal(host.context().pages().length, 1, 'no new tab or window');
    await shot(host, '04c-debrief-report');
  }

  // --- the server's HTML report renders our board (docs/board-model.md) and the final code ---
  const du = new URL(debriefHref);
  const loopId = du.pathname.split('/').pop();
  const html = await (await fetch(`${server.base}/api/loops/${loopId}/debrief`, { headers: { Accept: 'text/html', Authorization: `Bearer ${du.searchParams.get('token')}` } })).text();
  if (server.fake) t.diagnostic('stand-in server: HTML report not checked');
  else {
    assert.match(html, /<svg[^>]*>[\s\S]*cache\?[\s\S]*<\/svg>/, 'the report has the whiteboard as SVG with the sticky text');
    assert.match(html, /<rect/, 'the box drawn in the room is in the report');
    assert.ok(html.includes('hash(key) % 16'), 'the report has the final code');
  }

  // --- the candidate cannot open the debrief ---
  const candToken = new URL(candLink).searchParams.get('token');
  await cand.goto(debriefHref.replace(/token=[^&]+/, `token=${candToken}`));
  await cand.waitForSelector(T('debrief-error'));
});

test('an invalid invite link says so and stops retrying', async () => {
  const ctx = await b.browser.newContext({ viewport: VIEW });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/join?token=not-a-real-token-${Date.now()}`);
  await page.waitForSelector(`${T('room-banner')}:not([hidden])`, { timeout: 10_000 });
  assert.match(await page.textContent(T('room-banner')), /invalid|revoked|refused/i);
  await shot(page, '05-invalid-link');
  await ctx.close();
});

test('revoking an invite closes the open room with a clear message', async () => {
  const ctx = await b.browser.newContext({ viewport: VIEW });
  const host = await ctx.newPage();
  host.on('dialog', (d) => d.accept());
  await host.goto(`${server.base}/`);
  await host.waitForSelector(`${T('template-select')} option`, { state: 'attached' });
  await host.fill(T('candidate-name'), 'Rev Oked');
  await host.click(T('create-loop'));
  await host.waitForSelector(T('invite-candidate'));
  const candLink = await host.$eval(T('invite-candidate'), (i) => i.value);
  const candCtx = await b.browser.newContext({ viewport: VIEW });
  const cand = await candCtx.newPage();
  await cand.goto(candLink);
  await cand.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await host.click(T('revoke-candidate'));
  await host.waitForFunction(() => document.querySelector('[data-testid="revoke-candidate"]')?.textContent === 'Revoked');
  await cand.waitForSelector(`${T('room-banner')}:not([hidden])`, { timeout: 10_000 });
  assert.match(await cand.textContent(T('room-banner')), /revoked/i);
  assert.equal(await cand.getAttribute(T('conn-state'), 'data-state'), 'refused');
  await shot(cand, '08-revoked-link');
  // Reloading the revoked link says the same.
  await cand.reload();
  await cand.waitForSelector(`${T('room-banner')}:not([hidden])`, { timeout: 10_000 });
  assert.match(await cand.textContent(T('room-banner')), /invalid|revoked/i);
  await ctx.close();
  await candCtx.close();
});

test('after a server restart both sessions resync: same phase, same running timer', async (t) => {
  if (server.fake) return t.skip('the stand-in server keeps loops in memory only');
  const res = await fetch(`${server.base}/api/loops`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ templateId: 'l6-loop', candidateName: 'Re Sync', participants: [{ displayName: 'Iris', role: 'ROLE_INTERVIEWER' }] }) });
  assert.equal(res.status, 201);
  const loop = await res.json();
  const link = (role) => `${server.base}${loop.invites.find((i) => i.role === role).link}`;
  const ctxs = [];
  const openAs = async (role) => {
    const ctx = await b.browser.newContext({ viewport: VIEW });
    ctxs.push(ctx);
    const p = await ctx.newPage();
    await joinSystemDesign(p, link(role));
    return p;
  };
  const inter = await openAs('ROLE_INTERVIEWER');
  const cand = await openAs('ROLE_CANDIDATE');
  await inter.click(T('timer-start'));
  await inter.click(T('timer-next'));
  await cand.waitForFunction(() => document.querySelector('[data-testid="timer-phase"]')?.textContent.startsWith('2/'));
  await server.restart(1000);
  for (const p of [inter, cand]) {
    await p.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 20_000 });
    await p.waitForSelector(`${T('timer-bar')}[data-status="running"]`, { timeout: 10_000 });
  }
  await new Promise((r) => setTimeout(r, 1000));
  const read = (p) => p.evaluate(() => ({ phase: document.querySelector('[data-testid="timer-phase"]').textContent, round: document.querySelector('[data-testid="round-title"]').textContent, ms: Number(document.querySelector('[data-testid="timer-remaining"]').dataset.ms), at: Date.now() }));
  const [a, c] = await Promise.all([read(inter), read(cand)]);
  assert.match(a.phase, /^2\//, 'the phase survived the restart');
  assert.equal(c.phase, a.phase);
  assert.match(c.round, /system design/i, 'the candidate is back in the round it had joined');
  assert.ok(Math.abs(a.ms + a.at - (c.ms + c.at)) < 1000, 'same remaining time after the restart');
  for (const ctx of ctxs) await ctx.close();
});
