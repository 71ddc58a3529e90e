// Pre-encoded y-protocols frames for the load generator: no Yjs on the hot path.
// A writer appends to Y.Text 't' from its own client id; each update is one Item
// (ContentString) whose origin is the writer's previous character, so updates are valid
// for any Yjs server without the writer ever decoding anything. The string carries a
// marker "~T" + 16-digit send time (us since the epoch) + 6-digit writer id; receivers find
// it by scanning bytes.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '..', '..');
export const requireJs = createRequire(path.join(repoRoot, 'tests', 'js', 'package.json'));

export function nowUs() { return Math.round((performance.timeOrigin + performance.now()) * 1000); }

class Enc {
  constructor(n = 64) { this.b = Buffer.allocUnsafe(n); this.p = 0; }
  u8(v) { this.b[this.p++] = v; }
  varUint(v) { while (v > 0x7f) { this.b[this.p++] = 0x80 | (v % 128); v = Math.floor(v / 128); } this.b[this.p++] = v; }
  varString(s) { const n = Buffer.byteLength(s); this.varUint(n); this.b.write(s, this.p); this.p += n; }
  bytes(buf) { buf.copy(this.b, this.p); this.p += buf.length; }
  out() { return this.b.subarray(0, this.p); }
}

// Yjs update (v1) appending `str` (ASCII) at clock `clock` of `client`.
export function appendUpdate(client, clock, str) {
  const e = new Enc(48 + str.length);
  e.varUint(1); e.varUint(1); e.varUint(client); e.varUint(clock);
  if (clock === 0) { e.u8(4); e.varUint(1); e.varString('t'); } else { e.u8(0x80 | 4); e.varUint(client); e.varUint(clock - 1); }
  e.varString(str);
  e.varUint(0);
  return e.out();
}

// Frame helpers; `prefix` is the Hocuspocus document-name address (null for y-websocket).
function withPrefix(prefix, build, size = 64) {
  const e = new Enc(size);
  if (prefix !== null) e.varString(prefix);
  build(e);
  return Buffer.from(e.out());
}
export const step1 = (prefix, sv = Buffer.from([0])) => withPrefix(prefix, (e) => { e.varUint(0); e.varUint(0); e.varUint(sv.length); e.bytes(sv); });
export const syncUpdate = (prefix, u) => withPrefix(prefix, (e) => { e.varUint(0); e.varUint(2); e.varUint(u.length); e.bytes(u); }, u.length + 64);
export const hocusAuth = (prefix) => withPrefix(prefix, (e) => { e.varUint(2); e.varUint(0); e.varString('bench'); });

// The message type and sync sub-type of a frame (after the optional address prefix), and
// where its payload starts.
export function frameKind(buf, hocus) {
  let p = 0;
  const rd = () => { let v = 0; let m = 1; for (;;) { const b = buf[p++]; v += (b & 0x7f) * m; if (b < 0x80) return v; m *= 128; } };
  if (hocus) { const n = rd(); p += n; }
  const type = rd();
  const sub = (type === 0 || type === 4) && p < buf.length ? rd() : -1;
  return { type, sub, p };
}

const MARK0 = 0x7e; // '~'
const MARK1 = 0x54; // 'T'
export const MARKER_LEN = 2 + 16 + 6;
export function marker(id) { return `~T${String(nowUs()).padStart(16, '0')}${String(id).padStart(6, '0')}`; }

// Calls fn(sendUs, writerId) for every marker in buf.
export function scanMarkers(buf, fn) {
  let i = buf.indexOf(MARK0);
  while (i !== -1 && i + MARKER_LEN <= buf.length) {
    if (buf[i + 1] === MARK1) {
      let ts = 0; let ok = true;
      for (let k = i + 2; k < i + 18; k++) { const d = buf[k] - 48; if (d < 0 || d > 9) { ok = false; break; } ts = ts * 10 + d; }
      if (ok) {
        let id = 0;
        for (let k = i + 18; k < i + 24; k++) { const d = buf[k] - 48; if (d < 0 || d > 9) { ok = false; break; } id = id * 10 + d; }
        if (ok) { fn(ts, id); i = buf.indexOf(MARK0, i + MARKER_LEN); continue; }
      }
    }
    i = buf.indexOf(MARK0, i + 1);
  }
}

// Latency histogram: 20 us buckets up to 5 s.
export class Hist {
  constructor() { this.b = new Uint32Array(250000); this.n = 0; this.max = 0; }
  add(us) { const k = Math.min(this.b.length - 1, Math.max(0, Math.floor(us / 20))); this.b[k]++; this.n++; if (us > this.max) this.max = us; }
  toJSON() { const nz = []; for (let i = 0; i < this.b.length; i++) if (this.b[i]) nz.push([i, this.b[i]]); return { nz, n: this.n, max: this.max }; }
  merge(j) { for (const [i, c] of j.nz) this.b[i] += c; this.n += j.n; this.max = Math.max(this.max, j.max); }
  q(p) { if (!this.n) return NaN; let want = Math.ceil(p * this.n); let acc = 0; for (let i = 0; i < this.b.length; i++) { acc += this.b[i]; if (acc >= want) return (i + 0.5) * 20; } return this.max; }
}
