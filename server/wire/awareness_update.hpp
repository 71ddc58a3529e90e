// The payload of an awareness message: a list of (client id, clock, state) where state is a
// JSON text and the text "null" means "this client is gone". Layout (lib0):
//   varuint count, then per entry varuint client_id, varuint clock, varstring json.
// Decoding borrows the JSON text from the input; the server never parses it, it only needs
// to know whether it is null. No state; safe from any thread.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "wire/decode_error.hpp"
#include "wire/lib0.hpp"

namespace mockloop::wire {

struct AwarenessEntry {
  uint64_t client_id = 0;
  uint64_t clock = 0;
  std::string_view state_json;  // "null" for a removal

  bool is_removal() const;
};

// REQUIRES: `out` is empty or may be overwritten. Entries borrow from `update`.
DecodeErrc decode_awareness_update(ByteView update, std::vector<AwarenessEntry>& out);
Bytes encode_awareness_update(std::span<const AwarenessEntry> entries);

}  // namespace mockloop::wire
