#include "wire/awareness_update.hpp"

namespace mockloop::wire {

bool AwarenessEntry::is_removal() const {
  std::string_view s = state_json;
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s == "null";
}

DecodeErrc decode_awareness_update(ByteView update, std::vector<AwarenessEntry>& out) {
  out.clear();
  Decoder dec(update);
  uint64_t count = 0;
  if (auto e = dec.read_varuint(count); e != DecodeErrc::ok) return e;
  // Every entry takes at least 3 bytes, so a larger count cannot be honest.
  if (count > dec.remaining() / 3) return DecodeErrc::too_many_entries;
  out.reserve(static_cast<size_t>(count));
  for (uint64_t i = 0; i < count; ++i) {
    AwarenessEntry entry;
    DecodeErrc e;
    if ((e = dec.read_varuint(entry.client_id)) != DecodeErrc::ok) return e;
    if ((e = dec.read_varuint(entry.clock)) != DecodeErrc::ok) return e;
    if ((e = dec.read_varstring(entry.state_json)) != DecodeErrc::ok) return e;
    out.push_back(entry);
  }
  return dec.done() ? DecodeErrc::ok : DecodeErrc::trailing_bytes;
}

Bytes encode_awareness_update(std::span<const AwarenessEntry> entries) {
  size_t size = 1;
  for (const auto& e : entries) size += 12 + e.state_json.size();
  Encoder enc(size);
  enc.write_varuint(entries.size());
  for (const auto& e : entries) {
    enc.write_varuint(e.client_id);
    enc.write_varuint(e.clock);
    enc.write_varstring(e.state_json);
  }
  return enc.take();
}

}  // namespace mockloop::wire
