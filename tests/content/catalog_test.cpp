// Content validation: every shipped file loads; broken files stop loading with file:line.
#include "content/catalog.hpp"

#include <fstream>
#include <random>

#include <gtest/gtest.h>

namespace fs = std::filesystem;
using namespace mockloop;
using namespace mockloop::content;

namespace {

const fs::path kShipped = fs::path(MOCKLOOP_SOURCE_DIR) / "content";

// A private copy of content/ that a test may break.
class ContentCopy {
 public:
  ContentCopy() {
    std::random_device rd;
    dir_ = fs::temp_directory_path() / ("mockloop-content-" + std::to_string(rd()));
    fs::copy(kShipped, dir_, fs::copy_options::recursive);
  }
  ~ContentCopy() { fs::remove_all(dir_); }
  const fs::path& dir() const { return dir_; }
  void write(const std::string& rel, const std::string& text) { std::ofstream(dir_ / rel) << text; }
  void replace(const std::string& rel, const std::string& from, const std::string& to) {
    std::ifstream in(dir_ / rel);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto pos = s.find(from);
    ASSERT_NE(pos, std::string::npos) << from;
    s.replace(pos, from.size(), to);
    write(rel, s);
  }

 private:
  fs::path dir_;
};

}  // namespace

TEST(Catalog, EveryShippedFileLoads) {
  auto c = load_catalog(kShipped);
  ASSERT_TRUE(c.ok()) << c.error().message;
  const Catalog& cat = **c;
  EXPECT_EQ(cat.principles().size(), 16u);
  for (const char* id : {"l6-loop", "l7-loop", "peer-system-design", "single-coding", "single-behavioral",
                         "single-bar-raiser"})
    EXPECT_NE(cat.find_template(id), nullptr) << id;
  const auto* l6 = cat.find_template("l6-loop");
  EXPECT_EQ(l6->break_minutes(), 15u);
  EXPECT_EQ(l6->min_hire_rounds(), 4u);
  int onsite = 0;
  for (const auto& r : l6->rounds()) onsite += r.onsite();
  EXPECT_EQ(onsite, 6);
  // Every round kind used by a template has a plan and a rubric; coding is 45 minutes.
  EXPECT_EQ(cat.plan_for(v1::ROUND_KIND_CODING)->duration_minutes(), 45u);
  EXPECT_EQ(cat.plan_for(v1::ROUND_KIND_SYSTEM_DESIGN)->phases_size(), 5);
  EXPECT_NE(cat.rubric_for(v1::ROUND_KIND_BAR_RAISER), nullptr);
  // Weighted principles per level.
  EXPECT_EQ(cat.find_principle("deliver-results")->weight_l6(), 2u);
  EXPECT_EQ(cat.find_principle("think-big")->weight_l7(), 2u);
}

TEST(Catalog, QuestionFilters) {
  auto c = load_catalog(kShipped);
  ASSERT_TRUE(c.ok());
  auto coding = (*c)->find_questions({v1::ROUND_KIND_CODING, "", v1::LEVEL_UNSPECIFIED});
  ASSERT_FALSE(coding.empty());
  for (auto* q : coding) {
    EXPECT_EQ(q->round_kind(), v1::ROUND_KIND_CODING);
    EXPECT_GT(q->hints_size(), 0) << q->id();
  }
  auto backbone_l7 = (*c)->find_questions({v1::ROUND_KIND_BEHAVIORAL, "have-backbone", v1::LEVEL_L7});
  ASSERT_EQ(backbone_l7.size(), 1u);
  EXPECT_EQ(backbone_l7[0]->id(), "beh-backbone-l7");
  for (auto* q : (*c)->find_questions({v1::ROUND_KIND_BAR_RAISER, "", v1::LEVEL_UNSPECIFIED}))
    EXPECT_EQ(q->follow_ups_size(), 5) << q->id() << " needs a five-whys ladder";
}

TEST(Catalog, SyntaxErrorReportsFileAndLine) {
  ContentCopy copy;
  copy.write("questions/broken.txtpb", "# a comment\nquestions {\n  id: \"x\"\n  title: oops-not-a-string\n}\n");
  auto c = load_catalog(copy.dir());
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::invalid_content);
  EXPECT_NE(c.error().message.find("broken.txtpb:4:"), std::string::npos) << c.error().message;
}

TEST(Catalog, UnknownFieldReportsFileAndLine) {
  ContentCopy copy;
  copy.write("rubrics/extra.txtpb", "rubrics {\n  id: \"r\"\n  colour: \"blue\"\n}\n");
  auto c = load_catalog(copy.dir());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("extra.txtpb:3:"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("colour"), std::string::npos) << c.error().message;
}

