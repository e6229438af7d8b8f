// Where an output goes and how it is written, so no output ever clobbers what
// it should not: "-" is standard output; a new path or a regular file is
// replaced atomically through a temporary file beside it; a device, a FIFO or
// a stream link under /dev or /proc is written in place; the rest is refused.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace calldrill {

enum class target_kind : std::uint8_t {
  standard_output, ///< "-": the text goes to standard output
  file,            ///< replaced atomically (temporary file, then rename)
  in_place,        ///< opened for appending, never created, truncated or renamed
};

/// One output's destination, as checked before the run.
struct output_target {
  std::string path;  ///< as given on the command line
  target_kind kind = target_kind::file;
  std::string file;  ///< kind file: the path replaced, symlinks resolved
};

/// Classifies `path` and proves it writable before the run (a temporary file
/// is created in its folder and removed again). Returns "" or why the path
/// cannot take an output; the caller exits 2 then.
std::string prepare_target(const std::string& path, output_target& out);

/// Writes `text` to `t`. A file target is written to a temporary file named
/// `.NAME.<16 random hex digits>.tmp` in the target's folder, created with
/// O_EXCL|O_NOFOLLOW, synced, then renamed over the target; on any failure
/// the temporary file is removed. Returns "" or the error.
std::string write_target(const output_target& t, std::string_view text);

/// Removes every temporary file being written right now. Async-signal-safe:
/// a second Ctrl-C calls it before exiting at once.
void remove_temporaries() noexcept;

} // namespace calldrill
