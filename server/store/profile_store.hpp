// ProfileStore: the SQLite tables of candidate profiles (issue 20; profile_migrations.cpp):
// the profiles, their mentors, the loops attached to them, self-assessments and STAR
// stories (kept as StoryDraft blobs), handover codes of kept profiles. SQL only: who may read or change what is
// account::ProfileService's (account/profile_access.hpp).
//
// Not thread-safe: used by one thread at a time (ProfileService serialises its calls under
// its mutex). The Database must outlive the ProfileStore.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"

namespace mockloop::store {

struct ProfileRow {
  std::string id;
  std::string name;
  std::string candidate_user_id;  // "" = a profile a mentor keeps
  std::string owner_id;
  int64_t created_at_ms = 0;
};

struct ProfileUserRow {  // a user as a profile shows them (users table of "accounts")
  std::string user_id;
  std::string email;
  std::string display_name;
};

struct ProfileLoopRow {
  std::string loop_id;
  std::string attached_by;
  int64_t attached_at_ms = 0;
};

struct AssessmentRow {
  std::string id;
  int64_t taken_at_ms = 0;
  std::vector<uint32_t> ratings;
  uint32_t score = 0;
  std::string band_id;
};

struct StoryRow {
  std::string id;
  std::string draft;  // serialised v1::StoryDraft
  bool shared = false;
  int64_t created_at_ms = 0;
  int64_t updated_at_ms = 0;
};

struct HandoverRow {
  std::string hash;  // SHA-256 of the code (store::hash_token)
  std::string profile_id;
  std::string created_by;
  int64_t created_at_ms = 0;
  int64_t expires_at_ms = 0;
};

class ProfileStore {
 public:
  // Applies the "profiles" migrations (the "accounts" ones must be applied already).
  static Result<std::unique_ptr<ProfileStore>> open(Database& db);

  // Errc::conflict when the candidate already has a profile. With `owner_mentors`, the
  // owner is also its first mentor (a mentor-kept profile).
  Result<void> insert_profile(const ProfileRow& p, bool owner_mentors);
  Result<std::optional<ProfileRow>> find_profile(std::string_view id);
  Result<std::optional<ProfileRow>> profile_of_candidate(std::string_view user_id);
  // Profiles the user is the candidate of, owns or mentors; oldest first.
  Result<std::vector<ProfileRow>> profiles_of(std::string_view user_id);
  Result<int64_t> count_owned(std::string_view owner_id);

  Result<std::optional<ProfileUserRow>> find_user_by_email(std::string_view email);
  Result<std::vector<ProfileUserRow>> mentors(std::string_view profile_id);
  // Replaces the mentor list in one transaction.
  Result<void> set_mentors(std::string_view profile_id, const std::vector<std::string>& user_ids, int64_t now_ms);

  // Idempotent (the first attachment is kept).
  Result<void> attach_loop(std::string_view profile_id, const ProfileLoopRow& row);
  Result<std::vector<ProfileLoopRow>> loops(std::string_view profile_id);
  Result<int64_t> count_loops(std::string_view profile_id);
  // Every attachment of the loop goes (the loop is being deleted). Returns how many.
  Result<int64_t> detach_loop(std::string_view loop_id);

  Result<void> insert_assessment(std::string_view profile_id, const AssessmentRow& a);
  Result<std::vector<AssessmentRow>> assessments(std::string_view profile_id);  // oldest first
  Result<int64_t> count_assessments(std::string_view profile_id);

  Result<void> insert_story(std::string_view profile_id, const StoryRow& s);
  // false when the profile has no such story.
  Result<bool> update_story(std::string_view profile_id, const StoryRow& s);
  Result<bool> delete_story(std::string_view profile_id, std::string_view story_id);
  Result<std::vector<StoryRow>> stories(std::string_view profile_id);  // oldest first
  Result<int64_t> count_stories(std::string_view profile_id);

  // Handover codes (one per profile: a new one replaces the old).
  Result<void> replace_handover(const HandoverRow& h);
  Result<std::optional<HandoverRow>> find_handover(std::string_view hash);
  // Loops, self-assessments and stories the profile holds, together.
  Result<int64_t> count_content(std::string_view profile_id);
  // In one transaction: drops `drop_profile_id` (the candidate's own profile, empty; "" for
  // none), makes the kept profile `profile_id` the candidate's own (candidate and owner
  // `user_id`; the candidate leaves its mentor list, the other mentors stay; its stories,
  // written by its mentors, become shared), and deletes its handover codes.
  // Errc::conflict when the profile is no longer a kept one.
  Result<void> hand_over(std::string_view profile_id, std::string_view user_id, std::string_view drop_profile_id);

 private:
  explicit ProfileStore(Database& db) : db_(db) {}
  Database& db_;
};

}  // namespace mockloop::store
