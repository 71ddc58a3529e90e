// Document-less update operations, ported from yjs/src/utils/updates.js (mergeUpdatesV2,
// diffUpdateV2, convertUpdateFormat, encodeStateVectorFromUpdateV2) with the v1 encoder.
#include "crdt/update_ops.hpp"

#include <algorithm>
#include <unordered_map>

#include "crdt/update.hpp"

namespace mockloop::crdt {
namespace {

// A flattened struct sequence, as Yjs's LazyStructReader yields it.
struct Reader {
  std::vector<DecodedStruct*> seq;
  size_t i = 0;
  DecodedStruct* curr() const { return i < seq.size() ? seq[i] : nullptr; }
  DecodedStruct* next() {
    ++i;
    return curr();
  }
};

Reader make_reader(DecodedUpdate& u, bool filter_skips) {
  Reader r;
  for (auto& c : u.clients) {
    for (auto& s : c.structs) {
      if (filter_skips && s.kind == StructKind::Skip) continue;
      r.seq.push_back(&s);
    }
  }
  return r;
}

// LazyStructWriter
class LazyWriter {
 public:
  void write(const DecodedStruct& s, uint64_t offset) {
    if (written_ > 0 && client_ != s.id.client) flush();
    if (written_ == 0) {
      client_ = s.id.client;
      cur_.write_var_uint(s.id.client);
      cur_.write_var_uint(s.id.clock + offset);
    }
    write_struct_v1(cur_, s, offset);
    ++written_;
  }
  void flush() {
    if (written_ == 0) return;
    blocks_.emplace_back(written_, cur_.take());
    cur_.clear();
    written_ = 0;
  }
  void finish(Encoder& out) {
    flush();
    out.write_var_uint(blocks_.size());
    for (auto& [n, bytes] : blocks_) {
      out.write_var_uint(n);
      out.write_raw(bytes);
    }
  }

