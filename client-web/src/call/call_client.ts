// The round's call as this page takes part in it (issue 17): local camera and microphone,
// one PeerLink per remote member, and the session messages that drive them (CallJoin /
// CallLeave / CallSignal out; CallState and CallSignal in). Nothing touches the camera or
// microphone until the user joins. A page that was in the call joins again by itself after
// a reload, a reconnect or a move of the loop (sessionStorage remembers the choice).
// Video: 640x360 at up to 24 fps, scaled down as the call grows; audio always.
// Owned by the room page; `destroy` releases every track and connection.

import type { CallState, CallSignal, ServerMessage } from '../gen/session_pb';
import { Role } from '../gen/loop_pb';
import type { SessionClient } from '../session/session';
import { PeerLink, type SignalOut } from './peer_link';

export type Quality = 'good' | 'fair' | 'poor' | 'unknown';

export interface RemoteView {
  peerId: string;
  name: string;
  role: Role;
  mayTalk: boolean;
  audioOnly: boolean;
  stream: MediaStream;
  connection: RTCPeerConnectionState;
  quality: Quality;
  rttMs: number;
  speaking: boolean;
}

/** Video for a call of `peers` remote members (the encoder's share of a 2-core laptop). */
export function videoPlan(peers: number): { scale: number; fps: number; maxBitrate: number } {
  if (peers <= 1) return { scale: 1, fps: 24, maxBitrate: 900_000 };
  if (peers <= 2) return { scale: 1, fps: 15, maxBitrate: 600_000 };
  return { scale: 2, fps: 15, maxBitrate: 300_000 };  // 4-6 people: 320x180
}

const kVideo: MediaTrackConstraints = { width: { ideal: 640 }, height: { ideal: 360 }, frameRate: { ideal: 24, max: 24 } };
const kSpeakingLevel = 0.04;  // RMS of the analyser's samples

interface Senders { audio?: RTCRtpSender; video?: RTCRtpSender }

export class CallClient {
  state: CallState | null = null;
  /** The user chose to be in the call (kept across reloads in sessionStorage). */
  wanted = false;
  audioOnly = false;
  micOn = true;
  camOn = true;
  joining = false;
  message = '';
  local: MediaStream | null = null;
  readonly links = new Map<string, PeerLink>();
  private senders = new Map<string, Senders>();
  private remoteInfo = new Map<string, { quality: Quality; rttMs: number; speaking: boolean; lastLost: number; lastRecv: number }>();
  private iceServers: RTCIceServer[] = [];
  private joinRequest = 0;
  private lastJoin = 0;
  /** Request ids of recent signals (a stale one is refused with not_found; ignored). */
  private signalIds = new Set<number>();
  private refreshTimer: number | undefined;
  private statsTimer: number | undefined;
  private audioCtx: AudioContext | null = null;
  private analysers = new Map<string, { node: AnalyserNode; stream: MediaStream }>();
  private listeners = new Set<() => void>();
  private destroyed = false;
  micDevice = '';
  camDevice = '';
  /** Set when the last join request came from a click (autoplay allowed). */
  signalsSent = 0;

  constructor(private readonly session: SessionClient, private readonly storageKey: string, private myId = '', private myRole: Role = Role.UNSPECIFIED) {
    const saved = sessionStorage.getItem(storageKey);
    if (saved) {
      this.wanted = true;
      this.audioOnly = saved === 'audio';
    }
    this.statsTimer = window.setInterval(() => void this.poll(), 1000);
  }

  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  private changed(): void {
    for (const l of this.listeners) l();
  }

  get joined(): boolean { return Boolean(this.state?.joined); }
  get mayTalk(): boolean { return Boolean(this.state?.joined && this.state.mayTalk); }

  /** From each StateSnapshot: who we are and the call of the round on screen. */
  onSnapshot(call: CallState | undefined, myId: string, role: Role): void {
    this.myId = myId;
    this.myRole = role;
    if (call) this.apply(call);
  }

