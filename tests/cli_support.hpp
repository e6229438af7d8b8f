// Running the built calldrill binary from tests: exit code and output.
#pragma once

#include <array>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace calldrill::testing {

struct cli_result {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string read_file(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

/// A temporary folder removed with its contents at the end of scope.
struct temp_dir {
  std::string path;
  temp_dir() {
    char tmpl[] = "/tmp/calldrill-test-XXXXXX";
    path = mkdtemp(tmpl);
  }
  ~temp_dir() { std::system(("rm -rf '" + path + "'").c_str()); }
};

inline std::string quote_arg(const std::string& s) {
  std::string out = "'";
  for (char c : s)
    out += c == '\'' ? std::string{"'\\''"} : std::string(1, c);
  return out + "'";
}

/// Runs `calldrill ARGS...` with stdin from /dev/null.
inline cli_result run_cli(const std::vector<std::string>& args) {
  temp_dir dir;
  std::string cmd = std::string{CALLDRILL_BINARY_DIR} + "/cli/calldrill";
  for (const auto& a : args)
    cmd += " " + quote_arg(a);
  cmd += " </dev/null >" + dir.path + "/out 2>" + dir.path + "/err";
  cli_result r;
  int status = std::system(cmd.c_str());
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = read_file(dir.path + "/out");
  r.err = read_file(dir.path + "/err");
  return r;
}

} // namespace calldrill::testing
