#include "apps/cli/fit_job.hpp"

#include <cstdio>

#include "apps/cli/cli_error.hpp"
#include "audiology/prescription.hpp"
#include "hearing_aid/compression_curve.hpp"
#include "hearing_aid/maximum_output.hpp"

namespace earshot::cli {
namespace {

PrescriptionRule rule_from(const std::string& name) {
  const auto rule = parse_prescription_rule(name);
  if (!rule) throw CliError(kExitUsage, "--prescription '" + name + "' is not known: use " + prescription_names());
  return *rule;
}

// The compressor's static curve (render --aid RULE,wdrc) at these input levels: for fig6 its
// rows interpolated, for a linear rule its 65 dB SPL gain compressed 2:1 above a 40 dB SPL knee.
constexpr double kCurveLevelsDbSpl[3] = {50.0, 65.0, 80.0};

}  // namespace

namespace {

nlohmann::json wdrc_json(const Prescription& p, const EarProfile& ear) {
  std::vector<std::vector<double>> gains(3);
  std::vector<double> knees, ratios;
  for (std::size_t i = 0; i < p.frequencies_hz.size(); ++i) {
    const CompressionCurve c = compression_curve(p, i);
    for (std::size_t l = 0; l < 3; ++l) gains[l].push_back(c.gain_db(kCurveLevelsDbSpl[l]));
    knees.push_back(c.knee_db_spl());
    ratios.push_back(c.ratio(kCurveLevelsDbSpl[0], kCurveLevelsDbSpl[2]));
  }
  return {{"input_levels_db_spl", kCurveLevelsDbSpl}, {"insertion_gain_db", gains}, {"knee_db_spl", knees},
          {"compression_ratio_50_to_80_db_spl", ratios}, {"default_mpo_db_spl", default_mpo_db_spl(ear.air_db_hl)}};
}

}  // namespace

nlohmann::json fit_json(const Listener& listener, const std::string& prescription) {
  const PrescriptionRule rule = rule_from(prescription);
  nlohmann::json ears = nlohmann::json::array();
  for (int e = 0; e < 2; ++e) {
    const EarProfile& ear = listener.ear(e);
    if (!ear.hears_acoustically()) continue;
    const Prescription p = prescribe(rule, ear.air_db_hl);
    ears.push_back({{"ear", ear_name(e)},
                    {"prescription", prescription_name(rule)},
                    {"frequencies_hz", p.frequencies_hz},
                    {"input_levels_db_spl", p.input_levels_db_spl},
                    {"insertion_gain_db", p.insertion_gain_db},
                    {"wdrc", wdrc_json(p, ear)}});
  }
  return ears;
}

std::string fit_text(const Listener& listener, const std::string& prescription) {
  const PrescriptionRule rule = rule_from(prescription);
  std::string s = std::string(prescription_citation(rule)) + "\nreal-ear insertion gain, dB (negative targets are set to 0 dB)\n";
  char buf[64];
  for (int e = 0; e < 2; ++e) {
    const EarProfile& ear = listener.ear(e);
    s += std::string("\n") + ear_name(e) + " ear (" + ear.label + ")";
    if (!ear.hears_acoustically()) {
      s += ": hears through its implant only; no acoustic aid\n";
      continue;
    }
    const Prescription p = prescribe(rule, ear.air_db_hl);
    s += "\n  frequency, Hz   ";
    for (double f : p.frequencies_hz) {
      std::snprintf(buf, sizeof buf, "%7.0f", f);
      s += buf;
    }
    s += "\n  threshold, dB HL";
    for (double f : p.frequencies_hz) {
      std::snprintf(buf, sizeof buf, "%7.1f", ear.air_db_hl.at(f));
      s += buf;
    }
    s += "\n";
    for (std::size_t l = 0; l < p.input_levels_db_spl.size(); ++l) {
      if (p.linear()) std::snprintf(buf, sizeof buf, "%s", "  gain, any input ");
      else std::snprintf(buf, sizeof buf, "  gain, %2.0f dB SPL ", p.input_levels_db_spl[l]);
      s += buf;
      for (double g : p.insertion_gain_db[l]) {
        std::snprintf(buf, sizeof buf, "%7.1f", g);
        s += buf;
      }
      s += "\n";
    }
    // What `render --aid RULE,wdrc` does with these gains: its static curve, knee and ratio.
    s += "  with wdrc (render --aid " + std::string(prescription_name(rule)) + ",wdrc): band level in, dB SPL -> gain\n";
    std::vector<CompressionCurve> curves;
    for (std::size_t i = 0; i < p.frequencies_hz.size(); ++i) curves.push_back(compression_curve(p, i));
    for (double level : kCurveLevelsDbSpl) {
      std::snprintf(buf, sizeof buf, "  gain, %2.0f dB SPL ", level);
      s += buf;
      for (const auto& c : curves) {
        std::snprintf(buf, sizeof buf, "%7.1f", c.gain_db(level));
        s += buf;
      }
      s += "\n";
    }
    s += "  knee, dB SPL     ";
    for (const auto& c : curves) {
      std::snprintf(buf, sizeof buf, "%7.0f", c.knee_db_spl());
      s += buf;
    }
    s += "\n  ratio, 50 to 80  ";
    for (const auto& c : curves) {
      std::snprintf(buf, sizeof buf, "%7.2f", c.ratio(kCurveLevelsDbSpl[0], kCurveLevelsDbSpl[2]));
      s += buf;
    }
    std::snprintf(buf, sizeof buf, "%.0f", default_mpo_db_spl(ear.air_db_hl));
    s += std::string("\n  MPO (limiter), default ") + buf + " dB SPL: 5 dB under the estimated uncomfortable level\n";
  }
  return s;
}

}  // namespace earshot::cli
