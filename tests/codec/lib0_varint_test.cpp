#include "codec/lib0_varint.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace mockloop::codec {
namespace {

VarUintStatus read(const std::vector<uint8_t>& b, size_t max_bytes, uint64_t max_value, uint64_t* out,
                   size_t* used = nullptr) {
  const uint8_t* p = b.data();
  auto s = read_var_uint(p, b.data() + b.size(), max_bytes, max_value, out);
  if (used) *used = static_cast<size_t>(p - b.data());
  return s;
}

TEST(Lib0VarUint, RoundTripsAndSizes) {
  for (uint64_t v : {uint64_t{0}, uint64_t{127}, uint64_t{128}, uint64_t{300}, (uint64_t{1} << 53) - 1, UINT64_MAX}) {
    uint8_t buf[kMaxVarUintBytes];
    const size_t n = static_cast<size_t>(write_var_uint(buf, v) - buf);
    EXPECT_EQ(n, var_uint_size(v));
    std::vector<uint8_t> b(buf, buf + n);
    uint64_t out = 0;
    size_t used = 0;
    ASSERT_EQ(read(b, kMaxVarUintBytes, UINT64_MAX, &out, &used), VarUintStatus::ok);
    EXPECT_EQ(out, v);
    EXPECT_EQ(used, n);
  }
  uint8_t buf[kMaxVarUintBytes];
  EXPECT_EQ(std::vector<uint8_t>(buf, write_var_uint(buf, 300)), (std::vector<uint8_t>{0xac, 0x02}));
}

TEST(Lib0VarUint, RefusesTruncatedOverlongAndOutOfRange) {
  uint64_t out;
  EXPECT_EQ(read({0x80, 0x80}, 10, UINT64_MAX, &out), VarUintStatus::truncated);
  EXPECT_EQ(read({}, 10, UINT64_MAX, &out), VarUintStatus::truncated);
  std::vector<uint8_t> eleven(10, 0xff);
  eleven.push_back(0x01);
  EXPECT_EQ(read(eleven, 10, UINT64_MAX, &out), VarUintStatus::overflow);
  std::vector<uint8_t> bit65(9, 0xff);
  bit65.push_back(0x02);  // the 10th byte may carry one bit only
  EXPECT_EQ(read(bit65, 10, UINT64_MAX, &out), VarUintStatus::overflow);
  uint8_t buf[kMaxVarUintBytes];
  std::vector<uint8_t> b2_53(buf, write_var_uint(buf, uint64_t{1} << 53));
  EXPECT_EQ(read(b2_53, 9, (uint64_t{1} << 53) - 1, &out), VarUintStatus::overflow);
}

}  // namespace
}  // namespace mockloop::codec
