// Creation quotas and the anonymous-create switch against the real process: the N+1th
// loop or study room from one address is 429 with Retry-After; by default (every address)
// and with --allow-anonymous-create off, anonymous creation is refused with 401 (sign in).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { startServer } from '../support/server.mjs';

async function post(srv, path, body, headers = {}) {
  const res = await fetch(`${srv.url}${path}`, {
    method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body),
  });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() };
}

test('the N+1th creation from one address gets 429 with Retry-After', async () => {
  const srv = await startServer(['--max-loops-per-ip-hour', '3', '--max-study-rooms-per-ip-hour', '2']);
  try {
    for (let i = 0; i < 3; i++) assert.equal((await post(srv, '/api/loops', { templateId: 'l6-loop' })).status, 201);
    const over = await post(srv, '/api/loops', { templateId: 'l6-loop' });
    assert.equal(over.status, 429);
    assert.equal(over.body.error.code, 'resource_exhausted');
    assert.ok(Number(over.retryAfter) > 3500 && Number(over.retryAfter) <= 3600, over.retryAfter);
    for (let i = 0; i < 2; i++) assert.equal((await post(srv, '/api/study-rooms', { title: 's' })).status, 201);
    const rooms = await post(srv, '/api/study-rooms', { title: 's' });
    assert.equal(rooms.status, 429);
    assert.ok(Number(rooms.retryAfter) > 0);
    // Without --trust-proxy a forged X-Forwarded-For changes nothing.
    const forged = await post(srv, '/api/loops', { templateId: 'l6-loop' }, { 'x-forwarded-for': '198.51.100.7' });
    assert.equal(forged.status, 429);
  } finally {
    await srv.stop();
  }
});

test('behind --trust-proxy each forwarded address has its own quota', async () => {
  const srv = await startServer(['--max-loops-per-ip-hour', '1', '--trust-proxy', '--allow-anonymous-create', 'on']);
  try {
    const a = { 'x-forwarded-for': '203.0.113.1' };
    assert.equal((await post(srv, '/api/loops', { templateId: 'l6-loop' }, a)).status, 201);
    assert.equal((await post(srv, '/api/loops', { templateId: 'l6-loop' }, a)).status, 429);
    const b = { 'x-forwarded-for': '203.0.113.1, 203.0.113.2' };
    assert.equal((await post(srv, '/api/loops', { templateId: 'l6-loop' }, b)).status, 201);
  } finally {
    await srv.stop();
  }
});

test('--allow-anonymous-create off refuses anonymous creation with 401 (sign in) and says why', async () => {
  const srv = await startServer(['--allow-anonymous-create', 'off']);
  try {
    for (const [path, body] of [['/api/loops', { templateId: 'l6-loop' }], ['/api/study-rooms', { title: 's' }]]) {
      const r = await post(srv, path, body);
      assert.equal(r.status, 401);
      assert.equal(r.body.error.code, 'unauthenticated');
      assert.match(r.body.error.message, /sign in/);
      assert.match(r.body.error.message, /allow-anonymous-create/);
    }
    const templates = await fetch(`${srv.url}/api/templates`);
    assert.equal(templates.status, 200);
  } finally {
    await srv.stop();
  }
});

test('by default (no flag) anonymous creation is off, on loopback too; --allow-anonymous-create on opens it', async () => {
  for (const args of [[], ['--trust-proxy'], ['--listen', '0.0.0.0:0']]) {
    const closed = await startServer(args, { anonymousCreate: false });
    try {
      assert.equal((await post(closed, '/api/loops', { templateId: 'l6-loop' })).status, 401);
      assert.equal((await post(closed, '/api/study-rooms', { title: 's' })).status, 401);
    } finally {
      await closed.stop();
    }
  }
  const open = await startServer(['--listen', '0.0.0.0:0', '--allow-anonymous-create', 'on']);
  try {
    assert.equal((await post(open, '/api/loops', { templateId: 'l6-loop' })).status, 201);
  } finally {
    await open.stop();
  }
});