  onServer(m: ServerMessage): void {
    if (m.body.case === 'callState') this.apply(m.body.value);
    else if (m.body.case === 'callSignal') void this.onSignal(m.body.value);
    else if (m.body.case === 'error' && Number(m.requestId) === this.joinRequest && this.joinRequest) {
      this.joinRequest = 0;
      this.joining = false;
      this.leaveLocally(`Could not join the call: ${m.body.value.message}`);
    }
  }

  /** Errors answering call requests are shown in the strip, not the room's banner. */
  ownsError(requestId: bigint): boolean {
    const id = Number(requestId);
    return id !== 0 && (id === this.lastJoin || this.signalIds.has(id));
  }

  /** The user clicks Join (or Join audio only). */
  async join(audioOnly: boolean): Promise<void> {
    this.wanted = true;
    this.audioOnly = audioOnly;
    sessionStorage.setItem(this.storageKey, audioOnly ? 'audio' : 'video');
    this.message = '';
    await this.sendJoin();
  }

  leave(): void {
    this.session.send({ case: 'callLeave', value: {} });
    this.leaveLocally('');
  }

  private leaveLocally(message: string): void {
    this.wanted = false;
    sessionStorage.removeItem(this.storageKey);
    this.message = message;
    this.closeLinks();
    this.stopLocal();
    this.changed();
  }

  private async sendJoin(): Promise<void> {
    if (this.joining) return;
    this.joining = true;
    this.changed();
    // Observers listen until the host lets them talk: no camera or microphone for them.
    if (this.myRole !== Role.OBSERVER && !this.local) await this.startLocal();
    if (this.destroyed || !this.wanted) { this.joining = false; return; }
    this.joinRequest = this.lastJoin = this.session.send({ case: 'callJoin', value: { audioOnly: this.audioOnly || !this.local?.getVideoTracks().length } });
  }

  private async startLocal(): Promise<void> {
    const audio: MediaTrackConstraints | boolean = this.micDevice ? { deviceId: { exact: this.micDevice } } : true;
    const video: MediaTrackConstraints | false = this.audioOnly ? false : { ...kVideo, ...(this.camDevice ? { deviceId: { exact: this.camDevice } } : {}) };
    try {
      this.local = await navigator.mediaDevices.getUserMedia({ audio, video });
    } catch (e) {
      if (video) {
        try {
          this.local = await navigator.mediaDevices.getUserMedia({ audio });
          this.camOn = false;
          this.message = 'No camera available: joined with audio only.';
          return;
        } catch { /* fall through */ }
      }
      this.local = null;
      this.message = `Camera and microphone are blocked or missing (${(e as Error).name}): you can listen, the rest of the room works.`;
      return;
    }
    this.micOn = true;
    this.camOn = !this.audioOnly;
    this.watchLevel('self', this.local);
  }

  private stopLocal(): void {
    this.local?.getTracks().forEach((t) => t.stop());
    this.local = null;
    this.analysers.delete('self');
  }

  private apply(st: CallState): void {
    const wasJoined = this.joined;
    const reply = this.joinRequest !== 0 && st.joined;
    this.state = st;
    if (st.iceServers.length) this.iceServers = st.iceServers.map((s) => ({ urls: s.urls, username: s.username || undefined, credential: s.credential || undefined }));
    if (reply || (st.joined && !wasJoined)) {
      this.joinRequest = 0;
      this.joining = false;
      if (st.iceServers.length) for (const l of this.links.values()) l.pc.setConfiguration({ ...l.pc.getConfiguration(), iceServers: this.iceServers });
      this.scheduleRefresh(Number(st.iceExpiresAtMs));
    }
    if (!st.joined) {
      this.closeLinks();
      if (st.endedReason) {
        this.leaveLocally(`You left the call here: ${st.endedReason}.`);
        return;
      }
      // Back in the call after a reload, a reconnect or a move of the loop.
      if (this.wanted && !this.joining) void this.sendJoin();
      this.changed();
      return;
    }
    void this.syncTalk();
    const present = new Set<string>();
    for (const p of st.peers) {
      present.add(p.participantId);
      const link = this.links.get(p.participantId);
      if (link && link.epoch === p.epoch) continue;
      link?.close();
      this.openLink(p.participantId, p.epoch);
    }
    for (const [id, link] of this.links) {
      if (present.has(id)) continue;
      link.close();
      this.links.delete(id);
      this.senders.delete(id);
      this.analysers.delete(id);
    }
    this.adaptVideo();
    this.changed();
  }

