// ProfileService: candidate profiles and the preparation tools (issue 20; docs/progress.md).
// A profile is a candidate's own account or one a mentor keeps; hosts attach loops to it;
// the candidate (or, for a kept profile, its mentors) keeps self-assessments and STAR
// stories in it; the candidate chooses who sees it (the mentors of a kept profile by
// default). Every call takes the caller's user id and applies account/profile_access.hpp;
// the progress numbers themselves are scoring::build_progress over what progress_inputs()
// returns and the loops' scorecards (loop/progress_api.cpp joins the two).
//
// Thread-safe: store calls are serialised under `mu_` on the service's own Database
// connection; callers are the REST workers (never an io thread).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "account/profile_access.hpp"
#include "account/profile_limits.hpp"
#include "common/result.hpp"
#include "content/catalog.hpp"
#include "progress.pb.h"
#include "store/database.hpp"
#include "store/profile_store.hpp"

namespace mockloop::account {

class ProfileService {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;
  // Applies the "profiles" migrations on `db` (after the "accounts" ones; `db` must outlive
  // the service and be used by no other thread).
  static Result<std::unique_ptr<ProfileService>> create(store::Database& db,
                                                        std::shared_ptr<const content::Catalog> catalog,
                                                        Clock clock = std::chrono::system_clock::now);
  int64_t now_ms() const;
  const content::Catalog& catalog() const { return *catalog_; }

  // The caller's own profile, made on first use (named after `display_name` or the e-mail).
  Result<v1::CandidateProfile> own_profile(const std::string& user_id, const std::string& name);
  // A profile the caller keeps as a mentor (they are its first mentor).
  Result<v1::CandidateProfile> create_kept(const std::string& user_id, const std::string& name);
  Result<v1::ListProfilesResponse> list(const std::string& user_id);
  Result<v1::CandidateProfile> view(const std::string& profile_id, const std::string& user_id);
  // Replaces who may see the profile (ProfileAction::share); each e-mail an existing account
  // (Errc::invalid_argument names the first unknown one); at most kMaxMentorsPerProfile.
  Result<v1::CandidateProfile> set_mentors(const std::string& profile_id, const std::string& user_id,
                                           const std::vector<std::string>& emails);
  // ProfileAction::attach_loop; whether the caller hosts the loop is the caller's to check first.
  Result<v1::CandidateProfile> attach_loop(const std::string& profile_id, const std::string& user_id,
                                           const std::string& loop_id);

  // Forgets the loop in every profile. Deleting a loop needs no call: store/loop_deletion
  // removes these rows in its own transaction (same file, a loop_id column); the progress
  // skips a loop that is gone anyway. Returns how many attachments went.
  Result<int64_t> detach_loop(const std::string& loop_id);

  Result<v1::SelfAssessment> add_assessment(const std::string& profile_id, const std::string& user_id,
                                            const std::vector<uint32_t>& ratings);
  Result<v1::ListAssessmentsResponse> assessments(const std::string& profile_id, const std::string& user_id);

  // The stories the caller may read, with their coverage.
  Result<v1::ListStoriesResponse> stories(const std::string& profile_id, const std::string& user_id);
  Result<v1::Story> add_story(const std::string& profile_id, const std::string& user_id, const v1::StoryDraft& d);
  Result<v1::Story> update_story(const std::string& profile_id, const std::string& user_id,
                                 const std::string& story_id, const v1::StoryDraft& d);
  Result<void> delete_story(const std::string& profile_id, const std::string& user_id, const std::string& story_id);

  // Handing a mentor-kept profile over to the candidate's own account (docs/accounts.md,
  // "Handing a profile over"). Only the keeper makes a code (a co-mentor 403, an
  // own-account profile 409); a new code replaces the profile's previous one; it lasts
  // kHandoverLifetimeMs.
  Result<v1::ProfileHandover> create_handover(const std::string& profile_id, const std::string& user_id);
  // The signed-in `user_id` redeems `code`: the profile becomes their own. Errc::not_found
  // for a wrong, used, replaced or expired code; Errc::forbidden for the keeper themselves;
  // Errc::conflict when the caller's own profile already holds loops, self-assessments or
  // stories (an empty one, as the progress page makes on first visit, is replaced).
  Result<v1::CandidateProfile> claim(const std::string& user_id, const std::string& code);

  // What the progress page needs from the profile tables (ProfileAction::read).
  struct ProgressInputs {
    v1::CandidateProfile profile;
    std::vector<std::string> loop_ids;  // attached by hosts, oldest first
    std::vector<v1::SelfAssessment> assessments;
    std::vector<v1::Story> stories;     // those the caller may read
  };
  Result<ProgressInputs> progress_inputs(const std::string& profile_id, const std::string& user_id);

 private:
  ProfileService(std::unique_ptr<store::ProfileStore> store, std::shared_ptr<const content::Catalog> catalog,
                 Clock clock)
      : store_(std::move(store)), catalog_(std::move(catalog)), clock_(std::move(clock)) {}

  struct Access {
    store::ProfileRow row;
    v1::ProfileRelation relation = v1::PROFILE_RELATION_UNSPECIFIED;
    bool kept() const { return row.candidate_user_id.empty(); }
  };
  // REQUIRES: mu_ held. Errc::not_found unless the caller has a relation to the profile;
  // Errc::forbidden when it does not allow `action`.
  Result<Access> access_locked(const std::string& profile_id, const std::string& user_id, ProfileAction action);
  Result<v1::CandidateProfile> view_locked(const Access& a);
  Result<std::vector<v1::Story>> stories_locked(const Access& a);
  Result<v1::SelfAssessment> assessment_view(const store::AssessmentRow& row) const;
  Result<void> check_draft(const v1::StoryDraft& d) const;

  std::mutex mu_;  // guards store_ (and so its Database)
  std::unique_ptr<store::ProfileStore> store_;
  std::shared_ptr<const content::Catalog> catalog_;
  Clock clock_;
};

}  // namespace mockloop::account