 private:
  Encoder cur_;
  uint64_t client_ = 0;
  uint64_t written_ = 0;
  std::vector<std::pair<uint64_t, Bytes>> blocks_;
};

// sliceStruct
DecodedStruct slice_struct(const DecodedStruct& s, uint64_t diff) {
  DecodedStruct r;
  r.kind = s.kind;
  r.id = {s.id.client, s.id.clock + diff};
  r.len = s.len - diff;
  if (s.kind == StructKind::Item) {
    r.has_origin = true;
    r.origin = {s.id.client, s.id.clock + diff - 1};
    r.has_right_origin = s.has_right_origin;
    r.right_origin = s.right_origin;
    r.parent_kind = s.parent_kind;
    r.parent_name = s.parent_name;
    r.parent_id = s.parent_id;
    r.has_parent_sub = s.has_parent_sub;
    r.parent_sub = s.parent_sub;
    Content copy;
    copy.kind = s.content.kind;
    copy.deleted_len = s.content.deleted_len;
    copy.str = s.content.str;
    if (s.content.x) copy.x = std::make_unique<ContentExtra>(*s.content.x);
    r.content = copy.splice(diff);
  }
  return r;
}

}  // namespace

Result<Bytes> convert_update_v2_to_v1(ByteView update_v2) {
  auto u = decode_update_v2(update_v2);
  if (!u.ok()) return u.error();
  Encoder enc;
  LazyWriter w;
  Reader r = make_reader(u.value(), false);
  for (auto* s = r.curr(); s; s = r.next()) w.write(*s, 0);
  w.finish(enc);
  write_delete_set_v1(enc, u.value().ds);
  return enc.take();
}

Result<Bytes> state_vector_from_update_v1(ByteView update) {
  auto u = decode_update_v1(update);
  if (!u.ok()) return u.error();
  Reader r = make_reader(u.value(), false);
  Encoder body;
  uint64_t size = 0;
  DecodedStruct* curr = r.curr();
  if (curr) {
    uint64_t client = curr->id.client;
    bool stop = curr->id.clock != 0;
    uint64_t clock = stop ? 0 : curr->end();
    for (; curr; curr = r.next()) {
      if (client != curr->id.client) {
        if (clock != 0) {
          ++size;
          body.write_var_uint(client);
          body.write_var_uint(clock);
        }
        client = curr->id.client;
        clock = 0;
        stop = curr->id.clock != 0;
      }
      if (curr->kind == StructKind::Skip) stop = true;
      if (!stop) clock = curr->end();
    }
    if (clock != 0) {
      ++size;
      body.write_var_uint(client);
      body.write_var_uint(clock);
    }
  }
  Encoder enc;
  enc.write_var_uint(size);
  enc.write_raw(body.bytes());
  return enc.take();
}

Result<Bytes> diff_update_v1(ByteView update, ByteView state_vector) {
  auto u = decode_update_v1(update);
  if (!u.ok()) return u.error();
  std::unordered_map<uint64_t, uint64_t> state;
  if (!state_vector.empty()) {
    Decoder d(state_vector);
    uint64_t n = d.read_var_uint();
    for (uint64_t i = 0; i < n && !d.failed(); ++i) {
      uint64_t c = d.read_var_uint();
      state[c] = d.read_var_uint();
    }
    if (d.failed()) return Error{kErrDecode, "malformed state vector"};
  }
  Reader r = make_reader(u.value(), false);
  LazyWriter w;
  while (DecodedStruct* curr = r.curr()) {
    uint64_t client = curr->id.client;
    auto it = state.find(client);
    uint64_t sv_clock = it == state.end() ? 0 : it->second;
    if (curr->kind == StructKind::Skip) {
      r.next();
      continue;
    }
    if (curr->end() > sv_clock) {
      w.write(*curr, sv_clock > curr->id.clock ? sv_clock - curr->id.clock : 0);
      for (DecodedStruct* n = r.next(); n && n->id.client == client; n = r.next()) w.write(*n, 0);
    } else {
      for (DecodedStruct* n = r.curr(); n && n->id.client == client && n->end() <= sv_clock;
           n = r.next()) {
      }
    }
  }
  Encoder enc;
  w.finish(enc);
  write_delete_set_v1(enc, u.value().ds);
  return enc.take();
}

Result<Bytes> merge_updates_v1(std::span<const ByteView> updates) {
  if (updates.size() == 1) {
    auto u = decode_update_v1(updates[0]);
    if (!u.ok()) return u.error();
    return Bytes(updates[0].begin(), updates[0].end());
  }
  std::vector<DecodedUpdate> decoded;
  for (ByteView b : updates) {
    auto u = decode_update_v1(b);
    if (!u.ok()) return u.error();
    decoded.push_back(std::move(u).value());
  }
  std::vector<Reader> readers;
  readers.reserve(decoded.size());
  for (auto& u : decoded) readers.push_back(make_reader(u, true));
  std::vector<Reader*> decs;
  decs.reserve(readers.size());
  for (auto& r : readers) decs.push_back(&r);
  LazyWriter w;
  std::vector<std::unique_ptr<DecodedStruct>> owned;  // slices and synthesized skips
  DecodedStruct* cw = nullptr;                          // currWrite.struct
  auto own = [&](DecodedStruct s) {
    owned.push_back(std::make_unique<DecodedStruct>(std::move(s)));
    return owned.back().get();
  };
  for (;;) {
    decs.erase(std::remove_if(decs.begin(), decs.end(), [](Reader* r) { return !r->curr(); }),
               decs.end());
    std::stable_sort(decs.begin(), decs.end(), [](Reader* a, Reader* b) {
      const DecodedStruct* x = a->curr();
      const DecodedStruct* y = b->curr();
      if (x->id.client == y->id.client) return x->id.clock < y->id.clock;
      return x->id.client > y->id.client;
    });
    if (decs.empty()) break;
    Reader* cd = decs[0];
    uint64_t first_client = cd->curr()->id.client;
    if (cw) {
      DecodedStruct* curr = cd->curr();
      bool iterated = false;
      while (curr && curr->end() <= cw->end() && curr->id.client >= cw->id.client) {
        curr = cd->next();
        iterated = true;
      }
      if (!curr || curr->id.client != first_client || (iterated && curr->id.clock > cw->end())) {
        continue;
      }
      if (first_client != cw->id.client) {
        w.write(*cw, 0);
        cw = curr;
        cd->next();
      } else if (cw->end() < curr->id.clock) {
        if (cw->kind == StructKind::Skip) {
          cw->len = curr->end() - cw->id.clock;
        } else {
          w.write(*cw, 0);
          DecodedStruct skip;
          skip.kind = StructKind::Skip;
          skip.id = {first_client, cw->end()};
          skip.len = curr->id.clock - cw->end();
          cw = own(std::move(skip));
        }
      } else {
        uint64_t diff = cw->end() - curr->id.clock;
        if (diff > 0) {
          if (cw->kind == StructKind::Skip) {
            cw->len -= diff;
          } else {
            curr = own(slice_struct(*curr, diff));
          }
        }
        bool merged = false;
        if (cw->kind == curr->kind && cw->kind != StructKind::Item) {
          if (cw->kind == StructKind::GC || cw->kind == StructKind::Skip) {
            cw->len += curr->len;
            merged = true;
          }
        }
        if (!merged) {
          w.write(*cw, 0);
          cw = curr;
          cd->next();
        }
      }
    } else {
      cw = cd->curr();
      cd->next();
    }
    for (DecodedStruct* n = cd->curr(); n && n->id.client == first_client &&
                                        n->id.clock == cw->end() && n->kind != StructKind::Skip;
         n = cd->next()) {
      w.write(*cw, 0);
      cw = n;
    }
  }
  if (cw) w.write(*cw, 0);
  Encoder enc;
  w.finish(enc);
  DeleteSet ds;
  for (auto& u : decoded) {
    for (auto& [client, ranges] : u.ds.clients) {
      for (auto& r : ranges) ds.add(client, r.clock, r.len);
    }
  }
  ds.sort_and_merge();
  write_delete_set_v1(enc, ds);
  return enc.take();
}

}  // namespace mockloop::crdt
