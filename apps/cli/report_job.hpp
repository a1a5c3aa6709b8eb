#pragma once
// `earshot report`: one self-contained HTML file (no network needed to view it) that shows a
// listener's audiogram per ear in the clinical style with the speech range over it, how audible
// speech is per band (SII, acoustic ears only), spectrograms of the input and of what the listener
// hears, players for the input and for what each ear hears (Ogg Vorbis, calibrated, in data:
// URIs), each implanted ear's electrodogram, and the scores with a plain-language reading: SII,
// HASPI v2 and HASQI v2 for an acoustic ear (report/hearing_aid_indices.hpp), STOI/ESTOI for every
// ear. A noise at another rate is resampled to the speech's.
// With a hearing aid on either ear (the listener's [left.aid]/[right.aid], or `--aid`), every ear
// is shown unaided and aided side by side: scores, band audibility, players and spectrograms.
#include <cstddef>
#include <filesystem>
#include <functional>
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
  // The scores only, as the page shows them beside the report (apps/web's /api/score): no page is
  // drawn (pictures, players) or written, and `output` is not needed.
  bool scores_only = false;
  // HASPI v2 and HASQI v2 of each acoustic ear (report/hearing_aid_indices.hpp). They cost seconds
  // of CPU, so the web page's report, made again at every render, leaves them out.
  bool hearing_aid_indices = true;
  // Called at each stage's end with the fraction done (0 to 1), for a progress display.
  std::function<void(double)> progress;
};

struct ReportSummary {
  std::string output;
  std::optional<double> sii_left, sii_right;  // none for an implanted ear: the SII is acoustic-only
  double stoi_left = 0.0, stoi_right = 0.0;
  std::size_t html_bytes = 0;                 // the page's size
  // HASPI v2 and HASQI v2 (report/hearing_aid_indices.hpp); none for an implanted ear, or with
  // scores_only (the page's scores alone: they are not computed then).
  std::optional<double> haspi_left, haspi_right, hasqi_left, hasqi_right;
  // With an aid on either ear: the same ears aided (the fields above are then the unaided ones).
  bool aided = false;
  std::optional<double> aided_sii_left, aided_sii_right;
  double aided_stoi_left = 0.0, aided_stoi_right = 0.0;
  std::optional<double> aided_haspi_left, aided_haspi_right, aided_hasqi_left, aided_hasqi_right;
};

class OutputSet;

// Throws CliError; writes nothing on error. With `into`, the report joins that set, which the
// caller commits.
ReportSummary write_report(const ReportRequest& request, OutputSet* into = nullptr);

// "wrote report.html (1234 kB): SII left 0.43, right none (implanted ear); STOI left 0.712, right 0.655; HASPI left 0.874, right
// none; HASQI left 0.213, right none\n" (then a line for the aided ears, with an aid)
std::string to_text(const ReportSummary& summary);

}  // namespace earshot::cli
