// TURN for calls (issue 17) against a REAL coturn (Debian's `coturn` package) started on
// loopback with use-auth-secret: the credentials our server hands out in CallState let
// chromium allocate a relay (a relay candidate is gathered), a forged password and an
// expired username do not; then two pages forced to relay-only ICE ('mockloop.call.relayOnly')
// connect THROUGH coturn (the selected candidate pair is a relay) and decode each other's
// video. Skipped, saying so, when /usr/bin/turnserver is not installed.
//
// Run: (cd client-web && npm run build) && (cd tests/e2e && MOCKLOOP_BIN=... node --test call_turn.e2e.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync } from 'node:fs';
import { freePort, launchBrowser, startServer } from './harness.mjs';
import { FAKE_MEDIA, T, createLoop, peerStats, rawSession, waitMedia } from './call-helpers.mjs';

const TURNSERVER = process.env.TURNSERVER ?? '/usr/bin/turnserver';
const SECRET = 'e2e-turn-secret';
const have = existsSync(TURNSERVER);
let server, b, turn, turnPort, turnLog = '';

before(async () => {
  if (!have) return;
  turnPort = await freePort();
  const relayLo = 50000 + Math.floor(Math.random() * 5000);
  turn = spawn(TURNSERVER, ['-n', '--listening-ip=127.0.0.1', '--relay-ip=127.0.0.1', `--listening-port=${turnPort}`,
    '--use-auth-secret', `--static-auth-secret=${SECRET}`, '--realm=mockloop.test', '--no-tls', '--no-dtls',
    '--allow-loopback-peers', '--no-cli', `--min-port=${relayLo}`, `--max-port=${relayLo + 200}`, '--fingerprint',
    '--log-file=stdout', '--simple-log', '--no-software-attribute'], { stdio: ['ignore', 'pipe', 'pipe'] });
  turn.stdout.on('data', (d) => (turnLog += d));
  turn.stderr.on('data', (d) => (turnLog += d));
  for (let i = 0; i < 50 && !/listener opened on|Total (UDP|General) servers/i.test(turnLog); i++) await new Promise((r) => setTimeout(r, 100));
  server = await startServer({ extraArgs: ['--ice-server', `turn:127.0.0.1:${turnPort}?transport=udp`, '--turn-secret', SECRET, '--turn-ttl', '600'] });
  b = await launchBrowser({ extraArgs: FAKE_MEDIA });
});
after(async () => {
  await b?.close();
  await server?.stop();
  turn?.kill('SIGTERM');
});

/** Relay candidates chromium gathers with `iceServer` (relay-only policy), and ICE errors. */
function gatherRelay(page, iceServer) {
  return page.evaluate(async (server) => {
    const pc = new RTCPeerConnection({ iceServers: [server], iceTransportPolicy: 'relay' });
    const relay = [], errors = [];
    pc.onicecandidate = (e) => { if (e.candidate?.candidate) relay.push(e.candidate.candidate); };
    pc.onicecandidateerror = (e) => errors.push(`${e.errorCode} ${e.errorText}`);
    pc.createDataChannel('probe');
    await pc.setLocalDescription();
    await new Promise((r) => { const t = setTimeout(r, 5000); pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') { clearTimeout(t); r(); } }; });
    pc.close();
    return { relay: relay.filter((c) => / typ relay /.test(c)), errors };
  }, iceServer);
}

test('our TURN credentials are accepted by coturn; forged and expired ones are not; a call connects through the relay', async (t) => {
  if (!have) return t.skip(`coturn is not installed (${TURNSERVER}): apt-get install coturn`);
  if (server.fake) return t.skip('needs the real server');
  const { invite } = await createLoop(server.base, []);
  // The credentials the server issues to the host on CallJoin.
  const raw = await rawSession(server.base, invite('host').token);
  await raw.waitFor((m) => m.body.case === 'snapshot');
  raw.send({ case: 'callJoin', value: { audioOnly: true } });
  const st = (await raw.waitFor((m) => m.body.case === 'callState' && m.body.value.joined)).body.value;
  raw.close();
  assert.equal(st.turnConfigured, true);
  const turnServer = st.iceServers.find((s) => s.urls.some((u) => u.startsWith('turn:')));
  assert.ok(turnServer, 'a TURN server with credentials');
  const [expiry, who] = turnServer.username.split(':');
  assert.equal(who, invite('host').participantId);
  assert.ok(Number(expiry) > Date.now() / 1000 + 500 && Number(expiry) <= Date.now() / 1000 + 601, `expiry ${expiry} is ~600 s ahead`);

  const ctx = await b.browser.newContext();
  const page = await ctx.newPage();
  await page.goto(`${server.base}/`);
  const good = await gatherRelay(page, { urls: turnServer.urls, username: turnServer.username, credential: turnServer.credential });
  assert.ok(good.relay.length >= 1, `coturn allocated a relay with our credentials (${JSON.stringify(good)})`);
  const forged = await gatherRelay(page, { urls: turnServer.urls, username: turnServer.username, credential: turnServer.credential.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) });
  assert.equal(forged.relay.length, 0, `a forged password gets no relay (${forged.errors.join('; ')})`);
  const pastUser = `${Math.floor(Date.now() / 1000) - 60}:${who}`;
  const expired = await gatherRelay(page, { urls: turnServer.urls, username: pastUser, credential: createHmac('sha1', SECRET).update(pastUser).digest('base64') });
  assert.equal(expired.relay.length, 0, `an expired username gets no relay even with the right HMAC (${expired.errors.join('; ')})`);
  console.log(`# turn: relay candidates with issued credentials ${good.relay.length}; forged ${forged.relay.length} (${forged.errors[0] ?? ''}); expired ${expired.relay.length} (${expired.errors[0] ?? ''})`);
  await ctx.close();

  // Two pages that may only use relayed candidates: their call goes through coturn.
  const pages = [];
  for (const role of ['host', 'candidate']) {
    const c = await b.browser.newContext({ viewport: { width: 1280, height: 720 } });
    await c.addInitScript(() => localStorage.setItem('mockloop.call.relayOnly', '1'));
    const p = await c.newPage();
    await p.goto(`${server.base}${invite(role).link}`);
    await p.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
    pages.push(p);
  }
  for (const p of pages) await p.click(T('call-join'));
  for (const p of pages) {
    await waitMedia(p, 1, 25_000);
    const stats = Object.values(await peerStats(p));
    assert.ok(stats[0].relay, 'the selected candidate pair is relayed by coturn');
    assert.ok(!(await p.isVisible(T('call-no-turn'))), 'with TURN configured there is no NAT warning');
  }
});
