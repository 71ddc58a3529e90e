// Result<T>: the error-or-value type returned by every fallible crdt operation.
// The crdt module depends on nothing else in the server, so it carries its own type.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace mockloop::crdt {

inline constexpr int kErrDecode = -1;   // malformed or truncated bytes
inline constexpr int kErrInvalid = -2;  // well-formed but semantically invalid input
inline constexpr int kErrJson = -3;     // malformed JSON argument
inline constexpr int kErrLimit = -4;    // well-formed, but over a bound of crdt/limits.hpp

struct Error {
  int code = kErrInvalid;
  std::string message;
};

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT(implicit)
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(implicit)
  bool ok() const { return value_.has_value(); }
  explicit operator bool() const { return ok(); }
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  const Error& error() const { return error_; }

 private:
  std::optional<T> value_;
  Error error_;
};

template <>
class Result<void> {
 public:
  Result() : ok_(true) {}
  Result(Error error) : ok_(false), error_(std::move(error)) {}  // NOLINT(implicit)
  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  void value() const {}
  const Error& error() const { return error_; }

 private:
  bool ok_;
  Error error_;
};

}  // namespace mockloop::crdt
