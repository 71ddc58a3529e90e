// Frames of the runner protocol: a 4-byte big-endian length, then that many bytes of JSON
// (protocol.hpp). Pure codec, no I/O but the blocking helpers at the end, which the runner
// and the pool's slot threads use on their pipes (never an io thread).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mockloop::runner {

// The 4-byte header followed by `payload`.
std::string encode_frame(std::string_view payload);

// Accumulates bytes; yields whole frames. A frame longer than `max_bytes` is an error
// (the stream is then unusable).
class FrameReader {
 public:
  explicit FrameReader(size_t max_bytes) : max_(max_bytes) {}
  void feed(std::string_view bytes) { buf_.append(bytes); }
  // A whole frame's payload, or nullopt (need more bytes, or failed()).
  std::optional<std::string> next();
  bool failed() const { return failed_; }

 private:
  size_t max_;
  std::string buf_;
  bool failed_ = false;
};

// Blocking: writes one frame to `fd` (false on error); reads one frame (nullopt on EOF,
// error or an oversized frame).
bool write_frame(int fd, std::string_view payload);
std::optional<std::string> read_frame(int fd, size_t max_bytes);

}  // namespace mockloop::runner
