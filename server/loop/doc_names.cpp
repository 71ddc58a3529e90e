#include "loop/doc_names.hpp"

namespace mockloop::loop::doc_names {
namespace {

constexpr std::string_view kRoomPrefix = "room-";
constexpr std::string_view kPrivateSuffix = "-private";
constexpr std::string_view kNotesInfix = "-notes-";
constexpr std::string_view kStudyPrefix = "study-";
constexpr std::string_view kWrittenPrefix = "written-";
constexpr std::string_view kReviewSuffix = "-review";
constexpr std::string_view kStaffSuffix = "-staff";

Parsed parse_written(std::string_view rest) {
  using K = Parsed::Kind;
  K kind = K::written_draft;
  if (rest.ends_with(kReviewSuffix)) {
    kind = K::written_review;
    rest.remove_suffix(kReviewSuffix.size());
  } else if (rest.ends_with(kStaffSuffix)) {
    kind = K::written_staff;
    rest.remove_suffix(kStaffSuffix.size());
  }
  if (rest.empty() || rest.find('-') != std::string_view::npos) return {};
  return Parsed{kind, std::string(rest), {}};
}

}  // namespace

std::string round_doc(std::string_view room_id) { return std::string(kRoomPrefix) + std::string(room_id); }

std::string private_doc(std::string_view room_id) { return round_doc(room_id) + std::string(kPrivateSuffix); }

std::string notes_doc(std::string_view room_id, std::string_view participant_id) {
  return round_doc(room_id) + std::string(kNotesInfix) + std::string(participant_id);
}

std::string study_doc(std::string_view study_id) { return std::string(kStudyPrefix) + std::string(study_id); }

std::string written_draft_doc(std::string_view id) { return std::string(kWrittenPrefix) + std::string(id); }
std::string written_review_doc(std::string_view id) { return written_draft_doc(id) + std::string(kReviewSuffix); }
std::string written_staff_doc(std::string_view id) { return written_draft_doc(id) + std::string(kStaffSuffix); }

Parsed parse(std::string_view name) {
  if (name.starts_with(kWrittenPrefix)) return parse_written(name.substr(kWrittenPrefix.size()));
  if (name.starts_with(kStudyPrefix) && name.size() > kStudyPrefix.size())
    return Parsed{Parsed::Kind::study, std::string(name.substr(kStudyPrefix.size())), {}};
  if (!name.starts_with(kRoomPrefix) || name.size() == kRoomPrefix.size()) return {};
  std::string_view id = name.substr(kRoomPrefix.size());
  if (const auto at = id.find(kNotesInfix); at != std::string_view::npos && at > 0) {
    const std::string_view author = id.substr(at + kNotesInfix.size());
    if (author.empty()) return {};
    return Parsed{Parsed::Kind::author_notes, std::string(id.substr(0, at)), std::string(author)};
  }
  if (id.ends_with(kPrivateSuffix) && id.size() > kPrivateSuffix.size()) {
    id.remove_suffix(kPrivateSuffix.size());
    return Parsed{Parsed::Kind::private_notes, std::string(id), {}};
  }
  return Parsed{Parsed::Kind::round, std::string(id), {}};
}

bool is_loop_doc(std::string_view name) {
  return name.starts_with(kRoomPrefix) || name.starts_with(kStudyPrefix) || name.starts_with(kWrittenPrefix);
}

bool keeps_history(std::string_view doc_name) {
  using K = Parsed::Kind;
  const auto kind = parse(doc_name).kind;
  return kind == K::round || kind == K::author_notes || kind == K::private_notes;
}

}  // namespace mockloop::loop::doc_names
