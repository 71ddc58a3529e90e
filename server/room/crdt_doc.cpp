#include "room/crdt_doc.hpp"

#include "crdt/crdt.hpp"

namespace mockloop::room {

namespace {

// crdt::Doc behind the room's interface; crdt's own Error becomes common's.
class YDoc final : public CrdtDoc {
 public:
  YDoc() : doc_(crdt::DocOptions{.client_id = 0, .gc = true}) {}

  Result<bool> apply_update(ByteView update) override {
    // A v1 update opens with the number of clients that have structs. With structs it is
    // assumed to change the doc (checking would cost an encode per update). Without, it is
    // a delete set, commonly one the doc already has (every client's answer to our step 1
    // carries its whole delete set): the update observer tells whether it deleted anything.
    if (!update.empty() && update[0] != 0) {
      auto r = doc_.apply_update_v1(update);
      if (!r) return make_error("invalid_update", r.error().message);
      return true;
    }
    bool changed = false;
    uint64_t id = doc_.observe_update_v1([&changed](crdt::ByteView, crdt::Origin) { changed = true; });
    auto r = doc_.apply_update_v1(update);
    doc_.unobserve_update(id);
    if (!r) return make_error("invalid_update", r.error().message);
    return changed;
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
