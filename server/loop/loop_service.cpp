#include "loop/loop_service.hpp"

#include <algorithm>
#include <set>

#include "common/log.hpp"
#include "loop/debrief_report.hpp"
#include "loop/doc_names.hpp"
#include "loop/ids.hpp"
#include "loop/limits.hpp"
#include "loop/notes_access.hpp"
#include "loop/panel_rules.hpp"
#include "loop/round_docs.hpp"
#include "loop/scorecard_rules.hpp"
#include "loop/views.hpp"
#include "common/log.hpp"
#include "scoring/debrief.hpp"

namespace mockloop::loop {

namespace {

using policy::Action;
using policy::Resource;

Error forbidden(std::string m) { return make_error(Errc::forbidden, std::move(m)); }
Error not_found(std::string m) { return make_error(Errc::not_found, std::move(m)); }
Error invalid(std::string m) { return make_error(Errc::invalid_argument, std::move(m)); }
Error conflict(std::string m) { return make_error(Errc::conflict, std::move(m)); }
// A save or submit whose base is not the stored scorecard (another tab or device saved).
Error stale(uint64_t base, uint64_t latest) {
  return conflict("the scorecard was saved elsewhere since this edit started (revision " + std::to_string(latest) +
                  ", this edit is based on " + std::to_string(base) + "); reload it and choose which text to keep");
}
// A store failure (disk full, I/O error, corruption): logged with its cause, answered as 500.
Error internal(const Error& e) {
  log::error("loop", "store operation failed", {{"code", std::string(name(e.code))}, {"error", e.message}});
  return make_error(Errc::internal, e.message);
}

template <typename T>
Result<T> parse(const std::string& bytes) {
  T msg;
  if (!msg.ParseFromString(bytes)) return make_error(Errc::internal, "corrupt stored record");
  return msg;
}

v1::Scorecard to_card(const store::ScorecardRow& row) {
  v1::Scorecard sc;
  sc.ParseFromString(row.data);
  return sc;
}

const v1::Participant* find_participant(const v1::Loop& loop, std::string_view id) {
  for (const auto& p : loop.participants())
    if (p.id() == id) return &p;
  return nullptr;
}

}  // namespace

Result<std::unique_ptr<LoopService>> LoopService::create(store::Database& db,
                                                         std::shared_ptr<const content::Catalog> catalog, Clock clock,
                                                         std::shared_ptr<RoundDocs> docs) {
  auto st = store::LoopStore::open(db);
  if (!st) return st.error();
  auto written = store::WrittenStore::open(db);
  if (!written) return written.error();
  return std::unique_ptr<LoopService>(new LoopService(std::move(*st), std::move(*written), std::move(catalog),
                                                      std::move(clock), std::move(docs)));
}

LoopService::LoopService(std::unique_ptr<store::LoopStore> store, std::unique_ptr<store::WrittenStore> written,
                         std::shared_ptr<const content::Catalog> catalog, Clock clock, std::shared_ptr<RoundDocs> docs)
    : store_(std::move(store)),
      written_(std::move(written)),
      catalog_(std::move(catalog)),
      clock_(std::move(clock)),
      docs_(std::move(docs)) {
  expiry_checked_ms_ = now_ms();
}

int64_t LoopService::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
}

int LoopService::on_revoke(AccessEnded fn) {
  std::lock_guard lock(callbacks_mu_);
  revoke_callbacks_[++next_callback_] = std::move(fn);
  return next_callback_;
}

void LoopService::remove_revoke_listener(int handle) {
  std::lock_guard lock(callbacks_mu_);
  revoke_callbacks_.erase(handle);
}

