#include "room/errc_of.hpp"

namespace mockloop::room {

Errc errc_of(wire::DecodeErrc e) {
  switch (e) {
    case wire::DecodeErrc::unknown_message_type:
    case wire::DecodeErrc::unknown_sync_type:
      return Errc::unsupported_message;
    case wire::DecodeErrc::ok:  // not an error: the caller broke the contract
      return Errc::internal;
    default:
      return Errc::malformed_message;
  }
}

Errc errc_of(const crdt::Error& e, CrdtInput input) {
  if (input == CrdtInput::state_vector) return Errc::invalid_state_vector;
  return e.code == crdt::kErrLimit ? Errc::too_big : Errc::invalid_update;
}

}  // namespace mockloop::room
