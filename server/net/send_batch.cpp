// io_uring through its raw system calls (see send_batch.hpp for the contract).
#include "net/send_batch.hpp"

#include "common/log.hpp"

#include <linux/io_uring.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <memory>

namespace mockloop::net {

namespace {

int ring_setup(unsigned entries, io_uring_params* p) {
  return static_cast<int>(syscall(__NR_io_uring_setup, entries, p));
}

int ring_enter(int fd, unsigned to_submit, unsigned min_complete, unsigned flags) {
  return static_cast<int>(syscall(__NR_io_uring_enter, fd, to_submit, min_complete, flags, nullptr, 0));
}

unsigned* at(void* base, uint32_t off) { return reinterpret_cast<unsigned*>(static_cast<char*>(base) + off); }

struct ThreadState {
  std::unique_ptr<SendBatcher> batcher;
  bool tried = false;
  std::string why;
};
thread_local ThreadState t_state;

}  // namespace

SendBatcher* SendBatcher::for_this_thread(bool enabled) {
  if (!enabled) return nullptr;
  auto& st = t_state;
  if (!st.tried) {
    st.tried = true;
    std::unique_ptr<SendBatcher> b(new SendBatcher());
    if (b->setup(st.why)) {
      st.batcher = std::move(b);
    } else {
      log::info("net", "io_uring unavailable: broadcasts write one connection at a time", {{"reason", st.why}});
    }
  }
  if (st.batcher && st.batcher->broken_) return nullptr;
  return st.batcher.get();
}

std::string SendBatcher::unavailable_reason() { return t_state.why; }

bool SendBatcher::setup(std::string& why) {
  io_uring_params p{};
  unsigned flags = 0;
#ifdef IORING_SETUP_SUBMIT_ALL
  flags |= IORING_SETUP_SUBMIT_ALL;  // one failing job does not stop the others' submission
#endif
#ifdef IORING_SETUP_COOP_TASKRUN
  flags |= IORING_SETUP_COOP_TASKRUN;  // no interrupt of this thread for completion work
#endif
#ifdef IORING_SETUP_SINGLE_ISSUER
  flags |= IORING_SETUP_SINGLE_ISSUER;  // only this thread submits
#endif
  p.flags = flags;
  fd_ = ring_setup(kRingEntries, &p);
  if (fd_ < 0 && errno == EINVAL) {  // an older kernel: the plain ring
    p = io_uring_params{};
    fd_ = ring_setup(kRingEntries, &p);
  }
  if (fd_ < 0) {
    why = std::string("io_uring_setup: ") + std::strerror(errno);
    return false;
  }
  sq_len_ = p.sq_off.array + p.sq_entries * sizeof(unsigned);
  cq_len_ = p.cq_off.cqes + p.cq_entries * sizeof(io_uring_cqe);
  bool single = (p.features & IORING_FEAT_SINGLE_MMAP) != 0;
  if (single) sq_len_ = cq_len_ = std::max(sq_len_, cq_len_);
  sq_ptr_ = mmap(nullptr, sq_len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd_, IORING_OFF_SQ_RING);
  if (sq_ptr_ == MAP_FAILED) {
    sq_ptr_ = nullptr;
    why = std::string("mmap of the submission ring: ") + std::strerror(errno);
    return false;
  }
  if (single) {
    cq_ptr_ = sq_ptr_;
  } else {
    cq_ptr_ = mmap(nullptr, cq_len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd_, IORING_OFF_CQ_RING);
    if (cq_ptr_ == MAP_FAILED) {
      cq_ptr_ = nullptr;
      why = std::string("mmap of the completion ring: ") + std::strerror(errno);
      return false;
    }
  }
  sqes_len_ = p.sq_entries * sizeof(io_uring_sqe);
  sqes_ptr_ = mmap(nullptr, sqes_len_, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, fd_, IORING_OFF_SQES);
  if (sqes_ptr_ == MAP_FAILED) {
    sqes_ptr_ = nullptr;
    why = std::string("mmap of the submission entries: ") + std::strerror(errno);
    return false;
  }
  sq_tail_ = at(sq_ptr_, p.sq_off.tail);
  sq_mask_ = at(sq_ptr_, p.sq_off.ring_mask);
  unsigned* array = at(sq_ptr_, p.sq_off.array);
  for (unsigned i = 0; i < p.sq_entries; ++i) array[i] = i;  // slot i holds entry i
  cq_head_ = at(cq_ptr_, p.cq_off.head);
  cq_tail_ = at(cq_ptr_, p.cq_off.tail);
  cq_mask_ = at(cq_ptr_, p.cq_off.ring_mask);
  cqes_ = static_cast<char*>(cq_ptr_) + p.cq_off.cqes;
  return true;
}

SendBatcher::~SendBatcher() {
  if (sqes_ptr_) munmap(sqes_ptr_, sqes_len_);
  if (cq_ptr_ && cq_ptr_ != sq_ptr_) munmap(cq_ptr_, cq_len_);
  if (sq_ptr_) munmap(sq_ptr_, sq_len_);
  if (fd_ >= 0) close(fd_);
}

void SendBatcher::send_all(std::span<SendJob> jobs) {
  while (!jobs.empty()) {
    std::size_t n = std::min<std::size_t>(jobs.size(), kRingEntries);
    if (broken_) {
      send_directly(jobs);
      return;
    }
    send_chunk(jobs.first(n));
    jobs = jobs.subspan(n);
  }
}

void SendBatcher::send_directly(std::span<SendJob> jobs) {
  for (auto& j : jobs) {
    ssize_t r = ::sendmsg(j.fd, &j.msg, MSG_DONTWAIT | MSG_NOSIGNAL);
    j.result = r < 0 ? -errno : r;
  }
}

// At most kRingEntries jobs: the ring is empty before and after.
void SendBatcher::send_chunk(std::span<SendJob> jobs) {
  auto* sqes = static_cast<io_uring_sqe*>(sqes_ptr_);
  auto* cqes = static_cast<io_uring_cqe*>(cqes_);
  unsigned tail = *sq_tail_;
  for (std::size_t i = 0; i < jobs.size(); ++i) {
    io_uring_sqe& e = sqes[(tail + i) & *sq_mask_];
    std::memset(&e, 0, sizeof e);
    e.opcode = IORING_OP_SENDMSG;
    e.fd = jobs[i].fd;
    e.addr = reinterpret_cast<uint64_t>(&jobs[i].msg);
    e.len = 1;
    // MSG_DONTWAIT makes a full socket buffer complete at once with -EAGAIN (the kernel
    // parks no request to retry later), so every job is done when its completion is read.
    e.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL;
    e.user_data = i;
    jobs[i].result = -EINPROGRESS;
  }
  std::atomic_ref<unsigned>(*sq_tail_).store(tail + static_cast<unsigned>(jobs.size()), std::memory_order_release);

  auto to_submit = static_cast<unsigned>(jobs.size());
  std::size_t done = 0;
  while (done < jobs.size()) {
    unsigned want = static_cast<unsigned>(jobs.size() - done);
    int r = ring_enter(fd_, to_submit, want, IORING_ENTER_GETEVENTS);
    if (r < 0 && errno != EINTR && errno != EAGAIN && errno != EBUSY) {
      // The ring itself failed: nothing is entered again on this thread (see below).
      broken_ = true;
    } else if (r > 0) {
      to_submit -= std::min(to_submit, static_cast<unsigned>(r));
    }
    unsigned head = *cq_head_;
    unsigned ctail = std::atomic_ref<unsigned>(*cq_tail_).load(std::memory_order_acquire);
    for (; head != ctail; ++head) {
      const io_uring_cqe& c = cqes[head & *cq_mask_];
      if (c.user_data < jobs.size() && jobs[c.user_data].result == -EINPROGRESS) {
        jobs[c.user_data].result = c.res;
        ++done;
      }
    }
    std::atomic_ref<unsigned>(*cq_head_).store(head, std::memory_order_release);
    if (broken_) break;
  }
  if (broken_) {
    // Entries are consumed in order: the first `submitted` went to the kernel and may have
    // been written, so they fail (the caller closes those connections, which resync); the
    // rest never left and are written directly.
    std::size_t submitted = jobs.size() - to_submit;
    for (std::size_t i = 0; i < jobs.size(); ++i) {
      if (jobs[i].result != -EINPROGRESS) continue;
      if (i < submitted) {
        jobs[i].result = -EIO;
      } else {
        send_directly(jobs.subspan(i, 1));
      }
    }
  }
}

}  // namespace mockloop::net
