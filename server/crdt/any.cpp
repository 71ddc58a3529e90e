#include "crdt/any.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "codec/json_escape.hpp"
#include "crdt/limits.hpp"
#include "crdt/utf.hpp"

namespace mockloop::crdt {
namespace {

constexpr int kMaxDepth = kMaxAnyDepth;

// JS orders integer-like keys ("0".."4294967294", canonical) first, ascending.
bool array_index_key(std::string_view k, uint64_t* idx) {
  if (k.empty() || k.size() > 10) return false;
  if (k.size() > 1 && k[0] == '0') return false;
  uint64_t v = 0;
  for (char c : k) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint64_t>(c - '0');
  }
  if (v >= 4294967295ull) return false;
  *idx = v;
  return true;
}

// Gives a decoded object JS semantics in O(n log n): entries arrive in wire/text order
// (possibly with repeated keys); as `obj[key] = value` one after another would, a repeated
// key keeps its first position and its last value, and integer-like keys come first,
// ascending. (Inserting entry by entry with a linear key search was quadratic: 80,000
// keys took seconds.)
void finish_object(std::vector<AnyField>* obj) {
  const size_t n = obj->size();
  if (n < 2) return;
  std::vector<size_t> by_key(n);
  for (size_t i = 0; i < n; ++i) by_key[i] = i;
  std::stable_sort(by_key.begin(), by_key.end(),
                   [&](size_t a, size_t b) { return (*obj)[a].first < (*obj)[b].first; });
  std::vector<uint8_t> keep(n, 1);
  bool repeated = false;
  for (size_t a = 0; a < n;) {
    size_t b = a + 1;
    while (b < n && (*obj)[by_key[b]].first == (*obj)[by_key[a]].first) keep[by_key[b++]] = 0;
    if (b - a > 1) {
      repeated = true;
      (*obj)[by_key[a]].second = std::move((*obj)[by_key[b - 1]].second);
    }
    a = b;
  }
  std::vector<std::pair<uint64_t, size_t>> index_keys;
  for (size_t i = 0; i < n; ++i) {
    uint64_t idx;
    if (keep[i] && array_index_key((*obj)[i].first, &idx)) index_keys.emplace_back(idx, i);
  }
  if (!repeated && index_keys.empty()) return;
  std::sort(index_keys.begin(), index_keys.end());
  std::vector<AnyField> out;
  out.reserve(n);
  for (const auto& [idx, i] : index_keys) {
    out.push_back(std::move((*obj)[i]));
    keep[i] = 0;
  }
  for (size_t i = 0; i < n; ++i) {
    if (keep[i]) out.push_back(std::move((*obj)[i]));
  }
  *obj = std::move(out);
}

class JsonParser {
 public:
  explicit JsonParser(std::string_view s) : s_(s) {}
  bool parse(Any* out) {
    ws();
    if (!value(out, 0)) return false;
    ws();
    return i_ == s_.size();
  }

 private:
  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }
  bool lit(std::string_view w) {
    if (s_.substr(i_, w.size()) != w) return false;
    i_ += w.size();
    return true;
  }
  bool value(Any* out, int depth) {
    if (depth > kMaxDepth || i_ >= s_.size()) return false;
    char c = s_[i_];
    if (c == '{') {
      ++i_;
      out->kind = Any::Kind::Object;
      ws();
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return true;
      }
      for (;;) {
        ws();
        std::string key;
        if (!string(&key)) return false;
        ws();
        if (i_ >= s_.size() || s_[i_] != ':') return false;
        ++i_;
        ws();
        if (out->object.size() >= kMaxObjectKeys) return false;
        Any v;
        if (!value(&v, depth + 1)) return false;
        out->object.emplace_back(std::move(key), std::move(v));
        ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == '}') {
          ++i_;
          finish_object(&out->object);
          return true;
        }
        return false;
      }
    }
    if (c == '[') {
      ++i_;
      out->kind = Any::Kind::Array;
      ws();
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return true;
      }
      for (;;) {
        ws();
        Any v;
        if (!value(&v, depth + 1)) return false;
        out->array.push_back(std::move(v));
        ws();
        if (i_ < s_.size() && s_[i_] == ',') {
          ++i_;
          continue;
        }
        if (i_ < s_.size() && s_[i_] == ']') {
          ++i_;
          return true;
        }
        return false;
      }
    }
    if (c == '"') {
      out->kind = Any::Kind::String;
      return string(&out->str);
    }
    if (lit("true")) {
      *out = Any::from_bool(true);
      return true;
    }
    if (lit("false")) {
      *out = Any::from_bool(false);
      return true;
    }
    if (lit("null")) {
      *out = Any::null();
      return true;
    }
    return number(out);
  }
  bool number(Any* out) {
    size_t start = i_;
    if (i_ < s_.size() && s_[i_] == '-') ++i_;
    if (i_ >= s_.size()) return false;
    if (s_[i_] == '0') {
      ++i_;
    } else if (s_[i_] >= '1' && s_[i_] <= '9') {
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
    } else {
      return false;
    }
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      size_t d = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (d == i_) return false;
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      size_t d = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      if (d == i_) return false;
    }
    std::string tmp(s_.substr(start, i_ - start));
    out->kind = Any::Kind::Number;
    out->number = std::strtod(tmp.c_str(), nullptr);
    return true;
  }
  static int hex(char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  }
  bool u4(char16_t* out) {
    if (i_ + 4 > s_.size()) return false;
    int v = 0;
    for (int k = 0; k < 4; ++k) {
      int h = hex(s_[i_ + k]);
      if (h < 0) return false;
      v = v * 16 + h;
    }
    i_ += 4;
    *out = static_cast<char16_t>(v);
    return true;
  }
  bool string(std::string* out) {
    if (i_ >= s_.size() || s_[i_] != '"') return false;
    ++i_;
    std::u16string pending;  // escaped UTF-16 units not yet flushed
    auto flush = [&] {
      if (!pending.empty()) {
        append_utf16_as_utf8(pending, out);
        pending.clear();
      }
    };
    size_t run = i_;
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '"') {
        out->append(s_.substr(run, i_ - run));
        flush();
        ++i_;
        *out = sanitize_utf8(*out);
        return true;
      }
      if (static_cast<uint8_t>(c) < 0x20) return false;
      if (c != '\\') {
        if (!pending.empty()) {
          flush();
        }
        ++i_;
        continue;
      }
      out->append(s_.substr(run, i_ - run));
      ++i_;
      if (i_ >= s_.size()) return false;
      char e = s_[i_++];
      char16_t u = 0;
      switch (e) {
        case '"': u = '"'; break;
        case '\\': u = '\\'; break;
        case '/': u = '/'; break;
        case 'b': u = '\b'; break;
        case 'f': u = '\f'; break;
        case 'n': u = '\n'; break;
        case 'r': u = '\r'; break;
        case 't': u = '\t'; break;
        case 'u':
          if (!u4(&u)) return false;
          break;
        default: return false;
      }
      pending.push_back(u);
      if (i_ >= s_.size() || s_[i_] != '\\') flush();
      run = i_;
    }
    return false;
  }

  std::string_view s_;
  size_t i_ = 0;
};

