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
  const uint8_t* p = data_.data() + pos_;
  const auto status = codec::read_var_uint(p, data_.data() + data_.size(), kMaxVarUintBytes, UINT64_MAX, &out);
  pos_ = static_cast<size_t>(p - data_.data());
  switch (status) {
    case codec::VarUintStatus::ok: return DecodeErrc::ok;
    case codec::VarUintStatus::truncated: return DecodeErrc::truncated;
    default: return DecodeErrc::varint_overflow;
  }
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
  uint8_t tmp[codec::kMaxVarUintBytes];
  buf_.insert(buf_.end(), tmp, codec::write_var_uint(tmp, v));
}

void Encoder::write_varbytes(ByteView bytes) {
  write_varuint(bytes.size());
  write_raw(bytes);
}

void Encoder::write_varstring(std::string_view s) {
  write_varbytes(ByteView(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

size_t varuint_size(uint64_t v) { return codec::var_uint_size(v); }

}  // namespace mockloop::wire
