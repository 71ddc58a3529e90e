// restore_update (issue 19): the update that makes the live doc's board or code pad equal to a
// snapshot's, applied to a copy of the live doc, gives exactly the snapshot's content and
// leaves the other shared type alone; nothing to do is an empty update; the board's version
// is never lowered. (That Yjs clients read the same is integration/snapshots.test.mjs.)
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "crdt/doc.hpp"
#include "loop/snapshot_restore.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using nlohmann::json;

namespace {

crdt::Bytes encode(const crdt::Doc& d) { return d.encode_state_as_update_v1().value(); }

// A live doc: a v2 board with shapes a (moved later), b (deleted later), c (added later), code.
crdt::Doc live_doc() {
  crdt::Doc d;
  d.transact(0, [&] {
    auto board = d.get_map("board");
    board.set_json("version", "2");
    auto shapes = board.set_map("shapes");
    auto a = shapes.set_map("a");
    a.set_json("type", "\"rect\"");
    a.set_json("x", "500");
    a.set_json("text", "\"Cache\"");
    a.set_json("fill", "\"#fde68a\"");
    auto c = shapes.set_map("c");
    c.set_json("type", "\"text\"");
    c.set_json("x", "9");
    d.get_text("code").insert(0, "class LRU:\n    pass  # 😀 later\n");
    d.get_map("codepad").set_json("language", "\"java\"");
  });
  return d;
}

const json kWantBoard = json::parse(R"({"version":1,"shapes":{
  "a":{"type":"rect","x":40,"text":"Cache","points":[1,2,3,4]},
  "b":{"type":"ellipse","x":300,"text":"DB"}}})");

json board_of(crdt::Doc& d) { return json::parse(d.root_to_json("board", crdt::TypeKind::Map)); }

}  // namespace

TEST(SnapshotRestore, TheBoardBecomesTheSnapshotsAndTheCodeStays) {
  auto live = live_doc();
  RestoreWanted want;
  want.board = kWantBoard;
  auto u = restore_update(encode(live), RestoreTarget::board, want);
  ASSERT_TRUE(u.ok()) << u.error().message;
  ASSERT_FALSE(u->empty());
  ASSERT_TRUE(live.apply_update_v1(*u).ok());
  json expect = kWantBoard;
  expect["version"] = 2;  // never lowered
  EXPECT_EQ(board_of(live), expect);
  EXPECT_EQ(live.get_text("code").to_string(), "class LRU:\n    pass  # 😀 later\n");
  // Applying it again, or restoring to what is there, changes nothing.
  auto again = restore_update(encode(live), RestoreTarget::board, want);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->empty());
}

TEST(SnapshotRestore, TheCodeBecomesTheSnapshotsWithItsLanguage) {
  for (const std::string wanted : {"", "class LRU:\n    def get(self, k): 😀\n", "x", "class LRU:\n    pass  # 😀 later\n"}) {
    SCOPED_TRACE(wanted);
    auto live = live_doc();
    const json board_before = board_of(live);
    RestoreWanted want;
    want.code = wanted;
    want.language = wanted.empty() ? "" : "python";
    auto u = restore_update(encode(live), RestoreTarget::code, want);
    ASSERT_TRUE(u.ok()) << u.error().message;
    ASSERT_TRUE(live.apply_update_v1(*u).ok());
    EXPECT_EQ(live.get_text("code").to_string(), wanted);
    const auto pad = json::parse(live.root_to_json("codepad", crdt::TypeKind::Map));
    if (wanted.empty()) EXPECT_FALSE(pad.contains("language"));
    else EXPECT_EQ(pad["language"], "python");
    EXPECT_EQ(board_of(live), board_before);
  }
}

TEST(SnapshotRestore, AnEmptySnapshotEmptiesTheBoardButKeepsItsShapesMap) {
  auto live = live_doc();
  auto u = restore_update(encode(live), RestoreTarget::board, RestoreWanted{});
  ASSERT_TRUE(u.ok());
  ASSERT_TRUE(live.apply_update_v1(*u).ok());
  EXPECT_EQ(board_of(live), json::parse(R"({"version":2,"shapes":{}})"));
}

TEST(SnapshotRestore, AnEmptyLiveDocGetsTheSnapshot) {
  RestoreWanted want;
  want.board = kWantBoard;
  auto u = restore_update({}, RestoreTarget::board, want);
  ASSERT_TRUE(u.ok());
  crdt::Doc d;
  ASSERT_TRUE(d.apply_update_v1(*u).ok());
  EXPECT_EQ(board_of(d), kWantBoard);
}

TEST(SnapshotRestore, ALiveStateThatDoesNotDecodeIsRefused) {
  const std::vector<uint8_t> junk = {0xff, 0xff, 0xff, 0x01, 0x02};
  auto u = restore_update(junk, RestoreTarget::code, RestoreWanted{});
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().code, Errc::invalid_argument);
}
