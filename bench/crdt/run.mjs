// Editing-trace benchmark for the reference implementations: Yjs (JS) and ywasm (y-crdt's
// WASM build), same steps as bench/crdt_bench.cpp so bench/crdt/run.sh can print ratios.
// Per trace: (1) apply the trace as local edits, one transaction per trace txn, keeping each
// transaction's v1 update; (2) replay those updates one by one into a fresh doc; (3) encode
// the final state (v1); (4) load it into a fresh doc; (5) read the text and check it against
// endContent. Client id 1 everywhere, so encodings can be compared byte for byte.
//
// Usage: node --expose-gc run.mjs [--runs N] [--impl yjs|ywasm|both] [--out-dir DIR]
//                                 [--json FILE] TRACE.json.gz...
//   Prints one line per (impl, trace) with medians; --json writes them machine-readable;
//   --out-dir keeps each final encoded state as <impl>-<trace>.bin.
// Internal: --mem IMPL FILE  loads FILE into a fresh doc in this (fresh) process and prints
//   the heap growth (heapUsed + external + arrayBuffers, after GC) as JSON.
import { createRequire } from 'node:module'
import { readFileSync, writeFileSync, mkdtempSync, mkdirSync } from 'node:fs'
import { gunzipSync } from 'node:zlib'
import { execFileSync } from 'node:child_process'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { createHash } from 'node:crypto'
import { fileURLToPath } from 'node:url'

const require = createRequire(new URL('../../tests/js/package.json', import.meta.url))
const Y = require('yjs')
const ywasm = require('ywasm')

const CLIENT_ID = 1
const gc = () => { if (global.gc) { global.gc(); global.gc() } }
const now = () => Number(process.hrtime.bigint()) / 1e6 // ms
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
const memNow = () => { const m = process.memoryUsage(); return m.heapUsed + m.external + m.arrayBuffers }

const impls = {
  yjs: {
    local (trace) {
      const doc = new Y.Doc()
      doc.clientID = CLIENT_ID
      const text = doc.getText('text')
      const updates = []
      doc.on('update', u => updates.push(u))
      if (trace.startContent) doc.transact(() => text.insert(0, trace.startContent))
      for (const txn of trace.txns) {
        doc.transact(() => {
          for (const [pos, del, ins] of txn.patches) {
            if (del > 0) text.delete(pos, del)
            if (ins) text.insert(pos, ins)
          }
        })
      }
      return { doc, updates }
    },
    replay (updates) {
      const doc = new Y.Doc()
      for (const u of updates) Y.applyUpdate(doc, u)
      return doc
    },
    encode: (doc) => Y.encodeStateAsUpdate(doc),
    load (bytes) {
      const doc = new Y.Doc()
      Y.applyUpdate(doc, bytes)
      return doc
    },
    read: (doc) => doc.getText('text').toString(),
    free () {}
  },
  ywasm: {
    local (trace) {
      const doc = new ywasm.YDoc({ clientID: CLIENT_ID, gc: true })
      const text = doc.getText('text')
      const updates = []
      const sub = doc.onUpdate(u => updates.push(u))
      const edit = (fn) => { const tx = doc.beginTransaction(); try { fn(tx) } finally { tx.commit(); tx.free() } }
      if (trace.startContent) edit(tx => text.insert(0, trace.startContent, undefined, tx))
      for (const txn of trace.txns) {
        edit(tx => {
          for (const [pos, del, ins] of txn.patches) {
            if (del > 0) text.delete(pos, del, tx)
            if (ins) text.insert(pos, ins, undefined, tx)
          }
        })
      }
      sub.free()
      return { doc, updates }
    },
    replay (updates) {
      const doc = new ywasm.YDoc({ clientID: 2, gc: true })
      for (const u of updates) ywasm.applyUpdate(doc, u, null)
      return doc
    },
    encode: (doc) => ywasm.encodeStateAsUpdate(doc),
    load (bytes) {
      const doc = new ywasm.YDoc({ clientID: 3, gc: true })
      ywasm.applyUpdate(doc, bytes, null)
      return doc
    },
    read: (doc) => doc.getText('text').toString(),
    free: (doc) => doc.free()
  }
}

function loadTrace (path) {
  return JSON.parse(gunzipSync(readFileSync(path)).toString('utf8'))
}

function runOnce (impl, trace) {
  const I = impls[impl]
  gc()
  let t = now()
  const { doc, updates } = I.local(trace)
  const localMs = now() - t
  gc()
  t = now()
  const replayed = I.replay(updates)
  const replayMs = now() - t
  const replayOk = I.read(replayed) === trace.endContent
  I.free(replayed)
  t = now()
  const encoded = I.encode(doc)
  const encodeMs = now() - t
  I.free(doc)
  gc()
  t = now()
  const loaded = I.load(encoded)
  const loadMs = now() - t
  t = now()
  const text = I.read(loaded)
  const readMs = now() - t
  I.free(loaded)
  return {
    localMs, replayMs, encodeMs, loadMs, readMs,
    updates: updates.length,
    size: encoded.length,
    sha256: createHash('sha256').update(encoded).digest('hex'),
    ok: text === trace.endContent && replayOk,
    encoded
  }
}

function memChild (impl, file) {
  const bytes = new Uint8Array(readFileSync(file))
  gc()
  const before = memNow()
  const doc = impls[impl].load(bytes)
  impls[impl].read(doc) // materialise the text as a server would once
  gc()
  const after = memNow()
  console.log(JSON.stringify({ loadedBytes: after - before, rss: process.memoryUsage().rss }))
  if (doc.length === -1) console.log(doc) // keep doc alive past the measurement
}

