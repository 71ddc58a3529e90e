// Helpers of the call browser tests (call.e2e.mjs, call_turn.e2e.mjs): chromium with a
// fake camera and microphone, per-peer WebRTC stats read from the page's CallClient, and a
// raw /session socket speaking session.proto.
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import WebSocket from 'ws';
import { ClientMessageSchema, ServerMessageSchema } from './gen/session_pb.js';

export const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];
export const T = (id) => `[data-testid="${id}"]`;

/** Per remote peer of the page's call: connection state, decoded frames, audio packets, frame width. */
export function peerStats(page) {
  return page.evaluate(async () => {
    const call = window.__mockloop?.call;
    const out = {};
    if (!call) return out;
    for (const [id, link] of call.links) {
      const s = await link.pc.getStats();
      const r = { state: link.pc.connectionState, frames: 0, audioPackets: 0, width: 0, relay: false };
      s.forEach((x) => {
        if (x.type === 'inbound-rtp' && x.kind === 'video') { r.frames += x.framesDecoded ?? 0; r.width = x.frameWidth ?? 0; }
        if (x.type === 'inbound-rtp' && x.kind === 'audio') r.audioPackets += x.packetsReceived ?? 0;
      });
      s.forEach((x) => {
        if (x.type === 'candidate-pair' && x.nominated && x.state === 'succeeded') {
          const local = s.get(x.localCandidateId);
          if (local?.candidateType === 'relay') r.relay = true;
        }
      });
      out[id] = r;
    }
    return out;
  });
}

/** Waits until the page decodes video and receives audio from `n` peers. */
export async function waitMedia(page, n, timeout = 20_000) {
  const t0 = Date.now();
  for (;;) {
    const st = await peerStats(page);
    const ok = Object.values(st).filter((r) => r.state === 'connected' && r.frames > 0 && r.audioPackets > 0);
    if (ok.length >= n) return st;
    if (Date.now() - t0 > timeout) throw new Error(`media from ${ok.length}/${n} peers after ${timeout} ms: ${JSON.stringify(st)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A raw /session socket: send(body) and the decoded messages received so far. */
export async function rawSession(base, token) {
  const ws = new WebSocket(`${base.replace('http', 'ws')}/session?token=${encodeURIComponent(token)}`);
  const got = [];
  let closeCode = 0;
  ws.on('message', (d) => got.push(fromBinary(ServerMessageSchema, new Uint8Array(d))));
  ws.on('close', (c) => { closeCode = c; });
  await new Promise((resolve, reject) => { ws.once('open', resolve); ws.once('error', reject); });
  let id = 1;
  return {
    got,
    closeCode: () => closeCode,
    send(body) {
      const requestId = BigInt(id++);
      ws.send(toBinary(ClientMessageSchema, create(ClientMessageSchema, { requestId, body })));
      return requestId;
    },
    async waitFor(pred, timeout = 5000) {
      const t0 = Date.now();
      for (;;) {
        const m = got.find(pred);
        if (m) return m;
        if (Date.now() - t0 > timeout) throw new Error('raw session: no matching message');
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => ws.close(),
  };
}

export async function createLoop(base, participants) {
  const res = await fetch(`${base}/api/loops`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ templateId: 'l6-loop', candidateName: 'Cam Candidate', hostName: 'Hana Host', participants }),
  });
  if (res.status !== 201) throw new Error(`create loop: ${res.status}`);
  const loop = await res.json();
  return { loop, invite: (role, name) => loop.invites.find((i) => i.role === `ROLE_${role.toUpperCase()}` && (!name || i.displayName === name)) };
}