std::vector<int64_t> LoopService::phase_ms(const v1::Round& round) const {
  std::vector<int64_t> out;
  if (const auto* plan = catalog_->plan_for(round.kind()))
    for (const auto& ph : plan->phases()) out.push_back(int64_t{ph.planned_minutes()} * 60'000);
  if (out.empty()) out.push_back(int64_t{round.duration_minutes()} * 60'000);
  return out;
}

// ---------------------------------------------------------------- identity

Result<Principal> LoopService::authenticate(std::string_view token) {
  const Error refused = make_error(Errc::unauthenticated, "missing, unknown or revoked token");
  if (!plausible_token(token)) return refused;
  std::lock_guard lock(mu_);
  auto rec = store_->find_token_by_hash(store::hash_token(token));
  if (!rec) return internal(rec.error());
  if (!*rec || (*rec)->revoked) return refused;
  const auto& t = **rec;
  if (t.expires_at_ms > 0 && now_ms() >= t.expires_at_ms) return make_error(Errc::unauthenticated, "the invite has expired");
  Principal p;
  p.token_id = t.id;
  p.expires_at_ms = t.expires_at_ms;
  p.loop_id = t.loop_id;
  p.study_id = t.study_id;
  p.participant.set_id(t.participant_id);
  p.participant.set_role(static_cast<v1::Role>(t.role));
  for (int r : t.rounds) p.participant.add_round_indexes(static_cast<uint32_t>(r));
  if (!t.loop_id.empty()) {
    auto loop = load_loop(t.loop_id);
    if (!loop) return loop.error();
    if (const auto* part = find_participant(*loop, t.participant_id)) p.participant = *part;
  }
  return p;
}

Result<v1::Loop> LoopService::load_loop(std::string_view loop_id) {
  auto data = store_->load_loop(loop_id);
  if (!data) return internal(data.error());
  if (!*data) return not_found("no such loop");
  return parse<v1::Loop>(**data);
}

Result<v1::Loop> LoopService::loop_of(const Principal& p, std::string_view loop_id) {
  if (auto ok = permit(p, loop_id, Resource::loop, Action::read); !ok) return ok.error();
  return load_loop(loop_id);
}

Result<LoopService::DocTarget> LoopService::doc_target(const doc_names::Parsed& name) {
  using Kind = doc_names::Parsed::Kind;
  std::lock_guard lock(mu_);
  DocTarget t;
  if (name.kind == Kind::study) {
    auto room = store_->find_study_room(name.id);
    if (!room) return internal(room.error());
    if (!*room) return not_found("no such document");
    t.study_id = name.id;
    return t;
  }
  if (name.kind == Kind::written_draft || name.kind == Kind::written_review || name.kind == Kind::written_staff) {
    auto a = written_->find_assignment(name.id);
    if (!a) return internal(a.error());
    if (!*a) return not_found("no such document");
    t.loop_id = (*a)->loop_id;
    t.assignment_id = name.id;
    return t;
  }
  if (name.kind != Kind::round && name.kind != Kind::private_notes && name.kind != Kind::author_notes)
    return not_found("no such document");
  auto room = store_->find_room(name.id);
  if (!room) return internal(room.error());
  if (!*room) return not_found("no such document");
  t.loop_id = (*room)->loop_id;
  t.round = static_cast<uint32_t>((*room)->round_index);
  auto everyone = store_->loop_everyone_edits(t.loop_id);
  if (!everyone) return internal(everyone.error());
  t.everyone_edits = *everyone && **everyone;
  if (name.kind == Kind::author_notes) {
    auto loop = load_loop(t.loop_id);
    if (!loop) return loop.error();
    t.author_id = name.author;
    const auto* part = find_participant(*loop, name.author);
    t.author_known = part && keeps_notes(*loop, *part, t.round);
  }
  auto progress = progress_of(t.loop_id);
  if (!progress) return progress.error();
  t.current_round = (*progress)->current_round();
  return t;
}

// ---------------------------------------------------------------- loops

Result<v1::CreateLoopResponse> LoopService::create_loop(const v1::CreateLoopRequest& req) {
  const auto* tmpl = catalog_->find_template(req.template_id());
  if (!tmpl) return not_found("unknown template '" + req.template_id().substr(0, 64) + "'");
  if (req.title().size() > kMaxNameBytes || req.candidate_name().size() > kMaxNameBytes ||
      req.host_name().size() > kMaxNameBytes)
    return invalid("names and titles are limited to 200 bytes");
  if (req.participants_size() + 2 > kMaxParticipants) return invalid("participants: at most 30 invited people");

  const int64_t now = now_ms();
  v1::Loop loop;
  loop.set_id(new_id());
  loop.set_template_id(tmpl->id());
  loop.set_title(req.title().empty() ? tmpl->name() : req.title());
  loop.set_candidate_name(req.candidate_name().empty() ? "Candidate" : req.candidate_name());
  loop.set_level(tmpl->level());
  loop.set_created_at_ms(now);
  loop.set_decision_rule(tmpl->decision_rule());
  loop.set_min_hire_rounds(tmpl->min_hire_rounds());
  loop.set_scoring_optional(tmpl->scoring_optional());
  loop.set_everyone_edits(tmpl->everyone_edits());
  loop.set_replay_hidden_from_candidate(req.replay_hidden_from_candidate());
  if (auto r = validate_optional_rounds(*tmpl, req.optional_round_ids()); !r) return r.error();
  const std::set<std::string> optional_ids(req.optional_round_ids().begin(), req.optional_round_ids().end());
  for (const auto& spec : tmpl->rounds()) {
    if (spec.optional() && !req.include_optional_rounds() && !optional_ids.count(spec.id())) continue;
    auto* r = loop.add_rounds();
    r->set_index(static_cast<uint32_t>(loop.rounds_size() - 1));
    r->set_spec_id(spec.id());
    r->set_title(spec.title());
    r->set_kind(spec.kind());
    r->set_duration_minutes(spec.duration_minutes());
    r->set_onsite(spec.onsite());
    r->set_bar_raiser(spec.bar_raiser());
    r->set_room_id(new_id(12));
    r->set_break_minutes_after(tmpl->break_minutes());
  }
  if (loop.rounds_size() > 0) loop.mutable_rounds(loop.rounds_size() - 1)->set_break_minutes_after(0);
  if (req.schedule_size() > kMaxRoundsNamed) return invalid("schedule: at most 32 entries");
  for (int i = 0; i < req.schedule_size(); ++i) {
    const auto& start = req.schedule(i);
    const std::string field = "schedule[" + std::to_string(i) + "]";
    v1::Round* round = nullptr;
    for (auto& r : *loop.mutable_rounds())
      if (r.spec_id() == start.spec_id()) round = &r;
    if (!round) return invalid(field + ".spec_id: '" + start.spec_id().substr(0, 64) + "' is not a round of this loop");
    if (auto r = validate_start(field + ".starts_at_ms", start.starts_at_ms(), now); !r) return r.error();
    round->set_starts_at_ms(start.starts_at_ms());
  }

  std::vector<int64_t> expiries;  // per participant, 0 = never
  auto add_participant = [&](const std::string& name, v1::Role role,
                             const google::protobuf::RepeatedField<uint32_t>* rounds,
                             int64_t expires_at_ms = 0) -> Result<void> {
    if (expires_at_ms < 0 || (expires_at_ms > 0 && expires_at_ms <= now))
      return invalid("expires_at_ms must be in the future (or 0 for never)");
    expiries.push_back(expires_at_ms);
    if (name.size() > kMaxNameBytes) return invalid("names are limited to 200 bytes");
    if (role < v1::ROLE_HOST || role > v1::ROLE_OBSERVER) return invalid("unknown role");
    auto* part = loop.add_participants();
    part->set_id(new_id());
    part->set_display_name(name);
    part->set_role(role);
    if (rounds) {
      for (uint32_t r : *rounds) {
        if (r >= static_cast<uint32_t>(loop.rounds_size()))
          return invalid("round index " + std::to_string(r) + " is out of range");
        part->add_round_indexes(r);
      }
    }
    return {};
  };
  if (auto r = add_participant(req.host_name().empty() ? "Host" : req.host_name(), v1::ROLE_HOST, nullptr); !r)
    return r.error();
  bool has_candidate = false;
  int bar_raisers = 0;
  for (int i = 0; i < req.participants_size(); ++i) {
    const auto& spec = req.participants(i);
    const std::string field = "participants[" + std::to_string(i) + "]";
    if (auto r = validate_person(loop, field, spec.display_name(), spec.role(), spec.round_indexes()); !r)
      return r.error();
    if (spec.role() == v1::ROLE_CANDIDATE) {
      if (has_candidate) return invalid(field + ".role: a loop has one candidate");
      has_candidate = true;
    }
    if (spec.role() == v1::ROLE_BAR_RAISER && ++bar_raisers > kMaxBarRaisers)
      return invalid(field + ".role: a loop has one Bar Raiser");
    const std::string name = spec.display_name().empty() ? default_name(spec.role()) : spec.display_name();
    if (auto r = add_participant(name, spec.role(), &spec.round_indexes(), spec.expires_at_ms()); !r) return r.error();
  }
  if (!has_candidate) {
    if (auto r = add_participant(loop.candidate_name(), v1::ROLE_CANDIDATE, nullptr); !r) return r.error();
  }

  v1::CreateLoopResponse resp;
  std::vector<store::TokenRecord> tokens;
  for (int i = 0; i < loop.participants_size(); ++i) {
    const auto& part = loop.participants(i);
    store::TokenRecord t;
    t.expires_at_ms = expiries[static_cast<size_t>(i)];
    const std::string raw = new_token();
    t.id = new_id();
    t.hash = store::hash_token(raw);
    t.loop_id = loop.id();
    t.participant_id = part.id();
    t.role = part.role();
    for (uint32_t r : part.round_indexes()) t.rounds.push_back(static_cast<int>(r));
    t.created_at_ms = now;
    tokens.push_back(std::move(t));
    auto* inv = resp.add_invites();
    inv->set_token_id(tokens.back().id);
    inv->set_participant_id(part.id());
    inv->set_display_name(part.display_name());
    inv->set_role(part.role());
    inv->set_token(raw);
    inv->set_link("/join?token=" + raw);
    inv->set_expires_at_ms(tokens.back().expires_at_ms);
    inv->set_status(v1::INVITE_STATUS_INVITED);
    inv->set_issued_at_ms(now);
  }
  std::vector<store::RoomRow> rooms;
  std::vector<std::string> timers;
  for (const auto& r : loop.rounds()) {
    rooms.push_back({r.room_id(), static_cast<int>(r.index())});
    timers.push_back(PhaseTimer(r.index(), phase_ms(r), req.auto_advance()).state().SerializeAsString());
  }
  std::lock_guard lock(mu_);
  if (auto r = store_->create_loop(loop.id(), now, loop.everyone_edits(), loop.SerializeAsString(), rooms, tokens, timers);
      !r)
    return internal(r.error());
  if (milestone_listener_) milestone_listener_("loop.created", loop.id(), 0);
  *resp.mutable_loop() = loop;
  return resp;
}

Result<v1::ListLoopsResponse> LoopService::list_loops(const Principal& p) {
  v1::ListLoopsResponse out;
  if (p.loop_id.empty()) return out;
  std::lock_guard lock(mu_);
  auto loop = load_loop(p.loop_id);
  if (!loop) return loop.error();
  *out.add_loops() = view_loop(*loop, p);
  return out;
}

Result<v1::GetLoopResponse> LoopService::get_loop(const Principal& p, std::string_view loop_id) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, loop_id);
  if (!loop) return loop.error();
  v1::GetLoopResponse out;
  *out.mutable_loop() = view_loop(*loop, p);
  *out.mutable_you() = p.participant;
  if (permitted(p, loop_id, Resource::invites, Action::read)) {
    auto tokens = store_->tokens_of_loop(loop_id);
    if (!tokens) return internal(tokens.error());
    auto cards = store_->scorecards(loop_id);
    if (!cards) return internal(cards.error());
    std::map<std::string, std::set<uint32_t>> submitted;  // author -> rounds
    for (const auto& row : *cards)
      if (row.status == v1::SCORECARD_STATUS_SUBMITTED) submitted[row.author_id].insert(static_cast<uint32_t>(row.round_index));
    const int64_t now = now_ms();
    for (const auto& t : *tokens) {
      auto* inv = out.add_invites();
      inv->set_token_id(t.id);
      inv->set_participant_id(t.participant_id);
      inv->set_role(static_cast<v1::Role>(t.role));
      inv->set_revoked(t.revoked);
      inv->set_expires_at_ms(t.expires_at_ms);
      inv->set_issued_at_ms(t.created_at_ms);
      inv->set_joined_at_ms(t.joined_at_ms);
      const auto& rounds = submitted[t.participant_id];
      for (uint32_t r : rounds) inv->add_submitted_rounds(r);
      const bool dead = t.revoked || (t.expires_at_ms > 0 && now >= t.expires_at_ms);
      inv->set_status(dead              ? v1::INVITE_STATUS_REVOKED
                      : !rounds.empty() ? v1::INVITE_STATUS_SUBMITTED
                      : t.joined_at_ms  ? v1::INVITE_STATUS_JOINED
                                        : v1::INVITE_STATUS_INVITED);
      if (const auto* part = find_participant(*loop, t.participant_id)) inv->set_display_name(part->display_name());
    }
  }
  return out;
}

