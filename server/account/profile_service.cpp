#include "account/profile_service.hpp"

#include <algorithm>

#include "account/account_service.hpp"
#include "account/password.hpp"
#include "scoring/progress_stats.hpp"
#include "store/loop_store.hpp"

namespace mockloop::account {
namespace {

Error db_error(const Error& e) { return make_error(Errc::internal, e.message); }

Result<void> bounded(std::string_view what, const std::string& s, size_t max) {
  if (s.size() > max)
    return make_error(Errc::invalid_argument, std::string(what) + ": at most " + std::to_string(max) + " bytes");
  return {};
}

}  // namespace

Result<std::unique_ptr<ProfileService>> ProfileService::create(store::Database& db,
                                                               std::shared_ptr<const content::Catalog> catalog,
                                                               Clock clock) {
  auto s = store::ProfileStore::open(db);
  if (!s) return s.error();
  return std::unique_ptr<ProfileService>(new ProfileService(std::move(*s), std::move(catalog), std::move(clock)));
}

int64_t ProfileService::now_ms() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(clock_().time_since_epoch()).count();
}

Result<ProfileService::Access> ProfileService::access_locked(const std::string& profile_id,
                                                              const std::string& user_id, ProfileAction action) {
  auto row = store_->find_profile(profile_id);
  if (!row) return db_error(row.error());
  if (!*row) return make_error(Errc::not_found, "no such profile");
  Access a{std::move(**row)};
  if (!a.row.candidate_user_id.empty() && a.row.candidate_user_id == user_id) {
    a.relation = v1::PROFILE_RELATION_CANDIDATE;
  } else if (a.kept() && a.row.owner_id == user_id) {
    a.relation = v1::PROFILE_RELATION_OWNER;
  } else {
    auto mentors = store_->mentors(profile_id);
    if (!mentors) return db_error(mentors.error());
    for (const auto& m : *mentors)
      if (m.user_id == user_id) a.relation = v1::PROFILE_RELATION_MENTOR;
  }
  if (a.relation == v1::PROFILE_RELATION_UNSPECIFIED) return make_error(Errc::not_found, "no such profile");
  if (!profile_may(a.relation, a.kept(), action)) {
    switch (action) {
      case ProfileAction::share:
        return make_error(Errc::forbidden, a.kept() ? "only the mentor who keeps this profile chooses who sees it"
                                                    : "only the candidate chooses who sees their progress");
      default:
        return make_error(Errc::forbidden, a.kept() ? "only this profile's mentors may change it"
                                                    : "only the candidate writes their own preparation");
    }
  }
  return a;
}

Result<v1::CandidateProfile> ProfileService::view_locked(const Access& a) {
  v1::CandidateProfile p;
  p.set_id(a.row.id);
  p.set_name(a.row.name);
  p.set_candidate_user_id(a.row.candidate_user_id);
  p.set_owner_id(a.row.owner_id);
  p.set_created_at_ms(a.row.created_at_ms);
  p.set_relation(a.relation);
  p.set_stories_shared(!a.kept());
  auto mentors = store_->mentors(a.row.id);
  if (!mentors) return db_error(mentors.error());
  for (const auto& m : *mentors) {
    auto* pm = p.add_mentors();
    pm->set_user_id(m.user_id);
    pm->set_email(m.email);
    pm->set_display_name(m.display_name);
  }
  auto loops = store_->loops(a.row.id);
  if (!loops) return db_error(loops.error());
  for (const auto& l : *loops) p.add_loop_ids(l.loop_id);
  return p;
}

Result<v1::CandidateProfile> ProfileService::own_profile(const std::string& user_id, const std::string& name) {
  std::lock_guard lock(mu_);
  auto row = store_->profile_of_candidate(user_id);
  if (!row) return db_error(row.error());
  if (!*row) {
    store::ProfileRow p{random_secret(9), name.substr(0, kMaxProfileNameBytes), user_id, user_id, now_ms()};
    if (auto r = store_->insert_profile(p, false); !r && r.error().code != Errc::conflict) return db_error(r.error());
    row = store_->profile_of_candidate(user_id);
    if (!row) return db_error(row.error());
    if (!*row) return make_error(Errc::internal, "own profile not found after insert");
  }
  return view_locked(Access{std::move(**row), v1::PROFILE_RELATION_CANDIDATE});
}

