// Helpers shared by the Yjs-proof tests (differential_test.cpp, golden_test.cpp): hex and
// state-vector decoding, reading a JSON file, and comparing our JSON with what Yjs printed.
// Header-only; test code only.
#pragma once

#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace mockloop::crdt::proof {

using json = nlohmann::json;

inline std::vector<uint8_t> from_hex(std::string_view hex) {
  auto nib = [](char c) -> uint8_t {
    if (c >= '0' && c <= '9') return static_cast<uint8_t>(c - '0');
    if (c >= 'a' && c <= 'f') return static_cast<uint8_t>(c - 'a' + 10);
    return static_cast<uint8_t>(c - 'A' + 10);
  };
  std::vector<uint8_t> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i) {
    out[i] = static_cast<uint8_t>(nib(hex[2 * i]) << 4 | nib(hex[2 * i + 1]));
  }
  return out;
}

inline std::string to_hex(const std::vector<uint8_t>& bytes) {
  static const char* digits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (uint8_t b : bytes) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 15]);
  }
  return out;
}

// Decodes a v1 state vector (varuint count, then varuint client / varuint clock pairs).
// Returns false on malformed input.
inline bool decode_state_vector(const std::vector<uint8_t>& sv, std::map<uint64_t, uint64_t>& out) {
  size_t pos = 0;
  auto read = [&](uint64_t& v) {
    v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      if (pos >= sv.size()) return false;
      uint8_t b = sv[pos++];
      v |= static_cast<uint64_t>(b & 0x7f) << shift;
      if (!(b & 0x80)) return true;
    }
    return false;
  };
  uint64_t n = 0;
  if (!read(n)) return false;
  for (uint64_t i = 0; i < n; ++i) {
    uint64_t client = 0, clock = 0;
    if (!read(client) || !read(clock)) return false;
    out[client] = clock;
  }
  return pos == sv.size();
}

inline std::string sv_to_string(const std::map<uint64_t, uint64_t>& sv) {
  std::ostringstream os;
  for (auto [c, k] : sv) os << c << ':' << k << ' ';
  return os.str();
}

inline json read_json_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return json();
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

// Parses our engine's JSON output; a parse failure yields a string holding the raw text,
// which then fails the comparison with a readable message.
inline json parse_ours(const std::string& text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded()) return json("<<unparseable: " + text + ">>");
  return j;
}

inline bool is_tag(const json& e, const char* tag) {
  return e.is_object() && e.size() == 1 && e.contains(tag);
}

// Compares our JSON with what Yjs printed. Values Yjs has no JSON form for were tagged by
// gen_golden.mjs: {"$binary": hex} matches an array of byte values, a hex or base64
// string or Yjs's own {"0": b0, ...}; {"$bigint": "n"} matches that integer or string;
// {"$doc": guid} matches anything; {"$undefined": true} matches null or an absent key.
inline bool json_matches(const json& expected, const json& actual) {
  if (is_tag(expected, "$binary")) {
    auto bytes = from_hex(expected["$binary"].get<std::string>());
    if (actual.is_array()) {
      if (actual.size() != bytes.size()) return false;
      for (size_t i = 0; i < bytes.size(); ++i) {
        if (!actual[i].is_number_integer() || actual[i].get<int64_t>() != bytes[i]) return false;
      }
      return true;
    }
    if (actual.is_string()) {
      static const char* b64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
      std::string enc;
      size_t i = 0;
      for (; i + 2 < bytes.size(); i += 3) {
        uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8 | bytes[i + 2];
        for (int s = 18; s >= 0; s -= 6) enc.push_back(b64[(v >> s) & 63]);
      }
      if (bytes.size() - i == 1) {
        uint32_t v = bytes[i] << 16;
        enc += std::string{b64[(v >> 18) & 63], b64[(v >> 12) & 63], '=', '='};
      } else if (bytes.size() - i == 2) {
        uint32_t v = bytes[i] << 16 | bytes[i + 1] << 8;
        enc += std::string{b64[(v >> 18) & 63], b64[(v >> 12) & 63], b64[(v >> 6) & 63], '='};
      }
      auto s = actual.get<std::string>();
      return s == enc || s == expected["$binary"].get<std::string>();
    }
    if (actual.is_object() && actual.size() == bytes.size()) {
      for (size_t i = 0; i < bytes.size(); ++i) {
        auto it = actual.find(std::to_string(i));
        if (it == actual.end() || *it != bytes[i]) return false;
      }
      return true;
    }
    return false;
  }
  if (is_tag(expected, "$bigint")) {
    auto s = expected["$bigint"].get<std::string>();
    if (actual.is_string()) return actual.get<std::string>() == s;
    if (actual.is_number_integer()) return std::to_string(actual.get<int64_t>()) == s;
    return false;
  }
  if (is_tag(expected, "$doc")) return true;
  if (is_tag(expected, "$undefined")) return actual.is_null();
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) return false;
    for (size_t i = 0; i < expected.size(); ++i) {
      if (!json_matches(expected[i], actual[i])) return false;
    }
    return true;
  }
  if (expected.is_object()) {
    if (!actual.is_object()) return false;
    size_t present = 0;
    for (auto& [k, v] : expected.items()) {
      auto it = actual.find(k);
      if (it == actual.end()) {
        if (is_tag(v, "$undefined")) continue;
        return false;
      }
      ++present;
      if (!json_matches(v, *it)) return false;
    }
    return present == actual.size();
  }
  return expected == actual;  // numbers compare across integer/float representations
}

}  // namespace mockloop::crdt::proof
