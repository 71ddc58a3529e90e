// Issue 15 items 2 and 3 in headless Chromium against the real server, one browser context
// per person:
// - two interviewers of the same round type their notes at the same time for 20 s at typing
//   speed: each author's text is intact and in order in their own editor (each paragraph
//   stamped), in the host's read-only view and in the debrief; the other interviewer sees
//   them only after submitting a scorecard; the candidate's page never receives any of it
//   (every frame it received, before and after a reload, is searched for the typed strings,
//   and a notes doc opened with its token is refused with 4403);
// - code pad: the candidate types, the interviewer types, the candidate's Ctrl+Z removes
//   only the candidate's text.
// Screenshots go to test-output/e2e/notes-*.png.
//
// Run: (cd client-web && npm run build) && (cd tests/e2e && npm run gen &&
//      MOCKLOOP_BIN=../../build/server/app/mockloop node --test notes.e2e.mjs)
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromBinary } from '@bufbuild/protobuf';
import { ServerMessageSchema } from './gen/session_pb.js';
import { recordFrames, shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env));

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1366, height: 820 };
const TYPING_MS = 20_000;

async function api(method, path, token, body, accept = 'application/json') {
  const r = await fetch(`${server.base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', accept, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await r.text();
  return { status: r.status, text, json: accept === 'application/json' && text ? JSON.parse(text) : undefined };
}

// An L6 loop whose phone screen (round 0, where everyone opens) has two interviewers.
async function createLoop() {
  const r = await api('POST', '/api/loops', '', {
    templateId: 'l6-loop', title: 'Notes loop', hostName: 'Grace', candidateName: 'Ada',
    participants: [
      { displayName: 'Lin', role: 'ROLE_INTERVIEWER', roundIndexes: [0] },
      { displayName: 'Kai', role: 'ROLE_INTERVIEWER', roundIndexes: [0] },
      { displayName: 'Ada', role: 'ROLE_CANDIDATE' },
    ],
  });
  assert.equal(r.status, 201, r.text);
  const by = Object.fromEntries(r.json.invites.map((i) => [i.displayName, i]));
  return { loop: r.json.loop, by };
}

async function openRoom(token, frames = false) {
  const ctx = await b.browser.newContext({ viewport: VIEW });
  const page = await ctx.newPage();
  const rec = frames ? recordFrames(page) : null;
  await page.goto(`${server.base}/join?token=${token}`);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  return { ctx, page, frames: rec };
}

// A notes editor's text, one doc line per .cm-line.
const editorText = (page, testid) =>
  page.$eval(`${T(testid)} .cm-content`, (el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'));

// Paragraph i of an author: ~60 characters carrying the author's unique marker and its number.
function paragraph(marker, i) {
  const words = ['asked', 'about', 'capacity', 'then', 'moved', 'to', 'caching', 'and', 'sharding', 'with', 'clear', 'tradeoffs'];
  return `${marker}-p${String(i + 1).padStart(2, '0')} ${words.slice(i % 4, (i % 4) + 7).join(' ')}`;
}

// Types paragraph after paragraph (Enter between them) at typing speed until `ms` have passed.
async function typeFor(page, marker, ms) {
  const paras = [];
  const t0 = Date.now();
  for (let i = 0; Date.now() - t0 < ms; i++) {
    const p = paragraph(marker, i);
    await page.keyboard.type(`${i ? '\n' : ''}${p}`, { delay: 35 });
    paras.push(p);
  }
  return paras;
}

// The author's own editor: every typed paragraph, each behind one "[m:ss] " stamp, in order.
function assertStamped(text, paras, who) {
  const lines = text.split('\n');
  assert.equal(lines.length, paras.length, `${who}: one line per paragraph\n${text}`);
  let last = -1;
  lines.forEach((line, i) => {
    const m = /^\[(\d+):(\d\d)\] (.*)$/.exec(line);
    assert.ok(m, `${who}: paragraph ${i + 1} starts with a stamp: ${JSON.stringify(line)}`);
    assert.equal(m[3], paras[i], `${who}: paragraph ${i + 1} intact`);
    const s = Number(m[1]) * 60 + Number(m[2]);
    assert.ok(s >= last, `${who}: stamps never go back (${line})`);
    last = s;
  });
}

test('two interviewers write their own notes at once; colleagues, host, debrief and candidate see what the rules say', async (t) => {
  const started = Date.now();
  const { loop, by } = await createLoop();
  const round = loop.rounds[0];
  const [lin, kai, host, cand] = await Promise.all([openRoom(by.Lin.token), openRoom(by.Kai.token), openRoom(by.Grace.token), openRoom(by.Ada.token, true)]);
  t.after(() => Promise.all([lin, kai, host, cand].map((p) => p.ctx.close())));
  for (const p of [lin, kai, host]) await p.page.waitForSelector(T('my-notes-content'));
  const mark = (what) => t.diagnostic(`${what} at ${Date.now() - started} ms`);
  mark('four rooms open');
  assert.equal(await cand.page.$$eval(T('notes-panel'), (n) => n.length), 0, 'the candidate has no notes panel');

  // The round's clock runs, so the stamps move.
  await lin.page.click(T('timer-start'));
  await lin.page.waitForSelector(`${T('timer-bar')}[data-status="running"]`);

  await lin.page.click(T('my-notes-content'));
  await kai.page.click(T('my-notes-content'));
  const t0 = Date.now();
  const [linParas, kaiParas] = await Promise.all([typeFor(lin.page, 'LINq7w', TYPING_MS), typeFor(kai.page, 'KAIz3x', TYPING_MS)]);
  const typedMs = Date.now() - t0;
  t.diagnostic(`typed ${linParas.length} + ${kaiParas.length} paragraphs at once in ${typedMs} ms`);
  assert.ok(typedMs >= TYPING_MS, 'typed for at least 20 s');

  // Each author's own editor: intact, in order, every paragraph stamped.
  assertStamped(await editorText(lin.page, 'my-notes'), linParas, 'Lin');
  assertStamped(await editorText(kai.page, 'my-notes'), kaiParas, 'Kai');
  await shot(lin.page, 'notes-01-lin-own-notes');
  mark('own editors checked');

  // The host reads both at once, read-only, live.
  const linPid = by.Lin.participantId, kaiPid = by.Kai.participantId;
  for (const [pid, paras] of [[linPid, linParas], [kaiPid, kaiParas]]) {
    await host.page.waitForFunction(
      ([id, last]) => document.querySelector(`[data-testid="notes-of-${id}"] .cm-content`)?.textContent.includes(last),
      [pid, paras.at(-1)], { timeout: 10_000 });
    const seen = await editorText(host.page, `notes-of-${pid}`);
    assert.deepEqual(seen.split('\n').map((l) => l.replace(/^\[\d+:\d\d\] /, '')), paras, 'the host sees the author\'s text intact');
    assert.equal(await host.page.$eval(`${T(`notes-of-${pid}`)} .cm-content`, (c) => c.contentEditable), 'false', 'read-only');
  }
  await host.page.$eval(T('notes-panel'), (el) => el.scrollIntoView());
  await shot(host.page, 'notes-02-host-reads-both');
  mark('host checked');

  // Kai reads Lin's notes only after submitting a scorecard; Lin (not submitted) never sees Kai's.
  assert.equal(await kai.page.$$eval(T(`notes-of-${linPid}`), (n) => n.length), 0, 'hidden before submitting');
  await kai.page.waitForSelector(T('colleague-notes-hidden'));
  await kai.page.check(T('overall-3'));
  await kai.page.click(T('scorecard-submit'));
  await kai.page.waitForSelector(`${T('scorecard-status')}[data-state="submitted"]`, { timeout: 5000 });
  await kai.page.waitForFunction(
    ([id, last]) => document.querySelector(`[data-testid="notes-of-${id}"] .cm-content`)?.textContent.includes(last),
    [linPid, linParas.at(-1)], { timeout: 10_000 });
  await kai.page.$eval(`${T(`notes-of-${linPid}`)}`, (el) => el.scrollIntoView());
  await shot(kai.page, 'notes-03-kai-after-submitting');
  mark('Kai submitted and reads Lin');
  assert.equal(await lin.page.$$eval(T(`notes-of-${kaiPid}`), (n) => n.length), 0, 'Lin has not submitted');
  assert.ok(!(await lin.page.content()).includes('KAIz3x'), "Lin's page never shows Kai's notes");

  // The debrief shows each author's notes, intact and in order.
  const report = await api('GET', `/api/loops/${loop.id}/debrief`, by.Grace.token, undefined, 'text/html');
  assert.equal(report.status, 200);
  for (const [name, paras] of [['Lin', linParas], ['Kai', kaiParas]]) {
    const block = new RegExp(`data-author="${name}"><h5>[^<]*<small>[^<]*</small></h5><pre>([^<]*)</pre>`).exec(report.text);
    assert.ok(block, `the debrief has ${name}'s notes`);
    assert.deepEqual(block[1].split('\n').map((l) => l.replace(/^\[\d+:\d\d\] /, '')), paras, `${name}'s notes intact in the debrief`);
  }
  const dpage = await host.ctx.newPage();
  await dpage.goto(`${server.base}/debrief/${loop.id}?token=${by.Grace.token}`);
  await dpage.click(T('debrief-html'));
  const frame = await (await dpage.waitForSelector(T('debrief-report-frame'))).contentFrame();
  await frame.waitForSelector('[data-author="Lin"]');
  await (await frame.$('[data-author="Lin"]')).scrollIntoViewIfNeeded();
  await shot(dpage, 'notes-04-debrief');
  mark('debrief checked');

  // The candidate: a reload (fresh sync of every doc it may open), a notes doc opened with
  // its own token (refused), then every frame it ever received is searched.
  await cand.page.reload();
  await cand.page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await new Promise((r) => setTimeout(r, 1000));
  const probe = await cand.page.evaluate(async ([docs, token]) => {
    const out = [];
    for (const d of docs) {
      out.push(await new Promise((res) => {
        const ws = new WebSocket(`${location.origin.replace('http', 'ws')}/yjs/${d}?token=${token}`);
        ws.onclose = (e) => res(e.code);
      }));
    }
    return out;
  }, [[`room-${round.roomId}-notes-${linPid}`, `room-${round.roomId}-notes-${kaiPid}`, `room-${round.roomId}-private`], by.Ada.token]);
  assert.deepEqual(probe, [4403, 4403, 4403], "the candidate's token opens no notes doc");
  const received = cand.frames.filter((f) => f.dir === 'in');
  assert.ok(received.length > 10, 'candidate frames were recorded');
  assert.ok(!cand.frames.some((f) => /-notes-|-private/.test(f.url) && f.dir === 'in'), 'no notes doc frame reached the candidate');
  const all = Buffer.concat(received.map((f) => f.data)).toString('latin1');
  for (const s of ['LINq7w', 'KAIz3x', ...linParas, ...kaiParas, `-notes-${linPid}`, `-notes-${kaiPid}`])
    assert.ok(!all.includes(s), `a frame the candidate received carries ${s}`);
  for (const f of received.filter((x) => x.url.includes('/session'))) {
    const m = fromBinary(ServerMessageSchema, new Uint8Array(f.data));
    assert.notEqual(m.body.case, 'notes', 'the candidate got a notes message');
    if (m.body.case === 'snapshot') assert.equal(m.body.value.notes, undefined, "the candidate's snapshot names notes docs");
  }
});

