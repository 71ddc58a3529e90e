// Differential test against Yjs: replays the seeded multi-client sessions recorded by
// tests/crdt/js/gen_sessions.mjs and checks that our Doc reaches what Yjs reached for the
// same delivery order (as produced, reversed, three shuffles: the pending path), and that
// our encodings match Yjs's bytes. Our full states, diffs and merges are written out so that
// tests/crdt/js/check_in_yjs.mjs can load them in Yjs (ctest crdt_differential_yjs_check).
//
// Runs only under ctest (crdt_differential), which generates the fixture first and sets
// MOCKLOOP_DIFF_FIXTURE (input) and MOCKLOOP_DIFF_OUT (our encodings for the Yjs check).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <set>
#include <span>
#include <string>
#include <vector>

#include "crdt/crdt.hpp"
#include "proof_util.hpp"

namespace mockloop::crdt {
namespace {

using proof::from_hex;
using proof::json;
using proof::to_hex;

constexpr uint64_t kReplayClient = 424242;  // never one of the session clients
// How many failures are printed in full (env MOCKLOOP_DIFF_MAX_REPORTS overrides).
const int kMaxReportedFailures = [] {
  const char* v = std::getenv("MOCKLOOP_DIFF_MAX_REPORTS");
  return v ? std::atoi(v) : 20;
}();

// The fixture is a manifest (MOCKLOOP_DIFF_FIXTURE) naming batch files of sessions next to
// it; batches are parsed one at a time so long mode (thousands of seeds) stays small.
const json& manifest() {
  static const json data = [] {
    const char* path = std::getenv("MOCKLOOP_DIFF_FIXTURE");
    return path ? proof::read_json_file(path) : json();
  }();
  return data;
}

bool have_fixture() { return manifest().is_object() && manifest().contains("batches"); }

template <class Fn>
void for_each_session(Fn&& fn) {
  std::string path = std::getenv("MOCKLOOP_DIFF_FIXTURE");
  std::string dir = path.substr(0, path.find_last_of('/') + 1);
  for (auto& b : manifest()["batches"]) {
    json batch = proof::read_json_file(dir + b.get<std::string>());
    ASSERT_TRUE(batch.is_object()) << "unreadable batch " << b;
    for (const json& s : batch["sessions"]) fn(s);
  }
}

#define REQUIRE_FIXTURE()                                                                  \
  do {                                                                                     \
    if (!have_fixture()) {                                                                 \
      if (std::getenv("MOCKLOOP_DIFF_FIXTURE")) FAIL() << "fixture unreadable";             \
      GTEST_SKIP() << "differential fixture not set; run `ctest -R crdt_differential`";     \
    }                                                                                      \
  } while (0)

std::map<uint64_t, uint64_t> expected_sv(const json& m) {
  std::map<uint64_t, uint64_t> out;
  for (auto& [k, v] : m.items()) out[std::stoull(k)] = v.get<uint64_t>();
  return out;
}

// Compares every root of `doc` with the Yjs snapshot {text, text_delta, map, array, xml}.
// Returns a description of the first difference, or "" when equal.
std::string compare_content(Doc& doc, const json& expected) {
  struct Root {
    const char* name;
    TypeKind kind;
  };
  for (Root r : {Root{"text", TypeKind::Text}, Root{"map", TypeKind::Map}, Root{"array", TypeKind::Array}}) {
    json ours = proof::parse_ours(doc.root_to_json(r.name, r.kind));
    if (ours != expected[r.name]) {
      return std::string("root ") + r.name + ": ours " + ours.dump().substr(0, 400) + "\n  yjs  " +
             expected[r.name].dump().substr(0, 400);
    }
  }
  if (expected.contains("xml")) {
    json ours = proof::parse_ours(doc.root_to_json("xml", TypeKind::XmlFragment));
    if (ours != expected["xml"]) {
      return "root xml: ours " + ours.dump().substr(0, 400) + "\n  yjs  " + expected["xml"].dump().substr(0, 400);
    }
  }
  json delta = proof::parse_ours(doc.get_text("text").to_delta_json());
  if (delta != expected["text_delta"]) {
    return "text delta: ours " + delta.dump().substr(0, 400) + "\n  yjs  " +
           expected["text_delta"].dump().substr(0, 400);
  }
  return "";
}

std::vector<size_t> order_of(const json& session, const json& order) {
  std::vector<size_t> perm;
  if (order.contains("perm")) {
    for (auto& i : order["perm"]) perm.push_back(i.get<size_t>());
  } else {
    for (size_t i = 0; i < session["updates"].size(); ++i) perm.push_back(i);
  }
  return perm;
}

// Applies the session's updates in `perm` order to `doc`; "" on success.
std::string replay(Doc& doc, const json& session, const std::vector<size_t>& perm) {
  for (size_t i : perm) {
    auto bytes = from_hex(session["updates"][i]["v1"].get<std::string>());
    auto r = doc.apply_update_v1(bytes);
    if (!r.ok()) return "apply of update #" + std::to_string(i) + " failed: " + r.error().message;
  }
  return "";
}

TEST(Differential, ContentAndStateVectorMatchYjsInEveryDeliveryOrder) {
  REQUIRE_FIXTURE();
  int failures = 0, checked = 0;
  std::set<int> failing_seeds;
  for_each_session([&](const json& s) {
    int seed = s["seed"].get<int>();
    for (const json& order : s["orders"]) {
      Doc doc(DocOptions{kReplayClient, true});
      std::string what = replay(doc, s, order_of(s, order));
      if (what.empty()) what = compare_content(doc, order["expected"]);
      if (what.empty()) {
        std::map<uint64_t, uint64_t> ours;
        if (!proof::decode_state_vector(doc.state_vector_v1(), ours)) {
          what = "our state vector does not decode";
        } else if (ours != expected_sv(order["state_vector"])) {
          what = "state vector: ours " + proof::sv_to_string(ours) + " yjs " +
                 proof::sv_to_string(expected_sv(order["state_vector"]));
        }
      }
      if (what.empty() && doc.has_pending() != order["pending"].get<bool>()) {
        what = std::string("has_pending() = ") + (doc.has_pending() ? "true" : "false") + ", Yjs disagrees";
      }
      if (what.empty() && !order.contains("perm")) {
        // The same replay keeping deleted content (gc off) reads the same.
        Doc kept(DocOptions{kReplayClient, false});
        what = replay(kept, s, order_of(s, order));
        if (what.empty()) what = compare_content(kept, order["expected"]);
        if (!what.empty()) what = "(gc off) " + what;
      }
      ++checked;
      if (!what.empty()) {
        failing_seeds.insert(seed);
        if (++failures <= kMaxReportedFailures) {
          ADD_FAILURE() << "seed " << seed << " order " << order["name"].get<std::string>() << ": " << what;
        }
      }
    }
  });
  std::string seeds;
  for (int s : failing_seeds) seeds += std::to_string(s) + " ";
  std::printf("[differential] %d/%d session replays match Yjs; failing seeds: %s\n", checked - failures,
              checked, seeds.empty() ? "none" : seeds.c_str());
  EXPECT_EQ(failures, 0) << "failing seeds: " << seeds;
}

// Our full state and our diffs against the recorded prefix state vectors, compared with
// Yjs's bytes (same delivery order, so the same struct layout), and written out for
// check_in_yjs.mjs to load in Yjs.
TEST(Differential, EncodingsAreByteIdenticalToYjs) {
  REQUIRE_FIXTURE();
  int full_same = 0, full_total = 0, diff_same = 0, diff_total = 0;
  int merge_same = 0, merge_total = 0, bdiff_same = 0, bdiff_total = 0;
  std::vector<int> full_differ;
  json out = {{"sessions", json::array()}};
  for_each_session([&](const json& s) {
    int seed = s["seed"].get<int>();
    Doc doc(DocOptions{kReplayClient, true});
    std::vector<size_t> perm(s["updates"].size());
    for (size_t i = 0; i < perm.size(); ++i) perm[i] = i;
    std::string what = replay(doc, s, perm);
    if (!what.empty()) {
      ADD_FAILURE() << "seed " << seed << ": " << what;
      return;
    }
    json rec = {{"seed", seed}, {"diffs", json::array()}};
    auto full = doc.encode_state_as_update_v1();
    ASSERT_TRUE(full.ok()) << full.error().message;
    rec["full_v1"] = to_hex(full.value());
    ++full_total;
    if (rec["full_v1"] == s["full_v1"]) {
      ++full_same;
    } else {
      full_differ.push_back(seed);
    }
    for (const json& d : s["diffs"]) {
      auto sv = from_hex(d["sv"].get<std::string>());
      auto diff = doc.encode_state_as_update_v1(sv);
      ASSERT_TRUE(diff.ok()) << diff.error().message;
      ++diff_total;
      if (to_hex(diff.value()) == d["yjs_v1"].get<std::string>()) ++diff_same;
      rec["diffs"].push_back({{"prefix", d["prefix"]}, {"v1", to_hex(diff.value())}});
    }
    // Merging all recorded updates on bytes, without a document.
    std::vector<std::vector<uint8_t>> ups;
    for (auto& u : s["updates"]) ups.push_back(from_hex(u["v1"].get<std::string>()));
    std::vector<ByteView> views(ups.begin(), ups.end());
    auto merged = merge_updates_v1(views);
    if (merged.ok()) {
      rec["merged_v1"] = to_hex(merged.value());
      if (s.contains("merged_v1") && rec["merged_v1"] == s["merged_v1"]) ++merge_same;
      ++merge_total;
    } else {
      ADD_FAILURE() << "seed " << seed << ": merge_updates_v1 failed: " << merged.error().message;
    }
    // Diffing Yjs's merge against the prefix state vectors, on bytes.
    auto yjs_merged = from_hex(s.value("merged_v1", std::string()));
    for (const json& d : s["diffs"]) {
      auto diff = diff_update_v1(yjs_merged, from_hex(d["sv"].get<std::string>()));
      ++bdiff_total;
      if (!diff.ok()) {
        ADD_FAILURE() << "seed " << seed << ": diff_update_v1 failed: " << diff.error().message;
      } else if (to_hex(diff.value()) == d.value("merged_diff_v1", std::string())) {
        ++bdiff_same;
      }
    }
    out["sessions"].push_back(std::move(rec));
  });
  if (const char* path = std::getenv("MOCKLOOP_DIFF_OUT")) {
    std::ofstream(path) << out.dump();
  }
  std::printf(
      "[differential] byte-identical to Yjs: full state %d/%d, diffs %d/%d, merge_updates_v1 %d/%d, "
      "diff_update_v1 %d/%d\n",
      full_same, full_total, diff_same, diff_total, merge_same, merge_total, bdiff_same, bdiff_total);
  std::string seeds;
  for (size_t i = 0; i < full_differ.size() && i < 30; ++i) seeds += std::to_string(full_differ[i]) + " ";
  EXPECT_EQ(full_same, full_total) << "full state differs from Yjs's bytes for seeds: " << seeds;
  EXPECT_EQ(diff_same, diff_total);
  EXPECT_EQ(merge_same, merge_total);
  EXPECT_EQ(bdiff_same, bdiff_total);
}

TEST(Differential, V2StateDecodesAndConvertsLikeYjs) {
  REQUIRE_FIXTURE();
  int failures = 0;
  for_each_session([&](const json& s) {
    int seed = s["seed"].get<int>();
    auto v2 = from_hex(s["full_v2"].get<std::string>());
    Doc doc(DocOptions{kReplayClient, true});
    auto r = doc.apply_update_v2(v2);
    std::string what = r.ok() ? compare_content(doc, s["expected"]) : "apply_update_v2: " + r.error().message;
    if (what.empty()) {
      auto v1 = convert_update_v2_to_v1(v2);
      if (!v1.ok()) {
        what = "convert_update_v2_to_v1: " + v1.error().message;
      } else if (to_hex(v1.value()) != s["full_v2_to_v1"].get<std::string>()) {
        what = "v2->v1 bytes differ from Y.convertUpdateFormatV2ToV1";
      }
    }
    if (!what.empty() && ++failures <= kMaxReportedFailures) ADD_FAILURE() << "seed " << seed << ": " << what;
  });
  EXPECT_EQ(failures, 0);
}

TEST(Differential, StateVectorFromUpdateMatchesYjs) {
  REQUIRE_FIXTURE();
  int failures = 0;
  for_each_session([&](const json& s) {
    auto sv = state_vector_from_update_v1(from_hex(s["full_v1"].get<std::string>()));
    std::map<uint64_t, uint64_t> ours, theirs;
    bool same = sv.ok() && proof::decode_state_vector(sv.value(), ours) &&
                proof::decode_state_vector(from_hex(s["state_vector"].get<std::string>()), theirs) && ours == theirs;
    if (!same && ++failures <= kMaxReportedFailures) ADD_FAILURE() << "seed " << s["seed"];
  });
  EXPECT_EQ(failures, 0);
}

}  // namespace
}  // namespace mockloop::crdt
