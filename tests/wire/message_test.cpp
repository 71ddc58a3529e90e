// Vectors produced by y-protocols 1.0.7 / yjs 13.6 / lib0 (tests/js/node_modules):
//   import * as Y from 'yjs'; import * as sync from 'y-protocols/sync'
//   import * as awarenessProtocol from 'y-protocols/awareness'; import * as auth from 'y-protocols/auth'
//   import * as encoding from 'lib0/encoding'
//   const doc = new Y.Doc(); doc.clientID = 42; doc.getText('t').insert(0, 'hi')
//   e = createEncoder(); writeVarUint(e, 0); sync.writeSyncStep1(e, doc)          -> kStep1
//   e = createEncoder(); writeVarUint(e, 0); sync.writeSyncStep2(e, doc)          -> kStep2
//   e = createEncoder(); writeVarUint(e, 0); sync.writeUpdate(e, Y.encodeStateAsUpdate(doc)) -> kUpdate
//   aw = new Awareness(doc); aw.setLocalState({user: {name: 'Ada é'}})
//   e = createEncoder(); writeVarUint(e, 1); writeVarUint8Array(e, encodeAwarenessUpdate(aw, [42])) -> kAwareness
//   removeAwarenessStates(aw, [42]); encodeAwarenessUpdate(aw, [42])            -> kRemoval
//   e = createEncoder(); writeVarUint(e, 3)                                       -> kQuery
//   e = createEncoder(); writeVarUint(e, 2); auth.writePermissionDenied(e, 'no')  -> kAuth
//   for n of [0,127,128,300,2**32,2**53-1] writeVarUint(e, n)                     -> kVarUints
#include "wire/message.hpp"

#include <gtest/gtest.h>

#include "hex.hpp"
#include "wire/awareness_update.hpp"

