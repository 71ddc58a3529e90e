// LoopService's written-work calls (issue 21): assignments, the clarifying-questions
// thread, submitted versions and the reports. Access: the policy's written_* cells.
#include <openssl/rand.h>

#include <thread>

#include "loop/limits.hpp"
#include "loop/loop_service.hpp"
#include "loop/markdown.hpp"
#include "loop/notes_access.hpp"
#include "loop/round_docs.hpp"

namespace mockloop::loop {
namespace {

using policy::Action;
using policy::Resource;

Error invalid(std::string m) { return make_error(Errc::invalid_argument, std::move(m)); }
Error stored(const Error& e) { return make_error(Errc::internal, e.message); }

// Hex, so the written doc names parse without ambiguity (doc_names.hpp).
std::string hex_id() {
  unsigned char b[9];
  RAND_bytes(b, sizeof b);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : b) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

uint32_t word_count(std::string_view text) {
  uint32_t n = 0;
  bool in = false;
  for (char c : text) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (!space && !in) ++n;
    in = !space;
  }
  return n;
}

std::string display_name(const v1::Loop& loop, const Principal& p) {
  for (const auto& part : loop.participants())
    if (part.id() == p.participant.id()) return part.display_name();
  return "";
}

}  // namespace

Result<v1::WrittenAssignment> LoopService::assign_written(const Principal& p, std::string_view loop_id,
                                                          const v1::CreateWrittenRequest& req) {
  std::lock_guard lock(mu_);
  if (auto ok = permit(p, loop_id, Resource::written_work, Action::write); !ok) return ok.error();
  auto loop = load_loop(loop_id);
  if (!loop) return loop.error();
  const auto* tmpl = catalog_->written_template(req.kind());
  if (!tmpl) return invalid("kind: WRITTEN_KIND_SIX_PAGER or WRITTEN_KIND_PRFAQ");
  v1::WrittenAssignment a;
  if (!req.prompt_id().empty()) {
    const auto* prompt = catalog_->find_written_prompt(req.prompt_id());
    if (!prompt) return make_error(Errc::not_found, "no such prompt '" + req.prompt_id().substr(0, 64) + "'");
    a.set_prompt_id(prompt->id());
    a.set_title(prompt->title());
    a.set_prompt(prompt->prompt());
  } else {
    if (req.title().empty() || req.title().size() > kMaxNameBytes) return invalid("title: 1 to 200 bytes");
    if (req.prompt().empty() || req.prompt().size() > kMaxWrittenPromptBytes) return invalid("prompt: 1 byte to 8 KiB");
    a.set_title(req.title());
    a.set_prompt(req.prompt());
  }
  const int64_t now = now_ms();
  if (req.due_at_ms() <= now || req.due_at_ms() - now > kMaxScheduleDistanceMs)
    return invalid("due_at_ms: after now and within 366 days");
  int64_t cutoff = req.questions_cutoff_ms();
  if (cutoff == 0) {
    cutoff = req.due_at_ms() - kDefaultQuestionsWindowMs;
    if (cutoff <= now) cutoff = now + (req.due_at_ms() - now) / 2;
  } else if (cutoff <= now || cutoff > req.due_at_ms()) {
    return invalid("questions_cutoff_ms: after now and not after the due date");
  }
  auto existing = written_->assignments_of(loop_id);
  if (!existing) return stored(existing.error());
  if (existing->size() >= static_cast<size_t>(kMaxWrittenPerLoop)) return invalid("at most 8 assignments per loop");
  a.set_id(hex_id());
  a.set_loop_id(std::string(loop_id));
  a.set_kind(req.kind());
  a.set_due_at_ms(req.due_at_ms());
  a.set_questions_cutoff_ms(cutoff);
  a.set_created_at_ms(now);
  if (auto r = written_->insert_assignment({a.id(), a.loop_id(), a.SerializeAsString()}, now); !r)
    return stored(r.error());
  return view_of(p, std::move(a));
}

v1::WrittenAssignment LoopService::view_of(const Principal& p, v1::WrittenAssignment a) {
  a.set_draft_doc(doc_names::written_draft_doc(a.id()));
  a.set_review_doc(doc_names::written_review_doc(a.id()));
  if (permitted(p, a.loop_id(), Resource::written_staff, Action::read))
    a.set_staff_doc(doc_names::written_staff_doc(a.id()));
  if (const auto* t = catalog_->written_template(a.kind())) *a.mutable_template_() = *t;
  a.set_questions_open(now_ms() < a.questions_cutoff_ms());
  if (auto versions = written_->versions(a.id())) {
    for (const auto& v : *versions) {
      auto* info = a.add_versions();
      info->set_version(static_cast<uint32_t>(v.version));
      info->set_submitted_at_ms(v.submitted_at_ms);
      info->set_words(word_count(v.text));
    }
  }
  return a;
}

