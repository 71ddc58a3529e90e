// LoopService: the interview domain behind the REST API and the session protocol. It owns
// the loop tables (through store::LoopStore), the content catalog and the phase timers,
// and enforces every access rule: each call takes the caller's Principal and refuses with
// Errc::forbidden what the policy table (loop/policy.hpp) refuses, so the REST router,
// the session hub and DocAccess only translate.
//
// Thread-safety: every public method may be called from any thread; one mutex serialises
// them (it guards the LoopStore, whose Database is single-threaded, and the timer cache).
// Callbacks registered with on_revoke() run after the mutex is released.
//
// Blocking, and where each call runs (issue 23 item 6): no call below runs on an io thread.
// - Block on SQLite (and on the mutex, behind other callers): authenticate and every REST
//   and session call below except now_ms, catalog, templates and questions (catalog only).
// - REST: on ApiRouter's worker pool (loop/api.hpp). debrief_html also replays every
//   round's documents (RoundDocs::load: SQLite reads and CRDT replay, outside the mutex).
// - Session protocol (authenticate, default_round, snapshot, timer_command,
//   select_question, the scorecard calls) and the 250 ms tick (expire_due, advance_timer):
//   on SessionHub's worker pool, each session's calls in its message order
//   (loop/session_hub.hpp).
// - /yjs (DocAccess: authenticate, doc_target): on the /yjs route's worker pool
//   (app/yjs_endpoint.hpp), once per connection before it joins.
// - on_revoke listeners run on whichever of those threads revoked or expired the token.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "content/catalog.hpp"
#include "loop/doc_names.hpp"
#include "loop/phase_timer.hpp"
#include "loop/progress.hpp"
#include "loop/written_report.hpp"
#include "scoring/progress_stats.hpp"
#include "loop/principal.hpp"
#include "account.pb.h"
#include "loop.pb.h"
#include "session.pb.h"
#include "store/loop_store.hpp"
#include "store/round_events.hpp"
#include "store/written_store.hpp"
#include "written.pb.h"

namespace mockloop::loop {

class RoundDocs;

using Clock = std::function<std::chrono::system_clock::time_point()>;

// Close codes of LoopService::AccessEnded: the invite no longer works (common/error.hpp's
// unauthenticated), or the person's rights changed and the client should reconnect
// (1012, "service restart": every client reconnects on it).
inline const uint16_t kCloseAccessEnded = close_code(Errc::unauthenticated);  // 4401
inline constexpr uint16_t kCloseAccessChanged = 1012;

// A question selection as sent to each audience.
struct QuestionSelection {
  v1::QuestionPrompt prompt;  // everyone
  v1::Question question;      // staff only
};

class LoopService {
 public:
  // Applies the "loop" migrations on `db`, which must outlive the service and not be used
  // by another thread meanwhile (give the service its own connection). `docs` (optional)
  // reads round documents for the HTML debrief.
  static Result<std::unique_ptr<LoopService>> create(store::Database& db,
                                                     std::shared_ptr<const content::Catalog> catalog,
                                                     Clock clock = std::chrono::system_clock::now,
                                                     std::shared_ptr<RoundDocs> docs = nullptr);

  int64_t now_ms() const;
  const content::Catalog& catalog() const { return *catalog_; }

  // Errc::unauthenticated for a missing, malformed, unknown, revoked or expired token.
  Result<Principal> authenticate(std::string_view token);

  // ---- REST ----
  Result<v1::CreateLoopResponse> create_loop(const v1::CreateLoopRequest& req);
  Result<v1::ListLoopsResponse> list_loops(const Principal& p);
  Result<v1::GetLoopResponse> get_loop(const Principal& p, std::string_view loop_id);
  Result<v1::Invite> revoke(const Principal& p, std::string_view loop_id, std::string_view token_id);
  Result<v1::ScorecardView> get_scorecard(const Principal& p, std::string_view loop_id, uint32_t round);
  // `base_revision`: the Scorecard.revision the edit started from (0 = none yet); when set
  // and the stored card has moved on, Errc::conflict and nothing changes. Unset: no check.
  Result<v1::Scorecard> save_scorecard(const Principal& p, std::string_view loop_id, uint32_t round,
                                       const v1::ScorecardDraft& draft,
                                       std::optional<uint64_t> base_revision = std::nullopt);
  Result<v1::Scorecard> submit_scorecard(const Principal& p, std::string_view loop_id, uint32_t round,
                                         std::optional<uint64_t> base_revision = std::nullopt);
  Result<v1::Debrief> debrief(const Principal& p, std::string_view loop_id);
  Result<std::string> debrief_html(const Principal& p, std::string_view loop_id);
  Result<v1::ListQuestionsResponse> questions(const Principal& p, const content::QuestionFilter& filter);
  v1::ListTemplatesResponse templates() const;
  Result<v1::StudyRoom> create_study_room(const v1::CreateStudyRoomRequest& req);

