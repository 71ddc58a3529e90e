// Document behaviour checked against bytes produced by Yjs 13.6.33 (node, tests/js).
#include "crdt/doc.hpp"

#include <gtest/gtest.h>

#include "crdt/crdt.hpp"
#include "test_util.hpp"

using namespace mockloop::crdt;
using crdt_test::from_hex;
using crdt_test::to_hex;

namespace {

std::string state_hex(const Doc& d) { return to_hex(d.encode_state_as_update_v1().value()); }

}  // namespace

// JS: d.clientID = 1; t = d.getText('t'); t.insert(0,'h'); t.insert(1,'e'); t.insert(2,'l');
// t.insert(3,'l'); t.insert(4,'o'); t.delete(1,2); t.insert(1,'EY'); t.insert(0,'😀x')
TEST(DocTest, LocalTypingMatchesYjsUpdatesAndState) {
  Doc d(DocOptions{1, true});
  std::vector<std::string> ups;
  d.observe_update_v1([&](ByteView u, Origin) { ups.push_back(to_hex(u)); });
  Text t = d.get_text("t");
  t.insert(0, "h");
  t.insert(1, "e");
  t.insert(2, "l");
  t.insert(3, "l");
  t.insert(4, "o");
  t.remove(1, 2);
  t.insert(1, "EY");
  t.insert(0, "\xF0\x9F\x98\x80x");
  std::vector<std::string> expected = {
      "0101010004010174016800",        "01010101840100016500",
      "01010102840101016c00",          "01010103840102016c00",
      "01010104840103016f00",          "000101010102",
      "01010105c40102010302455900",    "0101010744010005f09f98807800"};
  EXPECT_EQ(ups, expected);
  EXPECT_EQ(state_hex(d),
            "0105010004010174016881010002840102026c6fc40102010302455944010005f09f9880780101010102");
  EXPECT_EQ(t.to_string(), "\xF0\x9F\x98\x80xhEYlo");
  EXPECT_EQ(t.length(), 8u);
  EXPECT_EQ(to_hex(d.state_vector_v1()), "01010a");
}

// JS: d.clientID = 7; m = d.getMap('m'); a = d.getArray('a'); m.set('x', 1); m.set('y', 'str');
// m.set('x', {k: [1, 2.5, null, true]}); m.delete('y'); a.insert(0, [1]); a.insert(1, ['two']);
// a.insert(0, [false]); sub = new Y.Map(); m.set('sub', sub); sub.set('q', -3);
// st = new Y.Text(); a.insert(1, [st]); st.insert(0, 'abc'); a.delete(0, 1)
TEST(DocTest, MapAndArrayMatchYjsState) {
  Doc d(DocOptions{7, true});
  Map m = d.get_map("m");
  Array a = d.get_array("a");
  m.set_json("x", "1");
  m.set_json("y", "\"str\"");
  m.set_json("x", R"({"k":[1,2.5,null,true]})");
  m.remove("y");
  a.insert_json(0, "1");
  a.insert_json(1, "\"two\"");
  a.insert_json(0, "false");
  Map sub = m.set_map("sub");
  sub.set_json("q", "-3");
  Text st = a.insert_text(1);
  st.insert(0, "abc");
  a.remove(0, 1);
  EXPECT_EQ(state_hex(d),
            "010907002101016d0178012101016d017901a80700017601016b75047d017c402000007e7808010161027d"
            "01770374776f410703012701016d0373756201280007060171017d43c70705070302040007080361626301"
            "070200020501");
  EXPECT_EQ(a.to_json(), R"(["abc",1,"two"])");
  EXPECT_EQ(m.get_json("x").value(), R"({"k":[1,2.5,null,true]})");
  EXPECT_EQ(sub.to_json(), R"({"q":-3})");
  EXPECT_FALSE(m.get_json("y").has_value());
}

// Two clients insert concurrently at the same position and exchange updates (Yjs result:
// "aXXYbc"; client 1 = d1 typed "XX", client 2 = d2 typed "YY" then deleted one Y).
TEST(DocTest, ConcurrentInsertsConvergeToYjsOrder) {
  Doc d1(DocOptions{1, true});
  d1.get_text("t").insert(0, "abc");
  ASSERT_EQ(state_hex(d1), "01010100040101740361626300");
  Doc d2(DocOptions{2, true});
  ASSERT_TRUE(d2.apply_update_v1(from_hex("01010100040101740361626300")).ok());
  std::vector<Bytes> u1, u2;
  d1.observe_update_v1([&](ByteView u, Origin) { u1.emplace_back(u.begin(), u.end()); });
  d2.observe_update_v1([&](ByteView u, Origin) { u2.emplace_back(u.begin(), u.end()); });
  d1.get_text("t").insert(1, "XX");
  d2.get_text("t").insert(1, "YY");
  d2.get_text("t").remove(2, 1);
  ASSERT_EQ(u1.size(), 1u);
  ASSERT_EQ(u2.size(), 2u);
  EXPECT_EQ(to_hex(u1[0]), "01010103c40100010102585800");
  EXPECT_EQ(to_hex(u2[0]), "01010200c40100010102595900");
  EXPECT_EQ(to_hex(u2[1]), "000102010101");
  auto a = u1;
  auto b = u2;
  for (auto& u : a) ASSERT_TRUE(d2.apply_update_v1(u).ok());
  for (auto& u : b) ASSERT_TRUE(d1.apply_update_v1(u).ok());
  EXPECT_EQ(d1.get_text("t").to_string(), "aXXYbc");
  EXPECT_EQ(d2.get_text("t").to_string(), "aXXYbc");
  const char* expected =
      "02020200c4010001010159c10200010101030100040101740161840100026263c4010001010258580102010101";
  EXPECT_EQ(state_hex(d1), expected);
  EXPECT_EQ(state_hex(d2), expected);
}

// JS: d.clientID = 3; t.insert(0, 'hello world'); t.format(0, 5, {bold: true});
// t.insert(5, '!', {italic: true}); t.format(3, 5, {bold: null, color: '#f00'}); t.delete(2, 2)
TEST(DocTest, FormattingMatchesYjsStateAndDelta) {
  Doc d(DocOptions{3, true});
  Text t = d.get_text("t");
  t.insert(0, "hello world");
  t.format(0, 5, R"({"bold":true})");
  t.insert(5, "!", R"({"italic":true})");
  t.format(3, 5, R"({"bold":null,"color":"#f00"})");
  t.remove(2, 2);
  EXPECT_EQ(state_hex(d),
            "010e0300040101740268658103010181030201840303016f840304022077840306046f726c6446030004"
            "626f6c640474727565c10304030501c6030c0305066974616c69630474727565c4030d03050121c6030e"
            "0305066974616c6963046e756c6cc60302030304626f6c64046e756c6cc60310030305636f6c6f720622"
            "2366303022c60306030705636f6c6f72046e756c6c01030202020c01");
  EXPECT_EQ(t.to_delta_json(),
            R"([{"insert":"he","attributes":{"bold":true}},{"insert":"o","attributes":{"color":"#f00"}},)"
            R"({"insert":"!","attributes":{"color":"#f00","italic":true}},{"insert":" w","attributes":{"color":"#f00"}},)"
            R"({"insert":"orld"}])");
}
