// lib0-compatible binary encoder/decoder (dmonad/lib0 encoding.js / decoding.js).
// Decoder is bounds-checked: on truncated or out-of-range input it sets a sticky failure
// flag and returns zero values; callers check failed() before trusting results.
// Not thread-safe; each instance belongs to one caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mockloop::crdt {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// Largest integer lib0 accepts (Number.MAX_SAFE_INTEGER).
inline constexpr uint64_t kMaxSafeInteger = (uint64_t{1} << 53) - 1;

class Encoder {
 public:
  void write_u8(uint8_t v) { buf_.push_back(v); }
  void write_var_uint(uint64_t v) {
    while (v > 0x7f) {
      buf_.push_back(static_cast<uint8_t>(0x80 | (v & 0x7f)));
      v >>= 7;
    }
    buf_.push_back(static_cast<uint8_t>(v));
  }
  // lib0 writeVarInt: magnitude plus sign bit; negative zero is representable.
  void write_var_int(uint64_t magnitude, bool negative);
  void write_var_int(int64_t v) {
    write_var_int(v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v), v < 0);
  }
  void write_var_string(std::string_view s) {
    write_var_uint(s.size());
    buf_.insert(buf_.end(), s.begin(), s.end());
  }
  void write_var_bytes(ByteView b) {
    write_var_uint(b.size());
    buf_.insert(buf_.end(), b.begin(), b.end());
  }
  void write_raw(ByteView b) { buf_.insert(buf_.end(), b.begin(), b.end()); }
  void write_float32(float f);
  void write_float64(double d);
  void write_bigint64(int64_t v);

  const Bytes& bytes() const { return buf_; }
  Bytes take() { return std::move(buf_); }
  size_t size() const { return buf_.size(); }
  void clear() { buf_.clear(); }

 private:
  Bytes buf_;
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
