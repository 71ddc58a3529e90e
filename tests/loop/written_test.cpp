// The written work (issue 21): assignment lifecycle over the REST router (assign, questions
// until the cut-off, submit, frozen versions, a new draft), who may open which written doc,
// what the candidate's answers and reports leave out, and Markdown with hostile input.
#include <mutex>

#include "loop/doc_access.hpp"
#include "loop/markdown.hpp"
#include "loop/written_report.hpp"
#include "loop_fixture.hpp"

namespace mockloop::loop {
namespace {

using namespace testing;

constexpr const char* kStaffSecret = "STAFF-ONLY-COMMENT-5d2e";
constexpr const char* kCandidateComment = "Quantify the savings in the summary";

// Written docs as the server would read them: a draft text and comment maps per doc.
// int64 fields arrive as JSON strings (the protobuf JSON mapping).
int64_t ms(const nlohmann::json& j) { return j.is_string() ? std::stoll(j.get<std::string>()) : j.get<int64_t>(); }

class FakeWrittenDocs final : public RoundDocs {
 public:
  RoundArtifacts load(std::string_view) override { return {}; }
  std::string load_notes(std::string_view) override { return {}; }
  std::string load_text(std::string_view doc, std::string_view field) override {
    std::lock_guard lock(mu);
    return field == "text" && texts.count(std::string(doc)) ? texts[std::string(doc)] : "";
  }
  std::string load_map_json(std::string_view doc, std::string_view) override {
    std::lock_guard lock(mu);
    return maps.count(std::string(doc)) ? maps[std::string(doc)] : "{}";
  }
  std::mutex mu;  // guards texts and maps
  std::map<std::string, std::string> texts, maps;
};

class WrittenTest : public LoopFixture {
 protected:
  void SetUp() override {
    fake_ = std::make_shared<FakeWrittenDocs>();
    docs_ = fake_;
    LoopFixture::SetUp();
    create_l6_loop();
    base_ = "/api/loops/" + loop_id_ + "/written";
  }

  // Assigns a bank prompt due in `days`; returns the assignment JSON.
  nlohmann::json assign(int days = 14) {
    const int64_t due = clock_.now() + int64_t{days} * 86'400'000;
    auto r = call("POST", base_, tokens_["host"],
                  R"({"kind":"WRITTEN_KIND_SIX_PAGER","promptId":"fraud-realtime","dueAtMs":)" + std::to_string(due) + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r);
  }

  std::string ask(const std::string& who, const std::string& aid, const std::string& text, int want) {
    auto r = call("POST", base_ + "/" + aid + "/questions", tokens_[who], nlohmann::json{{"text", text}}.dump());
    EXPECT_EQ(r.status, want) << who << ": " << r.body;
    return r.body;
  }

  net::Response submit(const std::string& aid, const std::string& expected, const std::string& who = "candidate") {
    return call("POST", base_ + "/" + aid + "/submit", tokens_[who], nlohmann::json{{"expectedText", expected}}.dump());
  }

