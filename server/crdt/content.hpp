// Item content: the nine Yjs content kinds. Strings are stored as UTF-16 so that lengths,
// offsets and splits are counted exactly as Yjs counts them; every other kind keeps its
// payload in a lazily allocated ContentExtra so that a text item costs no extra allocation.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "crdt/any.hpp"
#include "crdt/encoding.hpp"

namespace mockloop::crdt {

struct Branch;

enum class ContentKind : uint8_t {
  Deleted = 1, Json = 2, Binary = 3, String = 4, Embed = 5, Format = 6, Type = 7, Any = 8, Doc = 9
};

// Yjs type refs (YArrayRefID ...).
enum TypeRef : uint8_t {
  kRefArray = 0, kRefMap = 1, kRefText = 2, kRefXmlElement = 3, kRefXmlFragment = 4,
  kRefXmlHook = 5, kRefXmlText = 6, kRefUndefined = 255
};

struct ContentExtra {
  std::vector<std::string> json;  // Json: JSON.stringify of each element ("undefined" kept)
  std::vector<Any> any;           // Any
  Bytes binary;                   // Binary
  std::string key;    // Format key, Doc guid, Type name (XmlElement node name, XmlHook key)
  std::string value;  // Embed / Format value as canonical JSON text
  Any doc_opts;       // Doc
  uint8_t type_ref = kRefUndefined;
  Branch* branch = nullptr;  // Type, once integrated into a document
};

struct Content {
  ContentKind kind = ContentKind::Deleted;
  uint64_t deleted_len = 0;  // Deleted
  std::u16string str;        // String
  std::unique_ptr<ContentExtra> x;

  ContentExtra& extra() {
    if (!x) x = std::make_unique<ContentExtra>();
    return *x;
  }
  uint64_t length() const {
    switch (kind) {
      case ContentKind::Deleted: return deleted_len;
      case ContentKind::String: return str.size();
      case ContentKind::Json: return x->json.size();
      case ContentKind::Any: return x->any.size();
      default: return 1;
    }
  }
  bool countable() const { return kind != ContentKind::Deleted && kind != ContentKind::Format; }
  // Splits at offset (0 < offset < length()): this keeps the left part, returns the right.
  // A string split inside a surrogate pair replaces both halves with U+FFFD, as Yjs does.
  Content splice(uint64_t offset);
  // Appends right's payload if this kind merges (String, Json, Any, Deleted).
  bool merge_with(Content& right);
  bool mergeable() const {
    return kind == ContentKind::String || kind == ContentKind::Json || kind == ContentKind::Any ||
           kind == ContentKind::Deleted;
  }
};

}  // namespace mockloop::crdt
