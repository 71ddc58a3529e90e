#include "room/crdt_doc.hpp"

#include "crdt/crdt.hpp"

namespace mockloop::room {

namespace {

// crdt::Doc behind the room's interface; crdt's own Error becomes common's.
class YDoc final : public CrdtDoc {
 public:
  YDoc() : doc_(crdt::DocOptions{.client_id = 0, .gc = true}) {}

  Result<void> apply_update(ByteView update) override {
    auto r = doc_.apply_update_v1(update);
    if (!r) return make_error("invalid_update", r.error().message);
    return {};
  }

  Bytes state_vector() const override { return doc_.state_vector_v1(); }

  Result<Bytes> encode_diff(ByteView state_vector) const override {
    auto r = doc_.encode_state_as_update_v1(state_vector);
    if (!r) return make_error("invalid_state_vector", r.error().message);
    return std::move(r).value();
  }

 private:
  crdt::Doc doc_;
};

}  // namespace

std::unique_ptr<CrdtDoc> make_crdt_doc() { return std::make_unique<YDoc>(); }

}  // namespace mockloop::room
