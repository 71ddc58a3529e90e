// LoopService: the panel after creation (the loop settings page): add, change and remove
// people, reissue invite links, plan round starts, and the "joined" mark of invites. Every
// change is one transaction over the loop record and its tokens; connections of a revoked
// token close with 4401, those of a person whose rights changed with 1012 (reconnect),
// after the service mutex is released.
#include <algorithm>

#include "common/log.hpp"
#include "loop/ids.hpp"
#include "loop/limits.hpp"
#include "loop/loop_service.hpp"
#include "loop/panel_rules.hpp"
#include "loop/views.hpp"

namespace mockloop::loop {
namespace {

using policy::Action;
using policy::Resource;

Error invalid(std::string m) { return make_error(Errc::invalid_argument, std::move(m)); }
Error conflict(std::string m) { return make_error(Errc::conflict, std::move(m)); }
Error not_found(std::string m) { return make_error(Errc::not_found, std::move(m)); }
Error internal(const Error& e) {
  log::error("loop", "store operation failed", {{"code", std::string(name(e.code))}, {"error", e.message}});
  return make_error(Errc::internal, e.message);
}

v1::Participant* find(v1::Loop& loop, std::string_view id) {
  for (auto& p : *loop.mutable_participants())
    if (p.id() == id) return &p;
  return nullptr;
}
const v1::Participant* find(const v1::Loop& loop, std::string_view id) {
  for (const auto& p : loop.participants())
    if (p.id() == id) return &p;
  return nullptr;
}

int count_role(const v1::Loop& loop, v1::Role role, std::string_view except_id = {}) {
  return static_cast<int>(std::count_if(loop.participants().begin(), loop.participants().end(), [&](const auto& p) {
    return p.role() == role && p.id() != except_id;
  }));
}

std::vector<int> rounds_of(const v1::Participant& part) {
  return {part.round_indexes().begin(), part.round_indexes().end()};
}

// A fresh token for `part`: the row to store and the invite to show (the only time the raw
// token leaves the server).
std::pair<store::TokenRecord, v1::Invite> new_invite(const v1::Loop& loop, const v1::Participant& part, int64_t now,
                                                     int64_t expires_at_ms = 0) {
  const std::string raw = new_token();
  store::TokenRecord t;
  t.id = new_id();
  t.hash = store::hash_token(raw);
  t.loop_id = loop.id();
  t.participant_id = part.id();
  t.role = part.role();
  t.rounds = rounds_of(part);
  t.created_at_ms = now;
  t.expires_at_ms = expires_at_ms;
  v1::Invite inv;
  inv.set_token_id(t.id);
  inv.set_participant_id(part.id());
  inv.set_display_name(part.display_name());
  inv.set_role(part.role());
  inv.set_token(raw);
  inv.set_link("/join?token=" + raw);
  inv.set_expires_at_ms(expires_at_ms);
  inv.set_status(v1::INVITE_STATUS_INVITED);
  inv.set_issued_at_ms(now);
  return {std::move(t), std::move(inv)};
}

}  // namespace

Result<v1::Loop> LoopService::panel_of(const Principal& p, std::string_view loop_id) {
  auto loop = loop_of(p, loop_id);
  if (!loop) return loop.error();
  if (auto ok = permit(p, loop_id, Resource::invites, Action::write); !ok) return ok.error();
  return loop;
}

Result<v1::AddParticipantResponse> LoopService::add_participant(const Principal& p, std::string_view loop_id,
                                                                const v1::ParticipantSpec& spec) {
  std::lock_guard lock(mu_);
  auto loop = panel_of(p, loop_id);
  if (!loop) return loop.error();
  if (loop->participants_size() + 1 > kMaxParticipants) return invalid("participants: at most 32 people in a loop");
  if (auto r = validate_person(*loop, "participant", spec.display_name(), spec.role(), spec.round_indexes()); !r)
    return r.error();
  if (spec.role() == v1::ROLE_CANDIDATE)
    return conflict("participant.role: a loop has one candidate; issue the candidate a new link instead");
  if (spec.role() == v1::ROLE_BAR_RAISER && count_role(*loop, v1::ROLE_BAR_RAISER) + 1 > kMaxBarRaisers)
    return conflict("participant.role: a loop has one Bar Raiser; change or remove the current one first");
  const int64_t now = now_ms();
  if (spec.expires_at_ms() < 0 || (spec.expires_at_ms() > 0 && spec.expires_at_ms() <= now))
    return invalid("participant.expires_at_ms: must be in the future (or 0 for never)");
  auto tokens = store_->tokens_of_loop(loop_id);
  if (!tokens) return internal(tokens.error());
  if (tokens->size() >= static_cast<size_t>(kMaxTokensPerLoop)) return conflict("this loop has issued 256 links, the most it may");

  auto* part = loop->add_participants();
  part->set_id(new_id());
  part->set_display_name(spec.display_name().empty() ? default_name(spec.role()) : spec.display_name());
  part->set_role(spec.role());
  *part->mutable_round_indexes() = spec.round_indexes();
  auto fresh = new_invite(*loop, *part, now, spec.expires_at_ms());
  auto tx = store_->transaction([&]() -> Result<void> {
    if (auto r = store_->update_loop(loop->id(), loop->SerializeAsString()); !r) return r;
    return store_->add_token(fresh.first);
  });
  if (!tx) return internal(tx.error());
  log::info("audit", "participant added",
            {{"loop", loop_id}, {"participant", part->id()}, {"role", v1::Role_Name(part->role())}, {"by", p.participant.id()}});
  v1::AddParticipantResponse out;
  *out.mutable_participant() = *part;
  *out.mutable_invite() = std::move(fresh.second);
  return out;
}

Result<v1::Participant> LoopService::update_participant(const Principal& p, std::string_view loop_id,
                                                        std::string_view participant_id,
                                                        const v1::UpdateParticipantRequest& req) {
  std::vector<std::string> reconnect;
  v1::Participant out;
  {
    std::lock_guard lock(mu_);
    auto loop = panel_of(p, loop_id);
    if (!loop) return loop.error();
    auto* part = find(*loop, participant_id);
    if (!part) return not_found("no such participant in this loop");
    const v1::Role role = req.role() == v1::ROLE_UNSPECIFIED ? part->role() : req.role();
    if (part->role() == v1::ROLE_HOST || part->role() == v1::ROLE_CANDIDATE) {
      // Host and candidate keep their role (one each per loop); they may be renamed.
      if (role != part->role()) return conflict("role: the host's and the candidate's roles cannot change");
      if (req.round_indexes_size() > 0) return invalid("round_indexes: only interviewers are assigned to rounds");
      if (req.display_name().size() > kMaxNameBytes) return invalid("display_name: names are limited to 200 bytes");
    } else {
      if (auto r = validate_person(*loop, "participant", req.display_name(), role, req.round_indexes()); !r)
        return r.error();
      if (role == v1::ROLE_CANDIDATE) return conflict("role: a loop has one candidate");
      if (role == v1::ROLE_BAR_RAISER && count_role(*loop, v1::ROLE_BAR_RAISER, participant_id) + 1 > kMaxBarRaisers)
        return conflict("role: a loop has one Bar Raiser; change or remove the current one first");
    }
    const bool rights_changed =
        role != part->role() || rounds_of(*part) != std::vector<int>(req.round_indexes().begin(), req.round_indexes().end());
    if (!req.display_name().empty()) part->set_display_name(req.display_name());
    part->set_role(role);
    *part->mutable_round_indexes() = req.round_indexes();
    auto tokens = store_->tokens_of_loop(loop_id);
    if (!tokens) return internal(tokens.error());
    auto tx = store_->transaction([&]() -> Result<void> {
      if (auto r = store_->update_loop(loop->id(), loop->SerializeAsString()); !r) return r;
      return store_->set_participant_tokens(loop_id, participant_id, role, rounds_of(*part));
    });
    if (!tx) return internal(tx.error());
    if (rights_changed)
      for (const auto& t : *tokens)
        if (t.participant_id == participant_id && !t.revoked) reconnect.push_back(t.id);
    out = *part;
  }
  log::info("audit", "participant changed",
            {{"loop", loop_id}, {"participant", participant_id}, {"role", v1::Role_Name(out.role())}, {"by", p.participant.id()}});
  notify_access_ended(reconnect, "your role or rounds changed", kCloseAccessChanged);
  return out;
}

Result<v1::Loop> LoopService::remove_participant(const Principal& p, std::string_view loop_id,
                                                 std::string_view participant_id) {
  std::vector<std::string> revoked;
  v1::Loop view;
  {
    std::lock_guard lock(mu_);
    auto loop = panel_of(p, loop_id);
    if (!loop) return loop.error();
    auto* part = find(*loop, participant_id);
    if (!part) return not_found("no such participant in this loop");
    if (part->role() == v1::ROLE_HOST) return conflict("the host cannot be removed");
    if (part->role() == v1::ROLE_CANDIDATE) return conflict("the candidate cannot be removed; issue a new link instead");
    auto& parts = *loop->mutable_participants();
    for (int i = 0; i < parts.size(); ++i) {
      if (&parts.Get(i) == part) {
        parts.DeleteSubrange(i, 1);
        break;
      }
    }
    auto tx = store_->transaction([&]() -> Result<void> {
      if (auto r = store_->update_loop(loop->id(), loop->SerializeAsString()); !r) return r;
      auto ids = store_->revoke_participant_tokens(loop_id, participant_id);
      if (!ids) return ids.error();
      revoked = std::move(*ids);
      return {};
    });
    if (!tx) return internal(tx.error());
    view = view_loop(*loop, p);
  }
  log::info("audit", "participant removed", {{"loop", loop_id}, {"participant", participant_id}, {"by", p.participant.id()}});
  notify_access_ended(revoked, "removed from the loop");
  return view;
}

Result<v1::Invite> LoopService::reissue_invite(const Principal& p, std::string_view loop_id,
                                               std::string_view participant_id) {
  std::vector<std::string> revoked;
  Result<v1::Invite> invite = make_error(Errc::internal, "unset");
  {
    std::lock_guard lock(mu_);
    auto loop = panel_of(p, loop_id);
    if (!loop) return loop.error();
    if (participant_id == p.participant.id())
      return conflict("your own link cannot be replaced from this page (it would close it); keep it safe");
    invite = reissue_locked(*loop, participant_id, revoked);
  }
  if (!invite) return invite;
  log::info("audit", "invite reissued",
            {{"loop", loop_id}, {"participant", participant_id}, {"token_id", invite->token_id()}, {"by", p.participant.id()}});
  notify_access_ended(revoked, "invite replaced by a new link");
  return invite;
}

Result<v1::Invite> LoopService::reissue_by_operator(std::string_view loop_id, std::string_view participant_id) {
  std::vector<std::string> revoked;
  Result<v1::Invite> invite = make_error(Errc::internal, "unset");
  {
    std::lock_guard lock(mu_);
    auto loop = load_loop(loop_id);
    if (!loop) return loop.error();
    invite = reissue_locked(*loop, participant_id, revoked);
  }
  if (!invite) return invite;
  log::info("audit", "invite reissued",
            {{"loop", loop_id}, {"participant", participant_id}, {"token_id", invite->token_id()}, {"by", "operator"}});
  notify_access_ended(revoked, "invite replaced by a new link");
  return invite;
}

Result<v1::Invite> LoopService::reissue_locked(const v1::Loop& loop, std::string_view participant_id,
                                               std::vector<std::string>& revoked) {
  auto* part = find(loop, participant_id);
  if (!part) return not_found("no such participant in this loop");
  auto tokens = store_->tokens_of_loop(loop.id());
  if (!tokens) return internal(tokens.error());
  if (tokens->size() >= static_cast<size_t>(kMaxTokensPerLoop)) return conflict("this loop has issued 256 links, the most it may");
  auto fresh = new_invite(loop, *part, now_ms());
  auto tx = store_->transaction([&]() -> Result<void> {
    auto ids = store_->revoke_participant_tokens(loop.id(), participant_id);
    if (!ids) return ids.error();
    revoked = std::move(*ids);
    return store_->add_token(fresh.first);
  });
  if (!tx) return internal(tx.error());
  return std::move(fresh.second);
}

Result<v1::Loop> LoopService::set_schedule(const Principal& p, std::string_view loop_id,
                                           const v1::SetScheduleRequest& req) {
  std::lock_guard lock(mu_);
  auto loop = panel_of(p, loop_id);
  if (!loop) return loop.error();
  if (req.starts_size() > kMaxRoundsNamed) return invalid("starts: at most 32 entries");
  const int64_t now = now_ms();
  for (int i = 0; i < req.starts_size(); ++i) {
    const auto& s = req.starts(i);
    const std::string field = "starts[" + std::to_string(i) + "]";
    if (s.round_index() >= static_cast<uint32_t>(loop->rounds_size()))
      return invalid(field + ".round_index: round " + std::to_string(s.round_index()) + " is out of range");
    if (auto r = validate_start(field + ".starts_at_ms", s.starts_at_ms(), now); !r) return r.error();
  }
  for (const auto& s : req.starts()) loop->mutable_rounds(static_cast<int>(s.round_index()))->set_starts_at_ms(s.starts_at_ms());
  if (auto r = store_->update_loop(loop->id(), loop->SerializeAsString()); !r) return internal(r.error());
  return view_loop(*loop, p);
}

Result<void> LoopService::note_joined(const Principal& p) {
  if (p.token_id.empty() || p.loop_id.empty()) return {};
  std::lock_guard lock(mu_);
  if (auto r = store_->mark_joined(p.token_id, now_ms()); !r) return internal(r.error());
  return {};
}

}  // namespace mockloop::loop
