// Update format: decoding (v1, v2) into plain structs, and the v1 writers shared by the
// document encoder and the document-less update operations (merge, diff).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "crdt/content.hpp"
#include "crdt/encoding.hpp"
#include "crdt/id.hpp"
#include "crdt/result.hpp"

namespace mockloop::crdt {

enum class StructKind : uint8_t { GC, Skip, Item };
enum class ParentKind : uint8_t { None, Root, Id };

// One struct as it appears on the wire (parent not yet resolved).
struct DecodedStruct {
  StructKind kind = StructKind::Item;
  bool has_origin = false;
  bool has_right_origin = false;
  bool has_parent_sub = false;
  ParentKind parent_kind = ParentKind::None;
  ID id;
  uint64_t len = 0;
  ID origin;
  ID right_origin;
  ID parent_id;
  std::string parent_name;
  std::string parent_sub;
  Content content;

  uint64_t end() const { return id.clock + len; }
};

struct DecodedClient {
  uint64_t client = 0;
  std::vector<DecodedStruct> structs;  // ascending, contiguous unless Skips
};

struct DecodedUpdate {
  std::vector<DecodedClient> clients;  // in wire order
  DeleteSet ds;
};

Result<DecodedUpdate> decode_update_v1(ByteView update);
Result<DecodedUpdate> decode_update_v2(ByteView update);

struct ParentInfo {
  ParentKind kind = ParentKind::None;
  std::string_view name;
  ID id;
};

// Writes an Item in v1 as Yjs's Item.write(encoder, offset) does.
void write_item_v1(Encoder& enc, ID id, uint64_t offset, bool has_origin, ID origin,
                   bool has_right_origin, ID right_origin, const ParentInfo& parent,
                   const std::string* parent_sub, const Content& content);
void write_content_v1(Encoder& enc, const Content& content, uint64_t offset);
void write_struct_v1(Encoder& enc, const DecodedStruct& s, uint64_t offset);
// Delete set in Yjs order: clients descending, ranges as stored.
void write_delete_set_v1(Encoder& enc, const DeleteSet& ds);
Result<DeleteSet> read_delete_set_v1(Decoder& dec);

}  // namespace mockloop::crdt