  private scheduleRefresh(expiresAtMs: number): void {
    window.clearTimeout(this.refreshTimer);
    if (!expiresAtMs) return;
    // Fresh TURN credentials well before these expire (CallJoin while joined keeps the epoch).
    const inMs = Math.max(30_000, (expiresAtMs - this.session.clock.serverNow()) * 0.8);
    this.refreshTimer = window.setTimeout(() => {
      if (this.joined) this.joinRequest = this.lastJoin = this.session.send({ case: 'callJoin', value: { audioOnly: this.audioOnly } });
    }, inMs);
  }

  private openLink(peerId: string, epoch: bigint): PeerLink {
    const polite = this.myId < peerId;
    const link = new PeerLink({
      peerId,
      epoch,
      polite,
      iceServers: this.iceServers,
      relayOnly: localStorage.getItem('mockloop.call.relayOnly') === '1',
      send: (s) => this.sendSignal(peerId, epoch, s),
      onTrack: (stream) => { this.watchLevel(peerId, stream); this.changed(); },
      onState: () => this.changed(),
      onOffer: () => { if (this.mayTalk && this.local) this.addLocalTracks(peerId, link); },
    });
    this.links.set(peerId, link);
    this.senders.set(peerId, {});
    // The impolite side opens: its media, and receive-only sections for what it does not send.
    if (!polite) {
      if (this.mayTalk && this.local) this.addLocalTracks(peerId, link);
      const s = this.senders.get(peerId) ?? {};
      for (const kind of ['audio', 'video'] as const) if (!s[kind]) link.pc.addTransceiver(kind, { direction: 'recvonly' });
    }
    return link;
  }

  /** Sends our tracks to `link`: on a transceiver of the kind that sends nothing yet, else a new one. */
  private addLocalTracks(peerId: string, link: PeerLink): void {
    if (!this.local) return;
    const s = this.senders.get(peerId) ?? {};
    for (const t of this.local.getTracks()) {
      const kind = t.kind as 'audio' | 'video';
      if (s[kind]) continue;
      const free = link.pc.getTransceivers().find((x) => x.currentDirection !== 'stopped' && x.receiver.track.kind === kind && !x.sender.track && x.direction !== 'sendrecv' && x.direction !== 'sendonly' && ![s.audio, s.video].includes(x.sender));
      if (free) {
        free.direction = 'sendrecv';
        free.sender.setStreams(this.local);
        void free.sender.replaceTrack(t);
        s[kind] = free.sender;
      } else {
        s[kind] = link.pc.addTrack(t, this.local);
      }
      if ((kind === 'audio' && !this.micOn) || (kind === 'video' && !this.camOn)) void s[kind]!.replaceTrack(null);
    }
    this.senders.set(peerId, s);
  }

  /** The host let us talk, or took it back: start or stop sending. */
  private async syncTalk(): Promise<void> {
    if (this.mayTalk && !this.local && this.myRole === Role.OBSERVER) {
      await this.startLocal();
      for (const [id, link] of this.links) this.addLocalTracks(id, link);
      this.changed();
    } else if (!this.mayTalk && this.local && this.joined) {
      for (const [id, link] of this.links) {
        const s = this.senders.get(id) ?? {};
        for (const sender of [s.audio, s.video]) if (sender) link.pc.removeTrack(sender);
        this.senders.set(id, {});
      }
      this.stopLocal();
      this.changed();
    }
  }