Result<v1::Invite> LoopService::revoke(const Principal& p, std::string_view loop_id, std::string_view token_id) {
  v1::Invite inv;
  {
    std::lock_guard lock(mu_);
    auto loop = loop_of(p, loop_id);
    if (!loop) return loop.error();
    if (auto ok = permit(p, loop_id, Resource::invites, Action::write); !ok) return ok.error();
    if (token_id == p.token_id) return conflict("the host cannot revoke their own token");
    auto ok = store_->revoke_token(loop_id, token_id);
    if (!ok) return internal(ok.error());
    if (!*ok) return not_found("no such token in this loop");
    inv.set_token_id(std::string(token_id));
    inv.set_revoked(true);
  }
  log::info("audit", "invite revoked", {{"loop", loop_id}, {"token_id", token_id}, {"by", p.participant.id()}});
  notify_access_ended({inv.token_id()}, "invite revoked");
  return inv;
}

void LoopService::notify_access_ended(const std::vector<std::string>& token_ids, const std::string& reason,
                                      uint16_t close_code) {
  std::vector<AccessEnded> callbacks;
  {
    std::lock_guard lock(callbacks_mu_);
    for (auto& [h, fn] : revoke_callbacks_) callbacks.push_back(fn);
  }
  for (const auto& id : token_ids)
    for (auto& fn : callbacks) fn(id, reason, close_code);
}

