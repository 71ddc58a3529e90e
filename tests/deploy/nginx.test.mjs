// Starts Debian's nginx on loopback with deploy/nginx/mockloop.conf (ports, upstream and
// certificate rewritten for the test) in front of the real server, then passes an HTTPS
// request and a WebSocket message (a y-protocols sync step 1, answered by step 2) through it,
// and checks the site's hygiene: HSTS, no /metrics or /healthz from outside, and an access log
// that never records a query string (invite tokens travel in `?token=`).
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { test } from 'node:test';

import { openWs, repoRoot, startServer, tempDir } from '../support/server.mjs';

const nginxBin = process.env.NGINX_BIN || '/usr/sbin/nginx';

function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => { const { port } = srv.address(); srv.close(() => resolve(port)); });
  });
}

async function waitForPort(port) {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.on('connect', () => { s.destroy(); resolve(true); });
      s.on('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${port}`);
}

test('nginx site proxies HTTPS and WebSocket traffic to mockloop', async () => {
  const server = await startServer(['--allow-anonymous-docs']);
  const dir = tempDir('mockloop-nginx-');
  const httpsPort = await freePort();
  const httpPort = await freePort();
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
    '-keyout', path.join(dir, 'key.pem'), '-out', path.join(dir, 'cert.pem')], { stdio: 'ignore' });
  const site = readFileSync(path.join(repoRoot, 'deploy', 'nginx', 'mockloop.conf'), 'utf8')
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${server.port};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${httpsPort} ssl http2;`)
    .replace('listen 80;', `listen 127.0.0.1:${httpPort};`)
    .replaceAll('/var/log/nginx/mockloop.access.log', path.join(dir, 'access.log'))
    .replace(/\/etc\/letsencrypt\/live\/mockloop\.example\.com\/fullchain\.pem/, path.join(dir, 'cert.pem'))
    .replace(/\/etc\/letsencrypt\/live\/mockloop\.example\.com\/privkey\.pem/, path.join(dir, 'key.pem'));
  assert.notEqual(site.indexOf(`127.0.0.1:${server.port}`), -1, 'upstream rewritten');
  writeFileSync(path.join(dir, 'site.conf'), site);
  writeFileSync(path.join(dir, 'nginx.conf'), `
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 256; }
http {
  access_log off;  # the site sets its own
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/site.conf;
}
`);
  const nginx = spawn(nginxBin, ['-p', dir, '-c', path.join(dir, 'nginx.conf')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let nginxErr = '';
  nginx.stderr.on('data', (d) => { nginxErr += d; });
  try {
    await waitForPort(httpsPort);
    const get = (p) => new Promise((resolve, reject) => {
      https.get({ host: '127.0.0.1', port: httpsPort, path: p, rejectUnauthorized: false }, (res) => {
        let data = '';
        res.on('data', (d) => { data += d; });
        res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, data }));
      }).on('error', reject);
    });
    // HTTPS request through the proxy; the token in its query string must not be logged.
    const body = await get('/api/templates?token=SECRET-TOKEN-IN-QUERY');
    assert.equal(body.status, 200, nginxErr);
    assert.ok(Array.isArray(JSON.parse(body.data).templates), body.data);
    assert.match(body.headers['strict-transport-security'] || '', /max-age=\d+/);
    // Operators' endpoints are not served through the public site.
    assert.equal((await get('/metrics')).status, 404);
    assert.equal((await get('/healthz')).status, 404);
    // A WebSocket message through the proxy: the server greets with its sync step 1 and
    // answers ours with a step 2.
    const c = openWs(`wss://127.0.0.1:${httpsPort}/yjs/deploy-doc`, { rejectUnauthorized: false });
    const ws = await c.opened;
    ws.send(Buffer.from([0, 0, 1, 0]));  // sync, step 1, empty state vector
    for (let i = 0; i < 50 && !c.events.messages.some((m) => m[0] === 0 && m[1] === 1); i++) {
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.ok(c.events.messages.some((m) => m[0] === 0 && m[1] === 0), 'server step 1 received');
    assert.ok(c.events.messages.some((m) => m[0] === 0 && m[1] === 1), 'server step 2 received');
    ws.close();
    await c.closed;
    // Plain HTTP redirects to HTTPS.
    const redirect = await fetch(`http://127.0.0.1:${httpPort}/`, { redirect: 'manual' });
    assert.equal(redirect.status, 301);
    const log = readFileSync(path.join(dir, 'access.log'), 'utf8');
    assert.match(log, /GET \/api\/templates /, 'requests are logged');
    assert.doesNotMatch(log, /SECRET-TOKEN|token=/, 'no query string in the access log');
  } finally {
    nginx.kill('SIGQUIT');
    await new Promise((r) => nginx.on('exit', r));
    await server.stop();
  }
});
