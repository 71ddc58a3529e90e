#include "loop/doc_access.hpp"

#include <optional>

#include "loop/notes_access.hpp"

namespace mockloop::loop {

using room::AccessDecision;

namespace {

// The policy resource of a written-work document (issue 21), if it is one.
std::optional<policy::Resource> written_resource(doc_names::Parsed::Kind kind) {
  using K = doc_names::Parsed::Kind;
  switch (kind) {
    case K::written_draft: return policy::Resource::written_draft;
    case K::written_review: return policy::Resource::written_review;
    case K::written_staff: return policy::Resource::written_staff;
    default: return std::nullopt;
  }
}

}  // namespace

AccessDecision DocAccess::authorize(std::string_view doc_name, std::string_view token) {
  if (!doc_names::is_loop_doc(doc_name)) return anonymous_.authorize(doc_name, token);
  const auto name = doc_names::parse(doc_name);
  if (name.kind == doc_names::Parsed::Kind::other) return AccessDecision::refuse(Errc::not_found, "no such document");
  auto p = service_.authenticate(token);
  if (!p) return AccessDecision::refuse(p.error().code, p.error().message);
  auto target = service_.doc_target(name);
  if (!target) return AccessDecision::refuse(target.error().code, target.error().message);

  using policy::Action;
  using policy::Resource;
  if (name.kind == doc_names::Parsed::Kind::study) {
    const auto kind = kind_for_study(*p, target->study_id);
    const auto read = policy::decide(kind, p->role(), Resource::study_doc, Action::read);
    if (!read.allowed) return AccessDecision::refuse(read.refusal, "this token does not belong to the study room");
    const bool write = policy::decide(kind, p->role(), Resource::study_doc, Action::write).allowed;
    return AccessDecision::allow(!write, p->token_id);  // study rooms keep no history: no actor
  }
  if (name.kind == doc_names::Parsed::Kind::author_notes) return authorize_notes(*p, *target);
  if (const auto res = written_resource(name.kind)) {
    if (auto ok = permit(*p, target->loop_id, *res, Action::read); !ok)
      return AccessDecision::refuse(ok.error().code, ok.error().message);
    return AccessDecision::allow(!permitted(*p, target->loop_id, *res, Action::write), p->token_id);
  }
  const Resource res = name.kind == doc_names::Parsed::Kind::private_notes ? Resource::private_doc : Resource::round_doc;
  if (auto ok = permit(*p, target->loop_id, res, Action::read, target->round, target->everyone_edits,
                       target->current_round);
      !ok)
    return AccessDecision::refuse(ok.error().code, ok.error().message);
  const bool write = permitted(*p, target->loop_id, res, Action::write, target->round, target->everyone_edits,
                               target->current_round);
  auto allowed = AccessDecision::allow(!write, p->token_id);
  allowed.actor = p->participant.id();
  return allowed;
}

AccessDecision DocAccess::authorize_notes(const Principal& p, const LoopService::DocTarget& target) {
  // The submitted-scorecard fact only matters to staff reading a colleague's notes.
  bool submitted = false;
  if (p.participant.id() != target.author_id && p.loop_id == target.loop_id) {
    auto s = service_.submitted_scorecard(p, target.round);
    if (!s) return AccessDecision::refuse(s.error().code, s.error().message);
    submitted = *s;
  }
  auto access = notes_access(p, target.loop_id, target.round, target.author_id, submitted);
  if (!access) return AccessDecision::refuse(access.error().code, access.error().message);
  if (!target.author_known) return AccessDecision::refuse(Errc::not_found, "no such document");
  auto allowed = AccessDecision::allow(*access != NotesAccess::write, p.token_id);
  allowed.actor = p.participant.id();
  return allowed;
}

}  // namespace mockloop::loop
