// Accounts against the real process (issue 20): the first-start admin link, cookie flags,
// CSRF refusal, lockout, sign-out (one session, every session), password change, the
// creation rule, sign-up codes, invites attached to an account, and `mockloop admin
// create-user`. Cheap hash parameters keep it quick (the cost is a flag).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';

import { bin, startServer, tempDir } from '../support/server.mjs';

const CHEAP = ['--pwhash-ops', '1', '--pwhash-mem-mib', '8'];
const PW = 'correct horse battery';

// A tiny cookie jar: one session cookie per "browser".
class Client {
  constructor(srv) { this.srv = srv; this.cookie = ''; this.csrf = ''; }
  async req(method, p, body, { csrf = true, headers = {} } = {}) {
    const h = { accept: 'application/json', ...headers };
    if (body !== undefined) h['content-type'] = 'application/json';
    if (this.cookie) h.cookie = this.cookie;
    if (csrf && this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    const res = await fetch(`${this.srv.url}${p}`, { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body) });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const v = /^mockloop_session=([^;]*)/.exec(setCookie)?.[1] ?? '';
      this.cookie = v ? `mockloop_session=${v}` : '';
    }
    const text = await res.text();
    let json = {};
    try { json = text ? JSON.parse(text) : {}; } catch { /* not JSON */ }
    if (json.csrfToken) this.csrf = json.csrfToken;
    return { status: res.status, body: json, headers: res.headers, setCookie };
  }
}

function setupCode(srv) {
  const m = /signup\?code=([A-Za-z0-9_-]+)/.exec(srv.output().out);
  assert.ok(m, `the first start prints a setup link: ${srv.output().out}`);
  return m[1];
}

async function withServer(args, fn, opts = {}) {
  const srv = await startServer([...CHEAP, ...args], { anonymousCreate: false, ...opts });
  try { return await fn(srv); } finally { await srv.stop(); }
}

async function firstAdmin(srv, email = 'admin@example.com') {
  const c = new Client(srv);
  const r = await c.req('POST', '/api/auth/signup', { email, password: PW, inviteCode: setupCode(srv) });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  assert.equal(r.body.user.admin, true);
  return c;
}

test('first start prints a one-time admin link; the session cookie is HttpOnly, SameSite=Lax, not Secure on plain HTTP', async () => {
  await withServer([], async (srv) => {
    const code = setupCode(srv);
    const anon = new Client(srv);
    // Sign-up is by invitation (the default): no code, no account.
    assert.equal((await anon.req('POST', '/api/auth/signup', { email: 'x@example.com', password: PW })).status, 403);
    const admin = await firstAdmin(srv);
    const r = await admin.req('GET', '/api/me');
    assert.equal(r.status, 200);
    assert.equal(r.body.user.email, 'admin@example.com');
    assert.equal(r.headers.get('cache-control'), 'no-store');
    const login = await new Client(srv).req('POST', '/api/auth/login', { email: 'admin@example.com', password: PW });
    assert.equal(login.status, 200);
    const flags = login.setCookie.split(';').map((s) => s.trim());
    assert.ok(flags.includes('HttpOnly') && flags.includes('SameSite=Lax') && flags.includes('Path=/'), login.setCookie);
    assert.ok(!flags.includes('Secure'), login.setCookie);
    assert.ok(flags.some((f) => /^Max-Age=\d+$/.test(f)));
    // The link is one-time.
    const again = await new Client(srv).req('POST', '/api/auth/signup', { email: 'b@example.com', password: PW, inviteCode: code });
    assert.equal(again.status, 403);
    assert.equal((await anon.req('GET', '/api/me')).status, 401);
    assert.equal((await anon.req('GET', '/api/v1/me')).status, 401);
  });
});

test('Secure cookies behind an HTTPS proxy (--trust-proxy + X-Forwarded-Proto) and with --secure-cookies', async () => {
  await withServer(['--trust-proxy', '--signup', 'open'], async (srv) => {
    const c = new Client(srv);
    const r = await c.req('POST', '/api/auth/signup', { email: 'a@example.com', password: PW }, { headers: { 'x-forwarded-proto': 'https' } });
    assert.equal(r.status, 201);
    assert.match(r.setCookie, /; Secure/);
    const plain = await new Client(srv).req('POST', '/api/auth/login', { email: 'a@example.com', password: PW });
    assert.doesNotMatch(plain.setCookie, /Secure/);
  });
  await withServer(['--secure-cookies', '--signup', 'open'], async (srv) => {
    const r = await new Client(srv).req('POST', '/api/auth/signup', { email: 'a@example.com', password: PW });
    assert.match(r.setCookie, /; Secure/);
  });
});

