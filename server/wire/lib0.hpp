// lib0 binary primitives used by the y-protocols framing: unsigned LEB128-style varints
// ("varuint"), length-prefixed byte arrays ("varbytes", lib0's VarUint8Array) and UTF-8
// strings ("varstring"). Decoder reads from a borrowed buffer with strict bounds checks and
// never throws; Encoder appends to an owned vector. Neither is thread-safe; both are cheap
// values meant to live on the stack of one call.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "codec/lib0_varint.hpp"
#include "wire/decode_error.hpp"

namespace mockloop::wire {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

// The longest varuint we accept: 10 bytes carry 64 bits. lib0 itself writes at most 8
// (JavaScript numbers are 53 bits), so anything longer is malformed. (The codec itself is
// codec/lib0_varint.hpp, shared with the CRDT engine.)
inline constexpr size_t kMaxVarUintBytes = codec::kMaxVarUintBytes;

class Decoder {
 public:
  explicit Decoder(ByteView data) : data_(data) {}

  // Each read returns DecodeErrc::ok and advances, or returns the error and leaves the
  // position unspecified (the caller abandons the message).
  DecodeErrc read_varuint(uint64_t& out);
  // `out` borrows from the decoder's buffer.
  DecodeErrc read_varbytes(ByteView& out);
  DecodeErrc read_varstring(std::string_view& out);

  size_t remaining() const { return data_.size() - pos_; }
  bool done() const { return pos_ == data_.size(); }
  size_t position() const { return pos_; }

 private:
  ByteView data_;
  size_t pos_ = 0;
};

class Encoder {
 public:
  Encoder() = default;
  explicit Encoder(size_t reserve) { buf_.reserve(reserve); }

  void write_varuint(uint64_t v);
  void write_varbytes(ByteView bytes);
  void write_varstring(std::string_view s);
  void write_raw(ByteView bytes) { buf_.insert(buf_.end(), bytes.begin(), bytes.end()); }

  const Bytes& bytes() const { return buf_; }
  Bytes take() { return std::move(buf_); }

 private:
  Bytes buf_;
};

// Number of bytes write_varuint(v) produces.
size_t varuint_size(uint64_t v);

}  // namespace mockloop::wire
