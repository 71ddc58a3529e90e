// Differential-test fixture generator: seeded random editing sessions run in real Yjs (the
// reference), recorded as the v1 update of every local transaction in production order plus
// what Yjs says the converged document looks like. The C++ engine replays them
// (tests/crdt/differential_test.cpp) and must reach the same state.
//
// Usage: node gen_sessions.mjs --seeds N --start S --out FILE
//   MOCKLOOP_DIFF_SEEDS overrides --seeds (long mode, e.g. 5000).
//   FILE is a manifest {"yjs": version, "batches": [names]}; the sessions are in batch files
//   of up to 250 seeds next to it (FILE.0.json, FILE.1.json, ...), so long runs stay small
//   in memory on the reading side.
//
// Each session: 2-5 clients with fixed client ids, roots Text "text", Map "map", Array
// "array", XmlFragment "xml" (elements, attributes, formatted XmlText) (and nested Y.Map/Y.Array/Y.Text inside map/array); random inserts (ASCII,
// CJK, emoji = surrogate pairs), range deletes, formatting, embeds, map sets of every JSON
// kind, concurrent inserts at one position, clients going offline and coming back, sync by
// exchanging state diffs. Output per session: updates [{client, v1}], expected JSON per
// root, text delta, state vector, full state (v1 and v2, and Yjs's v2->v1 conversion), and
// state vectors of prefixes with Yjs's diff against them, Y.mergeUpdates of all updates and
// Y.diffUpdate of that merge against the prefix state vectors.
import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname, basename } from 'node:path'
import { Y, toHex, prng, decodeStateVector, require } from './deps.mjs'

const CLIENT_IDS = [7, 1234, 99999, 2147483647, 4294967295]
const WORDS = ['a', 'b', 'hello', ' ', 'x', 'lorem ipsum', '\n', '中文', '日本語テキスト',
  '😀', '👩‍💻', 'é', 'naïve', '🎉🎉', '\t', 'Ω≈ç', '𝄞', 'z']
const KEYS = ['k0', 'k1', 'k2', 'k3', 'title', 'meta', 'n', 'ö', '键']

function parseArgs (argv) {
  const args = { seeds: 300, start: 1, out: null }
  for (let i = 2; i < argv.length; i++) {
    if (argv[i] === '--seeds') args.seeds = Number(argv[++i])
    else if (argv[i] === '--start') args.start = Number(argv[++i])
    else if (argv[i] === '--out') args.out = argv[++i]
    else throw new Error(`unknown argument ${argv[i]}`)
  }
  if (process.env.MOCKLOOP_DIFF_SEEDS) args.seeds = Number(process.env.MOCKLOOP_DIFF_SEEDS)
  if (!args.out) throw new Error('--out FILE is required')
  return args
}

function randomString (r) {
  let s = ''
  const n = r.int(1, 3)
  for (let i = 0; i < n; i++) s += r.pick(WORDS)
  return s
}

// A random `any` value: every JSON kind Yjs encodes (ints small and large, floats,
// strings, bool, null, nested objects and arrays). No undefined, no bigint, no binary
// (their JSON has no canonical form; the golden vectors cover them).
function randomAny (r, depth = 0) {
  const k = r.int(0, depth > 1 ? 6 : 8)
  switch (k) {
    case 0: return null
    case 1: return r.bool()
    case 2: return r.int(-1000, 1000)
    case 3: return r.pick([0, -1, 2147483647, -2147483648, 4294967296, 9007199254740991, -9007199254740991])
    case 4: return r.pick([0.5, -2.25, 3.14159, 1e-7, 1.5e300, 0.1, -0.0001, 123456.789])
    case 5: return randomString(r)
    case 6: return r.pick(['', 'quote"s', 'back\\slash', 'ctl\u0001', '😀'])
    case 7: {
      const o = {}
      const n = r.int(0, 3)
      for (let i = 0; i < n; i++) o[r.pick(KEYS)] = randomAny(r, depth + 1)
      return o
    }
    default: {
      const a = []
      const n = r.int(0, 3)
      for (let i = 0; i < n; i++) a.push(randomAny(r, depth + 1))
      return a
    }
  }
}

// Moves a UTF-16 index off the middle of a surrogate pair (editors never split one).
function snap (str, i) {
  if (i > 0 && i < str.length) {
    const c = str.charCodeAt(i)
    if (c >= 0xDC00 && c <= 0xDFFF) return i - 1
  }
  return i
}

