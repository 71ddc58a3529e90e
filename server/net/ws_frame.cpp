#include "net/ws_frame.hpp"

#include <algorithm>

#include "codec/utf8.hpp"

namespace mockloop::net::ws {

std::size_t encode_header(uint8_t* out, Opcode opcode, uint64_t payload_size) {
  out[0] = static_cast<uint8_t>(0x80 | opcode);  // FIN, no RSV bits
  if (payload_size < 126) {
    out[1] = static_cast<uint8_t>(payload_size);
    return 2;
  }
  if (payload_size <= 0xFFFF) {
    out[1] = 126;
    out[2] = static_cast<uint8_t>(payload_size >> 8);
    out[3] = static_cast<uint8_t>(payload_size);
    return 4;
  }
  out[1] = 127;
  for (int i = 0; i < 8; ++i) out[2 + i] = static_cast<uint8_t>(payload_size >> (8 * (7 - i)));
  return 10;
}

std::vector<uint8_t> close_payload(uint16_t code, std::string_view reason) {
  reason = reason.substr(0, kMaxCloseReasonBytes);
  std::vector<uint8_t> out;
  out.reserve(2 + reason.size());
  out.push_back(static_cast<uint8_t>(code >> 8));
  out.push_back(static_cast<uint8_t>(code));
  out.insert(out.end(), reason.begin(), reason.end());
  return out;
}

namespace {

}  // namespace

bool valid_close_code(uint16_t c) {
  if (c >= 3000 && c <= 4999) return true;  // registered (3xxx) and private (4xxx) codes
  return (c >= 1000 && c <= 1003) || (c >= 1007 && c <= 1014);
}

namespace {

void unmask(uint8_t* p, std::size_t n, const uint8_t* mask) {
  for (std::size_t i = 0; i < n; ++i) p[i] ^= mask[i & 3];
}

}  // namespace

FrameReader::FrameReader(std::size_t max_message_bytes, ReaderEvents events)
    : max_message_(max_message_bytes), ev_(std::move(events)) {}

void FrameReader::fail(uint16_t code, std::string reason) {
  failed_ = true;
  message_.clear();
  message_.shrink_to_fit();
  if (ev_.on_error) ev_.on_error(code, std::move(reason));
}

std::size_t FrameReader::consume(std::span<uint8_t> data) {
  std::size_t pos = 0;
  wanted_ = 2;
  stop_ = false;
  while (!failed_ && !stop_) {  // stop_: the caller paused reading, the rest waits in its buffer
    std::span<uint8_t> rest = data.subspan(pos);
    if (skip_ > 0) {
      auto n = static_cast<std::size_t>(std::min<uint64_t>(skip_, rest.size()));
      pos += n;
      skip_ -= n;
      if (skip_ > 0) {
        wanted_ = 1;
        break;
      }
      continue;
    }
    if (rest.size() < 2) {
      wanted_ = 2;
      break;
    }
    const uint8_t b0 = rest[0], b1 = rest[1];
    const bool fin = (b0 & 0x80) != 0;
    const uint8_t opcode = b0 & 0x0F;
    const uint8_t len7 = b1 & 0x7F;
    const bool control = (opcode & 0x08) != 0;
    if ((b0 & 0x70) != 0) {
      fail(kCloseProtocolError, "reserved bits set: no extension was negotiated");
      break;
    }
    if ((b1 & 0x80) == 0) {
      fail(kCloseProtocolError, "client frames must be masked");
      break;
    }
    if (opcode != kContinuation && opcode != kText && opcode != kBinary && opcode != kClose && opcode != kPing &&
        opcode != kPong) {
      fail(kCloseProtocolError, "unknown opcode " + std::to_string(opcode));
      break;
    }
    if (control && (!fin || len7 > 125)) {
      fail(kCloseProtocolError, "control frames must be whole and at most 125 bytes");
      break;
    }
    const std::size_t header = 2 + (len7 == 126 ? 2 : len7 == 127 ? 8 : 0) + 4;
    if (rest.size() < header) {
      wanted_ = header;
      break;
    }
    uint64_t len = len7;
    if (len7 == 126) {
      len = (uint64_t{rest[2]} << 8) | rest[3];
    } else if (len7 == 127) {
      len = 0;
      for (int i = 0; i < 8; ++i) len = (len << 8) | rest[2 + i];
      if (len >> 63) {
        fail(kCloseProtocolError, "frame length out of range");
        break;
      }
    }
    const uint8_t* mask = rest.data() + header - 4;

    if (!control) {
      bool drop = refusing_;
      if (!drop) {
        if (opcode == kContinuation && message_opcode_ == 0) {
          fail(kCloseProtocolError, "continuation frame without a message to continue");
          break;
        }
        if (opcode != kContinuation && message_opcode_ != 0) {
          fail(kCloseProtocolError, "a new message began before the last one ended");
          break;
        }
        const uint8_t msg_opcode = opcode == kContinuation ? message_opcode_ : opcode;
        if (msg_opcode == kText) {
          drop = true;
          refusing_ = true;
          if (ev_.on_error) ev_.on_error(kCloseUnsupportedData, "text frames are not supported: send binary frames");
        } else if (len > max_message_ - std::min(max_message_, message_.size())) {
          drop = true;
          refusing_ = true;
          if (ev_.on_error) {
            ev_.on_error(kCloseTooBig, "message too big: the limit is " + std::to_string(max_message_) + " bytes");
          }
        }
        if (drop) {
          message_.clear();
          message_.shrink_to_fit();
          message_opcode_ = 0;
        }
      }
      if (drop) {
        pos += header;
        skip_ = len;
        continue;
      }
    }
    if (rest.size() - header < len) {
      wanted_ = header + static_cast<std::size_t>(len);
      break;
    }
    std::span<uint8_t> payload = rest.subspan(header, static_cast<std::size_t>(len));
    unmask(payload.data(), payload.size(), mask);
    pos += header + payload.size();
    if (!handle_frame(b0, opcode, payload)) break;
  }
  return pos;
}

bool FrameReader::handle_frame(uint8_t first, uint8_t opcode, std::span<uint8_t> payload) {
  const bool fin = (first & 0x80) != 0;
  switch (opcode) {
    case kPing:
      if (ev_.on_ping) ev_.on_ping(payload);
      return true;
    case kPong:
      return true;
    case kClose: {
      if (payload.size() == 1) {
        fail(kCloseProtocolError, "close frame with a one-byte payload");
        return false;
      }
      uint16_t code = kCloseNoStatus;
      std::string_view reason;
      if (payload.size() >= 2) {
        code = static_cast<uint16_t>((payload[0] << 8) | payload[1]);
        if (!valid_close_code(code)) {
          fail(kCloseProtocolError, "invalid close code " + std::to_string(code));
          return false;
        }
        reason = std::string_view(reinterpret_cast<const char*>(payload.data()) + 2, payload.size() - 2);
        if (!codec::utf8_valid(reason)) {
          fail(kCloseInvalidPayload, "close reason is not valid UTF-8");
          return false;
        }
      }
      if (ev_.on_close) ev_.on_close(code, reason);
      return true;
    }
    case kContinuation:
      message_.insert(message_.end(), payload.begin(), payload.end());
      if (fin) {
        if (ev_.on_message) ev_.on_message(message_);
        message_.clear();
        if (message_.capacity() > 64 * 1024) message_.shrink_to_fit();
        message_opcode_ = 0;
      }
      return true;
    default:  // binary (text was refused before)
      if (fin) {
        if (ev_.on_message) ev_.on_message(payload);
      } else {
        message_.assign(payload.begin(), payload.end());
        message_opcode_ = opcode;
      }
      return true;
  }
}

}  // namespace mockloop::net::ws
