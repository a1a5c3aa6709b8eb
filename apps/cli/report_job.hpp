#pragma once
// `earshot report`: one self-contained HTML file (no network needed to view it) that shows a
// listener's audiogram per ear in the clinical style with the speech range over it, how audible
// speech is per band (SII), spectrograms of the input and of what the listener hears, and the
// scores with a plain-language reading.
#include <filesystem>
#include <optional>
#include <string>

#include "model/listener.hpp"
#include "audiology/reference_threshold.hpp"
#include "apps/cli/score_job.hpp"

namespace earshot::cli {

struct ReportRequest {
  SiiRequest scores;  // speech file (required), noise, listener, levels, procedure
  SoundField field = SoundField::free;
  unsigned seed = 1;
  int threads = 0;               // ears rendered on up to this many threads (0: the cores)
  std::filesystem::path output;  // .html
  std::optional<std::filesystem::path> listener_file;  // the listener's profile .toml, if one was given: an input too
};

struct ReportSummary {
  std::string output;
  double sii_left = 0.0, sii_right = 0.0;
  double stoi_left = 0.0, stoi_right = 0.0;
};

class OutputSet;

// Throws CliError; writes nothing on error. With `into`, the report joins that set, which the
// caller commits.
ReportSummary write_report(const ReportRequest& request, OutputSet* into = nullptr);

}  // namespace earshot::cli