  // ---- the panel after creation (loop_panel.cpp; host only: Resource::invites write) ----
  // Adds a person (validated as in create_loop); the answer carries their invite token.
  Result<v1::AddParticipantResponse> add_participant(const Principal& p, std::string_view loop_id,
                                                     const v1::ParticipantSpec& spec);
  // Renames, changes the role or reassigns rounds; the person's open sessions and documents
  // are closed with kCloseAccessChanged so they reconnect with the new rights.
  Result<v1::Participant> update_participant(const Principal& p, std::string_view loop_id,
                                             std::string_view participant_id, const v1::UpdateParticipantRequest& req);
  // Removes a person (not the host, not the candidate) and revokes their tokens (4401).
  Result<v1::Loop> remove_participant(const Principal& p, std::string_view loop_id, std::string_view participant_id);
  // Revokes every earlier token of the person (4401 on every channel) and issues a fresh
  // one; also for a person whose link was revoked. Not for the caller's own link.
  Result<v1::Invite> reissue_invite(const Principal& p, std::string_view loop_id, std::string_view participant_id);
  // The operator's reissue (`mockloop admin reissue-link`): as reissue_invite without a
  // principal, the host's own link included (the way back into a loop whose host link is lost).
  // The loop's decision as its debrief would state it (no principal: for webhooks).
  Result<v1::Decision> decision(std::string_view loop_id);
  Result<v1::Invite> reissue_by_operator(std::string_view loop_id, std::string_view participant_id);
  // Sets planned round starts by round index.
  Result<v1::Loop> set_schedule(const Principal& p, std::string_view loop_id, const v1::SetScheduleRequest& req);
  // Records that `p` opened a session (invite status "joined"); the first time is kept.
  Result<void> note_joined(const Principal& p);

  // ---- the written work (loop_service_written.cpp; issue 21, docs/written-work.md) ----
  // The host assigns a 6-pager or PR/FAQ (policy: written_work write) from the prompt bank
  // or a custom topic, with a due date and a questions cut-off (default: a week before the
  // due date, or halfway there when that is already past).
  Result<v1::WrittenAssignment> assign_written(const Principal& p, std::string_view loop_id,
                                               const v1::CreateWrittenRequest& req);
  // The loop's assignments as `p` may see them (staff_doc only for staff; the prompt bank
  // only for the host).
  Result<v1::ListWrittenResponse> list_written(const Principal& p, std::string_view loop_id);
  Result<v1::WrittenQuestions> written_questions(const Principal& p, std::string_view loop_id,
                                                 std::string_view assignment_id);
  // Adds to the clarifying-questions thread (the candidate asks, the host answers);
  // Errc::conflict once the cut-off has passed, and nothing is stored.
  Result<v1::WrittenQuestions> ask_written(const Principal& p, std::string_view loop_id, std::string_view assignment_id,
                                           const v1::AskWrittenQuestionRequest& req);
  // Freezes the draft as the next version: the server reads the draft doc's text through the
  // CRDT engine (RoundDocs::load_text, outside the mutex) and stores it. While the stored
  // draft differs from `expected_text` (edits still on their way) it waits up to
  // kWrittenSettleMs, then refuses with Errc::conflict.
  Result<v1::WrittenVersion> submit_written(const Principal& p, std::string_view loop_id,
                                            std::string_view assignment_id, const v1::SubmitWrittenRequest& req);
  // A frozen version with its HTML (render_markdown).
  Result<v1::WrittenVersion> written_version(const Principal& p, std::string_view loop_id,
                                             std::string_view assignment_id, uint32_t version);
  // The take-home report of the latest version: the document and the candidate-visible
  // comments, a self-contained HTML page with a print stylesheet.
  Result<std::string> written_report_html(const Principal& p, std::string_view loop_id,
                                          std::string_view assignment_id);

