// The server-side RFC 6455 codec: client frames in (masked, fragmented, split across
// reads, control frames, every refusal), server frames out.
#include "net/ws_frame.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mockloop::net::ws {
namespace {

using Bytes = std::vector<uint8_t>;

// A client frame: masked with a fixed key, as every client must.
Bytes client_frame(uint8_t opcode, const Bytes& payload, bool fin = true, uint8_t rsv = 0, bool masked = true) {
  Bytes f;
  f.push_back(static_cast<uint8_t>((fin ? 0x80 : 0) | rsv | opcode));
  const uint8_t m = masked ? 0x80 : 0;
  if (payload.size() < 126) {
    f.push_back(static_cast<uint8_t>(m | payload.size()));
  } else if (payload.size() <= 0xFFFF) {
    f.push_back(m | 126);
    f.push_back(static_cast<uint8_t>(payload.size() >> 8));
    f.push_back(static_cast<uint8_t>(payload.size()));
  } else {
    f.push_back(m | 127);
    for (int i = 7; i >= 0; --i) f.push_back(static_cast<uint8_t>(uint64_t{payload.size()} >> (8 * i)));
  }
  const uint8_t key[4] = {0x37, 0xfa, 0x21, 0x3d};
  if (masked) f.insert(f.end(), key, key + 4);
  for (size_t i = 0; i < payload.size(); ++i) f.push_back(masked ? payload[i] ^ key[i & 3] : payload[i]);
  return f;
}

Bytes bytes(std::string_view s) { return Bytes(s.begin(), s.end()); }

struct Recorder {
  std::vector<Bytes> messages;
  std::vector<Bytes> pings;
  std::vector<std::pair<uint16_t, std::string>> closes;
  std::vector<std::pair<uint16_t, std::string>> errors;

