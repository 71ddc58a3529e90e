// Applying updates: malformed input, out-of-order delivery, GC, map conflicts and surrogate
// pairs, each checked against bytes produced by Yjs 13.6.33 (JS given beside each case).
#include <gtest/gtest.h>

#include "crdt/crdt.hpp"
#include "test_util.hpp"

using namespace mockloop::crdt;
using crdt_test::from_hex;
using crdt_test::to_hex;

namespace {
std::string state_hex(const Doc& d) { return to_hex(d.encode_state_as_update_v1().value()); }
}  // namespace

// JS: d.clientID = 5; t.insert(0,'ab'); t.insert(2,'cd'); t.delete(1,2)  (one update each)
const char* kPendingUpdates[] = {"010105000401017402616200", "0101050284050102636400",
                                 "000105010102"};
const char* kPendingState = "010305000401017401618105000284050201640105010102";

TEST(ApplyTest, EveryTruncationFailsAndLeavesTheDocUnchanged) {
  Doc d(DocOptions{77, true});
  ASSERT_TRUE(d.apply_update_v1(from_hex(kPendingUpdates[0])).ok());
  std::string before = state_hex(d);
  auto full = from_hex(kPendingState);
  for (size_t n = 0; n < full.size(); ++n) {
    ByteView prefix(full.data(), n);
    auto r = d.apply_update_v1(prefix);
    if (n == 0) continue;  // empty input: lib0 reads nothing; treated as an error below
    EXPECT_FALSE(r.ok()) << n;
    EXPECT_EQ(state_hex(d), before) << n;
    EXPECT_FALSE(d.has_pending());
  }
}

TEST(ApplyTest, GarbageAndSelfReferencesAreRejected) {
  Doc d(DocOptions{77, true});
  // Unknown content ref 15; a string item whose origin is its own future clock.
  for (const char* hex : {"0101050004010174ff00", "010105008f0505000161", "ffffffff0f"}) {
    EXPECT_FALSE(d.apply_update_v1(from_hex(hex)).ok()) << hex;
  }
  auto self_ref = from_hex("01010500840509016100");  // origin (5,9) for item (5,0)
  EXPECT_FALSE(d.apply_update_v1(self_ref).ok());
  EXPECT_EQ(state_hex(d), "0000");
}

TEST(ApplyTest, OutOfOrderDeliveryWaitsInPendingThenConverges) {
  Doc d(DocOptions{6, true});
  ASSERT_TRUE(d.apply_update_v1(from_hex(kPendingUpdates[2])).ok());
  EXPECT_TRUE(d.has_pending());
  ASSERT_TRUE(d.apply_update_v1(from_hex(kPendingUpdates[1])).ok());
  EXPECT_TRUE(d.has_pending());
  // Yjs's encodeStateAsUpdate of a doc holding only update[1] (pending) is update[1] itself.
  Doc partial(DocOptions{8, true});
  ASSERT_TRUE(partial.apply_update_v1(from_hex(kPendingUpdates[1])).ok());
  EXPECT_EQ(state_hex(partial), "0101050284050102636400");
  EXPECT_EQ(d.get_text("t").to_string(), "");
  ASSERT_TRUE(d.apply_update_v1(from_hex(kPendingUpdates[0])).ok());
  EXPECT_FALSE(d.has_pending());
  EXPECT_EQ(d.get_text("t").to_string(), "ad");
  EXPECT_EQ(state_hex(d), kPendingState);
}

// JS: new Y.Doc({gc}); d.clientID = 9; sub = new Y.Map(); m.set('s', sub); sub.set('k','v');
// sub.set('j',[1,2]); t.insert(0,'hello'); t.delete(1,3); m.delete('s')
TEST(ApplyTest, GarbageCollectionOnAndOffMatchYjs) {
  for (bool gc : {true, false}) {
    Doc d(DocOptions{9, gc});
    Map m = d.get_map("m");
    Map sub = m.set_map("s");
    sub.set_json("k", "\"v\"");
    sub.set_json("j", "[1,2]");
    Text t = d.get_text("t");
    t.insert(0, "hello");
    t.remove(1, 3);
    m.remove("s");
    EXPECT_EQ(state_hex(d),
              gc ? "010509002101016d017301000204010174016881090303840906016f01090200030403"
                 : "010609002701016d01730128000900016b0177017628000900016a0175027d017d02040101"
                   "74016884090303656c6c840906016f01090200030403");
    EXPECT_EQ(t.to_string(), "ho");
    EXPECT_EQ(m.to_json(), "{}");
  }
}

