// LoopService's account calls (issue 20): what a signed-in user's home page shows of each
// loop behind an invite attached to their account.
#include "loop/loop_service.hpp"
#include "scoring/debrief.hpp"

#include "store/loop_deletion.hpp"

namespace mockloop::loop {

Result<std::optional<v1::MyLoop>> LoopService::my_loop(std::string_view loop_id, std::string_view token_id) {
  std::unique_lock lock(mu_);
  auto data = store_->load_loop(loop_id);
  if (!data) return make_error(Errc::internal, data.error().message);
  if (!*data) return std::optional<v1::MyLoop>();
  v1::Loop loop;
  if (!loop.ParseFromString(**data)) return make_error(Errc::internal, "stored loop does not parse");
  auto tokens = store_->tokens_of_loop(loop_id);
  if (!tokens) return make_error(Errc::internal, tokens.error().message);
  const store::TokenRecord* token = nullptr;
  for (const auto& t : *tokens)
    if (t.id == token_id) token = &t;
  if (!token) return std::optional<v1::MyLoop>();
  v1::MyLoop out;
  out.set_loop_id(loop.id());
  out.set_title(loop.title());
  out.set_candidate_name(loop.candidate_name());
  out.set_role(static_cast<v1::Role>(token->role));
  out.set_participant_id(token->participant_id);
  out.set_created_at_ms(loop.created_at_ms());
  const int64_t now = now_ms();
  out.set_revoked(token->revoked || (token->expires_at_ms > 0 && now >= token->expires_at_ms));
  for (const auto& p : loop.participants())
    if (p.id() == token->participant_id) out.set_display_name(p.display_name());
  for (const auto& r : loop.rounds()) {
    if (r.starts_at_ms() <= now) continue;
    if (out.next_round_starts_at_ms() == 0 || r.starts_at_ms() < out.next_round_starts_at_ms()) {
      out.set_next_round_starts_at_ms(r.starts_at_ms());
      out.set_next_round_index(r.index());
    }
  }
  // Past loops with their decisions: the decision as the debrief states it, for those who
  // may read the debrief (host, Bar Raiser); everyone sees whether the loop is over.
  lock.unlock();
  auto d = decision(loop_id);
  if (d) {
    const auto outcome = d->outcome();
    out.set_past(outcome == v1::DECISION_OUTCOME_HIRE || outcome == v1::DECISION_OUTCOME_NO_HIRE ||
                 outcome == v1::DECISION_OUTCOME_NOT_APPLICABLE);
    if (out.role() == v1::ROLE_HOST || out.role() == v1::ROLE_BAR_RAISER) *out.mutable_decision() = std::move(*d);
  }
  return std::optional<v1::MyLoop>(std::move(out));
}

Result<Principal> LoopService::account_principal(std::string_view loop_id, std::string_view token_id) {
  std::lock_guard lock(mu_);
  auto loop = load_loop(loop_id);
  if (!loop) return loop.error();
  auto tokens = store_->tokens_of_loop(loop_id);
  if (!tokens) return make_error(Errc::internal, tokens.error().message);
  for (const auto& t : *tokens) {
    if (t.id != token_id) continue;
    if (t.revoked || (t.expires_at_ms > 0 && now_ms() >= t.expires_at_ms))
      return make_error(Errc::forbidden, "the link attached to this account was revoked or replaced");
    for (const auto& p : loop->participants()) {
      if (p.id() != t.participant_id) continue;
      Principal out;
      out.token_id = t.id;
      out.loop_id = std::string(loop_id);
      out.participant = p;
      return out;
    }
  }
  return make_error(Errc::not_found, "no such invite in this loop");
}

Result<v1::LoopExport> LoopService::export_loop(const Principal& host, std::string_view loop_id) {
  v1::LoopExport out;
  auto loop = get_loop(host, loop_id);
  if (!loop) return loop.error();
  *out.mutable_loop() = std::move(*loop);
  auto debrief_now = debrief(host, loop_id);
  if (!debrief_now) return debrief_now.error();
  *out.mutable_debrief() = std::move(*debrief_now);
  auto html = debrief_html(host, loop_id);
  if (!html) return html.error();
  out.set_report_html(std::move(*html));
  out.set_exported_at_ms(now_ms());
  return out;
}

Result<Principal> LoopService::host_for_operator(std::string_view loop_id) {
  std::lock_guard lock(mu_);
  auto loop = load_loop(loop_id);
  if (!loop) return loop.error();
  for (const auto& p : loop->participants()) {
    if (p.role() != v1::ROLE_HOST) continue;
    Principal out;
    out.loop_id = std::string(loop_id);
    out.participant = p;
    return out;
  }
  return make_error(Errc::not_found, "this loop has no host");
}

Result<LoopService::DeletedLoop> LoopService::delete_loop(std::string_view loop_id) {
  DeletedLoop out;
  std::vector<std::string> token_ids;
  {
    std::lock_guard lock(mu_);
    auto loop = load_loop(loop_id);
    if (!loop) return loop.error();
    for (const auto& r : loop->rounds())
      if (!r.room_id().empty()) out.doc_families.push_back(doc_names::round_doc(r.room_id()));
    auto written = written_->assignments_of(loop_id);
    if (!written) return make_error(Errc::internal, written.error().message);
    for (const auto& a : *written) out.doc_families.push_back(doc_names::written_draft_doc(a.id));
    auto tokens = store_->tokens_of_loop(loop_id);
    if (!tokens) return make_error(Errc::internal, tokens.error().message);
    for (const auto& t : *tokens) token_ids.push_back(t.id);
    auto rows = store::delete_loop_rows(store_->database(), loop_id);
    if (!rows) return make_error(Errc::internal, rows.error().message);
    out.rows = *rows;
    for (auto it = timers_.begin(); it != timers_.end();) {
      if (it->first.first == loop_id) it = timers_.erase(it);
      else ++it;
    }
    if (auto it = progress_.find(loop_id); it != progress_.end()) progress_.erase(it);
  }
  notify_access_ended(token_ids, "loop deleted");
  return out;
}

}  // namespace mockloop::loop

namespace mockloop::loop {

Result<std::optional<scoring::LoopRecord>> LoopService::loop_record(std::string_view loop_id) {
  std::lock_guard lock(mu_);
  auto data = store_->load_loop(loop_id);
  if (!data) return make_error(Errc::internal, data.error().message);
  if (!*data) return std::optional<scoring::LoopRecord>();
  scoring::LoopRecord rec;
  if (!rec.loop.ParseFromString(**data)) return make_error(Errc::internal, "stored loop does not parse");
  auto cards = latest_submitted(rec.loop);
  if (!cards) return cards.error();
  rec.submitted = std::move(*cards);
  rec.decision = scoring::build_debrief(*catalog_, rec.loop, rec.submitted, now_ms()).decision();
  return std::optional<scoring::LoopRecord>(std::move(rec));
}

}  // namespace mockloop::loop
