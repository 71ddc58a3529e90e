// The HTML debrief: the whiteboard rendered to SVG from the stored Yjs doc, the final code,
// each author's notes (and the earlier shared notes), escaping of everything participants
// typed, and the decision shown.
#include "loop/board_svg.hpp"
#include "loop/crdt_round_docs.hpp"
#include "loop/debrief_report.hpp"
#include "loop/doc_names.hpp"

#include "crdt/doc.hpp"
#include "loop_fixture.hpp"
#include "store/doc_store.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

namespace {

// A shared doc as the web client writes it (docs/board-model.md), as one v1 update.
store::Bytes board_doc_update() {
  crdt::Doc doc;
  auto board = doc.get_map("board");
  board.set_json("version", "1");
  auto shapes = board.set_map("shapes");
  auto a = shapes.set_map("a");
  a.set_json("type", R"("rect")");
  for (auto [k, v] : {std::pair{"x", "10"}, {"y", "10"}, {"w", "120"}, {"h", "60"}, {"z", "1"}}) a.set_json(k, v);
  a.set_json("text", R"("API <gateway>")");
  a.set_json("fontSize", "12");  // one line at 12 units in the 120-wide box (16 would wrap it)
  auto b = shapes.set_map("b");
  b.set_json("type", R"("ellipse")");
  for (auto [k, v] : {std::pair{"x", "300"}, {"y", "10"}, {"w", "100"}, {"h", "60"}, {"z", "2"}}) b.set_json(k, v);
  b.set_json("color", R"x("#ff0000\" onload=\"alert(1)")x");
  auto arrow = shapes.set_map("c");
  arrow.set_json("type", R"("arrow")");
  for (auto [k, v] : {std::pair{"x", "0"}, {"y", "0"}, {"w", "0"}, {"h", "0"}, {"z", "3"}}) arrow.set_json(k, v);
  arrow.set_json("points", "[130, 40, 300, 40]");
  arrow.set_json("from", R"("a")");
  arrow.set_json("to", R"("b")");
  auto db = shapes.set_map("e");  // a system-design icon from the shared shape library
  db.set_json("type", R"("icon")");
  db.set_json("kind", R"("database")");
  for (auto [k, v] : {std::pair{"x", "10"}, {"y", "200"}, {"w", "140"}, {"h", "90"}}) db.set_json(k, v);  // no z: 0
  db.set_json("text", R"("Orders DB")");
  auto broken = shapes.set_map("d");
  broken.set_json("type", R"("rect")");  // no coordinates: skipped
  doc.get_text("code").insert(0, "def lru(): return \"<cache>\"\n");
  return doc.encode_state_as_update_v1().value();
}

// Issue 14: a chain of `depth` nested maps planted under the board ("board" -> "deep" ->
// "k" -> "k" ...), as one update, and the update that deletes its top.
std::pair<store::Bytes, store::Bytes> deep_board_chain(int depth) {
  crdt::Limits unbounded;
  unbounded.max_type_depth = UINT32_MAX;
  crdt::Doc doc(crdt::DocOptions{}, unbounded);
  doc.transact(0, [&] {
    auto cur = doc.get_map("board").set_map("deep");
    for (int i = 0; i < depth; ++i) cur = cur.set_map("k");
  });
  auto chain = doc.encode_state_as_update_v1().value();
  auto sv = doc.state_vector_v1();
  doc.transact(0, [&] { doc.get_map("board").remove("deep"); });
  return {chain, doc.encode_state_as_update_v1(sv).value()};
}

// A notes doc as the web client writes it: Y.Text "notes".
store::Bytes notes_update(const std::string& text) {
  crdt::Doc doc;
  doc.get_text("notes").insert(0, text);
  return doc.encode_state_as_update_v1().value();
}

constexpr int kDeepChain = 100000;  // far past what recursion per level survives

}  // namespace

TEST(BoardSvg, DeepChainUnderTheBoardDoesNotCrashTheRender) {
  auto [chain, delete_top] = deep_board_chain(kDeepChain);
  store::StoredDoc stored;
  stored.updates.push_back(board_doc_update());
  stored.updates.push_back(chain);
  auto a = artifacts_from_updates(stored);  // renders the board with the chain in it
  EXPECT_NE(a.board_svg.find("API &lt;gateway&gt;"), std::string::npos);
  EXPECT_EQ(a.note, "");
  stored.updates.push_back(delete_top);  // delete + GC of the whole chain, then render
  a = artifacts_from_updates(stored);
  EXPECT_NE(a.board_svg.find("API &lt;gateway&gt;"), std::string::npos);
  EXPECT_EQ(a.note, "");
}

TEST(BoardSvg, RendersShapesInZOrderAndEscapes) {
  const auto board = nlohmann::json::parse(R"x({"shapes":{
    "s2":{"type":"text","x":0,"y":0,"w":200,"h":10,"z":5,"text":"<script>x</script>"},
    "s1":{"type":"diamond","x":0,"y":0,"w":40,"h":40,"z":1,"fill":"url(javascript:1)"},
    "s3":{"type":"freehand","x":0,"y":0,"w":0,"h":0,"z":2,"points":[0,0,5,5,9,1]},
    "bad":{"type":"hexagon","x":0,"y":0,"w":1,"h":1,"z":0}}})x");
  const auto svg = render_board_svg(board);
  ASSERT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_NE(svg.find("&lt;script&gt;"), std::string::npos);
  EXPECT_EQ(svg.find("<script>"), std::string::npos);
  EXPECT_EQ(svg.find("javascript"), std::string::npos);
  EXPECT_LT(svg.find("<polygon"), svg.find("<polyline"));
  EXPECT_LT(svg.find("<polyline"), svg.find("<text"));
  EXPECT_EQ(render_board_svg(nlohmann::json::parse(R"({"shapes":{}})")), "");
  EXPECT_EQ(render_board_svg(nlohmann::json::parse("[]")), "");
}

