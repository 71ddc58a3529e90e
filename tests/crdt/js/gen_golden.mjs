// Golden update vectors produced by Yjs (the reference), committed under tests/crdt/golden/.
// Covers every struct kind (Item, GC, Skip), every content kind (Deleted, JSON, Binary,
// String, Embed, Format, Type, Any, Doc) and every type ref (Array, Map, Text, XmlElement,
// XmlFragment, XmlHook, XmlText). Read by tests/crdt/golden_test.cpp.
//
// Usage: node gen_golden.mjs [OUT_DIR]   (default: ../golden next to this script)
//
// Each vector: the update (v1 hex, v2 hex and Yjs's v2->v1 conversion of it), the roots to
// read and what Yjs reads from a fresh doc that applied the update (JSON per root, text
// delta), the state vector, whether structs stay pending, and Yjs's re-encoding of the
// loaded doc (gc on and gc off). JSON values Yjs has no JSON form for are tagged:
// {"$binary": hex} (Uint8Array), {"$bigint": "decimal"}, {"$doc": guid} (subdocument),
// {"$undefined": true}.
import { writeFileSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Y, encoding, toHex, require } from './deps.mjs'

const outDir = process.argv[2] || fileURLToPath(new URL('../golden', import.meta.url))
mkdirSync(outDir, { recursive: true })

function tagged (v) {
  if (v === undefined) return { $undefined: true }
  if (typeof v === 'bigint') return { $bigint: v.toString() }
  if (v instanceof Uint8Array) return { $binary: toHex(v) }
  if (v instanceof Y.Doc) return { $doc: v.guid }
  if (Array.isArray(v)) return v.map(tagged)
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tagged(x)]))
  return v
}

function rootOf (doc, name, kind) {
  switch (kind) {
    case 'Text': return doc.getText(name)
    case 'Map': return doc.getMap(name)
    case 'Array': return doc.getArray(name)
    case 'XmlFragment': return doc.getXmlFragment(name)
    default: throw new Error(kind)
  }
}

function read (doc, roots) {
  const out = {}
  for (const [name, kind] of roots) {
    const t = rootOf(doc, name, kind)
    out[name] = { kind, json: tagged(t.toJSON()) }
    if (kind === 'Text') out[name].delta = tagged(t.toDelta())
  }
  return out
}

// Builds one vector from v1 update bytes: loads them into fresh Yjs docs and records what
// Yjs sees.
function vector (name, covers, roots, v1, extra = {}) {
  const load = (gc) => {
    const d = new Y.Doc({ gc })
    for (const [n, k] of roots) rootOf(d, n, k)
    Y.applyUpdate(d, v1)
    return d
  }
  const d = load(true)
  const dn = load(false)
  const v2 = Y.convertUpdateFormatV1ToV2(v1)
  const kinds = new Set()
  for (const st of Y.decodeUpdate(v1).structs) {
    kinds.add(st.constructor.name)
    if (st.content) kinds.add(st.content.constructor.name)
    if (st.content && st.content.type) kinds.add('ref:' + st.content.type.constructor.name)
  }
  return {
    name,
    covers,
    decoded_kinds: [...kinds],
    update_v1: toHex(v1),
    update_v2: toHex(v2),
    v2_to_v1: toHex(Y.convertUpdateFormatV2ToV1(v2)),
    roots: read(d, roots),
    state_vector: toHex(Y.encodeStateVector(d)),
    state_vector_from_update: toHex(Y.encodeStateVectorFromUpdate(v1)),
    pending: d.store.pendingStructs !== null,
    reencoded_v1: toHex(Y.encodeStateAsUpdate(d)),
    reencoded_v1_nogc: toHex(Y.encodeStateAsUpdate(dn)),
    reencode_identical: toHex(Y.encodeStateAsUpdate(d)) === toHex(v1),
    ...extra
  }
}

// A doc's full state plus Yjs's own v2 encoding of the same doc.
function docVector (name, covers, roots, doc) {
  const v = vector(name, covers, roots, Y.encodeStateAsUpdate(doc))
  v.doc_v2 = toHex(Y.encodeStateAsUpdateV2(doc))
  v.doc_v2_to_v1 = toHex(Y.convertUpdateFormatV2ToV1(Y.encodeStateAsUpdateV2(doc)))
  return v
}