test('creation needs a signed-in user; a cookie without the CSRF header or from another origin is refused', async () => {
  await withServer([], async (srv) => {
    const admin = await firstAdmin(srv);
    const anon = new Client(srv);
    const refused = await anon.req('POST', '/api/loops', { templateId: 'l6-loop' });
    assert.equal(refused.status, 401);
    assert.match(refused.body.error.message, /sign in/);
    const noCsrf = await admin.req('POST', '/api/loops', { templateId: 'l6-loop' }, { csrf: false });
    assert.equal(noCsrf.status, 403);
    assert.match(noCsrf.body.error.message, /CSRF/);
    const wrong = await admin.req('POST', '/api/loops', { templateId: 'l6-loop' }, { csrf: false, headers: { 'x-csrf-token': 'x'.repeat(43) } });
    assert.equal(wrong.status, 403);
    const foreign = await admin.req('POST', '/api/loops', { templateId: 'l6-loop' }, { headers: { origin: 'https://evil.example' } });
    assert.equal(foreign.status, 403);
    const made = await admin.req('POST', '/api/loops', { templateId: 'l6-loop', candidateName: 'Cara' });
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const study = await admin.req('POST', '/api/study-rooms', { title: 's' });
    assert.equal(study.status, 201);
    // The host invite is attached: the loop is on the host's home page.
    const mine = await admin.req('GET', '/api/me/loops');
    assert.equal(mine.status, 200);
    assert.equal(mine.body.loops.length, 1);
    assert.equal(mine.body.loops[0].loopId, made.body.loop.id);
    assert.equal(mine.body.loops[0].role, 'ROLE_HOST');
    // Nothing else changed for the refused ones.
    assert.equal((await admin.req('GET', '/api/me/loops')).body.loops.length, 1);
  });
});

test('per-account lockout after repeated failures: 429 + Retry-After, even with the right password', async () => {
  await withServer(['--max-failed-logins', '3', '--lockout-minutes', '1'], async (srv) => {
    await firstAdmin(srv);
    const c = new Client(srv);
    const bad = { email: 'admin@example.com', password: 'not the password' };
    assert.equal((await c.req('POST', '/api/auth/login', bad)).status, 401);
    assert.equal((await c.req('POST', '/api/auth/login', bad)).status, 401);
    const third = await c.req('POST', '/api/auth/login', bad);
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), '60');
    const right = await c.req('POST', '/api/auth/login', { email: 'admin@example.com', password: PW });
    assert.equal(right.status, 429);
    assert.ok(Number(right.headers.get('retry-after')) > 0);
    assert.equal(c.cookie, '');
    // Unknown e-mails answer like a wrong password.
    const unknown = await c.req('POST', '/api/auth/login', { email: 'nobody@example.com', password: 'x' });
    assert.equal(unknown.status, 401);
    assert.match(unknown.body.error.message, /wrong e-mail or password/);
  });
});

test('logout needs the CSRF header; logout-all ends every session; a password change ends the others', async () => {
  await withServer(['--signup', 'open'], async (srv) => {
    const a = new Client(srv);
    assert.equal((await a.req('POST', '/api/auth/signup', { email: 'ann@example.com', password: PW })).status, 201);
    const b = new Client(srv);
    assert.equal((await b.req('POST', '/api/auth/login', { email: 'ann@example.com', password: PW })).status, 200);
    const c = new Client(srv);
    assert.equal((await c.req('POST', '/api/auth/login', { email: 'ann@example.com', password: PW })).status, 200);
    assert.equal((await a.req('POST', '/api/auth/logout', undefined, { csrf: false })).status, 403);
    assert.equal((await a.req('GET', '/api/me')).status, 200);
    const out = await a.req('POST', '/api/auth/logout');
    assert.equal(out.status, 200);
    assert.match(out.setCookie, /Max-Age=0/);
    assert.equal((await a.req('GET', '/api/me')).status, 401);
    // Password change: wrong current password refused; then b's session ends, c's stays.
    assert.equal((await c.req('POST', '/api/auth/password', { currentPassword: 'nope nope nope', newPassword: 'another good one' })).status, 403);
    assert.equal((await c.req('POST', '/api/auth/password', { currentPassword: PW, newPassword: 'another good one' })).status, 200);
    assert.equal((await b.req('GET', '/api/me')).status, 401);
    assert.equal((await c.req('GET', '/api/me')).status, 200);
    assert.equal((await new Client(srv).req('POST', '/api/auth/login', { email: 'ann@example.com', password: PW })).status, 401);
    const d = new Client(srv);
    assert.equal((await d.req('POST', '/api/auth/login', { email: 'ann@example.com', password: 'another good one' })).status, 200);
    const all = await c.req('POST', '/api/auth/logout-all');
    assert.equal(all.status, 200);
    assert.equal(all.body.sessionsEnded, 2);
    assert.equal((await d.req('GET', '/api/me')).status, 401);
  });
});