Result<v1::CandidateProfile> ProfileService::create_kept(const std::string& user_id, const std::string& name) {
  if (name.empty()) return make_error(Errc::invalid_argument, "name: required");
  if (auto r = bounded("name", name, kMaxProfileNameBytes); !r) return r.error();
  std::lock_guard lock(mu_);
  auto n = store_->count_owned(user_id);
  if (!n) return db_error(n.error());
  if (static_cast<size_t>(*n) >= kMaxProfilesPerOwner)
    return make_error(Errc::conflict, "at most " + std::to_string(kMaxProfilesPerOwner) + " profiles per account");
  store::ProfileRow p{random_secret(9), name, "", user_id, now_ms()};
  if (auto r = store_->insert_profile(p, true); !r) return db_error(r.error());
  return view_locked(Access{std::move(p), v1::PROFILE_RELATION_OWNER});
}

Result<v1::ListProfilesResponse> ProfileService::list(const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto rows = store_->profiles_of(user_id);
  if (!rows) return db_error(rows.error());
  v1::ListProfilesResponse out;
  for (const auto& r : *rows) {
    auto a = access_locked(r.id, user_id, ProfileAction::read);
    if (!a) continue;
    auto v = view_locked(*a);
    if (!v) return v.error();
    *out.add_profiles() = std::move(*v);
  }
  return out;
}

Result<v1::CandidateProfile> ProfileService::view(const std::string& profile_id, const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::read);
  if (!a) return a.error();
  return view_locked(*a);
}

Result<v1::CandidateProfile> ProfileService::set_mentors(const std::string& profile_id, const std::string& user_id,
                                                         const std::vector<std::string>& emails) {
  if (emails.size() > kMaxMentorsPerProfile)
    return make_error(Errc::invalid_argument, "emails: at most " + std::to_string(kMaxMentorsPerProfile));
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::share);
  if (!a) return a.error();
  std::vector<std::string> ids;
  if (a->kept()) ids.push_back(a->row.owner_id);  // the keeping mentor always sees their profile
  for (const auto& e : emails) {
    auto norm = normalize_email(e);
    if (!norm) return norm.error();
    auto u = store_->find_user_by_email(*norm);
    if (!u) return db_error(u.error());
    if (!*u) return make_error(Errc::invalid_argument, "no account has the e-mail " + *norm);
    if ((*u)->user_id == a->row.candidate_user_id) continue;  // the candidate sees their own
    if (std::find(ids.begin(), ids.end(), (*u)->user_id) == ids.end()) ids.push_back((*u)->user_id);
  }
  if (auto r = store_->set_mentors(profile_id, ids, now_ms()); !r) return db_error(r.error());
  return view_locked(*a);
}

Result<v1::CandidateProfile> ProfileService::attach_loop(const std::string& profile_id, const std::string& user_id,
                                                         const std::string& loop_id) {
  if (loop_id.empty() || loop_id.size() > 64) return make_error(Errc::invalid_argument, "loopId: required");
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::attach_loop);
  if (!a) return a.error();
  auto n = store_->count_loops(profile_id);
  if (!n) return db_error(n.error());
  if (static_cast<size_t>(*n) >= kMaxLoopsPerProfile)
    return make_error(Errc::conflict, "at most " + std::to_string(kMaxLoopsPerProfile) + " loops per profile");
  if (auto r = store_->attach_loop(profile_id, {loop_id, user_id, now_ms()}); !r) return db_error(r.error());
  return view_locked(*a);
}

Result<int64_t> ProfileService::detach_loop(const std::string& loop_id) {
  std::lock_guard lock(mu_);
  auto n = store_->detach_loop(loop_id);
  if (!n) return db_error(n.error());
  return n;
}

Result<v1::SelfAssessment> ProfileService::assessment_view(const store::AssessmentRow& row) const {
  auto v = scoring::assess(catalog_->self_assessment(), row.ratings);
  if (!v) {  // the form changed since: keep what was stored
    v1::SelfAssessment out;
    for (auto r : row.ratings) out.add_ratings(r);
    out.set_score(row.score);
    out.set_band_id(row.band_id);
    v = std::move(out);
  }
  v->set_id(row.id);
  v->set_taken_at_ms(row.taken_at_ms);
  return v;
}

Result<v1::SelfAssessment> ProfileService::add_assessment(const std::string& profile_id, const std::string& user_id,
                                                          const std::vector<uint32_t>& ratings) {
  auto scored = scoring::assess(catalog_->self_assessment(), ratings);
  if (!scored) return scored.error();
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::write_prep);
  if (!a) return a.error();
  auto n = store_->count_assessments(profile_id);
  if (!n) return db_error(n.error());
  if (static_cast<size_t>(*n) >= kMaxAssessmentsPerProfile)
    return make_error(Errc::conflict, "at most " + std::to_string(kMaxAssessmentsPerProfile) + " self-assessments per profile");
  store::AssessmentRow row{random_secret(9), now_ms(), ratings, scored->score(), scored->band_id()};
  if (auto r = store_->insert_assessment(profile_id, row); !r) return db_error(r.error());
  scored->set_id(row.id);
  scored->set_taken_at_ms(row.taken_at_ms);
  return scored;
}

