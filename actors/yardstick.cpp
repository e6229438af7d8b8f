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
  auto pong = sys.spawn([]() -> caf::behavior {
    return {[=](std::uint64_t n) { return n; }};
  });
  auto start = std::chrono::steady_clock::now();
  sys.spawn([=](caf::event_based_actor* self) {
    self->send(pong, std::uint64_t{0});
    self->become([=](std::uint64_t n) {
      if (n + 1 >= messages / 2) {
        done->set_value();
        self->quit();
        return;
      }
      self->send(pong, n + 1);
    });
  });
  finished.wait();
  auto wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - start);
  caf::anon_send_exit(pong, caf::exit_reason::user_shutdown);
  return static_cast<double>(messages) / wall.count();
}

} // namespace calldrill
