#include "common/metrics.hpp"

#include <sstream>

namespace mockloop::metrics {
namespace {

struct Family {
  std::string help;
  std::string type;
  std::map<std::string, std::unique_ptr<Counter>> counters;
  std::map<std::string, std::unique_ptr<Gauge>> gauges;
  std::map<std::string, std::unique_ptr<Histogram>> histograms;
};

struct Registry {
  std::mutex mu;                         // guards families
  std::map<std::string, Family> families;
};

Registry& reg() {
  static Registry* r = new Registry();  // never destroyed: metrics outlive every thread
  return *r;
}

template <typename T>
T& get(std::map<std::string, std::unique_ptr<T>>& m, const std::string& labels) {
  auto& slot = m[labels];
  if (!slot) slot = std::make_unique<T>();
  return *slot;
}

Family& family(const std::string& name, const std::string& help, const char* type) {
  Family& f = reg().families[name];
  if (f.type.empty()) {
    f.help = help;
    f.type = type;
  }
  return f;
}

std::string with_labels(const std::string& name, const std::string& labels, const std::string& extra = "") {
  std::string all = labels;
  if (!extra.empty()) all += (all.empty() ? "" : ",") + extra;
  return all.empty() ? name : name + "{" + all + "}";
}

}  // namespace

void Histogram::observe(double seconds) {
  size_t i = 0;
  while (i < kBounds.size() && seconds > kBounds[i]) ++i;
  buckets_[i].fetch_add(1, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
  sum_ns_.fetch_add(static_cast<uint64_t>(seconds * 1e9), std::memory_order_relaxed);
}

std::array<uint64_t, Histogram::kBounds.size() + 1> Histogram::buckets() const {
  std::array<uint64_t, kBounds.size() + 1> out{};
  for (size_t i = 0; i < out.size(); ++i) out[i] = buckets_[i].load(std::memory_order_relaxed);
  return out;
}

double Histogram::sum() const { return static_cast<double>(sum_ns_.load(std::memory_order_relaxed)) / 1e9; }

Counter& counter(const std::string& name, const std::string& help, const std::string& labels) {
  std::lock_guard lock(reg().mu);
  return get(family(name, help, "counter").counters, labels);
}

Gauge& gauge(const std::string& name, const std::string& help, const std::string& labels) {
  std::lock_guard lock(reg().mu);
  return get(family(name, help, "gauge").gauges, labels);
}

Histogram& histogram(const std::string& name, const std::string& help, const std::string& labels) {
  std::lock_guard lock(reg().mu);
  return get(family(name, help, "histogram").histograms, labels);
}

std::string render() {
  std::ostringstream out;
  std::lock_guard lock(reg().mu);
  for (const auto& [name, f] : reg().families) {
    out << "# HELP " << name << ' ' << f.help << "\n# TYPE " << name << ' ' << f.type << '\n';
    for (const auto& [labels, c] : f.counters) out << with_labels(name, labels) << ' ' << c->value() << '\n';
    for (const auto& [labels, g] : f.gauges) out << with_labels(name, labels) << ' ' << g->value() << '\n';
    for (const auto& [labels, h] : f.histograms) {
      auto b = h->buckets();
      uint64_t cum = 0;
      for (size_t i = 0; i < b.size(); ++i) {
        cum += b[i];
        std::ostringstream le;
        if (i < Histogram::kBounds.size()) le << Histogram::kBounds[i]; else le << "+Inf";
        out << with_labels(name + "_bucket", labels, "le=\"" + le.str() + "\"") << ' ' << cum << '\n';
      }
      out << with_labels(name + "_sum", labels) << ' ' << h->sum() << '\n';
      out << with_labels(name + "_count", labels) << ' ' << h->count() << '\n';
    }
  }
  return out.str();
}

}  // namespace mockloop::metrics
