#include "loop/queued_session.hpp"

namespace mockloop::loop {

std::shared_ptr<const std::vector<uint8_t>> encode_frame(const v1::ServerMessage& msg) {
  auto buf = std::make_shared<std::vector<uint8_t>>(msg.ByteSizeLong());
  msg.SerializeToArray(buf->data(), static_cast<int>(buf->size()));
  return buf;
}

}  // namespace mockloop::loop
