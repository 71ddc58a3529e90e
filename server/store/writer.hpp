// The one writer of documents to SQLite. Callers (io threads) submit operations to a
// bounded queue without blocking; the committer (the writer thread, or with
// commit_on_caller the thread in drain()) takes everything queued at that moment, executes
// it in ONE transaction (group commit), and then calls each operation's completion in
// submission order with success or the Error that failed the batch. One batch at a time. A batch
// is all-or-nothing: on any error the transaction is rolled back and every completion of
// that batch gets the error, so no update is ever dropped silently.
//
// Thread-safety: submit()/drain()/has_capacity()/queued() from any thread. Completions run
// on the committing thread and must not block (post elsewhere if they need to). The Writer owns its
// Database and DocStore; stop() (or the destructor) drains the queue, then joins the thread.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>
#include <thread>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/doc_history.hpp"
#include "store/doc_store.hpp"

namespace mockloop::store {

struct WriterOptions {
  size_t max_queued_ops = 16384;  // submit() refuses with "queue_full" beyond this
  // false: the Writer's own thread commits (and runs completions) as ops arrive.
  // true: no thread; whoever calls drain() commits everything queued, as the leader of a
  // group commit, and runs the completions itself. The server's io threads use this: an
  // update is committed and broadcast by the thread that read it, with no hand-off to
  // another thread and back (two wake-ups per update less).
  bool commit_on_caller = false;
  // WAL pages after a commit that wake the checkpointer, a thread with its own connection
  // that copies the WAL back into the database (PASSIVE: it never blocks a commit), so no
  // committing thread ever waits for a checkpoint's fsync. 0: SQLite's own
  // auto-checkpoint, run by the committing thread.
  int checkpoint_after_pages = 1000;
  // Called after each committed batch with its number of operations, on the committing
  // thread (metrics). May be empty.
  std::function<void(size_t ops)> on_commit = nullptr;
};

// An append that also goes to the document's history (store/doc_history.hpp), in the same
// transaction as the live log.
struct HistoryStamp {
  int64_t at_ms = 0;   // server time, ms since the Unix epoch
  std::string actor;   // participant id ("" when unknown)
};

// One queued operation. Make them with the factories below.
struct WriteOp {
  enum class Kind : uint8_t { append, compact, remove, barrier, checkpoint, prune_history };
  // For append: the assigned seq. Otherwise 0.
  using Done = std::function<void(const Result<uint64_t>&)>;

  Kind kind = Kind::barrier;
  std::string doc_name;
  std::shared_ptr<const void> owner;  // keeps `data` alive
  ByteView data;                      // update (append) or snapshot (compact)
  uint64_t up_to_seq = kAllLogged;    // compact
  Done done;                          // may be empty
  std::chrono::steady_clock::time_point submitted_at{};
  std::optional<HistoryStamp> history;  // append: also a history row
  std::string label;                    // checkpoint
  std::vector<std::string> docs;        // prune_history: the documents whose history goes

  // `update` must point into `owner` (or be kept alive by it) until completion.
  static WriteOp append(std::string doc_name, std::shared_ptr<const void> owner, ByteView update, Done done);
  static WriteOp compact(std::string doc_name, Bytes snapshot, uint64_t up_to_seq, Done done);
  // Deletes the document: snapshot, log, history and checkpoints.
  static WriteOp remove(std::string doc_name, Done done);
  // Completes once everything submitted before it is committed.
  static WriteOp barrier(Done done);
  // A history checkpoint of `doc_name`: `state` covers every history row appended before it.
  static WriteOp checkpoint(std::string doc_name, Bytes state, std::string label, Done done);
  // Deletes the history and checkpoints of `docs` (the retention pass; the live log stays).
  static WriteOp prune_history(std::vector<std::string> docs, Done done);
};

class Writer {
 public:
  // Takes ownership of `db`, opens a DocStore on it (running migrations) and starts the thread.
  static Result<std::unique_ptr<Writer>> start(std::unique_ptr<Database> db, const WriterOptions& options = {});
  ~Writer();
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  // Queues `op`. Fails ("queue_full", "stopped") without calling op.done. With
  // `ignore_limit` the queue limit is not applied: for a caller that already checked
  // has_capacity() and must not fail afterwards (the overshoot is bounded by the number of
  // such callers).
  Result<void> submit(WriteOp op, bool ignore_limit = false);
  // With commit_on_caller: commits everything queued on the calling thread, batch after
  // batch until the queue is empty, unless another thread is already doing so (that thread
  // then takes these ops too). Without it: does nothing (the writer thread commits).
  // REQUIRES: the caller holds no lock a completion takes.
  void drain();
  bool has_capacity() const;
  size_t queued() const;

  // Blocks until everything submitted before the call is committed (or failed).
  void flush();
  // Drains the queue, then stops the thread. Later submits fail with "stopped". Idempotent.
  void stop();

  // Test hook: runs before each batch commit, on the writer thread; returning an Error
  // fails the batch as a database error would.
  void set_fault_injector(std::function<Result<void>()> f);

  uint64_t batches_committed() const;

 private:
  Writer(std::unique_ptr<Database> db, std::unique_ptr<DocStore> docs, std::unique_ptr<DocHistory> history,
         WriterOptions options);
  void run();
  // Commits `batch` and runs its completions; clears it.
  void run_batch(std::deque<WriteOp>& batch, std::vector<uint64_t>& seqs);
  Result<void> execute(std::deque<WriteOp>& batch, std::vector<uint64_t>& seqs);

  std::unique_ptr<Database> db_;
  std::unique_ptr<DocStore> docs_;
  std::unique_ptr<DocHistory> history_;
  const WriterOptions options_;

  mutable std::mutex mu_;  // guards queue_, stopping_, committing_, fault_, batches_
  std::condition_variable cv_;  // writer thread: ops queued; commit_on_caller: drained
  std::deque<WriteOp> queue_;
  bool stopping_ = false;
  bool committing_ = false;  // commit_on_caller: a thread is in drain()
  std::function<Result<void>()> fault_;
  uint64_t batches_ = 0;
  std::thread thread_;

  // The checkpointer (see WriterOptions::checkpoint_after_pages).
  static int on_wal_commit(void* self, struct sqlite3* db, const char* name, int pages);
  void run_checkpointer();
  void stop_checkpointer();
  std::unique_ptr<Database> checkpoint_db_;
  std::thread checkpoint_thread_;
  std::mutex checkpoint_mu_;  // guards the two flags below
  std::condition_variable checkpoint_cv_;
  bool checkpoint_wanted_ = false;
  bool checkpoint_stop_ = false;
};

}  // namespace mockloop::store
