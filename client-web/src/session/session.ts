// Note: protobuf-es 2 ignores `jstype = JS_NUMBER`, so int64 fields are bigint here.
// The interview session: one WebSocket to /session?token=..., binary protobuf frames
// (session.proto). Keeps the clock offset from ping/pong, reconnects with backoff, and stops
// for good when the server says the link is invalid or revoked. Owned by the room page.

import { create, fromBinary, toBinary, type MessageInitShape } from '@bufbuild/protobuf';
import { ClientMessageSchema, ServerMessageSchema, type ServerMessage } from '../gen/session_pb';
import { ClockOffset } from '../state/clock';
import { CloseCode, isFatalClose, refusalMessage } from './close_codes';

export type ConnState = 'connecting' | 'open' | 'reconnecting' | 'refused' | 'closed';

type Body = MessageInitShape<typeof ClientMessageSchema>['body'];

export { isFatalClose, refusalMessage } from './close_codes';

export class SessionClient {
  readonly clock = new ClockOffset();
  state: ConnState = 'connecting';
  refusal = '';
  private ws: WebSocket | null = null;
  private nextId = 1;
  private attempt = 0;
  private pingTimer: number | undefined;
  private retryTimer: number | undefined;
  private stopped = false;
  private listeners = new Set<(m: ServerMessage) => void>();
  private stateListeners = new Set<(s: ConnState) => void>();

  /** `path`: /session for loops, /session/study for study rooms (study.proto). */
  constructor(private readonly token: string, private readonly base = defaultWsBase(), private readonly path = '/session') {}

  onMessage(fn: (m: ServerMessage) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  onState(fn: (s: ConnState) => void): () => void {
    this.stateListeners.add(fn);
    return () => this.stateListeners.delete(fn);
  }

  connect(): void {
    this.stopped = false;
    const ws = new WebSocket(`${this.base}${this.path}?token=${encodeURIComponent(this.token)}`);
    ws.binaryType = 'arraybuffer';
    this.ws = ws;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.attempt = 0;
      this.setState('open');
      // A burst of pings for a quick offset estimate, then one every 15 s.
      for (let i = 0; i < 5; i++) window.setTimeout(() => this.ping(), i * 150);
      this.pingTimer = window.setInterval(() => this.ping(), 15_000);
    };
    ws.onmessage = (ev) => {
      if (!(ev.data instanceof ArrayBuffer)) return;
      let msg: ServerMessage;
      try {
        msg = fromBinary(ServerMessageSchema, new Uint8Array(ev.data));
      } catch {
        return; // a frame we cannot parse is ignored; the next snapshot resyncs us
      }
      if (msg.body.case === 'pong') {
        this.clock.addSample(Number(msg.body.value.clientTimeMs), Number(msg.body.value.serverTimeMs), Date.now());
      }
      for (const l of this.listeners) l(msg);
    };
    ws.onclose = (ev) => {
      window.clearInterval(this.pingTimer);
      if (this.ws !== ws) return;
      this.ws = null;
      if (this.state === 'refused') return;
      if (isFatalClose(ev.code)) {
        this.refusal = refusalMessage(ev.code, ev.reason);
        this.setState('refused');
        return;
      }
      if (this.stopped) {
        this.setState('closed');
        return;
      }
      this.setState('reconnecting');
      // A refusal before the upgrade (HTTP 401/403) reaches a browser only as close 1006, so
      // after a failed first connect ask the REST API whether the token is still good.
      if (!opened && this.attempt >= 1) void this.checkToken();
      const delay = Math.min(10_000, 250 * 2 ** this.attempt++) * (0.75 + Math.random() / 2);
      this.retryTimer = window.setTimeout(() => this.connect(), delay);
    };
  }

  private async checkToken(): Promise<void> {
    try {
      const res = await fetch('/api/loops', { headers: { Authorization: `Bearer ${this.token}`, Accept: 'application/json' } });
      if ((res.status === 401 || res.status === 403) && this.state !== 'open') {
        this.stopped = true;
        window.clearTimeout(this.retryTimer);
        this.refusal = refusalMessage(res.status === 401 ? CloseCode.unauthenticated : CloseCode.forbidden);
        this.setState('refused');
      }
    } catch {
      /* server unreachable: keep retrying */
    }
  }

  send(body: Body): number {
    const requestId = this.nextId++;
    if (this.ws?.readyState === WebSocket.OPEN) {
      this.ws.send(toBinary(ClientMessageSchema, create(ClientMessageSchema, { requestId: BigInt(requestId), body })));
    }
    return requestId;
  }

  ping(): void {
    this.send({ case: 'ping', value: { clientTimeMs: BigInt(Date.now()) } });
  }

  close(): void {
    this.stopped = true;
    window.clearTimeout(this.retryTimer);
    window.clearInterval(this.pingTimer);
    this.ws?.close(1000);
  }

  private setState(s: ConnState): void {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }
}

export function defaultWsBase(): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}`;
}