  std::shared_ptr<FakeWrittenDocs> fake_;
  std::string base_;
};

TEST_F(WrittenTest, AssignmentLifecycleQuestionsUntilCutoffThenFrozenVersions) {
  auto a = assign(14);
  const std::string aid = a["id"];
  EXPECT_EQ(a["title"], "Real-time fraud detection at 100M transactions a day");
  EXPECT_EQ(a["template"]["wordsPerPage"], 500);
  // Default cut-off: one week before the due date.
  EXPECT_EQ(ms(a["questionsCutoffMs"]), ms(a["dueAtMs"]) - 7 * 86'400'000LL);
  EXPECT_EQ(a["draftDoc"], "written-" + aid);

  // Only the host assigns.
  for (const char* who : {"iv1", "bar_raiser", "candidate", "observer"})
    EXPECT_EQ(call("POST", base_, tokens_[who], R"({"kind":"WRITTEN_KIND_PRFAQ","promptId":"global-cdn","dueAtMs":1})")
                  .status,
              403)
        << who;

  // The candidate sees the assignment, without the staff-only doc and without the bank.
  auto list = json(call("GET", base_, tokens_["candidate"]));
  ASSERT_EQ(list["assignments"].size(), 1u);
  EXPECT_FALSE(list["assignments"][0].contains("staffDoc"));
  EXPECT_FALSE(list.contains("prompts"));
  EXPECT_EQ(json(call("GET", base_, tokens_["iv1"]))["assignments"][0]["staffDoc"], "written-" + aid + "-staff");
  EXPECT_GE(json(call("GET", base_, tokens_["host"]))["prompts"].size(), 5u);

  // Questions: the candidate asks, the host answers, interviewers only read.
  ask("candidate", aid, "Is the 100 ms budget end to end?", 201);
  ask("host", aid, "Yes, from the card swipe to the decision.", 201);
  ask("iv1", aid, "May I?", 403);
  auto thread = json(call("GET", base_ + "/" + aid + "/questions", tokens_["iv1"]));
  ASSERT_EQ(thread["questions"].size(), 2u);
  EXPECT_EQ(thread["questions"][0]["role"], "Candidate");
  EXPECT_TRUE(thread["open"].get<bool>());

  // After the cut-off: a typed 409, nothing stored.
  clock_.advance(8 * 86'400'000LL);
  const auto refused = nlohmann::json::parse(ask("candidate", aid, "One more?", 409));
  EXPECT_EQ(refused["error"]["code"], "conflict");
  thread = json(call("GET", base_ + "/" + aid + "/questions", tokens_["candidate"]));
  EXPECT_EQ(thread["questions"].size(), 2u);
  EXPECT_FALSE(thread.value("open", false));

  // Submit: the server's copy of the draft becomes version 1.
  const std::string draft = "# Fraud\n\n## Executive Summary\n\nStop fraud in 100 ms.\n";
  fake_->texts["written-" + aid] = draft;
  EXPECT_EQ(submit(aid, draft, "iv1").status, 403);
  auto v1r = submit(aid, draft);
  ASSERT_EQ(v1r.status, 201) << v1r.body;
  EXPECT_EQ(json(v1r)["version"], 1);
  auto location = [](const net::Response& r) {
    for (const auto& [k, v] : r.headers)
      if (k == "Location") return v;
    return std::string();
  };
  EXPECT_EQ(location(v1r), "/api/v1" + base_.substr(4) + "/" + aid + "/versions/1");

  // Later edits are a new draft; submitting again makes version 2, version 1 stays.
  const std::string draft2 = draft + "\n## Background and Context\n\nBatch scoring is a day late.\n";
  fake_->texts["written-" + aid] = draft2;
  ASSERT_EQ(submit(aid, draft2).status, 201);
  auto v1 = json(call("GET", base_ + "/" + aid + "/versions/1", tokens_["iv1"]));
  EXPECT_EQ(v1["text"], draft);
  EXPECT_NE(v1["html"].get<std::string>().find("<h2>Executive Summary</h2>"), std::string::npos);
  EXPECT_EQ(json(call("GET", base_ + "/" + aid + "/versions/2", tokens_["candidate"]))["text"], draft2);
  EXPECT_EQ(call("GET", base_ + "/" + aid + "/versions/3", tokens_["candidate"]).status, 404);
  list = json(call("GET", base_, tokens_["candidate"]));
  EXPECT_EQ(list["assignments"][0]["versions"].size(), 2u);

  // The stored versions are frozen below the service too.
  auto upd = db_->exec("UPDATE written_versions SET text = 'x' WHERE version = 1");
  EXPECT_FALSE(upd.ok());
  auto del = db_->exec("DELETE FROM written_versions");
  EXPECT_FALSE(del.ok());
}

TEST_F(WrittenTest, AnAssignmentAnswersWithItsLocation) {
  const int64_t due = clock_.now() + 14 * 86'400'000LL;
  auto r = call("POST", base_, tokens_["host"],
                R"({"kind":"WRITTEN_KIND_PRFAQ","promptId":"global-cdn","dueAtMs":)" + std::to_string(due) + "}");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string where;
  for (const auto& [k, v] : r.headers)
    if (k == "Location") where = v;
  const std::string aid = json(r)["id"];
  EXPECT_EQ(where, "/api/v1/loops/" + loop_id_ + "/written/" + aid + "/questions");
  EXPECT_EQ(call("GET", where, tokens_["candidate"]).status, 200);
}

TEST_F(WrittenTest, SubmitRefusesWhileTheServersDraftDiffers) {
  const std::string aid = assign()["id"];
  fake_->texts["written-" + aid] = "old text";
  auto r = submit(aid, "newer text the server has not seen");
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_EQ(submit(aid, "").status, 409);
  fake_->texts["written-" + aid] = "   \n";
  EXPECT_EQ(submit(aid, "   \n").status, 400);  // empty
}

TEST_F(WrittenTest, CustomTopicAndBadInputAreRefusedWithNothingStored) {
  const std::string due = std::to_string(clock_.now() + 3 * 86'400'000LL);
  auto r = call("POST", base_, tokens_["host"],
                R"({"kind":"WRITTEN_KIND_PRFAQ","title":"Our own topic","prompt":"Write about X.","dueAtMs":)" + due + "}");
  ASSERT_EQ(r.status, 201) << r.body;
  auto a = json(r);
  // Due in three days: the default cut-off is halfway there.
  EXPECT_EQ(ms(a["questionsCutoffMs"]), clock_.now() + 3 * 86'400'000LL / 2);
  EXPECT_EQ(a["template"]["name"], "PR/FAQ");
  EXPECT_EQ(call("POST", base_, tokens_["host"], R"({"kind":"WRITTEN_KIND_SIX_PAGER","promptId":"nope","dueAtMs":)" + due + "}").status, 404);
  EXPECT_EQ(call("POST", base_, tokens_["host"], R"({"kind":"WRITTEN_KIND_SIX_PAGER","promptId":"global-cdn","dueAtMs":5})").status, 400);
  EXPECT_EQ(call("POST", base_, tokens_["host"], R"({"promptId":"global-cdn","dueAtMs":)" + due + "}").status, 400);
  EXPECT_EQ(call("POST", base_, tokens_["host"], R"({"kind":"WRITTEN_KIND_SIX_PAGER","title":"t","dueAtMs":)" + due + "}").status, 400);
  EXPECT_EQ(json(call("GET", base_, tokens_["host"]))["assignments"].size(), 1u);
}

TEST_F(WrittenTest, StaffOnlyCommentsNeverReachTheCandidateOrObserver) {
  const std::string aid = assign()["id"];
  const std::string text = "# Fraud\n\nWe score every transaction.\n";
  fake_->texts["written-" + aid] = text;
  ASSERT_EQ(submit(aid, text).status, 201);
  fake_->maps["written-" + aid + "-review"] =
      std::string(R"({"c1":{"author":"Lin","body":")") + kCandidateComment +
      R"(","quote":"We score every transaction.","at":1},"c2":{"parent":"c1","author":"Ada","body":"Will do","at":2}})";
  fake_->maps["written-" + aid + "-staff"] =
      std::string(R"({"s1":{"author":"Lin","body":")") + kStaffSecret + R"(","at":1}})";

  // The documents: the staff-only comments doc opens for staff only.
  DocAccess access(*service_, false);
  const std::string staff_doc = "written-" + aid + "-staff";
  for (const char* who : {"candidate", "observer"})
    EXPECT_EQ(access.authorize(staff_doc, tokens_[who]).refusal, Errc::forbidden) << who;
  for (const char* who : {"host", "iv1", "bar_raiser"}) EXPECT_TRUE(access.authorize(staff_doc, tokens_[who]).allowed) << who;
  auto draft = access.authorize("written-" + aid, tokens_["candidate"]);
  EXPECT_TRUE(draft.allowed && !draft.read_only);
  auto draft_iv = access.authorize("written-" + aid, tokens_["iv1"]);
  EXPECT_TRUE(draft_iv.allowed && draft_iv.read_only);
  auto review = access.authorize("written-" + aid + "-review", tokens_["candidate"]);
  EXPECT_TRUE(review.allowed && review.read_only);
  EXPECT_EQ(access.authorize("written-nosuch", tokens_["candidate"]).refusal, Errc::not_found);

  // Every REST answer the candidate can get about the written work.
  for (const std::string& path : {base_, base_ + "/" + aid + "/questions", base_ + "/" + aid + "/versions/1",
                                  base_ + "/" + aid + "/report"}) {
    for (const char* who : {"candidate", "observer"}) {
      auto r = call("GET", path, tokens_[who], "", path.ends_with("report") ? "text/html" : "application/json");
      EXPECT_EQ(r.body.find(kStaffSecret), std::string::npos) << who << " " << path;
      EXPECT_EQ(r.body.find("-staff"), std::string::npos) << who << " " << path;
    }
  }
  auto report = call("GET", base_ + "/" + aid + "/report", tokens_["candidate"], "", "text/html");
  ASSERT_EQ(report.status, 200) << report.body;
  EXPECT_NE(report.body.find(kCandidateComment), std::string::npos);
  EXPECT_NE(report.body.find("We score every transaction."), std::string::npos);
  EXPECT_NE(report.body.find("@media print"), std::string::npos);
  // The staff's debrief shows the document and the candidate-visible comments only.
  auto debrief = call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_["host"], "", "text/html");
  ASSERT_EQ(debrief.status, 200);
  EXPECT_NE(debrief.body.find("Written work"), std::string::npos);
  EXPECT_NE(debrief.body.find(kCandidateComment), std::string::npos);
  EXPECT_EQ(debrief.body.find(kStaffSecret), std::string::npos);
}

