// Shared e2e plumbing: start the server (the real binary, or the fake with
// MOCKLOOP_E2E_FAKE=1), launch Debian's chromium through playwright-core (never a download),
// and save screenshots under test-output/e2e/.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { after, before } from 'node:test';

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, '..', '..');
export const dist = join(repo, 'client-web', 'dist');
export const outDir = join(repo, 'test-output', 'e2e');

export function freePort() {
  return new Promise((res, rej) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => res(port));
    });
    s.on('error', rej);
  });
}

async function waitHttp(url, ms, proc) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (proc.exitCode !== null) throw new Error(`server exited with ${proc.exitCode} before answering`);
    try {
      const r = await fetch(url);
      if (r.status < 500) return;
    } catch {
      /* not yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`server did not answer ${url} within ${ms} ms`);
}

export async function startServer({ extraArgs = [], port: wanted = 0 } = {}) {
  if (!existsSync(join(dist, 'index.html'))) throw new Error(`${dist} is missing: run \`npm run build\` in client-web first`);
  const port = wanted || await freePort();
  const tmp = mkdtempSync(join(tmpdir(), 'mockloop-e2e-'));
  const fake = process.env.MOCKLOOP_E2E_FAKE === '1';
  const bin = resolve(process.env.MOCKLOOP_BIN ?? join(repo, 'build', 'server', 'app', 'mockloop'));
  let cmd, args;
  if (fake) {
    cmd = process.execPath;
    args = [join(here, 'fake-server.mjs'), '--listen', `127.0.0.1:${port}`, '--static-dir', dist];
  } else {
    if (!existsSync(bin)) throw new Error(`server binary ${bin} not found (set MOCKLOOP_BIN)`);
    cmd = bin;
    args = ['--listen', `127.0.0.1:${port}`, '--db', join(tmp, 'e2e.db'), '--static-dir', dist, '--content-dir', join(repo, 'content'), '--log-level', 'warn', ...extraArgs];
    // Most suites create loops without an account (issue 20 made that opt-in).
    if (!extraArgs.includes('--allow-anonymous-create')) args.push('--allow-anonymous-create', 'on');
  }
  let log = '';
  const base = `http://127.0.0.1:${port}`;
  const spawnIt = async () => {
    const p = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.on('data', (d) => (log += d));
    p.stderr.on('data', (d) => (log += d));
    await waitHttp(`${base}/`, 15_000, p);
    return p;
  };
  const kill = async (p) => {
    if (p.exitCode !== null) return;
    p.kill('SIGTERM');
    await new Promise((r) => { const t = setTimeout(() => { p.kill('SIGKILL'); r(); }, 5000); p.once('exit', () => { clearTimeout(t); r(); }); });
  };
  let proc = await spawnIt();
  return {
    base,
    fake,
    log: () => log,
    /** Stops the server, waits `downMs`, starts it again on the same port and database. */
    async restart(downMs = 0) {
      await kill(proc);
      await new Promise((r) => setTimeout(r, downMs));
      proc = await spawnIt();
    },
    async stop() {
      await kill(proc);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

/**
 * A suite's usual setup: before its tests, start a server (`serverOptions` as for
 * startServer) and a browser and hand both to `use` ({ server, b }); after them, close the
 * browser and stop the server (whatever of the two started).
 */
export function withServerAndBrowser(use, serverOptions = {}) {
  let server, b;
  before(async () => {
    server = await startServer(serverOptions);
    b = await launchBrowser();
    use({ server, b });
  });
  after(async () => {
    await b?.close();
    await server?.stop();
  });
}

/** `extraArgs`: more chromium flags (e.g. fake camera and microphone for calls). */
export async function launchBrowser({ extraArgs = [] } = {}) {
  // playwright-core gives every launch() a fresh temporary profile (it refuses a
  // --user-data-dir argument for launch(); that is what launchPersistentContext is for).
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', ...extraArgs],
  });
  return {
    browser,
    async close() {
      await browser.close();
    },
  };
}

export async function shot(page, name) {
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${name}.png`);
  await page.screenshot({ path, fullPage: false });
  return path;
}

/** Records every WebSocket frame a page sends or receives, as Buffers, with the socket's URL. */
export function recordFrames(page) {
  const frames = [];
  page.on('websocket', (ws) => {
    const url = ws.url();
    const add = (dir) => (f) => frames.push({ url, dir, data: typeof f.payload === 'string' ? Buffer.from(f.payload) : Buffer.from(f.payload) });
    ws.on('framereceived', add('in'));
    ws.on('framesent', add('out'));
  });
  return frames;
}

// Board gestures on a room page whose board is showing (data-testid hooks of the board).
const byTestId = (id) => `[data-testid="${id}"]`;

/** Draws with `tool` by dragging from `from` to `to` ([x, y] in the canvas's pixels). */
export async function boardDrag(page, tool, from, to) {
  await page.click(byTestId(`tool-${tool}`));
  const bb = await (await page.$(byTestId('board-canvas'))).boundingBox();
  await page.mouse.move(bb.x + from[0], bb.y + from[1]);
  await page.mouse.down();
  await page.mouse.move(bb.x + to[0], bb.y + to[1], { steps: 4 });
  await page.mouse.up();
}

/** Places a sticky note at `at` and types `text` into it. */
export async function boardSticky(page, at, text) {
  await page.click(byTestId('tool-sticky'));
  const bb = await (await page.$(byTestId('board-canvas'))).boundingBox();
  await page.mouse.click(bb.x + at[0], bb.y + at[1]);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}
