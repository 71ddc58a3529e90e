#include "net/ws_writer.hpp"

#include <algorithm>
#include <cstring>

namespace mockloop::net {

WsWriter::Push WsWriter::admit(std::size_t bytes) {
  if (frames_ + 1 > limits_.max_frames || bytes_ + bytes > limits_.max_bytes) {
    refusing_ = true;
    drop_queued();
    return Push::overflow;
  }
  frames_ += 1;
  bytes_ += bytes;
  if (armed_) return Push::queued;
  armed_ = true;
  return Push::schedule;
}

void WsWriter::drop_queued() {
  pending_.clear();
  pong_.reset();
  frames_ = inflight_frames_;
  bytes_ = inflight_bytes_;
}

WsWriter::Push WsWriter::push_message(Frame payload) {
  std::lock_guard lock(mu_);
  if (refusing_ || close_queued_) return Push::dropped;
  const std::size_t n = payload->size();
  Push r = admit(n);
  if (r != Push::overflow) pending_.push_back(OutFrame{std::move(payload), ws::kBinary});
  return r;
}

WsWriter::Push WsWriter::push_pong(std::span<const uint8_t> payload) {
  auto frame = std::make_shared<const std::vector<uint8_t>>(payload.begin(), payload.end());
  std::lock_guard lock(mu_);
  if (refusing_ || close_queued_) return Push::dropped;
  if (pong_) {  // coalesce: only the latest ping is answered
    bytes_ = bytes_ - (*pong_)->size() + frame->size();
    pong_ = std::move(frame);
    return armed_ ? Push::queued : (armed_ = true, Push::schedule);
  }
  Push r = admit(frame->size());
  if (r != Push::overflow) pong_ = std::move(frame);
  return r;
}

WsWriter::Push WsWriter::push_ping() {
  static const Frame empty = std::make_shared<const std::vector<uint8_t>>();
  std::lock_guard lock(mu_);
  if (refusing_ || close_queued_) return Push::dropped;
  Push r = admit(0);
  if (r != Push::overflow) pending_.push_back(OutFrame{empty, ws::kPing});
  return r;
}

WsWriter::Push WsWriter::push_close(std::vector<uint8_t> payload) {
  auto frame = std::make_shared<const std::vector<uint8_t>>(std::move(payload));
  std::lock_guard lock(mu_);
  if (shut_ || close_queued_) return Push::dropped;  // (after an overflow the close still goes)
  close_queued_ = true;
  // The close frame is always admitted: it is at most 125 bytes and ends the queue.
  frames_ += 1;
  bytes_ += frame->size();
  pending_.push_back(OutFrame{std::move(frame), ws::kClose});
  if (armed_) return Push::queued;
  armed_ = true;
  return Push::schedule;
}

bool WsWriter::over_high_water() const {
  std::lock_guard lock(mu_);
  return frames_ > limits_.high_water_frames || bytes_ > limits_.high_water_bytes;
}

void WsWriter::shut() {
  std::lock_guard lock(mu_);
  shut_ = true;
  refusing_ = true;
  drop_queued();
}

bool WsWriter::take_batch() {
  {
    std::lock_guard lock(mu_);
    if (shut_ || (pending_.empty() && !pong_)) {
      armed_ = false;
      return false;
    }
    batch_.clear();
    if (pong_) {
      batch_.push_back(OutFrame{std::move(*pong_), ws::kPong});
      pong_.reset();
    }
    std::size_t take = std::min(pending_.size(), kMaxFramesPerWrite);
    batch_.insert(batch_.end(), std::make_move_iterator(pending_.begin()),
                  std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(take)));
    pending_.erase(pending_.begin(), pending_.begin() + static_cast<std::ptrdiff_t>(take));
    inflight_frames_ = batch_.size();
    inflight_bytes_ = 0;
    for (const auto& f : batch_) inflight_bytes_ += f.payload->size();
  }
  layout();
  return true;
}

// Small payloads are copied behind their headers into wbuf_; large ones are referenced
// where they are.
void WsWriter::layout() {
  std::size_t copy = 0;
  for (const auto& f : batch_) copy += ws::kMaxFrameHeaderBytes + (f.payload->size() < kCopyBelowBytes ? f.payload->size() : 0);
  wbuf_.resize(copy);
  iov_.clear();
  iov_first_ = 0;
  batch_bytes_ = 0;
  std::size_t pos = 0, seg = 0;
  for (const auto& f : batch_) {
    const auto& p = *f.payload;
    pos += ws::encode_header(wbuf_.data() + pos, f.opcode, p.size());
    if (p.size() < kCopyBelowBytes) {
      if (!p.empty()) std::memcpy(wbuf_.data() + pos, p.data(), p.size());
      pos += p.size();
    } else {
      iov_.push_back(iovec{wbuf_.data() + seg, pos - seg});
      iov_.push_back(iovec{const_cast<uint8_t*>(p.data()), p.size()});
      batch_bytes_ += pos - seg + p.size();
      seg = pos;
    }
  }
  if (pos > seg) {
    iov_.push_back(iovec{wbuf_.data() + seg, pos - seg});
    batch_bytes_ += pos - seg;
  }
}

bool WsWriter::advance(std::size_t n) {
  while (n > 0 && iov_first_ < iov_.size()) {
    iovec& b = iov_[iov_first_];
    if (n >= b.iov_len) {
      n -= b.iov_len;
      ++iov_first_;
      continue;
    }
    b.iov_base = static_cast<uint8_t*>(b.iov_base) + n;
    b.iov_len -= n;
    n = 0;
  }
  return iov_first_ == iov_.size();
}

WsWriter::Written WsWriter::finish_batch() {
  Written w;
  w.bytes = batch_bytes_;
  std::size_t payload_bytes = 0;
  for (const auto& f : batch_) {
    payload_bytes += f.payload->size();
    if (f.opcode == ws::kBinary) ++w.messages;
    if (f.opcode == ws::kClose) w.had_close = true;
  }
  const std::size_t frames = batch_.size();
  batch_.clear();
  iov_.clear();
  iov_first_ = 0;
  batch_bytes_ = 0;
  if (wbuf_.capacity() > kKeepBufferBytes) {
    wbuf_ = {};
    iov_.shrink_to_fit();
  }
  std::lock_guard lock(mu_);
  frames_ -= std::min(frames_, frames);
  bytes_ -= std::min(bytes_, payload_bytes);
  inflight_frames_ = 0;
  inflight_bytes_ = 0;
  return w;
}

}  // namespace mockloop::net