namespace mockloop::wire {
namespace {

using test::from_hex;
using test::to_hex;

constexpr std::string_view kStep1 = "000003012a02";
constexpr std::string_view kStateVector = "012a02";
constexpr std::string_view kStep2 = "00010c01012a000401017402686900";
constexpr std::string_view kUpdate = "00020c01012a000401017402686900";
constexpr std::string_view kDocUpdate = "01012a000401017402686900";
constexpr std::string_view kAwareness =
    "011e012a011a7b2275736572223a7b226e616d65223a2241646120c3a9227d7d";
constexpr std::string_view kAwarenessUpdate = "012a011a7b2275736572223a7b226e616d65223a2241646120c3a9227d7d";
constexpr std::string_view kRemoval = "012a02046e756c6c";
constexpr std::string_view kQuery = "03";
constexpr std::string_view kAuth = "0200026e6f";
constexpr std::string_view kVarUints = "007f8001ac028080808010ffffffffffffff0f";

std::string hex_of(ByteView v) { return to_hex(Bytes(v.begin(), v.end())); }

TEST(Message, DecodesYjsSyncStep1) {
  auto frame = from_hex(kStep1);
  Message m;
  ASSERT_EQ(decode_message(frame, m), DecodeErrc::ok);
  ASSERT_TRUE(std::holds_alternative<SyncStep1>(m));
  EXPECT_EQ(hex_of(std::get<SyncStep1>(m).state_vector), kStateVector);
}

TEST(Message, DecodesYjsStep2AndUpdate) {
  Message m;
  auto step2 = from_hex(kStep2);
  ASSERT_EQ(decode_message(step2, m), DecodeErrc::ok);
  ASSERT_TRUE(std::holds_alternative<SyncStep2>(m));
  EXPECT_EQ(hex_of(std::get<SyncStep2>(m).update), kDocUpdate);
  auto update = from_hex(kUpdate);
  ASSERT_EQ(decode_message(update, m), DecodeErrc::ok);
  ASSERT_TRUE(std::holds_alternative<SyncUpdate>(m));
  EXPECT_EQ(hex_of(std::get<SyncUpdate>(m).update), kDocUpdate);
}

TEST(Message, EncodesByteIdenticalToYProtocols) {
  EXPECT_EQ(to_hex(encode_sync_step1(from_hex(kStateVector))), kStep1);
  EXPECT_EQ(to_hex(encode_sync_step2(from_hex(kDocUpdate))), kStep2);
  EXPECT_EQ(to_hex(encode_sync_update(from_hex(kDocUpdate))), kUpdate);
  EXPECT_EQ(to_hex(encode_awareness(from_hex(kAwarenessUpdate))), kAwareness);
  EXPECT_EQ(to_hex(encode_query_awareness()), kQuery);
  EXPECT_EQ(to_hex(encode_permission_denied("no")), kAuth);
}

TEST(Message, DecodesAwarenessQueryAndAuth) {
  Message m;
  auto aw = from_hex(kAwareness);
  ASSERT_EQ(decode_message(aw, m), DecodeErrc::ok);
  ASSERT_TRUE(std::holds_alternative<AwarenessMessage>(m));
  EXPECT_EQ(hex_of(std::get<AwarenessMessage>(m).update), kAwarenessUpdate);
  auto q = from_hex(kQuery);
  ASSERT_EQ(decode_message(q, m), DecodeErrc::ok);
  EXPECT_TRUE(std::holds_alternative<QueryAwareness>(m));
  auto a = from_hex(kAuth);
  ASSERT_EQ(decode_message(a, m), DecodeErrc::ok);
  ASSERT_TRUE(std::holds_alternative<AuthMessage>(m));
  EXPECT_EQ(std::get<AuthMessage>(m).reason, "no");
}

TEST(Message, TypedErrorsMapToCloseCodes) {
  struct Case {
    std::string_view hex;
    DecodeErrc want;
    uint16_t close;
  };
  const Case cases[] = {
      {"", DecodeErrc::empty, 1007},
      {"04", DecodeErrc::unknown_message_type, 1003},
      {"ff01", DecodeErrc::unknown_message_type, 1003},
      {"0003", DecodeErrc::unknown_sync_type, 1003},
      {"00", DecodeErrc::truncated, 1007},
      {"0000", DecodeErrc::truncated, 1007},
      {"000005012a", DecodeErrc::truncated, 1007},     // length 5, 2 bytes present
      {"0000ff", DecodeErrc::truncated, 1007},         // varint continues past the end
      {"000003012a0200", DecodeErrc::trailing_bytes, 1007},
      {"0300", DecodeErrc::trailing_bytes, 1007},
      {"00008080808080808080808001", DecodeErrc::varint_overflow, 1007},  // 11-byte varint
      {"0000ffffffffffffffffff7f", DecodeErrc::varint_overflow, 1007},    // > 2^64-1
      {"020002ffff", DecodeErrc::invalid_utf8, 1007},
  };
  for (const auto& c : cases) {
    auto frame = from_hex(c.hex);
    Message m;
    DecodeErrc got = decode_message(frame, m);
    EXPECT_EQ(got, c.want) << c.hex << " got " << to_string(got);
    EXPECT_EQ(close_code_for(got), c.close) << c.hex;
  }
}

TEST(Message, EveryTruncationOfAValidFrameIsRefused) {
  for (auto hex : {kStep1, kStep2, kUpdate, kAwareness, kAuth}) {
    auto frame = from_hex(hex);
    for (size_t n = 0; n < frame.size(); ++n) {
      Message m;
      EXPECT_NE(decode_message(ByteView(frame.data(), n), m), DecodeErrc::ok) << hex << " cut at " << n;
    }
  }
}

TEST(Lib0, VarUintsMatchLib0) {
  Encoder enc;
  const uint64_t values[] = {0, 127, 128, 300, 1ull << 32, (1ull << 53) - 1};
  for (uint64_t v : values) enc.write_varuint(v);
  EXPECT_EQ(to_hex(enc.bytes()), kVarUints);
  auto bytes = from_hex(kVarUints);
  Decoder dec(bytes);
  for (uint64_t v : values) {
    uint64_t got = 0;
    ASSERT_EQ(dec.read_varuint(got), DecodeErrc::ok);
    EXPECT_EQ(got, v);
    EXPECT_EQ(varuint_size(v) > 0, true);
  }
  EXPECT_TRUE(dec.done());
  Encoder max;
  max.write_varuint(UINT64_MAX);
  Decoder d2(max.bytes());
  uint64_t got = 0;
  ASSERT_EQ(d2.read_varuint(got), DecodeErrc::ok);
  EXPECT_EQ(got, UINT64_MAX);
  EXPECT_EQ(max.bytes().size(), varuint_size(UINT64_MAX));
}

TEST(AwarenessUpdate, DecodesAndReencodesYjsBytes) {
  auto bytes = from_hex(kAwarenessUpdate);
  std::vector<AwarenessEntry> entries;
  ASSERT_EQ(decode_awareness_update(bytes, entries), DecodeErrc::ok);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].client_id, 42u);
  EXPECT_EQ(entries[0].clock, 1u);
  EXPECT_EQ(entries[0].state_json, "{\"user\":{\"name\":\"Ada \xc3\xa9\"}}");
  EXPECT_FALSE(entries[0].is_removal());
  EXPECT_EQ(to_hex(encode_awareness_update(entries)), kAwarenessUpdate);
}

TEST(AwarenessUpdate, RemovalIsNullStateWithBumpedClock) {
  auto bytes = from_hex(kRemoval);
  std::vector<AwarenessEntry> entries;
  ASSERT_EQ(decode_awareness_update(bytes, entries), DecodeErrc::ok);
  ASSERT_EQ(entries.size(), 1u);
  EXPECT_EQ(entries[0].clock, 2u);
  EXPECT_TRUE(entries[0].is_removal());
  AwarenessEntry removal{42, 2, "null"};
  EXPECT_EQ(to_hex(encode_awareness_update(std::span(&removal, 1))), kRemoval);
}

TEST(AwarenessUpdate, RefusesMalformed) {
  std::vector<AwarenessEntry> entries;
  EXPECT_EQ(decode_awareness_update(from_hex(""), entries), DecodeErrc::truncated);
  EXPECT_EQ(decode_awareness_update(from_hex("ffffffff0f"), entries), DecodeErrc::too_many_entries);
  EXPECT_EQ(decode_awareness_update(from_hex("012a0204"), entries), DecodeErrc::truncated);
  EXPECT_EQ(decode_awareness_update(from_hex("012a02046e756c6c00"), entries), DecodeErrc::trailing_bytes);
  EXPECT_EQ(decode_awareness_update(from_hex("00"), entries), DecodeErrc::ok);
  EXPECT_TRUE(entries.empty());
}

}  // namespace
}  // namespace mockloop::wire
