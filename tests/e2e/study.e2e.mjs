// A study room as a real peer session (issue 15), in headless Chromium against the real
// server: Ada opens a study room from the lobby with her name; Bo and Cy open its link in
// their own browser contexts and are asked for a name. All three see each other's names;
// the timer one starts runs the same on all three; with rotation on, the roles rotate on
// every page after the block ends (Next through the peer plan's phases); a prompt picked by
// one is shown to all with its hints; feedback survives a reload, and the room (timer,
// roles, prompt, feedback) survives a server restart. Screenshots go to test-output/e2e/.
//
// Run: (cd client-web && npm run build) && (cd tests/e2e && node --test study.e2e.mjs)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env));

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1366, height: 820 };

const names = (page) => page.$$eval(T('peer'), (els) => els.map((e) => e.dataset.name).sort());
const roles = (page) =>
  page.$$eval(T('peer'), (els) => Object.fromEntries(els.map((e) => [e.dataset.name, e.dataset.role ?? ''])));
const remainingS = (page) => page.$eval(T('timer-remaining'), (e) => Math.round(Number(e.dataset.ms) / 1000));
const phase = (page) => page.$eval(T('timer-phase'), (e) => e.textContent);

async function waitRoles(page, want) {
  await page.waitForFunction(
    (w) => {
      const got = Object.fromEntries([...document.querySelectorAll('[data-testid="peer"]')].map((e) => [e.dataset.name, e.dataset.role ?? '']));
      return Object.entries(w).every(([n, r]) => got[n] === r);
    },
    want,
    { timeout: 5_000 },
  );
}

async function connected(page) {
  await page.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
  await page.waitForSelector(T('timer-remaining'));
}

