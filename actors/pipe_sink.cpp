// The piped fact sink (see pipe_sink.hpp).
#include "actors/pipe_sink.hpp"

#include <utility>

namespace calldrill {

pipe_sink::pipe_sink(fact_sink& inner) : inner_(inner) {
  current_.reserve(batch_facts);
  thread_ = std::thread{[this] { consume(); }};
}

pipe_sink::~pipe_sink() {
  try {
    finish();
  } catch (...) {
    // nop: a run that failed already reports why
  }
}

void pipe_sink::hand_over() {
  std::unique_lock<std::mutex> lock{mutex_};
  changed_.wait(lock, [&] { return queue_.size() < batches_max; });
  queue_.push_back(std::move(current_));
  if (!spare_.empty()) {
    current_ = std::move(spare_.back());
    spare_.pop_back();
  } else {
    current_ = {};
    current_.reserve(batch_facts);
  }
  lock.unlock();
  changed_.notify_all();
}

void pipe_sink::consume() {
  for (;;) {
    std::vector<fact> batch;
    {
      std::unique_lock<std::mutex> lock{mutex_};
      changed_.wait(lock, [&] { return !queue_.empty() || closed_; });
      if (queue_.empty())
        return; // closed and drained
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    changed_.notify_all();
    // After an error the rest is drained unread, so the recorder never waits
    // on a consumer that stopped.
    if (!error_)
      try {
        inner_.put_all(batch.data(), batch.size());
      } catch (...) {
        error_ = std::current_exception();
      }
    batch.clear();
    std::lock_guard<std::mutex> guard{mutex_};
    // Every batch comes back for reuse: a fresh one is a fresh mapping of
    // 768 KiB, and its first touch page by page cost the recorder a fifth
    // of its time on runs that record a fact per re-registration.
    if (spare_.size() <= batches_max)
      spare_.push_back(std::move(batch));
  }
}

void pipe_sink::finish() {
  if (!thread_.joinable())
    return;
  if (!current_.empty())
    hand_over();
  {
    std::lock_guard<std::mutex> guard{mutex_};
    closed_ = true;
  }
  changed_.notify_all();
  thread_.join();
  if (error_)
    std::rethrow_exception(error_);
}

} // namespace calldrill
