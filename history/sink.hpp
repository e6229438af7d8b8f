// Fact sinks that compose: a tee to several sinks, and a lock that makes any
// sink safe for realtime runs, where actors record from several threads.
// The lock's order is the order facts were made: a fact recorded before a
// message is sent precedes every fact its receiver records.
#pragma once

#include "history/fact.hpp"

#include <mutex>
#include <vector>

namespace calldrill {

/// Sends every fact to each of `sinks`, in order.
class tee_sink : public fact_sink {
public:
  void add(fact_sink* s) { sinks_.push_back(s); }
  void put(const fact& f) override {
    for (auto* s : sinks_)
      s->put(f);
  }
  void put_all(const fact* first, std::size_t n) override {
    for (auto* s : sinks_)
      s->put_all(first, n);
  }

private:
  std::vector<fact_sink*> sinks_;
};

/// Serialises calls into `inner`. Thread-safe.
class locked_sink : public fact_sink {
public:
  explicit locked_sink(fact_sink& inner) : inner_(inner) {}
  void put(const fact& f) override {
    std::lock_guard<std::mutex> guard{mutex_};
    inner_.put(f);
  }

private:
  fact_sink& inner_;
  std::mutex mutex_;
};

} // namespace calldrill
