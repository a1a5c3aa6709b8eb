#include "metrics/sii_inputs.hpp"

#include <algorithm>
#include <cmath>

#include "metrics/band_levels.hpp"

namespace earshot {

std::vector<double> sii_spectrum_levels(const float* samples, std::size_t count, double fs, double calibration_db_spl,
                                        SiiProcedure procedure, double level_offset_db) {
  const SiiBandTable& t = sii_band_table(procedure);
  const std::vector<double> power = band_powers(samples, count, fs, t.lower_hz, t.upper_hz);
  std::vector<double> levels(power.size());
  for (std::size_t b = 0; b < power.size(); ++b) {
    // A band above the signal's Nyquist frequency holds nothing: far below any threshold.
    const double width = t.upper_hz[b] - t.lower_hz[b];
    levels[b] = 10.0 * std::log10(std::max(power[b] / width, 1e-30)) + calibration_db_spl + level_offset_db;
  }
  return levels;
}

SiiEar sii_ear(const EarProfile& ear, SiiProcedure procedure) {
  SiiEar out;
  for (double f : sii_band_table(procedure).centre_hz) {
    out.threshold_db_hl.push_back(ear.sensorineural_loss_db_hl(f));
    out.conductive_db.push_back(ear.conductive_loss_db(f));
  }
  return out;
}

}  // namespace earshot
