// C ABI (libyrs.h) over the C++ API. Every entry point catches all exceptions.
#include "crdt/libyrs.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "crdt/doc.hpp"
#include "crdt/doc_impl.hpp"

namespace crdt = mockloop::crdt;

struct YDoc {
  crdt::Doc doc;
  bool write_open = false;
  explicit YDoc(crdt::DocOptions o) : doc(o) {}
};

struct YTransaction {
  YDoc* doc;
  bool write;
};

struct YSubscription {
  YDoc* doc;
  uint64_t id;
};

namespace {

crdt::Branch* branch_of(const Branch* b) {
  return reinterpret_cast<crdt::Branch*>(const_cast<Branch*>(b));
}
Branch* to_c(crdt::Branch* b) { return reinterpret_cast<Branch*>(b); }

char* copy_bytes(const crdt::Bytes& b, uint32_t* len) {
  char* p = static_cast<char*>(std::malloc(b.empty() ? 1 : b.size()));
  if (!p) return nullptr;
  if (!b.empty()) std::memcpy(p, b.data(), b.size());
  *len = static_cast<uint32_t>(b.size());
  return p;
}

char* copy_string(const std::string& s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (!p) return nullptr;
  std::memcpy(p, s.c_str(), s.size() + 1);
  return p;
}

uint64_t origin_id(const char* origin, uint32_t len) {
  if (!origin || len == 0) return 0;
  uint64_t v = 0;
  if (len <= 8) {
    for (uint32_t i = 0; i < len; ++i) v |= static_cast<uint64_t>(static_cast<uint8_t>(origin[i])) << (8 * i);
    return v;
  }
  v = 1469598103934665603ull;  // FNV-1a
  for (uint32_t i = 0; i < len; ++i) {
    v ^= static_cast<uint8_t>(origin[i]);
    v *= 1099511628211ull;
  }
  return v;
}

uint8_t error_code(const crdt::Error& e) {
  return e.code == crdt::kErrDecode ? ERR_CODE_EOS : ERR_CODE_UNEXPECTED_VALUE;
}

crdt::ByteView view(const char* p, uint32_t len) {
  return {reinterpret_cast<const uint8_t*>(p), p ? len : 0};
}

}  // namespace