  ReaderEvents events() {
    ReaderEvents ev;
    ev.on_message = [this](std::span<const uint8_t> m) { messages.emplace_back(m.begin(), m.end()); };
    ev.on_ping = [this](std::span<const uint8_t> p) { pings.emplace_back(p.begin(), p.end()); };
    ev.on_close = [this](uint16_t c, std::string_view r) { closes.emplace_back(c, std::string(r)); };
    ev.on_error = [this](uint16_t c, std::string r) { errors.emplace_back(c, std::move(r)); };
    return ev;
  }
};

// Feeds `stream` in pieces of `step` bytes, keeping unconsumed bytes as a session does.
size_t feed(FrameReader& r, const Bytes& stream, size_t step) {
  Bytes held;
  size_t pos = 0;
  while (pos < stream.size()) {
    size_t n = std::min(step, stream.size() - pos);
    held.insert(held.end(), stream.begin() + static_cast<long>(pos), stream.begin() + static_cast<long>(pos + n));
    pos += n;
    size_t used = r.consume(held);
    held.erase(held.begin(), held.begin() + static_cast<long>(used));
    if (r.failed()) break;
  }
  return held.size();
}

TEST(WsFrame, HeaderEncodingUsesTheShortestLengthForm) {
  uint8_t h[kMaxFrameHeaderBytes];
  EXPECT_EQ(encode_header(h, kBinary, 5), 2u);
  EXPECT_EQ(h[0], 0x82);
  EXPECT_EQ(h[1], 5);
  EXPECT_EQ(encode_header(h, kBinary, 126), 4u);
  EXPECT_EQ(h[1], 126);
  EXPECT_EQ((h[2] << 8) | h[3], 126);
  EXPECT_EQ(encode_header(h, kClose, 70000), 10u);
  EXPECT_EQ(h[0], 0x88);
  EXPECT_EQ(h[1], 127);
  EXPECT_EQ((h[7] << 16) | (h[8] << 8) | h[9], 70000);
}

TEST(WsFrame, AcceptKeyMatchesRfc6455Example) {
  EXPECT_EQ(accept_key("dGhlIHNhbXBsZSBub25jZQ=="), "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
}

TEST(WsFrame, ClosePayloadCarriesCodeAndCutsReason) {
  auto p = close_payload(1009, std::string(300, 'x'));
  ASSERT_EQ(p.size(), 2 + kMaxCloseReasonBytes);
  EXPECT_EQ((p[0] << 8) | p[1], 1009);
}

TEST(WsFrame, ReadsManyMessagesOfOneSegmentInOrder) {
  Recorder rec;
  FrameReader r(1 << 20, rec.events());
  Bytes stream;
  for (int i = 0; i < 5; ++i) {
    auto f = client_frame(kBinary, Bytes(static_cast<size_t>(i * 100), static_cast<uint8_t>(i)));
    stream.insert(stream.end(), f.begin(), f.end());
  }
  EXPECT_EQ(r.consume(stream), stream.size());
  ASSERT_EQ(rec.messages.size(), 5u);
  for (int i = 0; i < 5; ++i) EXPECT_EQ(rec.messages[static_cast<size_t>(i)], Bytes(static_cast<size_t>(i * 100), static_cast<uint8_t>(i)));
  EXPECT_TRUE(rec.errors.empty());
}

TEST(WsFrame, FramesSplitAcrossReadsOfEverySizeReassemble) {
  Bytes big(70000);
  for (size_t i = 0; i < big.size(); ++i) big[i] = static_cast<uint8_t>(i * 7);
  Bytes stream = client_frame(kBinary, bytes("hello"));
  auto f2 = client_frame(kBinary, big);
  stream.insert(stream.end(), f2.begin(), f2.end());
  for (size_t step : {1u, 3u, 7u, 1000u, 65536u}) {
    Recorder rec;
    FrameReader r(1 << 20, rec.events());
    EXPECT_EQ(feed(r, stream, step), 0u) << step;
    ASSERT_EQ(rec.messages.size(), 2u) << step;
    EXPECT_EQ(rec.messages[0], bytes("hello"));
    EXPECT_EQ(rec.messages[1], big);
  }
}

TEST(WsFrame, FragmentedMessageWithInterleavedPingIsOneMessage) {
  Recorder rec;
  FrameReader r(1 << 20, rec.events());
  Bytes stream;
  for (const auto& f : {client_frame(kBinary, bytes("ab"), false), client_frame(kPing, bytes("p")),
                        client_frame(kContinuation, bytes("cd"), false), client_frame(kContinuation, bytes("e"), true)}) {
    stream.insert(stream.end(), f.begin(), f.end());
  }
  EXPECT_EQ(r.consume(stream), stream.size());
  ASSERT_EQ(rec.messages.size(), 1u);
  EXPECT_EQ(rec.messages[0], bytes("abcde"));
  ASSERT_EQ(rec.pings.size(), 1u);
  EXPECT_EQ(rec.pings[0], bytes("p"));
}

TEST(WsFrame, CloseFrameReportsCodeAndReason) {
  Recorder rec;
  FrameReader r(1024, rec.events());
  Bytes payload = {0x03, 0xE8};  // 1000
  auto reason = bytes("bye");
  payload.insert(payload.end(), reason.begin(), reason.end());
  auto f = client_frame(kClose, payload);
  r.consume(f);
  ASSERT_EQ(rec.closes.size(), 1u);
  EXPECT_EQ(rec.closes[0].first, 1000);
  EXPECT_EQ(rec.closes[0].second, "bye");
  auto empty = client_frame(kClose, {});
  r.consume(empty);
  ASSERT_EQ(rec.closes.size(), 2u);
  EXPECT_EQ(rec.closes[1].first, kCloseNoStatus);
}

TEST(WsFrame, OversizedMessageIsRefusedWith1009AndSkippedWithoutBuffering) {
  Recorder rec;
  FrameReader r(1000, rec.events());
  Bytes stream = client_frame(kBinary, Bytes(5000, 1));
  auto close = client_frame(kClose, {0x03, 0xE8});
  stream.insert(stream.end(), close.begin(), close.end());
  // Fed 100 bytes at a time: the reader never asks for the whole 5000-byte frame.
  size_t held = feed(r, stream, 100);
  EXPECT_EQ(held, 0u);
  EXPECT_LE(r.bytes_wanted(), 14u);
  ASSERT_EQ(rec.errors.size(), 1u);
  EXPECT_EQ(rec.errors[0].first, kCloseTooBig);
  EXPECT_NE(rec.errors[0].second.find("1000 bytes"), std::string::npos);
  EXPECT_TRUE(rec.messages.empty());
  ASSERT_EQ(rec.closes.size(), 1u) << "the close frame after the refused message is still read";
  EXPECT_FALSE(r.failed());
}

TEST(WsFrame, FragmentsAddingUpPastTheLimitAreRefused) {
  Recorder rec;
  FrameReader r(1000, rec.events());
  Bytes stream = client_frame(kBinary, Bytes(600, 1), false);
  auto f2 = client_frame(kContinuation, Bytes(600, 2), true);
  auto later = client_frame(kBinary, bytes("later"));
  stream.insert(stream.end(), f2.begin(), f2.end());
  stream.insert(stream.end(), later.begin(), later.end());
  EXPECT_EQ(r.consume(stream), stream.size());
  ASSERT_EQ(rec.errors.size(), 1u);
  EXPECT_EQ(rec.errors[0].first, kCloseTooBig);
  EXPECT_TRUE(rec.messages.empty()) << "data after a refusal is dropped";
}

TEST(WsFrame, TextFrameIsRefusedWith1003) {
  Recorder rec;
  FrameReader r(1000, rec.events());
  auto f = client_frame(kText, bytes("hi"));
  EXPECT_EQ(r.consume(f), f.size());
  ASSERT_EQ(rec.errors.size(), 1u);
  EXPECT_EQ(rec.errors[0].first, kCloseUnsupportedData);
  EXPECT_TRUE(rec.messages.empty());
}

TEST(WsFrame, ProtocolViolationsFailWith1002AndStopReading) {
  struct Case {
    const char* name;
    Bytes frame;
  };
  Bytes long_ping(126, 0);
  std::vector<Case> cases = {
      {"unmasked", client_frame(kBinary, bytes("x"), true, 0, false)},
      {"rsv bit", client_frame(kBinary, bytes("x"), true, 0x40)},
      {"unknown opcode", client_frame(0x3, bytes("x"))},
      {"fragmented ping", client_frame(kPing, bytes("x"), false)},
      {"long ping", client_frame(kPing, long_ping)},
      {"orphan continuation", client_frame(kContinuation, bytes("x"))},
      {"one-byte close", client_frame(kClose, Bytes{0x03})},
      {"reserved close code", client_frame(kClose, Bytes{0x03, 0xED})},  // 1005
  };
  for (const auto& c : cases) {
    Recorder rec;
    FrameReader r(1000, rec.events());
    Bytes stream = c.frame;
    auto after = client_frame(kBinary, bytes("after"));
    stream.insert(stream.end(), after.begin(), after.end());
    r.consume(stream);
    EXPECT_TRUE(r.failed()) << c.name;
    ASSERT_EQ(rec.errors.size(), 1u) << c.name;
    EXPECT_EQ(rec.errors[0].first, kCloseProtocolError) << c.name;
    EXPECT_TRUE(rec.messages.empty()) << c.name;
  }
}

TEST(WsFrame, NewMessageInsideAFragmentedOneIsAProtocolError) {
  Recorder rec;
  FrameReader r(1000, rec.events());
  Bytes stream = client_frame(kBinary, bytes("a"), false);
  auto f2 = client_frame(kBinary, bytes("b"));
  stream.insert(stream.end(), f2.begin(), f2.end());
  r.consume(stream);
  EXPECT_TRUE(r.failed());
  EXPECT_TRUE(rec.messages.empty());
}

TEST(WsFrame, CloseCodesFromTheRegistryAreAcceptedOthersAre1002) {
  for (uint16_t code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 4000, 4999}) {
    Recorder rec;
    FrameReader r(1000, rec.events());
    Bytes f = client_frame(kClose, Bytes{static_cast<uint8_t>(code >> 8), static_cast<uint8_t>(code), 'o', 'k'});
    r.consume(f);
    EXPECT_FALSE(r.failed()) << code;
    ASSERT_EQ(rec.closes.size(), 1u) << code;
    EXPECT_EQ(rec.closes[0].first, code);
    EXPECT_EQ(rec.closes[0].second, "ok");
  }
  for (uint16_t code : {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
    Recorder rec;
    FrameReader r(1000, rec.events());
    Bytes f = client_frame(kClose, Bytes{static_cast<uint8_t>(code >> 8), static_cast<uint8_t>(code)});
    r.consume(f);
    EXPECT_TRUE(r.failed()) << code;
    ASSERT_EQ(rec.errors.size(), 1u) << code;
    EXPECT_EQ(rec.errors[0].first, kCloseProtocolError) << code;
    EXPECT_TRUE(rec.closes.empty()) << code;
  }
}

TEST(WsFrame, ACloseReasonThatIsNotUtf8Is1007) {
  for (const Bytes& reason : {Bytes{0xFF}, Bytes{0xC0, 0x80} /* overlong */, Bytes{0xED, 0xA0, 0x80} /* surrogate */,
                              Bytes{0xE2, 0x82} /* cut */, Bytes{0xF4, 0x90, 0x80, 0x80} /* past U+10FFFF */}) {
    Recorder rec;
    FrameReader r(1000, rec.events());
    Bytes payload{0x03, 0xE8};
    payload.insert(payload.end(), reason.begin(), reason.end());
    Bytes f = client_frame(kClose, payload);
    r.consume(f);
    EXPECT_TRUE(r.failed());
    ASSERT_EQ(rec.errors.size(), 1u);
    EXPECT_EQ(rec.errors[0].first, kCloseInvalidPayload);
  }
  Recorder rec;
  FrameReader r(1000, rec.events());
  Bytes ok = client_frame(kClose, Bytes{0x03, 0xE8, 0xC3, 0xA9, 0xF0, 0x9F, 0x98, 0x80});  // "é😀"
  r.consume(ok);
  EXPECT_FALSE(r.failed());
  ASSERT_EQ(rec.closes.size(), 1u);
}

TEST(WsFrame, StopAfterFrameLeavesLaterFramesUnconsumed) {
  Recorder rec;
  FrameReader* reader = nullptr;
  auto ev = rec.events();
  ev.on_message = [&](std::span<const uint8_t> m) {
    rec.messages.emplace_back(m.begin(), m.end());
    if (rec.messages.size() == 2) reader->stop_after_frame();
  };
  FrameReader r(1000, ev);
  reader = &r;
  Bytes stream;
  for (const char* s : {"one", "two", "three", "four"}) {
    auto f = client_frame(kBinary, bytes(s));
    stream.insert(stream.end(), f.begin(), f.end());
  }
  size_t used = r.consume(stream);
  ASSERT_EQ(rec.messages.size(), 2u);
  EXPECT_EQ(used, 2 * (2 + 4 + 3));
  stream.erase(stream.begin(), stream.begin() + static_cast<long>(used));
  EXPECT_EQ(r.consume(stream), stream.size());  // the next call goes on
  ASSERT_EQ(rec.messages.size(), 4u);
  EXPECT_EQ(rec.messages[3], bytes("four"));
}

}  // namespace
}  // namespace mockloop::net::ws
