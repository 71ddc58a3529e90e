/* The C ABI (server/crdt/libyrs.h) used from plain C11, as a C host would:
 *   - two docs; text inserted in one ships to the other through
 *     ytransaction_state_vector_v1 / ytransaction_state_diff_v1 / ytransaction_apply;
 *   - a NULL state vector gives the full state;
 *   - the update observer sees each committed transaction's bytes;
 *   - a malformed update returns a nonzero error code and leaves the doc unchanged;
 *   - every returned buffer and string is released with the library's own destroy calls
 *     (run under ASan/LSan in the sanitizer build to prove it).
 * Exit status 0 on success; prints the failing check otherwise. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "crdt/libyrs.h"

static int failures = 0;

#define CHECK(cond)                                                  \
  do {                                                               \
    if (!(cond)) {                                                   \
      fprintf(stderr, "%s:%d: CHECK failed: %s\n", __FILE__, __LINE__, #cond); \
      ++failures;                                                    \
    }                                                                \
  } while (0)

struct observed {
  int calls;
  uint32_t last_len;
};

static void on_update(void* state, uint32_t len, const char* bytes) {
  struct observed* o = (struct observed*)state;
  o->calls++;
  o->last_len = len;
  CHECK(bytes != NULL && len > 0);
}

static YDoc* new_doc(uint64_t id) {
  YOptions o = yoptions();
  o.id = id;
  return ydoc_new_with_options(o);
}

static char* text_of(YDoc* doc, Branch* txt) {
  YTransaction* r = ydoc_read_transaction(doc);
  char* s = ytext_string(txt, r);
  ytransaction_commit(r);
  return s;
}

int main(void) {
  YDoc* a = new_doc(1);
  YDoc* b = new_doc(2);
  CHECK(a != NULL && b != NULL);
  Branch* ta = ytext(a, "text");
  Branch* tb = ytext(b, "text");

  struct observed seen = {0, 0};
  YSubscription* sub = ydoc_observe_updates_v1(a, &seen, on_update);
  CHECK(sub != NULL);

  /* Edit a: UTF-16 indices; "😀" is two code units. */
  YTransaction* w = ydoc_write_transaction(a, 5, "local");
  ytext_insert(ta, w, 0, "hello world", NULL);
  ytext_insert(ta, w, 5, " \xF0\x9F\x98\x80", NULL);
  ytext_remove_range(ta, w, 0, 1);
  CHECK(ytext_len(ta, w) == 13);
  ytransaction_commit(w);
  CHECK(seen.calls == 1);
  yunobserve(sub);

  /* Ship the diff a -> b against b's state vector. */
  YTransaction* rb = ydoc_read_transaction(b);
  uint32_t sv_len = 0;
  char* sv = ytransaction_state_vector_v1(rb, &sv_len);
  ytransaction_commit(rb);
  CHECK(sv != NULL && sv_len > 0);

  YTransaction* ra = ydoc_read_transaction(a);
  uint32_t diff_len = 0;
  char* diff = ytransaction_state_diff_v1(ra, sv, sv_len, &diff_len);
  uint32_t full_len = 0;
  char* full = ytransaction_state_diff_v1(ra, NULL, 0, &full_len);
  ytransaction_commit(ra);
  ybinary_destroy(sv, sv_len);
  CHECK(diff != NULL && diff_len > 0);
  CHECK(full != NULL && full_len == diff_len && memcmp(full, diff, full_len) == 0);

  YTransaction* wb = ydoc_write_transaction(b, 0, NULL);
  CHECK(ytransaction_apply(wb, diff, diff_len) == 0);
  ytransaction_commit(wb);
  ybinary_destroy(diff, diff_len);
  ybinary_destroy(full, full_len);

  char* sa = text_of(a, ta);
  char* sb = text_of(b, tb);
  CHECK(sa != NULL && sb != NULL);
  if (sa && sb) {
    CHECK(strcmp(sa, "ello \xF0\x9F\x98\x80 world") == 0);
    CHECK(strcmp(sa, sb) == 0);
  }
  ystring_destroy(sa);
  ystring_destroy(sb);

  /* Malformed updates: an error code, and b is unchanged. */
  YTransaction* r0 = ydoc_read_transaction(b);
  uint32_t before_len = 0;
  char* before = ytransaction_state_diff_v1(r0, NULL, 0, &before_len);
  ytransaction_commit(r0);
  const char garbage[] = {0x05, (char)0xff, (char)0xff, (char)0xff, (char)0xff, (char)0xff, 0x01, 0x02};
  const char truncated[] = {0x01, 0x01, 0x01, 0x00, 0x04, 0x01, 0x04, 't', 'e'};
  YTransaction* wg = ydoc_write_transaction(b, 0, NULL);
  CHECK(ytransaction_apply(wg, garbage, sizeof garbage) != 0);
  CHECK(ytransaction_apply(wg, truncated, sizeof truncated) != 0);
  ytransaction_commit(wg);
  YTransaction* r1 = ydoc_read_transaction(b);
  uint32_t after_len = 0;
  char* after = ytransaction_state_diff_v1(r1, NULL, 0, &after_len);
  ytransaction_commit(r1);
  CHECK(before != NULL && after != NULL && before_len == after_len && memcmp(before, after, after_len) == 0);
  ybinary_destroy(before, before_len);
  ybinary_destroy(after, after_len);

  ydoc_destroy(a);
  ydoc_destroy(b);
  if (failures) {
    fprintf(stderr, "capi_test: %d check(s) failed\n", failures);
    return 1;
  }
  printf("capi_test: ok\n");
  return 0;
}
