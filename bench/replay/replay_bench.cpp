// Replay benchmark (issue 19): a simulated system design round written through the real
// store path (DocRegistry -> Writer -> doc_log + doc_history, checkpoints every N rows and at
// phase changes, compaction), then the server's answers measured as the REST handlers
// compute them (ReplayService::state / timeline, without HTTP):
//   - history storage per round-hour (history rows + checkpoints, bytes of data and of file)
//   - state?at= for random moments: p50 / p99
//   - timeline build time
//   - seek time against the round's length (15, 30, 60, 120 minutes at the same edit rate)
// Two writers (a candidate drawing, an interviewer typing); the round's clock is simulated,
// so a 60-minute round takes seconds. Each figure is the median of --runs runs.
// Prints numbers; asserts nothing.
//
//   replay_bench [--content DIR] [--runs 3] [--board-updates 20000] [--code-edits 5000]
//                [--shapes 300] [--samples 300] [--checkpoint-every 500] [--minutes N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "content/catalog.hpp"
#include "crdt/doc.hpp"
#include "loop/doc_names.hpp"
#include "loop/loop_service.hpp"
#include "loop/replay_service.hpp"
#include "room/doc_registry.hpp"
#include "wire/message.hpp"

using namespace mockloop;
namespace fs = std::filesystem;

namespace {

struct Args {
  std::string content = MOCKLOOP_SOURCE_DIR "/content";
  int runs = 3;
  int board_updates = 20000;
  int code_edits = 5000;
  int shapes = 300;
  int samples = 300;
  size_t checkpoint_every = 500;
  int only_minutes = 0;  // --minutes N: one round length only
};

class NullPeer final : public room::Peer {
 public:
  explicit NullPeer(uint64_t id) : id_(id) {}
  uint64_t id() const override { return id_; }
  void send(std::shared_ptr<const std::vector<uint8_t>>) override {}
  void close(uint16_t, std::string) override {}

 private:
  uint64_t id_;
};

double ms_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

double pct(std::vector<double> v, double p) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(p * static_cast<double>(v.size())))];
}

double median(std::vector<double> v) { return pct(std::move(v), 0.5); }

struct Result1 {
  double history_bytes = 0, checkpoint_bytes = 0, rows = 0, checkpoints = 0, file_bytes = 0;
  double write_s = 0;
  double p50 = 0, p99 = 0, timeline_ms = 0;
  double read_p50 = 0, apply_p50 = 0;  // state?at= broken down: SQLite slice, crdt apply
};

