// The self-hoster's kit against the real process: configuration from the environment and a
// config file (precedence), start-up from outside the checkout via `cmake --install`, the
// versioned REST paths and their headers (Location, Allow, WWW-Authenticate), the OpenAPI
// document (linted against the official OpenAPI 3.1 schema, every response below validated
// against it with ajv's JSON Schema 2020-12),
// default-valued fields omitted as documented, /healthz and /readyz, /metrics (process
// metrics, request latency).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { bin as binPath, repoRoot, requireJs, startServer, tempDir } from '../support/server.mjs';

const bin = path.resolve(binPath);

const Ajv2020 = requireJs('ajv/dist/2020').default;

// Starts `exe` with `args` and `env` in `cwd`; resolves { port, stop } once it listens.
function spawnServer(exe, args, { env = {}, cwd = tempDir() } = {}) {
  const proc = spawn(exe, args, { cwd, env: { PATH: process.env.PATH, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '', err = '';
  proc.stderr.on('data', (d) => { err += d; });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no start: ${err}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/[^:]+:(\d+)\//);
      if (m) { clearTimeout(timer); resolve({ port: Number(m[1]), err: () => err, stop: () => new Promise((r) => { proc.on('exit', r); proc.kill('SIGTERM'); }) }); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${err}`)); });
  });
}

function run(exe, args, { env = {}, cwd = tempDir() } = {}) {
  try {
    return { code: 0, out: execFileSync(exe, args, { cwd, env: { PATH: process.env.PATH, ...env }, stdio: 'pipe' }).toString() };
  } catch (e) {
    return { code: e.status, out: String(e.stdout), err: String(e.stderr) };
  }
}

test('flag > environment > config file > default, errors naming the file and line', async () => {
  const dir = tempDir('mockloop-kit-');
  const conf = path.join(dir, 'm.conf');
  writeFileSync(conf, `# test\nlisten = 127.0.0.1:1\ndb = ${path.join(dir, 'file.db')}\nlog-level = warn\n`);
  const s = await spawnServer(bin, ['--listen', '127.0.0.1:0'], {
    env: { MOCKLOOP_CONFIG: conf, MOCKLOOP_DB: path.join(dir, 'env.db') }, cwd: dir,
  });
  try {
    // The flag's port (0: a free one), not the file's 1; the environment's db, not the file's.
    assert.notEqual(s.port, 1);
    assert.doesNotMatch(s.err(), /INFO/);  // log-level = warn from the file
  } finally {
    await s.stop();
  }
  assert.ok(existsSync(path.join(dir, 'env.db')), 'the database named by MOCKLOOP_DB');
  assert.ok(!existsSync(path.join(dir, 'file.db')), 'not the one in the file');
  writeFileSync(conf, 'listen = 127.0.0.1:0\nthreads = lots\n');
  const bad = run(bin, ['--config', conf]);
  assert.equal(bad.code, 2);
  assert.match(bad.err, new RegExp(`${conf.replaceAll('/', '\\/')}:2: threads`));
  assert.match(run(bin, ['--help']).out, /command line > environment > config file > default/);
});

test('cmake --install: the installed binary starts from any directory and finds content and web client', async () => {
  const prefix = mkdtempSync(path.join(os.tmpdir(), 'mockloop-prefix-'));
  const buildDir = path.resolve(path.dirname(bin), '..', '..');  // build/server/app -> build
  execFileSync('cmake', ['--install', buildDir, '--prefix', prefix], { stdio: 'pipe' });
  const s = await spawnServer(path.join(prefix, 'bin', 'mockloop'), [], {
    env: { MOCKLOOP_LISTEN: '127.0.0.1:0', MOCKLOOP_DB: path.join(prefix, 'data', 'm.db') }, cwd: os.tmpdir(),
  });
  try {
    assert.match(s.err(), new RegExp(`content=${prefix}/share/mockloop/content`));
    const ready = await fetch(`http://127.0.0.1:${s.port}/readyz`);
    assert.equal(ready.status, 200);
    assert.deepEqual(await ready.json().then((b) => [b.database, b.content]), ['ok', 'ok']);
  } finally {
    await s.stop();
  }
  // A copy of the binary with nothing around it names every path it tried.
  const lone = path.join(tempDir('mockloop-lone-'), 'mockloop');
  execFileSync('cp', [bin, lone]);
  const r = run(lone, ['--listen', '127.0.0.1:0'], { cwd: path.dirname(lone) });
  assert.equal(r.code, 1);
  assert.match(r.err, /no content folder found .*share\/mockloop\/content.*\.\/content.*--content-dir/);
});

test('REST v1: documented responses, headers and default-valued fields', async () => {
  const s = await startServer(['--allow-anonymous-create', 'on']);
  try {
    const docRes = await fetch(`${s.url}/api/v1/openapi.json`);
    assert.equal(docRes.status, 200);
    const doc = await docRes.json();
    assert.equal(doc.openapi, '3.1.0');
    // The spec itself is linted against the official OpenAPI 3.1 schema (and its $refs resolve).
    const { Validator } = await import(pathToFileURL(
      path.join(repoRoot, 'tests', 'js', 'node_modules', '@seriousme', 'openapi-schema-validator', 'index.js')).href);
    const lint = await new Validator().validate(structuredClone(doc));
    assert.ok(lint.valid, `docs/openapi.json is not valid OpenAPI 3.1: ${JSON.stringify(lint.errors)?.slice(0, 2000)}`);
    const broken = structuredClone(doc);
    delete broken.info;
    assert.equal((await new Validator().validate(broken)).valid, false, 'the lint catches a broken document');
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addFormat?.('date-time', true);
    ajv.addSchema({ $id: 'doc', components: doc.components });
    // Validates a response against the document's schema for (method, path pattern, status).
    const check = async (res, method, pattern) => {
      const op = doc.paths[pattern]?.[method];
      assert.ok(op, `${method} ${pattern} is documented`);
      const resp = op.responses[String(res.status)] ?? op.responses.default;
      assert.ok(resp, `${method} ${pattern} ${res.status} is documented`);
      const body = await res.json();
      const schema = resp.content['application/json'].schema;
      const validate = ajv.compile({ $ref: `doc${schema.$ref}` });
      assert.ok(validate(body), `${method} ${pattern} ${res.status}: ${ajv.errorsText(validate.errors)}`);
      return body;
    };
    await check(await fetch(`${s.url}/api/v1/templates`), 'get', '/api/v1/templates');
    const templates = await (await fetch(`${s.url}/api/templates`)).json();  // the old path still answers
    const created = await fetch(`${s.url}/api/v1/loops`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ templateId: templates.templates[0].id, title: 'kit' }),
    });
    assert.equal(created.status, 201);
    const loop = await check(created, 'post', '/api/v1/loops');
    assert.equal(created.headers.get('location'), `/api/v1/loops/${loop.loop.id}`);
    const host = loop.invites[0].token;
    const got = await fetch(`${s.url}${created.headers.get('location')}`, { headers: { authorization: `Bearer ${host}` } });
    assert.equal(got.status, 200);
    const view = await check(got, 'get', '/api/v1/loops/{id}');
    // Fields at their default value are omitted (documented): a missing boolean reads as false.
    assert.ok(view.invites.every((i) => i.revoked === undefined), JSON.stringify(view.invites[0]));
    const list = await fetch(`${s.url}/api/v1/loops`, { headers: { authorization: `Bearer ${host}` } });
    await check(list, 'get', '/api/v1/loops');

    const unauth = await fetch(`${s.url}/api/v1/loops`);
    assert.equal(unauth.status, 401);
    assert.match(unauth.headers.get('www-authenticate'), /^Bearer/);
    await check(unauth, 'get', '/api/v1/loops');
    const wrong = await fetch(`${s.url}/api/v1/templates`, { method: 'DELETE' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET');
    await check(wrong, 'get', '/api/v1/templates');
    const ops = await fetch(`${s.url}/metrics`, { method: 'POST' });
    assert.equal(ops.status, 405);
    assert.equal(ops.headers.get('allow'), 'GET, HEAD');
    // Process metrics and request latency, per REST route pattern and per HTTP prefix.
    const metrics = await (await fetch(`${s.url}/metrics`)).text();
    const value = (name) => Number((metrics.match(new RegExp(`^${name} (\\S+)$`, 'm')) ?? [])[1]);
    assert.ok(value('process_resident_memory_bytes') > 1e6, 'resident memory');
    assert.ok(value('process_cpu_seconds_total') > 0, 'cpu seconds');
    assert.ok(value('process_open_fds') >= 3, 'open fds');
    assert.ok(value('process_start_time_seconds') > 1.7e9, 'start time');
    const routeCount = metrics.match(/^mockloop_api_request_duration_seconds_count\{method="GET",route="\/api\/loops\/\{id\}"\} (\d+)$/m);
    assert.ok(routeCount && Number(routeCount[1]) >= 1, 'GET /api/loops/{id} timed');
    assert.match(metrics, /^mockloop_http_request_duration_seconds_bucket\{route="\/api",status="2xx",le="\+Inf"\} \d+$/m);
    assert.match(metrics, /^mockloop_http_request_duration_seconds_bucket\{route="\/api",status="4xx",le="\+Inf"\} \d+$/m);
  } finally {
    await s.stop();
  }
});

test('/healthz reads the database, /readyz also writes to it', async () => {
  const s = await startServer([]);
  try {
    const h = await (await fetch(`${s.url}/healthz`)).json();
    assert.equal(h.status, 'ok');
    assert.equal(h.database, 'ok');
    const r = await fetch(`${s.url}/readyz`);
    assert.equal(r.status, 200);
    assert.equal((await r.json()).content, 'ok');
  } finally {
    await s.stop();
  }
});
