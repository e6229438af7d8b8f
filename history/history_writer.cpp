// Writing a history: a temporary file with an unpredictable name beside the
// target (created exclusively, never through a symbolic link), written in
// 1 MiB blocks, synced and renamed into place by commit().
#include "history/file_format.hpp"
#include "history/history_file.hpp"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <random>
#include <sys/stat.h>
#include <unistd.h>

namespace calldrill {

namespace {

namespace hf = history_format;

constexpr std::size_t buffer_bytes = 1u << 20;
constexpr int temp_name_tries = 16;

std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos)
    return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

std::string base_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

/// `DIR/.BASE.<16 random hex digits>.tmp`.
std::string temp_name(const std::string& path, std::random_device& rd) {
  char digits[17];
  auto r = (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
  std::snprintf(digits, sizeof digits, "%016llx",
                static_cast<unsigned long long>(r));
  return dir_of(path) + "/." + base_of(path) + "." + digits + ".tmp";
}

std::string header(const history_meta& meta) {
  auto text = encode_meta(meta);
  std::string out(hf::head_fixed_bytes, '\0');
  std::memcpy(out.data(), hf::head_magic, 8);
  hf::put_u32(out.data() + 8, history_format_version);
  hf::put_u32(out.data() + 12, static_cast<std::uint32_t>(hf::fact_bytes));
  hf::put_u64(out.data() + 16, text.size());
  out += text;
  char sum[8];
  hf::put_u64(sum, hf::fnv1a(hf::fnv_offset, text.data(), text.size()));
  out.append(sum, 8);
  return out;
}

} // namespace

std::unique_ptr<history_writer> history_writer::create(const std::string& path,
                                                       const history_meta& meta,
                                                       std::string& error) {
  if (error = check_target(path); !error.empty())
    return nullptr;
  auto head = header(meta);
  if (head.size() - hf::head_fixed_bytes - 8 > history_meta_bytes_max) {
    error = path + ": the metadata exceeds 64 MiB";
    return nullptr;
  }
  std::random_device rd;
  for (int i = 0; i < temp_name_tries; ++i) {
    auto temp = temp_name(path, rd);
    int fd = ::open(temp.c_str(),
                    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
    if (fd < 0 && errno == EEXIST)
      continue;
    if (fd < 0) {
      error = path + ": creating a temporary file: " + std::strerror(errno);
      return nullptr;
    }
    std::unique_ptr<history_writer> w{new history_writer(path, temp, fd)};
    w->write_all(head.data(), head.size());
    if (!w->error_.empty()) {
      error = w->fail(w->error_);
      return nullptr;
    }
    return w;
  }
  error = path + ": no free temporary file name";
  return nullptr;
}

history_writer::history_writer(std::string path, std::string temp, int fd)
  : path_(std::move(path)), temp_(std::move(temp)), fd_(fd),
    buffer_(buffer_bytes), hash_(hf::fnv_offset) {
  // nop
}

history_writer::~history_writer() {
  if (fd_ >= 0)
    ::close(fd_);
  if (!done_)
    ::unlink(temp_.c_str());
}

void history_writer::put(const fact& f) {
  if (used_ + hf::fact_bytes > buffer_.size())
    flush();
  std::memcpy(buffer_.data() + used_, &f, hf::fact_bytes);
  used_ += hf::fact_bytes;
  ++count_;
}

void history_writer::flush() {
  hash_ = hf::fnv1a(hash_, buffer_.data(), used_);
  write_all(buffer_.data(), used_);
  used_ = 0;
}

void history_writer::write_all(const char* data, std::size_t size) {
  while (size > 0 && error_.empty()) {
    auto n = ::write(fd_, data, size);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      error_ = path_ + ": writing: " + std::strerror(errno);
      return;
    }
    data += n;
    size -= static_cast<std::size_t>(n);
  }
}

std::string history_writer::fail(const std::string& error) {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
  ::unlink(temp_.c_str());
  done_ = true;
  return error;
}

std::string history_writer::commit() {
  if (done_)
    return path_ + ": the history was already committed";
  flush();
  char tail[hf::tail_bytes];
  std::memcpy(tail, hf::tail_magic, 8);
  hf::put_u64(tail + 8, count_);
  hf::put_u64(tail + 16, hash_);
  write_all(tail, sizeof tail);
  if (!error_.empty())
    return fail(error_);
  if (::fsync(fd_) != 0)
    return fail(path_ + ": syncing: " + std::strerror(errno));
  int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0)
    return fail(path_ + ": closing: " + std::strerror(errno));
  // The target may have changed since check_target(): look again.
  struct stat st {};
  if (::lstat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode))
    return fail(path_ + ": exists and is not a regular file; not replaced");
  if (::rename(temp_.c_str(), path_.c_str()) != 0)
    return fail(path_ + ": renaming into place: " + std::strerror(errno));
  done_ = true;
  int dir = ::open(dir_of(path_).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) { // the rename itself survives a crash
    ::fsync(dir);
    ::close(dir);
  }
  return {};
}

} // namespace calldrill
