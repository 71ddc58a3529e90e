// A real OpenID Connect provider for the tests: npm `oidc-provider` (tests/js), started on
// a loopback port with its development login page (any login name, any password; the
// login name is the account id), consent skipped for our clients (first party), PKCE
// required. Signing keys are made here (RS256 and ES256), so a test can also make tokens
// the provider would never issue: `tamper(mode)` rewrites the id token of the next token
// responses (wrong key, wrong audience, expired, wrong nonce) before the server sees it.
// Works on Node 18 (no Node 20-only APIs; run with --no-experimental-global-webcrypto to check).
import crypto from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { repoRoot } from './server.mjs';

const modulePath = path.join(repoRoot, 'tests', 'js', 'node_modules', 'oidc-provider', 'lib', 'index.js');

export async function freePort() {
  const srv = http.createServer();
  await new Promise((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address();
  await new Promise((r) => srv.close(r));
  return port;
}

function jwkOf(privateKey, kid, alg) {
  return { ...privateKey.export({ format: 'jwk' }), kid, alg, use: 'sig' };
}

const b64u = (buf) => Buffer.from(buf).toString('base64url');

// clients: [{ id, secret, redirectUri, alg: 'RS256' | 'ES256' }]
// users: { login: { email, email_verified, name } } (others get <login>@example.com, verified)
export async function startProvider({ clients, users = {} }) {
  const { default: Provider } = await import(pathToFileURL(modulePath).href);
  const rsa = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
  const ec = crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
  const keys = { RS256: { key: rsa, kid: 'rs-1' }, ES256: { key: ec, kid: 'es-1' } };

  const server = http.createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const provider = new Provider(issuer, {
    clients: clients.map((c) => ({
      client_id: c.id,
      client_secret: c.secret,
      redirect_uris: [c.redirectUri],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: c.secret ? 'client_secret_basic' : 'none',
      id_token_signed_response_alg: c.alg ?? 'RS256',
    })),
    jwks: { keys: [jwkOf(rsa, 'rs-1', 'RS256'), jwkOf(ec, 'es-1', 'ES256')] },
    cookies: { keys: [crypto.randomBytes(16).toString('hex')] },
    claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
    pkce: { methods: ['S256'], required: () => true },
    features: { devInteractions: { enabled: true } },
    async findAccount(ctx, id) {
      const u = users[id] ?? { email: `${id}@example.com`, email_verified: true, name: id };
      return { accountId: id, async claims() { return { sub: id, ...u }; } };
    },
    // First-party clients: no consent page (oidc-provider's documented recipe).
    async loadExistingGrant(ctx) {
      const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
      if (grantId) return ctx.oidc.provider.Grant.find(grantId);
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope('openid email profile');
      await grant.save();
      return grant;
    },
  });

  let mode = null;
  const seen = { tokenRequests: 0, authorizeParams: [] };
  provider.use(async (ctx, next) => {
    if (ctx.path === '/jwks') seen.jwks = (seen.jwks ?? 0) + 1;
    if (ctx.path === '/auth' && ctx.method === 'GET') seen.authorizeParams.push(Object.fromEntries(new URL(ctx.href).searchParams));
    await next();
    if (ctx.path === '/token') seen.tokenRequests += 1;
    if (ctx.path === '/token' && ctx.status === 200 && mode && ctx.body?.id_token) {
      ctx.body = { ...ctx.body, id_token: rewrite(ctx.body.id_token, mode) };
    }
  });

  // Re-signs the token after changing it, with the provider's own key unless mode is wrongKey.
  function rewrite(token, how) {
    const [h, p] = token.split('.');
    const header = JSON.parse(Buffer.from(h, 'base64url'));
    const payload = JSON.parse(Buffer.from(p, 'base64url'));
    const now = Math.floor(Date.now() / 1000);
    let key = keys[header.alg].key;
    if (how === 'wrongKey') {
      key = header.alg === 'ES256'
        ? crypto.generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
        : crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
    } else if (how === 'wrongAudience') {
      payload.aud = 'some-other-client';
    } else if (how === 'expired') {
      payload.iat = now - 7200;
      payload.exp = now - 3600;
    } else if (how === 'wrongNonce') {
      payload.nonce = 'not-the-nonce';
    } else if (how === 'wrongIssuer') {
      payload.iss = 'https://evil.example';
    } else if (how === 'algNone') {
      return `${b64u(JSON.stringify({ alg: 'none', typ: 'JWT' }))}.${b64u(JSON.stringify(payload))}.`;
    }
    const input = `${b64u(JSON.stringify(header))}.${b64u(JSON.stringify(payload))}`;
    const sig = crypto.sign('sha256', Buffer.from(input), header.alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' } : key);
    return `${input}.${b64u(sig)}`;
  }

  server.on('request', provider.callback());
  return {
    issuer,
    seen,
    tamper(how) { mode = how; },
    async stop() {
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}

// A cookie jar for one browser-like client over fetch (Node 18's fetch): every cookie goes
// to every request of the same origin; redirects are followed by hand.
export class Jar {
  constructor() { this.byOrigin = new Map(); }
  header(url) {
    const m = this.byOrigin.get(new URL(url).origin);
    return m ? [...m].map(([k, v]) => `${k}=${v}`).join('; ') : '';
  }
  store(url, res) {
    const origin = new URL(url).origin;
    const list = typeof res.headers.getSetCookie === 'function' ? res.headers.getSetCookie() : splitSetCookie(res.headers.get('set-cookie'));
    for (const line of list) {
      const [pair, ...attrs] = line.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!this.byOrigin.has(origin)) this.byOrigin.set(origin, new Map());
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a)) || value === '';
      if (expired) this.byOrigin.get(origin).delete(name);
      else this.byOrigin.get(origin).set(name, value);
    }
  }
  get(origin, name) { return this.byOrigin.get(origin)?.get(name); }
  async fetch(url, init = {}) {
    const headers = { ...(init.headers ?? {}) };
    const c = this.header(url);
    if (c) headers.cookie = c;
    const res = await fetch(url, { ...init, headers, redirect: 'manual' });
    this.store(url, res);
    return res;
  }
}

// Node 18.x before 18.14 has no Headers.getSetCookie(): split the joined header (cookie
// values here never contain ", " followed by a name and '=').
function splitSetCookie(joined) {
  if (!joined) return [];
  return joined.split(/,\s*(?=[A-Za-z0-9_.-]+=)/);
}

// Follows redirects with `jar` from `url` until a response that is not a redirect or
// whose Location starts with `stopAt`; returns { res, url } of that response.
export async function follow(jar, url, { stopAt = null, max = 10 } = {}) {
  let current = url;
  for (let i = 0; i < max; i++) {
    const res = await jar.fetch(current);
    const loc = res.headers.get('location');
    if (res.status < 300 || res.status >= 400 || !loc) return { res, url: current };
    const next = new URL(loc, current).href;
    if (stopAt && next.startsWith(stopAt)) return { res, url: current, location: next };
    current = next;
  }
  throw new Error(`too many redirects from ${url}`);
}
