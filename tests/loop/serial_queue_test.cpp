// SerialQueue: jobs run in post order, one at a time, never on the caller's thread; the
// bound refuses with Errc::busy; queues run in parallel with each other.
#include "loop/serial_queue.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>
#include <vector>

using namespace mockloop;
using namespace mockloop::loop;

namespace {

// Blocks the jobs that wait on it until opened.
struct Gate {
  std::promise<void> p;
  std::shared_future<void> f = p.get_future().share();
  void wait() const { f.wait(); }
  void open() { p.set_value(); }
};

}  // namespace

TEST(SerialQueue, RunsJobsInOrderOneAtATimeOffTheCallersThread) {
  WorkerPool pool(4, 64);
  auto q = SerialQueue::create(pool, 1000);
  std::mutex mu;
  std::vector<int> order;
  std::atomic<int> running{0};
  std::atomic<bool> overlapped{false};
  std::atomic<bool> on_caller{false};
  const auto caller = std::this_thread::get_id();
  for (int i = 0; i < 500; ++i) {
    ASSERT_TRUE(q->post([&, i] {
      if (++running > 1) overlapped = true;
      if (std::this_thread::get_id() == caller) on_caller = true;
      {
        std::lock_guard lock(mu);
        order.push_back(i);
      }
      --running;
    }).ok());
  }
  std::promise<void> done;
  ASSERT_TRUE(q->post([&] { done.set_value(); }).ok());
  done.get_future().wait();
  std::lock_guard lock(mu);
  ASSERT_EQ(order.size(), 500u);
  for (int i = 0; i < 500; ++i) EXPECT_EQ(order[i], i);
  EXPECT_FALSE(overlapped);
  EXPECT_FALSE(on_caller);
}

TEST(SerialQueue, RefusesPastItsBoundWithBusy) {
  Gate gate;  // declared first: they must outlive the pool, whose worker may still be inside
  std::promise<void> started;
  WorkerPool pool(1, 64);
  auto q = SerialQueue::create(pool, 2);
  ASSERT_TRUE(q->post([&] {
    started.set_value();
    gate.wait();
  }).ok());
  started.get_future().wait();  // running: does not count
  auto a = q->post([] {});
  auto b = q->post([] {});
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(*a, 1u);
  EXPECT_EQ(*b, 2u);
  auto c = q->post([] {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, Errc::busy);
  gate.open();
}

TEST(SerialQueue, AStuckQueueDoesNotHoldUpAnother) {
  Gate gate;  // declared first: it must outlive the pool, whose worker may still be leaving wait()
  WorkerPool pool(2, 64);
  auto stuck = SerialQueue::create(pool, 8);
  auto other = SerialQueue::create(pool, 8);
  ASSERT_TRUE(stuck->post([&] { gate.wait(); }).ok());
  std::promise<void> ran;
  ASSERT_TRUE(other->post([&] { ran.set_value(); }).ok());
  EXPECT_EQ(ran.get_future().wait_for(std::chrono::seconds(5)), std::future_status::ready);
  gate.open();
}

TEST(SerialQueue, APoolThatRefusesMakesThePostFail) {
  WorkerPool pool(1, 4);
  pool.stop();
  auto q = SerialQueue::create(pool, 8);
  auto r = q->post([] {});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, Errc::busy);
}
