#include "metrics/hasqi_reference_equalisation.hpp"

#include <algorithm>
#include <cmath>

#include "audiology/prescription.hpp"
#include "dsp/frequency_sampling_fir.hpp"
#include "metrics/kates_hearing_loss_parameters.hpp"

namespace earshot {

std::vector<double> hasqi_nalr_gains_db(const std::array<double, 6>& audiogram_db_hl) {
  Audiogram six;
  for (std::size_t i = 0; i < 6; ++i) six.points.push_back({kKatesAudiogramFrequenciesHz[i], audiogram_db_hl[i]});
  const double three_frequency_sum_db_hl = six.at(500) + six.at(1000) + six.at(2000);
  const PrescriptionRule rule = three_frequency_sum_db_hl <= 180.0 ? PrescriptionRule::nal_r : PrescriptionRule::nal_rp;
  const Prescription p = prescribe(rule, six);
  std::vector<double> gains_db;
  for (double f : kKatesAudiogramFrequenciesHz) gains_db.push_back(p.gain_db(0, f));
  return gains_db;
}

std::vector<double> hasqi_nalr_fir(const std::array<double, 6>& audiogram_db_hl, double sample_rate_hz, int order) {
  const int taps = order + 1;
  bool loss = false;
  for (double h : audiogram_db_hl) loss = loss || h > 0.0;
  if (!loss) {  // nothing prescribed: a pure delay of order / 2, as Kates's filter for no loss
    std::vector<double> impulse(static_cast<std::size_t>(taps), 0.0);
    impulse[static_cast<std::size_t>(order / 2)] = 1.0;
    return impulse;
  }
  return hasqi_nalr_fir_from_gains(hasqi_nalr_gains_db(audiogram_db_hl), sample_rate_hz, order);
}

std::vector<double> hasqi_nalr_fir_from_gains(const std::vector<double>& gains_db, double sample_rate_hz, int order) {
  const int taps = order + 1;
  const double nyquist_hz = 0.5 * sample_rate_hz;
  // The six gains with the ends held out to 0 Hz and Nyquist, read linearly in Hz.
  std::vector<double> table_hz = {0.0}, table_db = {gains_db.front()};
  for (std::size_t i = 0; i < gains_db.size(); ++i) {
    table_hz.push_back(kKatesAudiogramFrequenciesHz[i]);
    table_db.push_back(gains_db[i]);
  }
  table_hz.push_back(nyquist_hz);
  table_db.push_back(gains_db.back());
  std::vector<double> breakpoints(static_cast<std::size_t>(taps)), gains(static_cast<std::size_t>(taps));
  for (int i = 0; i < taps; ++i) {
    const double normalised = static_cast<double>(i) / order;
    const double f_hz = nyquist_hz * normalised;
    std::size_t j = 1;
    while (j + 1 < table_hz.size() && table_hz[j] < f_hz) ++j;
    const double t = (f_hz - table_hz[j - 1]) / (table_hz[j] - table_hz[j - 1]);
    breakpoints[static_cast<std::size_t>(i)] = normalised;
    gains[static_cast<std::size_t>(i)] = std::pow(10.0, (table_db[j - 1] + t * (table_db[j] - table_db[j - 1])) / 20.0);
  }
  return design_frequency_sampling_fir(taps, breakpoints, gains);
}

}  // namespace earshot
