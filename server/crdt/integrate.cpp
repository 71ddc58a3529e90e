// Struct-level operations of DocImpl: splitting, YATA integration, deletion, GC, merging and
// search markers. Each function mirrors the Yjs 13.6 function named in its comment.
#include <algorithm>
#include <cstdlib>
#include <unordered_set>

#include "crdt/doc_impl.hpp"

namespace mockloop::crdt {

Item* DocImpl::alloc_item() {
  if (!free_items_.empty()) {
    Item* it = free_items_.back();
    free_items_.pop_back();
    *it = Item{};
    return it;
  }
  if (chunk_used_ == chunk_size_) {
    chunk_size_ = chunk_size_ == 0 ? 8 : std::min<size_t>(chunk_size_ * 2, 256);
    item_chunks_.push_back(std::make_unique<Item[]>(chunk_size_));
    chunk_used_ = 0;
  }
  return &item_chunks_.back()[chunk_used_++];
}

Branch* DocImpl::alloc_branch() {
  Branch* b = &branches_.emplace_back();
  b->doc = this;
  return b;
}

Branch* DocImpl::get_root(std::string_view name) {
  auto it = roots_.find(std::string(name));
  if (it != roots_.end()) return it->second;
  Branch* b = alloc_branch();
  b->root_name = std::string(name);
  roots_.emplace(b->root_name, b);
  root_order_.push_back(b);
  return b;
}

const std::string* DocImpl::intern_key(Branch* parent, std::string_view key) {
  auto [it, inserted] = parent->map.try_emplace(std::string(key), nullptr);
  return &it->first;
}

// splitItem
Item* DocImpl::split_item(Item* left, uint64_t diff) {
  Item* right = alloc_item();
  right->id = {left->id.client, left->id.clock + diff};
  right->len = left->len - diff;
  right->left = left;
  right->origin = {left->id.client, left->id.clock + diff - 1};
  right->right = left->right;
  right->right_origin = left->right_origin;
  right->parent = left->parent;
  right->parent_sub = left->parent_sub;
  right->flags = static_cast<uint8_t>(Item::kHasOrigin | (left->flags & (Item::kHasRightOrigin | Item::kDeleted | Item::kKeep)));
  right->content = left->content.splice(diff);
  left->right = right;
  if (right->right) right->right->left = right;
  txn_->merge_structs.push_back(right->id);
  if (right->parent_sub && !right->right) right->parent->map[*right->parent_sub] = right;
  left->len = diff;
  auto& s = *store.structs(left->id.client);
  size_t idx = StructStore::find_index(s, left->id.clock);
  s.insert(s.begin() + static_cast<ptrdiff_t>(idx) + 1, right);
  return right;
}

// getItemCleanStart
Item* DocImpl::get_item_clean_start(ID id) {
  auto& s = *store.structs(id.client);
  size_t idx = StructStore::find_index(s, id.clock);
  Item* it = s[idx];
  if (it->id.clock < id.clock && !it->is_gc()) return split_item(it, id.clock - it->id.clock);
  return it;
}

// getItemCleanEnd
Item* DocImpl::get_item_clean_end(ID id) {
  auto& s = *store.structs(id.client);
  size_t idx = StructStore::find_index(s, id.clock);
  Item* it = s[idx];
  if (id.clock != it->id.clock + it->len - 1 && !it->is_gc()) {
    split_item(it, id.clock - it->id.clock + 1);
  }
  return it;
}

// addChangedTypeToTransaction
void DocImpl::add_changed(Branch* type) {
  if (type->item == nullptr ||
      (!type->item->deleted() && type->item->id.clock < txn_->before(type->item->id.client))) {
    if (std::find(txn_->changed.begin(), txn_->changed.end(), type) == txn_->changed.end()) {
      txn_->changed.push_back(type);
    }
  }
}

namespace {
Item* map_first(Branch* parent, const std::string* key) {
  auto it = parent->map.find(*key);
  Item* o = it == parent->map.end() ? nullptr : it->second;
  while (o && o->left) o = o->left;
  return o;
}
}  // namespace

// Item.integrate(transaction, 0)
void DocImpl::integrate(Item* self) {
  Branch* parent = self->parent;
  if ((!self->left && (!self->right || self->right->left != nullptr)) ||
      (self->left && self->left->right != self->right)) {
    Item* left = self->left;
    Item* o;
    if (left) {
      o = left->right;
    } else if (self->parent_sub) {
      o = map_first(parent, self->parent_sub);
    } else {
      o = parent->start;
    }
    std::unordered_set<Item*> conflicting;
    std::unordered_set<Item*> before_origin;
    while (o && o != self->right) {
      before_origin.insert(o);
      conflicting.insert(o);
      bool same_origin = self->has_origin() == o->has_origin() &&
                         (!self->has_origin() || self->origin == o->origin);
      if (same_origin) {
        if (o->id.client < self->id.client) {
          left = o;
          conflicting.clear();
        } else if (self->has_right_origin() == o->has_right_origin() &&
                   (!self->has_right_origin() || self->right_origin == o->right_origin)) {
          break;
        }
      } else if (o->has_origin()) {
        Item* oo = store.find(o->origin);
        if (oo && before_origin.count(oo)) {
          if (!conflicting.count(oo)) {
            left = o;
            conflicting.clear();
          }
        } else {
          break;
        }
      } else {
        break;
      }
      o = o->right;
    }
    self->left = left;
  }
  if (self->left) {
    self->right = self->left->right;
    self->left->right = self;
  } else {
    Item* r;
    if (self->parent_sub) {
      r = map_first(parent, self->parent_sub);
    } else {
      r = parent->start;
      parent->start = self;
    }
    self->right = r;
  }
  if (self->right) {
    self->right->left = self;
  } else if (self->parent_sub) {
    parent->map[*self->parent_sub] = self;
    if (self->left) delete_item(self->left);
  }
  if (!self->parent_sub && self->countable() && !self->deleted()) parent->length += self->len;
  store.add(self);
  // content.integrate
  switch (self->content.kind) {
    case ContentKind::Deleted:
      txn_->ds.add(self->id.client, self->id.clock, self->len);
      self->flags |= Item::kDeleted;
      break;
    case ContentKind::Type: {
      Branch* b = alloc_branch();
      b->item = self;
      b->type_ref = self->content.x->type_ref;
      b->depth = parent->depth + 1;
      b->node_name = self->content.x->key;
      b->markers_enabled = b->type_ref == kRefArray || b->type_ref == kRefText ||
                           b->type_ref == kRefXmlText;
      self->content.x->branch = b;
      break;
    }
    case ContentKind::Format:
      parent->markers_enabled = false;
      parent->markers.clear();
      parent->has_formatting = true;
      break;
    default:
      break;
  }
  add_changed(parent);
  if ((parent->item && parent->item->deleted()) || (self->parent_sub && self->right)) {
    delete_item(self);
  }
}

Item* DocImpl::insert_local(Branch* parent, Item* left, Item* right,
                            const std::string* parent_sub, Content content) {
  Item* it = alloc_item();
  it->id = {client_id, store.state(client_id)};
  it->left = left;
  it->right = right;
  it->parent = parent;
  it->parent_sub = parent_sub;
  if (left) {
    it->origin = left->last_id();
    it->flags |= Item::kHasOrigin;
  }
  if (right) {
    it->right_origin = right->id;
    it->flags |= Item::kHasRightOrigin;
  }
  it->content = std::move(content);
  it->len = it->content.length();
  integrate(it);
  return it;
}

// Item.delete. Yjs recurses into a deleted type's children; the nesting depth is the
// client's to choose, so this walks the same pre-order with an explicit stack (del_stack_,
// reused: deleting a non-type item allocates nothing).
bool DocImpl::delete_one(Item* it) {
  if (it->deleted()) return false;
  Branch* parent = it->parent;
  if (it->countable() && !it->parent_sub) parent->length -= it->len;
  if (it->marker()) parent->markers_dirty = true;
  it->flags |= Item::kDeleted;
  txn_->ds.add(it->id.client, it->id.clock, it->len);
  add_changed(parent);
  return it->content.kind == ContentKind::Type;
}

void DocImpl::delete_item(Item* it) {
  if (!delete_one(it)) return;
  auto& st = del_stack_;
  const size_t base = st.size();
  auto push = [&](Item* type_item) {
    Branch* b = type_item->content.x->branch;
    st.push_back({b, b->start, b->map.begin()});
  };
  auto visit = [&](Item* c) {
    if (!c->deleted()) {
      if (delete_one(c)) push(c);
    } else if (c->id.clock < txn_->before(c->id.client)) {
      txn_->merge_structs.push_back(c->id);
    }
  };
  push(it);
  while (st.size() > base) {
    DeleteFrame& f = st.back();
    if (f.list) {
      Item* c = f.list;
      f.list = c->right;
      visit(c);  // may push: f is not used after this
      continue;
    }
    if (f.map_it != f.branch->map.end()) {
      Item* c = f.map_it->second;
      ++f.map_it;
      if (c) visit(c);
      continue;
    }
    Branch* b = f.branch;
    st.pop_back();
    auto& ch = txn_->changed;
    ch.erase(std::remove(ch.begin(), ch.end(), b), ch.end());
  }
}

// Item.gc. Yjs recurses through a collected type's children (parentGCd = true); this
// collects the same set first with an explicit stack (the depth is the client's), then
// rewrites it. Only the structure read in the first pass is what the second pass changes.
void DocImpl::gc_item(Item* it, bool parent_gcd) {
  if (!it->deleted() || it->is_gc()) return;
  if (it->content.kind != ContentKind::Type) {
    gc_rewrite(it, parent_gcd);
    return;
  }
  auto& items = gc_items_;
  auto& types = gc_types_;
  items.clear();
  types.clear();
  items.push_back(it);
  // items[k] (k >= 1) are collected with parent_gcd = true; walk them breadth-first.
  for (size_t k = 0; k < items.size(); ++k) {
    Item* x = items[k];
    if (x->content.kind != ContentKind::Type) continue;
    Branch* b = x->content.x->branch;
    types.push_back(b);
    for (Item* c = b->start; c; c = c->right) {
      if (c->deleted() && !c->is_gc()) items.push_back(c);
    }
    for (auto& [key, c] : b->map) {
      for (Item* i = c; i; i = i->left) {
        if (i->deleted() && !i->is_gc()) items.push_back(i);
      }
    }
  }
  for (Branch* b : types) {
    b->start = nullptr;
    b->map.clear();
    b->collected = true;
    for (auto& m : b->markers) m.p = nullptr;
    b->markers.clear();
  }
  gc_rewrite(items[0], parent_gcd);
  for (size_t k = 1; k < items.size(); ++k) gc_rewrite(items[k], true);
  items.clear();
  types.clear();
}

void DocImpl::gc_rewrite(Item* it, bool parent_gcd) {
  if (parent_gcd) {
    it->flags = Item::kGc | Item::kDeleted;
    it->content = Content{};
    it->content.deleted_len = it->len;
    it->parent = nullptr;
    it->parent_sub = nullptr;
  } else {
    Content c;
    c.kind = ContentKind::Deleted;
    c.deleted_len = it->len;
    it->content = std::move(c);
  }
}

// Item.mergeWith (and GC.mergeWith)
bool DocImpl::merge_items(Item* l, Item* r) {
  if (l->is_gc() != r->is_gc()) return false;
  if (l->is_gc()) {
    l->len += r->len;
    return true;
  }
  if (!(r->has_origin() && r->origin == l->last_id() && l->right == r &&
        l->has_right_origin() == r->has_right_origin() &&
        (!l->has_right_origin() || l->right_origin == r->right_origin) &&
        l->id.client == r->id.client && l->id.clock + l->len == r->id.clock &&
        l->deleted() == r->deleted() && l->content.kind == r->content.kind &&
        l->content.mergeable())) {
    return false;
  }
  Branch* parent = l->parent;
  if (parent) {
    for (auto& m : parent->markers) {
      if (m.p == r) {
        m.p = l;
        if (!l->deleted() && l->countable()) {
          m.index -= l->len;
        } else {
          parent->markers_dirty = true;
        }
      }
    }
  }
  if (r->keep()) l->flags |= Item::kKeep;
  l->right = r->right;
  if (l->right) l->right->left = l;
  l->len += r->len;
  l->content.merge_with(r->content);
  return true;
}

// tryToMergeWithLefts
size_t DocImpl::try_merge_with_lefts(StructStore::Structs& s, size_t pos) {
  size_t i = pos;
  Item* right = s[pos];
  for (; i > 0; --i) {
    Item* left = s[i - 1];
    if (left->deleted() == right->deleted() && left->is_gc() == right->is_gc() &&
        merge_items(left, right)) {
      if (!right->is_gc() && right->parent_sub && right->parent) {
        auto mit = right->parent->map.find(*right->parent_sub);
        if (mit != right->parent->map.end() && mit->second == right) mit->second = left;
      }
      // right is now unreachable (unlinked, removed from the store below): recycle it.
      right->content = Content{};
      free_items_.push_back(right);
      right = left;
      continue;
    }
    break;
  }
  size_t merged = pos - i;
  if (merged) {
    s.erase(s.begin() + static_cast<ptrdiff_t>(pos + 1 - merged),
            s.begin() + static_cast<ptrdiff_t>(pos + 1));
  }
  return merged;
}

// ---- search markers (AbstractType.js)

SearchMarker* DocImpl::find_marker(Branch* b, uint64_t index) {
  if (!b->start || index == 0 || !b->markers_enabled) return nullptr;
  // Yjs reduce((a, b) => |index - a.index| < |index - b.index| ? a : b): ties go to the later.
  SearchMarker* marker = nullptr;
  uint64_t best = UINT64_MAX;
  for (auto& m : b->markers) {
    uint64_t d = index > m.index ? index - m.index : m.index - index;
    if (d <= best) {
      best = d;
      marker = &m;
    }
  }
  Item* p = b->start;
  uint64_t pindex = 0;
  if (marker) {
    p = marker->p;
    pindex = marker->index;
    marker->timestamp = marker_clock_++;
  }
  while (p->right && pindex < index) {
    if (!p->deleted() && p->countable()) {
      if (index < pindex + p->len) break;
      pindex += p->len;
    }
    p = p->right;
  }
  while (p->left && pindex > index) {
    p = p->left;
    if (!p->deleted() && p->countable()) pindex -= p->len;
  }
  while (p->left && p->left->id.client == p->id.client &&
         p->left->id.clock + p->left->len == p->id.clock) {
    p = p->left;
    if (!p->deleted() && p->countable()) pindex -= p->len;
  }
  if (marker) {
    uint64_t d = marker->index > pindex ? marker->index - pindex : pindex - marker->index;
    if (static_cast<double>(d) < static_cast<double>(p->parent->length) / 80.0) {
      marker->p->set_marker(false);
      marker->p = p;
      p->set_marker(true);
      marker->index = pindex;
      marker->timestamp = marker_clock_++;
      if (p->deleted() || !p->countable()) b->markers_dirty = true;
      return marker;
    }
  }
  // markPosition
  if (p->deleted() || !p->countable()) b->markers_dirty = true;
  if (b->markers.size() >= 80) {
    SearchMarker* oldest = &b->markers[0];
    for (auto& m : b->markers) {
      if (!(oldest->timestamp < m.timestamp)) oldest = &m;
    }
    oldest->p->set_marker(false);
    oldest->p = p;
    p->set_marker(true);
    oldest->index = pindex;
    oldest->timestamp = marker_clock_++;
    return oldest;
  }
  p->set_marker(true);
  b->markers.push_back({p, pindex, marker_clock_++});
  return &b->markers.back();
}

void DocImpl::update_marker_changes(Branch* b, uint64_t index, int64_t len) {
  auto& ms = b->markers;
  // With every marker on a live countable item the relinking below changes nothing, so
  // only the index adjustment is needed (same result as Yjs, without touching the items).
  bool relink = len > 0 && b->markers_dirty;
  for (size_t k = ms.size(); k-- > 0;) {
    SearchMarker& m = ms[k];
    if (relink) {
      Item* p = m.p;
      p->set_marker(false);
      while (p && (p->deleted() || !p->countable())) {
        p = p->left;
        if (p && !p->deleted() && p->countable()) m.index -= p->len;
      }
      if (!p || p->marker()) {
        ms.erase(ms.begin() + static_cast<ptrdiff_t>(k));
        continue;
      }
      m.p = p;
      p->set_marker(true);
    }
    if (index < m.index || (len > 0 && index == m.index)) {
      int64_t moved = static_cast<int64_t>(m.index) + len;
      m.index = std::max<int64_t>(static_cast<int64_t>(index), moved);
    }
  }
  if (relink) b->markers_dirty = false;
}

}  // namespace mockloop::crdt
