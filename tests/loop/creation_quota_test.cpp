// Who may create loops and study rooms, and how many per client address per hour
// (loop/creation_quota.hpp, ApiOptions).
#include "loop/creation_quota.hpp"

#include "loop_fixture.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

namespace {

std::string header(const net::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

net::Request create(const std::string& path, const std::string& remote, const std::string& xff = "") {
  net::Request req;
  req.method = "POST";
  req.path = path;
  req.remote = remote;
  req.forwarded_for = xff;
  req.body = path == "/api/loops" ? R"({"templateId":"l6-loop"})" : R"({"title":"t"})";
  return req;
}

}  // namespace

TEST(CreationQuota, CountsPerClientInHourWindows) {
  CreationQuota q(2);
  EXPECT_EQ(q.try_take("a", 0), 0);
  EXPECT_EQ(q.try_take("a", 1000), 0);
  EXPECT_EQ(q.try_take("a", 1000), 3599) << "seconds until the window that began at 0 ends";
  EXPECT_EQ(q.try_take("b", 1000), 0) << "another address has its own count";
  q.give_back("a");
  EXPECT_EQ(q.try_take("a", 2000), 0) << "a failed creation gives its unit back";
  EXPECT_EQ(q.try_take("a", CreationQuota::kWindowMs), 0) << "a new window";
}

TEST(CreationQuota, TrackedAddressesAreBounded) {
  CreationQuota q(1, 2);
  EXPECT_EQ(q.try_take("a", 0), 0);
  EXPECT_EQ(q.try_take("b", 0), 0);
  EXPECT_GT(q.try_take("c", 0), 0) << "full of live windows: refused";
  EXPECT_EQ(q.try_take("c", CreationQuota::kWindowMs), 0) << "expired windows are pruned";
}

class Creation : public LoopFixture {
 protected:
  void with_options(ApiOptions o) { router_ = std::make_unique<ApiRouter>(*service_, o); }
};

TEST_F(Creation, TheNPlusFirstLoopFromOneAddressGets429WithRetryAfter) {
  ApiOptions o;
  o.max_loops_per_ip_hour = 3;
  o.max_study_rooms_per_ip_hour = 2;
  with_options(o);
  for (int i = 0; i < 3; ++i) ASSERT_EQ(router_->handle(create("/api/loops", "10.0.0.1")).status, 201);
  auto over = router_->handle(create("/api/loops", "10.0.0.1"));
  EXPECT_EQ(over.status, 429);
  EXPECT_EQ(json(over)["error"]["code"], "resource_exhausted");
  EXPECT_EQ(header(over, "Retry-After"), "3600");
  EXPECT_EQ(router_->handle(create("/api/loops", "10.0.0.2")).status, 201);
  // Study rooms count separately.
  for (int i = 0; i < 2; ++i) ASSERT_EQ(router_->handle(create("/api/study-rooms", "10.0.0.1")).status, 201);
  EXPECT_EQ(router_->handle(create("/api/study-rooms", "10.0.0.1")).status, 429);
  // A refused request (bad body, unknown template) takes nothing.
  auto bad = create("/api/loops", "10.0.0.3");
  bad.body = R"({"templateId":"nope"})";
  for (int i = 0; i < 5; ++i) ASSERT_EQ(router_->handle(bad).status, 404);
  EXPECT_EQ(router_->handle(create("/api/loops", "10.0.0.3")).status, 201);
  // An hour later the address may create again.
  clock_.advance(CreationQuota::kWindowMs);
  EXPECT_EQ(router_->handle(create("/api/loops", "10.0.0.1")).status, 201);
}

TEST_F(Creation, ForwardedForCountsOnlyBehindATrustedProxy) {
  ApiOptions o;
  o.max_loops_per_ip_hour = 1;
  with_options(o);
  ASSERT_EQ(router_->handle(create("/api/loops", "127.0.0.1", "1.1.1.1")).status, 201);
  EXPECT_EQ(router_->handle(create("/api/loops", "127.0.0.1", "2.2.2.2")).status, 429)
      << "untrusted: the socket address counts, whatever the header says";
  o.trust_proxy = true;
  with_options(o);
  ASSERT_EQ(router_->handle(create("/api/loops", "127.0.0.1", "1.1.1.1")).status, 201);
  EXPECT_EQ(router_->handle(create("/api/loops", "127.0.0.1", "9.9.9.9, 2.2.2.2")).status, 201);
  EXPECT_EQ(router_->handle(create("/api/loops", "127.0.0.1", "2.2.2.2")).status, 429);
}

TEST_F(Creation, WithoutAnonymousCreationBothAre403AndNothingIsStored) {
  ApiOptions o;
  o.allow_anonymous_create = false;
  with_options(o);
  for (const char* path : {"/api/loops", "/api/study-rooms"}) {
    auto r = router_->handle(create(path, "10.0.0.1"));
    EXPECT_EQ(r.status, 403) << path;
    EXPECT_EQ(json(r)["error"]["code"], "forbidden");
    EXPECT_NE(json(r)["error"]["message"].get<std::string>().find("allow-anonymous-create"), std::string::npos);
  }
  auto count = db_->prepare("SELECT (SELECT COUNT(*) FROM loops) + (SELECT COUNT(*) FROM study_rooms)");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(count->step().ok());
  EXPECT_EQ(count->column_int64(0), 0);
}
