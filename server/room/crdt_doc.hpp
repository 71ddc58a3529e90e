// The room's view of a CRDT document: the four operations the sync protocol needs. The
// production implementation wraps crdt::Doc (make_crdt_doc); tests may substitute a double.
// Not thread-safe: the owning LiveDoc guards it with its mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <vector>

#include "common/result.hpp"

namespace mockloop::room {

using Bytes = std::vector<uint8_t>;
using ByteView = std::span<const uint8_t>;

class CrdtDoc {
 public:
  virtual ~CrdtDoc() = default;
  // Applies a v1 update atomically: on error the document is unchanged. Returns false when
  // the update certainly changed nothing (e.g. a client's step 2 holding only a delete set
  // the document already has), so it need not be stored or relayed; true otherwise.
  virtual Result<bool> apply_update(ByteView update) = 0;
  virtual Bytes state_vector() const = 0;
  // The v1 update that brings a peer at `state_vector` up to date (empty: everything).
  virtual Result<Bytes> encode_diff(ByteView state_vector) const = 0;
};

using CrdtDocFactory = std::function<std::unique_ptr<CrdtDoc>()>;

struct Limits;

// A crdt::Doc with gc on and a random client id (the server never writes content itself).
// apply_update fails with "invalid_update" on malformed input and "too_big" on input over
// the type-depth / map-key limits (the crdt defaults, or those of `limits`).
std::unique_ptr<CrdtDoc> make_crdt_doc();
std::unique_ptr<CrdtDoc> make_crdt_doc(const Limits& limits);

}  // namespace mockloop::room