  private sendSignal(peerId: string, epoch: bigint, s: SignalOut): void {
    this.signalsSent++;
    const body = s.description
      ? { case: 'description' as const, value: s.description }
      : { case: 'candidate' as const, value: s.candidate! };
    const id = this.session.send({ case: 'callSignal', value: { peerId, peerEpoch: epoch, body } });
    this.signalIds.add(id);
    if (this.signalIds.size > 200) this.signalIds.delete(this.signalIds.values().next().value!);
  }

  private async onSignal(sig: CallSignal): Promise<void> {
    if (!this.joined) return;
    let link = this.links.get(sig.peerId);
    if (link && link.epoch > sig.peerEpoch) return;  // from a page that has since reloaded
    if (!link || link.epoch < sig.peerEpoch) {
      link?.close();
      link = this.openLink(sig.peerId, sig.peerEpoch);
    }
    if (sig.body.case === 'description') await link.onDescription(sig.body.value.type, sig.body.value.sdp);
    else if (sig.body.case === 'candidate') await link.onCandidate(sig.body.value);
  }

  setMic(on: boolean): void {
    this.micOn = on;
    const track = this.local?.getAudioTracks()[0] ?? null;
    if (track) track.enabled = on;
    for (const s of this.senders.values()) void s.audio?.replaceTrack(on ? track : null);
    this.changed();
  }

  async setCam(on: boolean): Promise<void> {
    if (!this.local) return;
    if (!on) {
      this.local.getVideoTracks().forEach((t) => { t.stop(); this.local!.removeTrack(t); });
      for (const s of this.senders.values()) void s.video?.replaceTrack(null);
      this.camOn = false;
      this.changed();
      return;
    }
    try {
      const cam = await navigator.mediaDevices.getUserMedia({ video: { ...kVideo, ...(this.camDevice ? { deviceId: { exact: this.camDevice } } : {}) } });
      const track = cam.getVideoTracks()[0];
      if (!track) throw new Error('NotFoundError');
      this.local.addTrack(track);
      this.camOn = true;
      this.audioOnly = false;
      for (const [id, link] of this.links) {
        const s = this.senders.get(id) ?? {};
        if (s.video) void s.video.replaceTrack(track);
        else this.addLocalTracks(id, link);
      }
      this.adaptVideo();
    } catch (e) {
      this.message = `The camera is blocked or missing (${(e as Error).name}).`;
    }
    this.changed();
  }

  /** Switches microphone or camera to `deviceId`. */
  async useDevice(kind: 'audio' | 'video', deviceId: string): Promise<void> {
    if (kind === 'audio') this.micDevice = deviceId;
    else this.camDevice = deviceId;
    if (!this.local || (kind === 'video' && !this.camOn)) return this.changed();
    try {
      const c = kind === 'audio' ? { audio: { deviceId: { exact: deviceId } } } : { video: { ...kVideo, deviceId: { exact: deviceId } } };
      const fresh = (await navigator.mediaDevices.getUserMedia(c)).getTracks()[0];
      if (!fresh) throw new Error('NotFoundError');
      const old = kind === 'audio' ? this.local.getAudioTracks()[0] : this.local.getVideoTracks()[0];
      if (old) { old.stop(); this.local.removeTrack(old); }
      this.local.addTrack(fresh);
      if (kind === 'audio') fresh.enabled = this.micOn;
      for (const s of this.senders.values()) void s[kind]?.replaceTrack(kind === 'audio' && !this.micOn ? null : fresh);
      if (kind === 'audio') this.watchLevel('self', this.local);
    } catch (e) {
      this.message = `Could not switch device (${(e as Error).name}).`;
    }
    this.changed();
  }

  /** Lower resolution and frame rate as the call grows (videoPlan). */
  private adaptVideo(): void {
    const plan = videoPlan(this.links.size);
    for (const s of this.senders.values()) {
      const sender = s.video;
      if (!sender) continue;
      const p = sender.getParameters();
      const enc = p.encodings?.[0];
      if (!enc) continue;
      enc.scaleResolutionDownBy = plan.scale;
      enc.maxFramerate = plan.fps;
      enc.maxBitrate = plan.maxBitrate;
      void sender.setParameters(p).catch(() => undefined);
    }
  }

