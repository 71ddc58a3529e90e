// Hostile input against the engine (issue 14): nesting far past the native stack must not
// crash delete, GC, encoding or rendering; updates over crdt::Limits are refused whole;
// wide `any` / JSON objects decode with JS semantics and within kMaxObjectKeys.
#include <gtest/gtest.h>

#include <string>

#include "crdt/any.hpp"
#include "crdt/crdt.hpp"
#include "crdt/doc_impl.hpp"
#include "crdt/update.hpp"

namespace mockloop::crdt {
namespace {

// Far past what recursion per level survives on an 8 MB stack (issue 14 used 100,000).
constexpr int kDeep = 100000;

Doc unlimited_doc(uint64_t client) {
  Limits l;
  l.max_type_depth = UINT32_MAX;
  l.max_map_keys = SIZE_MAX;
  return Doc(DocOptions{client, true}, l);
}

// A chain of `depth` maps: root "m" -> "k" -> "k" -> ...; the last one holds x = 1.
Bytes deep_chain_update(Doc& doc, int depth) {
  doc.transact(0, [&] {
    Map cur = doc.get_map("m");
    for (int i = 0; i < depth; ++i) cur = cur.set_map("k");
    cur.set_json("x", "1");
  });
  auto u = doc.encode_state_as_update_v1();
  EXPECT_TRUE(u.ok());
  return u.value();
}

Bytes delete_top_update(Doc& doc) {
  auto sv = doc.state_vector_v1();
  doc.transact(0, [&] { doc.get_map("m").remove("k"); });
  auto u = doc.encode_state_as_update_v1(sv);
  EXPECT_TRUE(u.ok());
  return u.value();
}

TEST(LimitsTest, DeepChainDeleteGcAndRenderDoNotRecurse) {
  Doc author = unlimited_doc(1);
  Bytes chain = deep_chain_update(author, kDeep);
  Doc server = unlimited_doc(2);
  ASSERT_TRUE(server.apply_update_v1(chain).ok());
  // Rendering stops at kMaxRenderDepth levels instead of recursing 100,000 times.
  std::string json = server.root_to_json("m", TypeKind::Map);
  EXPECT_EQ(json.rfind("{\"k\":", 0), 0u);
  EXPECT_NE(json.find("null"), std::string::npos);
  EXPECT_LT(json.size(), 10u * kMaxRenderDepth);

  Bytes del = delete_top_update(author);  // the author deletes and GCs the chain locally
  EXPECT_EQ(author.root_to_json("m", TypeKind::Map), "{}");
  ASSERT_TRUE(server.apply_update_v1(del).ok());  // delete + GC of the whole chain
  EXPECT_EQ(server.root_to_json("m", TypeKind::Map), "{}");
  // Both encode the collected chain the same way (GC structs, one delete range).
  auto a = author.encode_state_as_update_v1();
  auto s = server.encode_state_as_update_v1();
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(s.ok());
  Doc fresh = unlimited_doc(3);
  ASSERT_TRUE(fresh.apply_update_v1(s.value()).ok());
  EXPECT_EQ(fresh.root_to_json("m", TypeKind::Map), "{}");
}

TEST(LimitsTest, DeepChainIsRefusedWholeByDefaultLimits) {
  Doc author = unlimited_doc(1);
  Bytes chain = deep_chain_update(author, kDeep);
  Doc server;  // default limits: depth 64
  auto r = server.apply_update_v1(chain);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kErrLimit);
  EXPECT_EQ(server.root_to_json("m", TypeKind::Map), "{}");
  EXPECT_FALSE(server.has_pending());
  EXPECT_EQ(server.state_vector_v1(), Bytes{0});  // nothing integrated
}

TEST(LimitsTest, DepthLimitIsExactAndCountsAcrossUpdates) {
  Doc author = unlimited_doc(1);
  Bytes at_limit = deep_chain_update(author, 64);  // types at depths 1..64
  Doc server;                                      // default limits: depth 64
  ASSERT_TRUE(server.apply_update_v1(at_limit).ok());
  Bytes before = server.state_vector_v1();
  // One more level, in an update of its own, on the doc's deepest type.
  auto sv = author.state_vector_v1();
  author.transact(0, [&] {
    Branch* b = author.impl()->get_root("m");
    for (int i = 0; i < 64; ++i) b = b->map.at("k")->content.x->branch;
    Map(b).set_map("deeper");
  });
  auto r = server.apply_update_v1(author.encode_state_as_update_v1(sv).value());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kErrLimit);
  EXPECT_EQ(server.state_vector_v1(), before);
}

