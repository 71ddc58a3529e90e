// The REST API over the real transport (one io thread): a store-bound request runs on the
// router's workers, so while its handler is held (a test hook) the same io thread goes on
// serving other connections, and the held request is answered once released.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <future>
#include <thread>

#include "app/loop_endpoints.hpp"
#include "../loop/loop_fixture.hpp"
#include "net/server.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

namespace {

// A blocking client socket with a receive timeout, so a broken server fails the test
// instead of hanging it.
class Client {
 public:
  explicit Client(uint16_t port) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ok_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
  }
  ~Client() { ::close(fd_); }
  bool ok() const { return ok_; }

  void send(const std::string& method, const std::string& target, const std::string& token = "",
            const std::string& body = "") {
    std::string req = method + " " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n";
    if (!token.empty()) req += "Authorization: Bearer " + token + "\r\n";
    req += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
    ASSERT_EQ(::write(fd_, req.data(), req.size()), static_cast<ssize_t>(req.size()));
  }
  // Reads until the server closes; returns the status code (0 on timeout or error).
  int status() {
    std::string in;
    char buf[4096];
    for (;;) {
      ssize_t n = ::read(fd_, buf, sizeof buf);
      if (n <= 0) break;
      in.append(buf, static_cast<size_t>(n));
    }
    response_ = in;
    return in.size() > 12 ? std::stoi(in.substr(9, 3)) : 0;
  }
  const std::string& response() const { return response_; }

 private:
  int fd_ = -1;
  bool ok_ = false;
  std::string response_;
};

}  // namespace

class ApiOverTheTransport : public LoopFixture {};

TEST_F(ApiOverTheTransport, AHeldHandlerDoesNotStopTheIoThread) {
  create_l6_loop();
  ApiOptions o;
  o.workers = 2;
  ApiRouter api(*service_, o);
  std::promise<void> entered, release;
  auto released = release.get_future().share();
  api.set_worker_hook_for_test([&, released](const net::Request& req) {
    if (req.method == "GET" && req.path == "/api/loops") {
      entered.set_value();
      released.wait();
    }
  });
  net::Config cfg;
  cfg.port = 0;
  cfg.threads = 1;
  net::Server server(cfg);
  server.add_async_http_route("/api", app::make_api_route(api));
  ASSERT_TRUE(server.start().ok());
  std::thread io([&] { server.run(); });

  Client held(server.port());
  ASSERT_TRUE(held.ok());
  held.send("GET", "/api/loops", tokens_["host"]);
  ASSERT_EQ(entered.get_future().wait_for(std::chrono::seconds(10)), std::future_status::ready);

  // The one io thread still serves: a request answered there, and a store-bound one on
  // the other worker.
  Client other(server.port());
  other.send("GET", "/api/templates");
  EXPECT_EQ(other.status(), 200);
  Client store_bound(server.port());
  store_bound.send("GET", "/api/loops/" + loop_id_, tokens_["iv1"]);
  EXPECT_EQ(store_bound.status(), 200) << store_bound.response();
  Client wrong_method(server.port());
  wrong_method.send("DELETE", "/api/templates");
  EXPECT_EQ(wrong_method.status(), 405);
  EXPECT_NE(wrong_method.response().find("Allow: GET"), std::string::npos) << wrong_method.response();
  Client bad_escape(server.port());
  bad_escape.send("GET", "/api/loops?token=%zz");
  EXPECT_EQ(bad_escape.status(), 400);

  release.set_value();
  EXPECT_EQ(held.status(), 200) << held.response();
  server.shutdown();
  io.join();
  api.stop();
}
