#include "apps/cli/fit_job.hpp"

#include <cstdio>

#include "apps/cli/cli_error.hpp"
#include "audiology/prescription.hpp"

namespace earshot::cli {
namespace {

PrescriptionRule rule_from(const std::string& name) {
  const auto rule = parse_prescription_rule(name);
  if (!rule) throw CliError(kExitUsage, "--prescription '" + name + "' is not known: use " + prescription_names());
  return *rule;
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
                    {"insertion_gain_db", p.insertion_gain_db}});
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
  }
  return s;
}

}  // namespace earshot::cli
