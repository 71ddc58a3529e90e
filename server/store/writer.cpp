#include "store/writer.hpp"

#include <sqlite3.h>

#include <future>
#include <string>

#include "common/log.hpp"

namespace mockloop::store {

WriteOp WriteOp::append(std::string doc_name, std::shared_ptr<const void> owner, ByteView update, Done done) {
  WriteOp op;
  op.kind = Kind::append;
  op.doc_name = std::move(doc_name);
  op.owner = std::move(owner);
  op.data = update;
  op.done = std::move(done);
  return op;
}

WriteOp WriteOp::compact(std::string doc_name, Bytes snapshot, uint64_t up_to_seq, Done done) {
  auto buf = std::make_shared<const Bytes>(std::move(snapshot));
  WriteOp op;
  op.kind = Kind::compact;
  op.doc_name = std::move(doc_name);
  op.data = ByteView(*buf);
  op.owner = std::move(buf);
  op.up_to_seq = up_to_seq;
  op.done = std::move(done);
  return op;
}

WriteOp WriteOp::remove(std::string doc_name, Done done) {
  WriteOp op;
  op.kind = Kind::remove;
  op.doc_name = std::move(doc_name);
  op.done = std::move(done);
  return op;
}

WriteOp WriteOp::barrier(Done done) {
  WriteOp op;
  op.kind = Kind::barrier;
  op.done = std::move(done);
  return op;
}

WriteOp WriteOp::checkpoint(std::string doc_name, Bytes state, std::string label, Done done) {
  WriteOp op = compact(std::move(doc_name), std::move(state), 0, std::move(done));
  op.kind = Kind::checkpoint;
  op.label = std::move(label);
  return op;
}

WriteOp WriteOp::prune_history(std::vector<std::string> docs, Done done) {
  WriteOp op;
  op.kind = Kind::prune_history;
  op.docs = std::move(docs);
  op.done = std::move(done);
  return op;
}

Result<std::unique_ptr<Writer>> Writer::start(std::unique_ptr<Database> db, const WriterOptions& options) {
  auto docs = DocStore::open(*db);
  if (!docs) return docs.error();
  auto history = DocHistory::open(*db);
  if (!history) return history.error();
  std::unique_ptr<Writer> w(new Writer(std::move(db), std::move(*docs), std::move(*history), options));
  const std::string& path = w->db_->path();
  if (options.checkpoint_after_pages > 0 && !path.empty() && path != ":memory:") {
    auto cdb = Database::open(path);
    if (!cdb) return cdb.error();
    w->checkpoint_db_ = std::move(*cdb);
    sqlite3_wal_hook(w->db_->handle(), &Writer::on_wal_commit, w.get());  // replaces auto-checkpoint
    w->checkpoint_thread_ = std::thread([p = w.get()] { p->run_checkpointer(); });
  }
  if (!options.commit_on_caller) w->thread_ = std::thread([p = w.get()] { p->run(); });
  return w;
}

Writer::Writer(std::unique_ptr<Database> db, std::unique_ptr<DocStore> docs, std::unique_ptr<DocHistory> history,
               WriterOptions options)
    : db_(std::move(db)), docs_(std::move(docs)), history_(std::move(history)), options_(std::move(options)) {}

Writer::~Writer() {
  stop();
  stop_checkpointer();
  if (db_ != nullptr) sqlite3_wal_hook(db_->handle(), nullptr, nullptr);
}

Result<void> Writer::submit(WriteOp op, bool ignore_limit) {
  op.submitted_at = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mu_);
    if (stopping_) return make_error(Errc::stopped, "the store writer is stopped");
    if (!ignore_limit && queue_.size() >= options_.max_queued_ops) {
      return make_error(Errc::queue_full, "the store writer queue is full");
    }
    queue_.push_back(std::move(op));
  }
  if (!options_.commit_on_caller) cv_.notify_one();
  return {};
}

void Writer::drain() {
  if (!options_.commit_on_caller) return;
  std::deque<WriteOp> batch;
  std::vector<uint64_t> seqs;
  {
    std::lock_guard lock(mu_);
    if (committing_ || queue_.empty()) return;
    committing_ = true;
    batch.swap(queue_);
  }
  for (;;) {
    run_batch(batch, seqs);
    std::lock_guard lock(mu_);
    if (queue_.empty()) {
      committing_ = false;
      cv_.notify_all();
      return;
    }
    batch.swap(queue_);
  }
}

int Writer::on_wal_commit(void* self, sqlite3*, const char*, int pages) {
  auto* w = static_cast<Writer*>(self);
  if (pages >= w->options_.checkpoint_after_pages) {
    std::lock_guard lock(w->checkpoint_mu_);
    if (!w->checkpoint_wanted_) {
      w->checkpoint_wanted_ = true;
      w->checkpoint_cv_.notify_one();
    }
  }
  return SQLITE_OK;
}

