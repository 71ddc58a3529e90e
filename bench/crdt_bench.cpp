// crdt_bench: the editing-trace benchmark for our CRDT engine (a program that prints
// numbers, not a test). Same steps as bench/crdt/run.mjs runs on Yjs and ywasm, so
// bench/crdt/run.sh can print ratios from one run:
//   (1) apply the trace as local edits, one transaction per trace txn, keeping each
//       transaction's v1 update (observe_update_v1);
//   (2) replay those updates one by one into a fresh doc;
//   (3) encode the final state (v1);
//   (4) load it into a fresh doc;
//   (5) read the text and check it against the trace's endContent.
// Client id 1, as in run.mjs, so the encoded state can be compared byte for byte with Yjs's.
//
// Usage: crdt_bench [--runs N] [--json FILE] [--out-dir DIR] TRACE.json.gz...
//        crdt_bench --load-mem FILE   (fresh process: RSS growth from loading FILE)
// Trace format: {startContent, endContent, txns: [{patches: [[pos, delCount, insText]]}]},
// positions in code points (the traces here are BMP-only, so equal to UTF-16 units).
#include <sys/resource.h>
#include <unistd.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "crdt/crdt.hpp"

namespace {

using mockloop::crdt::Bytes;
using mockloop::crdt::Doc;
using mockloop::crdt::DocOptions;
using nlohmann::json;
using Clock = std::chrono::steady_clock;

constexpr uint64_t kClientId = 1;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

// Current resident set size in bytes (Linux).
long current_rss() {
  long pages = 0, resident = 0;
  std::FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  if (std::fscanf(f, "%ld %ld", &pages, &resident) != 2) resident = 0;
  std::fclose(f);
  return resident * sysconf(_SC_PAGESIZE);
}

long max_rss() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return ru.ru_maxrss * 1024L;
}

bool read_file(const std::string& path, std::string& out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

bool gunzip(const std::string& in, std::string& out) {
  z_stream zs{};
  if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK) return false;
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
  zs.avail_in = static_cast<uInt>(in.size());
  char buf[1 << 16];
  int rc = Z_OK;
  while (rc == Z_OK) {
    zs.next_out = reinterpret_cast<Bytef*>(buf);
    zs.avail_out = sizeof buf;
    rc = inflate(&zs, Z_NO_FLUSH);
    out.append(buf, sizeof buf - zs.avail_out);
  }
  inflateEnd(&zs);
  return rc == Z_STREAM_END;
}

struct Patch {
  uint32_t pos;
  uint32_t del;
  std::string ins;
};
struct Trace {
  std::string name;
  std::string start;
  std::string end;
  std::vector<std::vector<Patch>> txns;
};

bool load_trace(const std::string& path, Trace& t) {
  std::string gz, raw;
  if (!read_file(path, gz)) return false;
  if (path.size() > 3 && path.substr(path.size() - 3) == ".gz") {
    if (!gunzip(gz, raw)) return false;
  } else {
    raw = std::move(gz);
  }
  json j = json::parse(raw, nullptr, false);
  if (j.is_discarded()) return false;
  auto slash = path.find_last_of('/');
  t.name = path.substr(slash == std::string::npos ? 0 : slash + 1);
  if (auto dot = t.name.find(".json"); dot != std::string::npos) t.name.resize(dot);
  t.start = j.value("startContent", "");
  t.end = j.value("endContent", "");
  for (auto& txn : j["txns"]) {
    std::vector<Patch> ps;
    for (auto& p : txn["patches"]) ps.push_back({p[0].get<uint32_t>(), p[1].get<uint32_t>(), p[2].get<std::string>()});
    t.txns.push_back(std::move(ps));
  }
  return true;
}

struct Run {
  double local_ms = 0, replay_ms = 0, encode_ms = 0, load_ms = 0, read_ms = 0;
  size_t updates = 0;
  Bytes encoded;
  bool ok = false;
  std::string error;
};

Run run_once(const Trace& t) {
  Run r;
  std::vector<Bytes> updates;
  updates.reserve(t.txns.size() + 1);
  {
    auto t0 = Clock::now();
    Doc doc(DocOptions{kClientId, true});
    auto sub = doc.observe_update_v1([&](mockloop::crdt::ByteView u, mockloop::crdt::Origin) {
      updates.emplace_back(u.begin(), u.end());
    });
    auto text = doc.get_text("text");
    if (!t.start.empty()) doc.transact(0, [&] { text.insert(0, t.start); });
    for (auto& txn : t.txns) {
      doc.transact(0, [&] {
        for (auto& p : txn) {
          if (p.del > 0) text.remove(p.pos, p.del);
          if (!p.ins.empty()) text.insert(p.pos, p.ins);
        }
      });
    }
    r.local_ms = ms_since(t0);
    doc.unobserve_update(sub);
    r.updates = updates.size();

    auto t2 = Clock::now();
    auto enc = doc.encode_state_as_update_v1();
    r.encode_ms = ms_since(t2);
    if (!enc.ok()) {
      r.error = "encode: " + enc.error().message;
      return r;
    }
    r.encoded = std::move(enc.value());
  }
  bool replay_ok = false;
  {
    auto t1 = Clock::now();
    Doc doc(DocOptions{2, true});
    for (auto& u : updates) {
      auto a = doc.apply_update_v1(u);
      if (!a.ok()) {
        r.error = "replay: " + a.error().message;
        return r;
      }
    }
    r.replay_ms = ms_since(t1);
    replay_ok = doc.get_text("text").to_string() == t.end;
  }
  updates.clear();
  updates.shrink_to_fit();
  {
    auto t3 = Clock::now();
    Doc doc(DocOptions{3, true});
    auto a = doc.apply_update_v1(r.encoded);
    r.load_ms = ms_since(t3);
    if (!a.ok()) {
      r.error = "load: " + a.error().message;
      return r;
    }
    auto t4 = Clock::now();
    std::string s = doc.get_text("text").to_string();
    r.read_ms = ms_since(t4);
    r.ok = replay_ok && s == t.end;
    if (!r.ok) r.error = replay_ok ? "loaded text differs from endContent" : "replayed text differs from endContent";
  }
  return r;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.empty() ? 0 : v[v.size() / 2];
}

