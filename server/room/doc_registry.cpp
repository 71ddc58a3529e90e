#include "room/doc_registry.hpp"

#include "room/room_metrics.hpp"

namespace mockloop::room {

namespace {

constexpr int kJoinAttempts = 4;  // retries when a doc is unloaded between lookup and join

}  // namespace

DocRegistry::DocRegistry(RegistryOptions options) {
  ctx_.limits = options.limits;
  ctx_.make_doc = std::move(options.make_doc);
  ctx_.clock = std::move(options.clock);
}

Result<std::unique_ptr<DocRegistry>> DocRegistry::open(RegistryOptions options) {
  std::string path = options.db_path;
  auto db_options = options.database;
  auto writer_options = options.writer;
  std::unique_ptr<DocRegistry> reg(new DocRegistry(std::move(options)));
  if (path.empty()) return reg;
  auto wdb = store::Database::open(path, db_options);
  if (!wdb) return wdb.error();
  auto writer = store::Writer::start(std::move(wdb).value(), writer_options);  // runs migrations
  if (!writer) return writer.error();
  reg->writer_ = std::move(writer).value();
  reg->ctx_.writer = reg->writer_.get();
  auto rdb = store::Database::open(path, db_options);
  if (!rdb) return rdb.error();
  reg->reader_db_ = std::move(rdb).value();
  auto reader = store::DocStore::open(*reg->reader_db_);
  if (!reader) return reader.error();
  reg->reader_ = std::move(reader).value();
  return reg;
}

DocRegistry::~DocRegistry() {
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
  Result<store::StoredDoc> stored = make_error("load_failed", "not loaded");
  {
    std::lock_guard lock(load_mu_);
    stored = reader_->load(doc.name());
  }
  if (!stored) return make_error("load_failed", "loading " + doc.name() + ": " + stored.error().message);
  if (!stored->snapshot.empty()) {
    if (auto r = crdt->apply_update(stored->snapshot); !r) {
      return make_error("load_failed", "snapshot of " + doc.name() + " does not decode: " + r.error().message);
    }
  }
  for (const auto& u : stored->updates) {
    // Only updates that applied once are logged; one that fails now is corrupt. Skip it
    // (and count it) rather than make the document unopenable.
    if (!crdt->apply_update(u).ok()) RoomMetrics::get().malformed("stored_update").inc();
  }
  size_t logged_bytes = 0;
  for (const auto& u : stored->updates) logged_bytes += u.size();
  doc.finish_load(std::move(crdt), stored->updates.size(), logged_bytes, stored->snapshot.size());
  return {};
}

Result<std::shared_ptr<DocConnection>> DocRegistry::join(std::string doc_name, std::shared_ptr<Peer> peer,
                                                          bool read_only) {
  auto& m = RoomMetrics::get();
  for (int attempt = 0; attempt < kJoinAttempts; ++attempt) {
    std::shared_ptr<LiveDoc> doc;
    bool loader = false;
    {
      std::lock_guard lock(mu_);
      auto it = docs_.find(doc_name);
      if (it != docs_.end() && it->second->closed()) {
        docs_.erase(it);
        it = docs_.end();
      }
      if (it == docs_.end()) {
        if (docs_.size() >= ctx_.limits.max_docs_in_memory) {
          m.refused("too_many_docs").inc();
          return make_error("too_many_docs", "the server holds the maximum number of documents");
        }
        doc = std::make_shared<LiveDoc>(doc_name, ctx_);
        docs_.emplace(doc_name, doc);
        loader = true;
      } else {
        doc = it->second;
      }
    }
    if (loader) {
      if (auto r = load(*doc); !r) {
        doc->fail_load(r.error());
        std::lock_guard lock(mu_);
        if (auto it = docs_.find(doc_name); it != docs_.end() && it->second == doc) docs_.erase(it);
        m.refused("load_failed").inc();
        return r.error();
      }
    } else if (auto r = doc->wait_loaded(); !r) {
      if (r.error().code == "closed") continue;
      m.refused("load_failed").inc();
      return make_error("load_failed", r.error().message);
    }
    auto r = doc->add_member(peer);
    if (r) return std::make_shared<DocConnection>(doc, peer, read_only, ctx_.limits);
    if (r.error().code == "closed") continue;
    m.refused(r.error().code).inc();
    return r.error();
  }
  m.refused("busy").inc();
  return make_error("busy", "document " + doc_name + " is being unloaded; retry");
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
  if (writer_) writer_->drain();  // compactions queued by tick()
  if (drop.empty()) return;
  std::lock_guard lock(mu_);
  for (auto& doc : drop) {
    if (auto it = docs_.find(doc->name()); it != docs_.end() && it->second == doc) docs_.erase(it);
  }
}

}  // namespace mockloop::room
