// lib0's unsigned varint (dmonad/lib0 writeVarUint / readVarUint): 7 bits per byte, least
// significant first, high bit set on every byte but the last. The one codec of it shared
// by the y-protocols framing (wire/lib0) and the CRDT engine (crdt/encoding); each keeps
// its own bound: wire reads any 64-bit value (10 bytes), the engine only what lib0 can
// produce (Number.MAX_SAFE_INTEGER, at most 8 bytes of value, 9 read). Header-only (the
// engine's hot paths inline it); pure functions, any thread.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mockloop::codec {

// Bytes a 64-bit value may take.
inline constexpr size_t kMaxVarUintBytes = 10;

enum class VarUintStatus : uint8_t { ok, truncated, overflow };

// Writes v at p (room for kMaxVarUintBytes REQUIRED); returns the end of what it wrote.
inline uint8_t* write_var_uint(uint8_t* p, uint64_t v) {
  while (v > 0x7f) {
    *p++ = static_cast<uint8_t>(0x80 | (v & 0x7f));
    v >>= 7;
  }
  *p++ = static_cast<uint8_t>(v);
  return p;
}

// Bytes write_var_uint(v) produces.
inline size_t var_uint_size(uint64_t v) {
  size_t n = 1;
  while (v > 0x7f) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Reads one varint from [p, end) into *out, advancing p. Fails with `truncated` when the
// input ends inside it, `overflow` when it needs more than `max_bytes` bytes or more than
// 64 bits, or its value is over `max_value`. On failure p and *out are unspecified.
inline VarUintStatus read_var_uint(const uint8_t*& p, const uint8_t* end, size_t max_bytes, uint64_t max_value,
                                   uint64_t* out) {
  uint64_t v = 0;
  for (size_t i = 0; i < max_bytes && i < kMaxVarUintBytes; ++i) {
    if (p >= end) return VarUintStatus::truncated;
    const uint8_t b = *p++;
    const uint64_t bits = b & 0x7f;
    if (i == kMaxVarUintBytes - 1 && bits > 1) return VarUintStatus::overflow;  // past 64 bits
    v |= bits << (7 * i);
    if (b < 0x80) {
      if (v > max_value) return VarUintStatus::overflow;
      *out = v;
      return VarUintStatus::ok;
    }
  }
  return VarUintStatus::overflow;
}

}  // namespace mockloop::codec
