// Resolves request paths to files under one static root (the built web client), refusing
// every way out of it: "..", "." and encoded forms of them (the path is decoded first),
// backslashes, NUL bytes, and symlinks that lead outside the root. Paths without an
// extension that name no file resolve to index.html (client-side routes). Immutable after
// construction; safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "net/endpoints.hpp"  // url_decode

namespace mockloop::net {

struct StaticFile {
  std::string fs_path;        // absolute, canonical
  std::string content_type;
  std::string etag;           // strong validator from size and mtime, quoted
  std::string cache_control;  // "no-cache" for HTML, long-lived for hashed assets
  uint64_t size = 0;
};

class StaticFiles {
 public:
  // `root` must exist; it is canonicalised once here.
  explicit StaticFiles(const std::string& root);

  bool enabled() const { return !root_.empty(); }

  // `decoded_path` is the request path after percent-decoding, starting with '/'.
  // Errors: Errc::invalid_argument (400) for traversal attempts and malformed paths,
  // Errc::forbidden (403) for symlinks out of the root, Errc::not_found (404).
  Result<StaticFile> resolve(std::string_view decoded_path) const;

  static std::string_view content_type_for(std::string_view path);

 private:
  Result<StaticFile> stat_file(const std::string& candidate) const;

  std::string root_;  // canonical, no trailing slash; empty when disabled
};

}  // namespace mockloop::net
