// DocImpl: transactions and their cleanup (GC, merging, the update event), remote update
// integration with pending structs/deletes (Yjs integrateStructs / readAndApplyDeleteSet),
// and state encoding (writeClientsStructs / writeDeleteSet).
#include "crdt/doc_impl.hpp"

#include <algorithm>
#include <random>

namespace mockloop::crdt {

DocImpl::DocImpl(uint64_t id, bool gc_enabled, Limits lim) : client_id(id), gc(gc_enabled), limits(lim) {}
DocImpl::~DocImpl() = default;

StateMap DocImpl::state_map() const {
  StateMap sm;
  for (const auto& [client, s] : store.clients()) {
    if (!s.empty()) sm[client] = s.back()->id.clock + s.back()->len;
  }
  return sm;
}

void DocImpl::begin(uint64_t origin, bool local) {
  if (txn_depth_++ > 0) return;
  // The transaction object is reused so that its containers keep their capacity.
  if (!spare_txn_) spare_txn_ = std::make_unique<Transaction>();
  txn_ = std::move(spare_txn_);
  Transaction& t = *txn_;
  t.origin = origin;
  t.local = local;
  t.before_state.clear();
  for (const auto& [client, s] : store.clients()) {
    if (!s.empty()) t.before_state.append_unsorted(client, s.back()->id.clock + s.back()->len);
  }
  t.before_state.sort_keys();
  t.ds.clients.clear();
  t.merge_structs.clear();
  t.changed.clear();
}

void DocImpl::end() {
  if (--txn_depth_ > 0) return;
  // Detach first: an observer that edits the document starts a fresh transaction.
  std::unique_ptr<Transaction> t = std::move(txn_);
  cleanup(*t);
  if (!spare_txn_) spare_txn_ = std::move(t);
}

// cleanupTransactions (single transaction)
void DocImpl::cleanup(Transaction& t) {
  t.ds.sort_and_merge();
  after_.clear();
  for (const auto& [client, s] : store.clients()) {
    if (s.empty()) continue;
    uint64_t clock = s.back()->id.clock + s.back()->len;
    if (clock != t.before(client)) after_.emplace_back(client, clock);
  }
  if (!t.local) {
    // AbstractType._callObserver: remote changes invalidate search markers.
    for (Branch* b : t.changed) {
      for (auto& m : b->markers) m.p->set_marker(false);
      b->markers.clear();
      b->markers_dirty = false;
    }
  }
  if (gc) {
    // tryGcDeleteSet
    for (auto& [client, ranges] : t.ds.clients) {
      auto* s = store.structs(client);
      if (!s) continue;
      for (size_t di = ranges.size(); di-- > 0;) {
        const DeleteRange& r = ranges[di];
        uint64_t end_clock = r.clock + r.len;
        for (size_t si = StructStore::find_index(*s, r.clock); si < s->size(); ++si) {
          Item* it = (*s)[si];
          if (it->id.clock >= end_clock) break;
          if (!it->is_gc() && it->deleted() && !it->keep()) gc_item(it, false);
        }
      }
    }
  }
  // tryMergeDeleteSet
  for (auto& [client, ranges] : t.ds.clients) {
    auto* s = store.structs(client);
    if (!s) continue;
    for (size_t di = ranges.size(); di-- > 0;) {
      const DeleteRange& r = ranges[di];
      size_t last = StructStore::find_index(*s, r.clock + r.len - 1);
      size_t si = std::min(s->size() - 1, 1 + last);
      while (si > 0 && (*s)[si]->id.clock >= r.clock) {
        si -= 1 + try_merge_with_lefts(*s, si);
        if (si >= s->size()) break;
      }
    }
  }
  for (const auto& [client, clock] : after_) {
    uint64_t before = t.before(client);
    auto& s = *store.structs(client);
    size_t first = StructStore::find_index(s, before);
    if (first == SIZE_MAX) first = 0;
    first = std::max<size_t>(first, 1);
    for (size_t i = s.size() - 1; i >= first && i < s.size();) {
      size_t m = try_merge_with_lefts(s, i);
      if (i < 1 + m) break;
      i -= 1 + m;
    }
  }
  for (size_t k = t.merge_structs.size(); k-- > 0;) {
    ID id = t.merge_structs[k];
    auto& s = *store.structs(id.client);
    size_t pos = StructStore::find_index(s, id.clock);
    if (pos + 1 < s.size()) {
      if (try_merge_with_lefts(s, pos + 1) > 1) continue;
    }
    if (pos > 0) try_merge_with_lefts(s, pos);
  }
  if (!t.local && store.state(client_id) != t.before(client_id)) {
    // Another peer wrote with our client id: pick a new one, as Yjs does.
    std::random_device rd;
    client_id = ((uint64_t{rd()} << 32) | rd()) & 0x1fffffffffffffull;
  }
  if (!observers_.empty()) {
    if (!t.ds.empty() || !after_.empty()) {
      Encoder enc = std::move(update_enc_);  // reused buffer; callbacks may re-enter
      enc.clear();
      write_update_from_txn(enc, t);
      if (observers_.size() == 1) {
        auto cb = observers_[0].second;  // the callback may unobserve itself
        cb(enc.bytes(), t.origin);
      } else {
        auto obs = observers_;
        for (auto& [id, cb] : obs) cb(enc.bytes(), t.origin);
      }
      update_enc_ = std::move(enc);
    }
  }
}

uint64_t DocImpl::observe(UpdateCallback cb) {
  uint64_t id = next_observer_id_++;
  observers_.emplace_back(id, std::move(cb));
  return id;
}

void DocImpl::unobserve(uint64_t id) {
  observers_.erase(std::remove_if(observers_.begin(), observers_.end(),
                                  [&](const auto& p) { return p.first == id; }),
                   observers_.end());
}

// ---- remote integration

// Item.getMissing: returns false with *missing_client set when a dependency is absent.
bool DocImpl::get_missing(DecodedStruct& s, uint64_t* missing_client, Item** left, Item** right,
                          Branch** parent, bool* parent_null) {
  *left = *right = nullptr;
  *parent = nullptr;
  *parent_null = false;
  if (s.kind != StructKind::Item) return true;
  if (s.has_origin && s.origin.client != s.id.client &&
      s.origin.clock >= store.state(s.origin.client)) {
    *missing_client = s.origin.client;
    return false;
  }
  if (s.has_right_origin && s.right_origin.client != s.id.client &&
      s.right_origin.clock >= store.state(s.right_origin.client)) {
    *missing_client = s.right_origin.client;
    return false;
  }
  if (s.parent_kind == ParentKind::Id && s.parent_id.client != s.id.client &&
      s.parent_id.clock >= store.state(s.parent_id.client)) {
    *missing_client = s.parent_id.client;
    return false;
  }
  if (s.has_origin) {
    *left = get_item_clean_end(s.origin);
    s.origin = (*left)->last_id();
  }
  if (s.has_right_origin) {
    *right = get_item_clean_start(s.right_origin);
    s.right_origin = (*right)->id;
  }
  if ((*left && (*left)->is_gc()) || (*right && (*right)->is_gc())) {
    *parent_null = true;
  } else if (s.parent_kind == ParentKind::None) {
    Item* src = *left ? *left : *right;
    if (src && !src->is_gc()) {
      *parent = src->parent;
      if (src->parent_sub) {
        s.has_parent_sub = true;
        s.parent_sub = *src->parent_sub;
      } else {
        s.has_parent_sub = false;
      }
    }
    if (!*parent) *parent_null = true;
  } else if (s.parent_kind == ParentKind::Root) {
    *parent = get_root(s.parent_name);
  } else {
    Item* p = store.find(s.parent_id);
    if (!p || p->is_gc() || p->content.kind != ContentKind::Type) {
      *parent_null = true;
    } else {
      *parent = p->content.x->branch;
    }
  }
  return true;
}


DocImpl::Missing DocImpl::integrate_structs(std::vector<DecodedClient>& clients) {
  Missing out;
  FlatMap<PendingRefs> refs;
  for (auto& c : clients) {
    auto& r = refs[c.client].refs;
    if (r.empty()) {
      r = std::move(c.structs);
    } else {
      for (auto& s : c.structs) r.push_back(std::move(s));
    }
  }
  std::vector<uint64_t> ids;
  for (auto& [client, r] : refs) ids.push_back(client);  // ascending; take from the back
  FlatMap<std::vector<DecodedStruct>> rest;
  auto update_missing = [&](uint64_t client, uint64_t clock) {
    auto it = out.missing.find(client);
    if (it == out.missing.end() || it->second > clock) out.missing[client] = clock;
  };
  auto next_target = [&]() -> PendingRefs* {
    while (!ids.empty()) {
      auto it = refs.find(ids.back());
      if (it != refs.end() && it->second.i < it->second.refs.size()) return &it->second;
      ids.pop_back();
    }
    return nullptr;
  };
  PendingRefs* cur = next_target();
  if (!cur) return out;
  std::vector<DecodedStruct*> stack;
  DecodedStruct* head = &cur->refs[cur->i++];
  FlatMap<uint64_t> state;
  auto add_stack_to_rest = [&]() {
    for (DecodedStruct* item : stack) {
      uint64_t client = item->id.client;
      auto it = refs.find(client);
      if (it != refs.end() && !it->second.dead) {
        // The item was the last one taken from its client's refs: it and the rest wait.
        PendingRefs& pr = it->second;
        pr.i--;
        auto& dst = rest[client];
        for (size_t k = pr.i; k < pr.refs.size(); ++k) dst.push_back(std::move(pr.refs[k]));
        pr.refs.clear();
        pr.i = 0;
        pr.dead = true;
      }  // else: already moved to rest together with its client's refs
      ids.erase(std::remove(ids.begin(), ids.end(), client), ids.end());
    }
    stack.clear();
  };
  for (;;) {
    if (head->kind != StructKind::Skip) {
      uint64_t client = head->id.client;
      auto st = state.find(client);
      uint64_t local_clock =
          st != state.end() ? st->second : (state[client] = store.state(client));
      if (local_clock < head->id.clock) {
        stack.push_back(head);
        update_missing(client, head->id.clock - 1);
        add_stack_to_rest();
      } else {
        uint64_t offset = local_clock - head->id.clock;
        uint64_t missing = 0;
        Item *left, *right;
        Branch* parent;
        bool parent_null;
        if (!get_missing(*head, &missing, &left, &right, &parent, &parent_null)) {
          stack.push_back(head);
          auto rit = refs.find(missing);
          if (rit == refs.end() || rit->second.i == rit->second.refs.size()) {
            update_missing(missing, store.state(missing));
            add_stack_to_rest();
          } else {
            head = &rit->second.refs[rit->second.i++];
            continue;
          }
        } else if (offset == 0 || offset < head->len) {
          DecodedStruct& s = *head;
          if (s.kind == StructKind::GC || parent_null) {
            Item* it = alloc_item();
            it->id = {s.id.client, s.id.clock + offset};
            it->len = s.len - offset;
            it->flags = Item::kGc | Item::kDeleted;
            it->content.deleted_len = it->len;
            store.add(it);
          } else {
            Item* it = alloc_item();
            it->id = s.id;
            it->len = s.len;
            it->left = left;
            it->right = right;
            it->origin = s.origin;
            it->right_origin = s.right_origin;
            it->parent = parent;
            if (s.has_origin) it->flags |= Item::kHasOrigin;
            if (s.has_right_origin) it->flags |= Item::kHasRightOrigin;
            if (s.has_parent_sub) it->parent_sub = intern_key(parent, s.parent_sub);
            it->content = std::move(s.content);
            if (offset > 0) {
              it->id.clock += offset;
              it->left = get_item_clean_end({it->id.client, it->id.clock - 1});
              it->origin = it->left->last_id();
              it->flags |= Item::kHasOrigin;
              it->content = it->content.splice(offset);
              it->len -= offset;
            }
            integrate(it);
          }
          state[client] = s.id.clock + s.len;
        }
      }
    }
    if (!stack.empty()) {
      head = stack.back();
      stack.pop_back();
    } else if (cur && cur->i < cur->refs.size()) {
      head = &cur->refs[cur->i++];
    } else {
      cur = next_target();
      if (!cur) break;
      head = &cur->refs[cur->i++];
    }
  }
  for (auto& [client, v] : rest) {
    DecodedClient dc;
    dc.client = client;
    dc.structs = std::move(v);
    out.rest.push_back(std::move(dc));
  }
  return out;
}

// readAndApplyDeleteSet: returns the part that refers to structs we do not have yet.
DeleteSet DocImpl::apply_delete_set(const DeleteSet& ds) {
  DeleteSet unapplied;
  for (auto cit = ds.clients.rbegin(); cit != ds.clients.rend(); ++cit) {
    uint64_t client = cit->first;
    uint64_t state = store.state(client);
    size_t hint = 0;  // ranges come in clock order: search on from the last one
    for (const DeleteRange& r : cit->second) {
      uint64_t clock = r.clock, clock_end = r.clock + r.len;
      if (clock < state) {
        if (state < clock_end) unapplied.add(client, state, clock_end - state);
        auto& s = *store.structs(client);
        size_t index = StructStore::find_index_from(s, clock, hint);
        Item* it = s[index];
        if (!it->deleted() && it->id.clock < clock) {
          split_item(it, clock - it->id.clock);
          index++;
        }
        while (index < s.size()) {
          it = s[index++];
          if (it->id.clock < clock_end) {
            if (!it->deleted()) {
              if (clock_end < it->id.clock + it->len) split_item(it, clock_end - it->id.clock);
              delete_item(it);
            }
          } else {
            break;
          }
        }
        hint = index > 0 ? index - 1 : 0;
      } else {
        unapplied.add(client, clock, clock_end - clock);
      }
    }
  }
  return unapplied;
}

// A loop where Yjs recurses (integrateStructs retrying the pending structs): each round
// takes everything pending again, with no delete set.
void DocImpl::apply_decoded(std::vector<DecodedClient> clients, const DeleteSet& first_ds) {
  const DeleteSet no_ds;
  for (const DeleteSet* ds_in = &first_ds;; ds_in = &no_ds) {
    const DeleteSet& ds = *ds_in;
    Missing rest = integrate_structs(clients);
    bool retry = false;
    if (!pending_structs_.empty()) {
      for (const auto& [client, clock] : pending_missing_) {
        if (clock < store.state(client)) {
          retry = true;
          break;
        }
      }
      for (const auto& [client, clock] : rest.missing) {
        auto it = pending_missing_.find(client);
        if (it == pending_missing_.end() || it->second > clock) pending_missing_[client] = clock;
      }
    } else {
      pending_missing_ = rest.missing;
    }
    for (auto& dc : rest.rest) {
      auto& dst = pending_structs_[dc.client];
      for (auto& s : dc.structs) dst.push_back(std::move(s));
      std::stable_sort(dst.begin(), dst.end(), [](const DecodedStruct& a, const DecodedStruct& b) {
        return a.id.clock < b.id.clock;
      });
    }
    DeleteSet ds_rest = apply_delete_set(ds);
    if (!pending_ds_.empty()) {
      DeleteSet old = std::move(pending_ds_);
      pending_ds_ = DeleteSet{};
      DeleteSet ds_rest2 = apply_delete_set(old);
      for (auto& [client, ranges] : ds_rest2.clients) {
        for (auto& r : ranges) ds_rest.add(client, r.clock, r.len);
      }
      ds_rest.sort_and_merge();
    }
    pending_ds_ = std::move(ds_rest);
    if (retry) {
      std::vector<DecodedClient> again;
      for (auto& [client, v] : pending_structs_) {
        DecodedClient dc;
        dc.client = client;
        dc.structs = std::move(v);
        again.push_back(std::move(dc));
      }
      pending_structs_.clear();
      pending_missing_.clear();
      clients = std::move(again);
    }
    if (!retry) return;
  }
}

Result<void> DocImpl::apply_update(DecodedUpdate update, uint64_t origin) {
  // Validate references that Yjs would only discover mid-integration (and then throw).
  for (const auto& c : update.clients) {
    for (const auto& s : c.structs) {
      if (s.kind != StructKind::Item) continue;
      auto self_ref_bad = [&](const ID& ref) {
        return ref.client == s.id.client && ref.clock >= s.id.clock;
      };
      if ((s.has_origin && self_ref_bad(s.origin)) ||
          (s.has_right_origin && self_ref_bad(s.right_origin)) ||
          (s.parent_kind == ParentKind::Id && self_ref_bad(s.parent_id))) {
        return Error{kErrInvalid, "struct references its own future"};
      }
    }
  }
  if (auto r = check_limits(update, true); !r) {
    // Over the limits only together with the pending structs it would unblock: those came
    // from someone else, who may have hung them on clocks this client was yet to reach.
    // Drop them (they can never be integrated within the limits) rather than refuse it.
    if (pending_structs_.empty() || !check_limits(update, false)) return r;
    pending_structs_.clear();
    pending_missing_.clear();
  }
  begin(origin, false);
  txn_->local = false;  // as Yjs's readUpdate, even inside an outer local transaction
  apply_decoded(std::move(update.clients), update.ds);
  end();
  return {};
}

// ---- encoding

void DocImpl::write_item(Encoder& enc, const Item* it, uint64_t offset) const {
  if (it->is_gc()) {
    enc.write_u8(0);
    enc.write_var_uint(it->len - offset);
    return;
  }
  ParentInfo p;
  if (it->parent) {
    if (it->parent->item) {
      p.kind = ParentKind::Id;
      p.id = it->parent->item->id;
    } else {
      p.kind = ParentKind::Root;
      p.name = it->parent->root_name;
    }
  }
  write_item_v1(enc, it->id, offset, it->has_origin(), it->origin, it->has_right_origin(),
                it->right_origin, p, it->parent_sub, it->content);
}

// writeClientsStructs
template <class SV>
void DocImpl::write_structs(Encoder& enc, const SV& sv) const {
  std::vector<std::pair<uint64_t, uint64_t>> sm;
  for (const auto& [client, s] : store.clients()) {
    if (s.empty()) continue;
    auto it = sv.find(client);
    uint64_t clock = it == sv.end() ? 0 : it->second;
    uint64_t state = s.back()->id.clock + s.back()->len;
    if (state > clock) sm.emplace_back(client, clock);
  }
  std::sort(sm.begin(), sm.end(), [](auto& a, auto& b) { return a.first > b.first; });
  enc.write_var_uint(sm.size());
  for (auto [client, clock] : sm) {
    const auto& s = store.clients().at(client);
    clock = std::max(clock, s[0]->id.clock);
    size_t start = StructStore::find_index(s, clock);
    enc.write_var_uint(s.size() - start);
    enc.write_var_uint(client);
    enc.write_var_uint(clock);
    write_item(enc, s[start], clock - s[start]->id.clock);
    // Items live wherever they were allocated (a doc built edit by edit scatters them):
    // fetch the cache lines of an item (152 bytes) some way ahead of the one being written.
    constexpr size_t kAhead = 16;
    for (size_t i = start + 1; i < s.size(); ++i) {
      if (i + kAhead < s.size()) {
        const char* next = reinterpret_cast<const char*>(s[i + kAhead]);
        __builtin_prefetch(next);
        __builtin_prefetch(next + 64);
        __builtin_prefetch(next + 128);
      }
      write_item(enc, s[i], 0);
    }
  }
}

void DocImpl::write_update_from_txn(Encoder& enc, const Transaction& t) const {
  write_structs(enc, t.before_state);
  write_delete_set_v1(enc, t.ds);
}

Bytes DocImpl::encode_state_as_update(const StateMap& sv) const {
  Encoder enc;
  write_structs(enc, sv);
  // createDeleteSetFromStructStore
  DeleteSet ds;
  for (const auto& [client, s] : store.clients()) {
    std::vector<DeleteRange> ranges;
    for (size_t i = 0; i < s.size(); ++i) {
      if (i + 16 < s.size()) __builtin_prefetch(reinterpret_cast<const char*>(s[i + 16]) + 64);
      const Item* it = s[i];
      if (!it->deleted()) continue;
      if (!ranges.empty() && ranges.back().clock + ranges.back().len == it->id.clock) {
        ranges.back().len += it->len;
      } else {
        ranges.push_back({it->id.clock, it->len});
      }
    }
    if (!ranges.empty()) ds.clients[client] = std::move(ranges);
  }
  write_delete_set_v1(enc, ds);
  return enc.take();
}

Bytes DocImpl::encode_pending_structs_v1() const {
  if (pending_structs_.empty()) return {};
  Encoder enc;
  enc.write_var_uint(pending_structs_.size());
  for (auto it = pending_structs_.rbegin(); it != pending_structs_.rend(); ++it) {
    Encoder body;
    uint64_t n = 0;
    uint64_t cur_end = 0;
    uint64_t first_clock = 0;
    for (const DecodedStruct& s : it->second) {
      if (s.kind == StructKind::Skip) continue;
      if (n > 0 && s.end() <= cur_end) continue;
      uint64_t offset = 0;
      if (n == 0) {
        first_clock = s.id.clock;
      } else if (s.id.clock > cur_end) {
        body.write_u8(10);
        body.write_var_uint(s.id.clock - cur_end);
        ++n;
      } else {
        offset = cur_end - s.id.clock;
      }
      write_struct_v1(body, s, offset);
      ++n;
      cur_end = s.end();
    }
    enc.write_var_uint(n);
    enc.write_var_uint(it->first);
    enc.write_var_uint(first_clock);
    enc.write_raw(body.bytes());
  }
  enc.write_var_uint(0);
  return enc.take();
}

Bytes DocImpl::encode_pending_ds_v1() const {
  if (pending_ds_.empty()) return {};
  Encoder enc;
  enc.write_var_uint(0);
  write_delete_set_v1(enc, pending_ds_);
  return enc.take();
}

}  // namespace mockloop::crdt