Result<size_t> LoopService::expire_due(int64_t now) {
  std::vector<std::string> ids;
  {
    std::lock_guard lock(mu_);
    if (now <= expiry_checked_ms_) return size_t{0};
    auto due = store_->tokens_expiring(expiry_checked_ms_, now);
    if (!due) return internal(due.error());
    expiry_checked_ms_ = now;
    ids = std::move(*due);
  }
  notify_access_ended(ids, "invite expired");
  return ids.size();
}

v1::ListTemplatesResponse LoopService::templates() const {
  v1::ListTemplatesResponse out;
  for (const auto& t : catalog_->templates()) *out.add_templates() = t;
  return out;
}

Result<v1::ListQuestionsResponse> LoopService::questions(const Principal& p, const content::QuestionFilter& filter) {
  // Not loop-scoped: a loop token counts as a participant of its own loop, a study token as
  // a study token (refused: see policy.hpp).
  if (auto ok = permit(p, p.loop_id, Resource::question_bank, Action::read); !ok) return ok.error();
  v1::ListQuestionsResponse out;
  for (const auto* q : catalog_->find_questions(filter)) *out.add_questions() = *q;
  return out;
}

Result<v1::StudyRoom> LoopService::create_study_room(const v1::CreateStudyRoomRequest& req) {
  if (req.title().size() > kMaxNameBytes || req.host_name().size() > kMaxNameBytes)
    return invalid("names and titles are limited to 200 bytes");
  store::StudyRoomRow row{new_id(), req.title().empty() ? "Study room" : req.title(), now_ms()};
  const std::string raw = new_token();
  store::TokenRecord t;
  t.id = new_id();
  t.hash = store::hash_token(raw);
  t.study_id = row.id;
  t.participant_id = new_id();
  t.role = v1::ROLE_INTERVIEWER;
  t.created_at_ms = row.created_at_ms;
  {
    std::lock_guard lock(mu_);
    if (auto r = store_->create_study_room(row, t); !r) return internal(r.error());
  }
  v1::StudyRoom out;
  out.set_id(row.id);
  out.set_title(row.title);
  out.set_doc_name(doc_names::study_doc(row.id));
  out.set_token(raw);
  out.set_link("/study/" + row.id + "?token=" + raw);
  out.set_created_at_ms(row.created_at_ms);
  return out;
}

// ---------------------------------------------------------------- scorecards

Result<std::vector<v1::Scorecard>> LoopService::own_versions(const v1::Loop& loop, uint32_t round,
                                                             const std::string& author) {
  auto rows = store_->scorecards(loop.id(), static_cast<int>(round), author);
  if (!rows) return internal(rows.error());
  std::vector<v1::Scorecard> out;
  for (const auto& row : *rows) out.push_back(to_card(row));
  return out;
}

Result<v1::ScorecardView> LoopService::get_scorecard(const Principal& p, std::string_view loop_id, uint32_t round) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return not_found("no such round");
  if (auto ok = permit(p, loop_id, Resource::own_scorecard, Action::read, round); !ok) return ok.error();
  auto rows = store_->scorecards(loop_id);
  if (!rows) return internal(rows.error());
  v1::ScorecardView view;
  bool submitted_mine = false;
  std::map<std::string, v1::Scorecard> others;  // author -> latest submitted
  std::vector<v1::Scorecard> mine;
  for (const auto& row : *rows) {
    if (row.round_index != static_cast<int>(round)) continue;
    auto sc = to_card(row);
    if (row.author_id == p.participant.id()) {
      submitted_mine = submitted_mine || sc.status() == v1::SCORECARD_STATUS_SUBMITTED;
      mine.push_back(std::move(sc));
    } else if (sc.status() == v1::SCORECARD_STATUS_SUBMITTED) {
      others[row.author_id] = std::move(sc);  // rows are ordered by version
    }
  }
  if (!mine.empty()) {
    *view.mutable_mine() = mine.back();
    for (size_t i = 0; i + 1 < mine.size(); ++i) *view.add_history() = mine[i];
  }
  const bool visible = submitted_mine || permitted(p, loop_id, Resource::others_scorecards, Action::read, round);
  view.set_others_hidden(!visible);
  if (visible && !others.empty()) {
    if (auto r = store_->record_panel_view(loop_id, static_cast<int>(round), p.participant.id(), now_ms()); !r)
      return internal(r.error());
  }
  if (visible)
    for (auto& [author, sc] : others) *view.add_others() = std::move(sc);
  return view;
}

