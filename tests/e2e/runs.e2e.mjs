// Issue 16 in headless Chromium against the real server and the real sandbox: in a coding
// round the interviewer asks a question, the candidate's solution goes into the shared pad,
// the candidate runs the sample tests and then all tests; both see the same results live
// (RunUpdate over the session socket), the interviewer also sees the hidden tests, and the
// candidate's page never receives a hidden test's input (every frame it got is searched).
// The candidate gets "Run all tests" only after the interviewer flips the switch; stdout
// streams to the other page while a program runs; an exception's line is marked in both pads.
// Screenshots go to test-output/e2e/runs-*.png.
//
// Run: (cd client-web && npm run build) && (cd tests/e2e && npm run gen &&
//      MOCKLOOP_BIN=../../build/server/app/mockloop node --test runs.e2e.mjs)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { recordFrames, repo, shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((x) => ({ server, b } = x));

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1366, height: 900 };
const merge = JSON.parse(readFileSync(join(repo, 'content', 'coding_tests', 'code-merge-intervals.json'), 'utf8'));
const hiddenInputs = merge.hidden.map((t) => JSON.stringify(t.stdin).slice(1, -1)).filter((s) => s.length >= 12);
const hiddenOutputs = merge.hidden.map((t) => t.expected).filter((s) => s.length >= 20);

async function openRoom(token, frames = false) {
  const ctx = await b.browser.newContext({ viewport: VIEW });
  const page = await ctx.newPage();
  const rec = frames ? recordFrames(page) : null;
  await page.goto(`${server.base}/join?token=${token}`);
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  return { ctx, page, frames: rec };
}

const verdictText = (page) => page.textContent(T('run-verdict'));

async function setCode(page, code) {
  await page.evaluate((c) => {
    const text = window.__mockloop.doc.getText('code');
    text.delete(0, text.length);
    text.insert(0, c);
  }, code);
}