// JS: a.clientID = 10; b.clientID = 11; a.getMap('m').set('k','from10');
// b.getMap('m').set('k','from11'); exchange full states.
TEST(ApplyTest, ConcurrentMapSetsResolveLikeYjs) {
  const char* ua = "01010a002801016d016b01770666726f6d313000";
  const char* ub = "01010b002801016d016b01770666726f6d313100";
  Doc a(DocOptions{10, true});
  a.get_map("m").set_json("k", "\"from10\"");
  EXPECT_EQ(state_hex(a), ua);
  Doc b(DocOptions{11, true});
  b.get_map("m").set_json("k", "\"from11\"");
  EXPECT_EQ(state_hex(b), ub);
  ASSERT_TRUE(a.apply_update_v1(from_hex(ub)).ok());
  ASSERT_TRUE(b.apply_update_v1(from_hex(ua)).ok());
  for (Doc* d : {&a, &b}) {
    EXPECT_EQ(d->get_map("m").to_json(), R"({"k":"from11"})");
    EXPECT_EQ(state_hex(*d),
              "02010b002801016d016b01770666726f6d3131010a002101016d016b01010a010001");
  }
}

// JS: t.insert(0,'a😀b'); t.insert(2,'X')  => Yjs splits the pair into two U+FFFD.
// JS: t.insert(0,'😀😀'); t.delete(1,2)
TEST(ApplyTest, SplittingASurrogatePairReplacesBothHalvesLikeYjs) {
  Doc d(DocOptions{12, true});
  Text t = d.get_text("t");
  t.insert(0, "a\xF0\x9F\x98\x80" "b");
  EXPECT_EQ(t.length(), 4u);
  t.insert(2, "X");
  EXPECT_EQ(state_hex(d), "01030c00040101740461efbfbd840c0104efbfbd62c40c010c02015800");
  EXPECT_EQ(t.to_string(), "a\xEF\xBF\xBDX\xEF\xBF\xBD" "b");
  EXPECT_EQ(t.length(), 5u);

  Doc d2(DocOptions{13, true});
  Text t2 = d2.get_text("t");
  t2.insert(0, "\xF0\x9F\x98\x80\xF0\x9F\x98\x80");
  t2.remove(1, 2);
  EXPECT_EQ(state_hex(d2), "01030d000401017403efbfbd810d0002840d0203efbfbd010d010102");
  EXPECT_EQ(t2.length(), 2u);
}

TEST(ApplyTest, ObserverGetsEachTransactionWithItsOrigin) {
  Doc d(DocOptions{5, true});
  std::vector<std::pair<std::string, Origin>> seen;
  uint64_t id = d.observe_update_v1(
      [&](ByteView u, Origin o) { seen.emplace_back(to_hex(u), o); });
  d.transact(42, [&] {
    d.get_text("t").insert(0, "ab");
  });
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_EQ(seen[0].first, kPendingUpdates[0]);
  EXPECT_EQ(seen[0].second, 42u);
  ASSERT_TRUE(d.apply_update_v1(from_hex(kPendingUpdates[0]), 7).ok());  // nothing new
  EXPECT_EQ(seen.size(), 1u);
  d.unobserve_update(id);
  d.get_text("t").insert(0, "x");
  EXPECT_EQ(seen.size(), 1u);
}