Result<v1::Scorecard> LoopService::save_scorecard(const Principal& p, std::string_view loop_id, uint32_t round,
                                                  const v1::ScorecardDraft& draft,
                                                  std::optional<uint64_t> base_revision) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return not_found("no such round");
  if (auto ok = permit(p, loop_id, Resource::own_scorecard, Action::write, round); !ok) return ok.error();
  const MomentWindow window{loop->created_at_ms(), now_ms() + kMomentSkewMs};
  if (auto r = validate_draft(*catalog_, loop->rounds(static_cast<int>(round)), p.role(), draft, window); !r)
    return r.error();
  auto versions = own_versions(*loop, round, p.participant.id());
  if (!versions) return versions.error();
  const uint64_t latest = versions->empty() ? 0 : versions->back().revision();
  if (base_revision && *base_revision != latest) return stale(*base_revision, latest);
  const int64_t now = now_ms();
  v1::Scorecard sc;
  sc.set_revision(latest + 1);
  sc.set_loop_id(loop->id());
  sc.set_round_index(round);
  sc.set_author_id(p.participant.id());
  sc.set_author_name(p.participant.display_name());
  sc.set_author_role(p.role());
  sc.set_status(v1::SCORECARD_STATUS_DRAFT);
  *sc.mutable_content() = draft;
  sc.set_updated_at_ms(now);
  const bool edit_draft = !versions->empty() && versions->back().status() == v1::SCORECARD_STATUS_DRAFT;
  sc.set_version(versions->empty() ? 1 : versions->back().version() + (edit_draft ? 0 : 1));
  store::ScorecardRow row{loop->id(), static_cast<int>(round), p.participant.id(), static_cast<int>(sc.version()),
                          v1::SCORECARD_STATUS_DRAFT, sc.SerializeAsString(), now, 0};
  auto r = edit_draft ? store_->update_scorecard(row) : store_->insert_scorecard(row);
  if (!r) return r.error().code == Errc::conflict ? r.error() : internal(r.error());
  return sc;
}

Result<v1::Scorecard> LoopService::submit_scorecard(const Principal& p, std::string_view loop_id, uint32_t round,
                                                    std::optional<uint64_t> base_revision) {
  auto sc = submit_locked(p, loop_id, round, base_revision);
  if (!sc) return sc;
  std::vector<PanelChangedFn> callbacks;
  {
    std::lock_guard lock(callbacks_mu_);
    for (auto& [h, fn] : panel_callbacks_) callbacks.push_back(fn);
  }
  for (auto& fn : callbacks) fn(std::string(loop_id), round);
  return sc;
}

int LoopService::on_panel_changed(PanelChangedFn fn) {
  std::lock_guard lock(callbacks_mu_);
  panel_callbacks_[++next_callback_] = std::move(fn);
  return next_callback_;
}

void LoopService::remove_panel_listener(int handle) {
  std::lock_guard lock(callbacks_mu_);
  panel_callbacks_.erase(handle);
}

Result<v1::Scorecard> LoopService::submit_locked(const Principal& p, std::string_view loop_id, uint32_t round,
                                                 std::optional<uint64_t> base_revision) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return not_found("no such round");
  if (auto ok = permit(p, loop_id, Resource::own_scorecard, Action::write, round); !ok) return ok.error();
  auto versions = own_versions(*loop, round, p.participant.id());
  if (!versions) return versions.error();
  if (versions->empty() || versions->back().status() != v1::SCORECARD_STATUS_DRAFT)
    return conflict("no draft to submit; save a draft first");
  v1::Scorecard sc = versions->back();
  if (base_revision && *base_revision != sc.revision()) return stale(*base_revision, sc.revision());
  sc.set_revision(sc.revision() + 1);
  if (sc.content().overall() == v1::RATING_UNSPECIFIED && !loop->scoring_optional())
    return invalid("an overall recommendation is required to submit");
  const int64_t now = now_ms();
  auto viewed = store_->panel_viewed_at(loop_id, static_cast<int>(round), p.participant.id());
  if (!viewed) return internal(viewed.error());
  sc.set_revised_after_viewing_panel(viewed->has_value() && **viewed <= now);
  sc.set_status(v1::SCORECARD_STATUS_SUBMITTED);
  sc.set_submitted_at_ms(now);
  sc.set_updated_at_ms(now);
  store::ScorecardRow row{loop->id(), static_cast<int>(round), p.participant.id(), static_cast<int>(sc.version()),
                          v1::SCORECARD_STATUS_SUBMITTED, sc.SerializeAsString(), now, now};
  if (auto r = store_->update_scorecard(row); !r) return r.error().code == Errc::conflict ? r.error() : internal(r.error());
  log::info("audit", "scorecard submitted",
            {{"loop", loop_id}, {"round", std::to_string(round)}, {"author", p.participant.id()},
             {"version", std::to_string(sc.version())},
             {"revised_after_viewing_panel", sc.revised_after_viewing_panel() ? "true" : "false"}});
  return sc;
}

