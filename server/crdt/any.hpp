// Any: the value model of lib0's `any` encoding (what Yjs stores in ContentAny, map values
// and ContentDoc options), with JSON conversion following JSON.parse / JSON.stringify.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "crdt/encoding.hpp"
#include "crdt/result.hpp"

namespace mockloop::crdt {

struct AnyField;

struct Any {
  enum class Kind : uint8_t { Undefined, Null, Bool, Number, BigInt, String, Buffer, Array, Object };
  Kind kind = Kind::Undefined;
  bool boolean = false;
  double number = 0;
  int64_t bigint = 0;
  std::string str;  // UTF-8
  Bytes buffer;
  std::vector<Any> array;
  std::vector<AnyField> object;  // in JS Object.keys() order

  Any();
  ~Any();
  Any(const Any&);
  Any(Any&&) noexcept;
  Any& operator=(const Any&);
  Any& operator=(Any&&) noexcept;

  static Any null();
  static Any from_bool(bool b);
  static Any from_number(double d);
  static Any from_string(std::string s);
  bool operator==(const Any& o) const;
};

// One object entry. (A struct rather than std::pair: pair<string, Any> would need Any to be
// complete inside its own definition, which libstdc++ rejects under clang.)
struct AnyField {
  AnyField() = default;
  AnyField(std::string k, Any v) : first(std::move(k)), second(std::move(v)) {}
  std::string first;
  Any second;
  bool operator==(const AnyField& o) const { return first == o.first && second == o.second; }
};

inline Any::Any() = default;
inline Any::~Any() = default;
inline Any::Any(const Any&) = default;
inline Any::Any(Any&&) noexcept = default;
inline Any& Any::operator=(const Any&) = default;
inline Any& Any::operator=(Any&&) noexcept = default;
inline Any Any::null() { Any a; a.kind = Kind::Null; return a; }
inline Any Any::from_bool(bool b) { Any a; a.kind = Kind::Bool; a.boolean = b; return a; }
inline Any Any::from_number(double d) { Any a; a.kind = Kind::Number; a.number = d; return a; }
inline Any Any::from_string(std::string s) {
  Any a;
  a.kind = Kind::String;
  a.str = std::move(s);
  return a;
}

void write_any(Encoder& enc, const Any& value);
// Returns false (and leaves dec failed) on malformed input. depth bounds nesting.
bool read_any(Decoder& dec, Any* out, int depth = 0);

// JSON.parse semantics (numbers are doubles; object keys ordered as JS orders them).
Result<Any> parse_json(std::string_view json);
// JSON.stringify semantics; a top-level undefined becomes "undefined" (as Yjs's ContentJSON).
std::string to_json(const Any& value);
void append_json(const Any& value, std::string* out);
void append_json_string(std::string_view utf8, std::string* out);
void append_json_number(double d, std::string* out);

}  // namespace mockloop::crdt
