// Issue 21 in headless Chromium against the real server: the candidate writes into the
// 6-pager template and sees the page estimate change, submits; an interviewer comments on a
// sentence (one comment for the candidate, one staff-only); the candidate sees the first and
// never receives the second (frames searched); the deep-dive round opens with the submitted
// document beside the board and the four-criteria rubric with its sub-criteria; the HTML
// debrief and the candidate's report show the document (and the report prints to PDF).
// Screenshots: test-output/e2e/written-*.png.
//
// Run: (cd client-web && npm run build) && (cd tests/e2e && npm run gen &&
//      MOCKLOOP_BIN=../../build/server/app/mockloop node --test written.e2e.mjs)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { outDir, recordFrames, shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((x) => ({ server, b } = x));

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1440, height: 900 };
const SENTENCE = 'We will stop fraud before the money leaves, in under 100 ms per payment.';
const STAFF_ONLY = 'STAFF-ONLY-e2e: unconvinced about the cost model';
const VISIBLE = 'Name the false-positive rate you will accept.';

async function api(method, path, token, body, accept = 'application/json') {
  const r = await fetch(`${server.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, json: accept === 'application/json' && text ? JSON.parse(text) : undefined };
}

async function page(url) {
  const ctx = await b.browser.newContext({ viewport: VIEW });
  const p = await ctx.newPage();
  const frames = recordFrames(p);
  await p.goto(url);
  return { ctx, p, frames };
}

const total = (p) => p.$eval(T('estimate-total'), (e) => e.textContent);

// Puts the cursor (or a selection) in the draft editor at the given text.
async function selectText(p, needle, { collapseAtEnd = false, before = false } = {}) {
  await p.evaluate(({ needle, collapseAtEnd, before }) => {
    const view = window.__written.view;
    const at = view.state.doc.toString().indexOf(needle);
    if (at < 0) throw new Error(`not in the draft: ${needle}`);
    const pos = before ? at : at + needle.length;
    view.dispatch({ selection: collapseAtEnd || before ? { anchor: pos } : { anchor: at, head: at + needle.length } });
    view.focus();
  }, { needle, collapseAtEnd, before });
}

test('write, estimate, submit, comment, deep dive and report', async () => {
  const created = await api('POST', '/api/loops', '', {
    templateId: 'l7-loop', title: 'L7 written', hostName: 'Grace', candidateName: 'Ada',
    participants: [{ displayName: 'Lin', role: 'ROLE_INTERVIEWER', roundIndexes: [1] }, { displayName: 'Ada', role: 'ROLE_CANDIDATE' }],
  });
  assert.equal(created.status, 201, created.text);
  const loopId = created.json.loop.id;
  const tok = Object.fromEntries(created.json.invites.map((i) => [i.displayName, i.token]));
  const a = await api('POST', `/api/loops/${loopId}/written`, tok.Grace, { kind: 'WRITTEN_KIND_SIX_PAGER', promptId: 'fraud-realtime', dueAtMs: Date.now() + 10 * 86400000 });
  assert.equal(a.status, 201, a.text);
  const aid = a.json.id;
  const url = (who) => `${server.base}/written/${loopId}/${aid}?token=${tok[who]}`;

  // --- the candidate writes into the template ---
  const cand = await page(url('Ada'));
  await cand.p.waitForFunction(() => document.querySelector('.cm-content')?.textContent?.includes('Executive Summary'), null, { timeout: 15_000 });
  const before0 = await total(cand.p);
  const execBefore = await cand.p.$eval(`${T('estimate-Executive Summary')} ${T('section-pages')}`, (e) => e.textContent);
  await selectText(cand.p, '## Background and Context', { before: true });
  const words = Array.from({ length: 14 }, (_, i) => `Payments fraud costs us money every day and batch scoring finds it a day late ${i}.`).join(' ');
  await cand.p.keyboard.type(`${SENTENCE} ${words}\n\n`, { delay: 0 });
  await cand.p.waitForFunction((b0) => document.querySelector('[data-testid="estimate-total"]')?.textContent !== b0, before0);
  const execAfter = await cand.p.$eval(`${T('estimate-Executive Summary')} ${T('section-pages')}`, (e) => e.textContent);
  assert.notEqual(execAfter, execBefore, 'the Executive Summary estimate moved');
  assert.match(await total(cand.p), /of 6 pages/);
  assert.match(await cand.p.$eval(T('page-estimate'), (e) => e.textContent), /500 words/);
  await shot(cand.p, 'written-candidate-writing');

  // --- submits: the server freezes its copy ---
  await cand.p.click(T('written-submit'));
  await cand.p.waitForFunction(() => /Version 1 submitted/.test(document.querySelector('[data-testid="written-status"]')?.textContent ?? ''), null, { timeout: 10_000 });
  const v1 = await api('GET', `/api/loops/${loopId}/written/${aid}/versions/1`, tok.Lin);
  assert.ok(v1.json.text.includes(SENTENCE));

  // --- an interviewer comments on the sentence: for the candidate, and staff-only ---
  const lin = await page(url('Lin'));
  await lin.p.waitForFunction((s) => document.querySelector('.cm-content')?.textContent?.includes(s), SENTENCE, { timeout: 15_000 });
  for (const [body, vis] of [[VISIBLE, 'candidate'], [STAFF_ONLY, 'staff']]) {
    await selectText(lin.p, SENTENCE);
    await lin.p.fill(T('comment-body'), body);
    await lin.p.selectOption(T('comment-visibility'), vis);
    await lin.p.click(T('comment-add'));
  }
  await lin.p.waitForFunction(() => document.querySelectorAll('[data-testid="comment-thread"]').length === 2);
  assert.equal(await lin.p.$$eval(T('comment-quote'), (q) => q.map((e) => e.textContent)).then((q) => q.filter((x) => x === SENTENCE).length), 2);
  await shot(lin.p, 'written-interviewer-comments');

  // The candidate sees the comment meant for them, anchored to the sentence, after editing before it.
  await cand.p.waitForFunction(() => document.querySelectorAll('[data-testid="comment-thread"]').length === 1, null, { timeout: 10_000 });
  await selectText(cand.p, '# Title of your 6-pager', { collapseAtEnd: true });
  await cand.p.keyboard.type(' - fraud');
  await cand.p.waitForTimeout(300);
  assert.equal(await cand.p.$eval(T('comment-quote'), (e) => e.textContent), SENTENCE, 'the anchor survived the edit');
  assert.match(await cand.p.$eval(T('comments'), (e) => e.textContent), /Lin: Name the false-positive rate/);
  await shot(cand.p, 'written-candidate-comment');
  await cand.p.waitForTimeout(300);
  const leaked = cand.frames.filter((f) => f.data.toString('latin1').includes('STAFF-ONLY-e2e'));
  assert.equal(leaked.length, 0, 'no staff-only comment in any candidate frame');
  assert.ok(!(await cand.p.content()).includes('STAFF-ONLY-e2e'));

  // --- the deep-dive round: the document beside the board, the four-criteria rubric ---
  const room = await page(`${server.base}/join?token=${tok.Lin}`);
  await room.p.waitForSelector(`${T('deep-dive-doc')} .doc`, { timeout: 15_000 });
  assert.match(await room.p.$eval(T('deep-dive-doc'), (e) => e.textContent), /stop fraud before the money leaves/);
  assert.match(await room.p.$eval(T('round-title'), (e) => e.textContent), /6-pager/);
  for (const c of ['strategic-thinking', 'architecture', 'business-judgment', 'clarity'])
    await room.p.waitForSelector(T(`sub-criteria-${c}`), { timeout: 10_000 });
  const subs = await room.p.$$eval('.sub-criteria li', (li) => li.map((e) => e.textContent));
  for (const s of ['Industry analysis', '3-5 year vision', 'Operational excellence', 'ROI', 'Success metrics', 'Actionable recommendations'])
    assert.ok(subs.includes(s), `sub-criterion ${s}`);
  await shot(room.p, 'written-deep-dive');

  // --- the HTML debrief and the candidate's report show the document ---
  const debrief = await api('GET', `/api/loops/${loopId}/debrief`, tok.Grace, undefined, 'text/html');
  assert.equal(debrief.status, 200);
  assert.ok(debrief.text.includes('Written work') && debrief.text.includes('stop fraud before the money leaves'));
  assert.ok(debrief.text.includes('false-positive rate') && !debrief.text.includes('STAFF-ONLY-e2e'));
  const report = await api('GET', `/api/loops/${loopId}/written/${aid}/report`, tok.Ada, undefined, 'text/html');
  assert.equal(report.status, 200);
  assert.ok(!report.text.includes('STAFF-ONLY-e2e'));
  const rp = await b.browser.newContext({ viewport: VIEW });
  const rpage = await rp.newPage();
  await rpage.setContent(debrief.text);
  await rpage.evaluate(() => document.querySelector('.written')?.scrollIntoView());
  await shot(rpage, 'written-debrief');
  await rpage.setContent(report.text);
  await rpage.emulateMedia({ media: 'print' });
  await shot(rpage, 'written-report-print');
  await rpage.pdf({ path: join(outDir, 'written-report.pdf') });
  for (const c of [cand, lin, room]) await c.ctx.close();
  await rp.close();
});