const ATTRS = [{ bold: true }, { italic: true }, { link: 'https://example.com/a?b=1' },
  { bold: null }, { italic: null }, { bold: true, italic: true }, { color: '#ff0000' }, { link: null }]

// The text as Yjs indexes it: an embed counts as one UTF-16 unit (toString() skips it).
function indexedString (t) {
  return t.toDelta().map(op => typeof op.insert === 'string' ? op.insert : '\u0000').join('')
}

function textOp (r, t) {
  const str = indexedString(t)
  const len = str.length
  const op = r.int(0, 9)
  if (op <= 4 || len === 0) {
    const i = snap(str, r.int(0, len))
    if (r.bool(0.2)) t.insert(i, randomString(r), r.pick(ATTRS.filter(a => !Object.values(a).includes(null))))
    else t.insert(i, randomString(r))
  } else if (op <= 7) {
    const i = snap(str, r.int(0, len - 1))
    const j = snap(str, Math.min(len, i + r.int(1, 8)))
    if (j > i) t.delete(i, j - i)
  } else if (op === 8) {
    const i = snap(str, r.int(0, len - 1))
    const j = snap(str, Math.min(len, i + r.int(1, 10)))
    if (j > i) t.format(i, j - i, r.pick(ATTRS))
  } else {
    const i = snap(str, r.int(0, len))
    t.insertEmbed(i, { image: `img${r.int(0, 9)}.png` }, r.bool(0.3) ? { width: r.int(1, 500) } : {})
  }
}

function mapOp (r, m) {
  const op = r.int(0, 9)
  const key = r.pick(KEYS)
  if (op <= 5) m.set(key, randomAny(r))
  else if (op === 6) m.set(key, new Y.Map())
  else if (op === 7) m.set(key, r.bool() ? new Y.Array() : new Y.Text())
  else if (m.has(key)) m.delete(key)
  else m.set(key, randomAny(r))
}

function arrayOp (r, a) {
  const len = a.length
  const op = r.int(0, 9)
  if (op <= 4 || len === 0) {
    const vals = []
    const n = r.int(1, 5)
    for (let i = 0; i < n; i++) vals.push(randomAny(r))
    a.insert(r.int(0, len), vals)
  } else if (op === 5) {
    a.insert(r.int(0, len), [r.pick([() => new Y.Map(), () => new Y.Array(), () => new Y.Text()])()])
  } else {
    const i = r.int(0, len - 1)
    a.delete(i, Math.min(len - i, r.int(1, 4)))
  }
}

// Every shared type reachable from the three roots, with its kind.
function sharedTypes (doc) {
  const out = []
  const walk = (t) => {
    if (t instanceof Y.Text) out.push(['text', t])
    else if (t instanceof Y.Map) {
      out.push(['map', t])
      for (const v of t.values()) if (v instanceof Y.AbstractType) walk(v)
    } else if (t instanceof Y.Array) {
      out.push(['array', t])
      for (const v of t.toArray()) if (v instanceof Y.AbstractType) walk(v)
    }
  }
  walk(doc.getText('text')); walk(doc.getMap('map')); walk(doc.getArray('array'))
  return out
}

const TAGS = ['p', 'div', 'h1', 'li']

// XML fragment "xml": elements with attributes, nested elements, XmlText with formatting.
function xmlOp (r, frag) {
  const elements = []
  const texts = []
  const walk = (n) => {
    for (const c of n.toArray()) {
      if (c instanceof Y.XmlElement) { elements.push(c); walk(c) } else if (c instanceof Y.XmlText) texts.push(c)
    }
  }
  walk(frag)
  const op = r.int(0, 9)
  if (op <= 2 || (elements.length === 0 && texts.length === 0)) {
    const parent = elements.length && r.bool(0.5) ? r.pick(elements) : frag
    const el = new Y.XmlElement(r.pick(TAGS))
    parent.insert(r.int(0, parent.length), [el])
    if (r.bool(0.7)) el.insert(0, [new Y.XmlText(randomString(r))])
  } else if (op === 3 && elements.length) {
    const el = r.pick(elements)
    if (r.bool(0.8)) el.setAttribute(r.pick(['class', 'id', 'data-x']), randomString(r))
    else el.removeAttribute(r.pick(['class', 'id', 'data-x']))
  } else if (op <= 6 && texts.length) {
    textOp(r, r.pick(texts))
  } else if (op === 7) {
    const parent = elements.length && r.bool(0.5) ? r.pick(elements) : frag
    parent.insert(r.int(0, parent.length), [new Y.XmlText(randomString(r))])
  } else {
    const parent = elements.length && r.bool(0.5) ? r.pick(elements) : frag
    if (parent.length > 0) {
      const i = r.int(0, parent.length - 1)
      parent.delete(i, Math.min(parent.length - i, r.int(1, 2)))
    }
  }
}

