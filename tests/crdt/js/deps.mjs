// Resolves the pinned Node test dependencies (tests/js/node_modules) from tests/crdt/js/,
// so these scripts run with plain `node` from any working directory. Everything is loaded
// through one CommonJS require so that exactly one copy of Yjs and lib0 is in the process.
import { createRequire } from 'node:module'

export const require = createRequire(new URL('../../js/package.json', import.meta.url))
export const Y = require('yjs')
export const encoding = require('lib0/encoding')
export const decoding = require('lib0/decoding')

export const toHex = (u8) => Buffer.from(u8).toString('hex')
export const fromHex = (s) => new Uint8Array(Buffer.from(s, 'hex'))

// Deterministic PRNG (mulberry32): the same seed gives the same session on every machine.
export function prng (seed) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const r = {
    next,
    int: (lo, hi) => lo + Math.floor(next() * (hi - lo + 1)), // inclusive
    bool: (p = 0.5) => next() < p,
    pick: (arr) => arr[Math.floor(next() * arr.length)]
  }
  return r
}

// Decodes a v1 state vector to {client: clock} (keys as decimal strings).
export function decodeStateVector (sv) {
  return Object.fromEntries([...Y.decodeStateVector(sv)].map(([k, v]) => [String(k), v]))
}
