// The live documents of the process: loads a document from SQLite on its first join
// (concurrent first joins wait for one load), hands out DocConnections, and in tick()
// expires awareness, compacts long logs and unloads idle documents.
//
// Thread-safe: N io threads call join()/join_async() concurrently; tick() comes from one
// timer. Owns the store::Writer (the only writer of the documents' tables), a separate read
// connection for loads, and the loader thread that uses it for join_async(). Must outlive every DocConnection it returned: the transport closes
// its sessions before destroying the registry.
#pragma once

#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <unordered_map>
#include <utility>

#include "common/result.hpp"
#include "room/crdt_doc.hpp"
#include "room/doc_connection.hpp"
#include "room/limits.hpp"
#include "room/live_doc.hpp"
#include "room/peer.hpp"
#include "room/principal_index.hpp"
#include "room/principal_quota.hpp"
#include "room/history_options.hpp"
#include "store/doc_history.hpp"
#include "store/doc_store.hpp"
#include "store/writer.hpp"

namespace mockloop::room {

struct RegistryOptions {
  Limits limits;
  // SQLite file; empty turns persistence off (--no-persist): nothing is loaded or stored,
  // updates are broadcast as soon as they are applied.
  std::string db_path;
  store::DatabaseOptions database;
  store::WriterOptions writer;
  CrdtDocFactory make_doc;  // empty: make_crdt_doc(limits); tests may substitute a double
  HistoryOptions history;   // which docs keep history, checkpoints, retention (persistent only)
  // Time source for awareness renewal and idleness (tick() takes its `now` separately).
  std::function<Clock::time_point()> clock = [] { return Clock::now(); };
};

class DocRegistry {
 public:
  // Opens the database (running the "docs" migrations) and starts the writer (a thread of
  // its own unless options.writer.commit_on_caller).
  static Result<std::unique_ptr<DocRegistry>> open(RegistryOptions options);
  // Compacts and unloads nothing: the log already holds every committed update. Drains and
  // stops the writer.
  ~DocRegistry();
  DocRegistry(const DocRegistry&) = delete;
  DocRegistry& operator=(const DocRegistry&) = delete;

  // Joins `peer` to `doc_name`, loading the document if needed, and sends the peer the
  // server's sync step 1 and the present awareness states. Errors (Error::code):
  // "too_many_docs", "doc_full", "principal_docs", "principal_conns" (refuse with 1013 /
  // HTTP 503), "load_failed" (1011). The caller has already authorized the peer (see
  // Authorizer); `principal` is who it acts for (limits.hpp; empty: not counted).
  Result<std::shared_ptr<DocConnection>> join(const std::string& doc_name, const std::shared_ptr<Peer>& peer, bool read_only,
                                              const std::string& principal = {});

  // The same without blocking the caller: a document in memory is joined at once (`done`
  // runs before join_async returns); one that must be read from SQLite is loaded on the
  // registry's loader thread, and `done` runs there when it is, for every joiner that
  // came meanwhile. So an io thread never waits for a load.
  using JoinDone = std::function<void(Result<std::shared_ptr<DocConnection>>)>;
  void join_async(std::string doc_name, std::shared_ptr<Peer> peer, bool read_only, JoinDone done,
                  const std::string& principal = {});

  // Stops the loader thread; loads not started fail with "shutting_down". Idempotent;
  // called before the transport goes away, and by the destructor.
  void stop_loading();

  // Call about once a second: expires awareness states, compacts long logs in the
  // background, unloads idle documents. `now` is injectable for tests.
  void tick(Clock::time_point now = Clock::now());
  // The same on the loader thread, after the loads waiting there (at once on the caller's
  // thread when persistence is off: nothing to encode or commit then). The server's ticker
  // calls this, so an io thread never encodes a snapshot or commits a compaction. Requests
  // made while one waits are merged into it (the latest `now` wins). Dropped once
  // stop_loading() has run.
  void tick_in_background(Clock::time_point now = Clock::now());

  // Connections by principal (AccessDecision::principal): the transport tracks each
  // authorized connection on accept and untracks it when it closes; close_principal()
  // closes all of one principal's connections, on every document, at once (revocation).
  // Not on the message path: authorization happens once per connection.
  void track_principal(const std::string& key, const std::shared_ptr<Peer>& peer) { principal_conns_.track(key, peer); }
  void untrack_principal(const std::string& key, uint64_t peer_id) { principal_conns_.untrack(key, peer_id); }
  size_t close_principal(const std::string& key, uint16_t code, const std::string& reason) {
    return principal_conns_.close_all(key, code, reason);
  }

