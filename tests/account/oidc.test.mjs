// Single sign-on against a real OpenID Connect provider (npm oidc-provider, started here on
// a loopback port): the authorization code flow with PKCE through the provider's own login
// page, the account linked by (issuer, sub), the sign-up modes' rule for a first sign-in,
// --password-login off, and id tokens the server must refuse (another key, another
// audience, expired, another nonce, another issuer, alg none) and a callback from a browser
// that did not start the sign-in. RS256 with a confidential client, ES256 with a public one.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';

import { Jar, follow, freePort, startProvider } from '../support/oidc_provider.mjs';
import { bin, startServer, tempDir } from '../support/server.mjs';

const CHEAP = ['--pwhash-ops', '1', '--pwhash-mem-mib', '8'];

async function startMockloop(provider, port, client, extra = []) {
  const args = [...CHEAP, '--listen', `127.0.0.1:${port}`, '--oidc-issuer', provider.issuer,
    '--oidc-client-id', client.id, '--oidc-name', 'TestID', ...extra];
  if (client.secret) args.push('--oidc-client-secret', client.secret);
  return startServer(args, { anonymousCreate: false });
}

// One browser signing in as `login`: start at the server, the provider's login form, back
// to the server's callback. Returns the callback's response.
async function ssoLogin(srv, jar, login, query = '') {
  const start = await jar.fetch(`${srv.url}/api/v1/auth/oidc/start${query}`);
  assert.equal(start.status, 302, await start.clone().text());
  const authorize = start.headers.get('location');
  assert.ok(authorize.startsWith('http://127.0.0.1:'), authorize);
  const callbackPrefix = `${srv.url}/api/v1/auth/oidc/callback`;
  // To the provider's login page (an interaction).
  const atLogin = await follow(jar, authorize, { stopAt: callbackPrefix });
  let back = atLogin.location;
  if (!back) {
    assert.equal(atLogin.res.status, 200);
    const html = await atLogin.res.text();
    assert.match(html, /name="login"/, 'the provider shows its login form');
    const submit = new URL(/action="([^"]+)"/.exec(html)[1], atLogin.url).href;
    const posted = await jar.fetch(submit, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ prompt: 'login', login, password: 'anything' }).toString(),
    });
    assert.ok(posted.status >= 300 && posted.status < 400, `login form answered ${posted.status}`);
    const after = await follow(jar, new URL(posted.headers.get('location'), submit).href, { stopAt: callbackPrefix });
    back = after.location;
  }
  assert.ok(back && back.startsWith(callbackPrefix), `the provider sends the browser back: ${back}`);
  return jar.fetch(back, { headers: { accept: 'application/json' } });
}

async function me(srv, jar) {
  const r = await jar.fetch(`${srv.url}/api/me`, { headers: { accept: 'application/json' } });
  return { status: r.status, body: await r.json() };
}

test('OIDC sign-in through oidc-provider (RS256, confidential client, PKCE); the account follows (issuer, sub); forged and wrong tokens are refused', async () => {
  const port = await freePort();
  const client = { id: 'mockloop', secret: 'client-secret-1234', redirectUri: `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`, alg: 'RS256' };
  const provider = await startProvider({ clients: [client], users: { alice: { email: 'Alice@Example.com', email_verified: true, name: 'Alice Example' } } });
  const srv = await startMockloop(provider, port, client, ['--signup', 'open']);
  try {
    const config = await (await fetch(`${srv.url}/api/v1/auth/config`)).json();
    assert.equal(config.ssoName, 'TestID');
    assert.equal(config.ssoStartUrl, '/api/v1/auth/oidc/start');
    assert.equal(config.passwordLogin, true);

    const jar = new Jar();
    const cb = await ssoLogin(srv, jar, 'alice', '?return=/loops');
    assert.equal(cb.status, 302, await cb.clone().text());
    assert.equal(cb.headers.get('location'), '/loops');
    assert.ok(jar.get(srv.url, 'mockloop_session'), 'signed in: the session cookie is set');
    assert.equal(jar.get(srv.url, 'mockloop_oidc'), undefined, 'the flow cookie is cleared');
    const sent = provider.seen.authorizeParams.at(-1);
    assert.equal(sent.code_challenge_method, 'S256');
    assert.ok(sent.code_challenge && sent.nonce && sent.state, 'PKCE challenge, nonce and state are sent');
    assert.equal(sent.scope, 'openid email profile');
    const who = await me(srv, jar);
    assert.equal(who.status, 200);
    assert.equal(who.body.user.email, 'alice@example.com');
    assert.equal(who.body.user.displayName, 'Alice Example');

    // Another browser, the same person at the provider: the same account.
    const jar2 = new Jar();
    assert.equal((await ssoLogin(srv, jar2, 'alice')).status, 302);
    assert.equal((await me(srv, jar2)).body.user.id, who.body.user.id);
    assert.equal(provider.seen.jwks, 1, 'the JWKS is cached between sign-ins');

    // A callback whose state does not match this browser's flow (login CSRF) is refused.
    const victim = new Jar();
    const attacker = new Jar();
    const start = await attacker.fetch(`${srv.url}/api/v1/auth/oidc/start`);
    const state = new URL(start.headers.get('location')).searchParams.get('state');
    const noFlow = await victim.fetch(`${srv.url}/api/v1/auth/oidc/callback?code=abc&state=${state}`, { headers: { accept: 'application/json' } });
    assert.equal(noFlow.status, 401);
    const wrongState = await attacker.fetch(`${srv.url}/api/v1/auth/oidc/callback?code=abc&state=nope`, { headers: { accept: 'application/json' } });
    assert.equal(wrongState.status, 401);
    assert.equal(victim.get(srv.url, 'mockloop_session'), undefined);
    // A browser (Accept: text/html) is sent back to the sign-in page with the reason.
    const b = new Jar();
    const html = await b.fetch(`${srv.url}/api/v1/auth/oidc/callback?code=abc&state=x`, { headers: { accept: 'text/html' } });
    assert.equal(html.status, 302);
    assert.match(html.headers.get('location'), /^\/login\?sso_error=/);

    // Tokens the provider would never issue: each refused with 401, no session.
    for (const [how, why] of [['wrongKey', /signature/], ['wrongAudience', /aud/], ['expired', /expired/],
      ['wrongNonce', /nonce/], ['wrongIssuer', /iss/], ['algNone', /algorithm/]]) {
      provider.tamper(how);
      const j = new Jar();
      const r = await ssoLogin(srv, j, 'alice');
      const body = await r.json();
      assert.equal(r.status, 401, `${how}: ${JSON.stringify(body)}`);
      assert.match(body.error.message, why, how);
      assert.equal(j.get(srv.url, 'mockloop_session'), undefined, `${how}: no session`);
      assert.equal((await me(srv, j)).status, 401);
    }
    provider.tamper(null);
    assert.equal((await ssoLogin(srv, new Jar(), 'alice')).status, 302, 'untampered tokens still work');
    // An unknown kid makes the server refetch the JWKS once (key rotation), not more.
    assert.ok(provider.seen.jwks <= 2, `JWKS fetched ${provider.seen.jwks} times`);
  } finally {
    await srv.stop();
    await provider.stop();
  }
});

