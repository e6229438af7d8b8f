// The README's scenario reference matches the loader: every ```yaml block of
// README.md loads without error. A block that lacks the topology or traffic
// section is a fragment, completed with the skeleton the README documents.
#include "scenarios/loader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <sstream>

using namespace calldrill;

namespace {

// The skeleton of README.md's "Examples" paragraph, section by section.
const char* skeleton_topology = R"(topology:
  pools:
    - {fqdn: fe-a.example.test, backup: fe-b.example.test, users: 200}
    - {fqdn: fe-b.example.test, backup: fe-a.example.test, users: 200}
    - {fqdn: fe-c.example.test, users: 100}
  orbit_ranges:
    - {identity: gcp-a, start: "*100", end: "*199", type: GroupPickup, call_park_service: fe-a.example.test}
    - {identity: gcp-b, start: "*200", end: "*299", type: GroupPickup, call_park_service: fe-b.example.test}
    - {identity: gcp-c, start: "*300", end: "*399", type: GroupPickup, call_park_service: fe-c.example.test}
)";
const char* skeleton_traffic = R"(traffic:
  stages:
    - calls_per_second: 5
)";

struct block {
  int line = 0;
  std::string text;
};

std::vector<block> yaml_blocks(const std::string& path) {
  std::ifstream in{path};
  std::vector<block> out;
  std::string line;
  int n = 0;
  bool inside = false;
  while (std::getline(in, line)) {
    ++n;
    if (!inside && line == "```yaml") {
      inside = true;
      out.push_back({n + 1, {}});
    } else if (inside && line == "```") {
      inside = false;
    } else if (inside) {
      out.back().text += line + "\n";
    }
  }
  return out;
}

bool has_section(const std::string& text, const std::string& key) {
  return std::regex_search(text, std::regex{"(^|\n)" + key + ":"});
}

} // namespace

TEST(ReadmeExamples, EveryYamlBlockLoads) {
  auto path = std::string{CALLDRILL_SOURCE_DIR} + "/README.md";
  auto blocks = yaml_blocks(path);
  ASSERT_GE(blocks.size(), 6u) << "README.md has lost its scenario examples";
  for (const auto& b : blocks) {
    auto text = b.text;
    if (!has_section(text, "topology"))
      text += skeleton_topology;
    if (!has_section(text, "traffic"))
      text += skeleton_traffic;
    auto l = load_scenario_text(text, "README.md:" + std::to_string(b.line));
    std::string problems;
    for (const auto& d : l.diagnostics)
      if (d.severity == diagnostic::level::error)
        problems += format(d) + "\n";
    EXPECT_TRUE(l.ok()) << "the block at README.md line " << b.line
                        << " does not load:\n" << problems << text;
  }
}
