// Deliberate defects: switches that make the simulated system disobey one rule
// of the source's table, so every oracle check is shown to fail when it should.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace calldrill {

enum class defect : std::uint8_t {
  drop_established_on_failover,
  pickup_in_resiliency,
  answer_stale_queue,
  keep_stale_queue,
  ignore_orbit_target,
  degrade_bystanders,
};
constexpr std::size_t defect_count = 6;

/// A set of defects; empty means the conforming system.
class defect_set {
public:
  void add(defect d) { bits_ |= bit(d); }
  bool has(defect d) const { return (bits_ & bit(d)) != 0; }
  bool empty() const { return bits_ == 0; }
  std::uint32_t bits() const { return bits_; }
  static defect_set from_bits(std::uint32_t b) {
    defect_set s;
    s.bits_ = b;
    return s;
  }

private:
  static std::uint32_t bit(defect d) { return 1u << static_cast<unsigned>(d); }
  std::uint32_t bits_ = 0;
};

struct defect_info {
  defect id;
  std::string_view name;        ///< as written on the command line
  std::string_view description; ///< one line for --help
};

/// Every defect, in declaration order.
const std::vector<defect_info>& all_defects();

/// The defect named `text` (e.g. "pickup-in-resiliency"), if any.
std::optional<defect> parse_defect(std::string_view text);

std::string_view name(defect d);

} // namespace calldrill
