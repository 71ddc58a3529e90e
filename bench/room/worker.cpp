// Load-generator worker in C++ (BENCH_GEN=cpp, the default; worker.mjs is the Node one).
// Same job and the same commands and replies as worker.mjs, one JSON object per line on
// stdin (commands) and stdout (replies): it holds many raw WebSocket clients, writes
// pre-encoded y-protocols updates at a fixed rate and, on receive, only scans the bytes for
// send markers (proto.mjs describes the update and the marker).
//
// Why: the generator runs on the same 2 cores as the server it measures, so its own work
// per received message is counted in every server's fan-out latency. A Node worker spends
// tens of microseconds per message (event loop, streams, buffers, garbage collection);
// this one reads each socket with one system call and scans the bytes in place.
//
// One thread, epoll, non-blocking sockets. Clients are masked as RFC 6455 requires (the key
// need not be secret here). A connection that fails or is closed counts as closed.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <iostream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace {

using json = nlohmann::json;

constexpr std::size_t kReadChunk = 256 * 1024;          // one read's most
constexpr std::size_t kMaxMessage = 64 * 1024 * 1024;   // a larger frame is a protocol error here
constexpr std::size_t kHistBuckets = 250000;            // 20 us buckets up to 5 s, as proto.mjs Hist
constexpr int kMarkerLen = 2 + 16 + 6;                  // "~T" + 16-digit send us + 6-digit writer id