test('a replayed cookie after logout is refused', async () => {
  await withServer(['--signup', 'open'], async (srv) => {
    const a = new Client(srv);
    await a.req('POST', '/api/auth/signup', { email: 'ann@example.com', password: PW });
    const saved = { cookie: a.cookie, csrf: a.csrf };
    assert.equal((await a.req('POST', '/api/auth/logout')).status, 200);
    const replay = new Client(srv);
    Object.assign(replay, saved);
    assert.equal((await replay.req('GET', '/api/me')).status, 401);
    assert.equal((await replay.req('POST', '/api/loops', { templateId: 'l6-loop' })).status, 401);
  });
});

test('sign-up codes (admins only), attaching an invite to an account, and nobody sees another account\'s loops', async () => {
  await withServer([], async (srv) => {
    const admin = await firstAdmin(srv);
    const made = await admin.req('POST', '/api/loops', { templateId: 'l6-loop', candidateName: 'Cara' });
    assert.equal(made.status, 201);
    const candidateInvite = made.body.invites.find((i) => i.role === 'ROLE_CANDIDATE');
    const code = await admin.req('POST', '/api/auth/signup-codes', {});
    assert.equal(code.status, 201);
    const cara = new Client(srv);
    assert.equal((await cara.req('POST', '/api/auth/signup', { email: 'cara@example.com', password: PW, inviteCode: code.body.code })).status, 201);
    assert.equal((await cara.req('POST', '/api/auth/signup-codes', {})).status, 403);
    assert.deepEqual((await cara.req('GET', '/api/me/loops')).body.loops ?? [], []);
    assert.equal((await cara.req('POST', '/api/me/invites', { token: candidateInvite.token }, { csrf: false })).status, 403);
    assert.equal((await cara.req('POST', '/api/me/invites', { token: 'A'.repeat(43) })).status, 401);
    const attached = await cara.req('POST', '/api/me/invites', { token: candidateInvite.token });
    assert.equal(attached.status, 201, JSON.stringify(attached.body));
    assert.equal(attached.body.role, 'ROLE_CANDIDATE');
    const mine = (await cara.req('GET', '/api/me/loops')).body.loops;
    assert.equal(mine.length, 1);
    assert.equal(mine[0].loopId, made.body.loop.id);
    assert.equal(mine[0].role, 'ROLE_CANDIDATE');
    // The candidate's home page carries no token and no one else's link.
    assert.doesNotMatch(JSON.stringify(mine), new RegExp(candidateInvite.token));
    const adminLoops = (await admin.req('GET', '/api/me/loops')).body.loops;
    assert.equal(adminLoops.length, 1);
    assert.equal(adminLoops[0].role, 'ROLE_HOST');
  });
});

test('mockloop admin create-user reads the password from stdin; the server then prints no setup link', async () => {
  const dir = tempDir();
  const db = path.join(dir, 'mockloop.db');
  const run = (args, input) => new Promise((resolve) => {
    const p = spawn(bin, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '', err = '';
    p.stdout.on('data', (d) => { out += d; });
    p.stderr.on('data', (d) => { err += d; });
    p.on('exit', (code) => resolve({ code, out, err }));
    p.stdin.end(input);
  });
  const usage = await run(['admin', 'create-user'], '');
  assert.equal(usage.code, 2);
  const made = await run(['admin', 'create-user', '--email', 'Boss@Example.com', '--admin', '--db', db, ...CHEAP], `${PW}\n`);
  assert.equal(made.code, 0, made.err);
  assert.match(made.out, /created boss@example.com as an admin/);
  const dup = await run(['admin', 'create-user', '--email', 'boss@example.com', '--db', db, ...CHEAP], `${PW}\n`);
  assert.equal(dup.code, 1);
  const short = await run(['admin', 'create-user', '--email', 'x@example.com', '--db', db, ...CHEAP], 'short\n');
  assert.equal(short.code, 1);
  await withServer(['--db', db], async (srv) => {
    assert.doesNotMatch(srv.output().out, /signup\?code=/);
    const c = new Client(srv);
    const r = await c.req('POST', '/api/auth/login', { email: 'boss@example.com', password: PW });
    assert.equal(r.status, 200);
    assert.equal(r.body.user.admin, true);
    // While the server runs, the CLI refuses (the database's lock).
    const busy = await run(['admin', 'create-user', '--email', 'y@example.com', '--db', db, ...CHEAP], `${PW}\n`);
    assert.equal(busy.code, 1);
    assert.match(busy.err, /server running/);
  }, { dir });
});