test('three named peers share a timer, rotating roles, a prompt and feedback', async (t) => {
  if (server.fake) return t.skip('study sessions need the real server');
  // --- Ada opens a study room from the lobby ---
  const ada = await (await b.browser.newContext({ viewport: VIEW })).newPage();
  await ada.goto(`${server.base}/`);
  await ada.fill(T('study-name'), 'Ada');
  await ada.click(T('create-study'));
  await ada.waitForURL(/\/study\//);
  await connected(ada);
  assert.doesNotMatch(ada.url(), /token=/, 'the token leaves the address bar');
  const link = await ada.$eval(T('study-link'), (i) => i.value);
  assert.match(link, /\/study\/.+\?token=/);

  // --- Bo and Cy open the link and are asked for their names ---
  const peers = [];
  for (const name of ['Bo', 'Cy']) {
    const page = await (await b.browser.newContext({ viewport: VIEW })).newPage();
    await page.goto(link);
    await page.waitForSelector(T('study-join'));
    if (name === 'Bo') await shot(page, 'study-01-asked-for-a-name');
    await page.fill(T('study-name'), name);
    await page.click(T('study-join-submit'));
    await connected(page);
    peers.push(page);
  }
  const [bo, cy] = peers;
  const all = [ada, bo, cy];
  for (const p of all) {
    await p.waitForFunction(() => document.querySelectorAll('[data-testid="peer"]').length === 3, null, { timeout: 5_000 });
    assert.deepEqual(await names(p), ['Ada', 'Bo', 'Cy']);
  }

  // --- the timer: Bo starts it; all three run the same phase and seconds ---
  await bo.click(T('timer-start'));
  for (const p of all) await p.waitForSelector(`${T('timer-bar')}[data-status="running"]`, { timeout: 5_000 });
  await new Promise((r) => setTimeout(r, 1500));
  const secs = await Promise.all(all.map(remainingS));
  assert.ok(Math.max(...secs) - Math.min(...secs) <= 1, `same remaining time on all three: ${secs}`);
  assert.ok(secs[0] < 9 * 60 && secs[0] > 9 * 60 - 30, `the peer plan's first phase (9 min) is running: ${secs[0]}`);
  const phases = await Promise.all(all.map(phase));
  assert.ok(phases.every((x) => x === phases[0] && /1\/5/.test(x)), `same phase: ${phases}`);

  // --- rotation: Cy switches it on; Ada designs, Bo interviews, Cy observes ---
  await cy.check(T('rotation-toggle'));
  for (const p of all) await waitRoles(p, { Ada: 'designer', Bo: 'interviewer', Cy: 'observer' });
  await shot(ada, 'study-02-roles-block-1');
  // Next through the five phases ends the block: the roles rotate on every page.
  for (let i = 0; i < 5; i++) {
    const before = await phase(ada);
    await ada.click(T('timer-next'));
    if (i < 4) await ada.waitForFunction((b0) => document.querySelector('[data-testid="timer-phase"]').textContent !== b0, before);
  }
  for (const p of all) await waitRoles(p, { Ada: 'observer', Bo: 'designer', Cy: 'interviewer' });
  for (const p of all) await p.waitForFunction(() => /Block 2/.test(document.querySelector('[data-testid="block"]').textContent));
  assert.equal(await bo.$eval(T('my-role'), (e) => e.textContent), 'designer');

  // --- a prompt picked by Cy is shown to all with its hints ---
  await cy.click(T('pick-sd-global-cdn'));
  for (const p of all) {
    await p.waitForFunction(() => /content delivery/i.test(document.querySelector('[data-testid="prompt-title"]')?.textContent ?? ''), null, { timeout: 5_000 });
    await p.click(`${T('prompt-hints')} summary`);
    assert.match(await p.$eval(T('prompt-hints'), (e) => e.textContent), /anycast/);
  }
  await shot(bo, 'study-03-prompt-with-hints');

  // --- feedback: Cy writes feedback for Bo, the designer; everyone sees it, also after a reload ---
  await cy.selectOption(T('feedback-about'), { label: 'Bo' });
  await cy.selectOption(T('feedback-rating'), '3');
  await cy.fill(T('feedback-well'), 'Clear requirements, numbers first.');
  await cy.fill(T('feedback-improve'), 'Go deeper on the data model.');
  await cy.click(T('feedback-submit'));
  for (const p of all) await p.waitForSelector(`${T('feedback-entry')}:has-text("numbers first")`, { timeout: 5_000 });
  await ada.reload();
  await connected(ada);
  await ada.waitForSelector(`${T('feedback-entry')}:has-text("Go deeper on the data model")`);
  assert.match(await ada.$eval(T('feedback-entry'), (e) => e.textContent), /Cy → Bo · block 2 · 3\/4/);
  // Ada comes back as the same peer, with her role and name, and no one else appeared.
  await waitRoles(ada, { Ada: 'observer', Bo: 'designer', Cy: 'interviewer' });
  assert.deepEqual(await names(ada), ['Ada', 'Bo', 'Cy']);
  await ada.$eval(T('feedback-list'), (e) => e.scrollIntoView());
  await shot(ada, 'study-04-feedback-after-reload');

  // --- a server restart: the pages reconnect and find the room as it was ---
  await bo.click(T('timer-start'));
  await ada.waitForSelector(`${T('timer-bar')}[data-status="running"]`);
  await server.restart(500);
  for (const p of all) await connected(p);
  for (const p of all) await p.waitForSelector(`${T('timer-bar')}[data-status="running"]`, { timeout: 10_000 });
  await waitRoles(cy, { Ada: 'observer', Bo: 'designer', Cy: 'interviewer' });
  await cy.waitForSelector(`${T('feedback-entry')}:has-text("numbers first")`);
  await cy.waitForFunction(() => /content delivery/i.test(document.querySelector('[data-testid="prompt-title"]')?.textContent ?? ''));
  const after = await Promise.all(all.map(remainingS));
  assert.ok(Math.max(...after) - Math.min(...after) <= 1, `same remaining time after the restart: ${after}`);
  await shot(cy, 'study-05-after-restart');
  for (const p of all) await p.context().close();
});
