// StudyStore: the SQLite tables of study rooms beyond their creation (migration 5 of
// loop_migrations.cpp): each room's state as one opaque blob (a StudyState message) and
// its feedback entries (StudyFeedback messages) in order. The study service owns their
// meaning; this layer stays free of the schema.
//
// Not thread-safe: used by one thread at a time (the StudyService serialises its calls
// under its mutex). The Database must outlive the StudyStore.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/loop_store.hpp"

namespace mockloop::store {

class StudyStore {
 public:
  // Applies the "loop" migrations (idempotent; LoopStore::open applies the same list).
  static Result<std::unique_ptr<StudyStore>> open(Database& db);

  Result<std::optional<StudyRoomRow>> find_room(std::string_view id);

  Result<std::optional<std::string>> load_state(std::string_view study_id);
  Result<void> save_state(std::string_view study_id, std::string_view data);

  // Appends a feedback entry unless the room already holds `max_entries`: returns false then.
  Result<bool> add_feedback(std::string_view study_id, int64_t created_at_ms, std::string_view data,
                            size_t max_entries);
  // Every entry of the room, oldest first.
  Result<std::vector<std::string>> feedback(std::string_view study_id);

 private:
  explicit StudyStore(Database& db) : db_(db) {}
  Database& db_;
};

}  // namespace mockloop::store
