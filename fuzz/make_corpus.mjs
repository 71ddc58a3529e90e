// Regenerates the committed seed corpus fuzz/corpus/crdt/ from the Yjs golden vectors
// (tests/crdt/golden/*.json). One file per (vector, mode); the first byte is the mode
// byte crdt_fuzz.cpp dispatches on: 0 apply v1 (gc), 1 apply v1 (no gc), 2 apply v2 and
// convert, 3 merge/diff on raw bytes (byte 1 = split point), 4 atomic apply.
// Usage: node fuzz/make_corpus.mjs
import { readFileSync, writeFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs'

const golden = new URL('../tests/crdt/golden/', import.meta.url)
const out = new URL('./corpus/crdt/', import.meta.url)
mkdirSync(out, { recursive: true })
for (const f of readdirSync(out)) rmSync(new URL(f, out))
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
console.log(`corpus: ${readdirSync(out).length} files -> ${out.pathname}`)
