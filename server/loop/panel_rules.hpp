// Validation of the panel a host builds: the people of CreateLoopRequest and of the loop
// settings page (name, role, rounds), optional rounds, and round start times. Each refusal
// is Errc::invalid_argument whose message opens with the field it is about
// ("participants[2].round_indexes[0]: ..."), so a client can point at it; nothing is stored.
// Pure functions; thread-safe.
#pragma once

#include <google/protobuf/repeated_field.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "content.pb.h"
#include "loop.pb.h"

namespace mockloop::loop {

// One invited person (never the host): name within kMaxNameBytes; role interviewer, bar
// raiser, candidate or observer; rounds only for interviewers, at most kMaxRoundsNamed,
// each an existing round of `loop`, no repeats.
Result<void> validate_person(const v1::Loop& loop, std::string_view field, const std::string& name, v1::Role role,
                             const google::protobuf::RepeatedField<uint32_t>& rounds);

// A planned round start: 0 (unscheduled) or within kMaxScheduleDistanceMs of `now_ms`.
Result<void> validate_start(std::string_view field, int64_t starts_at_ms, int64_t now_ms);

// The optional rounds a CreateLoopRequest names: at most kMaxRoundsNamed, each the id of an
// optional round of `tmpl`, no repeats.
Result<void> validate_optional_rounds(const v1::Template& tmpl,
                                      const google::protobuf::RepeatedPtrField<std::string>& ids);

// The display name a person gets when none was typed ("Interviewer", "Observer", ...).
std::string default_name(v1::Role role);

}  // namespace mockloop::loop
