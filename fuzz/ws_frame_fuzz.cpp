// libFuzzer target for the WebSocket frame reader (server/net/ws_frame): arbitrary client
// bytes, delivered in arbitrary pieces, as a session delivers them. Checks the reader's
// contract: it never consumes more than it was given, never asks to hold more than one
// message's worth of bytes, never reports a message over the limit, and stops after 1002 or
// 1007 (a close reason that is not UTF-8).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <vector>

#include "net/ws_frame.hpp"

namespace {

constexpr std::size_t kMax = 4096;  // message limit for the run

void check(bool ok) {
  if (!ok) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace mockloop::net::ws;
  bool failed_seen = false;
  ReaderEvents ev;
  ev.on_message = [&](std::span<const uint8_t> m) {
    check(!failed_seen);
    check(m.size() <= kMax);
  };
  ev.on_ping = [&](std::span<const uint8_t> p) { check(p.size() <= 125); };
  ev.on_close = [&](uint16_t code, std::string_view reason) { check(code >= 1000 && reason.size() <= 123); };
  ev.on_error = [&](uint16_t code, std::string) {
    check(code == kCloseProtocolError || code == kCloseUnsupportedData || code == kCloseInvalidPayload ||
          code == kCloseTooBig);
    if (code == kCloseProtocolError || code == kCloseInvalidPayload) failed_seen = true;  // the reader stops
  };
  FrameReader reader(kMax, ev);
  // The first byte picks the piece size; the rest is the byte stream.
  if (size == 0) return 0;
  const size_t piece = 1 + data[0] % 64;
  std::vector<uint8_t> held;
  for (size_t pos = 1; pos < size && !reader.failed();) {
    size_t n = std::min(piece, size - pos);
    held.insert(held.end(), data + pos, data + pos + n);
    pos += n;
    size_t used = reader.consume(held);
    check(used <= held.size());
    held.erase(held.begin(), held.begin() + static_cast<std::ptrdiff_t>(used));
    check(reader.bytes_wanted() <= kMax + 14);
    check(held.size() <= kMax + 14 + piece);
  }
  return 0;
}