TEST(BoardSvg, AttachedArrowLeavesTheBoxEdges) {
  store::StoredDoc stored;
  stored.updates.push_back(board_doc_update());
  auto a = artifacts_from_updates(stored);
  EXPECT_NE(a.board_svg.find("<rect x=\"10\" y=\"10\" width=\"120\" height=\"60\""), std::string::npos)
      << a.board_svg;
  // Centres (70,40) and (350,40): the arrow runs from the rect's right edge to the ellipse's
  // left edge; the line stops at the base of the 12-unit head whose tip is on the edge.
  EXPECT_NE(a.board_svg.find("<line x1=\"130\" y1=\"40\" x2=\"288\" y2=\"40\""), std::string::npos) << a.board_svg;
  EXPECT_NE(a.board_svg.find("<polygon points=\"300,40 "), std::string::npos) << a.board_svg;
  // The icon shape (no z) is drawn, with the database cylinder of the shared library.
  EXPECT_NE(a.board_svg.find("data-shape-type=\"icon\""), std::string::npos) << a.board_svg;
  EXPECT_NE(a.board_svg.find("M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3z"), std::string::npos) << a.board_svg;
  EXPECT_NE(a.board_svg.find(">Orders DB</text>"), std::string::npos) << a.board_svg;
  EXPECT_NE(a.board_svg.find("API &lt;gateway&gt;"), std::string::npos);
  EXPECT_EQ(a.board_svg.find("onload"), std::string::npos) << "a bad colour falls back to the default";
  EXPECT_EQ(a.code, "def lru(): return \"<cache>\"\n");
}