function randomEdit (r, doc) {
  const roots = [['text', doc.getText('text')], ['map', doc.getMap('map')], ['array', doc.getArray('array')],
    ['xml', doc.getXmlFragment('xml')]]
  const [kind, t] = r.bool(0.7) ? r.pick(roots) : r.pick(sharedTypes(doc))
  doc.transact(() => {
    const n = r.bool(0.15) ? r.int(2, 4) : 1 // sometimes several edits in one transaction
    for (let i = 0; i < n; i++) {
      if (kind === 'text') textOp(r, t)
      else if (kind === 'xml') xmlOp(r, t)
      else if (kind === 'map') mapOp(r, t)
      else arrayOp(r, t)
    }
  }, 'local')
}

function sync (a, b) {
  const ua = Y.encodeStateAsUpdate(a, Y.encodeStateVector(b))
  const ub = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))
  Y.applyUpdate(b, ua, 'remote')
  Y.applyUpdate(a, ub, 'remote')
}

function snapshotOf (doc) {
  return {
    text: doc.getText('text').toJSON(),
    text_delta: doc.getText('text').toDelta(),
    map: doc.getMap('map').toJSON(),
    array: doc.getArray('array').toJSON(),
    xml: doc.getXmlFragment('xml').toJSON()
  }
}

function runSession (seed) {
  const r = prng(seed * 7919 + 17)
  const nClients = r.int(2, 5)
  const updates = []
  const clients = []
  for (let c = 0; c < nClients; c++) {
    const doc = new Y.Doc({ gc: true })
    doc.clientID = CLIENT_IDS[c]
    // Local edits are recorded, and so are Yjs's formatting cleanups: after a doc receives
    // remote formatting it deletes redundant Format items in a transaction of its own
    // (origin null), which is new information only that update carries. Sync traffic
    // (origin 'remote') only repeats what is already recorded.
    doc.on('update', (u, origin) => {
      if (origin !== 'remote') updates.push({ client: CLIENT_IDS[c], origin: origin === 'local' ? 'local' : 'cleanup', v1: toHex(u) })
    })
    clients.push({ doc, online: true })
  }
  const steps = r.int(15, 80)
  for (let s = 0; s < steps; s++) {
    const roll = r.next()
    if (roll < 0.08) {
      // Concurrent inserts at one position: every online client inserts at the same index
      // of the same root before anyone syncs.
      const online = clients.filter(c => c.online)
      const root = r.pick(['text', 'array'])
      const frac = r.next()
      for (const c of online) {
        c.doc.transact(() => {
          if (root === 'text') {
            const t = c.doc.getText('text')
            t.insert(snap(indexedString(t), Math.floor(frac * t.length)), randomString(r))
          } else {
            const a = c.doc.getArray('array')
            a.insert(Math.floor(frac * a.length), [randomAny(r)])
          }
        }, 'local')
      }
    } else if (roll < 0.13) {
      // A client goes offline (keeps editing, buffers its updates) or comes back.
      const c = r.pick(clients)
      c.online = !c.online
      if (c.online) for (const o of clients) if (o !== c && o.online) sync(c.doc, o.doc)
    } else {
      randomEdit(r, r.pick(clients).doc)
    }
    if (r.bool(0.35)) {
      const online = clients.filter(c => c.online)
      if (online.length >= 2) {
        const a = r.pick(online)
        const b = r.pick(online.filter(c => c !== a))
        sync(a.doc, b.doc)
      }
    }
  }
  for (const c of clients) c.online = true
  for (let i = 0; i < clients.length; i++) {
    for (let j = i + 1; j < clients.length; j++) sync(clients[i].doc, clients[j].doc)
  }
  for (let i = 1; i < clients.length; i++) sync(clients[0].doc, clients[i].doc)

  // The reference: fresh docs that apply every recorded update in a given order (as
  // produced, reversed, three shuffles); what Yjs reaches for each order is what the C++
  // engine must reach for the same order.
  const orders = [
    { name: 'produced', perm: updates.map((_, i) => i) },
    { name: 'reversed', perm: updates.map((_, i) => updates.length - 1 - i) }
  ]
  for (let k = 0; k < 3; k++) {
    const perm = updates.map((_, i) => i)
    for (let i = perm.length - 1; i > 0; i--) {
      const j = r.int(0, i);
      [perm[i], perm[j]] = [perm[j], perm[i]]
    }
    orders.push({ name: `shuffle${k + 1}`, perm })
  }
  let ref = null
  const prefixSvs = []
  const cuts = new Set([0, Math.floor(updates.length / 3), Math.floor(2 * updates.length / 3)])
  for (const order of orders) {
    const d = new Y.Doc()
    order.perm.forEach((idx, i) => {
      if (order.name === 'produced' && cuts.has(i)) prefixSvs.push({ prefix: i, sv: toHex(Y.encodeStateVector(d)) })
      Y.applyUpdate(d, Buffer.from(updates[idx].v1, 'hex'))
    })
    order.expected = snapshotOf(d)
    order.state_vector = decodeStateVector(Y.encodeStateVector(d))
    order.pending = hasPending(d)
    if (order.name === 'produced') ref = d
  }
  if (orders[0].name === 'produced') delete orders[0].perm // identity; saves space
  const expected = orders[0].expected
  const want = JSON.stringify(sortKeys(expected))
  const converged = clients.every(c => JSON.stringify(sortKeys(snapshotOf(c.doc))) === want)
  const full = Y.encodeStateAsUpdate(ref)
  const merged = Y.mergeUpdates(updates.map(u => Buffer.from(u.v1, 'hex')))
  const fullV2 = Y.encodeStateAsUpdateV2(ref)
  return {
    seed,
    clients: CLIENT_IDS.slice(0, nClients),
    updates,
    orders,
    yjs_clients_converged: converged,
    expected,
    state_vector: toHex(Y.encodeStateVector(ref)),
    full_v1: toHex(full),
    full_v2: toHex(fullV2),
    full_v2_to_v1: toHex(Y.convertUpdateFormatV2ToV1(fullV2)),
    merged_v1: toHex(merged),
    diffs: prefixSvs.map(p => ({
      ...p,
      yjs_v1: toHex(Y.encodeStateAsUpdate(ref, Buffer.from(p.sv, 'hex'))),
      merged_diff_v1: toHex(Y.diffUpdate(merged, Buffer.from(p.sv, 'hex')))
    }))
  }
}