int load_mem(const std::string& file) {
  std::string raw;
  if (!read_file(file, raw)) return 2;
  Bytes bytes(raw.begin(), raw.end());
  raw.clear();
  raw.shrink_to_fit();
  long before = current_rss();
  Doc doc(DocOptions{3, true});
  auto a = doc.apply_update_v1(bytes);
  std::string s = doc.get_text("text").to_string();  // materialise once, as run.mjs does
  long after = current_rss();
  std::printf("{\"loaded_bytes\": %ld, \"max_rss\": %ld, \"ok\": %s}\n", after - before, max_rss(),
              a.ok() ? "true" : "false");
  return s.size() == static_cast<size_t>(-1) ? 1 : 0;
}

}  // namespace

int main(int argc, char** argv) {
  int runs = 3;
  std::string json_out, out_dir = "/tmp";
  std::vector<std::string> paths;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--load-mem" && i + 1 < argc) return load_mem(argv[i + 1]);
    if (a == "--runs" && i + 1 < argc) {
      runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--json" && i + 1 < argc) {
      json_out = argv[++i];
    } else if (a == "--out-dir" && i + 1 < argc) {
      out_dir = argv[++i];
    } else {
      paths.push_back(a);
    }
  }
  if (paths.empty()) {
    std::fprintf(stderr, "usage: %s [--runs N] [--json FILE] [--out-dir DIR] TRACE.json.gz...\n", argv[0]);
    return 2;
  }
  json results = json::array();
  int status = 0;
  for (auto& path : paths) {
    Trace t;
    if (!load_trace(path, t)) {
      std::fprintf(stderr, "cannot read trace %s\n", path.c_str());
      return 2;
    }
    std::vector<double> local, replay, encode, load, read;
    Run first;
    bool all_ok = true;
    long rss_before = max_rss();
    for (int i = 0; i < runs; ++i) {
      Run r = run_once(t);
      if (!r.ok) {
        std::fprintf(stderr, "%s: %s\n", t.name.c_str(), r.error.c_str());
        all_ok = false;
      }
      local.push_back(r.local_ms);
      replay.push_back(r.replay_ms);
      encode.push_back(r.encode_ms);
      load.push_back(r.load_ms);
      read.push_back(r.read_ms);
      if (i == 0) first = std::move(r);
    }
    std::string bin = out_dir + "/cpp-" + t.name + ".bin";
    std::ofstream(bin, std::ios::binary)
        .write(reinterpret_cast<const char*>(first.encoded.data()), static_cast<std::streamsize>(first.encoded.size()));
    // Memory of the loaded document, measured in a fresh process.
    long loaded = -1;
    std::string cmd = std::string("'") + argv[0] + "' --load-mem '" + bin + "'";
    if (std::FILE* p = popen(cmd.c_str(), "r")) {
      char line[256] = {0};
      if (std::fgets(line, sizeof line, p)) {
        json m = json::parse(line, nullptr, false);
        if (!m.is_discarded()) loaded = m.value("loaded_bytes", -1L);
      }
      pclose(p);
    }
    json res = {{"impl", "cpp"},
                {"trace", t.name},
                {"runs", runs},
                {"local_ms", median(local)},
                {"replay_ms", median(replay)},
                {"encode_ms", median(encode)},
                {"load_ms", median(load)},
                {"read_ms", median(read)},
                {"updates", first.updates},
                {"size", first.encoded.size()},
                {"loaded_mem_bytes", loaded},
                {"peak_rss_growth_bytes", max_rss() - rss_before},
                {"ok", all_ok},
                {"file", bin}};
    results.push_back(res);
    std::printf("cpp    %-20s local %.1f ms  replay %.1f ms  encode %.1f ms  load %.1f ms  read %.2f ms  size %zu  mem %.1f MiB  %s\n",
                t.name.c_str(), median(local), median(replay), median(encode), median(load), median(read),
                first.encoded.size(), static_cast<double>(loaded) / 1048576.0, all_ok ? "ok" : "TEXT MISMATCH");
    std::fflush(stdout);
    if (!all_ok) status = 1;
  }
  if (!json_out.empty()) std::ofstream(json_out) << results.dump(1);
  return status;
}
