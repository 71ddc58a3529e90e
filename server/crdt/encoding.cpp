#include "crdt/encoding.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace mockloop::crdt {

void Encoder::grow(size_t k) {
  size_t want = std::max({buf_.size() * 2, n_ + k, size_t{64}});
  buf_.resize(want);
}

Bytes Encoder::take() {
  Bytes out;
  out.swap(buf_);
  out.resize(n_);
  // Do not hand out a buffer mostly empty (a frame may live long in a send queue).
  if (out.capacity() > 2 * n_ + 4096) out.shrink_to_fit();
  n_ = 0;
  return out;
}

void Encoder::write_var_int(uint64_t magnitude, bool negative) {
  reserve(10);
  buf_[n_++] = static_cast<uint8_t>((magnitude > 0x3f ? 0x80 : 0) | (negative ? 0x40 : 0) | (magnitude & 0x3f));
  magnitude >>= 6;
  while (magnitude > 0) {
    buf_[n_++] = static_cast<uint8_t>((magnitude > 0x7f ? 0x80 : 0) | (magnitude & 0x7f));
    magnitude >>= 7;
  }
}

void Encoder::write_float32(float f) {
  uint32_t u = std::bit_cast<uint32_t>(f);
  reserve(4);
  for (int s = 24; s >= 0; s -= 8) buf_[n_++] = static_cast<uint8_t>(u >> s);
}

void Encoder::write_float64(double d) {
  uint64_t u = std::bit_cast<uint64_t>(d);
  reserve(8);
  for (int s = 56; s >= 0; s -= 8) buf_[n_++] = static_cast<uint8_t>(u >> s);
}

void Encoder::write_bigint64(int64_t v) {
  auto u = static_cast<uint64_t>(v);
  reserve(8);
  for (int s = 56; s >= 0; s -= 8) buf_[n_++] = static_cast<uint8_t>(u >> s);
}

uint64_t Decoder::read_var_uint_slow() {
  // 9 bytes carry 63 bits: enough for any value up to 2^53 (lib0 throws "integer out of
  // range" past it).
  uint64_t num = 0;
  if (codec::read_var_uint(p_, end_, 9, kMaxSafeInteger, &num) != codec::VarUintStatus::ok) {
    fail();
    return 0;
  }
  return num;
}

uint64_t Decoder::read_var_int(bool* negative) {
  uint8_t r = read_u8();
  uint64_t num = r & 0x3f;
  *negative = (r & 0x40) != 0;
  if ((r & 0x80) == 0) return num;
  unsigned shift = 6;
  while (p_ < end_) {
    r = *p_++;
    num |= static_cast<uint64_t>(r & 0x7f) << shift;
    if (r < 0x80) {
      if (num > kMaxSafeInteger) break;
      return num;
    }
    shift += 7;
    if (shift > 55) break;
  }
  fail();
  return 0;
}

std::string_view Decoder::read_var_string() {
  ByteView b = read_var_bytes();
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

ByteView Decoder::read_var_bytes() {
  uint64_t n = read_var_uint();
  return read_raw(n);
}

ByteView Decoder::read_raw(size_t n) {
  if (failed_ || n > remaining()) {
    fail();
    return {};
  }
  ByteView v(p_, n);
  p_ += n;
  return v;
}

float Decoder::read_float32() {
  ByteView b = read_raw(4);
  if (b.empty()) return 0;
  uint32_t u = 0;
  for (uint8_t c : b) u = (u << 8) | c;
  return std::bit_cast<float>(u);
}

double Decoder::read_float64() {
  ByteView b = read_raw(8);
  if (b.empty()) return 0;
  uint64_t u = 0;
  for (uint8_t c : b) u = (u << 8) | c;
  return std::bit_cast<double>(u);
}

int64_t Decoder::read_bigint64() {
  ByteView b = read_raw(8);
  if (b.empty()) return 0;
  uint64_t u = 0;
  for (uint8_t c : b) u = (u << 8) | c;
  return static_cast<int64_t>(u);
}

}  // namespace mockloop::crdt