Result<v1::ListAssessmentsResponse> ProfileService::assessments(const std::string& profile_id,
                                                                const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::read);
  if (!a) return a.error();
  auto rows = store_->assessments(profile_id);
  if (!rows) return db_error(rows.error());
  v1::ListAssessmentsResponse out;
  for (const auto& r : *rows) {
    auto v = assessment_view(r);
    if (!v) return v.error();
    *out.add_assessments() = std::move(*v);
  }
  return out;
}

Result<std::vector<v1::Story>> ProfileService::stories_locked(const Access& a) {
  auto rows = store_->stories(a.row.id);
  if (!rows) return db_error(rows.error());
  std::vector<v1::Story> out;
  for (const auto& r : *rows) {
    if (!story_visible(a.relation, a.kept(), r.shared)) continue;
    v1::Story s;
    s.set_id(r.id);
    if (!s.mutable_content()->ParseFromString(r.draft)) return make_error(Errc::internal, "stored story does not parse");
    s.mutable_content()->set_shared(r.shared);
    s.set_created_at_ms(r.created_at_ms);
    s.set_updated_at_ms(r.updated_at_ms);
    out.push_back(std::move(s));
  }
  return out;
}

Result<void> ProfileService::check_draft(const v1::StoryDraft& d) const {
  if (d.title().empty()) return make_error(Errc::invalid_argument, "title: required");
  if (auto r = bounded("title", d.title(), kMaxStoryTitleBytes); !r) return r;
  const std::pair<const char*, const std::string*> fields[] = {
      {"situation", &d.situation()},
      {"task", &d.task()},
      {"action", &d.action()},
      {"result", &d.result()},
      {"followUps.surface", &d.follow_ups().surface()},
      {"followUps.technicalDepth", &d.follow_ups().technical_depth()},
      {"followUps.leadershipImpact", &d.follow_ups().leadership_impact()},
      {"followUps.organisationalContext", &d.follow_ups().organisational_context()},
      {"followUps.growth", &d.follow_ups().growth()},
  };
  for (const auto& [name, value] : fields)
    if (auto r = bounded(name, *value, kMaxStoryFieldBytes); !r) return r;
  if (static_cast<size_t>(d.principles_size()) > kMaxStoryPrinciples)
    return make_error(Errc::invalid_argument, "principles: at most " + std::to_string(kMaxStoryPrinciples));
  for (const auto& lp : d.principles())
    if (!catalog_->find_principle(lp)) return make_error(Errc::invalid_argument, "principles: unknown principle '" + lp.substr(0, 64) + "'");
  if (!v1::StoryKind_IsValid(d.kind())) return make_error(Errc::invalid_argument, "kind: unknown");
  return {};
}

Result<v1::ListStoriesResponse> ProfileService::stories(const std::string& profile_id, const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::read);
  if (!a) return a.error();
  auto list = stories_locked(*a);
  if (!list) return list.error();
  v1::ListStoriesResponse out;
  *out.mutable_coverage() = scoring::story_coverage(*catalog_, *list);
  for (auto& s : *list) *out.add_stories() = std::move(s);
  return out;
}

Result<v1::Story> ProfileService::add_story(const std::string& profile_id, const std::string& user_id,
                                            const v1::StoryDraft& d) {
  if (auto r = check_draft(d); !r) return r.error();
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::write_prep);
  if (!a) return a.error();
  auto n = store_->count_stories(profile_id);
  if (!n) return db_error(n.error());
  if (static_cast<size_t>(*n) >= kMaxStoriesPerProfile)
    return make_error(Errc::conflict, "at most " + std::to_string(kMaxStoriesPerProfile) + " stories per profile");
  const int64_t now = now_ms();
  store::StoryRow row{random_secret(9), d.SerializeAsString(), d.shared(), now, now};
  if (auto r = store_->insert_story(profile_id, row); !r) return db_error(r.error());
  v1::Story s;
  s.set_id(row.id);
  *s.mutable_content() = d;
  s.set_created_at_ms(now);
  s.set_updated_at_ms(now);
  return s;
}

