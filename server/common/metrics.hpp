// Process-wide metrics in Prometheus text format. Counters, gauges and histograms are
// registered once by name (with optional constant labels) and live for the whole process;
// updating them is lock-free (relaxed atomics) and safe from any thread. Registration and
// rendering take the registry mutex.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace mockloop::metrics {

class Counter {
 public:
  void inc(uint64_t n = 1) { v_.fetch_add(n, std::memory_order_relaxed); }
  uint64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<uint64_t> v_{0};
};

class Gauge {
 public:
  void add(int64_t n) { v_.fetch_add(n, std::memory_order_relaxed); }
  void sub(int64_t n) { v_.fetch_sub(n, std::memory_order_relaxed); }
  void set(int64_t n) { v_.store(n, std::memory_order_relaxed); }
  int64_t value() const { return v_.load(std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> v_{0};
};

// Latency histogram in seconds with fixed buckets from 50 us to 10 s.
class Histogram {
 public:
  static constexpr std::array<double, 12> kBounds = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025,
                                                     0.005,   0.01,   0.025,   0.1,    1.0,   10.0};
  void observe(double seconds);
  std::array<uint64_t, kBounds.size() + 1> buckets() const;  // non-cumulative; last = +Inf
  uint64_t count() const { return count_.load(std::memory_order_relaxed); }
  double sum() const;

 private:
  std::array<std::atomic<uint64_t>, kBounds.size() + 1> buckets_{};
  std::atomic<uint64_t> count_{0};
  std::atomic<uint64_t> sum_ns_{0};
};

// The registry. `name` is the full metric name (e.g. "mockloop_ws_messages_in_total");
// `labels` is the label set without braces (e.g. "reason=\"rate\""), empty for none.
// The same name+labels always returns the same object.
Counter& counter(const std::string& name, const std::string& help, const std::string& labels = "");
Gauge& gauge(const std::string& name, const std::string& help, const std::string& labels = "");
Histogram& histogram(const std::string& name, const std::string& help, const std::string& labels = "");

// Everything registered, in Prometheus text exposition format 0.0.4.
std::string render();

}  // namespace mockloop::metrics
