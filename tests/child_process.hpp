// Child processes for tests that run real servers: started with their
// output in a file, dying with the test process, stopped with a deadline.
#pragma once

#include <chrono>
#include <csignal>
#include <fcntl.h>
#include <string>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

namespace calldrill::testing {

class child_process {
public:
  /// Starts `argv` with stdout and stderr appended to `log`.
  child_process(const std::vector<std::string>& argv, const std::string& log) {
    pid_ = fork();
    if (pid_ == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      int fd = open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      int in = open("/dev/null", O_RDONLY);
      dup2(in, 0);
      dup2(fd, 1);
      dup2(fd, 2);
      std::vector<char*> args;
      for (const auto& a : argv)
        args.push_back(const_cast<char*>(a.c_str()));
      args.push_back(nullptr);
      execvp(args[0], args.data());
      _exit(127);
    }
  }
  ~child_process() { stop(); }

  pid_t pid() const { return pid_; }

  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  /// Waits up to `limit` for the child to exit; its exit code, or -1 if it
  /// is still running (or died by a signal).
  int wait_for(std::chrono::milliseconds limit) {
    if (done_)
      return code_;
    auto deadline = std::chrono::steady_clock::now() + limit;
    for (;;) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        done_ = true;
        code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
        return code_;
      }
      if (std::chrono::steady_clock::now() >= deadline)
        return -1;
      std::this_thread::sleep_for(std::chrono::milliseconds{20}); // poll
    }
  }

  /// SIGTERM, then SIGKILL after 10 s.
  void stop() {
    if (pid_ <= 0 || done_)
      return;
    kill(pid_, SIGTERM);
    if (wait_for(std::chrono::seconds{10}) == -1 && !done_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
      done_ = true;
    }
  }

private:
  pid_t pid_ = -1;
  bool done_ = false;
  int code_ = -1;
};

} // namespace calldrill::testing
