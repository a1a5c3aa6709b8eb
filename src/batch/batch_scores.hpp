#pragma once
// What one row of a batch gave, and the scores CSV that lists every row in manifest order.
//
// Columns (RFC 4180; a cell is empty when the manifest did not ask for it, "n/a" where it does not
// apply):
//   line, input, listener, output     the manifest line, its input and listener as written, and the
//                                     output's name inside the output folder
//   status                            rendered | skipped (its complete output was already there) | failed
//   error                             why a failed row failed, one line
//   seed                              the render seed (batch/batch_row.hpp): `earshot render --seed`
//   sample_rate_hz, frames            of the input (and so of the output)
//   input_active_db_spl               the input's active speech level (ITU-T P.56) as presented
//   input_long_term_db_spl            its long-term (RMS) level
//   output_left_db_spl, output_right_db_spl  the render's long-term level at each ear
//   stoi_left, estoi_left, stoi_right, estoi_right  against `reference` (Taal et al. 2011; Jensen &
//                                     Taal 2016); a mono reference is compared with each ear
//   sii_left, sii_right               ANSI S3.5-1997, third-octave procedure, the input as the
//                                     speech at the row's level, in the row's noise or in quiet;
//                                     n/a for an implanted ear (the SII is acoustic)
//   haspi_v2_left, haspi_v2_right     with `earshot batch --haspi` and a `reference`: HASPI v2
//                                     (Kates & Arehart 2021) of the signal that reaches each ear
//                                     against the reference, for that ear's audiogram
//   hasqi_v2_left, hasqi_v2_right     with --hasqi: HASQI v2 (Kates & Arehart 2014), likewise.
//                                     The signal at the ear is the aid's output for an aided ear
//                                     (the row's input through the aid, before any ear model) and
//                                     the input itself for an unaided one: the indices model the
//                                     loss from the audiogram, so the render (which already has
//                                     the loss) is not what they score. n/a for an implanted ear
// Numbers are printed with enough digits to be read back exactly (%.17g would be noise to a
// reader; levels to 0.001 dB, scores to 1e-6 are below anything they resolve).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace earshot {

enum class BatchRowStatus { rendered, skipped, failed };
const char* to_string(BatchRowStatus status);

struct BatchEarScores {
  std::optional<double> output_db_spl;
  std::optional<double> stoi, estoi;
  std::optional<double> sii;
  bool sii_not_applicable = false;  // an implanted ear
  std::optional<double> haspi_v2, hasqi_v2;
  bool indices_not_applicable = false;  // an implanted ear, when the indices were asked for
};

struct BatchRowResult {
  int line = 0;
  std::string input, listener, output;
  BatchRowStatus status = BatchRowStatus::failed;
  std::string error;
  std::uint32_t seed = 0;
  std::optional<double> sample_rate_hz;
  std::optional<std::int64_t> frames;
  std::optional<double> input_active_db_spl, input_long_term_db_spl;
  BatchEarScores left, right;
};

std::string batch_scores_header();
std::string batch_scores_line(const BatchRowResult& row);
// Header and every row, in the order given.
std::string batch_scores_csv(const std::vector<BatchRowResult>& rows);

// One CSV field, quoted when it holds a comma, a quote or a line break (RFC 4180).
std::string csv_field(const std::string& text);

}  // namespace earshot
