#include "loop/panel_rules.hpp"

#include <set>

#include "loop/limits.hpp"

namespace mockloop::loop {
namespace {

Error invalid(std::string_view field, const std::string& msg) {
  return make_error(Errc::invalid_argument, std::string(field) + ": " + msg);
}

}  // namespace

Result<void> validate_person(const v1::Loop& loop, std::string_view field, const std::string& name, v1::Role role,
                             const google::protobuf::RepeatedField<uint32_t>& rounds) {
  const std::string f(field);
  if (name.size() > kMaxNameBytes) return invalid(f + ".display_name", "names are limited to 200 bytes");
  if (role == v1::ROLE_HOST) return invalid(f + ".role", "the host is the caller; invite other roles");
  if (role != v1::ROLE_INTERVIEWER && role != v1::ROLE_BAR_RAISER && role != v1::ROLE_CANDIDATE &&
      role != v1::ROLE_OBSERVER)
    return invalid(f + ".role", "unknown role");
  if (!rounds.empty() && role != v1::ROLE_INTERVIEWER)
    return invalid(f + ".round_indexes", "only interviewers are assigned to rounds");
  if (rounds.size() > kMaxRoundsNamed) return invalid(f + ".round_indexes", "at most 32 rounds");
  std::set<uint32_t> seen;
  for (int i = 0; i < rounds.size(); ++i) {
    const uint32_t r = rounds.Get(i);
    const std::string fi = f + ".round_indexes[" + std::to_string(i) + "]";
    if (r >= static_cast<uint32_t>(loop.rounds_size()))
      return invalid(fi, "round index " + std::to_string(r) + " is out of range");
    if (!seen.insert(r).second) return invalid(fi, "round " + std::to_string(r) + " is named twice");
  }
  return {};
}

Result<void> validate_start(std::string_view field, int64_t starts_at_ms, int64_t now_ms) {
  if (starts_at_ms == 0) return {};
  if (starts_at_ms < 0 || starts_at_ms < now_ms - kMaxScheduleDistanceMs || starts_at_ms > now_ms + kMaxScheduleDistanceMs)
    return invalid(field, "a start time must be within 366 days of now (or 0 for unscheduled)");
  return {};
}

Result<void> validate_optional_rounds(const v1::Template& tmpl,
                                      const google::protobuf::RepeatedPtrField<std::string>& ids) {
  if (ids.size() > kMaxRoundsNamed) return invalid("optional_round_ids", "at most 32 rounds");
  std::set<std::string> seen;
  for (int i = 0; i < ids.size(); ++i) {
    const std::string fi = "optional_round_ids[" + std::to_string(i) + "]";
    const auto& id = ids.Get(i);
    bool optional = false;
    for (const auto& spec : tmpl.rounds()) optional = optional || (spec.id() == id && spec.optional());
    if (!optional) return invalid(fi, "'" + id.substr(0, 64) + "' is not an optional round of this template");
    if (!seen.insert(id).second) return invalid(fi, "'" + id.substr(0, 64) + "' is named twice");
  }
  return {};
}

std::string default_name(v1::Role role) {
  switch (role) {
    case v1::ROLE_HOST: return "Host";
    case v1::ROLE_INTERVIEWER: return "Interviewer";
    case v1::ROLE_BAR_RAISER: return "Bar Raiser";
    case v1::ROLE_CANDIDATE: return "Candidate";
    case v1::ROLE_OBSERVER: return "Observer";
    default: return "Guest";
  }
}

}  // namespace mockloop::loop
