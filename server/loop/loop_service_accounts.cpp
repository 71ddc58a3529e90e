// LoopService's account calls (issue 20): what a signed-in user's home page shows of each
// loop behind an invite attached to their account.
#include "loop/loop_service.hpp"
#include "scoring/debrief.hpp"

namespace mockloop::loop {

Result<std::optional<v1::MyLoop>> LoopService::my_loop(std::string_view loop_id, std::string_view token_id) {
  std::lock_guard lock(mu_);
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
  return std::optional<v1::MyLoop>(std::move(out));
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