function newDoc (clientID, gc = true) {
  const d = new Y.Doc({ gc })
  d.clientID = clientID
  return d
}

const vectors = { structs: [], contents: [], types: [], docs: [] }

// ---- content kinds ------------------------------------------------------------------
{
  const d = newDoc(1)
  d.getText('text').insert(0, 'hello 😀 中文 𝄞')
  vectors.contents.push(docVector('string', ['Item', 'String'], [['text', 'Text']], d))
}
{
  const d = newDoc(2)
  const t = d.getText('text')
  t.insert(0, 'plain ')
  t.insert(6, 'bold', { bold: true })
  t.insert(10, ' link', { link: 'https://example.com' })
  t.format(0, 3, { italic: true })
  t.format(1, 1, { italic: null })
  vectors.contents.push(docVector('format', ['Item', 'String', 'Format'], [['text', 'Text']], d))
}
{
  const d = newDoc(3)
  const t = d.getText('text')
  t.insert(0, 'ab')
  t.insertEmbed(1, { image: 'https://example.com/x.png' }, { width: 100 })
  vectors.contents.push(docVector('embed', ['Item', 'Embed', 'Format'], [['text', 'Text']], d))
}
{
  const d = newDoc(4)
  const a = d.getArray('array')
  a.insert(0, [{ u: undefined }, [undefined], null, true, false, 0, -1, 42, 2147483647, -2147483648, 4294967296,
    9007199254740991, 0.5, 0.1, -1.5e300, 'str', '😀', '', [1, [2, []]], { a: 1, b: { c: null }, '键': 'v' },
    { bin: new Uint8Array([1, 2, 255]) }, { big: 1234567890123456789n, neg: -5n }])
  vectors.contents.push(docVector('any_every_kind', ['Item', 'Any'], [['array', 'Array']], d))
}
{
  const d = newDoc(5)
  d.getArray('array').insert(0, [new Uint8Array([0, 1, 2, 3, 254, 255])])
  d.getMap('map').set('bin', new Uint8Array([9, 8, 7]))
  vectors.contents.push(docVector('binary', ['Item', 'Binary'], [['array', 'Array'], ['map', 'Map']], d))
}
{
  // gc on: the deleted text becomes ContentDeleted in the encoding.
  const d = newDoc(6)
  const t = d.getText('text')
  t.insert(0, 'keep this, drop that')
  t.delete(10, 10)
  t.delete(0, 2)
  vectors.contents.push(docVector('deleted_gc', ['Item', 'Deleted', 'String', 'DeleteSet'], [['text', 'Text']], d))
}
{
  // gc off: deleted content is kept and encoded as what it was.
  const d = newDoc(7, false)
  const t = d.getText('text')
  t.insert(0, 'keep this, drop that')
  t.delete(10, 10)
  d.getArray('array').insert(0, [1, 2, 3])
  d.getArray('array').delete(1, 1)
  vectors.contents.push(docVector('deleted_nogc', ['Item', 'String', 'Any', 'DeleteSet'], [['text', 'Text'], ['array', 'Array']], d))
}
{
  const d = newDoc(8)
  const sub = new Y.Doc({ guid: 'sub-guid-1', meta: { title: 'notes' } })
  d.getMap('map').set('sub', sub)
  const sub2 = new Y.Doc({ guid: 'sub-guid-2', autoLoad: true, shouldLoad: true })
  d.getArray('array').insert(0, [sub2])
  vectors.contents.push(docVector('subdocument', ['Item', 'Doc'], [['map', 'Map'], ['array', 'Array']], d))
}
{
  // ContentJSON (ref 2): Yjs reads it but no longer writes it, so it is encoded by hand:
  // one client, one Item at the start of root array "array", holding three JSON values.
  const e = encoding.createEncoder()
  encoding.writeVarUint(e, 1) // clients
  encoding.writeVarUint(e, 2) // structs of client 11
  encoding.writeVarUint(e, 11) // client
  encoding.writeVarUint(e, 0) // clock
  encoding.writeUint8(e, 2) // info: ContentJSON, no origin, no right origin, no parentSub
  encoding.writeVarUint(e, 1) // parent is a root key
  encoding.writeVarString(e, 'array')
  const vals = ['"a"', '{"b":1,"c":[true,null]}', 'null', 'undefined']
  encoding.writeVarUint(e, vals.length)
  for (const v of vals) encoding.writeVarString(e, v)
  // A second Item (clock 4) with ContentJSON, origin = (11, 3), i.e. appended.
  encoding.writeUint8(e, 2 | 0x80)
  encoding.writeVarUint(e, 11)
  encoding.writeVarUint(e, 3)
  encoding.writeVarUint(e, 1)
  encoding.writeVarString(e, '[1,2]')
  encoding.writeVarUint(e, 0) // delete set: no clients
  vectors.contents.push(vector('json_content_manual', ['Item', 'JSON'], [['array', 'Array']], encoding.toUint8Array(e)))
}

