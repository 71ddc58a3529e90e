#include "runner/test_catalog.hpp"

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "runner/limits.hpp"

namespace mockloop::runner {

size_t QuestionTests::sample_count() const {
  size_t n = 0;
  for (const auto& t : tests) n += t.hidden ? 0 : 1;
  return n;
}

Result<QuestionTests> TestCatalog::parse(const std::string& id, const std::string& text) {
  using nlohmann::json;
  json j = json::parse(text, nullptr, false);
  auto bad = [&](const std::string& why) -> Result<QuestionTests> {
    return make_error(Errc::invalid_content, "coding tests for '" + id + "': " + why);
  };
  if (j.is_discarded() || !j.is_object()) return bad("not a JSON object");
  try {
    QuestionTests q;
    q.question_id = id;
    auto mode = check_mode_of(j.value("checker", "exact"));
    if (!mode) return bad("unknown checker '" + j.value("checker", "") + "'");
    q.mode = *mode;
    if (j.contains("cpuSeconds")) q.cpu_seconds = j["cpuSeconds"].get<uint32_t>();
    const json starter = j.value("starter", json::object()), reference = j.value("reference", json::object());
    for (auto& [lang, code] : starter.items()) q.starter[lang] = code.get<std::string>();
    for (auto& [lang, code] : reference.items()) q.reference[lang] = code.get<std::string>();
    size_t n = 0;
    for (const char* kind : {"samples", "hidden"}) {
      const bool hidden = std::string(kind) == "hidden";
      size_t i = 0;
      const json list = j.value(kind, json::array());
      for (const auto& t : list) {
        TestCase c;
        c.hidden = hidden;
        c.name = std::string(hidden ? "hidden " : "sample ") + std::to_string(++i);
        c.stdin_data = t.at("stdin").get<std::string>();
        c.expected = t.at("expected").get<std::string>();
        if (c.stdin_data.size() > kMaxStdinBytes) return bad(c.name + ": stdin too long");
        q.tests.push_back(std::move(c));
        ++n;
      }
    }
    if (q.sample_count() < 1) return bad("needs at least one sample test");
    if (n > kMaxTestsPerQuestion) return bad("more than " + std::to_string(kMaxTestsPerQuestion) + " tests");
    if (q.reference.empty()) return bad("needs a reference solution");
    return q;
  } catch (const json::exception& e) {
    return bad(e.what());
  }
}

Result<TestCatalog> TestCatalog::load(const std::string& dir) {
  namespace fs = std::filesystem;
  TestCatalog c;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return c;
  for (const auto& e : fs::directory_iterator(dir, ec)) {
    if (e.path().extension() != ".json") continue;
    if (e.file_size(ec) > kMaxTestFileBytes) return make_error(Errc::invalid_content, e.path().string() + " is too large");
    std::ifstream f(e.path());
    std::stringstream s;
    s << f.rdbuf();
    auto q = parse(e.path().stem().string(), s.str());
    if (!q) return q.error();
    c.questions_[q->question_id] = std::move(*q);
  }
  return c;
}

const QuestionTests* TestCatalog::find(const std::string& id) const {
  auto it = questions_.find(id);
  return it == questions_.end() ? nullptr : &it->second;
}

}  // namespace mockloop::runner