// Structs waiting (pending) for another client's future clock must not get that client's
// updates refused: the pending ones that would break the limits are dropped instead.
TEST(LimitsTest, PendingStructsOverTheLimitDoNotBlockTheClientTheyHangOn) {
  Doc victim = unlimited_doc(10);
  victim.transact(0, [&] {
    victim.get_map("m").set_json("a", "1");
    victim.get_map("m").set_map("v");  // (10, 1): a map at depth 1
  });
  Bytes victim_update = victim.encode_state_as_update_v1().value();
  Doc attacker = unlimited_doc(20);
  ASSERT_TRUE(attacker.apply_update_v1(victim_update).ok());
  auto sv = attacker.state_vector_v1();
  attacker.transact(0, [&] {
    Branch* b = attacker.impl()->get_root("m")->map.at("v")->content.x->branch;
    Map cur(b);
    for (int i = 0; i < 64; ++i) cur = cur.set_map("k");  // depths 2..65 once (10, 1) exists
  });
  Bytes hanging = attacker.encode_state_as_update_v1(sv).value();

  Doc server;  // default limits
  ASSERT_TRUE(server.apply_update_v1(hanging).ok());  // parent unknown yet: pending
  EXPECT_TRUE(server.has_pending());
  auto r = server.apply_update_v1(victim_update);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(server.has_pending());
  const std::string json = server.root_to_json("m", TypeKind::Map);
  EXPECT_NE(json.find(R"("a":1)"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("v":{})"), std::string::npos) << json;
}

TEST(LimitsTest, MapKeyLimitRefusesWholeUpdate) {
  Doc author = unlimited_doc(1);
  Doc server(DocOptions{}, Limits{.max_type_depth = 64, .max_map_keys = 100});
  auto sv0 = author.state_vector_v1();
  author.transact(0, [&] {
    Map m = author.get_map("m");
    for (int i = 0; i < 100; ++i) m.set_json("k" + std::to_string(i), "1");
  });
  ASSERT_TRUE(server.apply_update_v1(author.encode_state_as_update_v1(sv0).value()).ok());
  auto sv1 = author.state_vector_v1();
  author.transact(0, [&] {
    Map m = author.get_map("m");
    m.set_json("k0", "2");  // an existing key: fine on its own
    m.set_json("one-too-many", "1");
  });
  Bytes over = author.encode_state_as_update_v1(sv1).value();
  auto r = server.apply_update_v1(over);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, kErrLimit);
  EXPECT_EQ(server.get_map("m").size(), 100u);
  EXPECT_EQ(server.get_map("m").get_json("k0").value_or(""), "1");  // all or nothing
  // The same keys fit a limit one larger (the overwrite of k0 adds no key).
  Doc server2(DocOptions{}, Limits{.max_type_depth = 64, .max_map_keys = 101});
  ASSERT_TRUE(server2.apply_update_v1(author.encode_state_as_update_v1(sv0).value()).ok());
  EXPECT_EQ(server2.get_map("m").size(), 101u);
}

// An `any` object with n keys as a ContentAny map value: {"k0":0,"k1":1,...}.
std::string wide_json(size_t n) {
  std::string s = "{";
  for (size_t i = 0; i < n; ++i) {
    if (i) s += ',';
    s += "\"k" + std::to_string(i) + "\":" + std::to_string(i);
  }
  return s + "}";
}

TEST(LimitsTest, WideJsonObjectsParseWithJsSemanticsUpToTheLimit) {
  auto ok = parse_json(wide_json(kMaxObjectKeys));
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok.value().object.size(), kMaxObjectKeys);
  EXPECT_EQ(ok.value().object[1234].first, "k1234");
  EXPECT_FALSE(parse_json(wide_json(kMaxObjectKeys + 1)).ok());
  EXPECT_FALSE(parse_json(wide_json(80000)).ok());  // issue 14's awareness state
  // Repeated keys keep their first place and last value; integer keys come first.
  auto js = parse_json(R"({"b":1,"10":2,"a":3,"b":4,"2":5,"10":6})");
  ASSERT_TRUE(js.ok());
  EXPECT_EQ(to_json(js.value()), R"({"2":5,"10":6,"b":4,"a":3})");
}

// A v1 update setting root map "m" key "wide" to an `any` object of n keys.
Bytes wide_any_update(size_t n) {
  Any obj;
  obj.kind = Any::Kind::Object;
  for (size_t i = 0; i < n; ++i) obj.object.emplace_back("k" + std::to_string(i), Any::from_number(double(i)));
  Content c;
  c.kind = ContentKind::Any;
  c.extra().any.push_back(std::move(obj));
  Encoder enc;
  enc.write_var_uint(1);  // one client
  enc.write_var_uint(1);  // one struct
  enc.write_var_uint(7);  // client 7
  enc.write_var_uint(0);  // clock 0
  ParentInfo p;
  p.kind = ParentKind::Root;
  p.name = "m";
  std::string key = "wide";
  write_item_v1(enc, {7, 0}, 0, false, {}, false, {}, p, &key, c);
  enc.write_var_uint(0);  // empty delete set
  return enc.take();
}

TEST(LimitsTest, WideAnyObjectDecodesUpToTheLimitAndIsRefusedPast) {
  for (size_t n : {kMaxObjectKeys, size_t{80000}}) {
    Doc server;
    auto r = server.apply_update_v1(wide_any_update(n));
    if (n <= kMaxObjectKeys) {
      ASSERT_TRUE(r.ok()) << r.error().message;
      auto v = parse_json(server.get_map("m").get_json("wide").value_or(""));
      ASSERT_TRUE(v.ok());
      EXPECT_EQ(v.value().object.size(), n);
      EXPECT_EQ(v.value().object.back().first, "k" + std::to_string(n - 1));
    } else {
      ASSERT_FALSE(r.ok());
      EXPECT_EQ(server.get_map("m").size(), 0u);
      EXPECT_EQ(server.state_vector_v1(), Bytes{0});
    }
  }
}

TEST(LimitsTest, DeepAnyValuesAreRefused) {
  std::string deep(kMaxAnyDepth + 10, '[');
  deep += std::string(kMaxAnyDepth + 10, ']');
  EXPECT_FALSE(parse_json(deep).ok());
}

}  // namespace
}  // namespace mockloop::crdt