Result<v1::Story> ProfileService::update_story(const std::string& profile_id, const std::string& user_id,
                                               const std::string& story_id, const v1::StoryDraft& d) {
  if (auto r = check_draft(d); !r) return r.error();
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::write_prep);
  if (!a) return a.error();
  const int64_t now = now_ms();
  store::StoryRow row{story_id, d.SerializeAsString(), d.shared(), 0, now};
  auto ok = store_->update_story(profile_id, row);
  if (!ok) return db_error(ok.error());
  if (!*ok) return make_error(Errc::not_found, "no such story");
  auto all = stories_locked(*a);
  if (!all) return all.error();
  for (auto& s : *all)
    if (s.id() == story_id) return std::move(s);
  return make_error(Errc::not_found, "no such story");
}

Result<void> ProfileService::delete_story(const std::string& profile_id, const std::string& user_id,
                                          const std::string& story_id) {
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::write_prep);
  if (!a) return a.error();
  auto ok = store_->delete_story(profile_id, story_id);
  if (!ok) return db_error(ok.error());
  if (!*ok) return make_error(Errc::not_found, "no such story");
  return {};
}

Result<v1::ProfileHandover> ProfileService::create_handover(const std::string& profile_id,
                                                            const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::read);
  if (!a) return a.error();
  if (!a->kept()) return make_error(Errc::conflict, "this profile is already its candidate's own");
  if (a->relation != v1::PROFILE_RELATION_OWNER)
    return make_error(Errc::forbidden, "only the mentor who keeps this profile hands it over");
  const std::string code = random_secret(24);
  store::HandoverRow row{store::hash_token(code), profile_id, user_id, now_ms(), 0};
  row.expires_at_ms = row.created_at_ms + kHandoverLifetimeMs;
  if (auto r = store_->replace_handover(row); !r) return db_error(r.error());
  v1::ProfileHandover out;
  out.set_profile_id(profile_id);
  out.set_code(code);
  out.set_link("/progress/claim?code=" + code);
  out.set_expires_at_ms(row.expires_at_ms);
  return out;
}

Result<v1::CandidateProfile> ProfileService::claim(const std::string& user_id, const std::string& code) {
  if (code.empty()) return make_error(Errc::invalid_argument, "code: required");
  if (auto r = bounded("code", code, kMaxHandoverCodeBytes); !r) return r.error();
  std::lock_guard lock(mu_);
  auto h = store_->find_handover(store::hash_token(code));
  if (!h) return db_error(h.error());
  if (!*h) return make_error(Errc::not_found, "no such handover code (wrong, already used or replaced by a newer one)");
  if ((*h)->expires_at_ms <= now_ms())
    return make_error(Errc::not_found, "this handover code has expired: ask your mentor for a new one");
  auto row = store_->find_profile((*h)->profile_id);
  if (!row) return db_error(row.error());
  if (!*row || !(*row)->candidate_user_id.empty()) return make_error(Errc::not_found, "no such handover code");
  if ((*row)->owner_id == user_id)
    return make_error(Errc::forbidden, "you keep this profile: the candidate redeems the code, signed in to their own account");
  auto own = store_->profile_of_candidate(user_id);
  if (!own) return db_error(own.error());
  std::string drop;
  if (*own) {
    auto n = store_->count_content((*own)->id);
    if (!n) return db_error(n.error());
    if (*n > 0)
      return make_error(Errc::conflict, "your account already has a profile with loops, self-assessments or stories; "
                                        "profiles are not merged: keep using yours, or ask your mentor to attach the "
                                        "loops to it");
    drop = (*own)->id;
  }
  if (auto r = store_->hand_over((*row)->id, user_id, drop); !r) {
    if (r.error().code == Errc::conflict) return r.error();
    return db_error(r.error());
  }
  auto a = access_locked((*row)->id, user_id, ProfileAction::read);
  if (!a) return a.error();
  return view_locked(*a);
}

Result<ProfileService::ProgressInputs> ProfileService::progress_inputs(const std::string& profile_id,
                                                                      const std::string& user_id) {
  std::lock_guard lock(mu_);
  auto a = access_locked(profile_id, user_id, ProfileAction::read);
  if (!a) return a.error();
  ProgressInputs in;
  auto v = view_locked(*a);
  if (!v) return v.error();
  in.profile = std::move(*v);
  for (const auto& id : in.profile.loop_ids()) in.loop_ids.push_back(id);
  auto rows = store_->assessments(profile_id);
  if (!rows) return db_error(rows.error());
  for (const auto& r : *rows) {
    auto s = assessment_view(r);
    if (!s) return s.error();
    in.assessments.push_back(std::move(*s));
  }
  auto st = stories_locked(*a);
  if (!st) return st.error();
  in.stories = std::move(*st);
  return in;
}

}  // namespace mockloop::account