  // Queues a labelled history checkpoint of `doc_name` if it is loaded, keeps history and
  // changed since its last checkpoint (a phase boundary), and commits it. Encodes the doc's
  // state: call off the io threads.
  void checkpoint(const std::string& doc_name, std::string label);

  // A change made by the server to `doc_name` (LiveDoc::server_edit), loading the document
  // first when no one has it open; blocks until it is committed. Runs on the caller's thread
  // (a REST worker, never an io thread). Errors: "too_many_docs", "load_failed", "busy",
  // and server_edit's.
  Result<bool> server_edit(const std::string& doc_name, const LiveDoc::MakeUpdate& make_update,
                           std::string_view actor);

  // Deletes whole document families (a deleted loop's): each base name and every name that
  // starts with base + "-" (a round's doc and its notes and archive; a written work's draft
  // and review docs). Loaded ones are closed first (members get `code`, e.g. 4404), then
  // every stored row of them (snapshot, log, history, checkpoints) is deleted through the
  // writer, after what was queued before. Blocks until committed: call off the io threads.
  // Returns how many documents went (loaded or stored).
  Result<size_t> remove_families(const std::vector<std::string>& bases, uint16_t code, const std::string& reason);

  // Blocks until every update applied so far is committed (shutdown, tests).
  void flush();

  size_t docs_loaded() const;
  bool persistent() const { return writer_ != nullptr; }
  store::Writer* writer() { return writer_.get(); }  // tests: fault injection
  const Limits& limits() const { return ctx_.limits; }
  const PrincipalQuota& principals() const { return principals_; }

 private:
  explicit DocRegistry(RegistryOptions options);
  Result<void> load(LiveDoc& doc);
  // The document in docs_ (dropping a closed one), or a new one in the loading state, with
  // true when the caller must load it. At max_docs_in_memory it unloads an unused document
  // to make room, and fails with "too_many_docs" when there is none.
  Result<std::pair<std::shared_ptr<LiveDoc>, bool>> find_or_create(const std::string& doc_name);
  void forget(const std::shared_ptr<LiveDoc>& doc);  // removes it from docs_ if still there
  void fail_and_forget(const std::shared_ptr<LiveDoc>& doc, const Error& error);
  // Loads `doc` (ending its loading state either way; a failed doc leaves docs_).
  void load_or_fail(const std::shared_ptr<LiveDoc>& doc);
  // Waits for `doc`'s load to end, then adds `peer`. Error "closed": the doc was unloaded
  // meanwhile, try again; other errors are counted as refusals.
  Result<std::shared_ptr<DocConnection>> enter(const std::shared_ptr<LiveDoc>& doc,
                                               const std::shared_ptr<Peer>& peer, bool read_only,
                                               PrincipalQuota::Ticket ticket);
  // Admits `principal` to `doc_name` (counting a refusal).
  Result<PrincipalQuota::Ticket> admit(const std::string& principal, const std::string& doc_name);
  void join_async_attempt(std::string doc_name, std::shared_ptr<Peer> peer, bool read_only, JoinDone done,
                          PrincipalQuota::Ticket ticket, int attempt);
  void join_loaded(const std::shared_ptr<LiveDoc>& doc, std::string doc_name, std::shared_ptr<Peer> peer,
                   bool read_only, JoinDone done, PrincipalQuota::Ticket ticket, int attempt);
  void run_loader();
  // The retention pass (HistoryOptions::retention_days > 0), at most every prune_every:
  // finds expired documents on the read connection, deletes them through the writer.
  void prune_history(Clock::time_point now);

  RoomContext ctx_;
  PrincipalQuota principals_;  // before writer_: tickets of connections are released first
  PrincipalIndex principal_conns_;  // connections by principal, for close_principal()
  std::unique_ptr<store::Writer> writer_;

  std::mutex load_mu_;  // guards reader_db_ and reader_ (one load at a time)
  std::unique_ptr<store::Database> reader_db_;
  std::unique_ptr<store::DocStore> reader_;
  std::unique_ptr<store::DocHistory> reader_history_;  // guarded by load_mu_
  std::optional<Clock::time_point> pruned_at_;          // tick()'s thread only

  mutable std::mutex mu_;  // guards docs_
  std::unordered_map<std::string, std::shared_ptr<LiveDoc>> docs_;

  std::mutex loader_mu_;  // guards to_load_, tick_wanted_, tick_at_ and loader_stopped_
  std::condition_variable loader_cv_;
  std::deque<std::shared_ptr<LiveDoc>> to_load_;  // bounded by Limits::max_docs_in_memory
  bool tick_wanted_ = false;  // a tick_in_background() waits (at most one)
  Clock::time_point tick_at_;
  bool loader_stopped_ = false;
  std::thread loader_;  // started by open() when persistent
};

}  // namespace mockloop::room
