// Calls (issue 17) in Debian's chromium with a fake camera and microphone against the real
// server, loopback only: host, interviewer and candidate of one round join the call (three
// pages, every pair connected, each decodes the others' video and receives their audio,
// <video> elements have a size); the call strip sits between the prompt and the workspace
// and never covers the board or the pad (screenshot call-01-room.png); mute stops the audio
// packets at the receiver and camera off the frames; the candidate's page reloaded joins
// again by itself and the call heals; a candidate of ANOTHER loop on a raw session socket
// gets nothing relayed into this call. Prints join-to-first-frame and signalling counts.
// Then four people (host, two interviewers, candidate) join with audio only, every pair
// connects, and when the host moves the loop to another round the call re-forms there with
// fresh links between all four.
//
// Run: (cd client-web && npm run build) && (cd tests/e2e && MOCKLOOP_BIN=... node --test call.e2e.mjs)
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, shot, startServer } from './harness.mjs';
import { FAKE_MEDIA, T, createLoop, peerStats, rawSession, waitMedia } from './call-helpers.mjs';

let server, b;
before(async () => {
  server = await startServer();
  b = await launchBrowser({ extraArgs: FAKE_MEDIA });
});
after(async () => {
  await b?.close();
  await server?.stop();
});

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('three people in a round talk: media both ways, mute, camera off, reload heals, another loop is kept out', async (t) => {
  if (server.fake) return t.skip('needs the real server');
  const { loop, invite } = await createLoop(server.base, [{ displayName: 'Ivo Interviewer', role: 'ROLE_INTERVIEWER' }]);
  const pages = {};
  for (const role of ['host', 'interviewer', 'candidate']) {
    const ctx = await b.browser.newContext({ viewport: { width: 1280, height: 720 } });
    const p = await ctx.newPage();
    if (process.env.CALL_DEBUG) p.on('console', (m) => console.log(`[${role}] ${m.type()}: ${m.text()}`));
    await p.goto(`${server.base}${invite(role).link}`);
    await p.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
    pages[role] = p;
  }
  const { host, interviewer, candidate } = pages;
  // Nothing uses the camera before a click; no TURN configured: the strip says so once joined.
  assert.equal(await host.evaluate(() => window.__mockloop.call.local), null);

  const t0 = Date.now();
  await host.click(T('call-join'));
  await interviewer.click(T('call-join'));
  await candidate.click(T('call-join'));
  await waitMedia(host, 1);
  const firstFrameMs = Date.now() - t0;
  const stats = await Promise.all(Object.values(pages).map((p) => waitMedia(p, 2)));
  const allMs = Date.now() - t0;
  for (const s of stats) for (const r of Object.values(s)) assert.ok(r.width > 0, 'decoded video has a width');
  for (const p of Object.values(pages)) {
    const widths = await p.$$eval(T('call-video'), (vs) => vs.map((v) => v.videoWidth));
    assert.equal(widths.length, 2);
    for (const w of widths) assert.ok(w > 0, `<video> shows frames (${w} px wide)`);
    assert.ok(await p.isVisible(T('call-no-turn')), 'without TURN the strip warns about strict NATs');
  }
  const signalling = await Promise.all(Object.values(pages).map((p) => p.evaluate(() => window.__mockloop.call.signalsSent)));
  console.log(`# call: join to first decoded frame ${firstFrameMs} ms; all 3 pairs with media ${allMs} ms; signals sent per page ${signalling.join(', ')} (3-person set-up: ${signalling.reduce((a, b) => a + b, 0)})`);

  // The strip is in the flow: it ends above the workspace (board and pad) and spans no part of it.
  await shot(host, 'call-01-room');
  const box = await host.$eval(T('call-strip'), (e) => e.getBoundingClientRect().toJSON());
  const work = await host.$eval(T('workspace'), (e) => e.getBoundingClientRect().toJSON());
  assert.ok(box.bottom <= work.top + 0.5, `strip (bottom ${box.bottom}) above the workspace (top ${work.top})`);
  assert.ok(work.height >= 400, `the workspace keeps ${work.height} px of height`);

  // Mute: the host stops receiving the candidate's audio packets; camera off: its frames.
  const cid = await candidate.evaluate(() => window.__mockloop.call.state.peers.length && window.__mockloop.session && document.querySelector('[data-testid="call-tile"]') && null);
  void cid;
  const candId = invite('candidate').participantId;
  await candidate.click(T('call-mic'));
  await sleep(700);
  const a1 = (await peerStats(host))[candId].audioPackets;
  await sleep(1200);
  const a2 = (await peerStats(host))[candId].audioPackets;
  assert.ok(a2 - a1 <= 2, `muted: ${a2 - a1} audio packets in 1.2 s`);
  await candidate.click(T('call-cam'));
  await sleep(700);
  const f1 = (await peerStats(host))[candId].frames;
  await sleep(1200);
  const f2 = (await peerStats(host))[candId].frames;
  assert.ok(f2 - f1 <= 1, `camera off: ${f2 - f1} frames in 1.2 s`);
  // The interviewer still sends both.
  const ivId = invite('interviewer').participantId;
  const i1 = (await peerStats(host))[ivId];
  await sleep(1000);
  const i2 = (await peerStats(host))[ivId];
  assert.ok(i2.frames > i1.frames && i2.audioPackets > i1.audioPackets, 'the others still flow');

  // Reload: the candidate's page joins the call again by itself and everyone heals.
  const r0 = Date.now();
  await candidate.reload();
  await waitMedia(candidate, 2);
  await waitMedia(host, 2);
  console.log(`# call: candidate reload to media again ${Date.now() - r0} ms`);

  // A candidate of another loop: joins its own call, then names our host and candidate.
  const other = await createLoop(server.base, []);
  const raw = await rawSession(server.base, other.invite('candidate').token);
  await raw.waitFor((m) => m.body.case === 'snapshot');
  raw.send({ case: 'callJoin', value: {} });
  await raw.waitFor((m) => m.body.case === 'callState' && m.body.value.joined);
  const before = await host.evaluate(() => window.__mockloop.call.links.size);
  for (const target of [invite('host').participantId, candId]) {
    const rid = raw.send({ case: 'callSignal', value: { peerId: target, body: { case: 'description', value: { type: 'offer', sdp: 'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=sendrecv\r\n' } } } });
    const err = await raw.waitFor((m) => m.requestId === rid && m.body.case === 'error');
    assert.equal(err.body.value.code, 'not_found');
  }
  await sleep(300);
  assert.equal(await host.evaluate(() => window.__mockloop.call.links.size), before, 'no link appeared on the host');
  raw.close();
  void loop;
});