// Whether Yjs holds structs or deletes it cannot apply yet. (Yjs may keep an empty pending
// delete set around after the structs it waited for arrived; that is nothing pending.)
function hasPending (doc) {
  if (doc.store.pendingStructs !== null) return true
  return doc.store.pendingDs !== null && Y.decodeUpdate(doc.store.pendingDs).ds.clients.size > 0
}

function sortKeys (v) {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map(k => [k, sortKeys(v[k])]))
  return v
}

const BATCH = 250
const args = parseArgs(process.argv)
mkdirSync(dirname(args.out), { recursive: true })
const version = require('yjs/package.json').version
const batches = []
let nSessions = 0
let nUpdates = 0
const orderDiverged = []
for (let b = args.start; b < args.start + args.seeds; b += BATCH) {
  const sessions = []
  for (let s = b; s < Math.min(b + BATCH, args.start + args.seeds); s++) sessions.push(runSession(s))
  const name = `${basename(args.out)}.${batches.length}.json`
  writeFileSync(`${dirname(args.out)}/${name}`, JSON.stringify({ yjs: version, sessions }))
  batches.push(name)
  nSessions += sessions.length
  nUpdates += sessions.reduce((n, s) => n + s.updates.length, 0)
  for (const s of sessions) {
    if (s.orders.some(o => JSON.stringify(sortKeys(o.expected)) !== JSON.stringify(sortKeys(s.expected)))) orderDiverged.push(s.seed)
  }
}
writeFileSync(args.out, JSON.stringify({ yjs: version, seeds: args.seeds, start: args.start, batches }))
if (orderDiverged.length) console.log(`note: Yjs itself reaches different content for different delivery orders in seeds ${orderDiverged.join(',')} (each order is checked against Yjs's result for that order)`)
console.log(`gen_sessions: ${nSessions} sessions (seeds ${args.start}..${args.start + args.seeds - 1}), ${nUpdates} updates -> ${args.out} (${batches.length} batch files)`)