bool is_float32(double d) {
  auto f = static_cast<float>(d);
  return static_cast<double>(f) == d;
}

}  // namespace

bool Any::operator==(const Any& o) const {
  if (kind != o.kind) return false;
  switch (kind) {
    case Kind::Undefined:
    case Kind::Null: return true;
    case Kind::Bool: return boolean == o.boolean;
    case Kind::Number: return number == o.number;
    case Kind::BigInt: return bigint == o.bigint;
    case Kind::String: return str == o.str;
    case Kind::Buffer: return buffer == o.buffer;
    case Kind::Array: return array == o.array;
    case Kind::Object: return object == o.object;
  }
  return false;
}

void write_any(Encoder& enc, const Any& v) {
  switch (v.kind) {
    case Any::Kind::Undefined: enc.write_u8(127); break;
    case Any::Kind::Null: enc.write_u8(126); break;
    case Any::Kind::Bool: enc.write_u8(v.boolean ? 120 : 121); break;
    case Any::Kind::Number: {
      double d = v.number;
      if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= 2147483647.0) {
        enc.write_u8(125);
        enc.write_var_int(static_cast<uint64_t>(std::fabs(d)), std::signbit(d));
      } else if (is_float32(d)) {
        enc.write_u8(124);
        enc.write_float32(static_cast<float>(d));
      } else {
        enc.write_u8(123);
        enc.write_float64(d);
      }
      break;
    }
    case Any::Kind::BigInt:
      enc.write_u8(122);
      enc.write_bigint64(v.bigint);
      break;
    case Any::Kind::String:
      enc.write_u8(119);
      enc.write_var_string(v.str);
      break;
    case Any::Kind::Buffer:
      enc.write_u8(116);
      enc.write_var_bytes(v.buffer);
      break;
    case Any::Kind::Array:
      enc.write_u8(117);
      enc.write_var_uint(v.array.size());
      for (const Any& e : v.array) write_any(enc, e);
      break;
    case Any::Kind::Object:
      enc.write_u8(118);
      enc.write_var_uint(v.object.size());
      for (const auto& [k, e] : v.object) {
        enc.write_var_string(k);
        write_any(enc, e);
      }
      break;
  }
}

