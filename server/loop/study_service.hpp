// StudyService: study rooms as peer sessions (study.proto). For each room it keeps the
// roster of named peers and who is present, a shared phase timer on the peer system design
// plan, the chosen practice prompt, optional Pramp-style role rotation (loop/study_roles)
// and the peers' feedback. Everything but presence is persisted (store::StudyStore), so a
// reload or a server restart finds the room as it was; a running timer keeps running
// (its times are absolute).
//
// Access: every call takes the caller's Principal and asks the policy table for the study
// room's resources (study_session, practice_bank; kind_for_study), so only a token of this
// study room gets anything. What a study room shows is practice material only: the
// practice bank (system design prompts with hints and follow-ups, not interviewer notes),
// never rubrics, scorecards, notes or any loop's question selections.
//
// A "block" is one full pass of the phase plan. When the timer passes the end of the last
// phase (auto-advance on the tick, or Next on the last phase) the block ends: the block
// counter moves on, the timer goes back to the first phase (idle, for the peers to start
// the next block) and, with rotation on, the roles rotate.
//
// Thread-safety: every public method may be called from any thread; one mutex serialises
// them (it guards the StudyStore, whose Database is single-threaded, and the room cache).
// Each call is one short transaction on small rows.
#pragma once

#include <chrono>
#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "content/catalog.hpp"
#include "loop/loop_service.hpp"
#include "loop/phase_timer.hpp"
#include "loop/principal.hpp"
#include "session.pb.h"
#include "store/study_store.hpp"
#include "study.pb.h"

namespace mockloop::loop {

// Limits of what peers send; beyond them a request is refused (invalid_argument or
// conflict) and nothing changes.
inline constexpr std::size_t kMaxStudyNameBytes = 60;        // a peer's display name: 60 bytes
inline constexpr std::size_t kMaxStudyPeers = 12;            // roster per room (absent peers make way)
inline constexpr std::size_t kMaxFeedbackTextBytes = 2000;   // each feedback text field: 2000 bytes
inline constexpr std::size_t kMaxStudyFeedback = 200;        // feedback entries per room
inline constexpr uint32_t kMaxStudyRating = 4;               // feedback rating: 0 (none) .. 4
inline constexpr std::size_t kMaxPeerIdBytes = 64;           // a peer id presented on join

// The round kind whose phase plan a study room follows, and the kinds of the practice bank.
inline constexpr v1::RoundKind kStudyPlanKind = v1::ROUND_KIND_PEER_SYSTEM_DESIGN;

class StudyService {
 public:
  // `db` must outlive the service and not be used by another thread meanwhile (give the
  // service its own connection); the "loop" migrations are applied on it.
  static Result<std::unique_ptr<StudyService>> create(store::Database& db,
                                                      std::shared_ptr<const content::Catalog> catalog,
                                                      Clock clock = std::chrono::system_clock::now);

  int64_t now_ms() const;

  // What changed in a room after a call: each set part goes to every peer of the room.
  struct Change {
    std::optional<v1::TimerState> timer;
    std::optional<v1::StudyPeers> peers;
  };
  struct Joined {
    std::string peer_id;
    v1::StudySnapshot snapshot;  // for the joining peer
    v1::StudyPeers peers;        // for everyone else
  };

  // May `p` open the study session of its room? Errc::forbidden for any other token,
  // not_found when the room is gone.
  Result<void> check_open(const Principal& p);
  // Enters the room as peer `peer_id` (an unknown or empty id makes a new peer) named
  // `name` (trimmed; 1..kMaxStudyNameBytes bytes, no control characters). The peer counts
  // as present until leave(). Errc::conflict when the roster is full of present peers.
  Result<Joined> join(const Principal& p, std::string_view peer_id, std::string_view name);
  // The peer's connection ended. Returns the roster to broadcast.
  Result<v1::StudyPeers> leave(const Principal& p, const std::string& peer_id);

  Result<Change> timer_command(const Principal& p, const v1::TimerCommand& cmd);
  // Applies auto-advance at `now` in a room some peer is present in; returns what changed.
  Result<Change> advance(const std::string& study_id, int64_t now);
  // Chooses a prompt of the practice bank for the room (Errc::not_found for any other id).
  Result<v1::Question> select_question(const Principal& p, std::string_view question_id);
  Result<v1::StudyPeers> set_rotation(const Principal& p, bool enabled);
  Result<v1::StudyFeedback> submit_feedback(const Principal& p, const std::string& peer_id,
                                            const v1::StudySubmitFeedback& form);
  // The practice bank (prompts, hints, follow-ups).
  Result<std::vector<v1::Question>> practice_bank(const Principal& p);

  // Study rooms some peer is present in (for the tick).
  std::vector<std::string> active_rooms();

 private:
  struct Room {
    v1::StudyRoom info;  // id, title, doc_name
    v1::StudyState state;
    PhaseTimer timer;
    std::map<std::string, int> present;  // peer id -> live connections
  };

  StudyService(std::unique_ptr<store::StudyStore> store, std::shared_ptr<const content::Catalog> catalog, Clock clock);

  // REQUIRES: mu_ held.
  Result<Room*> room(const Principal& p, policy::Resource resource, policy::Action action);
  Result<Room*> load(const std::string& study_id);
  Result<void> save(Room& r);
  // Ends the block if the timer finished (see the file comment); true when it did.
  bool end_block_if_finished(Room& r);
  std::set<std::string> present_ids(const Room& r) const;
  v1::StudyPeers peers_view(const Room& r) const;
  std::vector<int64_t> phase_ms() const;
  std::vector<v1::Question> bank() const;

  std::unique_ptr<store::StudyStore> store_;
  std::shared_ptr<const content::Catalog> catalog_;
  Clock clock_;

  std::mutex mu_;  // guards store_ and rooms_
  std::map<std::string, Room> rooms_;  // rooms with a present peer (and ones loaded meanwhile)
};

}  // namespace mockloop::loop