Result<v1::WrittenAssignment> LoopService::assignment_locked(const Principal& p, std::string_view loop_id,
                                                             std::string_view assignment_id, Resource res) {
  if (auto ok = permit(p, loop_id, res, Action::read); !ok) return ok.error();
  auto row = written_->find_assignment(assignment_id);
  if (!row) return stored(row.error());
  if (!*row || (*row)->loop_id != loop_id) return make_error(Errc::not_found, "no such assignment");
  v1::WrittenAssignment a;
  if (!a.ParseFromString((*row)->data)) return make_error(Errc::internal, "corrupt stored record");
  return a;
}

Result<v1::ListWrittenResponse> LoopService::list_written(const Principal& p, std::string_view loop_id) {
  std::lock_guard lock(mu_);
  if (auto ok = permit(p, loop_id, Resource::written_work, Action::read); !ok) return ok.error();
  auto rows = written_->assignments_of(loop_id);
  if (!rows) return stored(rows.error());
  v1::ListWrittenResponse out;
  for (const auto& row : *rows) {
    v1::WrittenAssignment a;
    if (!a.ParseFromString(row.data)) return make_error(Errc::internal, "corrupt stored record");
    *out.add_assignments() = view_of(p, std::move(a));
  }
  if (auto loop = load_loop(loop_id)) out.set_your_name(display_name(*loop, p));
  out.set_can_assign(permitted(p, loop_id, Resource::written_work, Action::write));
  out.set_can_write(permitted(p, loop_id, Resource::written_draft, Action::write));
  out.set_can_comment(permitted(p, loop_id, Resource::written_review, Action::write));
  if (out.can_assign())
    for (const auto& prompt : catalog_->written_prompts()) *out.add_prompts() = prompt;
  return out;
}

Result<v1::WrittenQuestions> LoopService::written_questions(const Principal& p, std::string_view loop_id,
                                                            std::string_view assignment_id) {
  std::lock_guard lock(mu_);
  auto a = assignment_locked(p, loop_id, assignment_id, Resource::written_questions);
  if (!a) return a.error();
  auto rows = written_->questions(assignment_id);
  if (!rows) return stored(rows.error());
  v1::WrittenQuestions out;
  uint32_t seq = 0;
  for (const auto& data : *rows) {
    auto* q = out.add_questions();
    q->ParseFromString(data);
    q->set_seq(++seq);
  }
  out.set_cutoff_ms(a->questions_cutoff_ms());
  out.set_open(now_ms() < a->questions_cutoff_ms());
  return out;
}

Result<v1::WrittenQuestions> LoopService::ask_written(const Principal& p, std::string_view loop_id,
                                                      std::string_view assignment_id,
                                                      const v1::AskWrittenQuestionRequest& req) {
  {
    std::lock_guard lock(mu_);
    auto a = assignment_locked(p, loop_id, assignment_id, Resource::written_questions);
    if (!a) return a.error();
    if (auto ok = permit(p, loop_id, Resource::written_questions, Action::write); !ok) return ok.error();
    if (req.text().empty() || req.text().size() > kMaxWrittenQuestionBytes) return invalid("text: 1 byte to 4 KiB");
    if (now_ms() >= a->questions_cutoff_ms())
      return make_error(Errc::conflict, "the clarifying-questions thread closed at its cut-off");
    auto n = written_->question_count(assignment_id);
    if (!n) return stored(n.error());
    if (*n >= kMaxWrittenQuestions) return invalid("at most 200 messages per thread");
    auto loop = load_loop(loop_id);
    if (!loop) return loop.error();
    v1::WrittenQuestion q;
    q.set_author_name(display_name(*loop, p));
    q.set_role(p.role() == v1::ROLE_CANDIDATE ? "Candidate" : role_label(p.role()));
    q.set_text(req.text());
    q.set_created_at_ms(now_ms());
    if (auto r = written_->add_question(assignment_id, q.created_at_ms(), q.SerializeAsString()); !r)
      return stored(r.error());
  }
  return written_questions(p, loop_id, assignment_id);
}

