#include "crdt/doc.hpp"

#include <algorithm>
#include <random>

#include "crdt/doc_impl.hpp"
#include "crdt/json_render.hpp"
#include "crdt/update_ops.hpp"

namespace mockloop::crdt {
namespace {

uint64_t random_client_id() {
  std::random_device rd;
  uint64_t v = 0;
  do {
    v = ((uint64_t{rd()} << 32) | rd()) & kMaxSafeInteger;
  } while (v == 0);
  return v;
}

Result<StateMap> decode_state_vector(ByteView sv) {
  StateMap m;
  if (sv.empty()) return m;
  Decoder d(sv);
  uint64_t n = d.read_var_uint();
  for (uint64_t i = 0; i < n && !d.failed(); ++i) {
    uint64_t client = d.read_var_uint();
    uint64_t clock = d.read_var_uint();
    m[client] = clock;
  }
  if (d.failed()) return Error{kErrDecode, "malformed state vector"};
  return m;
}

struct TxnGuard {
  DocImpl* d;
  TxnGuard(DocImpl* doc, Origin o) : d(doc) { d->begin(o, true); }
  ~TxnGuard() { d->end(); }
};

}  // namespace

Doc::Doc(DocOptions opts, Limits limits)
    : impl_(std::make_unique<DocImpl>(opts.client_id ? opts.client_id : random_client_id(),
                                      opts.gc, limits)) {}
Doc::~Doc() = default;
Doc::Doc(Doc&&) noexcept = default;
Doc& Doc::operator=(Doc&&) noexcept = default;

uint64_t Doc::client_id() const { return impl_->client_id; }

Result<void> Doc::apply_update_v1(ByteView update, Origin origin) {
  auto decoded = decode_update_v1(update);
  if (!decoded.ok()) return decoded.error();
  return impl_->apply_update(std::move(decoded).value(), origin);
}

Result<void> Doc::apply_update_v2(ByteView update, Origin origin) {
  auto decoded = decode_update_v2(update);
  if (!decoded.ok()) return decoded.error();
  return impl_->apply_update(std::move(decoded).value(), origin);
}

Bytes Doc::state_vector_v1() const {
  StateMap sm = impl_->state_map();
  std::vector<std::pair<uint64_t, uint64_t>> v(sm.begin(), sm.end());
  std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.first > b.first; });
  Encoder enc;
  enc.write_var_uint(v.size());
  for (auto [client, clock] : v) {
    enc.write_var_uint(client);
    enc.write_var_uint(clock);
  }
  return enc.take();
}

Result<Bytes> Doc::encode_state_as_update_v1(ByteView state_vector) const {
  auto sv = decode_state_vector(state_vector);
  if (!sv.ok()) return sv.error();
  Bytes state = impl_->encode_state_as_update(sv.value());
  if (!impl_->has_pending()) return state;
  // As Yjs's encodeStateAsUpdate: merge in pending deletes and the pending structs the
  // target does not have yet.
  std::vector<Bytes> parts;
  parts.push_back(std::move(state));
  Bytes pds = impl_->encode_pending_ds_v1();
  if (!pds.empty()) parts.push_back(std::move(pds));
  Bytes ps = impl_->encode_pending_structs_v1();
  if (!ps.empty()) {
    auto diff = diff_update_v1(ps, state_vector);
    if (!diff.ok()) return diff.error();
    parts.push_back(std::move(diff).value());
  }
  if (parts.size() == 1) return std::move(parts[0]);
  std::vector<ByteView> views(parts.begin(), parts.end());
  return merge_updates_v1(views);
}

bool Doc::has_pending() const { return impl_->has_pending(); }

namespace {
Branch* typed_root(DocImpl* d, std::string_view name, uint8_t ref) {
  Branch* b = d->get_root(name);
  if (b->type_ref == kRefUndefined) {
    b->type_ref = ref;
    b->markers_enabled = ref == kRefText || ref == kRefArray || ref == kRefXmlText;
    b->markers.clear();
  }
  return b;
}
}  // namespace

Text Doc::get_text(std::string_view root_name) {
  return Text(typed_root(impl_.get(), root_name, kRefText));
}
Map Doc::get_map(std::string_view root_name) {
  return Map(typed_root(impl_.get(), root_name, kRefMap));
}
Array Doc::get_array(std::string_view root_name) {
  return Array(typed_root(impl_.get(), root_name, kRefArray));
}

std::string Doc::root_to_json(std::string_view root_name, TypeKind kind) {
  uint8_t ref = kRefText;
  switch (kind) {
    case TypeKind::Text: ref = kRefText; break;
    case TypeKind::Map: ref = kRefMap; break;
    case TypeKind::Array: ref = kRefArray; break;
    case TypeKind::XmlFragment: ref = kRefXmlFragment; break;
    case TypeKind::XmlElement: ref = kRefXmlElement; break;
    case TypeKind::XmlText: ref = kRefXmlText; break;
  }
  Branch* b = typed_root(impl_.get(), root_name, ref);
  std::string out;
  render_branch_as(b, ref, &out);
  return out;
}

void Doc::transact(Origin origin, const std::function<void()>& edits) {
  TxnGuard g(impl_.get(), origin);
  edits();
}

uint64_t Doc::observe_update_v1(UpdateObserver cb) { return impl_->observe(std::move(cb)); }
void Doc::unobserve_update(uint64_t id) { impl_->unobserve(id); }

}  // namespace mockloop::crdt
