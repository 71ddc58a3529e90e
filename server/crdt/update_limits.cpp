// DocImpl::check_limits: decides, before a remote update touches the document, whether
// integrating it (together with the structs pending from earlier updates, which it may
// unblock) could create a shared type deeper than Limits::max_type_depth or give a map more
// than Limits::max_map_keys keys. It resolves each struct's parent as Item.getMissing
// would (explicit parent, else the origin's or right origin's parent; the document first,
// then the update), iteratively: chains of origins or of nested types are as long as the
// client makes them. A parent it cannot resolve counts as a root (depth 0): such structs
// wait as pending and are checked again with the update that supplies their parent.
#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>

#include "crdt/doc_impl.hpp"

namespace mockloop::crdt {

namespace {

struct Ref {  // a struct's parent, as far as resolved
  enum Kind : uint8_t { Unresolved, InProgress, Unknown, NewRoot, DocBranch, UpdateType };
  Kind kind = Unresolved;
  Branch* branch = nullptr;         // DocBranch (a root or a nested type of the document)
  size_t type = 0;                  // UpdateType: index of the ContentType struct
  const std::string* root = nullptr;  // NewRoot: a root the document does not have yet
};

struct Entry {  // one struct of the update or of the pending set, by id
  uint64_t client, clock, end;
  size_t index;
};

bool relevant(const DecodedStruct& s) {
  return s.kind == StructKind::Item &&
         (s.content.kind == ContentKind::Type || (s.parent_kind != ParentKind::None && s.has_parent_sub));
}

}  // namespace

Result<void> DocImpl::check_limits(const DecodedUpdate& update, bool with_pending) const {
  bool any = with_pending && !pending_structs_.empty();
  for (const auto& c : update.clients) {
    for (const auto& s : c.structs) any = any || relevant(s);
  }
  if (!any) return {};  // the common case: text edits, map overwrites

  std::vector<const DecodedStruct*> all;
  for (const auto& c : update.clients) {
    for (const auto& s : c.structs) all.push_back(&s);
  }
  if (with_pending) {
    for (const auto& [client, v] : pending_structs_) {
      for (const auto& s : v) all.push_back(&s);
    }
  }
  std::vector<Entry> by_id;
  by_id.reserve(all.size());
  for (size_t i = 0; i < all.size(); ++i) {
    if (all[i]->kind == StructKind::Item) by_id.push_back({all[i]->id.client, all[i]->id.clock, all[i]->end(), i});
  }
  std::sort(by_id.begin(), by_id.end(), [](const Entry& a, const Entry& b) {
    return a.client != b.client ? a.client < b.client : a.clock < b.clock;
  });
  // The update struct containing id, or SIZE_MAX.
  auto find_in_update = [&](ID id) -> size_t {
    auto it = std::upper_bound(by_id.begin(), by_id.end(), id, [](const ID& v, const Entry& e) {
      return v.client != e.client ? v.client < e.client : v.clock < e.clock;
    });
    if (it == by_id.begin()) return SIZE_MAX;
    --it;
    return it->client == id.client && id.clock < it->end ? it->index : SIZE_MAX;
  };
  auto in_doc = [&](ID id) { return id.clock < store.state(id.client); };

  std::vector<Ref> refs(all.size());
  std::vector<size_t> chain;
  // One step of parent resolution: either a final Ref, or the index of the struct whose
  // parent this one shares (set in *next).
  auto step = [&](const DecodedStruct& s, size_t* next) -> Ref {
    *next = SIZE_MAX;
    if (s.parent_kind == ParentKind::Root) {
      auto it = roots_.find(s.parent_name);
      if (it != roots_.end()) return {Ref::DocBranch, it->second};
      return {Ref::NewRoot, nullptr, 0, &s.parent_name};
    }
    if (s.parent_kind == ParentKind::Id) {
      if (in_doc(s.parent_id)) {
        const Item* p = const_cast<StructStore&>(store).find(s.parent_id);
        if (p && !p->is_gc() && p->content.kind == ContentKind::Type) return {Ref::DocBranch, p->content.x->branch};
        return {Ref::Unknown};
      }
      size_t j = find_in_update(s.parent_id);
      if (j != SIZE_MAX && all[j]->content.kind == ContentKind::Type) return {Ref::UpdateType, nullptr, j};
      return {Ref::Unknown};
    }
    if (!s.has_origin && !s.has_right_origin) return {Ref::Unknown};
    ID src = s.has_origin ? s.origin : s.right_origin;
    if (in_doc(src)) {
      const Item* p = const_cast<StructStore&>(store).find(src);
      if (p && !p->is_gc() && p->parent) return {Ref::DocBranch, p->parent};
      return {Ref::Unknown};
    }
    *next = find_in_update(src);
    return {Ref::Unknown};
    // (NewRoot and UpdateType parents are reached only through explicit parent info.)
  };
  auto resolve = [&](size_t i) -> Ref {
    chain.clear();
    Ref r;
    for (size_t k = i;;) {
      if (refs[k].kind == Ref::InProgress) {  // a cycle of origins: never integrable
        r = {Ref::Unknown};
        break;
      }
      if (refs[k].kind != Ref::Unresolved) {
        r = refs[k];
        break;
      }
      refs[k].kind = Ref::InProgress;
      chain.push_back(k);
      size_t next;
      r = step(*all[k], &next);
      if (next == SIZE_MAX) break;
      k = next;
    }
    for (size_t k : chain) refs[k] = r;
    return r;
  };

  // Depth of the type that struct i (a ContentType) creates; 0 while being computed.
  std::vector<uint32_t> depth(all.size(), 0);
  std::vector<uint8_t> depth_state(all.size(), 0);  // 0 unknown, 1 in progress, 2 known
  std::vector<size_t> types;
  auto type_depth = [&](size_t i) -> uint32_t {
    types.clear();
    uint32_t base = 0;
    for (size_t k = i;;) {
      if (depth_state[k] == 2) {
        base = depth[k];
        break;
      }
      if (depth_state[k] == 1) break;  // a cycle of parents: never integrable
      depth_state[k] = 1;
      types.push_back(k);
      Ref r = resolve(k);
      if (r.kind == Ref::UpdateType) {
        k = r.type;
        continue;
      }
      if (r.kind == Ref::DocBranch) base = r.branch->depth;
      break;
    }
    for (size_t n = types.size(); n-- > 0;) {
      depth[types[n]] = ++base;
      depth_state[types[n]] = 2;
    }
    return depth[i];
  };

  // Keys the update adds, by parent: a document branch, an update type or a new root.
  struct NewKey {
    const Branch* branch;   // DocBranch, else null
    size_t type;            // UpdateType index, else SIZE_MAX
    std::string_view root;  // NewRoot name, else empty
    std::string_view key;
    auto tie() const { return std::tie(branch, type, root, key); }
    bool same_parent(const NewKey& o) const { return branch == o.branch && type == o.type && root == o.root; }
  };
  std::vector<NewKey> new_keys;
  for (size_t i = 0; i < all.size(); ++i) {
    const DecodedStruct& s = *all[i];
    if (s.kind != StructKind::Item || s.end() <= store.state(s.id.client)) continue;  // already had
    if (s.content.kind == ContentKind::Type && type_depth(i) > limits.max_type_depth) {
      return Error{kErrLimit, "shared types nested deeper than " + std::to_string(limits.max_type_depth)};
    }
    if (s.parent_kind == ParentKind::None || !s.has_parent_sub) continue;
    Ref r = resolve(i);
    if (r.kind == Ref::DocBranch) {
      if (!r.branch->map.count(s.parent_sub)) new_keys.push_back({r.branch, SIZE_MAX, {}, s.parent_sub});
    } else if (r.kind == Ref::UpdateType) {
      new_keys.push_back({nullptr, r.type, {}, s.parent_sub});
    } else if (r.kind == Ref::NewRoot) {
      new_keys.push_back({nullptr, SIZE_MAX, *r.root, s.parent_sub});
    }
  }
  std::sort(new_keys.begin(), new_keys.end(), [](const NewKey& x, const NewKey& y) { return x.tie() < y.tie(); });
  new_keys.erase(std::unique(new_keys.begin(), new_keys.end(),
                             [](const NewKey& x, const NewKey& y) { return x.tie() == y.tie(); }),
                 new_keys.end());
  for (size_t a = 0; a < new_keys.size();) {
    size_t b = a;
    while (b < new_keys.size() && new_keys[b].same_parent(new_keys[a])) ++b;
    size_t total = (b - a) + (new_keys[a].branch ? new_keys[a].branch->map.size() : 0);
    if (total > limits.max_map_keys) {
      return Error{kErrLimit, "a map with more than " + std::to_string(limits.max_map_keys) + " keys"};
    }
    a = b;
  }
  return {};
}

}  // namespace mockloop::crdt
