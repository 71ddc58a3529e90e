#include "loop/study_service.hpp"

#include <algorithm>

#include "common/log.hpp"
#include "loop/doc_names.hpp"
#include "loop/ids.hpp"
#include "loop/study_roles.hpp"

namespace mockloop::loop {
namespace {

using policy::Action;
using policy::Resource;

Error invalid(std::string m) { return make_error(Errc::invalid_argument, std::move(m)); }
Error internal(const Error& e) {
  log::error("study", "store operation failed", {{"code", std::string(name(e.code))}, {"error", e.message}});
  return make_error(Errc::internal, e.message);
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool has_control(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

v1::StudyPeer* find_peer(v1::StudyState& st, std::string_view id) {
  for (auto& p : *st.mutable_peers())
    if (!id.empty() && p.id() == id) return &p;
  return nullptr;
}

}  // namespace

Result<std::unique_ptr<StudyService>> StudyService::create(store::Database& db,
                                                           std::shared_ptr<const content::Catalog> catalog,
                                                           Clock clock) {
  auto st = store::StudyStore::open(db);
  if (!st) return st.error();
  return std::unique_ptr<StudyService>(new StudyService(std::move(*st), std::move(catalog), std::move(clock)));
}

StudyService::StudyService(std::unique_ptr<store::StudyStore> store, std::shared_ptr<const content::Catalog> catalog,
                           Clock clock)
    : store_(std::move(store)), catalog_(std::move(catalog)), clock_(std::move(clock)) {}

int64_t StudyService::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
}

std::vector<int64_t> StudyService::phase_ms() const {
  std::vector<int64_t> out;
  if (const auto* plan = catalog_->plan_for(kStudyPlanKind))
    for (const auto& ph : plan->phases()) out.push_back(int64_t{ph.planned_minutes()} * 60'000);
  if (out.empty()) out.push_back(int64_t{60} * 60'000);
  return out;
}

std::vector<v1::Question> StudyService::bank() const {
  std::vector<v1::Question> out;
  for (const auto& q : catalog_->questions()) {
    if (q.round_kind() != v1::ROUND_KIND_SYSTEM_DESIGN && q.round_kind() != v1::ROUND_KIND_PEER_SYSTEM_DESIGN) continue;
    v1::Question practice = q;
    practice.clear_interviewer_notes();  // what good looks like: grading material, not practice
    out.push_back(std::move(practice));
  }
  return out;
}

// ---------------------------------------------------------------- rooms

Result<StudyService::Room*> StudyService::load(const std::string& study_id) {
  if (auto it = rooms_.find(study_id); it != rooms_.end()) return &it->second;
  auto row = store_->find_room(study_id);
  if (!row) return internal(row.error());
  if (!*row) return make_error(Errc::not_found, "no such study room");
  auto data = store_->load_state(study_id);
  if (!data) return internal(data.error());
  v1::StudyState state;
  if (*data && !state.ParseFromString(**data)) return make_error(Errc::internal, "corrupt stored study room");
  PhaseTimer timer = state.has_timer() ? PhaseTimer(phase_ms(), state.timer()) : PhaseTimer(0, phase_ms(), true);
  Room r{{}, std::move(state), std::move(timer), {}};
  r.info.set_id((*row)->id);
  r.info.set_title((*row)->title);
  r.info.set_doc_name(doc_names::study_doc((*row)->id));
  r.info.set_created_at_ms((*row)->created_at_ms);
  return &rooms_.emplace(study_id, std::move(r)).first->second;
}

Result<StudyService::Room*> StudyService::room(const Principal& p, Resource resource, Action action) {
  const auto d = policy::decide(kind_for_study(p, p.study_id), p.role(), resource, action);
  if (!d.allowed) return make_error(d.refusal, "only a token of this study room may do this");
  auto r = load(p.study_id);
  if (!r) return r.error();
  // A timer that ran past its phases while nobody was here catches up first.
  const bool moved = (*r)->timer.advance(now_ms());
  if (end_block_if_finished(**r) || moved) {
    if (auto s = save(**r); !s) return s.error();
  }
  return r;
}

Result<void> StudyService::save(Room& r) {
  *r.state.mutable_timer() = r.timer.state();
  for (auto& p : *r.state.mutable_peers()) p.clear_present();
  if (auto s = store_->save_state(r.info.id(), r.state.SerializeAsString()); !s) return internal(s.error());
  return {};
}

bool StudyService::end_block_if_finished(Room& r) {
  if (r.timer.state().status() != v1::TIMER_STATUS_FINISHED) return false;
  r.state.set_block(r.state.block() + 1);
  r.timer.reset();
  if (r.state.rotation()) study_roles::assign(*r.state.mutable_peers(), present_ids(r), r.state.block());
  return true;
}

std::set<std::string> StudyService::present_ids(const Room& r) const {
  std::set<std::string> out;
  for (const auto& [id, n] : r.present)
    if (n > 0) out.insert(id);
  return out;
}

v1::StudyPeers StudyService::peers_view(const Room& r) const {
  v1::StudyPeers out;
  const auto here = present_ids(r);
  for (const auto& p : r.state.peers()) {
    auto* v = out.add_peers();
    *v = p;
    v->set_present(here.count(p.id()) > 0);
  }
  out.set_rotation(r.state.rotation());
  out.set_block(r.state.block());
  return out;
}

std::vector<std::string> StudyService::active_rooms() {
  std::lock_guard lock(mu_);
  std::vector<std::string> out;
  for (const auto& [id, r] : rooms_)
    if (!present_ids(r).empty()) out.push_back(id);
  return out;
}

// ---------------------------------------------------------------- session calls

Result<void> StudyService::check_open(const Principal& p) {
  std::lock_guard lock(mu_);
  auto r = room(p, Resource::study_session, Action::read);
  if (!r) return r.error();
  return {};
}

Result<StudyService::Joined> StudyService::join(const Principal& p, std::string_view peer_id, std::string_view name) {
  name = trim(name);
  if (name.empty()) return invalid("a name is required to join a study room");
  if (name.size() > kMaxStudyNameBytes) return invalid("names are limited to 60 bytes");
  if (has_control(name)) return invalid("a name may not contain control characters");
  if (peer_id.size() > kMaxPeerIdBytes) return invalid("peer ids are limited to 64 bytes");
  std::lock_guard lock(mu_);
  auto r = room(p, Resource::study_session, Action::read);
  if (!r) return r.error();
  Room& rm = **r;
  v1::StudyPeer* peer = find_peer(rm.state, peer_id);
  if (!peer) {
    auto& roster = *rm.state.mutable_peers();
    if (roster.size() >= static_cast<int>(kMaxStudyPeers)) {
      // The oldest absent peer makes way; a roster of present peers is full.
      const auto here = present_ids(rm);
      auto gone = std::find_if(roster.begin(), roster.end(), [&](const v1::StudyPeer& x) { return !here.count(x.id()); });
      if (gone == roster.end()) return make_error(Errc::conflict, "the study room is full (12 peers)");
      roster.erase(gone);
    }
    peer = rm.state.add_peers();
    peer->set_id(new_id());
    peer->set_joined_at_ms(now_ms());
  }
  peer->set_name(std::string(name));
  const std::string id = peer->id();
  ++rm.present[id];
  if (rm.state.rotation()) study_roles::fill(*rm.state.mutable_peers(), id);
  if (auto s = save(rm); !s) {
    --rm.present[id];
    return s.error();
  }
  auto fb = store_->feedback(rm.info.id());
  if (!fb) return internal(fb.error());

  Joined out;
  out.peer_id = id;
  out.peers = peers_view(rm);
  auto& snap = out.snapshot;
  *snap.mutable_room() = rm.info;
  if (const auto* plan = catalog_->plan_for(kStudyPlanKind)) *snap.mutable_plan() = *plan;
  const int64_t now = now_ms();
  *snap.mutable_timer() = rm.timer.view(now);
  snap.set_you(id);
  *snap.mutable_peers() = out.peers.peers();
  snap.set_rotation(rm.state.rotation());
  snap.set_block(rm.state.block());
  if (policy::decide(kind_for_study(p, p.study_id), p.role(), Resource::practice_bank, Action::read).allowed) {
    for (auto& q : bank()) {
      if (q.id() == rm.state.selected_question_id()) *snap.mutable_selected() = q;
      *snap.add_questions() = std::move(q);
    }
  }
  for (const auto& bytes : *fb) {
    if (!snap.add_feedback()->ParseFromString(bytes)) return make_error(Errc::internal, "corrupt stored feedback");
  }
  snap.set_server_time_ms(now);
  return out;
}

Result<v1::StudyPeers> StudyService::leave(const Principal& p, const std::string& peer_id) {
  std::lock_guard lock(mu_);
  auto it = rooms_.find(p.study_id);
  if (it == rooms_.end()) return make_error(Errc::not_found, "no such study room");
  auto& present = it->second.present;
  if (auto pit = present.find(peer_id); pit != present.end() && --pit->second <= 0) present.erase(pit);
  auto out = peers_view(it->second);
  if (present.empty()) rooms_.erase(it);  // persisted; reloaded by the next join
  return out;
}

Result<StudyService::Change> StudyService::timer_command(const Principal& p, const v1::TimerCommand& cmd) {
  std::lock_guard lock(mu_);
  auto r = room(p, Resource::study_session, Action::write);
  if (!r) return r.error();
  Room& rm = **r;
  const int64_t now = now_ms();
  PhaseTimer before = rm.timer;
  const uint32_t block = rm.state.block();
  const auto roster = rm.state.peers();
  if (auto a = rm.timer.apply(cmd, now); !a) return a.error();
  const bool ended = end_block_if_finished(rm);
  if (auto s = save(rm); !s) {
    rm.timer = before;
    rm.state.set_block(block);
    *rm.state.mutable_peers() = roster;
    return s.error();
  }
  Change c;
  c.timer = rm.timer.view(now);
  if (ended) c.peers = peers_view(rm);
  return c;
}

Result<StudyService::Change> StudyService::advance(const std::string& study_id, int64_t now) {
  std::lock_guard lock(mu_);
  auto it = rooms_.find(study_id);
  if (it == rooms_.end()) return Change{};
  Room& rm = it->second;
  if (!rm.timer.advance(now)) return Change{};
  const bool ended = end_block_if_finished(rm);
  if (auto s = save(rm); !s) return s.error();
  Change c;
  c.timer = rm.timer.view(now);
  if (ended) c.peers = peers_view(rm);
  return c;
}

Result<v1::Question> StudyService::select_question(const Principal& p, std::string_view question_id) {
  std::lock_guard lock(mu_);
  auto r = room(p, Resource::study_session, Action::write);
  if (!r) return r.error();
  for (auto& q : bank()) {
    if (q.id() != question_id) continue;
    (*r)->state.set_selected_question_id(q.id());
    if (auto s = save(**r); !s) return s.error();
    return q;
  }
  return make_error(Errc::not_found, "no such prompt in the practice bank");
}

Result<v1::StudyPeers> StudyService::set_rotation(const Principal& p, bool enabled) {
  std::lock_guard lock(mu_);
  auto r = room(p, Resource::study_session, Action::write);
  if (!r) return r.error();
  Room& rm = **r;
  if (rm.state.rotation() != enabled) {
    rm.state.set_rotation(enabled);
    if (enabled) study_roles::assign(*rm.state.mutable_peers(), present_ids(rm), rm.state.block());
    else study_roles::clear(*rm.state.mutable_peers());
    if (auto s = save(rm); !s) return s.error();
  }
  return peers_view(rm);
}

Result<v1::StudyFeedback> StudyService::submit_feedback(const Principal& p, const std::string& peer_id,
                                                        const v1::StudySubmitFeedback& form) {
  if (form.rating() > kMaxStudyRating) return invalid("rating must be 0..4");
  if (form.went_well().size() > kMaxFeedbackTextBytes || form.to_improve().size() > kMaxFeedbackTextBytes)
    return invalid("each feedback field is limited to 2000 bytes");
  if (trim(form.went_well()).empty() && trim(form.to_improve()).empty() && form.rating() == 0)
    return invalid("the feedback form is empty");
  std::lock_guard lock(mu_);
  auto r = room(p, Resource::study_session, Action::write);
  if (!r) return r.error();
  Room& rm = **r;
  const v1::StudyPeer* author = find_peer(rm.state, peer_id);
  if (!author) return make_error(Errc::conflict, "join the study room before writing feedback");
  v1::StudyFeedback fb;
  fb.set_id(new_id());
  fb.set_author_peer_id(author->id());
  fb.set_author_name(author->name());
  if (!form.about_peer_id().empty()) {
    const v1::StudyPeer* about = find_peer(rm.state, form.about_peer_id());
    if (!about) return make_error(Errc::not_found, "no such peer in this study room");
    fb.set_about_peer_id(about->id());
    fb.set_about_name(about->name());
  }
  fb.set_block(rm.state.block());
  fb.set_rating(form.rating());
  fb.set_went_well(form.went_well());
  fb.set_to_improve(form.to_improve());
  fb.set_created_at_ms(now_ms());
  auto added = store_->add_feedback(rm.info.id(), fb.created_at_ms(), fb.SerializeAsString(), kMaxStudyFeedback);
  if (!added) return internal(added.error());
  if (!*added) return make_error(Errc::conflict, "this study room holds the most feedback entries it may (200)");
  return fb;
}

Result<std::vector<v1::Question>> StudyService::practice_bank(const Principal& p) {
  const auto d = policy::decide(kind_for_study(p, p.study_id), p.role(), Resource::practice_bank, Action::read);
  if (!d.allowed) return make_error(d.refusal, "only a study room's token reads the practice bank");
  return bank();
}

}  // namespace mockloop::loop
