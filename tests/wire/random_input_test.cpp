// Random and mutated frames: decoding never reads out of bounds (run under ASan) and every
// outcome is either ok or a typed error with a close code.
#include <gtest/gtest.h>

#include <random>

#include "wire/awareness_update.hpp"
#include "wire/message.hpp"

namespace mockloop::wire {
namespace {

TEST(RandomInput, DecodersNeverMisbehave) {
  std::mt19937 rng(12345);
  const Bytes seeds[] = {encode_sync_step1(Bytes{1, 42, 2}), encode_sync_update(Bytes{1, 1, 42, 0, 4, 1, 1, 't', 2, 'h', 'i', 0}),
                         encode_awareness(Bytes{1, 42, 1, 2, '{', '}'}), encode_query_awareness()};
  size_t ok = 0;
  for (int i = 0; i < 200000; ++i) {
    Bytes frame;
    if (i % 2 == 0) {
      frame.resize(rng() % 16);
      for (auto& b : frame) b = static_cast<uint8_t>(rng());
    } else {
      frame = seeds[rng() % 4];
      frame[rng() % frame.size()] = static_cast<uint8_t>(rng());
      if (rng() % 4 == 0) frame.resize(rng() % (frame.size() + 1));
    }
    Message m;
    DecodeErrc e = decode_message(frame, m);
    if (e == DecodeErrc::ok) {
      ++ok;
      if (auto* a = std::get_if<AwarenessMessage>(&m)) {
        std::vector<AwarenessEntry> entries;
        (void)decode_awareness_update(a->update, entries);
      }
    } else {
      uint16_t code = close_code_for(e);
      EXPECT_TRUE(code == 1003 || code == 1007);
    }
  }
  EXPECT_GT(ok, 0u);
}

}  // namespace
}  // namespace mockloop::wire
