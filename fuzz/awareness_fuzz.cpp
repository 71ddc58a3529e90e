// libFuzzer target for what the server does with an awareness message before relaying it
// (room/doc_connection.cpp): decode the lib0 entry list (wire/awareness_update), then parse
// each state as JSON (crdt::parse_json: bounded depth and keys, O(n log n) in the keys).
// The first input byte picks the mode: even, the rest is an awareness payload; odd, the
// rest is one JSON text. Traps on broken contracts:
//   - re-encoding the decoded entries decodes to the same entries;
//   - stringify(parse(x)) parses again and stringifies to itself (a fixed point).
// Build and run: fuzz/run.sh; corpus: fuzz/corpus/awareness (fuzz/make_corpus.mjs).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crdt/any.hpp"
#include "wire/awareness_update.hpp"

namespace {

void check(bool ok) {
  if (!ok) __builtin_trap();
}

void json_fixed_point(std::string_view text) {
  auto parsed = mockloop::crdt::parse_json(text);
  if (!parsed.ok()) return;
  std::string once = mockloop::crdt::to_json(parsed.value());
  auto again = mockloop::crdt::parse_json(once);
  check(again.ok());
  check(mockloop::crdt::to_json(again.value()) == once);
}

void awareness(mockloop::wire::ByteView in) {
  std::vector<mockloop::wire::AwarenessEntry> entries;
  if (mockloop::wire::decode_awareness_update(in, entries) != mockloop::wire::DecodeErrc::ok) return;
  auto bytes = mockloop::wire::encode_awareness_update(entries);
  std::vector<mockloop::wire::AwarenessEntry> again;
  check(mockloop::wire::decode_awareness_update(bytes, again) == mockloop::wire::DecodeErrc::ok);
  check(again.size() == entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    check(again[i].client_id == entries[i].client_id && again[i].clock == entries[i].clock &&
          again[i].state_json == entries[i].state_json);
    if (!entries[i].is_removal()) json_fixed_point(entries[i].state_json);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  if (data[0] % 2 == 0) {
    awareness(mockloop::wire::ByteView(data + 1, size - 1));
  } else {
    json_fixed_point(std::string_view(reinterpret_cast<const char*>(data + 1), size - 1));
  }
  return 0;
}
