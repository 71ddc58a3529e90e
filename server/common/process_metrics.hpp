// The process's own gauges for /metrics, in the names Prometheus client libraries use
// (process_cpu_seconds_total, process_resident_memory_bytes, process_open_fds, ...), read
// from /proc/self at each call. Linux only; on a read failure the metric is left out.
#pragma once

#include <string>

namespace mockloop::metrics {

// Prometheus text exposition format 0.0.4, each metric with its HELP and TYPE lines.
std::string process_text();

}  // namespace mockloop::metrics
