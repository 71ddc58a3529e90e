// Accounts (issue 20) in headless Chromium against the real server, started with its own
// default (anonymous creation off): an anonymous visitor is told to sign in; the first-start
// one-time link creates the first admin; the admin creates a loop from the lobby and finds it
// under "My loops"; a second browser signs in to the same account and sees it too, opens an
// invite link and attaches it to the account; sign-out
// clears the session. Screenshots go to test-output/e2e/.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { shot, withServerAndBrowser } from './harness.mjs';

let server, b;
withServerAndBrowser((env) => ({ server, b } = env), {
  extraArgs: ['--allow-anonymous-create', 'off', '--pwhash-ops', '1', '--pwhash-mem-mib', '8'],
});

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1280, height: 900 };
const PW = 'a long test password';

async function createLoop(page, candidate) {
  await page.waitForSelector(`${T('template-select')} option`, { state: 'attached' });
  await page.fill(T('candidate-name'), candidate);
  await page.click(T('create-loop'));
}

test('sign in to create: first-admin link, lobby creation, My loops on a second browser, sign-out', async () => {
  const code = /signup\?code=([A-Za-z0-9_-]+)/.exec(server.log())?.[1];
  assert.ok(code, `the first start prints the one-time admin link: ${server.log()}`);

  // Anonymous: the lobby says how to get in, and creating is refused with the reason.
  const anonCtx = await b.browser.newContext({ viewport: VIEW });
  const anon = await anonCtx.newPage();
  await anon.goto(`${server.base}/`);
  await anon.waitForSelector(T('sign-in-link'));
  await createLoop(anon, 'Nobody');
  await anon.waitForFunction((sel) => /sign in/i.test(document.querySelector(sel)?.textContent ?? ''), T('lobby-status'));
  await shot(anon, 'accounts-anonymous-refused');

  // The one-time link makes the first admin and signs them in.
  const ctx = await b.browser.newContext({ viewport: VIEW });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/signup?code=${code}`);
  await page.waitForSelector(T('auth-email'));
  assert.doesNotMatch(page.url(), /code=/, 'the code leaves the address bar');
  await page.fill(T('auth-email'), 'host@example.com');
  await page.fill(T('auth-name'), 'Hana Host');
  await page.fill(T('auth-password'), PW);
  await page.click(T('auth-submit'));
  await page.waitForSelector(T('signed-in-as'));
  assert.equal(await page.textContent(T('signed-in-as')), 'Hana Host');
  const cookies = await ctx.cookies();
  const session = cookies.find((c) => c.name === 'mockloop_session');
  assert.ok(session?.httpOnly && session.sameSite === 'Lax', JSON.stringify(session));
  assert.equal(await page.evaluate(() => document.cookie.includes('mockloop_session')), false, 'scripts cannot read the session');

  await createLoop(page, 'Cara Candidate');
  await page.waitForSelector(T('keep-link-warning'));
  const candidateLink = await page.inputValue(T('invite-candidate'));
  await page.reload();
  await page.waitForSelector(T('my-loop'));
  assert.match(await page.textContent(T('my-loops')), /Cara Candidate[\s\S]*Host/);
  await shot(page, 'accounts-my-loops');

  // A second browser: sign in, the loop is there.
  const other = await b.browser.newContext({ viewport: VIEW });
  const p2 = await other.newPage();
  await p2.goto(`${server.base}/login`);
  await p2.fill(T('auth-email'), 'HOST@example.com');
  await p2.fill(T('auth-password'), 'wrong password!');
  await p2.click(T('auth-submit'));
  await p2.waitForFunction((sel) => /wrong e-mail or password/.test(document.querySelector(sel)?.textContent ?? ''), T('auth-status'));
  await p2.fill(T('auth-password'), PW);
  await p2.click(T('auth-submit'));
  await p2.waitForSelector(T('my-loop'));
  assert.match(await p2.textContent(T('my-loops')), /Cara Candidate/);

  // Opening an invite while signed in offers to attach it; then it is on the home page too.
  const room = await other.newPage();
  await room.goto(candidateLink);
  await room.click(T('attach-invite'));
  await room.waitForFunction((sel) => /Added/.test(document.querySelector(sel)?.textContent ?? ''), T('attach-bar'));
  await shot(room, 'accounts-attach-invite');
  await p2.reload();
  await p2.waitForFunction((sel) => document.querySelectorAll(sel).length === 2, T('my-loop'));
  assert.match(await p2.textContent(T('my-loops')), /Candidate/);
  await room.close();

  // Sign-out ends that browser's session only.
  await p2.click(T('sign-out'));
  await p2.waitForSelector(T('sign-in-link'));
  await page.reload();
  await page.waitForSelector(T('signed-in-as'));
  await Promise.all([anonCtx.close(), ctx.close(), other.close()]);
});
