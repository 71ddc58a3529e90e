#include "wire/lib0.hpp"

#include "codec/utf8.hpp"

namespace mockloop::wire {

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
  if (!codec::utf8_valid(s)) return DecodeErrc::invalid_utf8;
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