test("code pad: the candidate's Ctrl+Z removes only the candidate's text", async (t) => {
  const { by } = await createLoop();
  const [cand, lin] = await Promise.all([openRoom(by.Ada.token), openRoom(by.Lin.token)]);
  t.after(() => Promise.all([cand, lin].map((p) => p.ctx.close())));
  const code = (p) => p.page.$eval(`${T('code-content')}`, (el) => [...el.querySelectorAll('.cm-line')].map((l) => l.textContent).join('\n'));
  const waitCode = (p, fn, arg) => p.page.waitForFunction(fn, arg, { timeout: 5000 });
  const has = (s) => document.querySelector('[data-testid="code-content"]')?.textContent.includes(s);
  const hasNot = (s) => !document.querySelector('[data-testid="code-content"]')?.textContent.includes(s);

  await cand.page.click(T('code-content'));
  await cand.page.keyboard.type('cand_total = 41', { delay: 40 });
  await waitCode(lin, has, 'cand_total = 41');
  await lin.page.click(T('code-content'));
  await lin.page.keyboard.press('Control+End');
  await lin.page.keyboard.type('\nivw_check = 7', { delay: 40 });
  await waitCode(cand, has, 'ivw_check = 7');
  await shot(cand.page, 'notes-05-code-before-undo');

  // The candidate's editor still has focus: Ctrl+Z until its own text is gone, and a few more.
  for (let i = 0; i < 10 && (await code(cand)).includes('cand_total'); i++) {
    await cand.page.keyboard.press('Control+z');
    await new Promise((r) => setTimeout(r, 100));
    assert.ok((await code(cand)).includes('ivw_check = 7'), "the interviewer's text survives every undo");
  }
  for (let i = 0; i < 3; i++) await cand.page.keyboard.press('Control+z');
  await waitCode(lin, hasNot, 'cand_total');
  await new Promise((r) => setTimeout(r, 300));
  for (const p of [cand, lin]) {
    const text = await code(p);
    assert.ok(!text.includes('cand_total'), `the candidate's text is undone: ${JSON.stringify(text)}`);
    assert.ok(text.includes('ivw_check = 7'), `the interviewer's text remains: ${JSON.stringify(text)}`);
  }
  await shot(cand.page, 'notes-06-code-after-undo');
  // Redo brings the candidate's text back, the interviewer's untouched.
  await cand.page.keyboard.press('Control+y');
  await waitCode(lin, has, 'cand_total = 41');
  assert.ok((await code(lin)).includes('ivw_check = 7'));
});
