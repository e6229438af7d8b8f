// Reading a history: the header and metadata first, the trailer next (a file
// cut short has none), then the facts in 1 MiB blocks, so memory stays the
// same whatever the file's size. Every error names the file and the offset.
#include "history/file_format.hpp"
#include "history/history_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace calldrill {

namespace {

namespace hf = history_format;

constexpr std::size_t block_facts = (1u << 20) / hf::fact_bytes;

/// Reads exactly `size` bytes at `offset`; false on a short read or error.
bool read_at(int fd, std::uint64_t offset, char* out, std::size_t size) {
  while (size > 0) {
    auto n = ::pread(fd, out, size, static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR)
      continue;
    if (n <= 0)
      return false;
    out += n;
    offset += static_cast<std::uint64_t>(n);
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

/// What the first bytes of a file that is not a history look like.
std::string foreign(const char* head, std::size_t size) {
  // The magic with its CR LF turned into LF, or its high bit stripped: the
  // file was a history once, then went through a text-mode copy.
  if (size >= 4 && (std::memcmp(head, "\x89" "CDH", 4) == 0
                    || std::memcmp(head, "\x09" "CDH", 4) == 0))
    return "not a calldrill history any more: a text-mode copy altered its "
           "first bytes (line endings or the 8th bit)";
  bool text = size > 0;
  for (std::size_t i = 0; i < size; ++i) {
    auto c = static_cast<unsigned char>(head[i]);
    text = text && (c >= 0x20 || c == '\n' || c == '\r' || c == '\t');
  }
  if (text)
    return "not a calldrill history: it starts with text (a scenario file? "
           "'calldrill run FILE' plays one)";
  return "not a calldrill history: no history magic";
}

} // namespace

history_reader::~history_reader() {
  if (fd_ >= 0)
    ::close(fd_);
}

std::string history_reader::at(std::uint64_t offset,
                               const std::string& what) const {
  return path_ + ": offset " + std::to_string(offset) + ": " + what;
}

std::string history_reader::open(const std::string& path) {
  path_ = path;
  // Non-blocking: opening a FIFO must not wait for a writer (regular files
  // ignore the flag).
  fd_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd_ < 0)
    return path + ": " + std::strerror(errno);
  struct stat st {};
  if (::fstat(fd_, &st) != 0)
    return path + ": " + std::strerror(errno);
  if (!S_ISREG(st.st_mode))
    return path + ": not a regular file";
  size_ = static_cast<std::uint64_t>(st.st_size);
  if (auto err = open_header(); !err.empty())
    return err;
  return open_trailer();
}

std::string history_reader::open_header() {
  if (size_ == 0)
    return at(0, "empty file: not a calldrill history");
  char head[hf::head_fixed_bytes];
  auto got = static_cast<std::size_t>(std::min<std::uint64_t>(size_, sizeof head));
  if (!read_at(fd_, 0, head, got))
    return path_ + ": reading: " + std::strerror(errno);
  auto magic = std::min<std::size_t>(got, 8);
  if (std::memcmp(head, hf::head_magic, magic) != 0)
    return at(0, foreign(head, got));
  if (got < sizeof head)
    return at(size_, "truncated: the file ends inside its header");
  auto version = hf::get_u32(head + 8);
  if (version > history_format_version)
    return at(8, "written by a newer calldrill: format version "
                   + std::to_string(version) + ", this one reads up to "
                   + std::to_string(history_format_version));
  if (version < history_format_oldest)
    return at(8, "corrupt: format version " + std::to_string(version)
                   + " does not exist");
  if (auto size = hf::get_u32(head + 12); size != hf::fact_bytes)
    return at(12, "corrupt: fact size " + std::to_string(size)
                    + " bytes, the format stores 48");
  version_ = version;
  auto length = hf::get_u64(head + 16);
  if (length > history_meta_bytes_max)
    return at(16, "corrupt: metadata length " + std::to_string(length)
                    + " bytes, more than the 64 MiB a history may hold");
  facts_at_ = hf::head_fixed_bytes + length + 8;
  if (facts_at_ > size_)
    return at(size_, "truncated: the file ends inside its metadata");
  std::string text(length, '\0');
  char sum[8];
  if (!read_at(fd_, hf::head_fixed_bytes, text.data(), text.size())
      || !read_at(fd_, hf::head_fixed_bytes + length, sum, 8))
    return path_ + ": reading: " + std::strerror(errno);
  if (hf::fnv1a(hf::fnv_offset, text.data(), text.size()) != hf::get_u64(sum))
    return at(hf::head_fixed_bytes + length,
              "corrupt: the metadata does not match its checksum");
  std::uint64_t where = 0;
  if (auto err = decode_meta(text, meta_, &where); !err.empty())
    return at(hf::head_fixed_bytes + where, "corrupt: " + err);
  return {};
}

std::string history_reader::open_trailer() {
  auto body = size_ - facts_at_;
  char tail[hf::tail_bytes];
  bool has_tail = body >= hf::tail_bytes
                  && read_at(fd_, size_ - hf::tail_bytes, tail, sizeof tail)
                  && std::memcmp(tail, hf::tail_magic, 8) == 0;
  if (!has_tail) {
    auto partial = body % hf::fact_bytes;
    if (partial != 0)
      return at(size_, "truncated: no trailer, and the file ends "
                         + std::to_string(partial) + " bytes into the fact at offset "
                         + std::to_string(size_ - partial));
    return at(size_, "truncated: no trailer after " + std::to_string(body / hf::fact_bytes)
                       + " facts (the run that wrote it did not finish)");
  }
  auto facts = body - hf::tail_bytes;
  if (facts % hf::fact_bytes != 0)
    return at(size_ - hf::tail_bytes - facts % hf::fact_bytes,
              "corrupt: a partial fact of " + std::to_string(facts % hf::fact_bytes)
                + " bytes before the trailer");
  count_ = facts / hf::fact_bytes;
  if (auto said = hf::get_u64(tail + 8); said != count_)
    return at(size_ - 16, "corrupt: the trailer counts " + std::to_string(said)
                            + " facts, the file holds " + std::to_string(count_));
  hash_ = hf::get_u64(tail + 16);
  return {};
}

std::string history_reader::verify(const fact_filter& fits) {
  return pass(nullptr, fits ? &fits : nullptr);
}

std::string history_reader::stream(fact_sink& out) {
  return pass(&out, nullptr);
}

std::string history_reader::pass(fact_sink* out, const fact_filter* fits) {
  if (fd_ < 0)
    return path_ + ": not open";
  std::vector<char> block(block_facts * hf::fact_bytes);
  auto hash = hf::fnv_offset;
  std::string misfit; // reported after the checksum: corruption comes first
  std::uint64_t offset = facts_at_;
  for (std::uint64_t done = 0; done < count_;) {
    auto n = static_cast<std::size_t>(std::min<std::uint64_t>(block_facts, count_ - done));
    if (!read_at(fd_, offset, block.data(), n * hf::fact_bytes))
      return at(offset, "the file changed or could not be read while being read");
    for (std::size_t i = 0; i < n; ++i) {
      const char* raw = block.data() + i * hf::fact_bytes;
      auto kind = static_cast<unsigned char>(raw[44]);
      if (kind >= fact_kinds_of_version(version_))
        return at(offset + i * hf::fact_bytes,
                  "corrupt: unknown fact kind " + std::to_string(kind));
      if (raw[46] != 0 || raw[47] != 0)
        return at(offset + i * hf::fact_bytes + 46,
                  "corrupt: the padding of a fact is not zero");
      if (out == nullptr && fits == nullptr)
        continue;
      fact f;
      std::memcpy(&f, raw, hf::fact_bytes);
      if (fits != nullptr && misfit.empty())
        if (auto why = (*fits)(f); !why.empty())
          misfit = at(offset + i * hf::fact_bytes,
                      "corrupt: a " + std::string{name(f.kind)}
                        + " fact that does not fit the run's topology: " + why);
      if (out != nullptr)
        out->put(f);
    }
    if (out == nullptr)
      hash = hf::fnv1a(hash, block.data(), n * hf::fact_bytes);
    done += n;
    offset += n * hf::fact_bytes;
  }
  if (out == nullptr && hash != hash_)
    return at(size_ - 8, "corrupt: the facts do not match the trailer's "
                         "checksum (a byte changed after it was written)");
  return misfit;
}

} // namespace calldrill