  // ---- accounts (loop_service_accounts.cpp; issue 20) ----
  // The loop behind an invite attached to an account, as its participant sees it on their
  // home page: nullopt when the loop is gone.
  Result<std::optional<v1::MyLoop>> my_loop(std::string_view loop_id, std::string_view token_id);
  // A loop as a candidate's progress counts it (scoring/progress_stats.hpp): the loop, the
  // latest submitted scorecard of each author in each round, the decision under its rule.
  // nullopt when the loop is gone. No principal: the caller checked the profile's rules.
  Result<std::optional<scoring::LoopRecord>> loop_record(std::string_view loop_id);
  // The principal an account acts as in a loop (home_api): the participant of its attached
  // token `token_id`. Errc::not_found when the loop, the token or the participant is gone;
  // Errc::forbidden when that token was revoked, replaced or expired (whoever replaced it
  // decided that this link no longer speaks for the participant).
  Result<Principal> account_principal(std::string_view loop_id, std::string_view token_id);
  // What the host takes away (GET /api/me/loops/{id}/export, `mockloop admin export`): the
  // loop as `host` sees it, its debrief and the HTML report. Replays every round's
  // documents (debrief_html): call off the io threads.
  Result<v1::LoopExport> export_loop(const Principal& host, std::string_view loop_id);
  // The loop's host as an operator acts for it (`mockloop admin export`): the host
  // participant, no token. Errc::not_found when there is no such loop or it has no host.
  Result<Principal> host_for_operator(std::string_view loop_id);
  // Deletes the loop and everything of it in the loop tables (store/loop_deletion.hpp),
  // forgets its timers and progress, and closes its tokens' connections (4401 "loop
  // deleted"). The caller checked that it may; the documents are the caller's to remove
  // (`doc_families`: doc_names bases, see DocRegistry::remove_families).
  struct DeletedLoop {
    int64_t rows = 0;
    std::vector<std::string> doc_families;
  };
  Result<DeletedLoop> delete_loop(std::string_view loop_id);

  // ---- documents (DocAccess) ----
  // Whose a loop-domain document is: a round of a loop, or a study room.
  struct DocTarget {
    std::string loop_id;   // round docs
    uint32_t round = 0;
    bool everyone_edits = false;
    uint32_t current_round = 0;  // the loop's current round (LoopProgress)
    std::string study_id;  // study docs
    std::string author_id;      // notes docs: whose notes
    bool author_known = false;  // notes docs: the author keeps notes in that round
    std::string assignment_id;  // written docs
  };
  // Errc::not_found when no loop round or study room has that document.
  Result<DocTarget> doc_target(const doc_names::Parsed& name);

  // ---- notes (loop_service_notes.cpp, rules in loop/notes_access.hpp) ----
  // Whether `p` has submitted a scorecard (any version) for `round` of its loop.
  Result<bool> submitted_scorecard(const Principal& p, uint32_t round);
  // The notes docs of `round` that `p` may open now (also in the StateSnapshot).
  Result<v1::NotesDocs> notes_docs(const Principal& p, uint32_t round);

  // ---- session ----
  // The round a session opens on: the loop's current round, or (an interviewer not assigned
  // to it) the first of its rounds whose timer has not finished.
  Result<uint32_t> default_round(const Principal& p);

  // ---- where the loop is (loop/progress.hpp) ----
  Result<v1::LoopProgress> progress(const Principal& p);
  // Moves the loop (policy: loop_progress write of `round`, see principal.hpp). Ending a
  // break early starts the current round's timer if it is idle (ProgressMove::started).
  Result<ProgressMove> move_loop(const Principal& p, uint32_t round, bool take_break);
  // A break of `loop_id` that ended: by its time (then the current round's timer starts at
  // the break's end if it was idle) or because the round's timer was started meanwhile.
  struct BreakEnded {
    v1::LoopProgress progress;
    std::optional<v1::TimerState> timer;  // set when the break's end started it
  };
  Result<std::optional<BreakEnded>> end_break_if_due(std::string_view loop_id, int64_t now);

  Result<v1::StateSnapshot> snapshot(const Principal& p, uint32_t round);
  Result<v1::TimerState> timer_command(const Principal& p, uint32_t round, const v1::TimerCommand& cmd);
  Result<QuestionSelection> select_question(const Principal& p, uint32_t round, std::string_view question_id);
  // Applies auto-advance at `now` to the round's timer; returns the new state if it changed.
  Result<std::optional<v1::TimerState>> advance_timer(std::string_view loop_id, uint32_t round, int64_t now);

