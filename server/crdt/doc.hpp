// Doc: a Yjs-compatible document (Yjs 13.6 data model and v1/v2 update formats).
// Owns every struct and shared type; Text/Map/Array handles point into it. Not thread-safe:
// one thread (or strand) at a time. Observers run synchronously at the end of the
// transaction that changed something; they must not edit the document that calls them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "crdt/encoding.hpp"
#include "crdt/limits.hpp"
#include "crdt/result.hpp"
#include "crdt/types.hpp"

namespace mockloop::crdt {

class DocImpl;

using Origin = uint64_t;  // 0 = none

enum class TypeKind { Text, Map, Array, XmlFragment, XmlElement, XmlText };

struct DocOptions {
  uint64_t client_id = 0;  // 0 => random 53-bit id
  bool gc = true;          // garbage-collect deleted content (false keeps it for history)
};

class Doc {
 public:
  // `limits` bound what a remote update may add (crdt/limits.hpp); local edits are not checked.
  explicit Doc(DocOptions opts = {}, Limits limits = {});
  ~Doc();
  Doc(Doc&&) noexcept;
  Doc& operator=(Doc&&) noexcept;
  Doc(const Doc&) = delete;
  Doc& operator=(const Doc&) = delete;

  uint64_t client_id() const;
  // Atomic: a malformed update, or one that would exceed the limits (kErrLimit),
  // returns an error and leaves the document unchanged.
  Result<void> apply_update_v1(ByteView update, Origin origin = 0);
  Result<void> apply_update_v2(ByteView update, Origin origin = 0);
  Bytes state_vector_v1() const;
  Result<Bytes> encode_state_as_update_v1(ByteView state_vector = {}) const;
  bool has_pending() const;

  Text get_text(std::string_view root_name);
  Map get_map(std::string_view root_name);
  Array get_array(std::string_view root_name);
  std::string root_to_json(std::string_view root_name, TypeKind kind);

  void transact(Origin origin, const std::function<void()>& edits);
  using UpdateObserver = std::function<void(ByteView update_v1, Origin origin)>;
  uint64_t observe_update_v1(UpdateObserver cb);
  void unobserve_update(uint64_t id);

  DocImpl* impl() const { return impl_.get(); }

 private:
  std::unique_ptr<DocImpl> impl_;
};

}  // namespace mockloop::crdt
