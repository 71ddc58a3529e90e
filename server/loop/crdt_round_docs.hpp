// CrdtRoundDocs: RoundDocs over the room server's stored documents. Loads a shared doc's
// snapshot and update log from store::DocStore, rebuilds it with crdt::Doc, renders the
// "board" map to SVG and reads the "code" text; for a notes doc, reads the "notes" text. Thread-safe: one mutex serialises use of
// its own Database connection (which nobody else may use).
#pragma once

#include <memory>
#include <mutex>
#include <optional>

#include "common/result.hpp"
#include "loop/round_docs.hpp"
#include "store/database.hpp"
#include "store/doc_history.hpp"
#include "store/doc_store.hpp"

namespace mockloop::loop {

class CrdtRoundDocs final : public RoundDocs {
 public:
  // `db` must outlive the object.
  static Result<std::shared_ptr<CrdtRoundDocs>> open(store::Database& db);

  RoundArtifacts load(std::string_view doc_name) override;
  std::string load_notes(std::string_view doc_name) override;
  std::string load_text(std::string_view doc_name, std::string_view field) override;
  std::string load_map_json(std::string_view doc_name, std::string_view root) override;
  std::string board_svg_at(std::string_view doc_name, int64_t at_ms) override;

 private:
  std::optional<store::StoredDoc> stored(std::string_view doc_name);
  CrdtRoundDocs(std::unique_ptr<store::DocStore> docs, std::unique_ptr<store::DocHistory> history)
      : docs_(std::move(docs)), history_(std::move(history)) {}
  std::mutex mu_;  // guards docs_ and history_ (one Database connection)
  std::unique_ptr<store::DocStore> docs_;
  std::unique_ptr<store::DocHistory> history_;
};

// Renders a document given its stored state (exposed for tests).
RoundArtifacts artifacts_from_updates(const store::StoredDoc& stored);
// The final text of a stored doc's Y.Text "notes" (exposed for tests).
std::string notes_from_updates(const store::StoredDoc& stored);

}  // namespace mockloop::loop
