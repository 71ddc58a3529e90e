// Second half of the differential test: loads what our C++ engine encoded (written by
// differential_test.cpp to MOCKLOOP_DIFF_OUT) into Yjs and checks Yjs reads the same content.
//   - our full state, into a fresh Yjs doc: same JSON per root, same state vector, nothing pending;
//   - our diff against a recorded prefix state vector, applied by Yjs to a doc holding that
//     prefix of the session's updates: same content as the whole session;
//   - our merge of all the session's updates (merge_updates_v1): same content.
//
// Usage: node check_in_yjs.mjs MANIFEST.json OURS.json    (exit status 1 on any mismatch)
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { Y, fromHex, decodeStateVector } from './deps.mjs'

const [fixturePath, oursPath] = process.argv.slice(2)
if (!fixturePath || !oursPath) {
  console.error('usage: node check_in_yjs.mjs FIXTURE.json OURS.json')
  process.exit(2)
}
const manifest = JSON.parse(readFileSync(fixturePath, 'utf8'))
const ours = JSON.parse(readFileSync(oursPath, 'utf8'))
const bySeed = new Map()
for (const b of manifest.batches) {
  for (const s of JSON.parse(readFileSync(join(dirname(fixturePath), b), 'utf8')).sessions) bySeed.set(s.seed, s)
}

function sortKeys (v) {
  if (Array.isArray(v)) return v.map(sortKeys)
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map(k => [k, sortKeys(v[k])]))
  return v
}
const snapshot = (doc) => JSON.stringify(sortKeys({
  text: doc.getText('text').toJSON(),
  text_delta: doc.getText('text').toDelta(),
  map: doc.getMap('map').toJSON(),
  array: doc.getArray('array').toJSON(),
  xml: doc.getXmlFragment('xml').toJSON()
}))
const pending = (doc) => doc.store.pendingStructs !== null ||
  (doc.store.pendingDs !== null && Y.decodeUpdate(doc.store.pendingDs).ds.clients.size > 0)

let checks = 0
const failures = []
const fail = (seed, what) => failures.push(`seed ${seed}: ${what}`)

for (const rec of ours.sessions) {
  const s = bySeed.get(rec.seed)
  if (!s) { fail(rec.seed, 'not in fixture'); continue }
  const want = JSON.stringify(sortKeys(s.expected))
  const wantSv = JSON.stringify(sortKeys(s.orders[0].state_vector))

  checks++
  try {
    const d = new Y.Doc()
    Y.applyUpdate(d, fromHex(rec.full_v1))
    if (snapshot(d) !== want) fail(rec.seed, 'our full state loads in Yjs to different content')
    else if (JSON.stringify(sortKeys(decodeStateVector(Y.encodeStateVector(d)))) !== wantSv) fail(rec.seed, 'our full state loads in Yjs to a different state vector')
    else if (pending(d)) fail(rec.seed, 'our full state leaves Yjs with pending structs')
  } catch (e) {
    fail(rec.seed, `Yjs throws on our full state: ${e.message}`)
  }

  for (const diff of rec.diffs) {
    checks++
    try {
      const d = new Y.Doc()
      for (let i = 0; i < diff.prefix; i++) Y.applyUpdate(d, fromHex(s.updates[i].v1))
      Y.applyUpdate(d, fromHex(diff.v1))
      if (snapshot(d) !== want) fail(rec.seed, `prefix ${diff.prefix} + our diff loads in Yjs to different content`)
      else if (pending(d)) fail(rec.seed, `prefix ${diff.prefix} + our diff leaves Yjs with pending structs`)
    } catch (e) {
      fail(rec.seed, `Yjs throws on our diff (prefix ${diff.prefix}): ${e.message}`)
    }
  }

  if (rec.merged_v1) {
    checks++
    try {
      const d = new Y.Doc()
      Y.applyUpdate(d, fromHex(rec.merged_v1))
      if (snapshot(d) !== want) fail(rec.seed, 'our merge of all updates loads in Yjs to different content')
    } catch (e) {
      fail(rec.seed, `Yjs throws on our merged update: ${e.message}`)
    }
  }
}

console.log(`check_in_yjs: ${checks - failures.length}/${checks} of our encodings load in Yjs to the expected content`)
if (failures.length) {
  for (const f of failures.slice(0, 30)) console.log('  ' + f)
  process.exit(1)
}
