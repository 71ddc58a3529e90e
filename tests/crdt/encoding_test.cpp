// lib0 encoding and `any` against bytes produced by lib0 (node, tests/js/node_modules/lib0):
// JS: encoding.writeVarUint / writeVarInt / writeAny on a fresh encoder.
#include "crdt/encoding.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "crdt/any.hpp"
#include "test_util.hpp"

using namespace mockloop::crdt;
using crdt_test::from_hex;
using crdt_test::to_hex;

TEST(EncodingTest, VarUintMatchesLib0) {
  const std::pair<uint64_t, const char*> cases[] = {
      {0, "00"}, {1, "01"}, {127, "7f"}, {128, "8001"}, {300, "ac02"},
      {4294967296ull, "8080808010"}, {9007199254740991ull, "ffffffffffffff0f"}};
  for (auto [v, hex] : cases) {
    Encoder e;
    e.write_var_uint(v);
    EXPECT_EQ(to_hex(e.bytes()), hex) << v;
    auto b = from_hex(hex);
    Decoder d(b);
    EXPECT_EQ(d.read_var_uint(), v);
    EXPECT_FALSE(d.failed());
  }
}

TEST(EncodingTest, VarIntMatchesLib0IncludingNegativeZero) {
  struct C {
    uint64_t mag;
    bool neg;
    const char* hex;
  };
  const C cases[] = {{0, false, "00"},  {0, true, "40"},    {1, false, "01"},
                     {1, true, "41"},   {63, false, "3f"},  {64, false, "8001"},
                     {64, true, "c001"}, {65, true, "c101"}, {2147483648ull, false, "8080808010"},
                     {1099511627776ull, true, "c08080808040"}};
  for (const C& c : cases) {
    Encoder e;
    e.write_var_int(c.mag, c.neg);
    EXPECT_EQ(to_hex(e.bytes()), c.hex);
    auto b = from_hex(c.hex);
    Decoder d(b);
    bool neg = false;
    EXPECT_EQ(d.read_var_int(&neg), c.mag);
    EXPECT_EQ(neg, c.neg);
  }
}

TEST(EncodingTest, TruncatedAndOversizedInputsFail) {
  for (const char* hex : {"", "80", "ffffffffffffffffff01", "0561"}) {
    auto b = from_hex(hex);
    Decoder d(b);
    d.read_var_string();
    EXPECT_TRUE(d.failed()) << hex;
  }
  auto b = from_hex("8080808080808080808001");  // > 2^53
  Decoder d(b);
  d.read_var_uint();
  EXPECT_TRUE(d.failed());
}

TEST(EncodingTest, AnyMatchesLib0) {
  auto num = [](double v) { return Any::from_number(v); };
  Any obj;
  obj.kind = Any::Kind::Object;
  {
    Any arr;
    arr.kind = Any::Kind::Array;
    arr.array = {num(1), Any::from_string("x")};
    Any inner;
    inner.kind = Any::Kind::Object;
    inner.object = {{"c", Any::null()}};
    // JS object {b:[1,'x'], a:{c:null}, 2:false}: integer keys come first.
    obj.object = {{"2", Any::from_bool(false)}, {"b", arr}, {"a", inner}};
  }
  Any big;
  big.kind = Any::Kind::BigInt;
  big.bigint = -5;
  Any bytes;
  bytes.kind = Any::Kind::Buffer;
  bytes.buffer = {1, 2, 255};
  const std::pair<Any, const char*> cases[] = {
      {Any{}, "7f"},
      {Any::null(), "7e"},
      {Any::from_bool(true), "78"},
      {num(-12345), "7df9c001"},
      {num(-0.0), "7d40"},
      {num(0.5), "7c3f000000"},
      {num(0.1), "7b3fb999999999999a"},
      {big, "7afffffffffffffffb"},
      {num(1099511627776.0), "7c53800000"},
      {Any::from_string("h\xC3\xA9\xF0\x9F\x98\x80"), "770768c3a9f09f9880"},
      {obj, "7603013279016275027d017701780161760101637e"},
      {bytes, "74030102ff"},
  };
  for (const auto& [value, hex] : cases) {
    Encoder e;
    write_any(e, value);
    EXPECT_EQ(to_hex(e.bytes()), hex);
    auto b = from_hex(hex);
    Decoder d(b);
    Any back;
    ASSERT_TRUE(read_any(d, &back)) << hex;
    EXPECT_TRUE(back == value) << hex;
  }
  // -0 survives the round trip as a negative zero.
  auto b = from_hex("7d40");
  Decoder d(b);
  Any z;
  ASSERT_TRUE(read_any(d, &z));
  EXPECT_TRUE(std::signbit(z.number));
}

TEST(EncodingTest, HostileAnyIsRejected) {
  // Unknown tag, truncated array, absurd nesting.
  for (const char* hex : {"70", "7505", "7601"}) {
    auto b = from_hex(hex);
    Decoder d(b);
    Any a;
    EXPECT_FALSE(read_any(d, &a)) << hex;
  }
  std::vector<uint8_t> deep(10000, 0x75);  // [[[[...
  for (size_t i = 1; i < deep.size(); i += 2) deep[i] = 1;
  Decoder d(deep);
  Any a;
  EXPECT_FALSE(read_any(d, &a));
}

TEST(EncodingTest, JsonFollowsJsonStringify) {
  auto v = parse_json(R"({"b":1,"1":2,"a":[1.5,-0,1e21,1e-7,"\ud83d\ude00\n"]})");
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(to_json(v.value()), "{\"1\":2,\"b\":1,\"a\":[1.5,0,1e+21,1e-7,\"\xF0\x9F\x98\x80\\n\"]}");
  EXPECT_FALSE(parse_json("{\"a\":}").ok());
  EXPECT_FALSE(parse_json("[1,]").ok());
}
