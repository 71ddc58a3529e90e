#include "wire/lib0.hpp"

namespace mockloop::wire {

namespace {

// Validates UTF-8 per RFC 3629 (no overlongs, no surrogates, max U+10FFFF).
bool valid_utf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    size_t n;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      n = 1;
      cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
      n = 2;
      cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (static_cast<size_t>(end - p) <= n) return false;
    for (size_t i = 1; i <= n; ++i) {
      if ((p[i] & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (p[i] & 0x3F);
    }
    if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
        (cp >= 0xD800 && cp <= 0xDFFF)) {
      return false;
    }
    p += n + 1;
  }
  return true;
}

}  // namespace

DecodeErrc Decoder::read_varuint(uint64_t& out) {
  uint64_t v = 0;
  for (size_t i = 0; i < kMaxVarUintBytes; ++i) {
    if (pos_ >= data_.size()) return DecodeErrc::truncated;
    uint8_t b = data_[pos_++];
    uint64_t bits = b & 0x7F;
    if (i == 9 && bits > 1) return DecodeErrc::varint_overflow;
    v |= bits << (7 * i);
    if ((b & 0x80) == 0) {
      out = v;
      return DecodeErrc::ok;
    }
  }
  return DecodeErrc::varint_overflow;
}

DecodeErrc Decoder::read_varbytes(ByteView& out) {
  uint64_t len = 0;
  if (auto e = read_varuint(len); e != DecodeErrc::ok) return e;
  if (len > remaining()) return DecodeErrc::truncated;
  out = data_.subspan(pos_, static_cast<size_t>(len));
  pos_ += static_cast<size_t>(len);
  return DecodeErrc::ok;
}

DecodeErrc Decoder::read_varstring(std::string_view& out) {
  ByteView raw;
  if (auto e = read_varbytes(raw); e != DecodeErrc::ok) return e;
  std::string_view s(reinterpret_cast<const char*>(raw.data()), raw.size());
  if (!valid_utf8(s)) return DecodeErrc::invalid_utf8;
  out = s;
  return DecodeErrc::ok;
}

void Encoder::write_varuint(uint64_t v) {
  while (v >= 0x80) {
    buf_.push_back(static_cast<uint8_t>(v | 0x80));
    v >>= 7;
  }
  buf_.push_back(static_cast<uint8_t>(v));
}

void Encoder::write_varbytes(ByteView bytes) {
  write_varuint(bytes.size());
  write_raw(bytes);
}

void Encoder::write_varstring(std::string_view s) {
  write_varbytes(ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

size_t varuint_size(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

}  // namespace mockloop::wire
