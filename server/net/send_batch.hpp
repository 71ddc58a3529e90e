// Writes to many sockets in one system call. A broadcast queues one message on each of a
// document's connections; written one by one that is one sendmsg per receiver, and on a
// virtual machine each system call's entry and exit costs about as much again as the
// kernel's work for a small loopback segment. With io_uring the io thread lists every
// receiver's sendmsg in a ring and enters the kernel once (ws_session.cpp, flush_all).
//
// Contract of send_all: every job is attempted exactly once, non-blocking (MSG_DONTWAIT,
// MSG_NOSIGNAL); on return each job's `result` holds the bytes written (possibly fewer
// than asked) or -errno (-EAGAIN when the socket buffer was full). Nothing stays in
// flight. Jobs for different sockets may complete in any order; a batch never holds two
// jobs for one socket.
//
// No I/O of its own beyond that, no Asio: the raw Linux interface (linux/io_uring.h), so
// no extra library. Where io_uring is missing or forbidden (old kernel, seccomp,
// kernel.io_uring_disabled) for_this_thread() returns nullptr and callers write one by one.
#pragma once

#include <sys/socket.h>
#include <sys/types.h>

#include <cstddef>
#include <span>
#include <string>

namespace mockloop::net {

struct SendJob {
  int fd = -1;
  msghdr msg{};         // msg_iov / msg_iovlen: what to write; must stay valid during send_all
  ssize_t result = 0;   // out: bytes written, or -errno
};

class SendBatcher {
 public:
  static constexpr unsigned kRingEntries = 256;  // jobs per system call; larger batches take several

  // The calling thread's batcher, set up on first use; nullptr when io_uring cannot be used
  // or `enabled` is false. Threads never share one.
  static SendBatcher* for_this_thread(bool enabled = true);

  // Why the last set-up on this thread failed ("" when it did not, or was not tried).
  static std::string unavailable_reason();

  void send_all(std::span<SendJob> jobs);

  ~SendBatcher();
  SendBatcher(const SendBatcher&) = delete;
  SendBatcher& operator=(const SendBatcher&) = delete;

 private:
  SendBatcher() = default;
  bool setup(std::string& why);
  void send_chunk(std::span<SendJob> jobs);
  void send_directly(std::span<SendJob> jobs);

  int fd_ = -1;
  bool broken_ = false;  // a ring error: the rest of this thread's life writes directly
  void* sq_ptr_ = nullptr;
  std::size_t sq_len_ = 0;
  void* cq_ptr_ = nullptr;
  std::size_t cq_len_ = 0;
  void* sqes_ptr_ = nullptr;
  std::size_t sqes_len_ = 0;
  unsigned* sq_tail_ = nullptr;
  unsigned* sq_mask_ = nullptr;
  unsigned* cq_head_ = nullptr;
  unsigned* cq_tail_ = nullptr;
  unsigned* cq_mask_ = nullptr;
  void* cqes_ = nullptr;
};

}  // namespace mockloop::net
