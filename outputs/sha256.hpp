// SHA-256 of a text, as lowercase hex: the report names the scenario it ran
// by this hash (FIPS 180-4; no crypto library needed for one digest a run).
#pragma once

#include <string>
#include <string_view>

namespace calldrill {

/// The SHA-256 digest of `data` as 64 lowercase hex digits.
std::string sha256_hex(std::string_view data);

} // namespace calldrill
