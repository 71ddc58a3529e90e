#include "loop/snapshot_restore.hpp"

#include "crdt/doc.hpp"
#include "crdt/utf.hpp"

namespace mockloop::loop {

using nlohmann::json;

namespace {

json parse_object(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  return j.is_object() ? j : json::object();
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Sets the plain values of `want` on `m` and removes the keys `want` lacks; `skip` is left alone.
void equalize_values(crdt::Map m, const json& have, const json& want, const std::string& skip) {
  for (const auto& [k, v] : have.items())
    if (k != skip && !want.contains(k)) m.remove(k);
  for (const auto& [k, v] : want.items()) {
    if (k == skip) continue;
    auto it = have.find(k);
    if (it == have.end() || *it != v) m.set_json(k, dump(v));
  }
}

void restore_board(crdt::Doc& doc, const json& want_in) {
  crdt::Map board = doc.get_map("board");
  const json have = parse_object(board.to_json());
  const json want = want_in.is_object() ? want_in : json::object();
  // Top-level values except `shapes` (a Y.Map) and `version` (never lowered).
  json want_top = want, have_top = have;
  for (auto* j : {&want_top, &have_top}) j->erase("shapes");
  const double have_v = have.value("version", json()).is_number() ? have["version"].get<double>() : 0;
  if (want.value("version", json()).is_number() && want["version"].get<double>() > have_v)
    board.set_json("version", dump(want["version"]));
  want_top.erase("version");
  have_top.erase("version");
  equalize_values(board, have_top, want_top, "");

  const json want_shapes = want.value("shapes", json()).is_object() ? want["shapes"] : json::object();
  const json have_shapes = have.value("shapes", json()).is_object() ? have["shapes"] : json::object();
  crdt::Map shapes = board.get_map("shapes");
  if (!shapes.valid()) {
    if (want_shapes.empty()) return;
    shapes = board.set_map("shapes");
  }
  for (const auto& [id, s] : have_shapes.items())
    if (!want_shapes.contains(id)) shapes.remove(id);
  for (const auto& [id, s] : want_shapes.items()) {
    const json shape = s.is_object() ? s : json::object();
    crdt::Map m = shapes.get_map(id);
    auto it = have_shapes.find(id);
    if (!m.valid() || it == have_shapes.end() || !it->is_object()) {
      m = shapes.set_map(id);
      equalize_values(m, json::object(), shape, "");
    } else {
      equalize_values(m, *it, shape, "");
    }
  }
}

void restore_code(crdt::Doc& doc, const RestoreWanted& wanted) {
  crdt::Text text = doc.get_text("code");
  const std::u16string have = crdt::utf8_to_utf16(text.to_string());
  const std::u16string want = crdt::utf8_to_utf16(wanted.code);
  size_t pre = 0;
  while (pre < have.size() && pre < want.size() && have[pre] == want[pre]) ++pre;
  size_t suf = 0;
  while (suf < have.size() - pre && suf < want.size() - pre && have[have.size() - 1 - suf] == want[want.size() - 1 - suf])
    ++suf;
  // Never split a surrogate pair at either end of the replaced span.
  auto high = [](char16_t c) { return c >= 0xD800 && c <= 0xDBFF; };
  auto low = [](char16_t c) { return c >= 0xDC00 && c <= 0xDFFF; };
  if (pre > 0 && high(have[pre - 1])) --pre;
  if (suf > 0 && low(have[have.size() - suf])) --suf;
  const size_t removed = have.size() - pre - suf;
  const std::u16string inserted = want.substr(pre, want.size() - pre - suf);
  if (removed > 0) text.remove(static_cast<uint32_t>(pre), static_cast<uint32_t>(removed));
  if (!inserted.empty()) text.insert(static_cast<uint32_t>(pre), crdt::utf16_to_utf8(inserted));

  crdt::Map pad = doc.get_map("codepad");
  const json have_pad = parse_object(pad.to_json());
  const json lang = have_pad.value("language", json());
  if (wanted.language.empty()) {
    if (have_pad.contains("language")) pad.remove("language");
  } else if (!lang.is_string() || lang.get<std::string>() != wanted.language) {
    pad.set_json("language", dump(json(wanted.language)));
  }
}

}  // namespace

Result<std::vector<uint8_t>> restore_update(std::span<const uint8_t> live_state, RestoreTarget target,
                                            const RestoreWanted& wanted) {
  // Local edits are not checked against limits; the live doc accepted everything stored.
  crdt::Limits unbounded;
  unbounded.max_type_depth = UINT32_MAX;
  unbounded.max_map_keys = SIZE_MAX;
  crdt::Doc doc(crdt::DocOptions{}, unbounded);
  if (!live_state.empty())
    if (auto r = doc.apply_update_v1(live_state); !r)
      return make_error(Errc::invalid_argument, "the live document does not decode");
  std::vector<uint8_t> out;
  doc.observe_update_v1([&](crdt::ByteView u, crdt::Origin) { out.insert(out.end(), u.begin(), u.end()); });
  // One transaction: one update.
  doc.transact(0, [&] {
    if (target == RestoreTarget::board) restore_board(doc, wanted.board);
    else restore_code(doc, wanted);
  });
  return out;
}

}  // namespace mockloop::loop
