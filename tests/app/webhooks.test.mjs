// Webhooks against the real process and a real HTTP receiver (issue 22): a submitted
// scorecard is POSTed as scorecard.submitted, signed with HMAC-SHA256 over the raw body
// (checked here with node:crypto), retried with the same delivery id after a 503, and the
// loop's decision, once reached, as debrief.ready. A bad --webhook-url is refused at start.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { test } from 'node:test';

import { runBinary, startServer } from '../support/server.mjs';

const SECRET = 'hook-secret-for-tests';

function receiver({ failFirst }) {
  const got = [];
  let first = true;
  const srv = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => { body += d; });
    req.on('end', () => {
      got.push({ headers: req.headers, body, path: req.url });
      if (failFirst && first) { first = false; res.writeHead(503); return res.end(); }
      res.writeHead(204);
      res.end();
    });
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ got, port: srv.address().port, close: () => srv.close() })));
}

async function until(pred, what, ms = 15000) {
  const t0 = Date.now();
  for (;;) {
    const v = pred();
    if (v) return v;
    if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('webhooks: scorecard.submitted signed and retried, debrief.ready once the decision is reached', async () => {
  const hook = await receiver({ failFirst: true });
  const s = await startServer(['--allow-anonymous-create', 'on', '--webhook-url', `http://127.0.0.1:${hook.port}/mockloop-events`,
    '--webhook-secret', SECRET]);
  try {
    const res = await fetch(`${s.url}/api/loops`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ templateId: 'l6-loop', title: 'Hooked', participants: [{ displayName: 'Sam', role: 'ROLE_BAR_RAISER' }] }),
    });
    assert.equal(res.status, 201);
    const made = await res.json();
    const token = (role) => made.invites.find((i) => i.role === role).token;
    const score = async (role, round, body) => {
      const base = `${s.url}/api/loops/${made.loop.id}/rounds/${round}/scorecard`;
      const headers = { authorization: `Bearer ${token(role)}`, 'content-type': 'application/json' };
      assert.equal((await fetch(base, { method: 'PUT', headers, body: JSON.stringify(body) })).status, 200);
      assert.equal((await fetch(`${base}/submit`, { method: 'POST', headers })).status, 200);
    };
    await score('ROLE_HOST', 1, { overall: 'RATING_HIRE' });
    // The first POST got 503: the same delivery comes again.
    await until(() => hook.got.length >= 2, 'the retried delivery');
    const [a, b] = hook.got;
    assert.equal(a.path, '/mockloop-events');
    assert.equal(a.headers['x-mockloop-event'], 'scorecard.submitted');
    assert.equal(a.headers['x-mockloop-delivery'], b.headers['x-mockloop-delivery']);
    assert.equal(a.body, b.body);
    const expected = `sha256=${createHmac('sha256', SECRET).update(a.body).digest('hex')}`;
    assert.equal(a.headers['x-mockloop-signature'], expected);
    assert.equal(a.headers['content-type'], 'application/json');
    const event = JSON.parse(a.body);
    assert.equal(event.type, 'scorecard.submitted');
    assert.deepEqual(event.data, { loopId: made.loop.id, roundIndex: 1 });
    assert.ok(event.createdAtMs > 1.7e12);
    assert.ok(!hook.got.some((g) => JSON.parse(g.body).type === 'debrief.ready'), 'no decision yet');

    for (let r = 2; r <= 5; r++) await score('ROLE_HOST', r, { overall: 'RATING_HIRE' });
    await score('ROLE_BAR_RAISER', 6, { overall: 'RATING_HIRE', barRaiserVerdict: 'BAR_RAISER_VERDICT_APPROVE' });
    const ready = await until(() => hook.got.find((g) => JSON.parse(g.body).type === 'debrief.ready'), 'debrief.ready');
    const d = JSON.parse(ready.body);
    assert.equal(d.data.loopId, made.loop.id);
    assert.equal(d.data.outcome, 'hire');
    assert.equal(d.data.barRaiserVetoed, false);
    assert.equal(ready.headers['x-mockloop-signature'], `sha256=${createHmac('sha256', SECRET).update(ready.body).digest('hex')}`);
    const submitted = hook.got.filter((g) => JSON.parse(g.body).type === 'scorecard.submitted');
    assert.equal(new Set(submitted.map((g) => g.headers['x-mockloop-delivery'])).size, 6, 'one delivery per submission');
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    assert.match(metrics, /^mockloop_webhooks_total\{result="retried"\} 1$/m);
  } finally {
    await s.stop();
    hook.close();
  }
});

test('webhooks: a URL that is not http(s) is refused at start, naming the flag', async () => {
  const r = await runBinary(['--webhook-url', 'ftp://example.org/x']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /--webhook-url/);
});
