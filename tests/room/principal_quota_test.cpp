// PrincipalQuota: per-principal counts of documents and of connections per document,
// released with the last copy of a ticket; an empty principal is not counted.
#include "room/principal_quota.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace mockloop::room {
namespace {

TEST(PrincipalQuota, BoundsConnectionsPerDocAndDocsPerPrincipal) {
  PrincipalQuota q(/*max_docs=*/2, /*max_connections_per_doc=*/2);
  std::vector<PrincipalQuota::Ticket> held;
  held.push_back(q.admit("p", "a").value());
  held.push_back(q.admit("p", "a").value());
  auto third = q.admit("p", "a");
  ASSERT_FALSE(third);
  EXPECT_EQ(third.error().code, Errc::principal_conns);
  EXPECT_TRUE(q.admit("other", "a")) << "another principal has its own slots";
  held.push_back(q.admit("p", "b").value());
  auto c = q.admit("p", "c");
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, Errc::principal_docs);
  EXPECT_EQ(q.docs("p"), 2u);
  EXPECT_EQ(q.connections("p", "a"), 2u);
}

TEST(PrincipalQuota, ReleasedWithTheLastCopyOfATicket) {
  PrincipalQuota q(1, 1);
  auto t = q.admit("p", "a").value();
  auto copy = t;
  t.reset();
  EXPECT_FALSE(q.admit("p", "a"));
  EXPECT_FALSE(q.admit("p", "b"));
  copy.reset();
  EXPECT_EQ(q.docs("p"), 0u);
  EXPECT_TRUE(q.admit("p", "b"));
}

TEST(PrincipalQuota, AnEmptyPrincipalIsNotCounted) {
  PrincipalQuota q(1, 1);
  std::vector<PrincipalQuota::Ticket> held;
  for (int i = 0; i < 10; ++i) {
    auto t = q.admit("", "doc" + std::to_string(i % 2));
    ASSERT_TRUE(t);
    EXPECT_EQ(*t, nullptr);
    held.push_back(*t);
  }
}

}  // namespace
}  // namespace mockloop::room