// One simulated round of `minutes` with the given numbers of edits.
Result1 run_round(const Args& a, const std::shared_ptr<const content::Catalog>& catalog, int minutes, int board_updates,
                  int code_edits, uint32_t seed) {
  Result1 out;
  const fs::path dir = fs::temp_directory_path() / ("replay-bench-" + std::to_string(seed) + "-" + std::to_string(minutes));
  fs::remove_all(dir);
  fs::create_directories(dir);
  const std::string path = (dir / "bench.db").string();
  int64_t sim_ms = 1'800'000'000'000;  // the simulated wall clock
  auto clock = [&] { return std::chrono::system_clock::time_point(std::chrono::milliseconds(sim_ms)); };

  auto loop_db = store::Database::open(path).value();
  auto service = loop::LoopService::create(*loop_db, catalog, clock).value();
  room::RegistryOptions ro;
  ro.db_path = path;
  ro.writer.commit_on_caller = true;
  // The simulated clock runs far faster than the per-connection rate limit allows.
  ro.limits.max_updates_per_second = 1e9;
  ro.limits.update_burst = 1e9;
  ro.history.keeps = [](std::string_view d) { return loop::doc_names::keeps_history(d); };
  ro.history.checkpoint_every = a.checkpoint_every;
  ro.history.now_ms = [&] { return sim_ms; };
  auto registry = room::DocRegistry::open(std::move(ro)).value();
  service->set_phase_listener([&](const std::string& doc, const std::string& label) { registry->checkpoint(doc, label); });

  v1::CreateLoopRequest req;
  req.set_template_id("peer-system-design");
  req.set_host_name("Hana");
  auto created = service->create_loop(req).value();
  const std::string loop_id = created.loop().id();
  const std::string doc_name = loop::doc_names::round_doc(created.loop().rounds(0).room_id());
  auto host = service->authenticate(created.invites(0).token()).value();

  // Two writers.
  struct Writer {
    crdt::Doc doc;
    std::shared_ptr<NullPeer> peer;
    std::shared_ptr<room::DocConnection> conn;
    std::vector<uint8_t> last;
  };
  std::vector<std::unique_ptr<Writer>> w;
  for (uint64_t k = 0; k < 2; ++k) {
    auto x = std::make_unique<Writer>(Writer{crdt::Doc(crdt::DocOptions{.client_id = 1000 + k, .gc = true}),
                                             std::make_shared<NullPeer>(k + 1), nullptr, {}});
    auto* raw = x.get();
    x->doc.observe_update_v1([raw](crdt::ByteView u, crdt::Origin) { raw->last.assign(u.begin(), u.end()); });
    x->conn = registry->join(doc_name, x->peer, false).value();
    x->conn->set_actor(k == 0 ? "candidate" : "interviewer");
    w.push_back(std::move(x));
  }
  // Sends writer k's last edit and applies it to the other writer (a relay, without I/O).
  auto send = [&](int k) {
    auto& me = *w[k];
    if (me.last.empty()) return;
    me.conn->on_message(wire::encode_sync_update(me.last));
    (void)w[1 - k]->doc.apply_update_v1(me.last, 9);
    me.last.clear();
  };

  std::mt19937 rng(seed);
  const int total = board_updates + code_edits;
  const int64_t round_ms = int64_t{minutes} * 60'000;
  const int64_t start_ms = sim_ms;
  auto timer = [&](v1::TimerAction action) {
    v1::TimerCommand cmd;
    cmd.set_action(action);
    (void)service->timer_command(host, 0, cmd);
  };
  timer(v1::TIMER_ACTION_START);
  const int phases = 4;  // moves to the next phase at each quarter of the round
  int phase = 0;

  auto& board = w[0]->doc;
  crdt::Map shapes;
  board.transact(1, [&] {
    auto b = board.get_map("board");
    b.set_json("version", "1");
    shapes = b.set_map("shapes");
  });
  send(0);
  std::vector<crdt::Map> handles;
  auto code = [&] { return w[1]->doc.get_text("code"); };
  uint32_t code_len = 0;
  const auto t0 = std::chrono::steady_clock::now();
  for (int i = 0; i < total; ++i) {
    sim_ms = start_ms + (round_ms * i) / total + static_cast<int64_t>(rng() % 50);
    if (phase < phases - 1 && sim_ms - start_ms >= (round_ms * (phase + 1)) / phases) {
      ++phase;
      timer(v1::TIMER_ACTION_NEXT);
    }
    const bool code_turn = static_cast<int>(rng() % static_cast<uint32_t>(total)) < code_edits;
    if (!code_turn) {
      // The board: first the shapes, then moves, resizes and labels.
      board.transact(1, [&] {
        if (static_cast<int>(handles.size()) < a.shapes && rng() % 8 == 0) {
          auto s = shapes.set_map("s" + std::to_string(handles.size()));
          s.set_json("type", "\"rect\"");
          for (const char* k : {"x", "y", "w", "h", "z"}) s.set_json(k, std::to_string(rng() % 1000));
          s.set_json("text", "\"Service " + std::to_string(handles.size()) + "\"");
          handles.push_back(s);
        } else if (!handles.empty()) {
          auto& s = handles[rng() % handles.size()];
          s.set_json(rng() % 2 ? "x" : "y", std::to_string(rng() % 1000));
        } else {
          auto s = shapes.set_map("s0");
          s.set_json("type", "\"rect\"");
          for (const char* k : {"x", "y", "w", "h", "z"}) s.set_json(k, "10");
          handles.push_back(s);
        }
      });
      send(0);
    } else {
      auto& d = w[1]->doc;
      d.transact(1, [&] {
        auto t = code();
        if (code_len > 20 && rng() % 10 == 0) {
          t.remove(code_len - 3, 3);
          code_len -= 3;
        } else {
          const std::string s = rng() % 6 == 0 ? "\n    " : "x = f(y)";
          t.insert(code_len, s);
          code_len += static_cast<uint32_t>(s.size());
        }
      });
      send(1);
    }
    if (i % 500 == 0) registry->tick();  // compaction and checkpoints, as the server's ticker does
  }
  while (phase < phases) {
    ++phase;
    timer(v1::TIMER_ACTION_NEXT);  // to FINISHED
  }
  registry->flush();
  registry->tick();
  registry->flush();
  out.write_s = ms_since(t0) / 1000;
  const int64_t end_ms = sim_ms;

  // Storage.
  auto db = store::Database::open(path).value();
  auto q = [&](const char* sql) {
    auto st = db->prepare(sql).value();
    st.bind_text(1, doc_name);
    (void)st.step();
    return static_cast<double>(st.column_int64(0));
  };
  out.history_bytes = q("SELECT COALESCE(SUM(length(data)) + SUM(length(actor)) + 16 * COUNT(*), 0) FROM doc_history WHERE doc = ?1");
  out.rows = q("SELECT COUNT(*) FROM doc_history WHERE doc = ?1");
  out.checkpoint_bytes = q("SELECT COALESCE(SUM(length(data)), 0) FROM doc_checkpoints WHERE doc = ?1");
  out.checkpoints = q("SELECT COUNT(*) FROM doc_checkpoints WHERE doc = ?1");
  (void)db->exec("PRAGMA wal_checkpoint(TRUNCATE)");
  out.file_bytes = static_cast<double>(fs::file_size(path));

  // The answers, as the REST handlers compute them.
  store::DatabaseOptions reader;
  reader.mmap_bytes = std::getenv("REPLAY_NO_MMAP") ? 0 : store::kReaderMmapBytes;  // as the server's replay connection
  auto replay_db = store::Database::open(path, reader).value();
  auto replay = loop::ReplayService::open(*service, *replay_db).value();
  std::vector<double> times;
  std::uniform_int_distribution<int64_t> moment(start_ms, end_ms);
  for (int k = 0; k < a.samples; ++k) {
    const int64_t at = moment(rng);
    const auto t = std::chrono::steady_clock::now();
    auto s = replay->state(host, loop_id, 0, at);
    times.push_back(ms_since(t));
    if (!s) std::fprintf(stderr, "state failed: %s\n", s.error().message.c_str());
  }
  out.p50 = pct(times, 0.5);
  out.p99 = pct(times, 0.99);
  // Where the time goes: reading the slice, and applying it with the crdt engine.
  {
    auto hdb = store::Database::open(path, reader).value();
    auto history = store::DocHistory::open(*hdb).value();
    std::vector<double> read, apply;
    for (int k = 0; k < std::min(a.samples, 100); ++k) {
      const int64_t at = moment(rng);
      auto t = std::chrono::steady_clock::now();
      auto s = history->slice_until(doc_name, at).value();
      read.push_back(ms_since(t));
      t = std::chrono::steady_clock::now();
      crdt::Doc doc;
      if (!s.checkpoint.empty()) (void)doc.apply_update_v1(s.checkpoint);
      for (const auto& u : s.updates) (void)doc.apply_update_v1(u);
      apply.push_back(ms_since(t));
    }
    out.read_p50 = pct(read, 0.5);
    out.apply_p50 = pct(apply, 0.5);
  }
  std::vector<double> tl;
  for (int k = 0; k < 5; ++k) {
    const auto t = std::chrono::steady_clock::now();
    auto s = replay->timeline(host, loop_id, 0);
    tl.push_back(ms_since(t));
    if (!s) std::fprintf(stderr, "timeline failed: %s\n", s.error().message.c_str());
  }
  out.timeline_ms = median(tl);
  for (auto& x : w) x->conn->leave();
  w.clear();
  replay.reset();
  registry.reset();
  service.reset();
  fs::remove_all(dir);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  Args a;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--content") a.content = v;
    else if (k == "--runs") a.runs = std::stoi(v);
    else if (k == "--board-updates") a.board_updates = std::stoi(v);
    else if (k == "--code-edits") a.code_edits = std::stoi(v);
    else if (k == "--shapes") a.shapes = std::stoi(v);
    else if (k == "--samples") a.samples = std::stoi(v);
    else if (k == "--checkpoint-every") a.checkpoint_every = std::stoul(v);
    else if (k == "--minutes") a.only_minutes = std::stoi(v);
    else {
      std::fprintf(stderr, "unknown flag %s\n", k.c_str());
      return 2;
    }
  }
  auto catalog = content::load_catalog(a.content);
  if (!catalog) {
    std::fprintf(stderr, "content: %s\n", catalog.error().message.c_str());
    return 1;
  }
  std::printf("replay benchmark: %d board updates + %d code edits per 60 min, %d shapes, checkpoint every %zu, "
              "medians of %d runs\n",
              a.board_updates, a.code_edits, a.shapes, a.checkpoint_every, a.runs);
  std::printf("%8s %9s %12s %12s %11s %10s %9s %9s %12s %9s %9s %9s\n", "minutes", "rows", "history_MB", "checkpt_MB",
              "file_MB", "write_s", "p50_ms", "p99_ms", "timeline_ms", "MB/hour", "read_p50", "apply_p50");
  std::vector<int> lengths = {15, 30, 60, 120};
  if (a.only_minutes > 0) lengths = {a.only_minutes};
  for (int minutes : lengths) {
    std::vector<Result1> rs;
    for (int r = 0; r < a.runs; ++r)
      rs.push_back(run_round(a, *catalog, minutes, a.board_updates * minutes / 60, a.code_edits * minutes / 60,
                             static_cast<uint32_t>(7 + r)));
    auto med = [&](double Result1::*f) {
      std::vector<double> v;
      for (const auto& x : rs) v.push_back(x.*f);
      return median(v);
    };
    const double mb = 1024.0 * 1024.0;
    const double stored = med(&Result1::history_bytes) + med(&Result1::checkpoint_bytes);
    std::printf("%8d %9.0f %12.2f %12.2f %11.2f %10.1f %9.2f %9.2f %12.1f %9.2f %9.2f %9.2f\n", minutes,
                med(&Result1::rows), med(&Result1::history_bytes) / mb, med(&Result1::checkpoint_bytes) / mb,
                med(&Result1::file_bytes) / mb, med(&Result1::write_s), med(&Result1::p50), med(&Result1::p99),
                med(&Result1::timeline_ms), stored / mb * 60.0 / minutes, med(&Result1::read_p50),
                med(&Result1::apply_p50));
    std::fflush(stdout);
  }
  return 0;
}
