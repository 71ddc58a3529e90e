// Every bound the CRDT engine enforces on input it did not make, with its default beside
// it: the one place these defaults live. Compile-time ones bound the decoders (they have no
// document at hand); Limits travels in DocOptions and bounds what one remote update may add
// to a document. A client that speaks Yjs within these bounds never meets them: they only
// keep hostile input from costing unbounded stack, time or memory.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mockloop::crdt {

// Nesting of lib0 `any` / JSON values (arrays and objects inside each other). Default 256.
inline constexpr int kMaxAnyDepth = 256;
// Keys of one `any` / JSON object, in an update or a parsed JSON text. Default 10,000.
inline constexpr size_t kMaxObjectKeys = 10000;
// Shared types nested deeper than this render as null in JSON / XML strings (the renderer
// recurses once per level). Above any Limits::max_type_depth a server accepts. Default 128.
inline constexpr uint32_t kMaxRenderDepth = 128;

struct Limits {
  // Depth of a shared type: a root is 0, a type inside a root 1, and so on. A remote
  // update that would create a type deeper than this is refused. Default 64.
  uint32_t max_type_depth = 64;
  // Keys of one Y.Map (or XML element's attributes). A remote update that would give a
  // map more keys than this is refused. Default 10,000.
  size_t max_map_keys = 10000;
};

}  // namespace mockloop::crdt
