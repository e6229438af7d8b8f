// A fact sink that runs its consumer on a thread of its own: the run's
// actors record, the checker (and a history file) consume on the other core.
// Facts reach the consumer in the order they were put, so what it decides
// is the same as if it had been called in place.
#pragma once

#include "history/fact.hpp"

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace calldrill {

/// Hands facts to `inner` on its own thread through a bounded queue of
/// batches (the recorder waits when it is full). `put` from one thread at a
/// time. `finish` returns once every fact was delivered and rethrows what
/// the consumer threw; the destructor finishes too, without throwing.
class pipe_sink : public fact_sink {
public:
  /// Facts per batch and batches queued at most (16384 x 8 x 48 B: 6 MiB).
  static constexpr std::size_t batch_facts = 16384;
  static constexpr std::size_t batches_max = 8;

  explicit pipe_sink(fact_sink& inner);
  ~pipe_sink() override;
  pipe_sink(const pipe_sink&) = delete;
  pipe_sink& operator=(const pipe_sink&) = delete;

  void put(const fact& f) override {
    current_.push_back(f);
    if (current_.size() == batch_facts)
      hand_over();
  }

  /// Delivers what is left, waits for the consumer, rethrows its error.
  void finish();

private:
  void hand_over();
  void consume();

  fact_sink& inner_;
  std::vector<fact> current_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<std::vector<fact>> queue_;
  std::vector<std::vector<fact>> spare_; ///< emptied batches, for reuse
  bool closed_ = false;
  std::exception_ptr error_;
  std::thread thread_;
};

} // namespace calldrill
