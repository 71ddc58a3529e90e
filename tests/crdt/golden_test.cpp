// Golden update vectors produced by Yjs (tests/crdt/golden/*.json, written by
// tests/crdt/js/gen_golden.mjs): every struct kind (Item, GC, Skip), every content kind and
// every type ref. Each vector is decoded and applied, read back and re-encoded, and compared
// with what Yjs read and encoded from the same bytes. Also: byte-level merge / diff / state
// vector operations against Yjs's output, and atomicity of apply on truncated input.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>
#include <vector>

#include "crdt/crdt.hpp"
#include "proof_util.hpp"

namespace mockloop::crdt {
namespace {

using proof::from_hex;
using proof::json;
using proof::to_hex;

const std::string kGoldenDir = std::string(MOCKLOOP_TESTS_DIR) + "/crdt/golden/";

std::vector<json> all_vectors() {
  std::vector<json> out;
  for (const char* file : {"structs", "contents", "types", "docs"}) {
    json j = proof::read_json_file(kGoldenDir + file + ".json");
    for (auto& v : j["vectors"]) {
      v["file"] = file;
      out.push_back(v);
    }
  }
  return out;
}

const std::vector<json>& vectors() {
  static const std::vector<json> v = all_vectors();
  return v;
}

TypeKind kind_of(const std::string& k) {
  if (k == "Text") return TypeKind::Text;
  if (k == "Map") return TypeKind::Map;
  if (k == "Array") return TypeKind::Array;
  return TypeKind::XmlFragment;
}

// Checks every root listed by the vector against what Yjs read.
void expect_roots(Doc& doc, const json& roots, const std::string& ctx) {
  for (auto& [name, r] : roots.items()) {
    json ours = proof::parse_ours(doc.root_to_json(name, kind_of(r["kind"].get<std::string>())));
    EXPECT_TRUE(proof::json_matches(r["json"], ours))
        << ctx << " root " << name << "\n  ours " << ours.dump() << "\n  yjs  " << r["json"].dump();
    if (r.contains("delta")) {
      json delta = proof::parse_ours(doc.get_text(name).to_delta_json());
      EXPECT_TRUE(proof::json_matches(r["delta"], delta))
          << ctx << " delta of " << name << "\n  ours " << delta.dump() << "\n  yjs  " << r["delta"].dump();
    }
  }
}

std::map<uint64_t, uint64_t> sv_map(const std::vector<uint8_t>& sv) {
  std::map<uint64_t, uint64_t> m;
  EXPECT_TRUE(proof::decode_state_vector(sv, m)) << "state vector does not decode: " << to_hex(sv);
  return m;
}

TEST(Golden, VectorsCoverEveryStructContentAndTypeKind) {
  ASSERT_FALSE(vectors().empty()) << "no golden vectors under " << kGoldenDir;
  std::set<std::string> seen;
  for (auto& v : vectors()) {
    for (auto& k : v["decoded_kinds"]) seen.insert(k.get<std::string>());
  }
  for (const char* k : {"Item", "GC", "Skip", "ContentDeleted", "ContentJSON", "ContentBinary", "ContentString",
                        "ContentEmbed", "ContentFormat", "ContentType", "ContentAny", "ContentDoc", "ref:YArray",
                        "ref:YMap", "ref:YText", "ref:YXmlElement", "ref:YXmlFragment", "ref:YXmlHook",
                        "ref:YXmlText"}) {
    EXPECT_TRUE(seen.count(k)) << "no golden vector contains " << k;
  }
}

TEST(Golden, ApplyReadsWhatYjsReads) {
  for (auto& v : vectors()) {
    std::string ctx = v["file"].get<std::string>() + "/" + v["name"].get<std::string>();
    Doc doc(DocOptions{999, true});
    auto r = doc.apply_update_v1(from_hex(v["update_v1"].get<std::string>()));
    ASSERT_TRUE(r.ok()) << ctx << ": " << r.error().message;
    expect_roots(doc, v["roots"], ctx);
    EXPECT_EQ(sv_map(doc.state_vector_v1()), sv_map(from_hex(v["state_vector"].get<std::string>()))) << ctx;
    EXPECT_EQ(doc.has_pending(), v["pending"].get<bool>()) << ctx;
  }
}

TEST(Golden, ReencodingMatchesYjsBytes) {
  for (auto& v : vectors()) {
    std::string ctx = v["file"].get<std::string>() + "/" + v["name"].get<std::string>();
    for (bool gc : {true, false}) {
      Doc doc(DocOptions{999, gc});
      ASSERT_TRUE(doc.apply_update_v1(from_hex(v["update_v1"].get<std::string>())).ok()) << ctx;
      auto enc = doc.encode_state_as_update_v1();
      ASSERT_TRUE(enc.ok()) << ctx << ": " << enc.error().message;
      EXPECT_EQ(to_hex(enc.value()), v[gc ? "reencoded_v1" : "reencoded_v1_nogc"].get<std::string>())
          << ctx << (gc ? " (gc on)" : " (gc off)");
      // Our encoding decodes to the same document and re-encodes to itself.
      Doc again(DocOptions{998, gc});
      ASSERT_TRUE(again.apply_update_v1(enc.value()).ok()) << ctx;
      expect_roots(again, v["roots"], ctx + " (re-decoded)");
      auto enc2 = again.encode_state_as_update_v1();
      ASSERT_TRUE(enc2.ok()) << ctx;
      EXPECT_EQ(to_hex(enc2.value()), to_hex(enc.value())) << ctx << " second round trip";
    }
  }
}

TEST(Golden, V2DecodesAndConvertsLikeYjs) {
  for (auto& v : vectors()) {
    std::string ctx = v["file"].get<std::string>() + "/" + v["name"].get<std::string>();
    for (const char* field : {"update_v2", "doc_v2"}) {
      if (!v.contains(field)) continue;
      auto v2 = from_hex(v[field].get<std::string>());
      Doc doc(DocOptions{999, true});
      auto r = doc.apply_update_v2(v2);
      ASSERT_TRUE(r.ok()) << ctx << " " << field << ": " << r.error().message;
      expect_roots(doc, v["roots"], ctx + " " + field);
      auto v1 = convert_update_v2_to_v1(v2);
      ASSERT_TRUE(v1.ok()) << ctx << " " << field << ": " << v1.error().message;
      const char* want = std::string(field) == "update_v2" ? "v2_to_v1" : "doc_v2_to_v1";
      EXPECT_EQ(to_hex(v1.value()), v[want].get<std::string>()) << ctx << " " << field << " -> v1";
    }
  }
}

TEST(Golden, StateVectorFromUpdateMatchesYjs) {
  for (auto& v : vectors()) {
    auto sv = state_vector_from_update_v1(from_hex(v["update_v1"].get<std::string>()));
    ASSERT_TRUE(sv.ok()) << v["name"];
    EXPECT_EQ(to_hex(sv.value()), v["state_vector_from_update"].get<std::string>()) << v["name"];
  }
}

TEST(Golden, SkipGapIsFilledByTheMissingUpdate) {
  for (auto& v : vectors()) {
    if (!v.contains("completing_update_v1")) continue;
    Doc doc(DocOptions{999, true});
    ASSERT_TRUE(doc.apply_update_v1(from_hex(v["update_v1"].get<std::string>())).ok());
    EXPECT_TRUE(doc.has_pending());
    ASSERT_TRUE(doc.apply_update_v1(from_hex(v["completing_update_v1"].get<std::string>())).ok());
    EXPECT_FALSE(doc.has_pending());
    expect_roots(doc, v["after_completing"], v["name"].get<std::string>() + " completed");
  }
}

TEST(Golden, MergeDiffAndStateVectorOnBytesMatchYjs) {
  json ops = proof::read_json_file(kGoldenDir + "ops.json");
  ASSERT_TRUE(ops.is_object());
  for (auto& m : ops["merges"]) {
    std::vector<std::vector<uint8_t>> ins;
    for (auto& h : m["inputs"]) ins.push_back(from_hex(h.get<std::string>()));
    std::vector<ByteView> views(ins.begin(), ins.end());
    auto merged = merge_updates_v1(views);
    ASSERT_TRUE(merged.ok()) << m["name"] << ": " << merged.error().message;
    EXPECT_EQ(to_hex(merged.value()), m["merged_v1"].get<std::string>()) << "merge " << m["name"];
  }
  for (auto& d : ops["diffs"]) {
    auto diff = diff_update_v1(from_hex(d["update"].get<std::string>()), from_hex(d["state_vector"].get<std::string>()));
    ASSERT_TRUE(diff.ok()) << diff.error().message;
    EXPECT_EQ(to_hex(diff.value()), d["diff_v1"].get<std::string>()) << "diff against sv " << d["state_vector"];
  }
  for (auto& s : ops["state_vectors"]) {
    auto sv = state_vector_from_update_v1(from_hex(s["update"].get<std::string>()));
    ASSERT_TRUE(sv.ok());
    EXPECT_EQ(to_hex(sv.value()), s["state_vector"].get<std::string>());
  }
}

// A malformed (here: truncated) update is rejected or accepted as a whole: when apply
// fails, the document is exactly as it was.
TEST(Golden, TruncatedUpdatesLeaveTheDocumentUnchanged) {
  const json* base = nullptr;
  for (auto& v : vectors()) {
    if (v["name"] == "mixed_small") base = &v;
  }
  ASSERT_NE(base, nullptr);
  auto base_bytes = from_hex((*base)["update_v1"].get<std::string>());
  int rejected = 0;
  for (auto& v : vectors()) {
    auto full = from_hex(v["update_v1"].get<std::string>());
    for (size_t cut = 0; cut < full.size(); ++cut) {
      Doc doc(DocOptions{999, true});
      ASSERT_TRUE(doc.apply_update_v1(base_bytes).ok());
      auto before = doc.encode_state_as_update_v1();
      ASSERT_TRUE(before.ok());
      std::vector<uint8_t> part(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(cut));
      if (doc.apply_update_v1(part).ok()) continue;
      ++rejected;
      auto after = doc.encode_state_as_update_v1();
      ASSERT_TRUE(after.ok());
      EXPECT_EQ(to_hex(after.value()), to_hex(before.value()))
          << v["name"] << " cut at " << cut << ": failed apply changed the document";
      EXPECT_FALSE(doc.has_pending()) << v["name"] << " cut at " << cut;
    }
  }
  EXPECT_GT(rejected, 0);
}

}  // namespace
}  // namespace mockloop::crdt