Result<std::vector<v1::Scorecard>> LoopService::latest_submitted(const v1::Loop& loop) {
  auto rows = store_->scorecards(loop.id());
  if (!rows) return internal(rows.error());
  std::map<std::pair<int, std::string>, v1::Scorecard> latest;
  for (const auto& row : *rows)
    if (row.status == v1::SCORECARD_STATUS_SUBMITTED) latest[{row.round_index, row.author_id}] = to_card(row);
  std::vector<v1::Scorecard> out;
  out.reserve(latest.size());
  for (auto& [key, sc] : latest) out.push_back(std::move(sc));
  return out;
}

Result<v1::Debrief> LoopService::debrief_locked(const Principal& p, std::string_view loop_id) {
  auto loop = loop_of(p, loop_id);
  if (!loop) return loop.error();
  if (auto ok = permit(p, loop_id, Resource::debrief, Action::read); !ok) return ok.error();
  auto cards = latest_submitted(*loop);
  if (!cards) return cards.error();
  // Reading the debrief is reading every round's panel.
  const int64_t now = now_ms();
  std::set<uint32_t> read_rounds;
  for (const auto& sc : *cards)
    if (sc.author_id() != p.participant.id()) read_rounds.insert(sc.round_index());
  for (uint32_t r : read_rounds)
    if (auto v = store_->record_panel_view(loop_id, static_cast<int>(r), p.participant.id(), now); !v)
      return internal(v.error());
  log::info("audit", "debrief viewed", {{"loop", loop_id}, {"by", p.participant.id()}});
  return scoring::build_debrief(*catalog_, *loop, *cards, now);
}

Result<v1::Decision> LoopService::decision(std::string_view loop_id) {
  std::lock_guard lock(mu_);
  auto loop = load_loop(loop_id);
  if (!loop) return loop.error();
  auto cards = latest_submitted(*loop);
  if (!cards) return cards.error();
  return scoring::build_debrief(*catalog_, *loop, *cards, now_ms()).decision();
}

Result<v1::Debrief> LoopService::debrief(const Principal& p, std::string_view loop_id) {
  std::lock_guard lock(mu_);
  return debrief_locked(p, loop_id);
}

Result<std::string> LoopService::debrief_html(const Principal& p, std::string_view loop_id) {
  v1::Debrief d;
  {
    std::lock_guard lock(mu_);
    auto r = debrief_locked(p, loop_id);
    if (!r) return r.error();
    d = std::move(*r);
  }
  std::vector<std::vector<v1::NotesRef>> notes;
  {
    std::lock_guard lock(mu_);
    auto loop = load_loop(loop_id);
    if (!loop) return loop.error();
    auto r = readable_notes_locked(p, *loop);
    if (!r) return r.error();
    notes = std::move(*r);
  }
  std::vector<store::LoopStore::RunRow> runs;
  {
    std::lock_guard lock(mu_);
    auto r = store_->runs_of_loop(loop_id);
    if (!r) return internal(r.error());
    runs = std::move(*r);
  }
  std::vector<RoundArtifacts> artifacts;
  for (const auto& round : d.loop().rounds()) {
    RoundArtifacts a;
    if (!docs_) {
      a.note = "documents are not available on this server";
      artifacts.push_back(std::move(a));
      continue;
    }
    a = docs_->load(doc_names::round_doc(round.room_id()));
    a.shared_notes = docs_->load_notes(doc_names::private_doc(round.room_id()));
    if (round.index() < notes.size()) {
      for (const auto& ref : notes[round.index()]) {
        std::string text = docs_->load_notes(ref.doc_name());
        if (!text.empty()) a.notes.push_back(AuthorNotes{ref.display_name(), role_label(ref.role()), std::move(text)});
      }
    }
    artifacts.push_back(std::move(a));
  }
  for (const auto& r : runs)
    if (r.round_index >= 0 && static_cast<size_t>(r.round_index) < artifacts.size())
      artifacts[static_cast<size_t>(r.round_index)].runs.push_back(
          {r.author, r.language, r.tests_mode, r.verdict, r.passed, r.total});
  // The board at each moment the round's scorecards cite (issue 19), rebuilt from history.
  if (docs_) {
    for (const auto& o : d.rounds()) {
      if (o.round_index() >= artifacts.size() || static_cast<int>(o.round_index()) >= d.loop().rounds_size()) continue;
      auto& a = artifacts[o.round_index()];
      const std::string doc = doc_names::round_doc(d.loop().rounds(static_cast<int>(o.round_index())).room_id());
      auto cite = [&](const auto& moments) {
        for (int64_t m : moments)
          if (a.boards_at.size() < kMaxReportMomentsPerRound && !a.boards_at.count(m))
            a.boards_at[m] = docs_->board_svg_at(doc, m);
      };
      for (const auto& sc : o.scorecards()) {
        for (const auto& c : sc.content().competencies()) cite(c.moments_ms());
        for (const auto& sig : sc.content().lp_signals()) cite(sig.moments_ms());
      }
    }
  }
  std::string html = render_debrief_html(d, artifacts);
  // The written work (issue 21): its section goes before the end of the body.
  std::vector<WrittenReportItem> items;
  {
    std::lock_guard lock(mu_);
    auto r = written_items_locked(p, loop_id);
    if (!r) return r.error();
    items = std::move(*r);
  }
  written_comments(items);
  const std::string written = render_written_section(items);
  if (const auto at = html.rfind("</body>"); !written.empty() && at != std::string::npos) html.insert(at, written);
  return html;
}

// ---------------------------------------------------------------- timers and sessions

