#include "runner/frame.hpp"

#include <cerrno>
#include <unistd.h>

namespace mockloop::runner {

std::string encode_frame(std::string_view payload) {
  const auto n = static_cast<uint32_t>(payload.size());
  std::string out;
  out.reserve(4 + payload.size());
  out.push_back(static_cast<char>(n >> 24));
  out.push_back(static_cast<char>(n >> 16));
  out.push_back(static_cast<char>(n >> 8));
  out.push_back(static_cast<char>(n));
  out.append(payload);
  return out;
}

std::optional<std::string> FrameReader::next() {
  if (failed_ || buf_.size() < 4) return std::nullopt;
  const auto* p = reinterpret_cast<const unsigned char*>(buf_.data());
  const size_t n = (size_t{p[0]} << 24) | (size_t{p[1]} << 16) | (size_t{p[2]} << 8) | size_t{p[3]};
  if (n > max_) {
    failed_ = true;
    return std::nullopt;
  }
  if (buf_.size() < 4 + n) return std::nullopt;
  std::string payload = buf_.substr(4, n);
  buf_.erase(0, 4 + n);
  return payload;
}

namespace {

bool write_all(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool read_all(int fd, char* p, size_t n) {
  while (n > 0) {
    ssize_t r = ::read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

}  // namespace

bool write_frame(int fd, std::string_view payload) {
  const std::string f = encode_frame(payload);
  return write_all(fd, f.data(), f.size());
}

std::optional<std::string> read_frame(int fd, size_t max_bytes) {
  unsigned char h[4];
  if (!read_all(fd, reinterpret_cast<char*>(h), 4)) return std::nullopt;
  const size_t n = (size_t{h[0]} << 24) | (size_t{h[1]} << 16) | (size_t{h[2]} << 8) | size_t{h[3]};
  if (n > max_bytes) return std::nullopt;
  std::string payload(n, '\0');
  if (n > 0 && !read_all(fd, payload.data(), n)) return std::nullopt;
  return payload;
}

}  // namespace mockloop::runner