TEST(Markdown, HostileInputRendersNoActiveContent) {
  const std::string hostile =
      "# Title <script>alert(1)</script>\n\n"
      "<script>alert(2)</script>\n\n"
      "<iframe src=\"https://evil.example\"></iframe>\n\n"
      "<img src=x onerror=alert(3)>\n\n"
      "[click](javascript:alert(4)) [v](vbscript:msgbox(5)) [d](data:text/html;base64,PHNjcmlwdD4=)\n\n"
      "<a href=\"javascript:alert(6)\">raw link</a> ![i](javascript:alert(7))\n\n"
      "[ok](https://example.com) **bold**\n";
  const std::string html = render_markdown(hostile);
  for (const char* bad : {"<script", "<iframe", "<img src=x", "onerror", "javascript:", "vbscript:", "data:text/html",
                          "<a href=\"javascript"})
    EXPECT_EQ(html.find(bad), std::string::npos) << bad << " in\n" << html;
  EXPECT_NE(html.find("<a href=\"https://example.com\">ok</a>"), std::string::npos) << html;
  EXPECT_NE(html.find("<strong>bold</strong>"), std::string::npos);
  EXPECT_NE(html.find("<h1>"), std::string::npos);
}

TEST(WrittenReport, CommentsParseIntoThreadsAndEscape) {
  auto c = parse_comments(R"({"b":{"parent":"a","author":"Ada","body":"reply","at":5},
    "a":{"author":"Lin <b>","body":"<script>x</script>","quote":"q","resolved":true,"at":1},
    "bad":3,"empty":{"body":""}})");
  ASSERT_EQ(c.size(), 2u);
  EXPECT_EQ(c[0].id, "a");
  EXPECT_TRUE(c[0].resolved);
  WrittenReportItem it;
  it.assignment.set_title("T");
  it.version = 1;
  it.markdown = "text";
  it.comments = c;
  const std::string page = render_written_report(it);
  EXPECT_EQ(page.find("<script>"), std::string::npos);
  EXPECT_NE(page.find("&lt;script&gt;"), std::string::npos);
  EXPECT_NE(page.find("Resolved"), std::string::npos);
}

}  // namespace
}  // namespace mockloop::loop