  // Calls `fn(token_id, reason)` when a token's access ends: after each successful revoke
  // ("invite revoked"), and from expire_due() for each token that expired ("invite
  // expired"). Listeners close the token's connections (the session hub its sessions, the
  // app wiring its /yjs docs, with 4401). Returns a handle for remove_revoke_listener().
  // `close_code` is kCloseAccessEnded (4401) when access ends, kCloseAccessChanged (1012)
  // when the person's rights changed and the connection should reconnect to pick them up.
  using AccessEnded =
      std::function<void(const std::string& token_id, const std::string& reason, uint16_t close_code)>;
  int on_revoke(AccessEnded fn);
  void remove_revoke_listener(int handle);
  // Calls `fn(loop_id, round)` after a scorecard of the round was submitted (REST or
  // session), outside the service's mutex; the hub tells the round's other staff.
  using PanelChangedFn = std::function<void(const std::string& loop_id, uint32_t round)>;
  int on_panel_changed(PanelChangedFn fn);
  void remove_panel_listener(int handle);
  // Called after every saved timer change with the round's shared doc name and a label
  // ("phase 2 TIMER_STATUS_RUNNING"), under the service's mutex: the app checkpoints the
  // doc's history there (DocRegistry::checkpoint, which never calls back). Set once, before use.
  using PhaseListener = std::function<void(const std::string& doc_name, const std::string& label)>;
  void set_phase_listener(PhaseListener fn) { phase_listener_ = std::move(fn); }
  // Called with the loop's milestones: "loop.created" (round 0), "round.started" (the round's
  // timer leaves IDLE for the first time), "round.finished" (the timer reaches FINISHED),
  // under the service's mutex: `fn` may only queue (the webhooks do) and must never call the
  // service. Set once, before use.
  using MilestoneListener = std::function<void(std::string_view type, const std::string& loop_id, uint32_t round)>;
  void set_milestone_listener(MilestoneListener fn) { milestone_listener_ = std::move(fn); }

  // ---- replay (loop_service_replay.cpp, issue 19) ----
  // Records a session joining or leaving a round (presence on the replay timeline).
  Result<void> record_presence(const Principal& p, uint32_t round, bool joined);
  // What the replay of a round needs from the loop tables, checked against the policy:
  // Resource::replay read (staff; the candidate once the loop ended), and whether `p` sees
  // staff-only events (Resource::replay_staff_events).
  struct ReplayFacts {
    v1::Loop loop;                 // as stored (participants included)
    uint32_t round = 0;
    bool staff_events = false;
    std::vector<int64_t> phase_ms;  // the round's planned phases
    std::vector<std::string> phase_names;
    std::vector<store::RoundEventRow> events;
    std::vector<store::RoundRunRow> runs;
    struct Submitted {
      int64_t at_ms = 0;
      std::string author_id;
      int version = 0;
    };
    std::vector<Submitted> scorecards;  // only with staff_events
    std::vector<std::pair<std::string, std::string>> notes_docs;  // (doc name, author id) `p` may read
    bool snapshots_read = false;   // Resource::replay_snapshots read: list the snapshots
    bool snapshots_write = false;  // Resource::replay_snapshots write: take one, restore one
  };
  Result<ReplayFacts> replay_facts(const Principal& p, std::string_view loop_id, uint32_t round);
  // Records a snapshot taken on demand (round_events kind "snapshot", loop/replay_snapshots.hpp)
  // naming `at_ms` (default: now), checked against Resource::replay_snapshots write. Refused:
  // a moment outside the loop's time (Errc::invalid_argument), the round's
  // kMaxSnapshotsPerRound-th + 1 (Errc::conflict). An empty name becomes "Snapshot <n>".
  Result<store::RoundEventRow> record_snapshot(const Principal& p, std::string_view loop_id, uint32_t round,
                                               std::string name, std::optional<int64_t> at_ms);
  // Records that `p` restored the live doc to a snapshot (kind "restore"; staff-only on the
  // timeline), checked against Resource::replay_snapshots write.
  Result<store::RoundEventRow> record_restore(const Principal& p, std::string_view loop_id, uint32_t round,
                                              std::string summary, std::string data);

