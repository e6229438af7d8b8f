// The outputs of a run: targets checked before it, files written after it,
// and the small outputs that need no file of their own (report, series).
#include "outputs/output.hpp"

#include "outputs/series.hpp"

namespace calldrill {

namespace {

class report_output : public output {
public:
  std::string render(const finished_run& r) const override {
    return report_json(r.topo, r.scn, r.result, r.checks, r.facts);
  }
};

class series_csv_output : public output {
public:
  bool needs_series() const override { return true; }
  std::string render(const finished_run& r) const override {
    return r.series ? r.series->csv() : std::string{};
  }
};

class series_om_output : public output {
public:
  bool needs_series() const override { return true; }
  std::string render(const finished_run& r) const override {
    return r.series ? r.series->openmetrics() : std::string{"# EOF\n"};
  }
};

} // namespace

std::unique_ptr<output> make_report_output() {
  return std::make_unique<report_output>();
}
std::unique_ptr<output> make_series_csv_output() {
  return std::make_unique<series_csv_output>();
}
std::unique_ptr<output> make_series_om_output() {
  return std::make_unique<series_om_output>();
}

std::string output_set::add(const std::string& option, const std::string& path,
                            std::unique_ptr<output> o) {
  entry e{option, {}, std::move(o)};
  if (auto err = prepare_target(path, e.target); !err.empty())
    return option + " " + err;
  for (const auto& other : entries_) {
    if (e.target.kind == target_kind::standard_output
        && other.target.kind == target_kind::standard_output)
      return option + " -: " + other.option + " already writes to standard output";
    if (e.target.kind == target_kind::file && other.target.kind == target_kind::file
        && e.target.file == other.target.file)
      return option + " " + path + ": " + other.option + " already writes there";
  }
  entries_.push_back(std::move(e));
  return {};
}

bool output_set::uses_stdout() const {
  for (const auto& e : entries_)
    if (e.target.kind == target_kind::standard_output)
      return true;
  return false;
}

bool output_set::needs_series() const {
  for (const auto& e : entries_)
    if (e.out->needs_series())
      return true;
  return false;
}

std::vector<std::string> output_set::write(const finished_run& run) const {
  std::vector<std::string> errors;
  for (const auto& e : entries_)
    if (auto err = write_target(e.target, e.out->render(run)); !err.empty())
      errors.push_back(e.option + " " + err);
  return errors;
}

} // namespace calldrill