test('OIDC with ES256 and a public client; first sign-in follows the sign-up mode (invite needs a code, off links a verified e-mail of an admin-made account); --password-login off', async () => {
  const port = await freePort();
  const client = { id: 'mockloop-public', redirectUri: `http://127.0.0.1:${port}/api/v1/auth/oidc/callback`, alg: 'ES256' };
  const provider = await startProvider({ clients: [client], users: { bob: { email: 'bob@example.com', email_verified: true, name: 'Bob' }, eve: { email: 'bob@example.com', email_verified: false, name: 'Eve' } } });
  let srv = await startMockloop(provider, port, client, ['--signup', 'invite']);
  try {
    // invite (the default): no code, no account; the first-start admin link's code makes one.
    const refused = await ssoLogin(srv, new Jar(), 'carol');
    assert.equal(refused.status, 403);
    assert.match((await refused.json()).error.message, /invitation/);
    const code = /signup\?code=([A-Za-z0-9_-]+)/.exec(srv.output().out)[1];
    const jar = new Jar();
    const ok = await ssoLogin(srv, jar, 'carol', `?code=${code}`);
    assert.equal(ok.status, 302, await ok.clone().text());
    const carol = await me(srv, jar);
    assert.equal(carol.body.user.admin, true, 'the setup code makes the first admin');
    assert.equal(carol.body.user.email, 'carol@example.com');
    // The code is used up.
    assert.equal((await ssoLogin(srv, new Jar(), 'dave', `?code=${code}`)).status, 403);
    // Carol signs in again without a code: her identity is linked.
    assert.equal((await ssoLogin(srv, new Jar(), 'carol')).status, 302);
  } finally {
    await srv.stop();
  }
  // off + password login off: only admin-made accounts; a verified e-mail links, an
  // unverified one does not.
  // The admin makes Bob's account before the server starts (the CLI takes the database's lock).
  const dir = tempDir();
  const made = await new Promise((resolve) => {
    const p = spawn(bin, ['admin', 'create-user', '--db', `${dir}/mockloop.db`, '--email', 'bob@example.com', ...CHEAP], { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { out += d; });
    p.stdin.end('a long enough password\n');
    p.on('exit', (c) => resolve({ code: c, out }));
  });
  srv = await startMockloop(provider, port, client, ['--signup', 'off', '--password-login', 'off', '--db', `${dir}/mockloop.db`]);
  try {
    assert.equal(made.code, 0, made.out);
    const login = await fetch(`${srv.url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'bob@example.com', password: 'a long enough password' }) });
    assert.equal(login.status, 403, 'password sign-in is off');
    const config = await (await fetch(`${srv.url}/api/auth/config`)).json();
    assert.equal(config.passwordLogin ?? false, false);
    const unverified = await ssoLogin(srv, new Jar(), 'eve');
    assert.equal(unverified.status, 403, 'an unverified e-mail links nothing');
    const jar = new Jar();
    assert.equal((await ssoLogin(srv, jar, 'bob')).status, 302);
    assert.equal((await me(srv, jar)).body.user.email, 'bob@example.com');
    assert.equal((await ssoLogin(srv, new Jar(), 'frank')).status, 403, 'sign-up is off: no new account');
  } finally {
    await srv.stop();
    await provider.stop();
  }
});

test('OIDC flags: --oidc-issuer needs a client id, http:// only on loopback, --password-login off needs single sign-on', async () => {
  const run = (args) => new Promise((resolve) => {
    const p = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (code) => resolve({ code, err }));
  });
  let r = await run(['--oidc-issuer', 'https://id.example.com']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--oidc-client-id/);
  r = await run(['--oidc-issuer', 'http://id.example.com', '--oidc-client-id', 'x']);
  assert.equal(r.code, 2);
  r = await run(['--password-login', 'off']);
  assert.equal(r.code, 2);
  assert.match(r.err, /single sign-on/);
});
