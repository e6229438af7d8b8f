// The threads of a partitioned run: the caller and `helpers` more run one
// window's work side by side, then the caller alone runs what comes between
// windows. Windows are short (a grid step of simulated time, often a few
// microseconds of work), so each side spins briefly before it sleeps; the
// machine may have fewer cores than busy threads (the checker has one too).
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace calldrill {

class window_crew {
public:
  /// `work(w)` runs worker w's share of a window (w = 0 on the caller).
  window_crew(std::size_t helpers, std::function<void(std::size_t)> work)
    : work_(std::move(work)), errors_(helpers + 1) {
    threads_.reserve(helpers);
    for (std::size_t w = 1; w <= helpers; ++w)
      threads_.emplace_back([this, w] { serve(w); });
  }
  ~window_crew() {
    quit_.store(true, std::memory_order_relaxed);
    round_.fetch_add(1, std::memory_order_seq_cst);
    wake();
    for (auto& t : threads_)
      t.join();
  }
  window_crew(const window_crew&) = delete;
  window_crew& operator=(const window_crew&) = delete;

  /// Runs one window on every worker and returns once all are done;
  /// rethrows the first worker's exception.
  void run_window() {
    finished_.store(0, std::memory_order_relaxed);
    round_.fetch_add(1, std::memory_order_seq_cst);
    wake();
    attempt(0);
    auto helpers = threads_.size();
    await([&] { return finished_.load(std::memory_order_seq_cst) == helpers; });
    for (auto& e : errors_)
      if (e)
        std::rethrow_exception(std::exchange(e, nullptr));
  }

private:
  static constexpr unsigned spins_max = 256;

  /// Returns once `ready()`: spins a little, then sleeps until woken.
  template <class Ready>
  void await(Ready ready) {
    for (unsigned spins = 0; spins < spins_max; ++spins) {
      if (ready())
        return;
#if defined(__x86_64__) || defined(__i386__)
      __builtin_ia32_pause();
#endif
    }
    std::unique_lock<std::mutex> lock{mutex_};
    sleepers_.fetch_add(1, std::memory_order_seq_cst);
    changed_.wait(lock, ready);
    sleepers_.fetch_sub(1, std::memory_order_relaxed);
  }

  /// Wakes whoever sleeps in await (after a change it may wait for).
  void wake() {
    if (sleepers_.load(std::memory_order_seq_cst) == 0)
      return;
    std::lock_guard<std::mutex> guard{mutex_};
    changed_.notify_all();
  }

  void attempt(std::size_t w) {
    try {
      work_(w);
    } catch (...) {
      errors_[w] = std::current_exception();
    }
  }

  void serve(std::size_t w) {
    std::uint64_t seen = 0;
    for (;;) {
      await([&] { return round_.load(std::memory_order_seq_cst) != seen; });
      seen = round_.load(std::memory_order_acquire);
      if (quit_.load(std::memory_order_relaxed))
        return;
      attempt(w);
      finished_.fetch_add(1, std::memory_order_seq_cst);
      wake();
    }
  }

  std::function<void(std::size_t)> work_;
  std::vector<std::exception_ptr> errors_;
  std::vector<std::thread> threads_;
  std::atomic<std::uint64_t> round_{0};
  std::atomic<std::size_t> finished_{0};
  std::atomic<bool> quit_{false};
  std::atomic<unsigned> sleepers_{0};
  std::mutex mutex_;
  std::condition_variable changed_;
};

} // namespace calldrill