// A loop whose round 1 has a submitted scorecard, with the HTML debrief reading round
// documents from the same database file through their own connection, as the server does.
class DebriefHtml : public LoopFixture {
 protected:
  void SetUp() override {
    LoopFixture::SetUp();
    docs_db_ = std::move(store::Database::open(path_.string()).value());
    auto docs = CrdtRoundDocs::open(*docs_db_);
    ASSERT_TRUE(docs.ok()) << docs.error().message;
    docs_ = *docs;
    open_service();
    create_l6_loop();
  }
  void TearDown() override {
    router_.reset();
    service_.reset();  // holds docs_, which reads through docs_db_
    docs_.reset();
    docs_db_.reset();
    LoopFixture::TearDown();
  }
  // Stores `updates` as round 1's shared document (the room server's writer) and submits
  // iv1's scorecard for that round.
  void write_round1_doc_and_submit(const std::vector<store::Bytes>& updates) {
    const std::string name = doc_names::round_doc(loop_json_["rounds"][1]["roomId"].get<std::string>());
    {
      auto writer_db = store::Database::open(path_.string());
      auto writer = store::DocStore::open(**writer_db);
      ASSERT_TRUE(writer.ok());
      std::vector<store::DocUpdate> us;
      for (const auto& u : updates) us.push_back({name, u});
      ASSERT_TRUE((*writer)->append_batch(std::span<const store::DocUpdate>(us)).ok());
    }
    ASSERT_EQ(call("PUT", round_path(1) + "/scorecard", tokens_["iv1"], draft()).status, 200);
    ASSERT_EQ(call("POST", round_path(1) + "/scorecard/submit", tokens_["iv1"]).status, 200);
  }

  std::unique_ptr<store::Database> docs_db_;
};

TEST_F(DebriefHtml, IncludesEachRoundsBoardAndCode) {
  write_round1_doc_and_submit({board_doc_update()});
  auto r = call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_["host"], "", "text/html");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("<svg"), std::string::npos);
  EXPECT_NE(r.body.find("API &lt;gateway&gt;"), std::string::npos);
  EXPECT_NE(r.body.find("def lru(): return &quot;&lt;cache&gt;&quot;"), std::string::npos);
  EXPECT_NE(r.body.find("Lin"), std::string::npos);
  EXPECT_NE(r.body.find("id=\"decision\""), std::string::npos);
  EXPECT_EQ(r.body.find("<script"), std::string::npos);
  EXPECT_EQ(r.body.find("http://"), r.body.find("http://www.w3.org/2000/svg")) << "self-contained";
  // Opened by its URL, the report is a sandboxed document (opaque origin, no scripts).
  std::string csp;
  for (const auto& [name, value] : r.headers)
    if (name == "Content-Security-Policy") csp = value;
  EXPECT_EQ(csp.rfind("sandbox;", 0), 0u) << csp;
  EXPECT_NE(csp.find("default-src 'none'"), std::string::npos) << csp;
  EXPECT_EQ(call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_["candidate"], "", "text/html").status, 403);
}

TEST(DebriefReport, DisagreementIsHighlighted) {
  v1::Debrief d;
  d.mutable_loop()->set_title("T <1>");
  auto* o = d.add_rounds();
  o->set_title("Coding 1");
  o->set_disagreement(true);
  o->set_disagreement_note("ratings range from no hire to hire");
  const auto html = render_debrief_html(d, {});
  EXPECT_NE(html.find("class=\"disagree\""), std::string::npos);
  EXPECT_NE(html.find("Disagreement: ratings range"), std::string::npos);
  EXPECT_NE(html.find("T &lt;1&gt;"), std::string::npos);
}

TEST_F(DebriefHtml, DeepChainUnderTheBoardDoesNotCrashTheDebrief) {
  auto [chain, delete_top] = deep_board_chain(kDeepChain);
  write_round1_doc_and_submit({board_doc_update(), chain, delete_top});
  for (int i = 0; i < 2; ++i) {  // every debrief, not just the first
    auto r = call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_["host"], "", "text/html");
    ASSERT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("API &lt;gateway&gt;"), std::string::npos);
  }
}