extern "C" {

YOptions yoptions(void) {
  YOptions o;
  std::memset(&o, 0, sizeof o);
  o.encoding = Y_OFFSET_UTF16;
  return o;
}

YDoc* ydoc_new(void) { return ydoc_new_with_options(yoptions()); }

YDoc* ydoc_new_with_options(YOptions options) {
  try {
    crdt::DocOptions o;
    o.client_id = options.id & crdt::kMaxSafeInteger;
    o.gc = options.skip_gc == 0;
    return new YDoc(o);
  } catch (...) {
    return nullptr;
  }
}

void ydoc_destroy(YDoc* value) { delete value; }

uint64_t ydoc_id(YDoc* doc) { return doc ? doc->doc.client_id() : 0; }

YTransaction* ydoc_read_transaction(YDoc* doc) {
  if (!doc) return nullptr;
  return new (std::nothrow) YTransaction{doc, false};
}

YTransaction* ydoc_write_transaction(YDoc* doc, uint32_t origin_len, const char* origin) {
  if (!doc || doc->write_open) return nullptr;
  try {
    auto* t = new YTransaction{doc, true};
    doc->write_open = true;
    doc->doc.impl()->begin(origin_id(origin, origin_len), true);
    return t;
  } catch (...) {
    return nullptr;
  }
}

void ytransaction_commit(YTransaction* txn) {
  if (!txn) return;
  if (txn->write) {
    try {
      txn->doc->doc.impl()->end();
    } catch (...) {
    }
    txn->doc->write_open = false;
  }
  delete txn;
}

uint8_t ytransaction_writeable(YTransaction* txn) { return txn && txn->write ? 1 : 0; }

char* ytransaction_state_vector_v1(const YTransaction* txn, uint32_t* len) {
  if (!txn || !len) return nullptr;
  try {
    return copy_bytes(txn->doc->doc.state_vector_v1(), len);
  } catch (...) {
    return nullptr;
  }
}

char* ytransaction_state_diff_v1(const YTransaction* txn, const char* sv, uint32_t sv_len,
                                 uint32_t* len) {
  if (!txn || !len) return nullptr;
  try {
    auto r = txn->doc->doc.encode_state_as_update_v1(view(sv, sv_len));
    if (!r.ok()) return nullptr;
    return copy_bytes(r.value(), len);
  } catch (...) {
    return nullptr;
  }
}

static uint8_t apply_common(YTransaction* txn, const char* diff, uint32_t diff_len, bool v2) {
  if (!txn || !txn->write) return ERR_CODE_OTHER;
  try {
    auto r = v2 ? txn->doc->doc.apply_update_v2(view(diff, diff_len))
                : txn->doc->doc.apply_update_v1(view(diff, diff_len));
    return r.ok() ? 0 : error_code(r.error());
  } catch (...) {
    return ERR_CODE_OTHER;
  }
}

uint8_t ytransaction_apply(YTransaction* txn, const char* diff, uint32_t diff_len) {
  return apply_common(txn, diff, diff_len, false);
}

uint8_t ytransaction_apply_v2(YTransaction* txn, const char* diff, uint32_t diff_len) {
  return apply_common(txn, diff, diff_len, true);
}

YSubscription* ydoc_observe_updates_v1(YDoc* doc, void* state,
                                       void (*cb)(void*, uint32_t, const char*)) {
  if (!doc || !cb) return nullptr;
  try {
    uint64_t id = doc->doc.observe_update_v1([state, cb](crdt::ByteView u, crdt::Origin) {
      cb(state, static_cast<uint32_t>(u.size()), reinterpret_cast<const char*>(u.data()));
    });
    return new YSubscription{doc, id};
  } catch (...) {
    return nullptr;
  }
}

void yunobserve(YSubscription* subscription) {
  if (!subscription) return;
  subscription->doc->doc.unobserve_update(subscription->id);
  delete subscription;
}

Branch* ytext(YDoc* doc, const char* name) {
  if (!doc || !name) return nullptr;
  try {
    return to_c(doc->doc.get_text(name).branch());
  } catch (...) {
    return nullptr;
  }
}

void ytext_insert(const Branch* txt, YTransaction* txn, uint32_t index, const char* value,
                  const YInput* attrs) {
  (void)attrs;
  if (!txt || !txn || !txn->write || !value) return;
  try {
    crdt::Text(branch_of(txt)).insert(index, value);
  } catch (...) {
  }
}

void ytext_remove_range(const Branch* txt, YTransaction* txn, uint32_t index, uint32_t length) {
  if (!txt || !txn || !txn->write) return;
  try {
    crdt::Text(branch_of(txt)).remove(index, length);
  } catch (...) {
  }
}

char* ytext_string(const Branch* txt, const YTransaction* txn) {
  if (!txt || !txn) return nullptr;
  try {
    return copy_string(crdt::Text(branch_of(txt)).to_string());
  } catch (...) {
    return nullptr;
  }
}

uint32_t ytext_len(const Branch* txt, const YTransaction* txn) {
  if (!txt || !txn) return 0;
  return crdt::Text(branch_of(txt)).length();
}

Branch* ymap(YDoc* doc, const char* name) {
  if (!doc || !name) return nullptr;
  try {
    return to_c(doc->doc.get_map(name).branch());
  } catch (...) {
    return nullptr;
  }
}

uint32_t ymap_len(const Branch* map, const YTransaction* txn) {
  if (!map || !txn) return 0;
  try {
    return crdt::Map(branch_of(map)).size();
  } catch (...) {
    return 0;
  }
}

char* ymap_to_json(const Branch* map, const YTransaction* txn) {
  if (!map || !txn) return nullptr;
  try {
    return copy_string(crdt::Map(branch_of(map)).to_json());
  } catch (...) {
    return nullptr;
  }
}

Branch* yarray(YDoc* doc, const char* name) {
  if (!doc || !name) return nullptr;
  try {
    return to_c(doc->doc.get_array(name).branch());
  } catch (...) {
    return nullptr;
  }
}

uint32_t yarray_len(const Branch* array) {
  if (!array) return 0;
  return crdt::Array(branch_of(array)).length();
}

char* yarray_to_json(const Branch* array, const YTransaction* txn) {
  if (!array || !txn) return nullptr;
  try {
    return copy_string(crdt::Array(branch_of(array)).to_json());
  } catch (...) {
    return nullptr;
  }
}

void ybinary_destroy(char* ptr, uint32_t len) {
  (void)len;
  std::free(ptr);
}

void ystring_destroy(char* str) { std::free(str); }

}  // extern "C"