// ---- type refs ------------------------------------------------------------------------
{
  const d = newDoc(9)
  const m = d.getMap('map')
  const arr = new Y.Array()
  m.set('array', arr)
  arr.insert(0, [1, 'two'])
  const map = new Y.Map()
  m.set('map', map)
  map.set('x', 1)
  map.set('y', new Y.Text('nested text'))
  const text = new Y.Text()
  m.set('text', text)
  text.insert(0, 'hi', { bold: true })
  const frag = new Y.XmlFragment()
  m.set('xmlFragment', frag)
  const el = new Y.XmlElement('p')
  frag.insert(0, [el])
  el.setAttribute('class', 'lead')
  const xt = new Y.XmlText()
  el.insert(0, [xt])
  xt.insert(0, 'para', { strong: true })
  const el2 = new Y.XmlElement('div')
  m.set('xmlElement', el2)
  el2.insert(0, [new Y.XmlText('inner')])
  const hook = new Y.XmlHook('my-hook')
  m.set('xmlHook', hook)
  hook.set('data', 5)
  const xt2 = new Y.XmlText()
  m.set('xmlText', xt2)
  xt2.insert(0, 'loose xml text')
  vectors.types.push(docVector('every_type_ref_in_map',
    ['Type', 'Array', 'Map', 'Text', 'XmlElement', 'XmlFragment', 'XmlHook', 'XmlText', 'Any', 'String', 'Format'],
    [['map', 'Map']], d))
}
{
  const d = newDoc(10)
  const f = d.getXmlFragment('xml')
  const h1 = new Y.XmlElement('h1')
  const p = new Y.XmlElement('p')
  f.insert(0, [h1, p])
  h1.insert(0, [new Y.XmlText('Title')])
  const t = new Y.XmlText()
  p.insert(0, [t])
  t.insert(0, 'Some ')
  t.insert(5, 'bold', { b: {} })
  p.setAttribute('data-id', '7')
  vectors.types.push(docVector('xml_fragment_root', ['Type', 'XmlElement', 'XmlFragment', 'XmlText', 'Format'], [['xml', 'XmlFragment']], d))
}
{
  const d = newDoc(11)
  const a = d.getArray('array')
  a.insert(0, [new Y.Array(), new Y.Map(), new Y.Text('t')])
  a.get(0).insert(0, [new Y.Array()])
  a.get(0).get(0).insert(0, ['deep'])
  a.get(1).set('k', new Y.Array())
  vectors.types.push(docVector('nested_in_array', ['Type', 'Array', 'Map', 'Text'], [['array', 'Array']], d))
}

// ---- struct kinds -----------------------------------------------------------------
{
  // GC: a nested type with children is overwritten; its children become GC structs.
  const d = newDoc(12)
  const m = d.getMap('map')
  const inner = new Y.Array()
  m.set('x', inner)
  inner.insert(0, ['a', 'b', 'c'])
  inner.insert(3, ['d'])
  m.set('x', 'replaced')
  vectors.structs.push(docVector('gc_struct', ['GC', 'Item', 'Deleted', 'Type', 'Any'], [['map', 'Map']], d))
}
{
  // Skip: merging non-contiguous updates of one client leaves a gap.
  const d = newDoc(13)
  const t = d.getText('text')
  const ups = []
  d.on('update', u => ups.push(u))
  t.insert(0, 'one ')
  t.insert(4, 'two ')
  t.insert(8, 'three')
  const merged = Y.mergeUpdates([ups[0], ups[2]])
  vectors.structs.push(vector('skip_struct', ['Skip', 'Item', 'String'], [['text', 'Text']], merged,
    { merged_from: [toHex(ups[0]), toHex(ups[2])], completing_update_v1: toHex(ups[1]),
      after_completing: read((() => { const x = new Y.Doc(); Y.applyUpdate(x, merged); Y.applyUpdate(x, ups[1]); return x })(), [['text', 'Text']]) }))
}
{
  // Map overwrites and deletes: parentSub, origins, a delete set with several ranges.
  const d = newDoc(14)
  const m = d.getMap('map')
  m.set('a', 1); m.set('b', 2); m.set('a', 3); m.delete('b'); m.set('c', { deep: [1, 2] })
  vectors.structs.push(docVector('map_overwrite_delete', ['Item', 'Any', 'Deleted', 'DeleteSet'], [['map', 'Map']], d))
}
{
  // Two clients insert at the same position concurrently; huge client ids.
  const a = newDoc(9007199254740991)
  const b = newDoc(4294967295)
  a.getText('text').insert(0, 'base')
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  a.getText('text').insert(2, 'AAA')
  b.getText('text').insert(2, 'BBB')
  b.getText('text').delete(0, 1)
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  vectors.structs.push(docVector('concurrent_two_clients', ['Item', 'String', 'DeleteSet', 'RightOrigin'], [['text', 'Text']], a))
}

