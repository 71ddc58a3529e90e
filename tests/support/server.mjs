// Test helpers shared by the Node tests: start the real mockloop binary on a free port with
// a fresh database, wait until it listens, and stop it. Node packages (ws, yjs, ...) come
// from tests/js/node_modules.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const requireJs = createRequire(path.join(repoRoot, 'tests', 'js', 'package.json'));
export const bin = process.env.MOCKLOOP_BIN || path.join(repoRoot, 'build', 'server', 'app', 'mockloop');

export function tempDir(prefix = 'mockloop-test-') {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

// Starts the server; resolves with { proc, port, url, dir, output(), stop() } once it prints
// its URL. `args` are extra flags; --listen, --db and --allow-anonymous-create on are chosen
// here unless given.
// `prefix`: a command that runs the server, e.g. ['prlimit', '--nofile=48:48'] (it must exec it,
// so that proc.pid is the server's).
export async function startServer(args = [], { dir = tempDir(), port = 0, prefix = [], anonymousCreate = true } = {}) {
  const full = [...args];
  if (!full.includes('--listen')) full.push('--listen', `127.0.0.1:${port}`);
  if (!full.includes('--db')) full.push('--db', path.join(dir, 'mockloop.db'));
  if (!full.includes('--content-dir')) full.push('--content-dir', path.join(repoRoot, 'content'));
  // Most tests create loops without an account (the default needs a signed-in user since
  // issue 20); `anonymousCreate: false` starts it with the server's own default.
  if (anonymousCreate && !full.includes('--allow-anonymous-create')) full.push('--allow-anonymous-create', 'on');
  // MOCKLOOP_THREADS: run the same tests with several io threads (connections spread over them).
  if (!full.includes('--threads') && process.env.MOCKLOOP_THREADS) full.push('--threads', process.env.MOCKLOOP_THREADS);
  const proc = prefix.length
    ? spawn(prefix[0], [...prefix.slice(1), bin, ...full], { stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(bin, full, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  proc.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal })));
  const actualPort = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${err}`)), 15000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on http:\/\/[^:]+:(\d+)\//);
      if (m) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${err}`)); });
  });
  return {
    proc, port: actualPort, dir, exited,
    url: `http://127.0.0.1:${actualPort}`,
    ws: `ws://127.0.0.1:${actualPort}`,
    output: () => ({ out, err }),
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      return exited;
    },
  };
}

// Runs the binary to completion with `args`; resolves { code, stdout, stderr }.
export function runBinary(args) {
  return new Promise((resolve) => {
    const proc = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    proc.stdout.on('data', (d) => { stdout += d; });
    proc.stderr.on('data', (d) => { stderr += d; });
    proc.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

// Sends raw bytes over TCP and resolves with the whole response text (until close or 2 s).
export async function rawHttp(port, text) {
  const net = await import('node:net');
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let data = '';
    sock.on('data', (d) => { data += d; });
    sock.on('error', (e) => (data ? resolve(data) : reject(e)));
    sock.on('close', () => resolve(data));
    sock.setTimeout(2000, () => { sock.destroy(); resolve(data); });
    sock.write(text);
  });
}

// Opens a WebSocket and resolves once open; `events` collects messages and the close.
export function openWs(url, options = {}) {
  const WebSocket = requireJs('ws');
  const ws = new WebSocket(url, options);
  ws.binaryType = 'nodebuffer';
  const events = { messages: [], close: null };
  const closed = new Promise((resolve) => ws.on('close', (code, reason) => {
    events.close = { code, reason: reason.toString() };
    resolve(events.close);
  }));
  ws.on('message', (data) => events.messages.push(data));
  const opened = new Promise((resolve, reject) => {
    ws.on('open', () => resolve(ws));
    ws.on('error', reject);
  });
  return { ws, events, closed, opened };
}
