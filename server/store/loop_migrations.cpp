#include "store/loop_migrations.hpp"

namespace mockloop::store {

const std::vector<std::string>& loop_migrations() {
  static const std::vector<std::string> steps = {
      // 1: loops (the Loop message as protobuf bytes), their rooms, hashed invite tokens,
      // versioned scorecards (a submitted row can no longer change), round timers, study rooms.
      "CREATE TABLE loops ("
      " id TEXT PRIMARY KEY,"
      " created_at_ms INTEGER NOT NULL,"
      " everyone_edits INTEGER NOT NULL DEFAULT 0,"
      " data BLOB NOT NULL);"
      "CREATE TABLE loop_rooms ("
      " room_id TEXT PRIMARY KEY,"
      " loop_id TEXT NOT NULL REFERENCES loops(id),"
      " round_index INTEGER NOT NULL);"
      "CREATE TABLE study_rooms ("
      " id TEXT PRIMARY KEY,"
      " title TEXT NOT NULL,"
      " created_at_ms INTEGER NOT NULL);"
      "CREATE TABLE loop_tokens ("
      " id TEXT PRIMARY KEY,"
      " hash BLOB NOT NULL UNIQUE,"
      " loop_id TEXT REFERENCES loops(id),"
      " study_id TEXT REFERENCES study_rooms(id),"
      " participant_id TEXT NOT NULL,"
      " role INTEGER NOT NULL,"
      " rounds TEXT NOT NULL DEFAULT '',"
      " revoked INTEGER NOT NULL DEFAULT 0,"
      " created_at_ms INTEGER NOT NULL,"
      " CHECK ((loop_id IS NULL) <> (study_id IS NULL)));"
      "CREATE INDEX loop_tokens_by_loop ON loop_tokens(loop_id);"
      "CREATE TABLE scorecards ("
      " loop_id TEXT NOT NULL REFERENCES loops(id),"
      " round_index INTEGER NOT NULL,"
      " author_id TEXT NOT NULL,"
      " version INTEGER NOT NULL,"
      " status INTEGER NOT NULL,"
      " data BLOB NOT NULL,"
      " updated_at_ms INTEGER NOT NULL,"
      " submitted_at_ms INTEGER NOT NULL DEFAULT 0,"
      " PRIMARY KEY (loop_id, round_index, author_id, version)) WITHOUT ROWID;"
      "CREATE TRIGGER scorecards_locked BEFORE UPDATE ON scorecards WHEN OLD.status = 2"
      " BEGIN SELECT RAISE(ABORT, 'submitted scorecard is locked'); END;"
      "CREATE TRIGGER scorecards_kept BEFORE DELETE ON scorecards WHEN OLD.status = 2"
      " BEGIN SELECT RAISE(ABORT, 'submitted scorecard is kept'); END;"
      "CREATE TABLE round_timers ("
      " loop_id TEXT NOT NULL REFERENCES loops(id),"
      " round_index INTEGER NOT NULL,"
      " data BLOB NOT NULL,"
      " PRIMARY KEY (loop_id, round_index)) WITHOUT ROWID;",
      // 2: when each participant first read the other authors' submitted scorecards of a
      // round (a version submitted later is marked revised_after_viewing_panel).
      "CREATE TABLE scorecard_panel_views ("
      " loop_id TEXT NOT NULL REFERENCES loops(id),"
      " round_index INTEGER NOT NULL,"
      " viewer_id TEXT NOT NULL,"
      " first_viewed_at_ms INTEGER NOT NULL,"
      " PRIMARY KEY (loop_id, round_index, viewer_id)) WITHOUT ROWID;",
      // 3: invites may expire (0 = never). One step of two statements: no comma is missing.
      // NOLINTNEXTLINE(bugprone-suspicious-missing-comma)
      "ALTER TABLE loop_tokens ADD COLUMN expires_at_ms INTEGER NOT NULL DEFAULT 0;"
      "CREATE INDEX loop_tokens_by_expiry ON loop_tokens(expires_at_ms) WHERE expires_at_ms > 0;",
      // 4: when each invite was first used to open a session (the host's invite list
      // shows invited / joined / submitted).
      "ALTER TABLE loop_tokens ADD COLUMN joined_at_ms INTEGER NOT NULL DEFAULT 0;",
      // 5: where each loop is (mockloop.v1.LoopProgress: current round, running break); a
      // loop without a row is in round 0.
      "CREATE TABLE loop_progress ("
      " loop_id TEXT PRIMARY KEY REFERENCES loops(id),"
      " data BLOB NOT NULL) WITHOUT ROWID;",
      // 6: study rooms as peer sessions: the room's state (timer, roster, roles, chosen
      // prompt: a StudyState message) and its peers' feedback (StudyFeedback messages).
      "CREATE TABLE study_state ("
      " study_id TEXT PRIMARY KEY REFERENCES study_rooms(id),"
      " data BLOB NOT NULL) WITHOUT ROWID;"
      "CREATE TABLE study_feedback ("
      " study_id TEXT NOT NULL REFERENCES study_rooms(id),"
      " seq INTEGER NOT NULL,"
      " created_at_ms INTEGER NOT NULL,"
      " data BLOB NOT NULL,"
      " PRIMARY KEY (study_id, seq)) WITHOUT ROWID;",
      // 7 (issue 21): the written work of a loop: assignments (a WrittenAssignment message
      // without versions), submitted versions (immutable: triggers refuse update and
      // delete) and the clarifying-questions thread.
      "CREATE TABLE written_assignments ("
      " id TEXT PRIMARY KEY,"
      " loop_id TEXT NOT NULL REFERENCES loops(id),"
      " created_at_ms INTEGER NOT NULL,"
      " data BLOB NOT NULL);"
      "CREATE INDEX written_assignments_by_loop ON written_assignments(loop_id);"
      "CREATE TABLE written_versions ("
      " assignment_id TEXT NOT NULL REFERENCES written_assignments(id),"
      " version INTEGER NOT NULL,"
      " submitted_at_ms INTEGER NOT NULL,"
      " text TEXT NOT NULL,"
      " PRIMARY KEY (assignment_id, version)) WITHOUT ROWID;"
      "CREATE TRIGGER written_versions_frozen BEFORE UPDATE ON written_versions"
      " BEGIN SELECT RAISE(ABORT, 'a submitted version is frozen'); END;"
      "CREATE TRIGGER written_versions_kept BEFORE DELETE ON written_versions"
      " BEGIN SELECT RAISE(ABORT, 'a submitted version is kept'); END;"
      "CREATE TABLE written_questions ("
      " assignment_id TEXT NOT NULL REFERENCES written_assignments(id),"
      " seq INTEGER NOT NULL,"
      " created_at_ms INTEGER NOT NULL,"
      " data BLOB NOT NULL,"
      " PRIMARY KEY (assignment_id, seq)) WITHOUT ROWID;",
      // 8: code runs in a round (issue 16): who, when, language, a hash of the code,
      // the verdicts; `data` is the run as staff see it (JSON: code, tests, outputs).
      "CREATE TABLE runs ("
      " id TEXT PRIMARY KEY,"
      " loop_id TEXT NOT NULL REFERENCES loops(id),"
      " round_index INTEGER NOT NULL,"
      " author TEXT NOT NULL,"
      " created_at_ms INTEGER NOT NULL,"
      " language TEXT NOT NULL,"
      " code_sha256 TEXT NOT NULL,"
      " tests_mode TEXT NOT NULL,"
      " question_id TEXT NOT NULL,"
      " verdict TEXT NOT NULL,"
      " passed INTEGER NOT NULL,"
      " total INTEGER NOT NULL,"
      " data TEXT NOT NULL);"
      "CREATE INDEX runs_by_round ON runs(loop_id, round_index, created_at_ms);",
      // 9 (issue 19): what happened in a round, for its replay timeline: every timer state
      // saved (kind "timer", data = the TimerState), questions selected, sessions joining and
      // leaving the round. Runs and scorecards have their own tables with their times.
      "CREATE TABLE round_events ("
      " id INTEGER PRIMARY KEY,"
      " loop_id TEXT NOT NULL REFERENCES loops(id),"
      " round_index INTEGER NOT NULL,"
      " at_ms INTEGER NOT NULL,"
      " kind TEXT NOT NULL,"
      " actor TEXT NOT NULL,"
      " summary TEXT NOT NULL,"
      " data BLOB NOT NULL);"
      "CREATE INDEX round_events_by_round ON round_events(loop_id, round_index, id);",
      // 10 (issue 16): code runs in a study room: who (the name the peer gave), when,
      // language, a hash of the code, the verdict; `data` is the run (JSON, as every peer sees it).
      "CREATE TABLE study_runs ("
      " id TEXT PRIMARY KEY,"
      " study_id TEXT NOT NULL REFERENCES study_rooms(id),"
      " author TEXT NOT NULL,"
      " created_at_ms INTEGER NOT NULL,"
      " language TEXT NOT NULL,"
      " code_sha256 TEXT NOT NULL,"
      " verdict TEXT NOT NULL,"
      " data TEXT NOT NULL);"
      "CREATE INDEX study_runs_by_room ON study_runs(study_id, created_at_ms);",
      // 11 (issue 20, deleting a loop): a loop being deleted is marked in loop_deletions for
      // that transaction (store/loop_deletion.cpp); the triggers that keep submitted
      // scorecards and written versions let its rows go, and only its rows.
      "CREATE TABLE loop_deletions (loop_id TEXT PRIMARY KEY) WITHOUT ROWID;"
      "DROP TRIGGER scorecards_kept;"
      "CREATE TRIGGER scorecards_kept BEFORE DELETE ON scorecards WHEN OLD.status = 2"
      " AND NOT EXISTS (SELECT 1 FROM loop_deletions WHERE loop_id = OLD.loop_id)"
      " BEGIN SELECT RAISE(ABORT, 'submitted scorecard is kept'); END;"
      "DROP TRIGGER written_versions_kept;"
      "CREATE TRIGGER written_versions_kept BEFORE DELETE ON written_versions"
      " WHEN NOT EXISTS (SELECT 1 FROM loop_deletions d JOIN written_assignments a ON a.loop_id = d.loop_id"
      " WHERE a.id = OLD.assignment_id)"
      " BEGIN SELECT RAISE(ABORT, 'a submitted version is kept'); END;",
  };
  return steps;
}

}  // namespace mockloop::store
