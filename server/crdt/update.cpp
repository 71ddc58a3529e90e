#include "crdt/update.hpp"

#include <algorithm>
#include <memory>

#include "crdt/utf.hpp"

namespace mockloop::crdt {
namespace {

constexpr uint8_t kBit6 = 0x20, kBit7 = 0x40, kBit8 = 0x80, kBits5 = 0x1f;

// UpdateDecoderV1 (yjs/src/utils/UpdateDecoder.js).
class ReaderV1 {
 public:
  explicit ReaderV1(ByteView b) : rest(b) {}
  Decoder rest;
  uint8_t read_info() { return rest.read_u8(); }
  ID read_left_id() { ID id; id.client = rest.read_var_uint(); id.clock = rest.read_var_uint(); return id; }
  ID read_right_id() { return read_left_id(); }
  uint64_t read_client() { return rest.read_var_uint(); }
  uint64_t read_len() { return rest.read_var_uint(); }
  bool read_parent_info() { return rest.read_var_uint() == 1; }
  std::string read_string() { return sanitize_utf8(rest.read_var_string()); }
  uint64_t read_type_ref() { return rest.read_var_uint(); }
  std::string read_key() { return read_string(); }
  bool read_json(std::string* out) {
    std::string s = read_string();
    if (rest.failed()) return false;
    auto parsed = parse_json(s);
    if (!parsed.ok()) return false;
    *out = to_json(parsed.value());
    return true;
  }
  bool read_any(Any* out) { return crdt::read_any(rest, out); }
  ByteView read_buf() { return rest.read_var_bytes(); }
  void reset_ds() {}
  uint64_t read_ds_clock() { return rest.read_var_uint(); }
  uint64_t read_ds_len() { return rest.read_var_uint(); }
  bool failed() const { return rest.failed(); }
};

// lib0 RleDecoder<readUint8>.
class RleU8 {
 public:
  explicit RleU8(ByteView b) : d_(b) {}
  uint8_t read() {
    if (count_ == 0) {
      s_ = d_.read_u8();
      if (d_.has_content()) {
        count_ = d_.read_var_uint() + 1;
      } else {
        count_ = UINT64_MAX;  // repeat forever
      }
    }
    if (count_ != UINT64_MAX) --count_;
    return s_;
  }
  bool failed() const { return d_.failed(); }

 private:
  Decoder d_;
  uint8_t s_ = 0;
  uint64_t count_ = 0;
};

class UintOptRle {
 public:
  explicit UintOptRle(ByteView b) : d_(b) {}
  uint64_t read() {
    if (count_ == 0) {
      bool neg;
      s_ = d_.read_var_int(&neg);
      count_ = 1;
      if (neg) count_ = d_.read_var_uint() + 2;
    }
    --count_;
    return s_;
  }
  bool failed() const { return d_.failed(); }
  Decoder& raw() { return d_; }

 private:
  Decoder d_;
  uint64_t s_ = 0;
  uint64_t count_ = 0;
};

class IntDiffOptRle {
 public:
  explicit IntDiffOptRle(ByteView b) : d_(b) {}
  uint64_t read() {
    if (count_ == 0) {
      bool neg;
      uint64_t m = d_.read_var_int(&neg);
      int64_t v = neg ? -static_cast<int64_t>(m) : static_cast<int64_t>(m);
      bool has_count = (v & 1) != 0;
      diff_ = v >> 1;
      count_ = 1;
      if (has_count) count_ = d_.read_var_uint() + 2;
    }
    s_ += diff_;
    --count_;
    if (s_ < 0 || static_cast<uint64_t>(s_) > kMaxSafeInteger) d_.fail();
    return static_cast<uint64_t>(s_);
  }
  bool failed() const { return d_.failed(); }

 private:
  Decoder d_;
  int64_t s_ = 0;
  int64_t diff_ = 0;
  uint64_t count_ = 0;
};

class StringRle {
 public:
  explicit StringRle(ByteView b) : lens_(b) {
    str_ = utf8_to_utf16(lens_.raw().read_var_string());
  }
  std::string read() {
    uint64_t n = lens_.read();
    if (n > str_.size() - pos_) {
      failed_ = true;
      return {};
    }
    std::string out = utf16_to_utf8(std::u16string_view(str_).substr(pos_, n));
    pos_ += n;
    return out;
  }
  bool failed() const { return failed_ || lens_.failed(); }

