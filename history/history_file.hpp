// Stored histories: the file a run's facts are written to and re-checked from
// (`calldrill check FILE`). Plain C++ and POSIX: no model rule, no actor
// framework, no YAML library. The format, version 2 (all integers
// little-endian; README "History files" documents the same):
//
//   offset    size  field
//   0         8     magic 89 43 44 48 0D 0A 1A 0A ("\x89CDH\r\n\x1a\n": a
//                   high-bit byte, CR LF, ^Z, LF, so text-mode copying,
//                   line-ending conversion or 7-bit transfer all break it)
//   8         4     format version, u32: 2 (1: the same, without the
//                   call_refused facts of arrivals the active-call limit
//                   kept out; still read)
//   12        4     fact size in bytes, u32: 48
//   16        8     metadata length M in bytes, u64, at most 64 MiB
//   24        M     metadata: UTF-8 `key=value` lines, each ending in LF
//   24+M      8     FNV-1a 64 of the M metadata bytes, u64
//   32+M      48*N  the facts, in the order they were made (history/fact.hpp)
//   32+M+48N  8     trailer magic 89 43 44 45 0D 0A 1A 0A ("\x89CDE\r\n\x1a\n")
//             8     fact count N, u64
//             8     FNV-1a 64 of the 48*N fact bytes, u64
//
// A fact is stored as its 48 bytes in memory: at (i64 microseconds, offset
// 0), id (u64, 8), ref (u64, 16), value (i64, 24), user (u32, 32), group
// (u32, 36), pool (u16, 40), pool2 (u16, 42), kind (u8, 44), code (u8, 45),
// two zero bytes (46). Metadata values escape `\` as `\\`, LF as `\n`, CR as
// `\r`, tab as `\t` and any other byte below 0x20 or 0x7F as `\xHH`, so every
// value is one line; the scenario's YAML text is stored that way. Keys, in
// the order written (a reader ignores keys it does not know, so a version
// may gain keys; anything an older reader would misread, such as a new fact
// kind, bumps the version):
//   calldrill_version  the calldrill that wrote the file
//   source             `yaml` or `workload`
//   scenario           the scenario's name
//   scenario_file      yaml: the file the run was given; empty: built in
//   scenario_yaml      yaml: the scenario's YAML text
//   workload           workload: the workload's name (`calldrill bench`)
//   duration_us        the run's --duration override, in microseconds
//   seed               the run's seed
//   clock              `virtual` or `realtime`
//   defects            deliberate defects switched on, comma-separated
//   replay             the command that replays the run
#pragma once

#include "history/fact.hpp"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace calldrill {

constexpr std::uint32_t history_format_version = 2;
/// The oldest format version this build reads.
constexpr std::uint32_t history_format_oldest = 1;
/// Fact kinds a file of format version `v` may hold: version 1 had every
/// kind up to clock_lag.
constexpr std::size_t fact_kinds_of_version(std::uint32_t v) {
  return v >= 2 ? fact_kind_count
                : static_cast<std::size_t>(fact_kind::clock_lag) + 1;
}
/// Largest metadata block a reader accepts: a hostile length field cannot
/// make it allocate more.
constexpr std::uint64_t history_meta_bytes_max = 64ull << 20;

/// This build's version, as `calldrill_version` records it.
const char* calldrill_version();

/// Where the run's scenario came from, so `calldrill check` can rebuild it.
enum class history_source : std::uint8_t { yaml, workload };

/// What a history says about its run. Plain data.
struct history_meta {
  std::string version;        ///< calldrill_version; empty: this build's
  history_source source = history_source::yaml;
  std::string scenario;       ///< the scenario's name
  std::string scenario_file;  ///< yaml: the file run was given; "": built in
  std::string scenario_yaml;  ///< yaml: the scenario's text
  std::string workload;       ///< workload: its name
  std::optional<sim_duration> duration; ///< the run's --duration, if given
  std::uint64_t seed = 0;
  std::string clock = "virtual"; ///< virtual | realtime
  std::optional<double> speed;   ///< realtime: simulated seconds per wall second
  std::optional<sim_duration> tolerance; ///< realtime: the checker's tolerance
  std::vector<std::string> defects;
  std::string replay;         ///< the command that replays the run
};

