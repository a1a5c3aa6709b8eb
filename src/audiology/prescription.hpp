#pragma once
// Hearing-aid prescriptions: the real-ear insertion gain (dB; the aided minus the unaided level at
// the eardrum, so it applies to a free-field input) that a published fitting rule gives for an
// audiogram. Each rule is implemented from its paper (see prescription.cpp for the formulas and
// their sources); none of the licensed rules (NAL-NL1/NL2, DSL v5) is here.
//   linear rules      nal-r, nal-rp, half-gain, pogo: one gain per frequency, at any input level
//   compressive rule  fig6: a gain per frequency at 40, 65 and 95 dB SPL input
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audiology/audiogram.hpp"

namespace earshot {

enum class PrescriptionRule { nal_r, nal_rp, fig6, half_gain, pogo };

struct Prescription {
  PrescriptionRule rule = PrescriptionRule::nal_r;
  std::vector<double> frequencies_hz;       // where the rule prescribes, increasing
  // One row of insertion_gain_db per input level. A linear rule has one row, listed at 65 dB SPL
  // (conversational speech, the level these rules were built for); it holds at every level.
  std::vector<double> input_levels_db_spl;
  std::vector<std::vector<double>> insertion_gain_db;  // [level][frequency], dB, never negative

  bool linear() const { return input_levels_db_spl.size() == 1; }
  // Gain of row `level` at any frequency: linear in dB on a log-frequency axis between the
  // prescribed frequencies, held flat beyond the first and last (as an audiogram is read).
  double gain_db(std::size_t level, double frequency_hz) const;
};

// The rule's gains for an ear with these air-conduction thresholds (dB HL). An audiogram with no
// threshold above 0 dB HL at the rule's frequencies is not aided: every gain is 0 dB.
Prescription prescribe(PrescriptionRule rule, const Audiogram& air_db_hl);

// "nal-r", "nal-rp", "fig6", "half-gain", "pogo" (as the CLI and profiles name them).
std::optional<PrescriptionRule> parse_prescription_rule(std::string_view name);
const char* prescription_name(PrescriptionRule rule);
// Author, year and what the rule is, for `earshot fit` and the listener table.
const char* prescription_citation(PrescriptionRule rule);
// Every rule name, for messages: "nal-r, nal-rp, fig6, half-gain or pogo".
std::string prescription_names();

}  // namespace earshot
