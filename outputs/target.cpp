// Output destinations (see target.hpp): classification before the run,
// atomic replacement through unpredictable O_EXCL|O_NOFOLLOW temporary files,
// and a registry of those files that a signal handler can clean.
#include "outputs/target.hpp"

#include <atomic>
#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <iostream>
#include <stdexcept>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

namespace calldrill {

namespace {

// -- temporaries a signal handler may remove ---------------------------------

struct temp_slot {
  std::atomic<bool> used{false};
  char path[PATH_MAX] = {};
};

constexpr std::size_t max_temporaries = 8;
temp_slot temporaries[max_temporaries];

/// A temporary file: registered while it exists, removed unless committed.
class temporary {
public:
  temporary() = default;
  temporary(const temporary&) = delete;
  temporary& operator=(const temporary&) = delete;
  ~temporary() { discard(); }

  /// Creates `.NAME.<random>.tmp` in `dir`; "" or the error.
  std::string create(const std::string& dir, const std::string& name,
                     mode_t mode) {
    for (int attempt = 0; attempt < 16; ++attempt) {
      auto candidate = dir + "/." + name + "." + random_hex() + ".tmp";
      if (candidate.size() >= PATH_MAX)
        return "path too long";
      fd_ = open(candidate.c_str(),
                 O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode);
      if (fd_ >= 0) {
        path_ = candidate;
        enlist();
        return {};
      }
      if (errno != EEXIST)
        return std::strerror(errno);
    }
    return "no unused temporary name";
  }

  int fd() const { return fd_; }

  /// Closes and renames the file onto `target`; "" or the error.
  std::string commit(const std::string& target) {
    std::string err;
    if (fsync(fd_) != 0)
      err = std::strerror(errno);
    if (close(fd_) != 0 && err.empty())
      err = std::strerror(errno);
    fd_ = -1;
    if (err.empty() && rename(path_.c_str(), target.c_str()) != 0)
      err = std::strerror(errno);
    if (err.empty()) {
      delist();
      path_.clear();
    }
    return err;
  }

  /// Removes the file (if it still exists under our name).
  void discard() {
    if (fd_ >= 0)
      close(fd_);
    fd_ = -1;
    if (path_.empty())
      return;
    delist();
    unlink(path_.c_str());
    path_.clear();
  }

private:
  static std::string random_hex() {
    unsigned char bytes[8];
    if (getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes))
      throw std::runtime_error("no random bytes for a temporary name");
    char out[17];
    for (std::size_t i = 0; i < sizeof bytes; ++i)
      std::snprintf(out + 2 * i, 3, "%02x", bytes[i]);
    return out;
  }
  void enlist() {
    for (auto& s : temporaries)
      if (!s.used.load(std::memory_order_acquire)) {
        std::memcpy(s.path, path_.c_str(), path_.size() + 1);
        s.used.store(true, std::memory_order_release);
        slot_ = &s;
        return;
      }
  }
  void delist() {
    if (slot_)
      slot_->used.store(false, std::memory_order_release);
    slot_ = nullptr;
  }

  int fd_ = -1;
  std::string path_;
  temp_slot* slot_ = nullptr;
};

// -- classification ----------------------------------------------------------

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

bool under_dev_or_proc(const std::string& path) {
  return path.rfind("/dev/", 0) == 0 || path.rfind("/proc/", 0) == 0;
}

std::string describe_error(const std::string& path, int err) {
  return path + ": " + std::strerror(err);
}

/// A file target at `file`: its folder must exist and take a new file.
std::string prepare_file(const std::string& path, const std::string& file,
                         output_target& out) {
  auto dir = dir_of(file);
  struct stat st {};
  if (stat(dir.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
    return path + ": folder " + dir + " does not exist";
  temporary probe;
  if (auto err = probe.create(dir, base_of(file), 0600); !err.empty())
    return path + ": cannot create a file in " + dir + ": " + err;
  out.kind = target_kind::file;
  out.file = file;
  return {};
}

std::string write_all(int fd, std::string_view text) {
  std::size_t done = 0;
  while (done < text.size()) {
    auto n = write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      return std::strerror(errno);
    }
    done += static_cast<std::size_t>(n);
  }
  return {};
}

} // namespace

std::string prepare_target(const std::string& path, output_target& out) {
  out = output_target{};
  out.path = path;
  if (path.empty())
    return "expected a file name (or - for standard output), got \"\"";
  if (path == "-" || path == "/dev/stdout") {
    out.kind = target_kind::standard_output;
    return {};
  }
  struct stat lst {};
  if (lstat(path.c_str(), &lst) != 0) {
    if (errno != ENOENT)
      return describe_error(path, errno);
    return prepare_file(path, path, out);
  }
  if (S_ISREG(lst.st_mode))
    return prepare_file(path, path, out);
  if (S_ISDIR(lst.st_mode))
    return path + ": is a directory";
  struct stat st {};
  if (stat(path.c_str(), &st) != 0)
    return path + ": is a symbolic link to nothing (" + std::strerror(errno) + ")";
  bool stream = S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode);
  bool stream_link = S_ISLNK(lst.st_mode) && S_ISREG(st.st_mode)
                     && under_dev_or_proc(path); // e.g. /dev/stderr to a file
  if (stream || stream_link) {
    if (access(path.c_str(), W_OK) != 0)
      return describe_error(path, errno);
    out.kind = target_kind::in_place;
    return {};
  }
  if (S_ISLNK(lst.st_mode) && S_ISREG(st.st_mode)) {
    char resolved[PATH_MAX];
    if (!realpath(path.c_str(), resolved))
      return describe_error(path, errno);
    return prepare_file(path, resolved, out);
  }
  if (S_ISDIR(st.st_mode))
    return path + ": is a directory";
  return path + ": is neither a regular file, a character device nor a FIFO";
}

std::string write_target(const output_target& t, std::string_view text) {
  switch (t.kind) {
    case target_kind::standard_output:
      std::cout.write(text.data(), static_cast<std::streamsize>(text.size()));
      std::cout.flush();
      if (!std::cout)
        return "standard output: write failed";
      return {};
    case target_kind::in_place: {
      std::cout.flush(); // what went to stdout before stays before
      int fd = open(t.path.c_str(), O_WRONLY | O_APPEND | O_NOCTTY | O_CLOEXEC);
      if (fd < 0)
        return describe_error(t.path, errno);
      auto err = write_all(fd, text);
      if (close(fd) != 0 && err.empty())
        err = std::strerror(errno);
      return err.empty() ? err : t.path + ": " + err;
    }
    case target_kind::file:
      break;
  }
  struct stat st {};
  mode_t mode = 0666; // less the umask, as for any new file
  bool existed = stat(t.file.c_str(), &st) == 0 && S_ISREG(st.st_mode);
  temporary tmp;
  if (auto err = tmp.create(dir_of(t.file), base_of(t.file), mode); !err.empty())
    return t.path + ": " + err;
  if (existed)
    fchmod(tmp.fd(), st.st_mode & 07777); // keep the replaced file's mode
  if (auto err = write_all(tmp.fd(), text); !err.empty())
    return t.path + ": " + err;
  if (auto err = tmp.commit(t.file); !err.empty())
    return t.path + ": " + err;
  return {};
}

void remove_temporaries() noexcept {
  for (auto& s : temporaries)
    if (s.used.load(std::memory_order_acquire))
      unlink(s.path);
}

} // namespace calldrill