TEST_F(DebriefHtml, ShowsEachAuthorsNotesOfEachRound) {
  auto docs_db = store::Database::open(path_.string());
  ASSERT_TRUE(docs_db.ok());
  auto docs = CrdtRoundDocs::open(**docs_db);
  ASSERT_TRUE(docs.ok()) << docs.error().message;
  docs_ = *docs;
  open_service();
  create_l6_loop();
  std::map<std::string, std::string> pid;
  for (const auto& p : loop_json_["participants"]) pid[p["displayName"]] = p["id"];
  const std::string room1 = loop_json_["rounds"][1]["roomId"], room2 = loop_json_["rounds"][2]["roomId"];
  {
    auto writer_db = store::Database::open(path_.string());
    auto writer = store::DocStore::open(**writer_db);
    ASSERT_TRUE(writer.ok());
    // DocUpdate borrows its name and bytes: keep them alive until the batch is written.
    const std::vector<std::pair<std::string, store::Bytes>> owned{
        {doc_names::notes_doc(room1, pid["Lin"]), notes_update("[0:05] LIN-ONE asks <why>\n[1:10] LIN-TWO")},
        {doc_names::notes_doc(room1, pid["Kai"]), notes_update("[0:07] KAI-ONE")},
        {doc_names::notes_doc(room2, pid["Lin"]), notes_update("[3:00] LIN-ROUND-THREE")},
        {doc_names::notes_doc(room1, pid["Ada"]), notes_update("PLANTED-BY-NOBODY")},  // candidates keep no notes
        {doc_names::private_doc(room1), notes_update("OLD-SHARED-NOTES")},
    };
    std::vector<store::DocUpdate> us;
    for (const auto& [name, bytes] : owned) us.push_back({name, bytes});
    ASSERT_TRUE((*writer)->append_batch(std::span<const store::DocUpdate>(us)).ok());
  }
  for (const auto& reader : {"host", "bar_raiser"}) {
    SCOPED_TRACE(reader);
    auto r = call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_[reader], "", "text/html");
    ASSERT_EQ(r.status, 200) << r.body;
    const auto& b = r.body;
    // Each author's text intact and in order, escaped, under their round.
    const auto lin = b.find("[0:05] LIN-ONE asks &lt;why&gt;\n[1:10] LIN-TWO");
    const auto kai = b.find("[0:07] KAI-ONE");
    const auto round3 = b.find("LIN-ROUND-THREE");
    ASSERT_NE(lin, std::string::npos);
    ASSERT_NE(kai, std::string::npos);
    ASSERT_NE(round3, std::string::npos);
    EXPECT_LT(std::max(lin, kai), round3) << "round 2's notes come after round 1's";
    EXPECT_NE(b.find("data-author=\"Lin\""), std::string::npos);
    EXPECT_NE(b.find("Earlier shared notes"), std::string::npos);
    EXPECT_NE(b.find("OLD-SHARED-NOTES"), std::string::npos);
    EXPECT_EQ(b.find("PLANTED-BY-NOBODY"), std::string::npos);
    EXPECT_EQ(b.find("<why>"), std::string::npos);
  }
  // Everyone else is refused the whole report.
  for (const auto& reader : {"iv1", "iv2", "observer", "candidate"})
    EXPECT_EQ(call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_[reader], "", "text/html").status, 403);
}

TEST(DebriefReport, NotesAreEscapedAndLabelled) {
  v1::Debrief d;
  d.mutable_loop()->add_rounds()->set_title("Coding");
  d.add_rounds()->set_title("Coding");
  RoundArtifacts a;
  a.notes.push_back(AuthorNotes{"Lin <b>", "Interviewer", "<script>alert(1)</script>"});
  const auto html = render_debrief_html(d, {a});
  EXPECT_NE(html.find("Lin &lt;b&gt; <small>(Interviewer)</small>"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(html.find("<script>"), std::string::npos);
  EXPECT_EQ(render_debrief_html(d, {RoundArtifacts{}}).find("class=\"notes\""), std::string::npos);
}

TEST(DebriefReport, NotesFromUpdatesReadsTheNotesText) {
  store::StoredDoc stored;
  EXPECT_EQ(notes_from_updates(stored), "");
  stored.updates.push_back(notes_update("[0:01] hello"));
  EXPECT_EQ(notes_from_updates(stored), "[0:01] hello");
}
