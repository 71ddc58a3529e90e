// Text, Map and Array editing, ported from Yjs's YText.js (insertText, formatText,
// deleteText, findPosition), YMap (typeMapSet) and AbstractType.js (typeListInsertGenerics,
// typeListDelete), including their use of search markers, so that local edits produce the
// same structs (and bytes) as Yjs does.
#include "crdt/types.hpp"

#include <utility>

#include "crdt/doc_impl.hpp"
#include "crdt/json_render.hpp"
#include "crdt/utf.hpp"

namespace mockloop::crdt {
namespace {

// Attribute map in insertion order; values are canonical JSON text ("null" = remove).
using Attrs = std::vector<std::pair<std::string, std::string>>;

const std::string* attr_get(const Attrs& a, const std::string& k) {
  for (auto& [key, v] : a) {
    if (key == k) return &v;
  }
  return nullptr;
}
void attr_set(Attrs& a, const std::string& k, const std::string& v) {
  for (auto& [key, val] : a) {
    if (key == k) {
      val = v;
      return;
    }
  }
  a.emplace_back(k, v);
}
void attr_del(Attrs& a, const std::string& k) {
  for (auto it = a.begin(); it != a.end(); ++it) {
    if (it->first == k) {
      a.erase(it);
      return;
    }
  }
}

Attrs parse_attrs(std::string_view json) {
  Attrs out;
  if (json.empty()) return out;
  auto parsed = parse_json(json);
  if (!parsed.ok() || parsed.value().kind != Any::Kind::Object) return out;
  for (auto& [k, v] : parsed.value().object) {
    if (v.kind == Any::Kind::Undefined) continue;
    out.emplace_back(k, to_json(v));
  }
  return out;
}

struct Guard {
  DocImpl* d;
  explicit Guard(DocImpl* doc) : d(doc) { d->begin(0, true); }
  ~Guard() { d->end(); }
};

const std::string& fmt_key(const Item* it) { return it->content.x->key; }
const std::string& fmt_value(const Item* it) { return it->content.x->value; }

void update_current(Attrs& cur, const Item* fmt) {
  if (fmt_value(fmt) == "null") {
    attr_del(cur, fmt_key(fmt));
  } else {
    attr_set(cur, fmt_key(fmt), fmt_value(fmt));
  }
}

// ItemTextListPosition
struct Pos {
  Item* left = nullptr;
  Item* right = nullptr;
  uint64_t index = 0;
  Attrs current;

