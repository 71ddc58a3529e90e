// StructStore lookups: the galloping search from a hint agrees with the binary search for
// every clock and every hint, including hints past the clock and clocks past the end.
#include "crdt/store.hpp"

#include <gtest/gtest.h>

#include <deque>

namespace mockloop::crdt {
namespace {

TEST(StructStore, FindIndexFromAgreesWithFindIndexForEveryClockAndHint) {
  std::deque<Item> items;
  StructStore::Structs s;
  uint64_t clock = 0;
  for (uint64_t len : {3, 1, 1, 7, 2, 5, 1, 1, 1, 9, 4, 2, 6}) {
    Item& it = items.emplace_back();
    it.id = {42, clock};
    it.len = len;
    s.push_back(&it);
    clock += len;
  }
  for (uint64_t c = 0; c <= clock + 2; ++c) {
    size_t want = StructStore::find_index(s, c);
    if (c < clock) {
      ASSERT_NE(want, SIZE_MAX) << c;
    }
    for (size_t hint = 0; hint <= s.size() + 1; ++hint) {
      EXPECT_EQ(StructStore::find_index_from(s, c, hint), want) << "clock " << c << " hint " << hint;
    }
  }
  StructStore::Structs empty;
  EXPECT_EQ(StructStore::find_index_from(empty, 0, 0), SIZE_MAX);
}

}  // namespace
}  // namespace mockloop::crdt
