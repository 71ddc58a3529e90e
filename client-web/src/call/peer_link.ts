// One RTCPeerConnection to one remote member of the round's call, negotiated with the
// "perfect negotiation" pattern (W3C WebRTC 1.0, section 10.7): both sides offer when
// they need to; on glare the polite side (the smaller participant id) rolls back and
// answers, the impolite side ignores the colliding offer. The first offer always comes
// from the impolite side (CallClient attaches the polite side's media when that offer
// arrives): chromium sometimes gathered no candidates after rolling back a first offer. ICE restarts when the
// connection fails or stays disconnected. Owned by CallClient; `close` releases it.

export interface SignalOut {
  description?: { type: 'offer' | 'answer'; sdp: string };
  candidate?: { candidate: string; sdpMid: string; sdpMLineIndex?: number; usernameFragment: string };
}

export interface PeerLinkOptions {
  peerId: string;
  epoch: bigint;
  polite: boolean;
  iceServers: RTCIceServer[];
  /** Only relayed candidates (checking a TURN deployment; localStorage 'mockloop.call.relayOnly' = '1'). */
  relayOnly: boolean;
  send: (s: SignalOut) => void;
  onTrack: (stream: MediaStream) => void;
  onState: () => void;
  /** A remote offer was applied and the answer is next: attach what we send (polite side). */
  onOffer: () => void;
}

/** How long a 'disconnected' connection may stay so before an ICE restart. */
const kDisconnectedRestartMs = 3000;

export class PeerLink {
  readonly pc: RTCPeerConnection;
  readonly remote = new MediaStream();
  private makingOffer = false;
  private ignoreOffer = false;
  private settingAnswer = false;
  private restartTimer: number | undefined;
  private closed = false;
  restarts = 0;
  signalsSent = 0;

  constructor(readonly opts: PeerLinkOptions) {
    this.pc = new RTCPeerConnection({ iceServers: opts.iceServers, bundlePolicy: 'max-bundle', iceTransportPolicy: opts.relayOnly ? 'relay' : 'all' });
    this.pc.onnegotiationneeded = () => void this.offer();
    this.pc.onicecandidate = ({ candidate }) => {
      if (!candidate) return;
      this.send({ candidate: { candidate: candidate.candidate, sdpMid: candidate.sdpMid ?? '', sdpMLineIndex: candidate.sdpMLineIndex ?? undefined, usernameFragment: candidate.usernameFragment ?? '' } });
    };
    this.pc.ontrack = ({ track }) => {
      if (!this.remote.getTracks().includes(track)) this.remote.addTrack(track);
      track.onended = () => this.remote.removeTrack(track);
      opts.onTrack(this.remote);
    };
    this.pc.oniceconnectionstatechange = () => {
      const s = this.pc.iceConnectionState;
      window.clearTimeout(this.restartTimer);
      if (s === 'failed') this.restartIce();
      else if (s === 'disconnected') this.restartTimer = window.setTimeout(() => this.restartIce(), kDisconnectedRestartMs);
      opts.onState();
    };
    this.pc.onconnectionstatechange = () => opts.onState();
  }

  get epoch(): bigint { return this.opts.epoch; }

  private send(s: SignalOut): void {
    if (this.closed) return;
    this.signalsSent++;
    this.opts.send(s);
  }

  private restartIce(): void {
    if (this.closed) return;
    this.restarts++;
    this.pc.restartIce();  // fires negotiationneeded with iceRestart
  }

  private async offer(): Promise<void> {
    try {
      this.makingOffer = true;
      await this.pc.setLocalDescription();
      const d = this.pc.localDescription;
      if (d && d.type === 'offer') this.send({ description: { type: 'offer', sdp: d.sdp } });
    } catch (e) {
      console.warn('call: offer failed', e);
    } finally {
      this.makingOffer = false;
    }
  }

  async onDescription(type: string, sdp: string): Promise<void> {
    if (this.closed) return;
    try {
      // An answer we are in the middle of applying leaves the state "stable" soon enough.
      const readyForOffer = !this.makingOffer && (this.pc.signalingState === 'stable' || this.settingAnswer);
      const collision = type === 'offer' && !readyForOffer;
      this.ignoreOffer = !this.opts.polite && collision;
      if (this.ignoreOffer) return;
      this.settingAnswer = type === 'answer';
      await this.pc.setRemoteDescription({ type: type as RTCSdpType, sdp });  // rolls back our offer on glare
      this.settingAnswer = false;
      if (type === 'offer') {
        this.opts.onOffer();
        await this.pc.setLocalDescription();
        const d = this.pc.localDescription;
        if (d) this.send({ description: { type: 'answer', sdp: d.sdp } });
      }
    } catch (e) {
      this.settingAnswer = false;
      console.warn('call: description failed', e);
    }
  }

  async onCandidate(c: { candidate: string; sdpMid: string; sdpMLineIndex?: number; usernameFragment: string }): Promise<void> {
    if (this.closed) return;
    try {
      await this.pc.addIceCandidate({ candidate: c.candidate, sdpMid: c.sdpMid || null, sdpMLineIndex: c.sdpMLineIndex ?? null, usernameFragment: c.usernameFragment || null });
    } catch (e) {
      if (!this.ignoreOffer) console.warn('call: candidate failed', e);
    }
  }

  close(): void {
    this.closed = true;
    window.clearTimeout(this.restartTimer);
    this.pc.close();
  }
}
