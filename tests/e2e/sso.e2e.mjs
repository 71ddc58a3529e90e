// Single sign-on in headless Chromium (issue 20): a real OpenID Connect provider (npm
// oidc-provider from tests/js, started here on a loopback port) and the real server with
// --oidc-issuer. The sign-in page offers "Sign in with Test IdP"; the browser goes to the
// provider's own login page, signs in there, comes back signed in (a new account, sign-up
// open), creates a loop and finds it under My loops. A callback the browser did not start
// lands on the sign-in page with the reason. Screenshots go to test-output/e2e/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { freePort, launchBrowser, shot, startServer } from './harness.mjs';
import { startProvider } from '../support/oidc_provider.mjs';

const T = (id) => `[data-testid="${id}"]`;
const VIEW = { width: 1280, height: 900 };
let provider, server, b;

before(async () => {
  const port = await freePort();
  provider = await startProvider({
    clients: [{ id: 'mockloop-e2e', secret: 'e2e-client-secret', redirectUri: `http://127.0.0.1:${port}/api/v1/auth/oidc/callback` }],
    users: { ada: { email: 'ada@example.com', email_verified: true, name: 'Ada Lovelace' } },
  });
  const secretFile = join(mkdtempSync(join(tmpdir(), 'mockloop-sso-')), 'client-secret');
  writeFileSync(secretFile, 'e2e-client-secret\n');
  server = await startServer({
    port,
    extraArgs: ['--allow-anonymous-create', 'off', '--signup', 'open', '--pwhash-ops', '1', '--pwhash-mem-mib', '8',
      '--oidc-issuer', provider.issuer, '--oidc-client-id', 'mockloop-e2e', '--oidc-client-secret-file', secretFile,
      '--oidc-name', 'Test IdP'],
  });
  b = await launchBrowser();
});

after(async () => {
  await b?.close();
  await server?.stop();
  await provider?.stop();
});

test('Sign in with Test IdP: the provider\'s login page, back signed in, a loop under My loops', async () => {
  const ctx = await b.browser.newContext({ viewport: VIEW });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/login`);
  const button = await page.waitForSelector(T('sso-button'));
  assert.equal((await button.textContent()).trim(), 'Sign in with Test IdP');
  await shot(page, 'sso-sign-in-page');
  await button.click();

  // The provider's own login form (oidc-provider's development interaction).
  await page.waitForURL((u) => u.href.startsWith(provider.issuer), { timeout: 15_000 });
  await page.waitForSelector('input[name="login"]');
  await page.fill('input[name="login"]', 'ada');
  await page.fill('input[name="password"]', 'whatever');
  await shot(page, 'sso-provider-login');
  await page.click('button[type="submit"]');

  // Back on MockLoop, signed in as the provider's user.
  await page.waitForURL((u) => u.href.startsWith(server.base), { timeout: 15_000 });
  const who = await page.waitForSelector(T('signed-in-as'), { timeout: 15_000 });
  assert.equal((await who.textContent()).trim(), 'Ada Lovelace');
  const cookies = await ctx.cookies(server.base);
  const session = cookies.find((c) => c.name === 'mockloop_session');
  assert.ok(session && session.httpOnly && session.sameSite === 'Lax', 'an HttpOnly SameSite=Lax session cookie');
  assert.ok(!cookies.some((c) => c.name === 'mockloop_oidc'), 'the flow cookie is gone');
  assert.equal(provider.seen.authorizeParams.at(-1).code_challenge_method, 'S256');

  // Signed in by single sign-on, creating works and the loop is on the home page.
  await page.waitForSelector(`${T('template-select')} option`, { state: 'attached' });
  await page.fill(T('candidate-name'), 'Grace Hopper');
  await page.click(T('create-loop'));
  await page.waitForSelector(T('keep-link-warning'), { timeout: 15_000 });
  await page.reload();
  await page.waitForSelector(T('my-loop'), { timeout: 15_000 });
  assert.match(await page.textContent(T('my-loops')), /Grace Hopper[\s\S]*Host/);
  await shot(page, 'sso-signed-in-home');
  await ctx.close();
});

test('a callback this browser did not start goes back to the sign-in page with the reason', async () => {
  const ctx = await b.browser.newContext({ viewport: VIEW });
  const page = await ctx.newPage();
  await page.goto(`${server.base}/api/v1/auth/oidc/callback?code=forged&state=forged`);
  await page.waitForURL((u) => u.pathname === '/login', { timeout: 15_000 });
  const status = await page.waitForSelector(`${T('auth-status')} >> text=/Single sign-on failed/`);
  assert.match(await status.textContent(), /not started in this browser/);
  assert.equal((await ctx.cookies(server.base)).some((c) => c.name === 'mockloop_session'), false);
  await shot(page, 'sso-refused');
  await ctx.close();
});
