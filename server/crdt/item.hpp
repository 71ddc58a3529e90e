// Item (and GC struct) and Branch (a shared type: root or nested). Items are owned by the
// document's arena and linked into their parent's list with raw pointers, exactly as Yjs
// links them; a Branch is owned by the document too. Single-threaded: only the owning
// Doc's thread touches them.
#pragma once

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "crdt/content.hpp"
#include "crdt/id.hpp"

namespace mockloop::crdt {

class DocImpl;
struct Branch;

struct Item {
  enum Flag : uint8_t {
    kDeleted = 1, kKeep = 2, kMarker = 4, kGc = 8, kHasOrigin = 16, kHasRightOrigin = 32
  };
  ID id;
  uint64_t len = 0;
  Item* left = nullptr;
  Item* right = nullptr;
  ID origin;
  ID right_origin;
  Branch* parent = nullptr;
  const std::string* parent_sub = nullptr;  // interned: points at the key in parent->map
  uint8_t flags = 0;
  Content content;

  bool deleted() const { return flags & kDeleted; }
  bool is_gc() const { return flags & kGc; }
  bool keep() const { return flags & kKeep; }
  bool marker() const { return flags & kMarker; }
  void set_marker(bool on) { flags = on ? (flags | kMarker) : (flags & ~kMarker); }
  bool has_origin() const { return flags & kHasOrigin; }
  bool has_right_origin() const { return flags & kHasRightOrigin; }
  bool countable() const { return !is_gc() && content.countable(); }
  ID last_id() const { return {id.client, id.clock + len - 1}; }
};

struct SearchMarker {
  Item* p;
  uint64_t index;
  uint64_t timestamp;
};

struct Branch {
  DocImpl* doc = nullptr;
  Item* item = nullptr;    // the ContentType item; null for a root type
  std::string root_name;   // root types only
  uint8_t type_ref = kRefUndefined;
  uint32_t depth = 0;      // 0 for a root, parent's + 1 for a nested type
  std::string node_name;   // XmlElement node name / XmlHook key
  Item* start = nullptr;
  std::unordered_map<std::string, Item*> map;  // key -> current (rightmost) item; may be null
  uint64_t length = 0;     // countable, undeleted length of the list part
  std::vector<SearchMarker> markers;
  bool markers_enabled = false;  // Yjs: _searchMarker !== null (YText, YArray)
  // Some marker may point at a deleted or uncountable item (so update_marker_changes must
  // visit the items); false means every marker's item is live and countable.
  bool markers_dirty = false;
  bool has_formatting = false;
  bool collected = false;  // its item was garbage-collected: item is dangling, edits are no-ops
};

}  // namespace mockloop::crdt
