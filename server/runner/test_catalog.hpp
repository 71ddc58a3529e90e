// TestCatalog: the runnable side of coding questions, one JSON file per question in
// content/coding_tests/<question-id>.json (format in content/README.md): starter code per
// language, sample tests (visible to everyone), hidden tests (staff only; a candidate sees
// only their pass/fail counts), a checker mode, optional per-question CPU/wall limits and a
// reference solution (staff only). Programs read stdin and write stdout. Loaded once at
// start; immutable after; thread-safe to read.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "runner/checker.hpp"

namespace mockloop::runner {

struct TestCase {
  std::string name;  // "sample 1", "hidden 3"
  std::string stdin_data;
  std::string expected;
  bool hidden = false;
};

struct QuestionTests {
  std::string question_id;
  CheckMode mode = CheckMode::exact;
  std::optional<uint32_t> cpu_seconds;  // per-question limit (at most the server's)
  std::map<std::string, std::string> starter;    // language id -> code
  std::map<std::string, std::string> reference;  // language id -> code (staff only)
  std::vector<TestCase> tests;                   // samples first

  size_t sample_count() const;
};

// Bounds on a content file (a broken file fails the start, naming it).
inline constexpr size_t kMaxTestsPerQuestion = 32;
inline constexpr size_t kMaxTestFileBytes = 1 << 20;

class TestCatalog {
 public:
  // Every *.json in `dir` (a missing folder is an empty catalog).
  static Result<TestCatalog> load(const std::string& dir);
  static Result<QuestionTests> parse(const std::string& question_id, const std::string& json);

  const QuestionTests* find(const std::string& question_id) const;
  const std::map<std::string, QuestionTests>& all() const { return questions_; }

 private:
  std::map<std::string, QuestionTests> questions_;
};

}  // namespace mockloop::runner
