#include "loop/crdt_round_docs.hpp"

#include "crdt/doc.hpp"
#include "loop/board_svg.hpp"

namespace mockloop::loop {

Result<std::shared_ptr<CrdtRoundDocs>> CrdtRoundDocs::open(store::Database& db) {
  auto docs = store::DocStore::open(db);
  if (!docs) return docs.error();
  auto history = store::DocHistory::open(db);
  if (!history) return history.error();
  return std::shared_ptr<CrdtRoundDocs>(new CrdtRoundDocs(std::move(*docs), std::move(*history)));
}

namespace {

// Rebuilds a stored doc; counts the updates that could not be applied in `bad`.
std::unique_ptr<crdt::Doc> rebuild(const store::StoredDoc& stored, size_t& bad) {
  // Every stored update was accepted by the room (under its limits, which may have been
  // raised, or before there were any): read them all. Deep nesting costs no stack here
  // (delete and GC are iterative, rendering stops at crdt::kMaxRenderDepth).
  crdt::Limits unbounded;
  unbounded.max_type_depth = UINT32_MAX;
  unbounded.max_map_keys = SIZE_MAX;
  auto doc = std::make_unique<crdt::Doc>(crdt::DocOptions{}, unbounded);
  bad = 0;
  if (!stored.snapshot.empty() && !doc->apply_update_v1(stored.snapshot).ok()) ++bad;
  for (const auto& u : stored.updates)
    if (!doc->apply_update_v1(u).ok()) ++bad;
  return doc;
}

}  // namespace

RoundArtifacts artifacts_from_updates(const store::StoredDoc& stored) {
  RoundArtifacts out;
  if (stored.snapshot.empty() && stored.updates.empty()) {
    out.note = "nothing was drawn or written in this round";
    return out;
  }
  size_t bad = 0;
  auto owned = rebuild(stored, bad);
  crdt::Doc& doc = *owned;
  const auto board = nlohmann::json::parse(doc.root_to_json("board", crdt::TypeKind::Map), nullptr, false);
  if (!board.is_discarded()) out.board_svg = render_board_svg(board);
  out.code = doc.get_text("code").to_string();
  if (bad > 0) out.note = std::to_string(bad) + " stored update(s) could not be read";
  return out;
}

std::string notes_from_updates(const store::StoredDoc& stored) {
  if (stored.snapshot.empty() && stored.updates.empty()) return {};
  size_t bad = 0;
  return rebuild(stored, bad)->get_text("notes").to_string();
}

std::string CrdtRoundDocs::load_notes(std::string_view doc_name) {
  store::StoredDoc stored;
  {
    std::lock_guard lock(mu_);
    auto r = docs_->load(doc_name);
    if (!r) return {};
    stored = std::move(*r);
  }
  return notes_from_updates(stored);
}

RoundArtifacts CrdtRoundDocs::load(std::string_view doc_name) {
  store::StoredDoc stored;
  {
    std::lock_guard lock(mu_);
    auto r = docs_->load(doc_name);
    if (!r) return RoundArtifacts{"", "", "the document could not be loaded", {}, {}, {}, {}};
    stored = std::move(*r);
  }
  return artifacts_from_updates(stored);
}

std::optional<store::StoredDoc> CrdtRoundDocs::stored(std::string_view doc_name) {
  std::lock_guard lock(mu_);
  auto r = docs_->load(doc_name);
  if (!r) return std::nullopt;
  return std::move(*r);
}

std::string CrdtRoundDocs::load_text(std::string_view doc_name, std::string_view field) {
  auto s = stored(doc_name);
  if (!s || (s->snapshot.empty() && s->updates.empty())) return {};
  size_t bad = 0;
  return rebuild(*s, bad)->get_text(field).to_string();
}

std::string CrdtRoundDocs::board_svg_at(std::string_view doc_name, int64_t at_ms) {
  store::StoredDoc stored;
  {
    std::lock_guard lock(mu_);
    auto s = history_->slice_until(doc_name, at_ms);
    if (!s) return {};
    stored.snapshot = std::move(s->checkpoint);
    stored.updates = std::move(s->updates);
  }
  if (stored.snapshot.empty() && stored.updates.empty()) return {};
  size_t bad = 0;
  auto doc = rebuild(stored, bad);
  const auto board = nlohmann::json::parse(doc->root_to_json("board", crdt::TypeKind::Map), nullptr, false);
  return board.is_discarded() ? std::string() : render_board_svg(board);
}

std::string CrdtRoundDocs::load_map_json(std::string_view doc_name, std::string_view root) {
  auto s = stored(doc_name);
  if (!s || (s->snapshot.empty() && s->updates.empty())) return "{}";
  size_t bad = 0;
  return rebuild(*s, bad)->root_to_json(root, crdt::TypeKind::Map);
}

}  // namespace mockloop::loop
