// The bounds on what a client may store in candidate profiles (issue 20), each with its
// default. Refusals are Errc::invalid_argument (a field too long) or Errc::conflict (a
// count reached), and nothing is written.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mockloop::account {

inline constexpr size_t kMaxProfileNameBytes = 200;       // a profile's name
inline constexpr size_t kMaxProfilesPerOwner = 200;       // mentor-kept profiles per account
inline constexpr size_t kMaxMentorsPerProfile = 10;       // who a profile is shared with
inline constexpr size_t kMaxLoopsPerProfile = 500;        // loops attached to one profile
inline constexpr size_t kMaxAssessmentsPerProfile = 200;  // self-assessments kept
inline constexpr size_t kMaxStoriesPerProfile = 50;       // STAR stories in one bank
inline constexpr size_t kMaxStoryTitleBytes = 200;        // a story's title
inline constexpr size_t kMaxStoryFieldBytes = 4000;       // situation, task, action, result, each follow-up
inline constexpr size_t kMaxStoryPrinciples = 16;         // principles one story names
inline constexpr int64_t kHandoverLifetimeMs = 7LL * 24 * 3600 * 1000;  // a handover code: 7 days
inline constexpr size_t kMaxHandoverCodeBytes = 64;       // a code as a client sends it

}  // namespace mockloop::account
