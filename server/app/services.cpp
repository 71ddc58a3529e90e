#include "app/services.hpp"

#include <filesystem>

#include "common/log.hpp"
#include "common/metrics.hpp"

namespace mockloop::app {

struct Services::State {};

Services::Services(Options options, std::string version)
    : options_(std::move(options)),
      version_(std::move(version)),
      started_at_(std::chrono::steady_clock::now()),
      server_(std::make_unique<net::Server>(options_.net)),
      state_(std::make_unique<State>()) {}

Services::~Services() = default;

Result<void> Services::start() {
  metrics::gauge("mockloop_build_info", "Build information (always 1)",
                 "version=\"" + version_ + "\",compiler=\"gcc " + __VERSION__ + "\"")
      .set(1);
  server_->add_http_route("/healthz", [this](const net::Request& req) {
    auto up = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_at_);
    net::Response r;
    r.body = "{\"status\":\"ok\",\"version\":\"" + version_ + "\",\"uptime_seconds\":" + std::to_string(up.count()) + "}";
    if (req.method != "GET" && req.method != "HEAD") return net::json_error(405, "method_not_allowed", "use GET");
    return r;
  });
  server_->add_http_route("/metrics", [](const net::Request& req) {
    if (req.method != "GET" && req.method != "HEAD") return net::json_error(405, "method_not_allowed", "use GET");
    net::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics::render();
    return r;
  });
  auto listening = server_->start();
  if (!listening) return listening;
  log::info("app", "listening", {{"addr", options_.net.host + ":" + std::to_string(server_->port())}});
  return {};
}

void Services::run() { server_->run(); }

}  // namespace mockloop::app