test('candidate runs the pad in a coding round; the interviewer sees the same results and the hidden tests', async (t) => {
  const r = await fetch(`${server.base}/api/loops`, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ templateId: 'single-coding', hostName: 'Hana', candidateName: 'Cam', participants: [{ displayName: 'Ivo', role: 'ROLE_INTERVIEWER' }] }),
  });
  assert.equal(r.status, 201);
  const created = await r.json();
  const tok = (role) => created.invites.find((i) => i.role === role).token;
  const [inter, cand] = await Promise.all([openRoom(tok('ROLE_INTERVIEWER')), openRoom(tok('ROLE_CANDIDATE'), true)]);
  t.after(() => Promise.all([inter, cand].map((p) => p.ctx.close())));
  await Promise.all([inter.page.waitForSelector(T('run-panel')), cand.page.waitForSelector(T('run-panel'))]);

  // The interviewer asks the question; the candidate's solution goes into the shared pad.
  await inter.page.waitForSelector(T('interviewer-panel'));
  await inter.page.click('summary:has-text("Question bank")').catch(() => {});
  await inter.page.click(T('select-question-code-merge-intervals'));
  await cand.page.waitForFunction(() => document.body.textContent.includes('Merge meeting slots'), null, { timeout: 5000 });
  await cand.page.evaluate((code) => {
    const { doc } = window.__mockloop;
    doc.getMap('codepad').set('language', 'python');
    const text = doc.getText('code');
    text.delete(0, text.length);
    text.insert(0, code);
  }, merge.reference.python);
  await inter.page.waitForFunction(() => document.querySelector('[data-testid="code-content"]')?.textContent.includes('sorted'), null, { timeout: 5000 });

  // Run samples: both pages show the same verdict.
  await cand.page.click(T('run-samples'));
  for (const p of [cand.page, inter.page]) await p.waitForFunction(() => /^OK/.test(document.querySelector('[data-testid="run-verdict"]')?.textContent ?? ''), null, { timeout: 20_000 });
  assert.match(await verdictText(inter.page), /OK · 2\/2 passed · run by Cam/);
  assert.equal(await cand.page.$$eval(T('run-test'), (n) => n.length), merge.samples.length);
  await shot(cand.page, 'runs-01-candidate-samples');

  // Hidden tests are the interviewer's to open: the candidate's button appears with the switch.
  assert.equal(await cand.page.isVisible(T('run-all')), false);
  await inter.page.check(T('run-hidden-switch'));
  await cand.page.waitForSelector(T('run-all'), { state: 'visible', timeout: 5000 });

  // Run all tests: the candidate sees counts for the hidden ones, the interviewer each test.
  await cand.page.click(T('run-all'));
  const total = merge.samples.length + merge.hidden.length;
  await cand.page.waitForFunction((n) => document.querySelector('[data-testid="run-hidden"]')?.textContent === `Hidden tests: ${n}/${n} passed`, merge.hidden.length, { timeout: 20_000 });
  await inter.page.waitForFunction((n) => document.querySelectorAll('[data-testid="run-test"]').length === n, total, { timeout: 20_000 });
  assert.equal(await cand.page.$$eval(T('run-test'), (n) => n.length), merge.samples.length);
  assert.match(await inter.page.textContent(T('run-output')), /hidden 1 \(hidden\): OK/);
  await shot(cand.page, 'runs-02-candidate-all');
  await shot(inter.page, 'runs-03-interviewer-all');

  // Nothing of the hidden tests reached the candidate's page (all frames, both directions).
  const all = Buffer.concat(cand.frames.map((f) => f.data)).toString('latin1');
  assert.ok(all.includes('runUpdate') || all.length > 0);
  assert.ok(hiddenInputs.length >= 3);
  for (const h of hiddenInputs) assert.ok(!all.includes(h), `hidden input reached the candidate: ${h.slice(0, 30)}`);
  assert.ok(!(await cand.page.content()).includes(hiddenInputs[0]));
  assert.ok((await inter.page.content()).includes(merge.hidden[0].stdin.split('\n')[1]), 'the interviewer sees hidden inputs');
  assert.ok(hiddenOutputs.length >= 2);
  for (const o of hiddenOutputs) assert.ok(!all.includes(o), 'a hidden output (streamed or not) reached the candidate');

  // Output streams: the interviewer sees the first lines while the candidate's program still runs.
  await setCode(cand.page, "import time\nfor i in range(6):\n    print('tick-%d' % i, flush=True)\n    time.sleep(0.5)\n");
  await cand.page.click(T('run-code'));
  await inter.page.waitForFunction(() => /tick-1/.test(document.querySelector('[data-testid="run-live"]')?.textContent ?? ''), null, { timeout: 20_000 });
  assert.ok(!/tick-5/.test(await inter.page.textContent(T('run-live'))), 'the run was still going');
  await shot(inter.page, 'runs-04-interviewer-streaming');
  for (const p of [cand.page, inter.page]) await p.waitForFunction(() => /^OK/.test(document.querySelector('[data-testid="run-verdict"]')?.textContent ?? ''), null, { timeout: 20_000 });

  // An exception marks its line in both pads (the same diagnostics reach everyone).
  await setCode(cand.page, 'x = 1\ny = 0\nprint(x / y)\n');
  await cand.page.click(T('run-code'));
  for (const p of [cand.page, inter.page]) {
    await p.waitForFunction(() => /^RUNTIME_ERROR/.test(document.querySelector('[data-testid="run-verdict"]')?.textContent ?? ''), null, { timeout: 20_000 });
    await p.waitForSelector('.codepad[data-diagnostics="1"] .cm-lintRange-error', { timeout: 5000 });
    assert.match(await p.textContent(T('run-diagnostics')), /line 3: error ZeroDivisionError/);
  }
  await shot(inter.page, 'runs-05-interviewer-diagnostics');
});

test('two peers in a study room: one presses Run (Ctrl+Enter), both see the output; no test buttons', async (t) => {
  const r = await fetch(`${server.base}/api/study-rooms`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'runs e2e', hostName: 'Ada' }),
  });
  assert.equal(r.status, 201);
  const room = await r.json();
  const open = async (name) => {
    const ctx = await b.browser.newContext({ viewport: VIEW });
    const page = await ctx.newPage();
    await page.goto(`${server.base}/study/${room.id}?token=${encodeURIComponent(room.token)}&name=${name}`);
    await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
    await page.click(T('view-split'));  // a study room opens on the whiteboard
    await page.waitForSelector(T('run-panel'));
    return { ctx, page };
  };
  const [ada, bo] = await Promise.all([open('Ada'), open('Bo')]);
  t.after(() => Promise.all([ada, bo].map((p) => p.ctx.close())));
  for (const p of [ada, bo]) {
    assert.equal(await p.page.$(T('run-samples')), null, 'no sample tests in a study room');
    assert.equal(await p.page.isVisible(T('run-all')), false, 'no hidden tests in a study room');
  }
  await setCode(ada.page, 'name = input()\nprint("hello, " + name)\nprint(sum(range(10)))\n');
  await ada.page.fill(T('run-stdin'), 'peers');
  await ada.page.click('.cm-content');
  await ada.page.keyboard.press('Control+Enter');
  for (const p of [ada, bo]) {
    await p.page.waitForFunction((sel) => document.querySelector(sel)?.textContent?.startsWith('OK'), T('run-verdict'), { timeout: 20_000 });
    assert.match(await p.page.textContent(T('run-verdict')), /run by Ada/);
    assert.equal(await p.page.textContent(T('run-stdout')), 'hello, peers\n45\n');
  }
  await shot(bo.page, 'runs-study-peer-sees-run');
});
