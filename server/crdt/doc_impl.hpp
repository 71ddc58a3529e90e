// DocImpl: the document internals behind the public Doc handle — struct store, shared types,
// the transaction in progress, pending (not yet integrable) structs and deletes, observers.
// Ported from Yjs 13.6 (Item.integrate, integrateStructs, readAndApplyDeleteSet,
// cleanupTransactions) so that the struct layout, and thus the encoding, is byte-identical.
// Single-threaded: one thread owns a DocImpl at a time.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "crdt/item.hpp"
#include "crdt/limits.hpp"
#include "crdt/result.hpp"
#include "crdt/store.hpp"
#include "crdt/update.hpp"

namespace mockloop::crdt {

using StateMap = std::unordered_map<uint64_t, uint64_t>;

struct Transaction {
  uint64_t origin = 0;
  bool local = true;
  FlatMap<uint64_t> before_state;
  DeleteSet ds;
  std::vector<ID> merge_structs;
  std::vector<Branch*> changed;

  uint64_t before(uint64_t client) const {
    auto it = before_state.find(client);
    return it == before_state.end() ? 0 : it->second;
  }
};

class DocImpl {
 public:
  using UpdateCallback = std::function<void(ByteView, uint64_t)>;

  DocImpl(uint64_t client_id, bool gc, Limits limits = {});
  ~DocImpl();

  uint64_t client_id;
  bool gc;
  Limits limits;  // checked on remote updates only (apply_update)
  StructStore store;

  // --- arena and shared types
  Item* alloc_item();
  Branch* alloc_branch();
  Branch* get_root(std::string_view name);
  const std::vector<Branch*>& roots() const { return root_order_; }

  // --- transactions (nestable; the outermost end() runs the cleanup and observers)
  void begin(uint64_t origin, bool local);
  void end();
  Transaction& txn() { return *txn_; }
  bool in_transaction() const { return txn_ != nullptr; }

  // --- struct operations (REQUIRE a transaction)
  Item* get_item_clean_start(ID id);
  Item* get_item_clean_end(ID id);
  Item* split_item(Item* left, uint64_t diff);  // also inserts the right half into the store
  void integrate(Item* item);                    // Item.integrate(transaction, 0)
  void delete_item(Item* item);
  // Creates and integrates a local item between left and right.
  Item* insert_local(Branch* parent, Item* left, Item* right, const std::string* parent_sub,
                     Content content);
  const std::string* intern_key(Branch* parent, std::string_view key);

  // --- updates
  Result<void> apply_update(DecodedUpdate update, uint64_t origin);
  Bytes encode_state_as_update(const StateMap& sv) const;
  StateMap state_map() const;
  // Pending structs as a v1 update (gaps filled with Skip) and pending deletes as a v1
  // update without structs; empty when there are none.
  Bytes encode_pending_structs_v1() const;
  Bytes encode_pending_ds_v1() const;
  bool has_pending() const { return !pending_structs_.empty() || !pending_ds_.empty(); }

  // --- observers
  uint64_t observe(UpdateCallback cb);
  void unobserve(uint64_t id);

  // --- search markers (Yjs ArraySearchMarker)
  SearchMarker* find_marker(Branch* b, uint64_t index);
  void update_marker_changes(Branch* b, uint64_t index, int64_t len);

 private:
  struct PendingRefs {
    std::vector<DecodedStruct> refs;
    size_t i = 0;
    bool dead = false;  // moved to the rest; treated as absent
  };
  struct Missing {
    std::vector<DecodedClient> rest;
    StateMap missing;
  };

  void add_changed(Branch* type);
  // Whether integrating `update` (and, with `with_pending`, the pending structs it may
  // unblock) stays within `limits` (update_limits.cpp). Reads the document, changes nothing.
  Result<void> check_limits(const DecodedUpdate& update, bool with_pending) const;
  bool delete_one(Item* item);  // marks one item deleted; true if it is a type to descend
  void gc_item(Item* item, bool parent_gcd);
  void gc_rewrite(Item* item, bool parent_gcd);  // one item, children already handled
  size_t try_merge_with_lefts(StructStore::Structs& s, size_t pos);
  bool merge_items(Item* left, Item* right);
  void cleanup(Transaction& t);
  bool get_missing(DecodedStruct& s, uint64_t* missing_client, Item** left, Item** right,
                   Branch** parent, bool* parent_null);
  Missing integrate_structs(std::vector<DecodedClient>& clients);
  DeleteSet apply_delete_set(const DeleteSet& ds);
  void apply_decoded(std::vector<DecodedClient> clients, const DeleteSet& ds);
  void write_update_from_txn(Encoder& enc, const Transaction& t) const;
  template <class SV>
  void write_structs(Encoder& enc, const SV& sv) const;
  void write_item(Encoder& enc, const Item* it, uint64_t offset) const;

  // Items, in chunks that double from 8 to 256 items: pointers stay valid, and items made
  // one after another sit together (a std::deque holds three Items per block).
  std::vector<std::unique_ptr<Item[]>> item_chunks_;
  size_t chunk_size_ = 0;  // items in the last chunk
  size_t chunk_used_ = 0;  // of which handed out
  std::deque<Branch> branches_;
  std::vector<Branch*> root_order_;
  std::unordered_map<std::string, Branch*> roots_;
  std::unique_ptr<Transaction> txn_;
  std::unique_ptr<Transaction> spare_txn_;
  std::vector<std::pair<uint64_t, uint64_t>> after_;  // clients whose state changed
  Encoder update_enc_;
  std::vector<Item*> free_items_;  // items merged away, reusable
  // Explicit stacks of delete_item and gc_item (kept for their capacity).
  struct DeleteFrame {
    Branch* branch = nullptr;
    Item* list = nullptr;  // next list child to visit
    std::unordered_map<std::string, Item*>::iterator map_it;
  };
  std::vector<DeleteFrame> del_stack_;
  std::vector<Item*> gc_items_;
  std::vector<Branch*> gc_types_;
  int txn_depth_ = 0;
  std::map<uint64_t, std::vector<DecodedStruct>> pending_structs_;
  StateMap pending_missing_;
  DeleteSet pending_ds_;
  std::vector<std::pair<uint64_t, UpdateCallback>> observers_;
  uint64_t next_observer_id_ = 1;
  uint64_t marker_clock_ = 0;

  friend class DocEncoder;
};

}  // namespace mockloop::crdt