/// The metadata block's text (the `key=value` lines).
std::string encode_meta(const history_meta& m);

/// Parses a metadata block; "" or what is wrong, with the byte offset of the
/// offending line inside `text` in `*where`.
std::string decode_meta(const std::string& text, history_meta& m,
                        std::uint64_t* where);

/// Whether a history can be written at `path`: its folder exists and is
/// writable, and `path` is absent or a regular file (never a directory, a
/// symbolic link, a device or a FIFO). "" or the problem, naming `path`.
/// Callers check before a run starts, so a bad path costs no run.
std::string check_target(const std::string& path);

/// Writes a history atomically: facts go to a temporary file beside the
/// target, and only commit() puts a complete file in place. Not thread-safe:
/// put() from one thread at a time (wrap in a locked_sink for realtime).
class history_writer : public fact_sink {
public:
  /// Opens the temporary file and writes the header; nullptr and `error`
  /// set (naming `path`) when it cannot.
  static std::unique_ptr<history_writer> create(const std::string& path,
                                                const history_meta& meta,
                                                std::string& error);
  /// Removes the temporary file unless commit() succeeded.
  ~history_writer() override;

  history_writer(const history_writer&) = delete;
  history_writer& operator=(const history_writer&) = delete;

  /// Buffers one fact. Never throws; a write error is kept for commit().
  void put(const fact& f) override;

  /// Writes the trailer, syncs and renames the file over the target; "" or
  /// the first error since create() (disk full included), naming the target.
  /// After an error nothing is left behind. Call once.
  std::string commit();

  std::uint64_t fact_count() const { return count_; }
  /// The temporary file (for tests).
  const std::string& temp_path() const { return temp_; }

private:
  history_writer(std::string path, std::string temp, int fd);
  void flush();
  void write_all(const char* data, std::size_t size);
  std::string fail(const std::string& error);

  std::string path_;
  std::string temp_;
  int fd_ = -1;
  std::vector<char> buffer_;
  std::size_t used_ = 0;
  std::uint64_t count_ = 0;
  std::uint64_t hash_;
  std::string error_;
  bool done_ = false;
};

/// Reads a history in three steps, in bounded memory: open() checks the
/// header, the metadata and that a trailer is there; verify() reads every
/// fact once (kinds, count, checksum, and `fits` when given, e.g. the bounds
/// of history/fact_bounds.hpp); stream() hands them, in order, to a sink.
/// Nothing of a corrupt file reaches a sink when verify() is called first.
/// Every error names the file and the byte offset.
class history_reader {
public:
  history_reader() = default;
  ~history_reader();
  history_reader(const history_reader&) = delete;
  history_reader& operator=(const history_reader&) = delete;

  /// "" when a fact is acceptable, else why not.
  using fact_filter = std::function<std::string(const fact&)>;

  std::string open(const std::string& path);
  std::string verify(const fact_filter& fits = {});
  std::string stream(fact_sink& out);

  const history_meta& meta() const { return meta_; }
  std::uint64_t fact_count() const { return count_; }

private:
  std::string at(std::uint64_t offset, const std::string& what) const;
  std::string open_header();
  std::string open_trailer();
  std::string pass(fact_sink* out, const fact_filter* fits);

  std::string path_;
  int fd_ = -1;
  std::uint64_t size_ = 0;
  std::uint64_t facts_at_ = 0; ///< offset of the first fact
  std::uint64_t count_ = 0;
  std::uint32_t version_ = history_format_version;
  std::uint64_t hash_ = 0;     ///< the trailer's checksum
  history_meta meta_;
};

/// Reads the history at `path`: its metadata into `meta`, then, once every
/// fact is verified, each fact in order into `out`. "" or the error.
std::string read_history(const std::string& path, history_meta& meta,
                         fact_sink& out);

} // namespace calldrill