 private:
  UintOptRle lens_;
  std::u16string str_;
  size_t pos_ = 0;
  bool failed_ = false;
};

// UpdateDecoderV2: column decoders followed by the rest decoder.
class ReaderV2 {
 public:
  explicit ReaderV2(ByteView b) : rest(b) {
    rest.read_var_uint();  // feature flag
    key_clock = std::make_unique<IntDiffOptRle>(rest.read_var_bytes());
    client = std::make_unique<UintOptRle>(rest.read_var_bytes());
    left_clock = std::make_unique<IntDiffOptRle>(rest.read_var_bytes());
    right_clock = std::make_unique<IntDiffOptRle>(rest.read_var_bytes());
    info = std::make_unique<RleU8>(rest.read_var_bytes());
    strings = std::make_unique<StringRle>(rest.read_var_bytes());
    parent_info = std::make_unique<RleU8>(rest.read_var_bytes());
    type_ref = std::make_unique<UintOptRle>(rest.read_var_bytes());
    len = std::make_unique<UintOptRle>(rest.read_var_bytes());
  }
  Decoder rest;
  std::unique_ptr<IntDiffOptRle> key_clock;
  std::unique_ptr<UintOptRle> client;
  std::unique_ptr<IntDiffOptRle> left_clock;
  std::unique_ptr<IntDiffOptRle> right_clock;
  std::unique_ptr<RleU8> info;
  std::unique_ptr<StringRle> strings;
  std::unique_ptr<RleU8> parent_info;
  std::unique_ptr<UintOptRle> type_ref;
  std::unique_ptr<UintOptRle> len;
  std::vector<std::string> keys;
  uint64_t ds_cur = 0;