  // Notifies the listeners of every token whose expiry passed since the last call (not
  // before the service was created). Call periodically (the hub's tick); returns how many.
  Result<size_t> expire_due(int64_t now);
  // Calls every on_revoke() listener for each of `token_ids`, outside the service's mutex:
  // their live connections close with `close_code`. revoke(), expire_due() and the
  // reassignment paths call it; tests call it to end a token's access directly.
  void notify_access_ended(const std::vector<std::string>& token_ids, const std::string& reason,
                           uint16_t close_code = kCloseAccessEnded);

 private:
  LoopService(std::unique_ptr<store::LoopStore> store, std::unique_ptr<store::WrittenStore> written,
              std::shared_ptr<const content::Catalog> catalog, Clock clock, std::shared_ptr<RoundDocs> docs);

  // The written work (loop_service_written.cpp). REQUIRES: mu_ held.
  Result<v1::WrittenAssignment> assignment_locked(const Principal& p, std::string_view loop_id,
                                                  std::string_view assignment_id, policy::Resource res);
  v1::WrittenAssignment view_of(const Principal& p, v1::WrittenAssignment a);
  // The loop's assignments with their latest version (`only`: just that one), for reports;
  // comments are added outside the mutex by written_comments().
  Result<std::vector<WrittenReportItem>> written_items_locked(const Principal& p, std::string_view loop_id,
                                                             std::string_view only = {});
  void written_comments(std::vector<WrittenReportItem>& items);

  // REQUIRES: mu_ held. Revokes the participant's links and issues a new one; `revoked`
  // gets the old token ids (to notify after the mutex).
  Result<v1::Invite> reissue_locked(const v1::Loop& loop, std::string_view participant_id,
                                    std::vector<std::string>& revoked);
  // REQUIRES: mu_ held.
  Result<v1::Loop> load_loop(std::string_view loop_id);
  Result<v1::Loop> loop_of(const Principal& p, std::string_view loop_id);
  // The loop for a panel change by `p` (Resource::invites write).
  Result<v1::Loop> panel_of(const Principal& p, std::string_view loop_id);
  Result<PhaseTimer*> timer(const v1::Loop& loop, uint32_t round, int64_t now);
  Result<v1::LoopProgress*> progress_of(std::string_view loop_id);
  // Saves the timer and records the state in round_events (issue 19); `actor`: who changed it
  // ("" for the server). Tells the phase listener.
  Result<void> save_timer(const v1::Loop& loop, const PhaseTimer& t, std::string_view actor = {});
  Result<std::vector<v1::Scorecard>> own_versions(const v1::Loop& loop, uint32_t round, const std::string& author);
  Result<std::vector<v1::Scorecard>> latest_submitted(const v1::Loop& loop);
  Result<v1::Debrief> debrief_locked(const Principal& p, std::string_view loop_id);
  Result<v1::Scorecard> submit_locked(const Principal& p, std::string_view loop_id, uint32_t round,
                                      std::optional<uint64_t> base_revision);
  Result<bool> submitted_locked(const v1::Loop& loop, uint32_t round, const std::string& author);
  // Per round of the loop: the notes docs `p` may read, own included (debrief).
  Result<std::vector<std::vector<v1::NotesRef>>> readable_notes_locked(const Principal& p, const v1::Loop& loop);
  std::vector<int64_t> phase_ms(const v1::Round& round) const;

  std::unique_ptr<store::LoopStore> store_;
  std::unique_ptr<store::WrittenStore> written_;  // on store_'s Database; guarded by mu_
  std::shared_ptr<const content::Catalog> catalog_;
  Clock clock_;
  std::shared_ptr<RoundDocs> docs_;

  std::mutex mu_;  // guards store_, timers_, progress_ and expiry_checked_ms_
  std::map<std::pair<std::string, uint32_t>, PhaseTimer> timers_;
  std::map<std::string, v1::LoopProgress, std::less<>> progress_;  // loop id -> progress, as stored
  int64_t expiry_checked_ms_ = 0;  // expire_due() has notified every expiry up to here

  PhaseListener phase_listener_;
  MilestoneListener milestone_listener_;
  std::mutex callbacks_mu_;  // guards revoke_callbacks_ and panel_callbacks_
  std::map<int, AccessEnded> revoke_callbacks_;
  std::map<int, PanelChangedFn> panel_callbacks_;  // guarded by callbacks_mu_
  int next_callback_ = 0;
};

}  // namespace mockloop::loop
