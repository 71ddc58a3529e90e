// Regenerates the committed seed corpora: fuzz/corpus/crdt/ from the Yjs golden vectors
// (tests/crdt/golden/*.json) plus nested and wide documents made by Yjs (issue 14), and
// fuzz/corpus/awareness/. One file per (case, mode); the first byte is the mode byte the
// target dispatches on. crdt_fuzz.cpp: 0 apply v1 (gc), 1 apply v1 (no gc), 2 apply v2 and
// convert, 3 merge/diff on raw bytes (byte 1 = split point), 4 atomic apply, 5 apply without
// limits + render + delete all, 6 JSON / lib0 any decoders. awareness_fuzz.cpp: 0 an
// awareness payload, 1 one JSON text.
// Usage: node fuzz/make_corpus.mjs
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'

const require = createRequire(new URL('../tests/js/package.json', import.meta.url))
const Y = require('yjs')
const encoding = require('lib0/encoding')

const golden = new URL('../tests/crdt/golden/', import.meta.url)
const out = new URL('./corpus/crdt/', import.meta.url)
mkdirSync(out, { recursive: true })
// Keeps regression-* files: fuzz findings added by hand, not generated here.
for (const f of readdirSync(out)) if (!f.startsWith('regression-')) rmSync(new URL(f, out))
const hex = (h) => Buffer.from(h, 'hex')
const put = (name, mode, bytes) => writeFileSync(new URL(name, out), Buffer.concat([Buffer.from([mode]), bytes]))

for (const file of ['structs', 'contents', 'types', 'docs']) {
  for (const v of JSON.parse(readFileSync(new URL(`${file}.json`, golden))).vectors) {
    put(`${v.name}-v1`, 0, hex(v.update_v1))
    put(`${v.name}-v1-nogc`, 1, hex(v.update_v1))
    put(`${v.name}-v2`, 2, hex(v.update_v2))
    put(`${v.name}-atomic`, 4, hex(v.update_v1))
  }
}
const ops = JSON.parse(readFileSync(new URL('ops.json', golden)))
for (const m of ops.merges) {
  const a = hex(m.inputs[0])
  const b = hex(m.inputs[1] ?? m.inputs[0])
  if (a.length + 1 < 256) put(`merge-${m.name}`, 3, Buffer.concat([Buffer.from([a.length + 1]), a, b]))
}
ops.diffs.forEach((d, i) => {
  const a = hex(d.update)
  if (a.length + 1 < 256) put(`diff-${i}`, 3, Buffer.concat([Buffer.from([a.length + 1]), a, hex(d.state_vector)]))
})
// Nested and wide shapes (issue 14), kept small enough for -max_len=65536.
const chain = (depth) => {
  const d = new Y.Doc()
  d.clientID = 1
  d.transact(() => {
    let cur = d.getMap('m')
    for (let i = 0; i < depth; i++) { const n = new Y.Map(); cur.set('k', n); cur = n }
    cur.set('x', 1)
  })
  return d
}
const deep = chain(300)
const deepUpdate = Buffer.from(Y.encodeStateAsUpdate(deep))
put('nested-300-v1', 0, deepUpdate)
put('nested-300-unbounded', 5, deepUpdate)
put('nested-300-atomic', 4, deepUpdate)
const wideObject = (n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [i % 7 ? `k${i}` : String(i), i]))
{
  const d = new Y.Doc()
  d.clientID = 2
  const m = d.getMap('m')
  d.transact(() => { for (let i = 0; i < 2000; i++) m.set(`k${i}`, i) })
  put('wide-map-2000-v1', 0, Buffer.from(Y.encodeStateAsUpdate(d)))
  put('wide-map-2000-unbounded', 5, Buffer.from(Y.encodeStateAsUpdate(d)))
}
{
  const d = new Y.Doc()
  d.clientID = 3
  d.getMap('m').set('wide', wideObject(2000))
  put('wide-any-2000-v1', 0, Buffer.from(Y.encodeStateAsUpdate(d)))
}
let nestedArray = [1]
for (let i = 0; i < 200; i++) nestedArray = [nestedArray]
const anyBytes = (v) => { const e = encoding.createEncoder(); encoding.writeAny(e, v); return Buffer.from(encoding.toUint8Array(e)) }
put('any-nested-200', 6, anyBytes(nestedArray))
put('any-wide-2000', 6, anyBytes(wideObject(2000)))
put('json-nested-200', 6, Buffer.from(JSON.stringify(nestedArray)))
put('json-wide-2000', 6, Buffer.from(JSON.stringify(wideObject(2000))))
console.log(`corpus: ${readdirSync(out).length} files -> ${out.pathname}`)

// Awareness payloads: count, then (client id, clock, JSON state) per entry.
const aw = new URL('./corpus/awareness/', import.meta.url)
mkdirSync(aw, { recursive: true })
for (const f of readdirSync(aw)) rmSync(new URL(f, aw))
const awareness = (entries) => {
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, entries.length)
  for (const [id, clock, state] of entries) {
    encoding.writeVarUint(e, id)
    encoding.writeVarUint(e, clock)
    encoding.writeVarString(e, JSON.stringify(state))
  }
  return Buffer.from(encoding.toUint8Array(e))
}
const putAw = (name, mode, bytes) => writeFileSync(new URL(name, aw), Buffer.concat([Buffer.from([mode]), bytes]))
putAw('cursor', 0, awareness([[1, 1, { user: { name: 'Ann', color: '#f00' }, cursor: { anchor: 3, head: 5 } }]]))
putAw('removal', 0, awareness([[1, 2, null], [2, 7, { a: 'é\u0000"\\' }]]))
putAw('nested-200', 0, awareness([[3, 1, { deep: nestedArray }]]))
putAw('wide-2000', 0, awareness([[4, 1, wideObject(2000)]]))
putAw('json-escapes', 1, Buffer.from('{"a":"\\ud83d\\ude00\\n","b":[1e308,-0,0.1],"2":true,"1":null,"a":false}'))
putAw('json-wide-2000', 1, Buffer.from(JSON.stringify(wideObject(2000))))
console.log(`corpus: ${readdirSync(aw).length} files -> ${aw.pathname}`)
