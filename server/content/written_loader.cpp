// load_written(): the written work's content (content/written/, optional): the prompt
// bank and the 6-pager and PR/FAQ templates. Each template's starting Markdown is built
// here from its sections, so the page budgets and the headings never disagree.
#include <set>

#include "content/catalog.hpp"
#include "content/text_file.hpp"

namespace mockloop::content {

namespace fs = std::filesystem;

namespace {

Error bad(const fs::path& p, const std::string& why) { return make_error(Errc::invalid_content, p.string() + ":0: " + why); }

std::string starting_markdown(const v1::WrittenTemplate& t) {
  std::string md = "# Title of your " + t.name() + "\n\n";
  for (const auto& s : t.sections()) md += "## " + s.heading() + "\n\n" + s.guidance() + "\n\n";
  return md;
}

}  // namespace

Result<void> load_written(const fs::path& dir, Catalog& c) {
  const fs::path prompts = dir / "written" / "prompts.txtpb";
  const fs::path templates = dir / "written" / "templates.txtpb";
  std::error_code ec;
  if (fs::exists(prompts, ec)) {
    v1::WrittenPromptSet set;
    if (auto r = parse_text_file(prompts, set, nullptr); !r) return r;
    std::set<std::string> ids;
    for (const auto& p : set.prompts()) {
      if (p.id().empty() || p.title().empty() || p.prompt().empty())
        return bad(prompts, "a prompt needs an id, a title and a prompt");
      if (!ids.insert(p.id()).second) return bad(prompts, "duplicate prompt id '" + p.id() + "'");
      c.written_prompts_.push_back(p);
    }
  }
  if (fs::exists(templates, ec)) {
    v1::WrittenTemplateSet set;
    if (auto r = parse_text_file(templates, set, nullptr); !r) return r;
    std::set<int> kinds;
    for (auto t : set.templates()) {
      if (t.kind() == v1::WRITTEN_KIND_UNSPECIFIED || !kinds.insert(t.kind()).second)
        return bad(templates, "each template needs its own kind");
      if (t.words_per_page() == 0 || t.max_pages() <= 0 || t.sections_size() == 0)
        return bad(templates, t.name() + ": needs words_per_page, max_pages and sections");
      t.set_markdown(starting_markdown(t));
      c.written_templates_.push_back(std::move(t));
    }
  }
  return {};
}

const v1::WrittenPrompt* Catalog::find_written_prompt(std::string_view id) const {
  for (const auto& p : written_prompts_)
    if (p.id() == id) return &p;
  return nullptr;
}

const v1::WrittenTemplate* Catalog::written_template(v1::WrittenKind kind) const {
  for (const auto& t : written_templates_)
    if (t.kind() == kind) return &t;
  return nullptr;
}

}  // namespace mockloop::content
