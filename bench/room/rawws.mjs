// A minimal WebSocket client for the load generator (RFC 6455, client side, binary frames):
// the handshake, masked sends, and a frame parser that hands each received message to a
// callback with the time its bytes arrived. It does what the `ws` package does for these
// clients with a fraction of the per-message work (no stream, no event emitter per frame),
// so that the generator's own processing, which runs on the same 2 cores as the server,
// adds less to the measured fan-out latency. Pings are answered; a close frame ends it.
import net from 'node:net';
import { randomBytes } from 'node:crypto';

const MAX_MESSAGE = 64 * 1024 * 1024; // a larger frame is a protocol error here

export class RawWs {
  // url: ws://host:port/path. Callbacks: onopen(), onmessage(buf, arrivalUs), onclose().
  constructor(url, { onopen, onmessage, onclose, nowUs }) {
    const u = new URL(url);
    this.onmessage = onmessage;
    this.onclose = onclose;
    this.nowUs = nowUs;
    this.closed = false;
    this.open = false;
    this.buf = null;      // unparsed bytes
    this.frags = null;    // fragments of a message in progress
    this.sock = net.connect({ host: u.hostname, port: Number(u.port) || 80, noDelay: true });
    const key = randomBytes(16).toString('base64');
    this.sock.on('connect', () => {
      this.sock.write(`GET ${u.pathname}${u.search} HTTP/1.1\r\nHost: ${u.host}\r\nUpgrade: websocket\r\n` +
        `Connection: Upgrade\r\nSec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`);
    });
    this.sock.on('data', (chunk) => {
      const at = this.nowUs();
      this.buf = this.buf ? Buffer.concat([this.buf, chunk]) : chunk;
      if (!this.open) {
        const end = this.buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        if (!/^HTTP\/1\.1 101 /.test(this.buf.toString('latin1', 0, 13))) { this.close(); return; }
        this.buf = this.buf.length > end + 4 ? this.buf.subarray(end + 4) : null;
        this.open = true;
        onopen();
        if (!this.buf) return;
      }
      this.parse(at);
    });
    this.sock.on('error', () => this.close());
    this.sock.on('close', () => this.close());
  }

  parse(at) {
    let b = this.buf;
    let p = 0;
    while (!this.closed && b.length - p >= 2) {
      const fin = b[p] & 0x80;
      const op = b[p] & 0x0f;
      let len = b[p + 1] & 0x7f;
      const masked = b[p + 1] & 0x80;
      let h = 2;
      if (len === 126) { if (b.length - p < 4) break; len = b.readUInt16BE(p + 2); h = 4; }
      else if (len === 127) { if (b.length - p < 10) break; len = Number(b.readBigUInt64BE(p + 2)); h = 10; }
      if (masked || len > MAX_MESSAGE) { this.close(); return; } // a server never masks
      if (b.length - p < h + len) break;
      const payload = b.subarray(p + h, p + h + len);
      p += h + len;
      if (op === 0x9) this.frame(0xa, payload);
      else if (op === 0x8) { this.close(); return; }
      else if (op === 0x1 || op === 0x2 || op === 0x0) {
        if (!fin) { (this.frags ??= []).push(Buffer.from(payload)); continue; }
        if (this.frags) { this.frags.push(payload); const m = Buffer.concat(this.frags); this.frags = null; this.onmessage(m, at); }
        else this.onmessage(payload, at);
      }
    }
    this.buf = p === b.length ? null : b.subarray(p);
  }

  // One frame, masked as a client must; the key need not be secret here (a test client).
  frame(op, payload) {
    if (this.closed) return;
    const n = payload.length;
    const h = n < 126 ? 6 : n < 65536 ? 8 : 14;
    const f = Buffer.allocUnsafe(h + n);
    f[0] = 0x80 | op;
    if (n < 126) f[1] = 0x80 | n;
    else if (n < 65536) { f[1] = 0x80 | 126; f.writeUInt16BE(n, 2); }
    else { f[1] = 0x80 | 127; f.writeBigUInt64BE(BigInt(n), 2); }
    const k = (Math.random() * 0x100000000) >>> 0;
    f.writeUInt32BE(k, h - 4);
    const m = [k >>> 24, (k >>> 16) & 0xff, (k >>> 8) & 0xff, k & 0xff];
    for (let i = 0; i < n; i++) f[h + i] = payload[i] ^ m[i & 3];
    this.sock.write(f);
  }

  send(buf) { this.frame(0x2, buf); }

  close() {
    if (this.closed) return;
    this.closed = true;
    this.sock.destroy();
    this.onclose?.();
  }
}
