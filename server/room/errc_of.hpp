// Where the codecs' own error values become the server's Errc (common/error.hpp, which
// documents the mapping): the wire decoder's DecodeErrc and the CRDT engine's int codes. wire
// and crdt depend on nothing but codec/, so the mapping lives here, at the room's boundary
// with them, one function each. Pure functions; any thread.
#pragma once

#include "common/error.hpp"
#include "crdt/result.hpp"
#include "wire/decode_error.hpp"

namespace mockloop::room {

// REQUIRES: e != DecodeErrc::ok. close_code() of the result equals wire::close_code_for(e).
Errc errc_of(wire::DecodeErrc e);

// What the engine was reading when it failed.
enum class CrdtInput { update, state_vector };
Errc errc_of(const crdt::Error& e, CrdtInput input);

}  // namespace mockloop::room
