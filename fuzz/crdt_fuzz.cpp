// libFuzzer target for the CRDT engine's byte-facing surface: decode+apply of v1 and v2
// updates, v2->v1 conversion, merge / diff / state-vector extraction on raw bytes, apply
// without depth/key limits followed by JSON/XML rendering and the deletion (delete + GC) of
// everything (mode 5: nesting as deep as the input makes it), and the JSON and lib0 `any`
// decoders (mode 6).
// The first input byte picks the mode; the rest is the payload. Besides memory and UB
// errors (ASan/UBSan), it traps on broken contracts:
//   - whatever apply accepts, our own full-state encoding of the result must apply cleanly
//     to a fresh doc;
//   - a failed apply leaves the document exactly as it was (atomic apply).
// Build: fuzz/run.sh (clang, -fsanitize=fuzzer,address,undefined); corpus: fuzz/corpus/crdt.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "crdt/any.hpp"
#include "crdt/crdt.hpp"

namespace {

using mockloop::crdt::ByteView;
using mockloop::crdt::Bytes;
using mockloop::crdt::Doc;
using mockloop::crdt::DocOptions;

// A small document every atomicity check starts from: "hello" in root text "text"
// (Yjs v1 update, client 1).
const uint8_t kBase[] = {0x01, 0x01, 0x01, 0x00, 0x04, 0x01, 0x04, 0x74, 0x65, 0x78, 0x74,
                         0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f, 0x00};

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// The encoded state applies again to a new document with the same limits (a document
// built without limits may be deeper than the default limits allow).
void reencode_round_trip(const Doc& doc, const mockloop::crdt::Limits& limits = {}) {
  auto full = doc.encode_state_as_update_v1();
  check(full.ok());
  Doc again(DocOptions{77, true}, limits);
  check(again.apply_update_v1(full.value()).ok());
}

void apply_v1(ByteView in, bool gc) {
  Doc doc(DocOptions{99, gc});
  if (doc.apply_update_v1(in).ok()) {
    reencode_round_trip(doc);
    (void)doc.state_vector_v1();
    (void)doc.root_to_json("text", mockloop::crdt::TypeKind::Text);
    (void)doc.root_to_json("map", mockloop::crdt::TypeKind::Map);
    (void)doc.root_to_json("array", mockloop::crdt::TypeKind::Array);
  }
}

void apply_v2(ByteView in) {
  Doc doc(DocOptions{99, true});
  if (doc.apply_update_v2(in).ok()) reencode_round_trip(doc);
  auto v1 = mockloop::crdt::convert_update_v2_to_v1(in);
  if (v1.ok()) apply_v1(v1.value(), true);
}

void bytes_ops(ByteView in) {
  if (in.empty()) return;
  size_t cut = in[0] % (in.size());
  ByteView a = in.subspan(1, cut > 0 ? cut - 1 : 0);
  ByteView b = in.subspan(a.size() + 1);
  ByteView parts[] = {a, b};
  auto merged = mockloop::crdt::merge_updates_v1(parts);
  if (merged.ok()) apply_v1(merged.value(), true);
  auto diff = mockloop::crdt::diff_update_v1(a, b);
  if (diff.ok()) apply_v1(diff.value(), true);
  (void)mockloop::crdt::state_vector_from_update_v1(in);
}

// Mode 5: what a room with raised limits, or the debrief, does with hostile nesting.
void apply_unbounded_render_delete(ByteView in) {
  mockloop::crdt::Limits unbounded;
  unbounded.max_type_depth = UINT32_MAX;
  unbounded.max_map_keys = SIZE_MAX;
  Doc doc(DocOptions{99, true}, unbounded);
  if (!doc.apply_update_v1(in).ok()) return;
  using mockloop::crdt::TypeKind;
  const char* roots[] = {"map", "array", "text", "m", "board", ""};
  for (const char* r : roots) {
    for (TypeKind k : {TypeKind::Map, TypeKind::Array, TypeKind::Text, TypeKind::XmlFragment}) {
      (void)doc.root_to_json(r, k);
    }
  }
  doc.transact(0, [&] {
    for (const char* r : roots) {
      auto m = doc.get_map(r);
      for (const auto& key : m.keys()) m.remove(key);
    }
  });
  reencode_round_trip(doc, unbounded);
}

// Mode 6: the JSON parser and the lib0 `any` decoder on the same bytes.
void any_decoders(ByteView in) {
  auto json = mockloop::crdt::parse_json(std::string_view(reinterpret_cast<const char*>(in.data()), in.size()));
  if (json.ok()) (void)mockloop::crdt::to_json(json.value());
  mockloop::crdt::Decoder dec(in);
  mockloop::crdt::Any any;
  if (mockloop::crdt::read_any(dec, &any)) {
    mockloop::crdt::Encoder enc;
    mockloop::crdt::write_any(enc, any);
    (void)mockloop::crdt::to_json(any);
  }
}

void atomic_apply(ByteView in) {
  Doc doc(DocOptions{99, true});
  check(doc.apply_update_v1(ByteView(kBase, sizeof kBase)).ok());
  auto before = doc.encode_state_as_update_v1();
  check(before.ok());
  if (!doc.apply_update_v1(in).ok()) {
    auto after = doc.encode_state_as_update_v1();
    check(after.ok() && after.value() == before.value());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  ByteView in(data + 1, size - 1);
  switch (data[0] % 7) {
    case 0: apply_v1(in, true); break;
    case 1: apply_v1(in, false); break;
    case 2: apply_v2(in); break;
    case 3: bytes_ops(in); break;
    case 5: apply_unbounded_render_delete(in); break;
    case 6: any_decoders(in); break;
    default: atomic_apply(in); break;
  }
  return 0;
}
