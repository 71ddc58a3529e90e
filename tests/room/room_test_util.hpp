// Test doubles for the room: a Peer that records what it is sent, and a Client that pairs
// one with a real crdt::Doc so tests can edit, sync and compare documents.
#pragma once

#include <atomic>
#include <cstdlib>
#include <future>
#include <filesystem>
#include <mutex>
#include <string>
#include <vector>

#include "crdt/crdt.hpp"
#include "room/doc_connection.hpp"
#include "room/doc_registry.hpp"
#include "room/peer.hpp"
#include "../store/temp_dir.hpp"
#include "wire/awareness_update.hpp"
#include "wire/message.hpp"

namespace mockloop::room::test {

using store::test::TempDir;

// Holds the store writer inside its next transaction (via its fault injector) until
// release(), so tests can observe what clients see before a commit.
class WriterGate {
 public:
  explicit WriterGate(store::Writer& writer) : writer_(writer), gate_(release_.get_future().share()) {
    writer_.set_fault_injector([this]() -> Result<void> {
      if (first_.exchange(false)) {
        entered_.set_value();
        gate_.wait();
      }
      return {};
    });
  }
  ~WriterGate() {
    if (!released_) release();
    writer_.set_fault_injector({});
  }
  void wait_entered() { entered_.get_future().wait(); }
  void release() {
    released_ = true;
    release_.set_value();
  }

 private:
  store::Writer& writer_;
  std::promise<void> entered_, release_;
  std::shared_future<void> gate_;
  std::atomic<bool> first_{true};
  bool released_ = false;
};

class FakePeer final : public Peer {
 public:
  explicit FakePeer(uint64_t id) : id_(id) {}
  uint64_t id() const override { return id_; }
  void send(std::shared_ptr<const std::vector<uint8_t>> frame) override {
    std::lock_guard lock(mu_);
    frames_.push_back(std::move(frame));
  }
  void close(uint16_t code, std::string reason) override {
    std::lock_guard lock(mu_);
    if (close_code_ != 0) return;
    close_code_ = code;
    close_reason_ = std::move(reason);
  }
  void pause_reads_until(std::chrono::steady_clock::time_point until) override {
    std::lock_guard lock(mu_);
    ++pauses_;
    paused_until_ = until;
  }
  int pauses() const {
    std::lock_guard lock(mu_);
    return pauses_;
  }
  std::vector<std::shared_ptr<const std::vector<uint8_t>>> take() {
    std::lock_guard lock(mu_);
    return std::exchange(frames_, {});
  }
  size_t pending() const {
    std::lock_guard lock(mu_);
    return frames_.size();
  }
  uint16_t close_code() const {
    std::lock_guard lock(mu_);
    return close_code_;
  }
  std::string close_reason() const {
    std::lock_guard lock(mu_);
    return close_reason_;
  }

 private:
  const uint64_t id_;
  mutable std::mutex mu_;
  std::vector<std::shared_ptr<const std::vector<uint8_t>>> frames_;
  uint16_t close_code_ = 0;
  std::string close_reason_;
  int pauses_ = 0;
  std::chrono::steady_clock::time_point paused_until_{};
};

// A y-websocket client in miniature: its own crdt::Doc, a FakePeer, a DocConnection.
class Client {
 public:
  Client(uint64_t peer_id, uint64_t client_id)
      : doc(crdt::DocOptions{.client_id = client_id, .gc = true}), peer(std::make_shared<FakePeer>(peer_id)) {
    doc.observe_update_v1([this](crdt::ByteView u, crdt::Origin origin) {
      if (origin == kLocal) last_update.assign(u.begin(), u.end());
    });
  }

  Result<void> join(DocRegistry& reg, const std::string& name, bool read_only = false,
                    const std::string& principal = {}) {
    auto c = reg.join(name, peer, read_only, principal);
    if (!c) return c.error();
    conn = std::move(c).value();
    return {};
  }

  void send(const std::vector<uint8_t>& frame) { conn->on_message(frame); }
  void send_step1() { send(wire::encode_sync_step1(doc.state_vector_v1())); }

  // Inserts text locally and returns the update (not sent).
  std::vector<uint8_t> edit(const std::string& text) {
    doc.transact(kLocal, [&] { doc.get_text("t").insert(static_cast<uint32_t>(doc.get_text("t").to_string().size()), text); });
    return last_update;
  }
  // Edits and sends the update as a sync-update message.
  void type(const std::string& text) { send(wire::encode_sync_update(edit(text))); }

  // Applies everything received: step 2 and updates go into the doc, the server's step 1 is
  // answered with a step 2, awareness payloads are kept. Returns the frames handled.
  std::vector<std::shared_ptr<const std::vector<uint8_t>>> receive() {
    auto frames = peer->take();
    for (const auto& f : frames) {
      wire::Message m;
      if (wire::decode_message(*f, m) != wire::DecodeErrc::ok) {
        ADD_FAILURE() << "server sent a malformed frame";
        continue;
      }
      if (auto* s1 = std::get_if<wire::SyncStep1>(&m)) {
        step1_count++;
        auto diff = doc.encode_state_as_update_v1(s1->state_vector);
        if (diff) answer_step1.push_back(wire::encode_sync_step2(diff.value()));
      } else if (auto* s2 = std::get_if<wire::SyncStep2>(&m)) {
        step2_count++;
        EXPECT_TRUE(doc.apply_update_v1(s2->update, kRemote).ok());
      } else if (auto* u = std::get_if<wire::SyncUpdate>(&m)) {
        update_count++;
        EXPECT_TRUE(doc.apply_update_v1(u->update, kRemote).ok());
      } else if (auto* a = std::get_if<wire::AwarenessMessage>(&m)) {
        std::vector<wire::AwarenessEntry> entries;
        EXPECT_EQ(wire::decode_awareness_update(a->update, entries), wire::DecodeErrc::ok);
        for (const auto& e : entries) awareness.push_back({e.client_id, e.clock, std::string(e.state_json)});
      }
    }
    return frames;
  }

  std::string text() { return doc.get_text("t").to_string(); }

  struct AwarenessSeen {
    uint64_t client_id;
    uint64_t clock;
    std::string state;
  };

  static constexpr crdt::Origin kLocal = 1;
  static constexpr crdt::Origin kRemote = 2;
  crdt::Doc doc;
  std::shared_ptr<FakePeer> peer;
  std::shared_ptr<DocConnection> conn;
  std::vector<uint8_t> last_update;
  std::vector<std::vector<uint8_t>> answer_step1;
  std::vector<AwarenessSeen> awareness;
  int step1_count = 0, step2_count = 0, update_count = 0;
};

inline std::vector<uint8_t> awareness_frame(uint64_t client_id, uint64_t clock, std::string_view state) {
  wire::AwarenessEntry e{client_id, clock, state};
  return wire::encode_awareness(wire::encode_awareness_update(std::span(&e, 1)));
}

}  // namespace mockloop::room::test