bool read_any(Decoder& dec, Any* out, int depth) {
  if (depth > kMaxDepth) {
    dec.fail();
    return false;
  }
  uint8_t tag = dec.read_u8();
  switch (tag) {
    case 127: out->kind = Any::Kind::Undefined; break;
    case 126: out->kind = Any::Kind::Null; break;
    case 125: {
      bool neg;
      uint64_t m = dec.read_var_int(&neg);
      out->kind = Any::Kind::Number;
      out->number = neg ? -static_cast<double>(m) : static_cast<double>(m);
      break;
    }
    case 124:
      out->kind = Any::Kind::Number;
      out->number = dec.read_float32();
      break;
    case 123:
      out->kind = Any::Kind::Number;
      out->number = dec.read_float64();
      break;
    case 122:
      out->kind = Any::Kind::BigInt;
      out->bigint = dec.read_bigint64();
      break;
    case 121: *out = Any::from_bool(false); break;
    case 120: *out = Any::from_bool(true); break;
    case 119:
      out->kind = Any::Kind::String;
      out->str = sanitize_utf8(dec.read_var_string());
      break;
    case 118: {
      out->kind = Any::Kind::Object;
      uint64_t n = dec.read_var_uint();
      if (n > kMaxObjectKeys) {
        dec.fail();
        return false;
      }
      for (uint64_t i = 0; i < n && !dec.failed(); ++i) {
        std::string key = sanitize_utf8(dec.read_var_string());
        Any v;
        if (!read_any(dec, &v, depth + 1)) return false;
        out->object.emplace_back(std::move(key), std::move(v));
      }
      finish_object(&out->object);
      break;
    }
    case 117: {
      out->kind = Any::Kind::Array;
      uint64_t n = dec.read_var_uint();
      for (uint64_t i = 0; i < n && !dec.failed(); ++i) {
        Any v;
        if (!read_any(dec, &v, depth + 1)) return false;
        out->array.push_back(std::move(v));
      }
      break;
    }
    case 116: {
      out->kind = Any::Kind::Buffer;
      ByteView b = dec.read_var_bytes();
      out->buffer.assign(b.begin(), b.end());
      break;
    }
    default:
      // lib0 returns undefined for unknown tags; we treat them as malformed.
      dec.fail();
      return false;
  }
  return !dec.failed();
}

Result<Any> parse_json(std::string_view json) {
  Any out;
  JsonParser p(json);
  if (!p.parse(&out)) return Error{kErrJson, "invalid JSON"};
  return out;
}

void append_json_string(std::string_view s, std::string* out) { codec::append_json_string(s, *out); }

// Number.prototype.toString() formatting (shortest round-trip digits, JS exponent rules).
void append_json_number(double d, std::string* out) {
  if (!std::isfinite(d)) {
    out->append("null");
    return;
  }
  if (d == 0) {
    out->push_back('0');
    return;
  }
  char buf[64];
  auto r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(r.ptr - buf));
  bool neg = sci[0] == '-';
  if (neg) sci.remove_prefix(1);
  size_t epos = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, epos)) {
    if (c != '.') digits.push_back(c);
  }
  int exp10 = std::atoi(std::string(sci.substr(epos + 1)).c_str());
  int k = static_cast<int>(digits.size());
  int n = exp10 + 1;  // decimal point position
  if (neg) out->push_back('-');
  if (k <= n && n <= 21) {
    out->append(digits);
    out->append(static_cast<size_t>(n - k), '0');
  } else if (0 < n && n <= 21) {
    out->append(digits.substr(0, static_cast<size_t>(n)));
    out->push_back('.');
    out->append(digits.substr(static_cast<size_t>(n)));
  } else if (-6 < n && n <= 0) {
    out->append("0.");
    out->append(static_cast<size_t>(-n), '0');
    out->append(digits);
  } else {
    out->push_back(digits[0]);
    if (k > 1) {
      out->push_back('.');
      out->append(digits.substr(1));
    }
    out->push_back('e');
    out->push_back(n - 1 >= 0 ? '+' : '-');
    out->append(std::to_string(std::abs(n - 1)));
  }
}

void append_json(const Any& v, std::string* out) {
  switch (v.kind) {
    case Any::Kind::Undefined:
    case Any::Kind::Null: out->append("null"); break;
    case Any::Kind::Bool: out->append(v.boolean ? "true" : "false"); break;
    case Any::Kind::Number: append_json_number(v.number, out); break;
    case Any::Kind::BigInt: out->append(std::to_string(v.bigint)); break;
    case Any::Kind::String: append_json_string(v.str, out); break;
    case Any::Kind::Buffer: {
      // JSON.stringify(Uint8Array) serialises it as an index-keyed object.
      out->push_back('{');
      for (size_t i = 0; i < v.buffer.size(); ++i) {
        if (i) out->push_back(',');
        out->append("\"" + std::to_string(i) + "\":" + std::to_string(v.buffer[i]));
      }
      out->push_back('}');
      break;
    }
    case Any::Kind::Array:
      out->push_back('[');
      for (size_t i = 0; i < v.array.size(); ++i) {
        if (i) out->push_back(',');
        append_json(v.array[i], out);
      }
      out->push_back(']');
      break;
    case Any::Kind::Object: {
      out->push_back('{');
      bool first = true;
      for (const auto& [k, e] : v.object) {
        if (e.kind == Any::Kind::Undefined) continue;
        if (!first) out->push_back(',');
        first = false;
        append_json_string(k, out);
        out->push_back(':');
        append_json(e, out);
      }
      out->push_back('}');
      break;
    }
  }
}

std::string to_json(const Any& value) {
  if (value.kind == Any::Kind::Undefined) return "undefined";
  std::string out;
  append_json(value, &out);
  return out;
}

}  // namespace mockloop::crdt
