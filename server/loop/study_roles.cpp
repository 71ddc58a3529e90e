#include "loop/study_roles.hpp"

#include <vector>

namespace mockloop::loop::study_roles {
namespace {

v1::StudyRole slot_role(size_t slot) {
  if (slot == 0) return v1::STUDY_ROLE_DESIGNER;
  if (slot == 1) return v1::STUDY_ROLE_INTERVIEWER;
  return v1::STUDY_ROLE_OBSERVER;
}

}  // namespace

void assign(Roster& peers, const std::set<std::string>& present, uint32_t block) {
  std::vector<v1::StudyPeer*> here;
  for (auto& p : peers) {
    p.set_role(v1::STUDY_ROLE_UNSPECIFIED);
    if (present.count(p.id())) here.push_back(&p);
  }
  const size_t n = here.size();
  if (n == 0) return;
  const size_t shift = block % n;
  for (size_t j = 0; j < n; ++j) here[j]->set_role(slot_role((j + n - shift) % n));
}

void fill(Roster& peers, const std::string& peer_id) {
  v1::StudyPeer* who = nullptr;
  bool designer = false, interviewer = false;
  for (auto& p : peers) {
    if (p.id() == peer_id) who = &p;
    designer = designer || p.role() == v1::STUDY_ROLE_DESIGNER;
    interviewer = interviewer || p.role() == v1::STUDY_ROLE_INTERVIEWER;
  }
  if (!who || who->role() != v1::STUDY_ROLE_UNSPECIFIED) return;
  who->set_role(!designer ? v1::STUDY_ROLE_DESIGNER : !interviewer ? v1::STUDY_ROLE_INTERVIEWER : v1::STUDY_ROLE_OBSERVER);
}

void clear(Roster& peers) {
  for (auto& p : peers) p.set_role(v1::STUDY_ROLE_UNSPECIFIED);
}

}  // namespace mockloop::loop::study_roles