  uint8_t read_info() { return info->read(); }
  ID read_left_id() { ID id; id.client = client->read(); id.clock = left_clock->read(); return id; }
  ID read_right_id() { ID id; id.client = client->read(); id.clock = right_clock->read(); return id; }
  uint64_t read_client() { return client->read(); }
  uint64_t read_len() { return len->read(); }
  bool read_parent_info() { return parent_info->read() == 1; }
  std::string read_string() { return strings->read(); }
  uint64_t read_type_ref() { return type_ref->read(); }
  std::string read_key() {
    uint64_t kc = key_clock->read();
    if (kc < keys.size()) return keys[kc];
    keys.push_back(strings->read());
    return keys.back();
  }
  bool read_json(std::string* out) {
    Any a;
    if (!crdt::read_any(rest, &a)) return false;
    // A top-level `undefined` has no v1 (JSON) form: Yjs could neither encode nor re-read the
    // document, so refuse it here rather than store a state no client can load.
    if (a.kind == Any::Kind::Undefined) return false;
    *out = to_json(a);
    return true;
  }
  bool read_any(Any* out) { return crdt::read_any(rest, out); }
  ByteView read_buf() { return rest.read_var_bytes(); }
  void reset_ds() { ds_cur = 0; }
  uint64_t read_ds_clock() {
    ds_cur += rest.read_var_uint();
    return ds_cur;
  }
  uint64_t read_ds_len() {
    uint64_t diff = rest.read_var_uint() + 1;
    ds_cur += diff;
    return diff;
  }
  bool failed() const {
    return rest.failed() || key_clock->failed() || client->failed() || left_clock->failed() ||
           right_clock->failed() || info->failed() || strings->failed() ||
           parent_info->failed() || type_ref->failed() || len->failed();
  }
};

template <class R>
bool read_content(R& r, uint8_t info, Content* c) {
  switch (info & kBits5) {
    case 1:
      c->kind = ContentKind::Deleted;
      c->deleted_len = r.read_len();
      return c->deleted_len > 0 && c->deleted_len <= kMaxSafeInteger;
    case 2: {
      c->kind = ContentKind::Json;
      uint64_t n = r.read_len();
      auto& v = c->extra().json;
      for (uint64_t i = 0; i < n && !r.failed(); ++i) {
        std::string s = r.read_string();
        if (s == "undefined") {
          v.push_back(std::move(s));
          continue;
        }
        auto parsed = parse_json(s);
        if (!parsed.ok()) return false;
        v.push_back(to_json(parsed.value()));
      }
      return n > 0;
    }
    case 3: {
      c->kind = ContentKind::Binary;
      ByteView b = r.read_buf();
      c->extra().binary.assign(b.begin(), b.end());
      return true;
    }
    case 4:
      c->kind = ContentKind::String;
      c->str = utf8_to_utf16(r.read_string());
      return !c->str.empty();
    case 5:
      c->kind = ContentKind::Embed;
      return r.read_json(&c->extra().value);
    case 6:
      c->kind = ContentKind::Format;
      c->extra().key = r.read_key();
      return r.read_json(&c->extra().value);
    case 7: {
      c->kind = ContentKind::Type;
      uint64_t ref = r.read_type_ref();
      if (ref > kRefXmlText) return false;
      auto& x = c->extra();
      x.type_ref = static_cast<uint8_t>(ref);
      if (ref == kRefXmlElement || ref == kRefXmlHook) x.key = r.read_key();
      return true;
    }
    case 8: {
      c->kind = ContentKind::Any;
      uint64_t n = r.read_len();
      auto& v = c->extra().any;
      for (uint64_t i = 0; i < n && !r.failed(); ++i) {
        Any a;
        if (!r.read_any(&a)) return false;
        v.push_back(std::move(a));
      }
      return n > 0;
    }
    case 9: {
      c->kind = ContentKind::Doc;
      auto& x = c->extra();
      x.key = r.read_string();
      return r.read_any(&x.doc_opts);
    }
    default: return false;
  }
}

// The most structs one v2 update may declare (about 100 bytes each once decoded).
constexpr uint64_t kMaxStructsV2 = uint64_t{1} << 22;

template <class R>
bool read_delete_set(R& r, DeleteSet* ds) {
  uint64_t num_clients = r.rest.read_var_uint();
  for (uint64_t i = 0; i < num_clients && !r.failed(); ++i) {
    r.reset_ds();
    uint64_t client = r.rest.read_var_uint();
    uint64_t n = r.rest.read_var_uint();
    for (uint64_t k = 0; k < n && !r.failed(); ++k) {
      uint64_t clock = r.read_ds_clock();
      uint64_t len = r.read_ds_len();
      if (clock > kMaxSafeInteger || len > kMaxSafeInteger - clock) return false;
      ds->add(client, clock, len);
    }
  }
  return !r.failed();
}

// `max_structs` bounds what a hostile update can make us allocate: in v1 every struct costs
// at least one input byte, but v2's run-length columns can declare millions of structs in
// a few bytes.
template <class R>
Result<DecodedUpdate> read_update(R& r, uint64_t max_structs) {
  DecodedUpdate u;
  uint64_t total_structs = 0;
  if (r.failed()) return Error{kErrDecode, "truncated update header"};
  uint64_t num_clients = r.rest.read_var_uint();
  for (uint64_t ci = 0; ci < num_clients && !r.failed(); ++ci) {
    uint64_t num_structs = r.rest.read_var_uint();
    DecodedClient dc;
    dc.client = r.read_client();
    uint64_t clock = r.rest.read_var_uint();
    if (num_structs <= max_structs) dc.structs.reserve(num_structs);
    for (uint64_t si = 0; si < num_structs; ++si) {
      if (r.failed()) return Error{kErrDecode, "truncated update"};
      if (++total_structs > max_structs) return Error{kErrDecode, "update declares too many structs"};
      DecodedStruct s;
      s.id = {dc.client, clock};
      uint8_t info = r.read_info();
      switch (info & kBits5) {
        case 0:
          s.kind = StructKind::GC;
          s.len = r.read_len();
          break;
        case 10:
          s.kind = StructKind::Skip;
          s.len = r.rest.read_var_uint();
          break;
        default: {
          s.kind = StructKind::Item;
          bool cant_copy_parent = (info & (kBit7 | kBit8)) == 0;
          if (info & kBit8) {
            s.has_origin = true;
            s.origin = r.read_left_id();
          }
          if (info & kBit7) {
            s.has_right_origin = true;
            s.right_origin = r.read_right_id();
          }
          if (cant_copy_parent) {
            if (r.read_parent_info()) {
              s.parent_kind = ParentKind::Root;
              s.parent_name = r.read_string();
            } else {
              s.parent_kind = ParentKind::Id;
              s.parent_id = r.read_left_id();
            }
            if (info & kBit6) {
              s.has_parent_sub = true;
              s.parent_sub = r.read_string();
            }
          }
          if (!read_content(r, info, &s.content) || r.failed()) {
            return Error{kErrDecode, "malformed item content"};
          }
          s.len = s.content.length();
          break;
        }
      }
      if (r.failed()) return Error{kErrDecode, "truncated update"};
      if (s.len == 0 || s.len > kMaxSafeInteger - clock) {
        return Error{kErrDecode, "invalid struct length"};
      }
      clock += s.len;
      dc.structs.push_back(std::move(s));
    }
    if (!dc.structs.empty()) u.clients.push_back(std::move(dc));
  }
  if (r.failed()) return Error{kErrDecode, "truncated update"};
  if (!read_delete_set(r, &u.ds)) return Error{kErrDecode, "malformed delete set"};
  return u;
}

}  // namespace

Result<DecodedUpdate> decode_update_v1(ByteView update) {
  ReaderV1 r(update);
  return read_update(r, update.size());
}

Result<DecodedUpdate> decode_update_v2(ByteView update) {
  ReaderV2 r(update);
  return read_update(r, std::min<uint64_t>(uint64_t{64} * update.size() + 4096, kMaxStructsV2));
}

Result<DeleteSet> read_delete_set_v1(Decoder& dec) {
  ReaderV1 r({});
  r.rest = dec;
  DeleteSet ds;
  if (!read_delete_set(r, &ds)) return Error{kErrDecode, "malformed delete set"};
  dec = r.rest;
  return ds;
}

void write_content_v1(Encoder& enc, const Content& c, uint64_t offset) {
  switch (c.kind) {
    case ContentKind::Deleted: enc.write_var_uint(c.deleted_len - offset); break;
    case ContentKind::Json: {
      const auto& v = c.x->json;
      enc.write_var_uint(v.size() - offset);
      for (size_t i = offset; i < v.size(); ++i) enc.write_var_string(v[i]);
      break;
    }
    case ContentKind::Binary: enc.write_var_bytes(c.x->binary); break;
    case ContentKind::String: {
      std::u16string_view u = std::u16string_view(c.str).substr(offset);
      if (std::all_of(u.begin(), u.end(), [](char16_t ch) { return ch < 0x80; })) {
        enc.write_var_uint(u.size());  // ASCII: UTF-8 has one byte per code unit
        uint8_t* out = enc.extend(u.size());
        for (char16_t ch : u) *out++ = static_cast<uint8_t>(ch);
        break;
      }
      std::string s;
      append_utf16_as_utf8(u, &s);
      enc.write_var_string(s);
      break;
    }
    case ContentKind::Embed: enc.write_var_string(c.x->value); break;
    case ContentKind::Format:
      enc.write_var_string(c.x->key);
      enc.write_var_string(c.x->value);
      break;
    case ContentKind::Type:
      enc.write_var_uint(c.x->type_ref);
      if (c.x->type_ref == kRefXmlElement || c.x->type_ref == kRefXmlHook) {
        enc.write_var_string(c.x->key);
      }
      break;
    case ContentKind::Any: {
      const auto& v = c.x->any;
      enc.write_var_uint(v.size() - offset);
      for (size_t i = offset; i < v.size(); ++i) write_any(enc, v[i]);
      break;
    }
    case ContentKind::Doc:
      enc.write_var_string(c.x->key);
      write_any(enc, c.x->doc_opts);
      break;
  }
}

void write_item_v1(Encoder& enc, ID id, uint64_t offset, bool has_origin, ID origin,
                   bool has_right_origin, ID right_origin, const ParentInfo& parent,
                   const std::string* parent_sub, const Content& content) {
  if (offset > 0) {
    has_origin = true;
    origin = {id.client, id.clock + offset - 1};
  }
  uint8_t info = static_cast<uint8_t>((static_cast<uint8_t>(content.kind) & kBits5) |
                                      (has_origin ? kBit8 : 0) |
                                      (has_right_origin ? kBit7 : 0) |
                                      (parent_sub ? kBit6 : 0));
  enc.write_u8(info);
  if (has_origin) {
    enc.write_var_uint(origin.client);
    enc.write_var_uint(origin.clock);
  }
  if (has_right_origin) {
    enc.write_var_uint(right_origin.client);
    enc.write_var_uint(right_origin.clock);
  }
  if (!has_origin && !has_right_origin) {
    if (parent.kind == ParentKind::Root) {
      enc.write_var_uint(1);
      enc.write_var_string(parent.name);
    } else {
      enc.write_var_uint(0);
      enc.write_var_uint(parent.id.client);
      enc.write_var_uint(parent.id.clock);
    }
    if (parent_sub) enc.write_var_string(*parent_sub);
  }
  write_content_v1(enc, content, offset);
}

void write_struct_v1(Encoder& enc, const DecodedStruct& s, uint64_t offset) {
  switch (s.kind) {
    case StructKind::GC:
      enc.write_u8(0);
      enc.write_var_uint(s.len - offset);
      break;
    case StructKind::Skip:
      enc.write_u8(10);
      enc.write_var_uint(s.len - offset);
      break;
    case StructKind::Item: {
      ParentInfo p;
      p.kind = s.parent_kind;
      p.name = s.parent_name;
      p.id = s.parent_id;
      write_item_v1(enc, s.id, offset, s.has_origin, s.origin, s.has_right_origin,
                    s.right_origin, p, s.has_parent_sub ? &s.parent_sub : nullptr, s.content);
      break;
    }
  }
}

void write_delete_set_v1(Encoder& enc, const DeleteSet& ds) {
  enc.write_var_uint(ds.clients.size());
  for (auto it = ds.clients.rbegin(); it != ds.clients.rend(); ++it) {
    enc.write_var_uint(it->first);
    enc.write_var_uint(it->second.size());
    for (const auto& r : it->second) {
      enc.write_var_uint(r.clock);
      enc.write_var_uint(r.len);
    }
  }
}

}  // namespace mockloop::crdt
