#include "wire/message.hpp"

namespace mockloop::wire {

namespace {

Bytes frame_with_payload(uint8_t type, int sub_type, ByteView payload) {
  Encoder enc(2 + varuint_size(payload.size()) + payload.size());
  enc.write_varuint(type);
  if (sub_type >= 0) enc.write_varuint(static_cast<uint64_t>(sub_type));
  enc.write_varbytes(payload);
  return enc.take();
}

}  // namespace

DecodeErrc decode_message(ByteView frame, Message& out) {
  if (frame.empty()) return DecodeErrc::empty;
  Decoder dec(frame);
  uint64_t type = 0;
  if (auto e = dec.read_varuint(type); e != DecodeErrc::ok) return e;
  DecodeErrc e = DecodeErrc::ok;
  switch (type) {
    case static_cast<uint64_t>(MessageType::sync): {
      uint64_t sub = 0;
      if ((e = dec.read_varuint(sub)) != DecodeErrc::ok) return e;
      ByteView payload;
      if (sub > static_cast<uint64_t>(SyncType::update)) return DecodeErrc::unknown_sync_type;
      if ((e = dec.read_varbytes(payload)) != DecodeErrc::ok) return e;
      if (sub == static_cast<uint64_t>(SyncType::step1)) {
        out = SyncStep1{payload};
      } else if (sub == static_cast<uint64_t>(SyncType::step2)) {
        out = SyncStep2{payload};
      } else {
        out = SyncUpdate{payload};
      }
      break;
    }
    case static_cast<uint64_t>(MessageType::awareness): {
      ByteView payload;
      if ((e = dec.read_varbytes(payload)) != DecodeErrc::ok) return e;
      out = AwarenessMessage{payload};
      break;
    }
    case static_cast<uint64_t>(MessageType::auth): {
      AuthMessage m;
      if ((e = dec.read_varuint(m.kind)) != DecodeErrc::ok) return e;
      if ((e = dec.read_varstring(m.reason)) != DecodeErrc::ok) return e;
      out = m;
      break;
    }
    case static_cast<uint64_t>(MessageType::query_awareness):
      out = QueryAwareness{};
      break;
    default:
      return DecodeErrc::unknown_message_type;
  }
  return dec.done() ? DecodeErrc::ok : DecodeErrc::trailing_bytes;
}

Bytes encode_sync_step1(ByteView state_vector) {
  return frame_with_payload(0, static_cast<int>(SyncType::step1), state_vector);
}

Bytes encode_sync_step2(ByteView update) { return frame_with_payload(0, static_cast<int>(SyncType::step2), update); }

Bytes encode_sync_update(ByteView update) { return frame_with_payload(0, static_cast<int>(SyncType::update), update); }

Bytes encode_awareness(ByteView awareness_update) { return frame_with_payload(1, -1, awareness_update); }

Bytes encode_query_awareness() { return Bytes{3}; }

Bytes encode_permission_denied(std::string_view reason) {
  Encoder enc(reason.size() + 8);
  enc.write_varuint(static_cast<uint64_t>(MessageType::auth));
  enc.write_varuint(AuthMessage::kPermissionDenied);
  enc.write_varstring(reason);
  return enc.take();
}

}  // namespace mockloop::wire