Result<PhaseTimer*> LoopService::timer(const v1::Loop& loop, uint32_t round, int64_t now) {
  const auto key = std::make_pair(loop.id(), round);
  auto it = timers_.find(key);
  if (it == timers_.end()) {
    const auto& r = loop.rounds(static_cast<int>(round));
    auto data = store_->load_timer(loop.id(), static_cast<int>(round));
    if (!data) return internal(data.error());
    v1::TimerState persisted;
    if (*data && persisted.ParseFromString(**data)) {
      it = timers_.emplace(key, PhaseTimer(phase_ms(r), persisted)).first;
    } else {
      it = timers_.emplace(key, PhaseTimer(round, phase_ms(r), false)).first;
    }
  }
  if (it->second.advance(now)) {
    if (auto s = save_timer(loop, it->second); !s) return s.error();
  }
  return &it->second;
}

Result<void> LoopService::save_timer(const v1::Loop& loop, const PhaseTimer& t, std::string_view actor) {
  const int round = static_cast<int>(t.state().round_index());
  const std::string state = t.state().SerializeAsString();
  // The status before this change, for the round's milestones; read only when someone
  // listens (webhooks on), so a timer save costs no extra read by default.
  v1::TimerState before;
  if (milestone_listener_) {
    auto before_data = store_->load_timer(loop.id(), round);
    if (!before_data) return internal(before_data.error());
    if (*before_data && !before.ParseFromString(**before_data)) before.Clear();
  }
  if (auto r = store_->save_timer(loop.id(), round, state); !r) return internal(r.error());
  // The replay's record of the timer (issue 19): every saved state, with who changed it.
  const auto& s = t.state();
  const std::string label = "phase " + std::to_string(s.phase_index() + 1) + " " +
                            std::string(v1::TimerStatus_Name(s.status()));
  if (auto r = store::append_round_event(store_->database(), loop.id(), round,
                                         store::RoundEventRow{now_ms(), "timer", std::string(actor), label, state});
      !r)
    return internal(r.error());
  if (phase_listener_ && round < loop.rounds_size())
    phase_listener_(doc_names::round_doc(loop.rounds(round).room_id()), label);
  if (milestone_listener_) {
    const auto was = before.status();
    const bool was_idle = was == v1::TIMER_STATUS_IDLE || was == v1::TIMER_STATUS_UNSPECIFIED;
    if (was_idle && s.status() != v1::TIMER_STATUS_IDLE && s.status() != v1::TIMER_STATUS_UNSPECIFIED)
      milestone_listener_("round.started", loop.id(), static_cast<uint32_t>(round));
    if (was != v1::TIMER_STATUS_FINISHED && s.status() == v1::TIMER_STATUS_FINISHED)
      milestone_listener_("round.finished", loop.id(), static_cast<uint32_t>(round));
  }
  return {};
}

Result<v1::LoopProgress*> LoopService::progress_of(std::string_view loop_id) {
  if (auto it = progress_.find(loop_id); it != progress_.end()) return &it->second;
  auto data = store_->load_progress(loop_id);
  if (!data) return internal(data.error());
  v1::LoopProgress p;  // a loop that never moved is in round 0
  if (*data && !p.ParseFromString(**data)) return make_error(Errc::internal, "corrupt stored record");
  return &progress_.emplace(std::string(loop_id), std::move(p)).first->second;
}

Result<v1::LoopProgress> LoopService::progress(const Principal& p) {
  std::lock_guard lock(mu_);
  if (auto ok = permit(p, p.loop_id, Resource::loop_progress, Action::read); !ok) return ok.error();
  auto progress = progress_of(p.loop_id);
  if (!progress) return progress.error();
  v1::LoopProgress out = **progress;
  out.set_server_now_ms(now_ms());
  return out;
}

Result<ProgressMove> LoopService::move_loop(const Principal& p, uint32_t round, bool take_break) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, p.loop_id);
  if (!loop) return loop.error();
  auto progress = progress_of(p.loop_id);
  if (!progress) return progress.error();
  const uint32_t current = (*progress)->current_round();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return not_found("no such round");
  if (auto ok = permit(p, p.loop_id, Resource::loop_progress, Action::write, round, false, current); !ok)
    return ok.error();
  auto moved = move_progress(**progress, *loop, round, take_break, p.participant.display_name(), now_ms());
  if (!moved) return moved.error();
  if (!moved->changed) return moved;
  const int64_t now = now_ms();
  if (moved->ended_break) {
    auto t = timer(*loop, round, now);
    if (!t) return t.error();
    if ((*t)->state().status() == v1::TIMER_STATUS_IDLE) {
      PhaseTimer copy = **t;
      if (auto r = copy.start(now); !r) return r.error();
      if (auto s = save_timer(*loop, copy, p.participant.id()); !s) return s.error();
      **t = copy;
      moved->started = copy.view(now);
    }
  }
  v1::LoopProgress stored = moved->progress;
  stored.clear_server_now_ms();
  if (auto r = store_->save_progress(p.loop_id, stored.SerializeAsString()); !r) return internal(r.error());
  **progress = std::move(stored);
  log::info("audit", "loop moved",
            {{"loop", p.loop_id}, {"from", std::to_string(moved->from_round)}, {"to", std::to_string(round)},
             {"break_ms", std::to_string(moved->progress.break_ms())}, {"by", p.participant.id()}});
  return moved;
}

