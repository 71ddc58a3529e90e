#include "room/authorizer_loop.hpp"

#include <algorithm>

namespace mockloop::room {
namespace {

AccessDecision refuse(int status, std::string reason) { return AccessDecision{false, false, status, std::move(reason)}; }
AccessDecision allow(bool read_only) { return AccessDecision{true, read_only, 0, ""}; }

constexpr std::string_view kRoomPrefix = "room-";
constexpr std::string_view kStudyPrefix = "study-";
constexpr std::string_view kPrivateSuffix = "-private";
constexpr std::size_t kTokenLength = 43;  // 32 bytes, base64url

}  // namespace

Result<std::unique_ptr<LoopAuthorizer>> LoopAuthorizer::open(store::Database& db) {
  auto st = store::LoopStore::open(db);
  if (!st) return st.error();
  return std::unique_ptr<LoopAuthorizer>(new LoopAuthorizer(std::move(*st)));
}

AccessDecision LoopAuthorizer::authorize(std::string_view doc_name, std::string_view token) {
  std::lock_guard lock(mu_);
  return decide(doc_name, token);
}

AccessDecision LoopAuthorizer::decide(std::string_view doc_name, std::string_view token) {
  if (token.size() != kTokenLength) return refuse(401, "missing, unknown or revoked token");
  auto rec = store_->find_token_by_hash(store::hash_token(token));
  if (!rec) return refuse(500, "database error");
  if (!*rec || (*rec)->revoked) return refuse(401, "missing, unknown or revoked token");
  const auto& t = **rec;

  if (doc_name.starts_with(kStudyPrefix)) {
    const auto id = doc_name.substr(kStudyPrefix.size());
    auto room = store_->find_study_room(id);
    if (!room) return refuse(500, "database error");
    if (!*room) return refuse(404, "no such document");
    if (t.study_id != id) return refuse(403, "this token does not belong to the study room");
    return allow(false);
  }
  if (!doc_name.starts_with(kRoomPrefix)) return refuse(404, "no such document");

  std::string_view room_id = doc_name.substr(kRoomPrefix.size());
  auto room = store_->find_room(room_id);
  if (!room) return refuse(500, "database error");
  bool is_private = false;
  if (!*room && room_id.ends_with(kPrivateSuffix)) {
    room_id.remove_suffix(kPrivateSuffix.size());
    room = store_->find_room(room_id);
    if (!room) return refuse(500, "database error");
    is_private = true;
  }
  if (!*room) return refuse(404, "no such document");
  const auto& ref = **room;
  if (t.loop_id != ref.loop_id) return refuse(403, "this token does not belong to the loop");

  const bool assigned = t.rounds.empty() || std::find(t.rounds.begin(), t.rounds.end(), ref.round_index) != t.rounds.end();
  switch (t.role) {
    case store::kRoleHost:
    case store::kRoleBarRaiser: return allow(false);
    case store::kRoleInterviewer:
      return assigned ? allow(false) : refuse(403, "you are not assigned to this round");
    case store::kRoleCandidate:
      return is_private ? refuse(403, "interviewers only") : allow(false);
    case store::kRoleObserver: {
      if (is_private) return refuse(403, "interviewers only");
      auto everyone = store_->loop_everyone_edits(ref.loop_id);
      if (!everyone) return refuse(500, "database error");
      return allow(!(*everyone && **everyone));
    }
    default: return refuse(403, "unknown role");
  }
}

}  // namespace mockloop::room