  private watchLevel(id: string, stream: MediaStream): void {
    if (!stream.getAudioTracks().length) return;
    if (this.analysers.get(id)?.stream === stream && id !== 'self') return;
    try {
      this.audioCtx ??= new AudioContext();
      const node = this.audioCtx.createAnalyser();
      node.fftSize = 512;
      this.audioCtx.createMediaStreamSource(new MediaStream(stream.getAudioTracks())).connect(node);
      this.analysers.set(id, { node, stream });
    } catch { /* no Web Audio: no speaking indicator */ }
  }

  private level(id: string): number {
    const a = this.analysers.get(id);
    if (!a) return 0;
    const buf = new Float32Array(a.node.fftSize);
    a.node.getFloatTimeDomainData(buf);
    let sum = 0;
    for (const v of buf) sum += v * v;
    return Math.sqrt(sum / buf.length);
  }

  /** Once a second: speaking indicators and each link's quality (RTT and loss). */
  private async poll(): Promise<void> {
    if (!this.links.size && !this.local) return;
    void this.audioCtx?.resume().catch(() => undefined);
    for (const [id, link] of this.links) {
      const info = this.remoteInfo.get(id) ?? { quality: 'unknown' as Quality, rttMs: 0, speaking: false, lastLost: 0, lastRecv: 0 };
      info.speaking = this.level(id) > kSpeakingLevel;
      try {
        const stats = await link.pc.getStats();
        let rtt = -1, lost = 0, recv = 0;
        stats.forEach((r) => {
          if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded' && typeof r.currentRoundTripTime === 'number') rtt = r.currentRoundTripTime * 1000;
          if (r.type === 'inbound-rtp') { lost += r.packetsLost ?? 0; recv += r.packetsReceived ?? 0; }
        });
        const dLost = lost - info.lastLost, dRecv = recv - info.lastRecv;
        info.lastLost = lost;
        info.lastRecv = recv;
        const loss = dRecv + dLost > 0 ? dLost / (dRecv + dLost) : 0;
        info.rttMs = rtt;
        info.quality = rtt < 0 ? 'unknown' : rtt < 250 && loss < 0.03 ? 'good' : rtt < 600 && loss < 0.1 ? 'fair' : 'poor';
      } catch { /* closed meanwhile */ }
      this.remoteInfo.set(id, info);
    }
    this.selfSpeaking = this.micOn && this.level('self') > kSpeakingLevel;
    this.changed();
  }
  selfSpeaking = false;

  remotes(): RemoteView[] {
    const out: RemoteView[] = [];
    for (const p of this.state?.joined ? this.state.peers : []) {
      const link = this.links.get(p.participantId);
      const info = this.remoteInfo.get(p.participantId);
      out.push({
        peerId: p.participantId, name: p.displayName, role: p.role, mayTalk: p.mayTalk, audioOnly: p.audioOnly,
        stream: link?.remote ?? new MediaStream(), connection: link?.pc.connectionState ?? 'new',
        quality: info?.quality ?? 'unknown', rttMs: info?.rttMs ?? -1, speaking: info?.speaking ?? false,
      });
    }
    return out;
  }

  allowTalk(participantId: string, allowed: boolean): void {
    this.session.send({ case: 'callAllowTalk', value: { participantId, allowed } });
  }

  private closeLinks(): void {
    for (const l of this.links.values()) l.close();
    this.links.clear();
    this.senders.clear();
    for (const id of [...this.analysers.keys()]) if (id !== 'self') this.analysers.delete(id);
  }

  destroy(): void {
    this.destroyed = true;
    window.clearTimeout(this.refreshTimer);
    window.clearInterval(this.statsTimer);
    this.closeLinks();
    this.stopLocal();
    void this.audioCtx?.close();
  }
}
