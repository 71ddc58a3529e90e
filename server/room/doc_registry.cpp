#include "room/doc_registry.hpp"

#include <set>

#include <optional>

#include "common/log.hpp"
#include "room/room_metrics.hpp"
#include "store/doc_families.hpp"

namespace mockloop::room {

namespace {

constexpr int kJoinAttempts = 4;  // retries when a doc is unloaded between lookup and join

// Every attempt found the document being unloaded: counted, and refused with "busy".
Error unloading_busy(const std::string& doc_name) {
  RoomMetrics::get().refused("busy").inc();
  return make_error(Errc::busy, "document " + doc_name + " is being unloaded; retry");
}

}  // namespace

DocRegistry::DocRegistry(RegistryOptions options)
    : principals_(options.limits.max_docs_per_principal, options.limits.max_connections_per_principal_per_doc) {
  ctx_.limits = options.limits;
  ctx_.make_doc = options.make_doc ? std::move(options.make_doc)
                                   : CrdtDocFactory([l = options.limits] { return make_crdt_doc(l); });
  ctx_.clock = std::move(options.clock);
  ctx_.history = std::move(options.history);
}

Result<std::unique_ptr<DocRegistry>> DocRegistry::open(RegistryOptions options) {
  std::string path = options.db_path;
  auto db_options = options.database;
  auto writer_options = options.writer;
  writer_options.on_commit = [](size_t ops) {
    RoomMetrics::get().commits.inc();
    RoomMetrics::get().committed_ops.inc(ops);
  };
  std::unique_ptr<DocRegistry> reg(new DocRegistry(std::move(options)));
  if (path.empty()) return reg;
  auto wdb = store::Database::open(path, db_options);
  if (!wdb) return wdb.error();
  auto writer = store::Writer::start(std::move(wdb).value(), writer_options);  // runs migrations
  if (!writer) return writer.error();
  reg->writer_ = std::move(writer).value();
  reg->ctx_.writer = reg->writer_.get();
  store::DatabaseOptions reader_options = db_options;
  reader_options.mmap_bytes = store::kReaderMmapBytes;  // snapshots and checkpoints span many pages
  auto rdb = store::Database::open(path, reader_options);
  if (!rdb) return rdb.error();
  reg->reader_db_ = std::move(rdb).value();
  auto reader = store::DocStore::open(*reg->reader_db_);
  if (!reader) return reader.error();
  reg->reader_ = std::move(reader).value();
  auto history = store::DocHistory::open(*reg->reader_db_);
  if (!history) return history.error();
  reg->reader_history_ = std::move(history).value();
  reg->loader_ = std::thread([r = reg.get()] { r->run_loader(); });
  return reg;
}

DocRegistry::~DocRegistry() {
  stop_loading();
  if (writer_) writer_->stop();
  std::lock_guard lock(mu_);
  docs_.clear();
}

size_t DocRegistry::docs_loaded() const {
  std::lock_guard lock(mu_);
  return docs_.size();
}

void DocRegistry::flush() {
  if (writer_) writer_->flush();
}

Result<void> DocRegistry::load(LiveDoc& doc) {
  auto crdt = ctx_.make_doc();
  if (reader_ == nullptr) {
    doc.finish_load(std::move(crdt), 0, 0, 0);
    return {};
  }
  Result<store::StoredDoc> stored = make_error(Errc::load_failed, "not loaded");
  {
    std::lock_guard lock(load_mu_);
    stored = reader_->load(doc.name());
  }
  if (!stored) return make_error(Errc::load_failed, "loading " + doc.name() + ": " + stored.error().message);
  if (!stored->snapshot.empty()) {
    if (auto r = crdt->apply_update(stored->snapshot); !r) {
      return make_error(Errc::load_failed, "snapshot of " + doc.name() + " does not decode: " + r.error().message);
    }
  }
  for (const auto& u : stored->updates) {
    // Only updates that applied once are logged; one that fails now is corrupt. Skip it
    // (and count it) rather than make the document unopenable.
    if (auto r = crdt->apply_update(u); !r.ok()) {
      RoomMetrics::get().malformed("stored_update").inc();
      log::warn("room", "stored update does not apply; skipped", {{"doc", doc.name()}});
    }
  }
  size_t logged_bytes = 0;
  for (const auto& u : stored->updates) logged_bytes += u.size();
  doc.finish_load(std::move(crdt), stored->updates.size(), logged_bytes, stored->snapshot.size());
  return {};
}

Result<std::pair<std::shared_ptr<LiveDoc>, bool>> DocRegistry::find_or_create(const std::string& doc_name) {
  std::lock_guard lock(mu_);
  auto it = docs_.find(doc_name);
  if (it != docs_.end() && it->second->closed()) {
    docs_.erase(it);
    it = docs_.end();
  }
  if (it != docs_.end()) return std::pair{it->second, false};
  if (docs_.size() >= ctx_.limits.max_docs_in_memory) {
    // Make room: a document no one uses is unloaded now rather than at its idle time (its
    // log holds every committed update; it is compacted when next loaded and long).
    for (auto d = docs_.begin(); d != docs_.end(); ++d) {
      if (d->second->close_if_unused()) {
        RoomMetrics::get().evictions.inc();
        docs_.erase(d);
        break;
      }
    }
  }
  if (docs_.size() >= ctx_.limits.max_docs_in_memory) {
    RoomMetrics::get().refused("too_many_docs").inc();
    return make_error(Errc::too_many_docs, "the server holds the maximum number of documents");
  }
  auto doc = std::make_shared<LiveDoc>(doc_name, ctx_);
  docs_.emplace(doc_name, doc);
  return std::pair{doc, true};
}

void DocRegistry::forget(const std::shared_ptr<LiveDoc>& doc) {
  std::lock_guard lock(mu_);
  if (auto it = docs_.find(doc->name()); it != docs_.end() && it->second == doc) docs_.erase(it);
}

void DocRegistry::fail_and_forget(const std::shared_ptr<LiveDoc>& doc, const Error& error) {
  doc->fail_load(error);
  forget(doc);
}

Result<PrincipalQuota::Ticket> DocRegistry::admit(const std::string& principal, const std::string& doc_name) {
  auto t = principals_.admit(principal, doc_name);
  if (!t) RoomMetrics::get().refused(name(t.error().code)).inc();
  return t;
}

Result<std::shared_ptr<DocConnection>> DocRegistry::enter(const std::shared_ptr<LiveDoc>& doc,
                                                           const std::shared_ptr<Peer>& peer, bool read_only,
                                                           PrincipalQuota::Ticket ticket) {
  auto& m = RoomMetrics::get();
  if (auto r = doc->wait_loaded(); !r) {
    if (r.error().code == Errc::closed) return r.error();
    m.refused("load_failed").inc();
    return make_error(Errc::load_failed, r.error().message);
  }
  auto r = doc->add_member(peer);
  if (r) return std::make_shared<DocConnection>(doc, peer, read_only, ctx_.limits, std::move(ticket));
  if (r.error().code != Errc::closed) m.refused(name(r.error().code)).inc();
  return r.error();
}

Result<std::shared_ptr<DocConnection>> DocRegistry::join(const std::string& doc_name, const std::shared_ptr<Peer>& peer,
                                                          bool read_only, const std::string& principal) {
  auto ticket = admit(principal, doc_name);
  if (!ticket) return ticket.error();
  for (int attempt = 0; attempt < kJoinAttempts; ++attempt) {
    auto found = find_or_create(doc_name);
    if (!found) return found.error();
    auto [doc, loader] = std::move(found).value();
    if (loader) load_or_fail(doc);
    auto r = enter(doc, peer, read_only, *ticket);
    if (r || r.error().code != Errc::closed) return r;
  }
  return unloading_busy(doc_name);
}

Result<bool> DocRegistry::server_edit(const std::string& doc_name, const LiveDoc::MakeUpdate& make_update,
                                      std::string_view actor) {
  for (int attempt = 0; attempt < kJoinAttempts; ++attempt) {
    auto found = find_or_create(doc_name);
    if (!found) return found.error();
    auto [doc, loader] = std::move(found).value();
    if (loader) load_or_fail(doc);
    if (auto r = doc->wait_loaded(); !r) {
      if (r.error().code == Errc::closed) continue;
      return make_error(Errc::load_failed, r.error().message);
    }
    auto changed = doc->server_edit(make_update, actor);
    if (!changed && changed.error().code == Errc::closed) continue;  // unloaded meanwhile
    if (changed && *changed) flush();
    return changed;
  }
  return unloading_busy(doc_name);
}

void DocRegistry::tick(Clock::time_point now) {
  std::vector<std::shared_ptr<LiveDoc>> docs;
  {
    std::lock_guard lock(mu_);
    docs.reserve(docs_.size());
    for (const auto& [name, doc] : docs_) docs.push_back(doc);
  }
  std::vector<std::shared_ptr<LiveDoc>> drop;
  for (auto& doc : docs) {
    if (doc->tick(now)) drop.push_back(doc);
  }
  prune_history(now);
  if (writer_) writer_->drain();  // compactions, checkpoints and prunes queued by tick()
  if (drop.empty()) return;
  for (auto& doc : drop) forget(doc);
}

void DocRegistry::checkpoint(const std::string& doc_name, std::string label) {
  std::shared_ptr<LiveDoc> doc;
  {
    std::lock_guard lock(mu_);
    if (auto it = docs_.find(doc_name); it != docs_.end()) doc = it->second;
  }
  if (!doc) return;  // not loaded: unchanged since it was unloaded (and checkpointed then)
  doc->checkpoint(std::move(label));
  if (writer_) writer_->drain();
}

namespace {

bool in_family(std::string_view name, const std::vector<std::string>& bases) {
  for (const auto& b : bases)
    if (name == b || (name.size() > b.size() && name.substr(0, b.size()) == b && name[b.size()] == '-')) return true;
  return false;
}

}  // namespace

Result<size_t> DocRegistry::remove_families(const std::vector<std::string>& bases, uint16_t code,
                                            const std::string& reason) {
  std::vector<std::shared_ptr<LiveDoc>> loaded;
  {
    std::lock_guard lock(mu_);
    for (const auto& [name, doc] : docs_)
      if (in_family(name, bases)) loaded.push_back(doc);
  }
  std::set<std::string> names;
  for (auto& doc : loaded) {
    doc->close_removed(code, reason);
    names.insert(doc->name());
    forget(doc);
  }
  if (!writer_) return names.size();
  {
    std::lock_guard lock(load_mu_);
    auto stored = store::stored_docs_in_families(*reader_db_, bases);
    if (!stored) return stored.error();
    names.insert(stored->begin(), stored->end());
  }
  for (const auto& name : names)
    if (auto r = writer_->submit(store::WriteOp::remove(name, nullptr), /*ignore_limit=*/true); !r) return r.error();
  writer_->flush();
  return names.size();
}

void DocRegistry::prune_history(Clock::time_point now) {
  const auto& h = ctx_.history;
  if (!writer_ || h.retention_days <= 0 || reader_history_ == nullptr) return;
  if (pruned_at_ && now - *pruned_at_ < h.prune_every) return;
  pruned_at_ = now;
  const int64_t cutoff = h.now_ms() - int64_t{h.retention_days} * 24 * 3600 * 1000;
  Result<std::vector<std::string>> old = std::vector<std::string>{};
  {
    std::lock_guard lock(load_mu_);
    old = reader_history_->docs_older_than(cutoff);
  }
  if (!old) {
    log::error("room", "history retention pass failed", {{"error", old.error().message}});
    return;
  }
  if (old->empty()) return;
  const size_t n = old->size();
  auto r = writer_->submit(store::WriteOp::prune_history(std::move(*old), [n](const Result<uint64_t>& r) {
    if (r) log::info("room", "history pruned", {{"docs", std::to_string(n)}});
    else log::error("room", "history prune failed", {{"error", r.error().message}});
  }), /*ignore_limit=*/true);
  if (!r) log::error("room", "history prune not queued", {{"error", r.error().message}});
}

void DocRegistry::join_async(std::string doc_name, std::shared_ptr<Peer> peer, bool read_only, JoinDone done,
                             const std::string& principal) {
  auto ticket = admit(principal, doc_name);
  if (!ticket) return done(ticket.error());
  join_async_attempt(std::move(doc_name), std::move(peer), read_only, std::move(done), std::move(*ticket), 0);
}

void DocRegistry::join_async_attempt(std::string doc_name, std::shared_ptr<Peer> peer, bool read_only,
                                     JoinDone done, PrincipalQuota::Ticket ticket, int attempt) {
  if (attempt >= kJoinAttempts) {
    return done(unloading_busy(doc_name));
  }
  auto found = find_or_create(doc_name);
  if (!found) return done(found.error());
  auto [doc, loader] = std::move(found).value();
  if (loader) {
    if (reader_ == nullptr) {
      load_or_fail(doc);  // nothing to read: an empty document, at once
    } else {
      std::unique_lock lock(loader_mu_);
      if (loader_stopped_) {
        lock.unlock();
        fail_and_forget(doc, make_error(Errc::shutting_down, "the server is shutting down"));
      } else {
        to_load_.push_back(doc);
        lock.unlock();
        loader_cv_.notify_one();
      }
    }
  }
  // (`doc` again by name: clang, unlike g++, does not capture structured bindings.)
  doc->when_loaded([this, doc = doc, name = std::move(doc_name), peer = std::move(peer), read_only,
                    done = std::move(done), ticket = std::move(ticket), attempt]() mutable {
    join_loaded(doc, std::move(name), std::move(peer), read_only, std::move(done), std::move(ticket), attempt);
  });
}

void DocRegistry::join_loaded(const std::shared_ptr<LiveDoc>& doc, std::string doc_name, std::shared_ptr<Peer> peer,
                              bool read_only, JoinDone done, PrincipalQuota::Ticket ticket, int attempt) {
  auto r = enter(doc, peer, read_only, ticket);  // loading has ended: does not wait
  if (!r && r.error().code == Errc::closed) {
    return join_async_attempt(std::move(doc_name), std::move(peer), read_only, std::move(done), std::move(ticket),
                              attempt + 1);
  }
  done(std::move(r));
}

void DocRegistry::load_or_fail(const std::shared_ptr<LiveDoc>& doc) {
  if (auto r = load(*doc); !r) {
    log::error("room", "document load failed", {{"doc", doc->name()}, {"error", r.error().message}});
    fail_and_forget(doc, r.error());
  }
}

void DocRegistry::tick_in_background(Clock::time_point now) {
  if (reader_ == nullptr) return tick(now);
  {
    std::lock_guard lock(loader_mu_);
    if (loader_stopped_) return;
    tick_wanted_ = true;
    tick_at_ = now;
  }
  loader_cv_.notify_one();
}

void DocRegistry::run_loader() {
  for (;;) {
    std::shared_ptr<LiveDoc> doc;
    std::optional<Clock::time_point> tick_at;
    {
      std::unique_lock lock(loader_mu_);
      loader_cv_.wait(lock, [&] { return loader_stopped_ || !to_load_.empty() || tick_wanted_; });
      if (!to_load_.empty()) {  // joiners wait for loads: they go first
        doc = std::move(to_load_.front());
        to_load_.pop_front();
      } else if (tick_wanted_ && !loader_stopped_) {
        tick_wanted_ = false;
        tick_at = tick_at_;
      } else {
        return;  // stopped
      }
    }
    if (doc) load_or_fail(doc);
    if (tick_at) tick(*tick_at);
  }
}

void DocRegistry::stop_loading() {
  std::deque<std::shared_ptr<LiveDoc>> pending;
  {
    std::lock_guard lock(loader_mu_);
    if (loader_stopped_) return;
    loader_stopped_ = true;
    tick_wanted_ = false;
    pending.swap(to_load_);
  }
  loader_cv_.notify_one();
  for (auto& doc : pending) {  // their joiners need not wait for the load in progress
    fail_and_forget(doc, make_error(Errc::shutting_down, "the server is shutting down"));
  }
  if (loader_.joinable()) loader_.join();
}

}  // namespace mockloop::room
