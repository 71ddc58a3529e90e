// The /yjs route's token check: a name whose check blocks (a loop document: SQLite) is
// accepted at once and checked on the pool, never on the caller's (io) thread; a refusal
// then closes with 4000 + the HTTP status (4401, 4403, 4404), an allowed connection joins.
// Names whose check is quick are still answered inside the route.
#include "app/yjs_endpoint.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <thread>

using namespace mockloop;
using namespace std::chrono_literals;

namespace {

// A connection whose posted work the test runs by hand, as its io thread would.
class FakeConn final : public net::WsConnection {
 public:
  uint64_t id() const override { return 42; }
  void send(std::shared_ptr<const std::vector<uint8_t>>) override {
    std::lock_guard lock(mu_);
    ++sent;
  }
  void close(uint16_t c, std::string r) override {
    std::lock_guard lock(mu_);
    if (code != 0) return;
    code = c;
    reason = std::move(r);
  }
  bool post(std::function<void()> fn) override {
    {
      std::lock_guard lock(mu_);
      posted_.push_back(std::move(fn));
    }
    cv_.notify_all();
    return true;
  }
  void pause_reads_until(std::chrono::steady_clock::time_point) override {}

  // Runs posted work, waiting up to 5 s for the first; false if none came.
  bool run_posted() {
    std::deque<std::function<void()>> batch;
    {
      std::unique_lock lock(mu_);
      if (!cv_.wait_for(lock, 5s, [&] { return !posted_.empty(); })) return false;
      batch.swap(posted_);
    }
    for (auto& fn : batch) fn();
    return true;
  }
  uint16_t close_code() {
    std::lock_guard lock(mu_);
    return code;
  }
  // Drops work never run (it may hold the handler, which holds this connection: a cycle a
  // real connection breaks when its io context stops).
  void drop_posted() {
    std::deque<std::function<void()>> gone;
    std::lock_guard lock(mu_);
    gone.swap(posted_);
  }

  int sent = 0;
  uint16_t code = 0;
  std::string reason;

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::function<void()>> posted_;
};

// Names starting with "slow-" block until released and answer `decision`; other names are
// allowed at once. Records the threads that ran authorize().
class HeldAuthorizer final : public room::Authorizer {
 public:
  room::AccessDecision authorize(std::string_view doc_name, std::string_view) override {
    {
      std::lock_guard lock(mu);
      threads.push_back(std::this_thread::get_id());
    }
    if (!blocks(doc_name)) return room::AccessDecision::allow(false);
    released.wait();
    return decision;
  }
  bool blocks(std::string_view doc_name) const override { return doc_name.rfind("slow-", 0) == 0; }

  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  room::AccessDecision decision = room::AccessDecision::allow(false, "tok-1");
  std::mutex mu;  // guards threads
  std::vector<std::thread::id> threads;
};

class YjsRouteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    room::RegistryOptions o;  // no db_path: in memory
    registry_ = room::DocRegistry::open(std::move(o)).value();
    route_ = app::make_yjs_route(*registry_, auth_, pool_);
  }
  void TearDown() override {
    pool_.stop();
    registry_->stop_loading();
  }
  // Calls the route on another thread and requires it to return within 5 s (it must not
  // wait for the check).
  net::WsAccept accept(const std::string& path, const std::shared_ptr<FakeConn>& conn) {
    net::Request req;
    req.path = path;
    req.query = "token=t";
    req.remote = "10.0.0.1";
    auto f = std::async(std::launch::async, [&] {
      route_thread_ = std::this_thread::get_id();
      return route_(req, conn);
    });
    if (f.wait_for(5s) != std::future_status::ready) {
      auth_.release.set_value();
      ADD_FAILURE() << "the route waited for the token check";
    }
    return f.get();
  }

  HeldAuthorizer auth_;
  loop::WorkerPool pool_{1, 16};
  std::unique_ptr<room::DocRegistry> registry_;
  net::WsRoute route_;
  std::thread::id route_thread_;  // the "io thread" that called the route
};

}  // namespace

class YjsRefusalTest : public YjsRouteTest, public ::testing::WithParamInterface<Errc> {};

TEST_P(YjsRefusalTest, ABlockingCheckRunsOnThePoolAndARefusalClosesWithItsCode) {
  const Errc code = GetParam();
  auth_.decision = room::AccessDecision::refuse(code, "no");
  auto conn = std::make_shared<FakeConn>();
  auto a = accept("/yjs/slow-doc", conn);
  ASSERT_TRUE(a.handler) << "accepted before the check";
  EXPECT_EQ(conn->close_code(), 0);
  a.handler->on_message(std::vector<uint8_t>{0, 0, 1, 0});  // waits for the check
  auth_.release.set_value();
  ASSERT_TRUE(conn->run_posted());
  EXPECT_EQ(conn->close_code(), 4000 + http_status(code));
  EXPECT_EQ(conn->sent, 0) << "a refused connection receives nothing";
  a.handler->on_close();
  std::lock_guard lock(auth_.mu);
  ASSERT_EQ(auth_.threads.size(), 1u);
  EXPECT_NE(auth_.threads[0], route_thread_) << "the check ran on the io thread";
}

INSTANTIATE_TEST_SUITE_P(Codes, YjsRefusalTest, ::testing::Values(Errc::unauthenticated, Errc::forbidden, Errc::not_found));

TEST_F(YjsRouteTest, AnAllowedConnectionJoinsOnceChecked) {
  auto conn = std::make_shared<FakeConn>();
  auto a = accept("/yjs/slow-doc", conn);
  ASSERT_TRUE(a.handler);
  EXPECT_EQ(conn->sent, 0);
  auth_.release.set_value();
  ASSERT_TRUE(conn->run_posted());  // the check's answer: the join starts
  for (int i = 0; i < 50 && conn->sent == 0; ++i) conn->run_posted();
  EXPECT_GT(conn->sent, 0) << "the server's sync step 1 after the join";
  EXPECT_EQ(conn->close_code(), 0);
  a.handler->on_close();
  conn->drop_posted();
}

TEST_F(YjsRouteTest, AQuickCheckIsAnsweredInsideTheRoute) {
  auto conn = std::make_shared<FakeConn>();
  auto a = accept("/yjs/quick-doc", conn);
  ASSERT_TRUE(a.handler);
  EXPECT_EQ(a.principal, "ip:10.0.0.1");
  a.handler->on_close();
  conn->drop_posted();
}

TEST_F(YjsRouteTest, AFullCheckQueueRefusesWithBusy) {
  loop::WorkerPool full(1, 0);
  auto route = app::make_yjs_route(*registry_, auth_, full);
  net::Request req;
  req.path = "/yjs/slow-doc";
  auto a = route(req, std::make_shared<FakeConn>());
  EXPECT_FALSE(a.handler);
  EXPECT_EQ(a.close_code, close_code(Errc::busy));
  auth_.release.set_value();
}
