#include "loop/principal.hpp"

#include <algorithm>

namespace mockloop::loop {
namespace {

bool assigned(const v1::Participant& p, uint32_t round_index) {
  return p.round_indexes_size() == 0 ||
         std::find(p.round_indexes().begin(), p.round_indexes().end(), round_index) != p.round_indexes().end();
}

}  // namespace

bool is_staff(v1::Role role) {
  return role == v1::ROLE_HOST || role == v1::ROLE_INTERVIEWER || role == v1::ROLE_BAR_RAISER;
}

bool may_join_round(const Principal& p, uint32_t round_index) {
  if (p.loop_id.empty()) return false;
  switch (p.role()) {
    case v1::ROLE_HOST:
    case v1::ROLE_BAR_RAISER:
    case v1::ROLE_CANDIDATE:
    case v1::ROLE_OBSERVER: return true;
    case v1::ROLE_INTERVIEWER: return assigned(p.participant, round_index);
    default: return false;
  }
}

bool is_staff_of_round(const Principal& p, uint32_t round_index) {
  return is_staff(p.role()) && may_join_round(p, round_index);
}

bool sees_all_scorecards(v1::Role role) { return role == v1::ROLE_HOST || role == v1::ROLE_BAR_RAISER; }

bool may_read_debrief(v1::Role role) { return role == v1::ROLE_HOST || role == v1::ROLE_BAR_RAISER; }

}  // namespace mockloop::loop