// --table FILE...: merges the JSON results of crdt_bench and run.mjs into one table per
// trace, with our speed-up over Yjs and ywasm (x > 1: we are faster / smaller).
function table (files) {
  const rows = files.flatMap(f => { try { return JSON.parse(readFileSync(f, 'utf8')) } catch { return [] } })
  const sha = (file) => { try { return createHash('sha256').update(readFileSync(file)).digest('hex') } catch { return null } }
  const traces = [...new Set(rows.map(r => r.trace))]
  const metrics = [['local_ms', 'local edits (ms)'], ['replay_ms', 'replay updates (ms)'], ['encode_ms', 'encode state (ms)'],
    ['load_ms', 'load state (ms)'], ['read_ms', 'read text (ms)'], ['size', 'encoded size (B)'], ['loaded_mem_bytes', 'loaded doc mem (B)']]
  const fmt = (v) => v === undefined || v === null ? '-' : (Number.isInteger(v) ? String(v) : v.toFixed(v < 10 ? 2 : 1))
  const ratio = (a, b) => (a === undefined || b === undefined || !(b > 0)) ? '-' : (a / b).toFixed(2) + 'x'
  for (const t of traces) {
    const by = Object.fromEntries(rows.filter(r => r.trace === t).map(r => [r.impl, r]))
    const runs = Object.values(by).map(r => r.runs)[0]
    console.log(`\n== ${t} (median of ${runs} runs, ${by.yjs?.updates ?? by.cpp?.updates} per-edit updates)`)
    console.log('metric'.padEnd(22) + 'cpp'.padStart(12) + 'yjs'.padStart(12) + 'ywasm'.padStart(12) + 'yjs/cpp'.padStart(10) + 'ywasm/cpp'.padStart(11))
    for (const [k, label] of metrics) {
      const c = by.cpp?.[k]; const y = by.yjs?.[k]; const w = by.ywasm?.[k]
      console.log(label.padEnd(22) + fmt(c).padStart(12) + fmt(y).padStart(12) + fmt(w).padStart(12) + ratio(y, c).padStart(10) + ratio(w, c).padStart(11))
    }
    const hc = by.cpp && sha(by.cpp.file); const hy = by.yjs && sha(by.yjs.file); const hw = by.ywasm && sha(by.ywasm.file)
    console.log(`text check: cpp ${by.cpp ? (by.cpp.ok ? 'ok' : 'MISMATCH') : '-'}, yjs ${by.yjs ? (by.yjs.ok ? 'ok' : 'MISMATCH') : '-'}, ywasm ${by.ywasm ? (by.ywasm.ok ? 'ok' : 'MISMATCH') : '-'}`)
    console.log(`final state bytes: cpp==yjs ${hc && hy ? hc === hy : '-'}, ywasm==yjs ${hw && hy ? hw === hy : '-'}`)
  }
}

function main () {
  const argv = process.argv.slice(2)
  if (argv[0] === '--mem') return memChild(argv[1], argv[2])
  if (argv[0] === '--table') return table(argv.slice(1))
  let runs = 3
  let which = ['yjs', 'ywasm']
  let outDir = null
  let jsonOut = null
  const traces = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--runs') runs = Number(argv[++i])
    else if (argv[i] === '--impl') which = argv[++i] === 'both' ? ['yjs', 'ywasm'] : [argv[i]]
    else if (argv[i] === '--out-dir') outDir = argv[++i]
    else if (argv[i] === '--json') jsonOut = argv[++i]
    else traces.push(argv[i])
  }
  if (!global.gc) console.error('warning: run with --expose-gc for steadier numbers')
  outDir = outDir || mkdtempSync(join(tmpdir(), 'crdt-bench-'))
  mkdirSync(outDir, { recursive: true })
  const results = []
  for (const path of traces) {
    const trace = loadTrace(path)
    const name = basename(path).replace(/\.json\.gz$/, '')
    for (const impl of which) {
      const rs = []
      for (let r = 0; r < runs; r++) rs.push(runOnce(impl, trace))
      const bin = join(outDir, `${impl}-${name}.bin`)
      writeFileSync(bin, rs[0].encoded)
      const mem = JSON.parse(execFileSync(process.execPath,
        ['--expose-gc', fileURLToPath(import.meta.url), '--mem', impl, bin]).toString())
      const res = {
        impl, trace: name, runs,
        local_ms: median(rs.map(x => x.localMs)),
        replay_ms: median(rs.map(x => x.replayMs)),
        encode_ms: median(rs.map(x => x.encodeMs)),
        load_ms: median(rs.map(x => x.loadMs)),
        read_ms: median(rs.map(x => x.readMs)),
        updates: rs[0].updates,
        size: rs[0].size,
        sha256: rs[0].sha256,
        loaded_mem_bytes: mem.loadedBytes,
        ok: rs.every(x => x.ok),
        file: bin
      }
      results.push(res)
      console.log(`${impl.padEnd(6)} ${name.padEnd(20)} local ${res.local_ms.toFixed(1)} ms  replay ${res.replay_ms.toFixed(1)} ms  ` +
        `encode ${res.encode_ms.toFixed(1)} ms  load ${res.load_ms.toFixed(1)} ms  read ${res.read_ms.toFixed(2)} ms  ` +
        `size ${res.size}  mem ${(res.loaded_mem_bytes / 1048576).toFixed(1)} MiB  ${res.ok ? 'ok' : 'TEXT MISMATCH'}  sha256 ${res.sha256.slice(0, 16)}`)
    }
  }
  if (jsonOut) writeFileSync(jsonOut, JSON.stringify(results, null, 1))
}

main()
