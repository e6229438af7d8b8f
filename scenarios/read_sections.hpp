// The section readers of the scenario loader: each turns one top-level
// section of a scenario file into its part of the scenario, reporting every
// mistake through the reader. Private to scenarios/.
#pragma once

#include "scenarios/yaml_reader.hpp"

namespace calldrill {

void read_topology(yaml_reader& r, const YAML::Node& n, scenario& s);
void read_traffic(yaml_reader& r, const YAML::Node& n, scenario& s);
void read_drill(yaml_reader& r, const YAML::Node& n, scenario& s);
void read_expect(yaml_reader& r, const YAML::Node& n, scenario& s);
void read_run(yaml_reader& r, const YAML::Node& n, scenario& s);

} // namespace calldrill