/** Waits until the page receives audio over a connected link from each of `ids` (audio-only call). */
async function waitAudio(page, ids, timeout = 40_000) {
  const t0 = Date.now();
  for (;;) {
    const st = await peerStats(page);
    if (ids.every((id) => st[id]?.state === 'connected' && st[id].audioPackets > 0)) return st;
    if (Date.now() - t0 > timeout) throw new Error(`audio from ${JSON.stringify(st)} after ${timeout} ms; want ${ids.join(', ')}`);
    await sleep(250);
  }
}

test('four people join with audio only, every pair connects, and the call follows the loop to another round', async (t) => {
  if (server.fake) return t.skip('needs the real server');
  const { loop, invite } = await createLoop(server.base, [
    { displayName: 'Ivo Interviewer', role: 'ROLE_INTERVIEWER' },
    { displayName: 'Ida Interviewer', role: 'ROLE_INTERVIEWER' },
  ]);
  const people = [invite('host'), invite('interviewer', 'Ivo Interviewer'), invite('interviewer', 'Ida Interviewer'), invite('candidate')];
  const pages = [];
  for (const inv of people) {
    const ctx = await b.browser.newContext({ viewport: { width: 1100, height: 700 } });
    const p = await ctx.newPage();
    await p.goto(`${server.base}${inv.link}`);
    await p.waitForSelector(`${T('conn-state')}[data-state="connected"]`, { timeout: 15_000 });
    pages.push(p);
  }
  for (const p of pages) await p.click(T('call-join-audio'));
  const others = (i) => people.filter((_, j) => j !== i).map((x) => x.participantId);
  const t0 = Date.now();
  await Promise.all(pages.map((p, i) => waitAudio(p, others(i))));
  console.log(`# call: 4 people, audio only, every pair with audio after ${Date.now() - t0} ms`);
  for (const p of pages) {
    assert.equal(await p.$$eval(T('call-tile'), (n) => n.length), 3, 'a tile per other member');
    assert.equal(await p.$$eval(T('call-tile-self'), (n) => n.length), 1, 'and one for oneself');
  }

  // The host moves the loop to another round: everyone follows and the call re-forms there.
  const target = loop.loop.rounds.findIndex((r) => /system design/i.test(r.title));
  assert.ok(target > 0);
  const host = pages[0];
  for (const p of pages) await p.evaluate(() => { for (const l of window.__mockloop.call.links.values()) l.pc.__oldRound = true; });
  await host.selectOption(T('round-select'), String(target));
  await host.click(T('move-loop-here'));
  for (const p of pages) await p.waitForFunction((r) => new RegExp(`[?&]round=${r + 1}\\b`).test(location.search), target, { timeout: 10_000 });
  const t1 = Date.now();
  // The old round's links close; three fresh ones per page carry audio again.
  await Promise.all(pages.map((p) => p.waitForFunction(() => {
    const links = [...window.__mockloop.call.links.values()];
    return links.length === 3 && links.every((l) => !l.pc.__oldRound);
  }, null, { timeout: 40_000, polling: 250 })));
  await Promise.all(pages.map((p, i) => waitAudio(p, others(i))));
  console.log(`# call: loop moved, every pair with audio again after ${Date.now() - t1} ms`);
  for (const p of pages) {
    const round = await p.evaluate(() => window.__mockloop.call.state?.roundIndex);
    if (round !== undefined) assert.equal(round, target, 'the call state names the new round');
    assert.equal(await p.evaluate(() => window.__mockloop.call.joined), true);
  }
});
