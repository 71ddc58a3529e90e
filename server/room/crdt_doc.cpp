#include "room/crdt_doc.hpp"

#include "crdt/crdt.hpp"
#include "room/errc_of.hpp"
#include "room/limits.hpp"

namespace mockloop::room {

namespace {

// crdt::Doc behind the room's interface; crdt's own Error becomes common's.
class YDoc final : public CrdtDoc {
 public:
  explicit YDoc(crdt::Limits limits) : doc_(crdt::DocOptions{.client_id = 0, .gc = true}, limits) {}

  Result<bool> apply_update(ByteView update) override {
    // A v1 update opens with the number of clients that have structs. With structs it is
    // assumed to change the doc (checking would cost an encode per update). Without, it is
    // a delete set, commonly one the doc already has (every client's answer to our step 1
    // carries its whole delete set): the update observer tells whether it deleted anything.
    if (!update.empty() && update[0] != 0) {
      auto r = doc_.apply_update_v1(update);
      if (!r) return refused(r.error());
      return true;
    }
    bool changed = false;
    uint64_t id = doc_.observe_update_v1([&changed](crdt::ByteView, crdt::Origin) { changed = true; });
    auto r = doc_.apply_update_v1(update);
    doc_.unobserve_update(id);
    if (!r) return refused(r.error());
    return changed;
  }

  Bytes state_vector() const override { return doc_.state_vector_v1(); }

  Result<Bytes> encode_diff(ByteView state_vector) const override {
    auto r = doc_.encode_state_as_update_v1(state_vector);
    if (!r) return make_error(errc_of(r.error(), CrdtInput::state_vector), r.error().message);
    return std::move(r).value();
  }

 private:
  static Error refused(const crdt::Error& e) {
    return make_error(errc_of(e, CrdtInput::update), e.message);
  }
  crdt::Doc doc_;
};

}  // namespace

std::unique_ptr<CrdtDoc> make_crdt_doc() { return std::make_unique<YDoc>(crdt::Limits{}); }

std::unique_ptr<CrdtDoc> make_crdt_doc(const Limits& limits) {
  crdt::Limits l;
  l.max_type_depth = static_cast<uint32_t>(limits.max_type_depth);
  l.max_map_keys = limits.max_map_keys;
  return std::make_unique<YDoc>(l);
}

}  // namespace mockloop::room