Result<std::optional<LoopService::BreakEnded>> LoopService::end_break_if_due(std::string_view loop_id, int64_t now) {
  std::lock_guard lock(mu_);
  auto progress = progress_of(loop_id);
  if (!progress) return progress.error();
  const auto& cur = **progress;
  if (cur.break_ends_at_ms() == 0) return std::optional<BreakEnded>();  // the tick's fast path
  auto loop = load_loop(loop_id);
  if (!loop) return loop.error();
  const uint32_t round = cur.current_round();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return not_found("no such round");
  auto t = timer(*loop, round, now);
  if (!t) return t.error();
  const bool idle = (*t)->state().status() == v1::TIMER_STATUS_IDLE;
  if (idle && break_running(cur, now)) return std::optional<BreakEnded>();
  BreakEnded out;
  if (idle) {  // the break ran out: the round starts when it ended
    PhaseTimer copy = **t;
    if (auto r = copy.start(cur.break_ends_at_ms()); !r) return r.error();
    if (auto s = save_timer(*loop, copy); !s) return s.error();
    **t = copy;
    out.timer = copy.view(now);
  }
  v1::LoopProgress next = end_break(cur);
  if (auto r = store_->save_progress(loop_id, next.SerializeAsString()); !r) return internal(r.error());
  **progress = next;
  out.progress = std::move(next);
  out.progress.set_server_now_ms(now);
  return std::optional<BreakEnded>(std::move(out));
}

Result<uint32_t> LoopService::default_round(const Principal& p) {
  std::lock_guard lock(mu_);
  if (auto ok = permit(p, p.loop_id, Resource::loop, Action::read); !ok) return ok.error();
  auto loop = load_loop(p.loop_id);
  if (!loop) return loop.error();
  auto progress = progress_of(p.loop_id);
  if (!progress) return progress.error();
  const uint32_t current = (*progress)->current_round();
  if (permitted(p, p.loop_id, Resource::round_session, Action::read, current, false, current)) return current;
  const int64_t now = now_ms();
  std::optional<uint32_t> first;
  for (const auto& r : loop->rounds()) {
    if (!permitted(p, p.loop_id, Resource::round_session, Action::read, r.index(), false, current)) continue;
    if (!first) first = r.index();
    auto t = timer(*loop, r.index(), now);
    if (!t) return t.error();
    if ((*t)->state().status() != v1::TIMER_STATUS_FINISHED) return r.index();
  }
  if (!first) return forbidden("you are not assigned to any round");
  return *first;
}

Result<v1::StateSnapshot> LoopService::snapshot(const Principal& p, uint32_t round) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, p.loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return not_found("no such round");
  auto progress = progress_of(p.loop_id);
  if (!progress) return progress.error();
  if (auto ok = permit(p, p.loop_id, Resource::round_session, Action::read, round, false, (*progress)->current_round());
      !ok)
    return ok.error();
  const int64_t now = now_ms();
  auto t = timer(*loop, round, now);
  if (!t) return t.error();
  const bool staff = is_staff_of_round(p, round);
  std::optional<v1::Scorecard> mine;
  if (staff) {
    auto versions = own_versions(*loop, round, p.participant.id());
    if (!versions) return versions.error();
    if (!versions->empty()) mine = versions->back();
  }
  auto snap = build_snapshot(*catalog_, *loop, round, p, (*t)->view(now), staff, mine, **progress, now);
  if (staff) {
    auto submitted = submitted_locked(*loop, round, p.participant.id());
    if (!submitted) return submitted.error();
    *snap.mutable_notes() = loop::notes_docs(*loop, round, p, *submitted);
  }
  return snap;
}

Result<v1::TimerState> LoopService::timer_command(const Principal& p, uint32_t round, const v1::TimerCommand& cmd) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, p.loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return not_found("no such round");
  if (auto ok = permit(p, p.loop_id, Resource::round_session, Action::write, round); !ok) return ok.error();
  const int64_t now = now_ms();
  auto t = timer(*loop, round, now);
  if (!t) return t.error();
  PhaseTimer copy = **t;
  if (auto r = copy.apply(cmd, now); !r) return r.error();
  if (auto s = save_timer(*loop, copy, p.participant.id()); !s) return s.error();
  **t = copy;
  return copy.view(now);
}

Result<std::optional<v1::TimerState>> LoopService::advance_timer(std::string_view loop_id, uint32_t round, int64_t now) {
  std::lock_guard lock(mu_);
  // Fast path for tick(): a cached timer needs no database read unless it moved.
  if (auto it = timers_.find({std::string(loop_id), round}); it != timers_.end()) {
    PhaseTimer copy = it->second;
    if (!copy.advance(now)) return std::optional<v1::TimerState>();
    auto loop = load_loop(loop_id);
    if (!loop) return loop.error();
    if (auto r = save_timer(*loop, copy); !r) return r.error();
    it->second = copy;
    return std::optional<v1::TimerState>(copy.view(now));
  }
  auto loop = load_loop(loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return not_found("no such round");
  auto t = timer(*loop, round, now);  // loads, then advances and saves if due
  if (!t) return t.error();
  return std::optional<v1::TimerState>((*t)->view(now));
}

Result<QuestionSelection> LoopService::select_question(const Principal& p, uint32_t round,
                                                       std::string_view question_id) {
  std::lock_guard lock(mu_);
  auto loop = loop_of(p, p.loop_id);
  if (!loop) return loop.error();
  if (round >= static_cast<uint32_t>(loop->rounds_size())) return not_found("no such round");
  if (auto ok = permit(p, p.loop_id, Resource::round_session, Action::write, round); !ok) return ok.error();
  const auto* q = catalog_->find_question(question_id);
  if (!q) return not_found("no such question");
  auto* r = loop->mutable_rounds(static_cast<int>(round));
  if (q->round_kind() != r->kind()) return invalid("the question is for another kind of round");
  r->set_selected_question_id(q->id());
  if (auto s = store_->update_loop(loop->id(), loop->SerializeAsString()); !s) return internal(s.error());
  if (auto e = store::append_round_event(store_->database(), loop->id(), static_cast<int>(round),
                                         store::RoundEventRow{now_ms(), "question", p.participant.id(), q->title(), q->id()});
      !e)
    return internal(e.error());
  return QuestionSelection{prompt_of(*q), *q};
}

}  // namespace mockloop::loop
