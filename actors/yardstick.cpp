// Ping-pong between two event-based actors, timed from first to last message.
#include "actors/yardstick.hpp"

#include <caf/all.hpp>

#include <chrono>
#include <future>

namespace calldrill {

double ping_pong_rate(std::uint64_t messages) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", static_cast<std::size_t>(1));
  caf::actor_system sys{cfg};
  auto done = std::make_shared<std::promise<void>>();
  auto finished = done->get_future();
  // Each spawn passes an argument: for a function taking none, CAF 0.17.6
  // dereferences a null argument tuple (undefined behaviour, which the
  // sanitized build reports).
  auto pong = sys.spawn([](std::uint64_t step) -> caf::behavior {
    return {[=](std::uint64_t n) { return n + step; }};
  }, std::uint64_t{1});
  auto start = std::chrono::steady_clock::now();
  sys.spawn([=](caf::event_based_actor* self, std::uint64_t replies) {
    self->send(pong, std::uint64_t{0});
    self->become([=](std::uint64_t n) { // the n-th reply
      if (n >= replies) {
        done->set_value();
        self->quit();
        return;
      }
      self->send(pong, n);
    });
  }, messages / 2);
  finished.wait();
  auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  caf::anon_send_exit(pong, caf::exit_reason::user_shutdown);
  return static_cast<double>(messages) / wall.count();
}

} // namespace calldrill