TEST(Catalog, UnknownPrincipleReferenceReportsTheQuestionLine) {
  ContentCopy copy;
  copy.write("questions/bad_ref.txtpb",
             "\n\nquestions {\n  id: \"q-bad\"\n  round_kind: ROUND_KIND_CODING\n  lp_ids: [\"be-nice\"]\n"
             "  title: \"t\"\n  prompt: \"p\"\n}\n");
  auto c = load_catalog(copy.dir());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("bad_ref.txtpb:3: "), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find("be-nice"), std::string::npos);
}

TEST(Catalog, PhasePlanThatDoesNotAddUpIsRefused) {
  ContentCopy copy;
  copy.replace("phases/plans.txtpb", "min_minutes: 25 max_minutes: 30 planned_minutes: 28",
               "min_minutes: 25 max_minutes: 30 planned_minutes: 29");
  auto c = load_catalog(copy.dir());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("plans.txtpb:"), std::string::npos);
  EXPECT_NE(c.error().message.find("add up to 46"), std::string::npos) << c.error().message;
}

TEST(Catalog, SystemDesignPlansCarryTheBoardTemplate) {
  auto c = load_catalog(kShipped);
  ASSERT_TRUE(c.ok()) << c.error().message;
  for (auto kind : {v1::ROUND_KIND_SYSTEM_DESIGN, v1::ROUND_KIND_PEER_SYSTEM_DESIGN}) {
    const auto* plan = (*c)->plan_for(kind);
    ASSERT_NE(plan, nullptr);
    std::vector<std::string> titles;
    for (const auto& f : plan->board_frames()) titles.push_back(f.title());
    EXPECT_EQ(titles, (std::vector<std::string>{"Requirements", "Estimates", "API", "High-level design", "Data model",
                                                "Deep dive", "Bottlenecks"}));
  }
}

TEST(Catalog, BoardFrameOfAnUnknownPhaseIsRefused) {
  ContentCopy copy;
  copy.replace("phases/plans.txtpb", "title: \"Bottlenecks\" phase_id: \"scale-ops\"",
               "title: \"Bottlenecks\" phase_id: \"no-such-phase\"");
  auto c = load_catalog(copy.dir());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("plans.txtpb:"), std::string::npos);
  EXPECT_NE(c.error().message.find("no-such-phase"), std::string::npos) << c.error().message;
}

TEST(Catalog, OversizedBoardFrameIsRefused) {
  ContentCopy copy;
  copy.replace("phases/plans.txtpb", "title: \"API\" phase_id: \"high-level\" x: 1240 y: 0 w: 560",
               "title: \"API\" phase_id: \"high-level\" x: 1240 y: 0 w: 56000");
  auto c = load_catalog(copy.dir());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("size must be"), std::string::npos) << c.error().message;
}

TEST(Catalog, MissingAnchorIsRefused) {
  ContentCopy copy;
  copy.replace("rubrics/technical.txtpb", "strong_hire: \"Production quality in interview time.\"", "");
  auto c = load_catalog(copy.dir());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("technical.txtpb:"), std::string::npos);
  EXPECT_NE(c.error().message.find("code-quality"), std::string::npos) << c.error().message;
}

TEST(Catalog, DuplicateTemplateIdIsRefused) {
  ContentCopy copy;
  copy.write("templates/dup.txtpb",
             "templates { id: \"l6-loop\" name: \"again\" level: LEVEL_L6 decision_rule: DECISION_RULE_NONE\n"
             "  rounds { id: \"c\" kind: ROUND_KIND_CODING duration_minutes: 45 } }\n");
  auto c = load_catalog(copy.dir());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("duplicate template id 'l6-loop'"), std::string::npos) << c.error().message;
}

TEST(Catalog, MissingFolderIsRefused) {
  ContentCopy copy;
  fs::remove_all(copy.dir() / "rubrics");
  auto c = load_catalog(copy.dir());
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("rubrics"), std::string::npos);
}

// Issue 16: every runnable coding test file belongs to a coding question of the bank, and
// that question carries what the interviewer needs (hints, follow-ups, complexity notes).
TEST(Catalog, EveryCodingTestFileNamesACodingQuestionWithHintsAndNotes) {
  auto c = load_catalog(kShipped);
  ASSERT_TRUE(c.ok()) << c.error().message;
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(kShipped / "coding_tests")) {
    if (e.path().extension() != ".json") continue;
    ++files;
    const std::string id = e.path().stem().string();
    const auto* q = (*c)->find_question(id);
    ASSERT_NE(q, nullptr) << id << " has tests but no question in content/questions";
    EXPECT_EQ(q->round_kind(), v1::ROUND_KIND_CODING) << id;
    EXPECT_FALSE(q->prompt().empty()) << id;
    EXPECT_GE(q->hints_size(), 1) << id;
  }
  EXPECT_GE(files, 20u);
}
