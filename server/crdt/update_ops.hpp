// Update-level operations on encoded bytes, without a document (Y.mergeUpdates,
// Y.diffUpdate, Y.convertUpdateFormatV2ToV1, Y.encodeStateVectorFromUpdate).
#pragma once

#include <span>

#include "crdt/encoding.hpp"
#include "crdt/result.hpp"

namespace mockloop::crdt {

Result<Bytes> merge_updates_v1(std::span<const ByteView> updates);
Result<Bytes> diff_update_v1(ByteView update, ByteView state_vector);
Result<Bytes> convert_update_v2_to_v1(ByteView update_v2);
Result<Bytes> state_vector_from_update_v1(ByteView update);

}  // namespace mockloop::crdt