Result<v1::WrittenVersion> LoopService::submit_written(const Principal& p, std::string_view loop_id,
                                                       std::string_view assignment_id,
                                                       const v1::SubmitWrittenRequest& req) {
  {
    std::lock_guard lock(mu_);
    auto a = assignment_locked(p, loop_id, assignment_id, Resource::written_draft);
    if (!a) return a.error();
    if (auto ok = permit(p, loop_id, Resource::written_draft, Action::write); !ok) return ok.error();
  }
  if (!docs_) return make_error(Errc::internal, "documents are not available on this server");
  // The draft as the server has it, read through the CRDT engine outside the mutex; edits
  // the candidate's editor shows may still be on their way.
  const std::string doc = doc_names::written_draft_doc(assignment_id);
  std::string text = docs_->load_text(doc, "text");
  for (int64_t waited = 0; text != req.expected_text() && waited < kWrittenSettleMs; waited += 100) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    text = docs_->load_text(doc, "text");
  }
  if (text != req.expected_text())
    return make_error(Errc::conflict, "the draft on the server differs from the editor's; wait a moment and submit again");
  if (text.find_first_not_of(" \n\t\r") == std::string::npos) return invalid("the draft is empty");
  if (text.size() > kMaxWrittenTextBytes) return invalid("the draft is larger than 200 KiB");
  std::lock_guard lock(mu_);
  auto versions = written_->versions(assignment_id);
  if (!versions) return stored(versions.error());
  if (versions->size() >= static_cast<size_t>(kMaxWrittenVersions)) return invalid("at most 50 versions");
  const int64_t now = now_ms();
  auto v = written_->add_version(assignment_id, now, text);
  if (!v) return stored(v.error());
  v1::WrittenVersion out;
  out.set_assignment_id(std::string(assignment_id));
  out.set_version(static_cast<uint32_t>(*v));
  out.set_submitted_at_ms(now);
  out.set_text(std::move(text));
  return out;
}

Result<v1::WrittenVersion> LoopService::written_version(const Principal& p, std::string_view loop_id,
                                                        std::string_view assignment_id, uint32_t version) {
  v1::WrittenVersion out;
  {
    std::lock_guard lock(mu_);
    auto a = assignment_locked(p, loop_id, assignment_id, Resource::written_work);
    if (!a) return a.error();
    auto row = written_->version(assignment_id, static_cast<int>(version));
    if (!row) return stored(row.error());
    if (!*row) return make_error(Errc::not_found, "no such version");
    out.set_assignment_id(std::string(assignment_id));
    out.set_version(version);
    out.set_submitted_at_ms((*row)->submitted_at_ms);
    out.set_text(std::move((*row)->text));
  }
  out.set_html(render_markdown(out.text()));
  return out;
}

Result<std::vector<WrittenReportItem>> LoopService::written_items_locked(const Principal& p, std::string_view loop_id,
                                                                        std::string_view only) {
  if (auto ok = permit(p, loop_id, Resource::written_work, Action::read); !ok) return ok.error();
  auto rows = written_->assignments_of(loop_id);
  if (!rows) return stored(rows.error());
  std::vector<WrittenReportItem> items;
  for (const auto& row : *rows) {
    if (!only.empty() && row.id != only) continue;
    WrittenReportItem it;
    if (!it.assignment.ParseFromString(row.data)) return make_error(Errc::internal, "corrupt stored record");
    auto versions = written_->versions(row.id);
    if (!versions) return stored(versions.error());
    if (!versions->empty()) {
      it.version = static_cast<uint32_t>(versions->back().version);
      it.submitted_at_ms = versions->back().submitted_at_ms;
      it.markdown = std::move(versions->back().text);
    }
    items.push_back(std::move(it));
  }
  if (!only.empty() && items.empty()) return make_error(Errc::not_found, "no such assignment");
  return items;
}

void LoopService::written_comments(std::vector<WrittenReportItem>& items) {
  if (!docs_) return;
  // Only the review doc: the staff-only comments never reach a report.
  for (auto& it : items)
    it.comments = parse_comments(docs_->load_map_json(doc_names::written_review_doc(it.assignment.id()), "comments"));
}

Result<std::string> LoopService::written_report_html(const Principal& p, std::string_view loop_id,
                                                     std::string_view assignment_id) {
  std::vector<WrittenReportItem> items;
  {
    std::lock_guard lock(mu_);
    auto r = written_items_locked(p, loop_id, assignment_id);
    if (!r) return r.error();
    items = std::move(*r);
  }
  written_comments(items);
  return render_written_report(items.front());
}

}  // namespace mockloop::loop