TEST(ApplyTest, AnObserverMayEditTheDocument) {
  Doc d(DocOptions{5, true});
  std::vector<Origin> origins;
  d.observe_update_v1([&](ByteView, Origin o) {
    origins.push_back(o);
    if (o == 1) d.transact(2, [&] { d.get_map("m").set_json("seen", "true"); });
  });
  d.transact(1, [&] { d.get_text("t").insert(0, "x"); });
  EXPECT_EQ(origins, (std::vector<Origin>{1, 2}));
  EXPECT_EQ(d.get_map("m").get_json("seen").value(), "true");
}

TEST(ApplyTest, ArrayAndMapReadBack) {
  Doc d(DocOptions{5, true});
  Array a = d.get_array("a");
  a.insert_json(0, "[1,{\"x\":null}]");
  a.insert_json(0, "\"s\"");
  a.insert_json(2, "3.25");
  a.insert_json(9, "1");     // past the end: ignored, as Yjs throws
  a.insert_json(0, "{bad");  // invalid JSON: ignored
  EXPECT_EQ(a.to_json(), R"(["s",[1,{"x":null}],3.25])");
  EXPECT_EQ(a.length(), 3u);
  EXPECT_EQ(a.get_json(1).value(), R"([1,{"x":null}])");
  a.remove(0, 2);
  EXPECT_EQ(a.to_json(), "[3.25]");
  EXPECT_FALSE(a.get_json(1).has_value());
  Map m = d.get_map("m");
  m.set_json("a", "1");
  m.set_json("b", "2");
  m.remove("a");
  EXPECT_EQ(m.keys(), std::vector<std::string>{"b"});
  EXPECT_EQ(d.root_to_json("m", TypeKind::Map), R"({"b":2})");
}

// Found by the fuzzer: a 436-byte v2 update whose run-length columns declare billions of
// structs. It must be refused with an error (not decoded until memory runs out), leaving
// the document unchanged.
TEST(ApplyTest, V2UpdateDeclaringTooManyStructsIsRefused) {
  const char* hostile =
      "0200020002024f60350c00060006000600060006000600060045023ec401469c01e201b401f6ffffffffffffffff01be0100080008000800080008000800080008000800f4013201000e000600060006000600060006000642450100450000450000be01000800080008000800080008000800080008d6015e1f04004110c40028c100c4e8c100c400c1004400c1008401c4124600c600280008af017e746578747730207731203220332077342077352077362077372077382077392077312820773131207731322031313377772034207731352036207731387731392077565656565656f35656565656565656565656565656565656565656b1a9a9a95656565656565656275656565656565656323020773231207732322077323320773234207732352001007fffbf9574337732382077323920626f6c64626f6c646d61707469746c65617272617904064200010201020102010201020102440201c10304024300010301030103010301030103010301030103014401034500010100074100020441000301d300787e77090000000000000072496e7465727b566965777701617d017e010f0506f702005b2c0102030300";
  Doc d(DocOptions{7});
  d.get_text("t").insert(0, "keep");
  const std::string before = state_hex(d);
  auto r = d.apply_update_v2(from_hex(hostile));
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(state_hex(d), before);
}

// Found by the fuzzer: a v2 update whose format value is `undefined` (v2 encodes values as
// `any`). It has no v1 form (JSON.stringify(undefined) is not JSON, and Yjs 13.6.33 cannot
// read the string "undefined" back), so a state holding it could not be loaded again by us
// or by Yjs. It is refused, and the document is unchanged.
TEST(ApplyTest, V2FormatValueUndefinedIsRefused) {
  const char* hostile =
      "000300030502420f0c00030006020803000a5e440204000744021104008402860084008601840086004600c6463b74657874706c61696e20626f6c64626f6c64626f6c646c696e6b206c01000001696e6b6974616c69636974616c69636974616c69636974616c69630441010344020504460201010000010e00787f771368747470733a2f2f6578616d706c652e636f6d7e787e7e7800";
  Doc d(DocOptions{7});
  d.get_text("t").insert(0, "keep");
  const std::string before = state_hex(d);
  EXPECT_FALSE(d.apply_update_v2(from_hex(hostile)).ok());
  EXPECT_EQ(state_hex(d), before);
}