// ---- realistic documents -------------------------------------------------------------
{
  const d = newDoc(15)
  const t = d.getText('text')
  for (let i = 0; i < 30; i++) t.insert((i * 7) % (t.length + 1), `w${i} `)
  t.delete(3, 9)
  t.format(0, 12, { bold: true })
  d.getMap('map').set('title', 'Interview')
  d.getArray('array').insert(0, ['a', 1, null])
  vectors.docs.push(docVector('mixed_small', ['Item', 'String', 'Format', 'Any', 'Deleted', 'DeleteSet'],
    [['text', 'Text'], ['map', 'Map'], ['array', 'Array']], d))
}

for (const [file, list] of Object.entries(vectors)) {
  writeFileSync(`${outDir}/${file}.json`, JSON.stringify({ yjs: require('yjs/package.json').version, vectors: list }, null, 1) + '\n')
}

// ---- byte-level operations: mergeUpdates, diffUpdate, encodeStateVectorFromUpdate ------
{
  const a = newDoc(21)
  const b = newDoc(22)
  const ua = []
  const ub = []
  a.on('update', u => ua.push(u))
  b.on('update', u => ub.push(u))
  a.getText('text').insert(0, 'abc')
  a.getText('text').insert(3, 'def')
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  b.getText('text').insert(1, 'XY')
  a.getMap('map').set('k', 'v')
  b.getText('text').delete(0, 2)
  a.getArray('array').insert(0, [1, 2, 3])
  const all = [...ua, ...ub]
  const ops = {
    yjs: require('yjs/package.json').version,
    merges: [
      { name: 'all_updates', inputs: all.map(toHex), merged_v1: toHex(Y.mergeUpdates(all)) },
      { name: 'one_client_contiguous', inputs: ua.slice(0, 2).map(toHex), merged_v1: toHex(Y.mergeUpdates(ua.slice(0, 2))) },
      { name: 'non_contiguous_skip', inputs: [ua[0], ua[2]].map(toHex), merged_v1: toHex(Y.mergeUpdates([ua[0], ua[2]])) },
      { name: 'reversed', inputs: [...all].reverse().map(toHex), merged_v1: toHex(Y.mergeUpdates([...all].reverse())) }
    ],
    diffs: [],
    state_vectors: all.map(u => ({ update: toHex(u), state_vector: toHex(Y.encodeStateVectorFromUpdate(u)) }))
  }
  const full = Y.encodeStateAsUpdate(a)
  Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
  const fullBoth = Y.encodeStateAsUpdate(a)
  for (const sv of [new Uint8Array([0]), Y.encodeStateVectorFromUpdate(full), Y.encodeStateVectorFromUpdate(ua[0]), Y.encodeStateVectorFromUpdate(fullBoth)]) {
    ops.diffs.push({ update: toHex(fullBoth), state_vector: toHex(sv), diff_v1: toHex(Y.diffUpdate(fullBoth, sv)) })
  }
  writeFileSync(`${outDir}/ops.json`, JSON.stringify(ops, null, 1) + '\n')
}

const n = Object.values(vectors).reduce((k, l) => k + l.length, 0)
console.log(`gen_golden: ${n} vectors + ops.json -> ${outDir}`)