void Writer::run_checkpointer() {
  for (;;) {
    {
      std::unique_lock lock(checkpoint_mu_);
      checkpoint_cv_.wait(lock, [&] { return checkpoint_wanted_ || checkpoint_stop_; });
      if (checkpoint_stop_) return;
      checkpoint_wanted_ = false;
    }
    // A failure leaves the WAL longer; the next commit asks again. Busy is normal (a reader).
    int rc = sqlite3_wal_checkpoint_v2(checkpoint_db_->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
    if (rc != SQLITE_OK && (rc & 0xFF) != SQLITE_BUSY && (rc & 0xFF) != SQLITE_LOCKED) {
      log::error("store", "checkpoint failed", {{"db", checkpoint_db_->path()}, {"error", sqlite3_errmsg(checkpoint_db_->handle())}});
    }
  }
}

void Writer::stop_checkpointer() {
  if (!checkpoint_thread_.joinable()) return;
  {
    std::lock_guard lock(checkpoint_mu_);
    checkpoint_stop_ = true;
  }
  checkpoint_cv_.notify_one();
  checkpoint_thread_.join();
}

bool Writer::has_capacity() const {
  std::lock_guard lock(mu_);
  return !stopping_ && queue_.size() < options_.max_queued_ops;
}

size_t Writer::queued() const {
  std::lock_guard lock(mu_);
  return queue_.size();
}

uint64_t Writer::batches_committed() const {
  std::lock_guard lock(mu_);
  return batches_;
}

void Writer::set_fault_injector(std::function<Result<void>()> f) {
  std::lock_guard lock(mu_);
  fault_ = std::move(f);
}

void Writer::flush() {
  std::promise<void> done;
  auto fut = done.get_future();
  if (!submit(WriteOp::barrier([&done](const Result<uint64_t>&) { done.set_value(); }), true)) return;
  drain();
  fut.wait();
}

void Writer::stop() {
  if (options_.commit_on_caller) {
    {
      std::lock_guard lock(mu_);
      stopping_ = true;
    }
    drain();
    std::unique_lock lock(mu_);
    cv_.wait(lock, [&] { return !committing_ && queue_.empty(); });
    return;
  }
  {
    std::lock_guard lock(mu_);
    if (stopping_ && !thread_.joinable()) return;
    stopping_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

Result<void> Writer::execute(std::deque<WriteOp>& batch, std::vector<uint64_t>& seqs) {
  std::function<Result<void>()> fault;
  {
    std::lock_guard lock(mu_);
    fault = fault_;
  }
  if (auto r = db_->begin(); !r) return r;
  for (auto& op : batch) {
    Result<uint64_t> seq = uint64_t{0};
    switch (op.kind) {
      case WriteOp::Kind::append:
        seq = docs_->append_in_tx(op.doc_name, op.data);
        if (seq && op.history) {
          if (auto r = history_->append_in_tx(op.doc_name, *seq, op.history->at_ms, op.history->actor, op.data); !r)
            seq = r.error();
        }
        break;
      case WriteOp::Kind::checkpoint:
        if (auto r = history_->checkpoint_in_tx(op.doc_name, op.label, op.data); !r) seq = r.error();
        break;
      case WriteOp::Kind::prune_history:
        for (const auto& doc : op.docs) {
          if (auto r = history_->remove_in_tx(doc); !r) {
            seq = r.error();
            break;
          }
        }
        break;
      case WriteOp::Kind::compact:
        if (auto r = docs_->compact_in_tx(op.doc_name, op.data, op.up_to_seq); !r) seq = r.error();
        break;
      case WriteOp::Kind::remove:
        if (auto r = docs_->remove_in_tx(op.doc_name); !r) seq = r.error();
        else if (auto h = history_->remove_in_tx(op.doc_name); !h) seq = h.error();
        break;
      case WriteOp::Kind::barrier:
        break;
    }
    if (!seq) {
      db_->rollback();
      return seq.error();
    }
    seqs.push_back(*seq);
  }
  if (fault) {
    if (auto r = fault(); !r) {
      db_->rollback();
      return r;
    }
  }
  if (auto r = db_->commit(); !r) {
    db_->rollback();
    return r;
  }
  return {};
}

void Writer::run() {
  std::deque<WriteOp> batch;
  std::vector<uint64_t> seqs;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      batch.swap(queue_);
    }
    run_batch(batch, seqs);
  }
}

void Writer::run_batch(std::deque<WriteOp>& batch, std::vector<uint64_t>& seqs) {
  seqs.clear();
  seqs.reserve(batch.size());
  Result<void> r = execute(batch, seqs);
  if (!r) {
    // Every caller of this batch gets the error too; this is the one line that says why.
    std::string doc;
    for (const auto& op : batch) {
      if (!op.doc_name.empty()) {
        doc = op.doc_name;
        break;
      }
    }
    log::error("store", "commit failed; the batch was rolled back",
               {{"ops", std::to_string(batch.size())}, {"doc", doc}, {"code", std::string(name(r.error().code))}, {"error", r.error().message}});
  }
  if (r) {
    {
      std::lock_guard lock(mu_);
      ++batches_;
    }
    if (options_.on_commit) options_.on_commit(batch.size());
  }
  for (size_t i = 0; i < batch.size(); ++i) {
    if (!batch[i].done) continue;
    if (r) {
      batch[i].done(Result<uint64_t>(seqs[i]));
    } else {
      batch[i].done(Result<uint64_t>(r.error()));
    }
  }
  batch.clear();
}

}  // namespace mockloop::store
