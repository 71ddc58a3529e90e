// The codecs' error values become Errc by the mapping common/error.hpp documents, and the
// close code the table gives agrees with the one the wire codec names itself.
#include "room/errc_of.hpp"

#include <gtest/gtest.h>

using namespace mockloop;
using namespace mockloop::room;

TEST(ErrcOf, EveryDecodeErrorClosesWithTheWireCodecsCode) {
  using wire::DecodeErrc;
  for (auto e : {DecodeErrc::empty, DecodeErrc::truncated, DecodeErrc::varint_overflow, DecodeErrc::unknown_message_type,
                 DecodeErrc::unknown_sync_type, DecodeErrc::trailing_bytes, DecodeErrc::invalid_utf8,
                 DecodeErrc::too_many_entries}) {
    SCOPED_TRACE(std::string(wire::to_string(e)));
    const Errc c = errc_of(e);
    EXPECT_EQ(close_code(c), wire::close_code_for(e));
    EXPECT_EQ(http_status(c), 400);
  }
  EXPECT_EQ(errc_of(DecodeErrc::unknown_message_type), Errc::unsupported_message);
  EXPECT_EQ(errc_of(DecodeErrc::truncated), Errc::malformed_message);
}

TEST(ErrcOf, CrdtCodesByWhatWasRead) {
  for (int code : {crdt::kErrDecode, crdt::kErrInvalid, crdt::kErrJson})
    EXPECT_EQ(errc_of(crdt::Error{code, ""}, CrdtInput::update), Errc::invalid_update) << code;
  EXPECT_EQ(errc_of(crdt::Error{crdt::kErrLimit, ""}, CrdtInput::update), Errc::too_big);
  for (int code : {crdt::kErrDecode, crdt::kErrInvalid, crdt::kErrJson, crdt::kErrLimit})
    EXPECT_EQ(errc_of(crdt::Error{code, ""}, CrdtInput::state_vector), Errc::invalid_state_vector) << code;
  EXPECT_EQ(close_code(Errc::invalid_update), 1007);
  EXPECT_EQ(close_code(Errc::too_big), 1009);
}
