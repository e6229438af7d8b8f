// Runs the fuzz target once over every file named on the command line (or in
// the folders named), so the seed corpus and every input a fuzz run ever
// found stay a fast regression test under ctest, without libFuzzer. Caps its
// own address space so that a regression fails instead of eating memory.
#include <cstdint>
#include <cstdio>
#include <dirent.h>
#include <fstream>
#include <iterator>
#include <string>
#include <sys/resource.h>
#include <sys/stat.h>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size);

namespace {

void collect(const std::string& path, std::vector<std::string>& out) {
  struct stat st{};
  if (stat(path.c_str(), &st) != 0)
    return;
  if (!S_ISDIR(st.st_mode)) {
    out.push_back(path);
    return;
  }
  if (DIR* dir = opendir(path.c_str())) {
    while (dirent* e = readdir(dir))
      if (e->d_name[0] != '.')
        collect(path + "/" + e->d_name, out);
    closedir(dir);
  }
}

} // namespace

#if defined(__SANITIZE_ADDRESS__)
constexpr bool sanitized = true; // its shadow memory needs no cap
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
constexpr bool sanitized = true;
#else
constexpr bool sanitized = false;
#endif
#else
constexpr bool sanitized = false;
#endif

int main(int argc, char** argv) {
  if (!sanitized) {
    rlimit cap{std::uint64_t{2} << 30, std::uint64_t{2} << 30}; // 2 GiB
    setrlimit(RLIMIT_AS, &cap);
  }
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i)
    collect(argv[i], files);
  if (files.empty()) {
    std::fprintf(stderr, "usage: scenario_fuzz_replay FILE|DIR...\n");
    return 2;
  }
  for (const auto& f : files) {
    std::ifstream in{f, std::ios::binary};
    std::string bytes{std::istreambuf_iterator<char>{in},
                      std::istreambuf_iterator<char>{}};
    LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()),
                           bytes.size());
  }
  std::printf("%zu inputs replayed\n", files.size());
  return 0;
}
