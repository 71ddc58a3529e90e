// WrittenStore: the SQLite tables of a loop's written work (loop_migrations.cpp step 7):
// assignments (WrittenAssignment bytes), submitted versions (frozen by triggers) and the
// clarifying-questions thread (WrittenQuestion bytes). Rows carry protobuf bytes; the loop
// service (loop/loop_service_written.cpp) owns their meaning.
//
// Not thread-safe: used under the LoopService's mutex, on the LoopStore's Database, which
// must outlive it.
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

struct WrittenAssignmentRow {
  std::string id;
  std::string loop_id;
  std::string data;  // mockloop.v1.WrittenAssignment bytes
};

struct WrittenVersionRow {
  int version = 0;
  int64_t submitted_at_ms = 0;
  std::string text;
};

class WrittenStore {
 public:
  // Applies the "loop" migrations.
  static Result<std::unique_ptr<WrittenStore>> open(Database& db);

  Result<void> insert_assignment(const WrittenAssignmentRow& row, int64_t created_at_ms);
  Result<std::optional<WrittenAssignmentRow>> find_assignment(std::string_view id);
  Result<std::vector<WrittenAssignmentRow>> assignments_of(std::string_view loop_id);

  // Appends the next version (1, 2, ...) and returns its number.
  Result<int> add_version(std::string_view assignment_id, int64_t at_ms, std::string_view text);
  // Every version without its text (text left empty), oldest first.
  Result<std::vector<WrittenVersionRow>> versions(std::string_view assignment_id);
  Result<std::optional<WrittenVersionRow>> version(std::string_view assignment_id, int version);

  // Appends a question (data: WrittenQuestion bytes, its seq is the returned number).
  Result<int> add_question(std::string_view assignment_id, int64_t at_ms, std::string_view data);
  Result<std::vector<std::string>> questions(std::string_view assignment_id);
  Result<int> question_count(std::string_view assignment_id);

 private:
  explicit WrittenStore(Database& db) : db_(db) {}
  Database& db_;
};

}  // namespace mockloop::store
