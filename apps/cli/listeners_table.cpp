#include "apps/cli/listeners_table.hpp"

#include <cstdio>

#include "model/implant_presets.hpp"
#include "formats/listener_spec_parser.hpp"
#include "audiology/presets.hpp"
#include "audiology/prescription.hpp"

namespace earshot::cli {

namespace {
constexpr double kShown[] = {250, 500, 1000, 2000, 3000, 4000, 6000, 8000};

std::string row(const std::string& name, const EarProfile& ear, const std::string& note) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%-32s", name.c_str());
  std::string s = buf;
  for (double f : kShown) {
    std::snprintf(buf, sizeof buf, "%6.1f", ear.air_loss_db_hl(f));
    s += buf;
  }
  return s + "  " + note + "\n";
}
}  // namespace

std::string listeners_table() {
  std::string s = "Listener presets (dB HL; between points: linear on log frequency; held flat beyond the ends)\n\n";
  char head[64];
  std::snprintf(head, sizeof head, "%-32s", "listener");
  s += head;
  for (double f : kShown) {
    std::snprintf(head, sizeof head, "%6.0f", f);
    s += head;
  }
  s += "  source\n";
  s += row("normal", normal_ear(), "0 dB HL (ISO 389-7 free-field thresholds)");
  s += row("deaf", parse_ear_spec("deaf", "").value(), "no usable hearing, the audiometer's limit (renders silence)");
  for (const auto& b : bisgaard_audiograms()) {
    EarProfile e;
    e.air_db_hl = b.audiogram;
    s += row(b.name, e, std::string(b.description) + " (Bisgaard et al. 2010, IEC 60118-15)");
  }
  for (const char* spec : {"age:50:male", "age:70:male", "age:70:female", "age:80:female", "age:65:male:p90"}) {
    s += row(spec, parse_ear_spec(spec, "").value(), "ISO 7029:2017");
  }
  for (const char* spec : {"noise:95dBA:25y:age:50:male", "noise:100dBA:10y:age:35:male"}) {
    s += row(spec, parse_ear_spec(spec, "").value(), "ISO 1999:2013 + ISO 7029:2017");
  }
  s += "\nCochlear implants and vocoders (what each electrode carries, where it sits, and the sources)\n\n";
  for (const auto& p : listed_implant_presets()) {
    const auto& m = p.map;
    char head_line[160];
    std::snprintf(head_line, sizeof head_line, "%-20s %s: %d electrodes, %s, %.0f-%.0f Hz, %d maxima at %.0f pps, %s carrier\n",
                  p.name.c_str(), m.device.c_str(), m.electrodes, to_string(m.strategy), m.band_edges_hz.front(),
                  m.band_edges_hz.back(), m.maxima, m.rate_pps, to_string(m.carrier));
    s += head_line;
    s += "                     " + p.description + "\n                     source: " + m.source + "\n";
  }
  s += "vocoder:noise-N and vocoder:sine-N take N = 1..." + std::to_string(kMaxVocoderBands) + " bands.\n";
  s += "\nHearing-aid prescriptions (render --aid RULE, fit --prescription RULE, [left.aid] in a profile)\n\n";
  for (PrescriptionRule r : {PrescriptionRule::nal_r, PrescriptionRule::nal_rp, PrescriptionRule::fig6, PrescriptionRule::half_gain,
                             PrescriptionRule::pogo}) {
    char line[48];
    std::snprintf(line, sizeof line, "%-20s ", prescription_name(r));
    s += std::string(line) + prescription_citation(r) + "\n";
  }
  s += "\nForms: normal | deaf | N1..N7 | S1..S3 | age:AGE:male|female[:pNN] | noise:LEVELdBA:YEARSy:age:AGE:SEX[:pNN]\n"
       "       | FREQ:DBHL,FREQ:DBHL,... | ci:DEVICE | eas:nucleus-hybrid | vocoder:noise-N | vocoder:sine-N\n"
       "       | profile.toml (also full implant maps) | left=SPEC,right=SPEC\n"
       "       | listeners.json#ID (a Clarity/Cadenza listener file: audiogram_cfs, audiogram_levels_l, audiogram_levels_r)\n"
       "pNN is a percentile of the population, p5...p95 (p90: worse than 90 % of people; default median).\n";
  return s;
}

}  // namespace earshot::cli
