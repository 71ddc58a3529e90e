// The room's quotas (room/limits.hpp), each through the registry as the transport uses it:
// connections and documents per principal, unused documents unloaded to make room under
// max_docs_in_memory, stored bytes per document, awareness bytes per connection (smaller
// for read-only ones) and per document.
#include <gtest/gtest.h>

#include <string>

#include "room/doc_registry.hpp"
#include "room/room_metrics.hpp"
#include "room_test_util.hpp"

namespace mockloop::room {
namespace {

using test::awareness_frame;
using test::Client;
using test::TempDir;

std::unique_ptr<DocRegistry> open_registry(const std::string& path, Limits limits) {
  RegistryOptions o;
  o.db_path = path;
  o.limits = limits;
  auto r = DocRegistry::open(std::move(o));
  EXPECT_TRUE(r) << r.error().message;
  return std::move(r).value();
}

// The JSON text of an awareness state of `bytes` bytes.
std::string state_of(size_t bytes) { return "{\"n\":\"" + std::string(bytes - 8, 'x') + "\"}"; }

TEST(RoomQuotas, OneTokenCannotTakeADocsConnectionSlots) {
  TempDir dir;
  Limits l;
  l.max_connections_per_principal_per_doc = 2;
  auto reg = open_registry(dir.file("d.db"), l);
  Client a(1, 1), b(2, 2), c(3, 3), other(4, 4), anon(5, 5);
  ASSERT_TRUE(a.join(*reg, "doc", false, "token:1"));
  ASSERT_TRUE(b.join(*reg, "doc", false, "token:1"));
  auto r = c.join(*reg, "doc", false, "token:1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::principal_conns);
  EXPECT_TRUE(other.join(*reg, "doc", false, "token:2"));
  EXPECT_TRUE(anon.join(*reg, "doc", false, ""));  // not counted
  a.conn->leave();
  EXPECT_TRUE(c.join(*reg, "doc", false, "token:1")) << "a slot comes back when a connection leaves";
}

TEST(RoomQuotas, OneTokenCannotHoldMoreThanItsDocsOpen) {
  TempDir dir;
  Limits l;
  l.max_docs_per_principal = 2;
  auto reg = open_registry(dir.file("d.db"), l);
  Client a(1, 1), b(2, 2), c(3, 3);
  ASSERT_TRUE(a.join(*reg, "one", false, "ip:10.0.0.1"));
  ASSERT_TRUE(b.join(*reg, "two", false, "ip:10.0.0.1"));
  auto r = c.join(*reg, "three", false, "ip:10.0.0.1");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, Errc::principal_docs);
  EXPECT_EQ(reg->docs_loaded(), 2u) << "a refused principal loads nothing";
  b.conn.reset();  // the session goes: its DocConnection leaves
  EXPECT_TRUE(c.join(*reg, "three", false, "ip:10.0.0.1"));
}

TEST(RoomQuotas, UnusedDocsAreUnloadedToMakeRoomUnderMaxDocs) {
  TempDir dir;
  Limits l;
  l.max_docs_in_memory = 2;
  auto reg = open_registry(dir.file("d.db"), l);
  Client a(1, 1), b(2, 2), c(3, 3), d(4, 4), e(5, 5);
  ASSERT_TRUE(a.join(*reg, "scratch"));
  a.type("kept");
  reg->flush();
  a.conn->leave();  // "scratch" is loaded and unused
  ASSERT_TRUE(b.join(*reg, "interview"));
  ASSERT_TRUE(c.join(*reg, "notes")) << "the unused doc did not make room";
  EXPECT_EQ(reg->docs_loaded(), 2u);
  auto r = d.join(*reg, "more");
  ASSERT_FALSE(r) << "a doc in use was unloaded";
  EXPECT_EQ(r.error().code, Errc::too_many_docs);
  c.conn->leave();
  ASSERT_TRUE(e.join(*reg, "scratch"));  // reloaded from its log
  e.receive();
  e.send_step1();
  reg->flush();
  e.receive();
  EXPECT_EQ(e.text(), "kept");
}

TEST(RoomQuotas, AnUpdateOverTheDocSizeIsRefusedAndNothingIsStored) {
  TempDir dir;
  Limits l;
  l.max_doc_bytes = 400;
  auto reg = open_registry(dir.file("d.db"), l);
  Client a(1, 1), b(2, 2);
  ASSERT_TRUE(a.join(*reg, "doc"));
  ASSERT_TRUE(b.join(*reg, "doc"));
  a.type(std::string(100, 'a'));
  reg->flush();
  b.receive();
  EXPECT_EQ(b.text(), std::string(100, 'a'));
  a.type(std::string(400, 'b'));  // 100 + 400 > 400
  reg->flush();
  EXPECT_EQ(a.peer->close_code(), kClosePolicy);
  EXPECT_EQ(a.peer->close_reason(), "document size limit reached");
  b.receive();
  EXPECT_EQ(b.text(), std::string(100, 'a')) << "the refused update was relayed";
  EXPECT_EQ(b.peer->close_code(), 0);
  // Nothing of it was stored: a fresh load has the first update only.
  b.conn.reset();
  a.conn.reset();
  reg.reset();
  reg = open_registry(dir.file("d.db"), l);
  Client c(3, 3);
  ASSERT_TRUE(c.join(*reg, "doc"));
  c.receive();
  c.send_step1();
  reg->flush();
  c.receive();
  EXPECT_EQ(c.text(), std::string(100, 'a'));
}

TEST(RoomQuotas, AwarenessBytesPerConnectionAreBoundedAndSmallForReadOnly) {
  TempDir dir;
  Limits l;
  l.max_awareness_bytes_per_connection = 4096;
  l.max_read_only_awareness_bytes = 256;
  auto reg = open_registry(dir.file("d.db"), l);
  Client rw(1, 1), ro(2, 2), big(3, 3), watcher(4, 4);
  ASSERT_TRUE(watcher.join(*reg, "doc"));
  ASSERT_TRUE(rw.join(*reg, "doc"));
  ASSERT_TRUE(ro.join(*reg, "doc", /*read_only=*/true));
  ASSERT_TRUE(big.join(*reg, "doc", /*read_only=*/true));
  rw.send(awareness_frame(1, 1, state_of(4000)));
  ro.send(awareness_frame(2, 1, state_of(200)));  // a name and a cursor
  EXPECT_EQ(rw.peer->close_code(), 0);
  EXPECT_EQ(ro.peer->close_code(), 0);
  big.send(awareness_frame(3, 1, state_of(2000)));
  EXPECT_EQ(big.peer->close_code(), kClosePolicy);
  EXPECT_EQ(big.peer->close_reason(), "awareness state too large");
  rw.send(awareness_frame(1, 2, state_of(5000)));
  EXPECT_EQ(rw.peer->close_code(), kClosePolicy);
  watcher.receive();
  for (const auto& s : watcher.awareness) {
    EXPECT_LE(s.state.size(), 4000u) << "a state over the limit was relayed (client " << s.client_id << ")";
  }
}

TEST(RoomQuotas, AwarenessCannotMakeADocUnjoinable) {
  TempDir dir;
  Limits l;
  l.max_awareness_bytes_per_connection = 4096;
  l.max_awareness_bytes_per_doc = 10000;
  auto reg = open_registry(dir.file("d.db"), l);
  std::vector<std::unique_ptr<Client>> clients;
  for (uint64_t i = 1; i <= 6; ++i) {
    clients.push_back(std::make_unique<Client>(i, i));
    ASSERT_TRUE(clients.back()->join(*reg, "doc"));
    clients.back()->send(awareness_frame(i, 1, state_of(3000)));  // 3 fit, the rest is dropped
  }
  for (auto& c : clients) EXPECT_EQ(c->peer->close_code(), 0) << "a client at the doc's limit was closed";
  Client joiner(100, 100);
  ASSERT_TRUE(joiner.join(*reg, "doc"));
  joiner.receive();
  size_t bytes = 0;
  for (const auto& s : joiner.awareness) bytes += s.state.size();
  EXPECT_EQ(joiner.awareness.size(), 3u);
  EXPECT_LE(bytes, 10000u);
  // A removal always passes, and frees room for a new state.
  clients[0]->send(awareness_frame(1, 2, "null"));
  clients[5]->send(awareness_frame(6, 2, state_of(3000)));
  Client late(101, 101);
  ASSERT_TRUE(late.join(*reg, "doc"));
  late.receive();
  bool six = false;
  for (const auto& s : late.awareness) six = six || s.client_id == 6;
  EXPECT_TRUE(six);
}

}  // namespace
}  // namespace mockloop::room
