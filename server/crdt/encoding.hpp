// lib0-compatible binary encoder/decoder (dmonad/lib0 encoding.js / decoding.js).
// Decoder is bounds-checked: on truncated or out-of-range input it sets a sticky failure
// flag and returns zero values; callers check failed() before trusting results.
// Not thread-safe; each instance belongs to one caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codec/lib0_varint.hpp"

namespace mockloop::crdt {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// Largest integer lib0 accepts (Number.MAX_SAFE_INTEGER).
inline constexpr uint64_t kMaxSafeInteger = (uint64_t{1} << 53) - 1;

// Writes into a buffer it grows by doubling; each write checks the room once (the hot
// paths of state encoding write a few bytes per call).
class Encoder {
 public:
  void write_u8(uint8_t v) {
    reserve(1);
    buf_[n_++] = v;
  }
  void write_var_uint(uint64_t v) {
    reserve(codec::kMaxVarUintBytes);
    n_ = static_cast<size_t>(codec::write_var_uint(buf_.data() + n_, v) - buf_.data());
  }
  // lib0 writeVarInt: magnitude plus sign bit; negative zero is representable.
  void write_var_int(uint64_t magnitude, bool negative);
  void write_var_int(int64_t v) {
    write_var_int(v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v), v < 0);
  }
  void write_var_string(std::string_view s) {
    write_var_uint(s.size());
    write_raw(ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
  }
  void write_var_bytes(ByteView b) {
    write_var_uint(b.size());
    write_raw(b);
  }
  void write_raw(ByteView b) {
    if (b.empty()) return;
    reserve(b.size());
    std::memcpy(buf_.data() + n_, b.data(), b.size());
    n_ += b.size();
  }
  void write_float32(float f);
  void write_float64(double d);
  void write_bigint64(int64_t v);
  // Appends `k` bytes for the caller to fill and returns where they start.
  uint8_t* extend(size_t k) {
    reserve(k);
    uint8_t* p = buf_.data() + n_;
    n_ += k;
    return p;
  }

  ByteView bytes() const { return ByteView(buf_.data(), n_); }
  // The bytes written; the Encoder is empty afterwards.
  Bytes take();
  size_t size() const { return n_; }
  void clear() { n_ = 0; }

 private:
  void reserve(size_t k) {
    if (buf_.size() - n_ < k) grow(k);
  }
  void grow(size_t k);

  Bytes buf_;     // its size is the capacity in use; bytes past n_ are not written yet
  size_t n_ = 0;  // bytes written
};

class Decoder {
 public:
  explicit Decoder(ByteView data) : p_(data.data()), end_(data.data() + data.size()) {}

  bool failed() const { return failed_; }
  void fail() { failed_ = true; p_ = end_; }
  bool has_content() const { return p_ < end_; }
  size_t remaining() const { return static_cast<size_t>(end_ - p_); }

  uint8_t read_u8() {
    if (p_ >= end_) {
      fail();
      return 0;
    }
    return *p_++;
  }
  uint64_t read_var_uint() {
    if (p_ < end_ && *p_ < 0x80) return *p_++;
    return read_var_uint_slow();
  }
  // Returns magnitude and sign separately so that -0 survives.
  uint64_t read_var_int(bool* negative);
  // Length-prefixed UTF-8 bytes, returned as-is (validation is the caller's choice).
  std::string_view read_var_string();
  ByteView read_var_bytes();
  ByteView read_raw(size_t n);
  float read_float32();
  double read_float64();
  int64_t read_bigint64();

 private:
  uint64_t read_var_uint_slow();

  const uint8_t* p_;
  const uint8_t* end_;
  bool failed_ = false;
};

}  // namespace mockloop::crdt