  void forward() {
    if (right->content.kind == ContentKind::Format) {
      if (!right->deleted()) update_current(current, right);
    } else if (!right->deleted()) {
      index += right->len;
    }
    left = right;
    right = right->right;
  }
};

void find_next_position(DocImpl* d, Pos& pos, uint64_t count) {
  while (pos.right && count > 0) {
    if (pos.right->content.kind == ContentKind::Format) {
      if (!pos.right->deleted()) update_current(pos.current, pos.right);
    } else if (!pos.right->deleted()) {
      if (count < pos.right->len) {
        d->get_item_clean_start({pos.right->id.client, pos.right->id.clock + count});
      }
      pos.index += pos.right->len;
      count -= pos.right->len;
    }
    pos.left = pos.right;
    pos.right = pos.right->right;
  }
}

Pos find_position(DocImpl* d, Branch* b, uint64_t index, bool use_marker) {
  Pos pos;
  SearchMarker* m = use_marker ? d->find_marker(b, index) : nullptr;
  if (m) {
    pos.left = m->p->left;
    pos.right = m->p;
    pos.index = m->index;
    find_next_position(d, pos, index - m->index);
  } else {
    pos.right = b->start;
    find_next_position(d, pos, index);
  }
  return pos;
}

Content format_content(const std::string& key, const std::string& value) {
  Content c;
  c.kind = ContentKind::Format;
  c.extra().key = key;
  c.extra().value = value;
  return c;
}

void minimize_attribute_changes(Pos& pos, const Attrs& attrs) {
  while (pos.right) {
    if (pos.right->deleted()) {
      // skip
    } else if (pos.right->content.kind == ContentKind::Format) {
      const std::string* a = attr_get(attrs, fmt_key(pos.right));
      if ((a ? *a : std::string("null")) != fmt_value(pos.right)) break;
    } else {
      break;
    }
    pos.forward();
  }
}

Attrs insert_attributes(DocImpl* d, Branch* b, Pos& pos, const Attrs& attrs) {
  Attrs negated;
  for (const auto& [key, val] : attrs) {
    const std::string* cur = attr_get(pos.current, key);
    std::string current_val = cur ? *cur : "null";
    if (current_val != val) {
      attr_set(negated, key, current_val);
      pos.right = d->insert_local(b, pos.left, pos.right, nullptr, format_content(key, val));
      pos.forward();
    }
  }
  return negated;
}

void insert_negated_attributes(DocImpl* d, Branch* b, Pos& pos, Attrs& negated) {
  while (pos.right) {
    if (pos.right->deleted()) {
      pos.forward();
      continue;
    }
    if (pos.right->content.kind == ContentKind::Format) {
      const std::string* n = attr_get(negated, fmt_key(pos.right));
      if (n && *n == fmt_value(pos.right)) {
        attr_del(negated, fmt_key(pos.right));
        pos.forward();
        continue;
      }
    }
    break;
  }
  for (const auto& [key, val] : negated) {
    pos.right = d->insert_local(b, pos.left, pos.right, nullptr, format_content(key, val));
    pos.forward();
  }
}

void insert_content(DocImpl* d, Branch* b, Pos& pos, Content content, Attrs attrs) {
  for (const auto& [k, v] : pos.current) {
    if (!attr_get(attrs, k)) attrs.emplace_back(k, "null");
  }
  minimize_attribute_changes(pos, attrs);
  Attrs negated = insert_attributes(d, b, pos, attrs);
  uint64_t index = pos.index;
  if (b->markers_enabled) {
    d->update_marker_changes(b, pos.index, static_cast<int64_t>(content.length()));
  }
  Item* it = d->insert_local(b, pos.left, pos.right, nullptr, std::move(content));
  pos.right = it;
  pos.index = index;
  pos.forward();
  insert_negated_attributes(d, b, pos, negated);
}

// cleanupFormattingGap
void cleanup_formatting_gap(DocImpl* d, Item* start, Item* curr, const Attrs& start_attrs,
                            Attrs& curr_attrs) {
  Item* end = start;
  std::vector<std::pair<std::string, Item*>> end_formats;
  while (end && (!end->countable() || end->deleted())) {
    if (!end->deleted() && end->content.kind == ContentKind::Format) {
      bool found = false;
      for (auto& [k, v] : end_formats) {
        if (k == fmt_key(end)) {
          v = end;
          found = true;
        }
      }
      if (!found) end_formats.emplace_back(fmt_key(end), end);
    }
    end = end->right;
  }
  bool reached_curr = false;
  while (start != end) {
    if (curr == start) reached_curr = true;
    if (!start->deleted() && start->content.kind == ContentKind::Format) {
      const std::string key = fmt_key(start);
      const std::string value = fmt_value(start);
      const std::string* sa = attr_get(start_attrs, key);
      std::string start_val = sa ? *sa : "null";
      Item* end_fmt = nullptr;
      for (auto& [k, v] : end_formats) {
        if (k == key) end_fmt = v;
      }
      if (end_fmt != start || start_val == value) {
        d->delete_item(start);
        const std::string* ca = attr_get(curr_attrs, key);
        if (!reached_curr && (ca ? *ca : "null") == value && start_val != value) {
          if (start_val == "null") {
            attr_del(curr_attrs, key);
          } else {
            attr_set(curr_attrs, key, start_val);
          }
        }
      }
      if (!reached_curr && !start->deleted()) update_current(curr_attrs, start);
    }
    start = start->right;
  }
}

// Inserts `c` at `index` of the text `b`, formatted by `attributes_json` (empty: the
// attributes in force at that position).
void insert_formatted(Branch* b, uint32_t index, Content c, std::string_view attributes_json) {
  DocImpl* d = b->doc;
  Guard g(d);
  const bool has_attrs = !attributes_json.empty();
  Pos pos = find_position(d, b, index, !has_attrs);
  Attrs attrs = has_attrs ? parse_attrs(attributes_json) : pos.current;
  insert_content(d, b, pos, std::move(c), std::move(attrs));
}

}  // namespace

// ---------------- Text

uint32_t Text::length() const { return b_ ? static_cast<uint32_t>(b_->length) : 0; }

void Text::insert(uint32_t index, std::string_view utf8, std::string_view attributes_json) {
  if (!b_ || b_->collected) return;
  if (utf8.empty()) return;
  Content c;
  c.kind = ContentKind::String;
  c.str = utf8_to_utf16(utf8);
  insert_formatted(b_, index, std::move(c), attributes_json);
}

void Text::insert_embed(uint32_t index, std::string_view json_value,
                        std::string_view attributes_json) {
  if (!b_ || b_->collected) return;
  auto v = parse_json(json_value);
  if (!v.ok()) return;
  Content c;
  c.kind = ContentKind::Embed;
  c.extra().value = to_json(v.value());
  insert_formatted(b_, index, std::move(c), attributes_json);
}

void Text::remove(uint32_t index, uint32_t length) {
  if (!b_ || b_->collected) return;
  if (length == 0) return;
  DocImpl* d = b_->doc;
  Guard g(d);
  Pos pos = find_position(d, b_, index, true);
  // deleteText
  uint64_t remaining = length;
  Attrs start_attrs = pos.current;
  Item* start = pos.right;
  while (remaining > 0 && pos.right) {
    Item* r = pos.right;
    if (!r->deleted()) {
      auto k = r->content.kind;
      if (k == ContentKind::Type || k == ContentKind::Embed || k == ContentKind::String) {
        if (remaining < r->len) d->get_item_clean_start({r->id.client, r->id.clock + remaining});
        remaining -= r->len;
        d->delete_item(r);
      }
    }
    pos.forward();
  }
  if (start && b_->has_formatting) {
    cleanup_formatting_gap(d, start, pos.right, start_attrs, pos.current);
  }
  if (b_->markers_enabled) {
    d->update_marker_changes(b_, pos.index,
                             -static_cast<int64_t>(length) + static_cast<int64_t>(remaining));
  }
}

void Text::format(uint32_t index, uint32_t length, std::string_view attributes_json) {
  if (!b_ || b_->collected) return;
  if (length == 0) return;
  DocImpl* d = b_->doc;
  Guard g(d);
  Pos pos = find_position(d, b_, index, false);
  if (!pos.right) return;
  Attrs attrs = parse_attrs(attributes_json);
  uint64_t len = length;
  minimize_attribute_changes(pos, attrs);
  Attrs negated = insert_attributes(d, b_, pos, attrs);
  while (pos.right && (len > 0 || (!negated.empty() && (pos.right->deleted() ||
                                                         pos.right->content.kind == ContentKind::Format)))) {
    Item* r = pos.right;
    if (!r->deleted()) {
      if (r->content.kind == ContentKind::Format) {
        const std::string& key = fmt_key(r);
        const std::string& value = fmt_value(r);
        const std::string* a = attr_get(attrs, key);
        if (a) {
          if (*a == value) {
            attr_del(negated, key);
          } else {
            if (len == 0) break;
            attr_set(negated, key, value);
          }
          d->delete_item(r);
        } else {
          attr_set(pos.current, key, value);
        }
      } else {
        if (len < r->len) d->get_item_clean_start({r->id.client, r->id.clock + len});
        len -= std::min<uint64_t>(len, r->len);
      }
    }
    pos.forward();
  }
  if (len > 0) {
    Content c;
    c.kind = ContentKind::String;
    c.str.assign(len, u'\n');
    pos.right = d->insert_local(b_, pos.left, pos.right, nullptr, std::move(c));
    pos.forward();
  }
  insert_negated_attributes(d, b_, pos, negated);
}

std::string Text::to_string() const { return b_ ? branch_text(b_) : std::string(); }

std::string Text::to_delta_json() const {
  if (!b_) return "[]";
  std::string out = "[";
  bool first_op = true;
  Attrs cur;
  std::u16string str;
  auto emit_attrs = [&](std::string* o) {
    if (cur.empty()) return;
    o->append(",\"attributes\":{");
    bool f = true;
    for (auto& [k, v] : cur) {
      if (!f) o->push_back(',');
      f = false;
      append_json_string(k, o);
      o->push_back(':');
      o->append(v);
    }
    o->push_back('}');
  };
  auto pack = [&] {
    if (str.empty()) return;
    if (!first_op) out.push_back(',');
    first_op = false;
    out.append("{\"insert\":");
    append_json_string(utf16_to_utf8(str), &out);
    emit_attrs(&out);
    out.push_back('}');
    str.clear();
  };
  for (const Item* n = b_->start; n; n = n->right) {
    if (n->deleted()) continue;
    switch (n->content.kind) {
      case ContentKind::String: str += n->content.str; break;
      case ContentKind::Type:
      case ContentKind::Embed:
        pack();
        if (!first_op) out.push_back(',');
        first_op = false;
        out.append("{\"insert\":");
        render_content_value(n, 0, &out);
        emit_attrs(&out);
        out.push_back('}');
        break;
      case ContentKind::Format:
        pack();
        update_current(cur, n);
        break;
      default: break;
    }
  }
  pack();
  out.push_back(']');
  return out;
}

// ---------------- Map

namespace {

// A ContentAny holding one JSON value; kind stays Deleted when the JSON is malformed.
Content any_content(std::string_view json) {
  Content c;
  auto v = parse_json(json);
  if (!v.ok()) return c;
  c.kind = ContentKind::Any;
  c.extra().any.push_back(std::move(v).value());
  return c;
}

Content type_content(uint8_t ref) {
  Content c;
  c.kind = ContentKind::Type;
  c.extra().type_ref = ref;
  return c;
}

Item* map_set(Branch* b, std::string_view key, Content content) {
  if (!b || b->collected) return nullptr;
  DocImpl* d = b->doc;
  Guard g(d);
  const std::string* k = d->intern_key(b, key);
  Item* left = b->map[*k];
  return d->insert_local(b, left, nullptr, k, std::move(content));
}

const Item* map_current(const Branch* b, std::string_view key) {
  auto it = b->map.find(std::string(key));
  if (it == b->map.end() || !it->second || it->second->deleted()) return nullptr;
  return it->second;
}

}  // namespace

void Map::set_json(std::string_view key, std::string_view json_value) {
  Content c = any_content(json_value);
  if (c.kind == ContentKind::Any) map_set(b_, key, std::move(c));
}
Map Map::set_map(std::string_view key) {
  Item* it = map_set(b_, key, type_content(kRefMap));
  return it ? Map(it->content.x->branch) : Map();
}
Array Map::set_array(std::string_view key) {
  Item* it = map_set(b_, key, type_content(kRefArray));
  return it ? Array(it->content.x->branch) : Array();
}
Text Map::set_text(std::string_view key) {
  Item* it = map_set(b_, key, type_content(kRefText));
  return it ? Text(it->content.x->branch) : Text();
}

void Map::remove(std::string_view key) {
  if (!b_ || b_->collected) return;
  auto it = b_->map.find(std::string(key));
  if (it == b_->map.end() || !it->second || it->second->deleted()) return;
  Guard g(b_->doc);
  b_->doc->delete_item(it->second);
}

std::optional<std::string> Map::get_json(std::string_view key) const {
  if (!b_) return std::nullopt;
  const Item* it = map_current(b_, key);
  if (!it) return std::nullopt;
  std::string out;
  render_content_value(it, it->len - 1, &out);
  return out;
}

Map Map::get_map(std::string_view key) const {
  if (!b_) return Map();
  const Item* it = map_current(b_, key);
  if (!it || it->content.kind != ContentKind::Type || !it->content.x || !it->content.x->branch) return Map();
  Branch* nested = it->content.x->branch;
  return nested->type_ref == kRefMap ? Map(nested) : Map();
}

std::vector<std::string> Map::keys() const {
  std::vector<std::string> out;
  if (!b_) return out;
  for (const auto& [k, it] : b_->map) {
    if (it && !it->deleted()) out.push_back(k);
  }
  return out;
}

uint32_t Map::size() const { return static_cast<uint32_t>(keys().size()); }

std::string Map::to_json() const {
  std::string out;
  if (!b_) return "{}";
  render_branch_as(b_, kRefMap, &out);
  return out;
}

// ---------------- Array

namespace {

// typeListInsertGenerics for a single content item.
Item* list_insert(Branch* b, uint64_t index, Content content) {
  if (!b || b->collected) return nullptr;
  DocImpl* d = b->doc;
  if (index > b->length) return nullptr;
  Guard g(d);
  Item* n = nullptr;
  if (index == 0) {
    if (b->markers_enabled) d->update_marker_changes(b, 0, static_cast<int64_t>(content.length()));
  } else {
    uint64_t start_index = index;
    SearchMarker* m = d->find_marker(b, index);
    n = b->start;
    if (m) {
      n = m->p;
      index -= m->index;
      if (index == 0) {
        n = n->left;
        while (n && n->deleted()) n = n->left;
        index += (n && n->countable() && !n->deleted()) ? n->len : 0;
      }
    }
    for (; n; n = n->right) {
      if (!n->deleted() && n->countable()) {
        if (index <= n->len) {
          if (index < n->len) d->get_item_clean_start({n->id.client, n->id.clock + index});
          break;
        }
        index -= n->len;
      }
    }
    if (b->markers_enabled) {
      d->update_marker_changes(b, start_index, static_cast<int64_t>(content.length()));
    }
  }
  Item* right = n ? n->right : b->start;
  return d->insert_local(b, n, right, nullptr, std::move(content));
}

}  // namespace

uint32_t Array::length() const { return b_ ? static_cast<uint32_t>(b_->length) : 0; }

void Array::insert_json(uint32_t index, std::string_view json_value) {
  Content c = any_content(json_value);
  if (c.kind == ContentKind::Any) list_insert(b_, index, std::move(c));
}
Map Array::insert_map(uint32_t index) {
  Item* it = list_insert(b_, index, type_content(kRefMap));
  return it ? Map(it->content.x->branch) : Map();
}
Array Array::insert_array(uint32_t index) {
  Item* it = list_insert(b_, index, type_content(kRefArray));
  return it ? Array(it->content.x->branch) : Array();
}
Text Array::insert_text(uint32_t index) {
  Item* it = list_insert(b_, index, type_content(kRefText));
  return it ? Text(it->content.x->branch) : Text();
}

void Array::remove(uint32_t index, uint32_t length) {
  if (!b_ || b_->collected) return;
  if (length == 0 || index >= b_->length) return;
  uint64_t len = std::min<uint64_t>(length, b_->length - index);
  DocImpl* d = b_->doc;
  Guard g(d);
  uint64_t start_index = index;
  uint64_t start_length = len;
  uint64_t idx = index;
  SearchMarker* m = d->find_marker(b_, idx);
  Item* n = b_->start;
  if (m) {
    n = m->p;
    idx -= m->index;
  }
  for (; n && idx > 0; n = n->right) {
    if (!n->deleted() && n->countable()) {
      if (idx < n->len) d->get_item_clean_start({n->id.client, n->id.clock + idx});
      idx -= std::min(idx, n->len);
    }
  }
  while (len > 0 && n) {
    if (!n->deleted()) {
      if (len < n->len) d->get_item_clean_start({n->id.client, n->id.clock + len});
      d->delete_item(n);
      len -= std::min(len, n->len);
    }
    n = n->right;
  }
  if (b_->markers_enabled) {
    d->update_marker_changes(b_, start_index,
                             -static_cast<int64_t>(start_length) + static_cast<int64_t>(len));
  }
}

std::optional<std::string> Array::get_json(uint32_t index) const {
  if (!b_) return std::nullopt;
  uint64_t idx = index;
  for (const Item* n = b_->start; n; n = n->right) {
    if (n->deleted() || !n->countable()) continue;
    if (idx < n->len) {
      std::string out;
      render_content_value(n, idx, &out);
      return out;
    }
    idx -= n->len;
  }
  return std::nullopt;
}

std::string Array::to_json() const {
  std::string out;
  if (!b_) return "[]";
  render_branch_as(b_, kRefArray, &out);
  return out;
}

}  // namespace mockloop::crdt
