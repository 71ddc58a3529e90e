/*
 * libyrs.h — C ABI of the MockLoop CRDT engine (server/crdt), shaped like y-crdt's yffi
 * (same noun_verb names and signatures for the subset implemented here).
 *
 * Conventions
 * - Handles are opaque: YDoc (ydoc_new, ydoc_new_with_options / ydoc_destroy), YTransaction (ydoc_*_transaction /
 *   ytransaction_commit), YSubscription (ydoc_observe_updates_v1 / yunobserve), Branch
 *   (ytext/ymap/yarray; owned by its YDoc, valid until ydoc_destroy, never freed alone).
 * - Buffers returned as `char *` + `uint32_t *len` are owned by the caller and must be
 *   released with ybinary_destroy(ptr, len). Strings returned as `char *` (NUL-terminated,
 *   UTF-8) must be released with ystring_destroy. Input buffers are borrowed for the call.
 * - Text positions and lengths are UTF-16 code units (as in Yjs), whatever YOptions.encoding
 *   says.
 * - Every call that reads or edits a document takes a transaction. At most one write
 *   transaction per document is open at a time (ydoc_write_transaction returns NULL
 *   otherwise). Update observers run on ytransaction_commit of a write transaction that
 *   changed something (and after a successful ytransaction_apply outside any transaction);
 *   the data pointer passed to them is valid only during the callback.
 * - Thread-safety: none. A YDoc and everything obtained from it must be used by one thread at
 *   a time; distinct YDocs are independent.
 * - Errors: functions returning pointers return NULL on failure; ytransaction_apply returns 0
 *   on success or one of the ERR_CODE_* values below, and then leaves the document unchanged.
 *   No C++ exception ever crosses this boundary.
 * - Transaction origins are byte strings; up to 8 bytes are used as the origin id given to
 *   update observers of the C++ API (longer origins are hashed).
 */
#ifndef MOCKLOOP_CRDT_LIBYRS_H
#define MOCKLOOP_CRDT_LIBYRS_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define Y_OFFSET_BYTES 0
#define Y_OFFSET_UTF16 1

#define ERR_CODE_IO 1
#define ERR_CODE_VAR_INT 2
#define ERR_CODE_EOS 3
#define ERR_CODE_UNEXPECTED_VALUE 4
#define ERR_CODE_INVALID_JSON 5
#define ERR_CODE_OTHER 6

typedef struct YDoc YDoc;
typedef struct YTransaction YTransaction;
typedef struct Branch Branch;
typedef struct YSubscription YSubscription;
/* Formatting attributes input of yffi; not supported here: pass NULL. */
typedef struct YInput YInput;

typedef struct YOptions {
  /* Client id; 0 = random. */
  uint64_t id;
  /* Ignored (sub-documents are not supported). May be NULL. */
  const char *guid;
  const char *collection_id;
  /* Ignored: offsets are always UTF-16 code units. */
  uint8_t encoding;
  /* Non-zero keeps deleted content (no garbage collection). */
  uint8_t skip_gc;
  uint8_t auto_load;
  uint8_t should_load;
} YOptions;

/* Default options: random id, GC on. */
YOptions yoptions(void);

YDoc *ydoc_new(void);
YDoc *ydoc_new_with_options(YOptions options);
void ydoc_destroy(YDoc *value);
uint64_t ydoc_id(YDoc *doc);

YTransaction *ydoc_read_transaction(YDoc *doc);
YTransaction *ydoc_write_transaction(YDoc *doc, uint32_t origin_len, const char *origin);
/* Ends (and frees) a transaction of either kind. */
void ytransaction_commit(YTransaction *txn);
uint8_t ytransaction_writeable(YTransaction *txn);

/* Encoded state vector (v1). Release with ybinary_destroy. */
char *ytransaction_state_vector_v1(const YTransaction *txn, uint32_t *len);
/* v1 update with everything not covered by the state vector sv (NULL = full state). */
char *ytransaction_state_diff_v1(const YTransaction *txn, const char *sv, uint32_t sv_len,
                                 uint32_t *len);
/* Applies a v1 update; requires a write transaction. 0 = ok. */
uint8_t ytransaction_apply(YTransaction *txn, const char *diff, uint32_t diff_len);
/* Applies a v2 update; requires a write transaction. 0 = ok. */
uint8_t ytransaction_apply_v2(YTransaction *txn, const char *diff, uint32_t diff_len);

YSubscription *ydoc_observe_updates_v1(YDoc *doc, void *state,
                                       void (*cb)(void *, uint32_t, const char *));
void yunobserve(YSubscription *subscription);

Branch *ytext(YDoc *doc, const char *name);
/* value: NUL-terminated UTF-8. attrs must be NULL. Requires a write transaction. */
void ytext_insert(const Branch *txt, YTransaction *txn, uint32_t index, const char *value,
                  const YInput *attrs);
void ytext_remove_range(const Branch *txt, YTransaction *txn, uint32_t index, uint32_t length);
/* Release with ystring_destroy. */
char *ytext_string(const Branch *txt, const YTransaction *txn);
uint32_t ytext_len(const Branch *txt, const YTransaction *txn);

Branch *ymap(YDoc *doc, const char *name);
uint32_t ymap_len(const Branch *map, const YTransaction *txn);
/* Extension (not in yffi): JSON of the map, released with ystring_destroy. */
char *ymap_to_json(const Branch *map, const YTransaction *txn);

Branch *yarray(YDoc *doc, const char *name);
uint32_t yarray_len(const Branch *array);
/* Extension (not in yffi): JSON of the array, released with ystring_destroy. */
char *yarray_to_json(const Branch *array, const YTransaction *txn);

void ybinary_destroy(char *ptr, uint32_t len);
void ystring_destroy(char *str);

#ifdef __cplusplus
}
#endif

#endif /* MOCKLOOP_CRDT_LIBYRS_H */