int64_t now_us() {
  timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000;
}
double mono_ms() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}
double cpu_s() {
  rusage u;
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void put_var(std::string& s, uint64_t v) {
  while (v > 0x7f) {
    s.push_back(static_cast<char>(0x80 | (v & 0x7f)));
    v >>= 7;
  }
  s.push_back(static_cast<char>(v));
}
void put_str(std::string& s, const std::string& v) {
  put_var(s, v.size());
  s += v;
}

// Yjs update (v1) appending `str` at `clock` of `client` to Y.Text 't' (as proto.mjs).
std::string append_update(uint64_t client, uint64_t clock, const std::string& str) {
  std::string e;
  put_var(e, 1);
  put_var(e, 1);
  put_var(e, client);
  put_var(e, clock);
  if (clock == 0) {
    e.push_back(4);
    put_var(e, 1);
    put_str(e, "t");
  } else {
    e.push_back(static_cast<char>(0x80 | 4));
    put_var(e, client);
    put_var(e, clock - 1);
  }
  put_str(e, str);
  put_var(e, 0);
  return e;
}

// y-protocols messages, with the Hocuspocus document-name prefix when `prefix` is set.
std::string with_prefix(const std::string* prefix) {
  std::string s;
  if (prefix) put_str(s, *prefix);
  return s;
}
std::string step1(const std::string* prefix) {
  std::string s = with_prefix(prefix);
  put_var(s, 0);
  put_var(s, 0);
  put_var(s, 1);
  s.push_back(0);  // empty state vector
  return s;
}
std::string sync_update(const std::string* prefix, const std::string& u) {
  std::string s = with_prefix(prefix);
  put_var(s, 0);
  put_var(s, 2);
  put_str(s, u);
  return s;
}
std::string hocus_auth(const std::string* prefix) {
  std::string s = with_prefix(prefix);
  put_var(s, 2);
  put_var(s, 0);
  put_str(s, "bench");
  return s;
}

struct Hist {
  std::vector<uint32_t> b = std::vector<uint32_t>(kHistBuckets);
  uint64_t n = 0;
  int64_t max = 0;
  void add(int64_t us) {
    int64_t k = std::min<int64_t>(kHistBuckets - 1, std::max<int64_t>(0, us / 20));
    ++b[static_cast<std::size_t>(k)];
    ++n;
    if (us > max) max = us;
  }
  json to_json() const {
    json nz = json::array();
    for (std::size_t i = 0; i < b.size(); ++i) {
      if (b[i]) nz.push_back({i, b[i]});
    }
    return {{"nz", nz}, {"n", n}, {"max", max}};
  }
};

struct Client {
  int64_t id = 0;
  uint64_t yclient = 0;
  std::string doc;
  double rate = 0;
  int fd = -1;
  enum { kConnecting, kHandshake, kOpen, kClosed } st = kConnecting;
  bool started = false, synced = false, finished = false, ok = false;
  double t0 = 0, connect_ms = 0;
  std::string in, out, frag;
  uint64_t clock = 0;
  int64_t sent = 0, recv = 0;
  // writer schedule
  double due = 0, phase = 0;
};

struct Worker {
  int ep = epoll_create1(EPOLL_CLOEXEC);
  bool hocus = false;
  std::deque<Client> clients;  // stable addresses (epoll data)
  int64_t run_t0 = INT64_MAX;  // markers sent before this belong to an earlier run
  Hist* hist = nullptr;
  // BENCH_DUMP=path: every delivery of a run (send us, writer id, receiver id, arrival us)
  // goes to path.<pid> for tail.mjs; at most kDumpMax deliveries are kept.
  static constexpr std::size_t kDumpMax = 2'000'000;
  const char* dump_path = std::getenv("BENCH_DUMP");
  std::vector<int64_t> dump;
  std::vector<char> chunk = std::vector<char>(kReadChunk);
  uint32_t mask_state = 0x9e3779b9;
  std::string host, path;
  int port = 0;
  std::size_t in_flight = 0;   // connects not yet finished

  void arm(Client& c, bool out) {
    epoll_event e{};
    e.events = EPOLLIN | (out ? EPOLLOUT : 0u);
    e.data.ptr = &c;
    epoll_ctl(ep, EPOLL_CTL_MOD, c.fd, &e);
  }

  void finish(Client& c, bool ok) {
    if (c.finished || !c.started) return;
    c.finished = true;
    c.ok = ok;
    c.connect_ms = mono_ms() - c.t0;
    --in_flight;
  }

  void close(Client& c) {
    if (c.st == Client::kClosed) return;
    if (c.fd >= 0) ::close(c.fd);
    c.fd = -1;
    c.st = Client::kClosed;
    finish(c, false);
  }

  void write_raw(Client& c, const char* p, std::size_t n) {
    if (c.st == Client::kClosed) return;
    if (c.out.empty()) {
      ssize_t w = ::send(c.fd, p, n, MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w < 0 && errno != EAGAIN) return close(c);
      std::size_t done = w < 0 ? 0 : static_cast<std::size_t>(w);
      if (done == n) return;
      c.out.append(p + done, n - done);
      arm(c, true);
      return;
    }
    c.out.append(p, n);
  }

  // One masked frame.
  void frame(Client& c, uint8_t op, const std::string& payload) {
    std::string f;
    std::size_t n = payload.size();
    f.push_back(static_cast<char>(0x80 | op));
    if (n < 126) {
      f.push_back(static_cast<char>(0x80 | n));
    } else if (n < 65536) {
      f.push_back(static_cast<char>(0x80 | 126));
      f.push_back(static_cast<char>(n >> 8));
      f.push_back(static_cast<char>(n & 0xff));
    } else {
      f.push_back(static_cast<char>(0x80 | 127));
      for (int i = 7; i >= 0; --i) f.push_back(static_cast<char>((n >> (8 * i)) & 0xff));
    }
    mask_state ^= mask_state << 13;
    mask_state ^= mask_state >> 17;
    mask_state ^= mask_state << 5;
    uint8_t m[4] = {static_cast<uint8_t>(mask_state >> 24), static_cast<uint8_t>(mask_state >> 16),
                    static_cast<uint8_t>(mask_state >> 8), static_cast<uint8_t>(mask_state)};
    f.append(reinterpret_cast<const char*>(m), 4);
    std::size_t h = f.size();
    f += payload;
    for (std::size_t i = 0; i < n; ++i) f[h + i] = static_cast<char>(static_cast<uint8_t>(f[h + i]) ^ m[i & 3]);
    write_raw(c, f.data(), f.size());
  }

  void start_connect(Client& c) {
    c.t0 = mono_ms();
    c.started = true;
    ++in_flight;
    c.fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (c.fd < 0) {
      c.st = Client::kClosed;
      return finish(c, false);
    }
    int one = 1;
    setsockopt(c.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(static_cast<uint16_t>(port));
    inet_pton(AF_INET, host.c_str(), &a.sin_addr);
    epoll_event e{};
    e.events = EPOLLIN | EPOLLOUT;
    e.data.ptr = &c;
    if (connect(c.fd, reinterpret_cast<sockaddr*>(&a), sizeof a) < 0 && errno != EINPROGRESS) return close(c);
    epoll_ctl(ep, EPOLL_CTL_ADD, c.fd, &e);
  }

  void on_connected(Client& c) {
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c.fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err) return close(c);
    c.st = Client::kHandshake;
    arm(c, false);
    std::string req = "GET " + path + "/" + c.doc + " HTTP/1.1\r\nHost: " + host + ":" + std::to_string(port) +
                      "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                      "Sec-WebSocket-Version: 13\r\n\r\n";
    write_raw(c, req.data(), req.size());
  }

  void on_open(Client& c) {
    c.st = Client::kOpen;
    const std::string* prefix = hocus ? &c.doc : nullptr;
    if (hocus) frame(c, 0x2, hocus_auth(prefix));
    frame(c, 0x2, step1(prefix));
  }

  void on_message(Client& c, const char* p, std::size_t n, int64_t at) {
    if (!c.synced) {
      std::size_t i = 0;
      auto rd = [&]() -> uint64_t {
        uint64_t v = 0;
        for (int s = 0; i < n && s < 64; s += 7) {
          uint8_t b = static_cast<uint8_t>(p[i++]);
          v |= static_cast<uint64_t>(b & 0x7f) << s;
          if (b < 0x80) break;
        }
        return v;
      };
      if (hocus) i += rd();
      uint64_t type = i < n ? rd() : 99;
      int64_t sub = (type == 0 || type == 4) && i < n ? static_cast<int64_t>(rd()) : -1;
      if ((type == 0 || type == 4) && sub == 1) {
        c.synced = true;
        finish(c, true);
      }
      return;
    }
    // Markers: "~T" + 16 digits + 6 digits.
    const char* end = p + n;
    const char* q = static_cast<const char*>(memchr(p, '~', n));
    while (q && end - q >= kMarkerLen) {
      bool ok = q[1] == 'T';
      int64_t ts = 0, id = 0;
      for (int k = 2; ok && k < 18; ++k) {
        if (q[k] < '0' || q[k] > '9') ok = false;
        else ts = ts * 10 + (q[k] - '0');
      }
      for (int k = 18; ok && k < 24; ++k) {
        if (q[k] < '0' || q[k] > '9') ok = false;
        else id = id * 10 + (q[k] - '0');
      }
      if (ok) {
        if (id != c.id && ts >= run_t0 && hist) {
          ++c.recv;
          hist->add(at - ts);
          if (dump_path && dump.size() < 4 * kDumpMax) dump.insert(dump.end(), {ts, id, c.id, at});
        }
        q += kMarkerLen;
      } else {
        ++q;
      }
      q = static_cast<const char*>(memchr(q, '~', static_cast<std::size_t>(end - q)));
    }
  }

  // Parses every whole frame in c.in.
  void parse(Client& c, int64_t at) {
    std::size_t p = 0;
    const std::string& b = c.in;
    while (c.st == Client::kOpen && b.size() - p >= 2) {
      auto u = [&](std::size_t k) { return static_cast<uint8_t>(b[p + k]); };
      bool fin = u(0) & 0x80;
      uint8_t op = u(0) & 0x0f;
      uint64_t len = u(1) & 0x7f;
      bool masked = u(1) & 0x80;
      std::size_t h = 2;
      if (len == 126) {
        if (b.size() - p < 4) break;
        len = (static_cast<uint64_t>(u(2)) << 8) | u(3);
        h = 4;
      } else if (len == 127) {
        if (b.size() - p < 10) break;
        len = 0;
        for (int k = 0; k < 8; ++k) len = (len << 8) | u(2 + static_cast<std::size_t>(k));
        h = 10;
      }
      if (masked || len > kMaxMessage) return close(c);
      if (b.size() - p < h + len) break;
      const char* payload = b.data() + p + h;
      p += h + len;
      if (op == 0x9) {
        frame(c, 0xa, std::string(payload, len));
      } else if (op == 0x8) {
        return close(c);
      } else if (op <= 0x2) {
        if (!fin) {
          c.frag.append(payload, len);
          continue;
        }
        if (!c.frag.empty()) {
          c.frag.append(payload, len);
          std::string m = std::move(c.frag);
          c.frag.clear();
          on_message(c, m.data(), m.size(), at);
        } else {
          on_message(c, payload, len, at);
        }
      }
    }
    if (c.st != Client::kClosed) c.in.erase(0, p);
  }

  void on_readable(Client& c) {
    for (;;) {
      ssize_t n = ::read(c.fd, chunk.data(), chunk.size());
      if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
      if (n <= 0) return close(c);
      int64_t at = now_us();
      c.in.append(chunk.data(), static_cast<std::size_t>(n));
      if (c.st == Client::kHandshake) {
        auto end = c.in.find("\r\n\r\n");
        if (end == std::string::npos) continue;
        if (c.in.compare(0, 13, "HTTP/1.1 101 ") != 0) return close(c);
        c.in.erase(0, end + 4);
        on_open(c);
      }
      parse(c, at);
      if (c.st == Client::kClosed) return;
      if (static_cast<std::size_t>(n) < chunk.size()) return;  // drained
    }
  }

  void on_writable(Client& c) {
    if (c.st == Client::kConnecting) return on_connected(c);
    while (!c.out.empty()) {
      ssize_t w = ::send(c.fd, c.out.data(), c.out.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
      if (w < 0 && errno == EAGAIN) return;
      if (w < 0) return close(c);
      c.out.erase(0, static_cast<std::size_t>(w));
    }
    arm(c, false);
  }

  // Handles socket events for up to `ms` milliseconds (one wait).
  void pump(int ms) {
    epoll_event ev[256];
    dispatch(ev, epoll_wait(ep, ev, 256, ms));
  }

  void dispatch(epoll_event* ev, int n) {
    for (int i = 0; i < n; ++i) {
      auto& c = *static_cast<Client*>(ev[i].data.ptr);
      if (c.st == Client::kClosed) continue;
      if (ev[i].events & (EPOLLOUT)) on_writable(c);
      if (c.st == Client::kClosed) continue;
      if (ev[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP)) {
        if (c.st == Client::kConnecting) on_connected(c);
        if (c.st != Client::kClosed) on_readable(c);
      }
    }
  }

  // Handles the socket events of one wait, which ends by the monotonic time `deadline_ms`
  // at the latest (microsecond precision).
  void pump_until(double deadline_ms) {
    epoll_event ev[256];
    double left = std::max(0.0, deadline_ms - mono_ms());
    timespec ts{static_cast<time_t>(left / 1000), static_cast<long>(std::fmod(left, 1000.0) * 1e6)};
    int n = epoll_pwait2(ep, ev, 256, &ts, nullptr);
    if (n < 0 && errno == ENOSYS) return pump(static_cast<int>(std::ceil(left)));
    dispatch(ev, n);
  }

  // Handles socket events for `ms` milliseconds.
  void pump_for(double ms) {
    for (double end = mono_ms() + ms; mono_ms() < end;) pump_until(end);
  }

  json setup(const json& msg) {
    hocus = msg.value("hocus", false);
    std::string base = msg.at("base");  // ws://host:port/path
    auto rest = base.substr(base.find("://") + 3);
    auto slash = rest.find('/');
    auto hostport = rest.substr(0, slash);
    path = slash == std::string::npos ? "" : rest.substr(slash);
    auto colon = hostport.rfind(':');
    host = hostport.substr(0, colon);
    if (host == "localhost") host = "127.0.0.1";
    port = std::stoi(hostport.substr(colon + 1));
    std::size_t conc = msg.value("concurrency", 200);
    std::size_t first = clients.size();
    for (const auto& j : msg.at("clients")) {
      Client& c = clients.emplace_back();
      c.id = j.at("id");
      c.yclient = j.at("client");
      c.doc = j.at("doc");
      c.rate = j.at("rate");
    }
    std::size_t next = first;
    while (next < clients.size() || in_flight > 0) {
      while (next < clients.size() && in_flight < conc) start_connect(clients[next++]);
      pump(100);
    }
    json ms = json::array();
    int failed = 0, open = 0;
    for (std::size_t i = first; i < clients.size(); ++i) {
      ms.push_back(clients[i].connect_ms);
      if (!clients[i].ok) ++failed;
    }
    for (const auto& c : clients) {
      if (c.ok && c.st != Client::kClosed) ++open;
    }
    return {{"ev", "connected"}, {"connectMs", ms}, {"failed", failed}, {"open", open}};
  }

  json run(const json& msg) {
    Hist h;
    hist = &h;
    for (auto& c : clients) {
      c.recv = 0;
      c.sent = 0;
    }
    run_t0 = msg.at("t0Us");
    while (now_us() < run_t0) pump(1);
    double scale = msg.value("scale", 1.0);
    double duration = msg.at("durationMs");
    std::string pad(msg.value("pad", 8), 'x');
    std::vector<Client*> writers;
    for (auto& c : clients) {
      if (c.rate > 0) {
        c.due = 0;
        c.phase = 1 - std::fmod(static_cast<double>(c.id) * 0.6180339887498949, 1.0);
        writers.push_back(&c);
      }
    }
    double cpu0 = cpu_s();
    double start = mono_ms();
    // tickMs 0 (the default): each writer sends at its own due time, as independent users
    // would; tickMs > 0: every due update goes out on a shared tick (worker.mjs uses 5 ms),
    // which sends the writers whose times fall in one tick together.
    double tick = msg.value("tickMs", 0.0);
    char mark[32];
    for (double next_tick = start;;) {
      double now = mono_ms();
      double el = (now - start) / 1000;
      if (el * 1000 >= duration) break;
      double next = start + duration;
      if (tick <= 0 || now >= next_tick) {
        for (Client* c : writers) {
          if (c->st == Client::kClosed) continue;
          double rate = c->rate * scale;
          double want = std::floor(el * rate + c->phase);
          while (c->due < want) {
            std::snprintf(mark, sizeof mark, "~T%016lld%06lld", static_cast<long long>(now_us()),
                          static_cast<long long>(c->id));
            std::string s = std::string(mark) + pad;
            const std::string* prefix = hocus ? &c->doc : nullptr;
            frame(*c, 0x2, sync_update(prefix, append_update(c->yclient, c->clock, s)));
            c->clock += s.size();
            ++c->sent;
            ++c->due;
          }
          if (tick <= 0) next = std::min(next, start + 1000 * (c->due + 1 - c->phase) / rate);
        }
        while (tick > 0 && next_tick <= now) next_tick += tick;
      }
      if (tick > 0) next = std::min(next, next_tick);
      pump_until(next);
    }
    // Drain: until nothing more arrives for 300 ms (or the cap).
    double cap = mono_ms() + msg.value("drainMs", 3000.0);
    for (int64_t last = -1;;) {
      pump_for(300);
      int64_t total = 0;
      for (const auto& c : clients) total += c.recv;
      if (total == last || mono_ms() > cap) break;
      last = total;
    }
    double cpu = cpu_s() - cpu0;
    if (dump_path) {
      std::string file = std::string(dump_path) + "." + std::to_string(getpid());
      if (FILE* f = std::fopen(file.c_str(), "w")) {
        std::string text = json(dump).dump();
        std::fwrite(text.data(), 1, text.size(), f);
        std::fclose(f);
      }
      dump.clear();
    }
    json sent = json::array(), recv = json::array();
    for (const auto& c : clients) {
      if (c.sent) sent.push_back({c.id, c.doc, c.sent});
      recv.push_back({c.id, c.doc, c.recv, c.st == Client::kClosed ? 1 : 0});
    }
    hist = nullptr;
    return {{"ev", "ran"}, {"hist", h.to_json()}, {"sent", sent}, {"recv", recv}, {"cpuS", cpu},
            {"wallS", (mono_ms() - start) / 1000}};
  }
};

}  // namespace

int main() {
  rlimit r;
  if (getrlimit(RLIMIT_NOFILE, &r) == 0) {
    r.rlim_cur = r.rlim_max;
    setrlimit(RLIMIT_NOFILE, &r);
  }
  Worker w;
  auto reply = [](const json& j) { std::cout << j.dump() << '\n' << std::flush; };
  reply({{"ev", "ready"}});
  std::string line;
  while (std::getline(std::cin, line)) {
    json msg;
    try {
      msg = json::parse(line);
      std::string cmd = msg.at("cmd");
      if (cmd == "setup") {
        reply(w.setup(msg));
      } else if (cmd == "run") {
        reply(w.run(msg));
      } else if (cmd == "close") {
        for (auto& c : w.clients) w.close(c);
        reply({{"ev", "closed"}});
        return 0;
      } else {
        std::cerr << "worker: unknown command " << cmd << "\n";
        return 2;
      }
    } catch (const std::exception& e) {
      std::cerr << "worker: bad command: " << e.what() << "\n";
      return 2;
    }
  }
  return 0;
}
