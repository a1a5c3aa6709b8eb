#include "hearing_aid/hearing_aid_design.hpp"

#include <cmath>

#include "dsp/linear_phase_fir.hpp"

namespace earshot {

HearingAidPlan design_hearing_aid(const AidSettings& settings, const Audiogram& air_db_hl, double sample_rate_hz, double calibration_db_spl) {
  HearingAidPlan plan;
  plan.settings = settings;
  plan.sample_rate_hz = sample_rate_hz;
  plan.prescription = prescribe(settings.prescription, air_db_hl);
  // A linear aid: the row for 65 dB SPL (conversational speech), the only row of a linear rule.
  std::size_t row = 0;
  for (std::size_t l = 0; l < plan.prescription.input_levels_db_spl.size(); ++l) {
    if (plan.prescription.input_levels_db_spl[l] == 65.0) row = l;
  }
  const Prescription& p = plan.prescription;
  const int taps = 2 * static_cast<int>(std::lround(kAidFilterMs * 1e-3 * sample_rate_hz / 2.0)) + 1;
  // The window smooths the response over about 2 fs / taps Hz, which would miss a steep step of
  // the prescription (NAL-R's bass cut) by more than 1 dB at its corner. So the points the filter
  // is designed through are corrected by the error the previous design measured at each
  // prescribed frequency below Nyquist, a few times over: the filter then meets the prescription
  // at those frequencies, and stays smooth between them. Below the lowest and above the highest
  // prescribed frequency the gain is held (as an audiogram is read).
  Prescription shaped = p;
  shaped.insertion_gain_db = {p.insertion_gain_db[row]};
  std::vector<float> h;
  for (int pass = 0; pass < kAidDesignPasses; ++pass) {
    h = design_linear_phase_fir([&](double f) { return shaped.gain_db(0, f); }, taps, sample_rate_hz);
    for (std::size_t i = 0; i < p.frequencies_hz.size(); ++i) {
      const double f = p.frequencies_hz[i];
      if (f >= 0.45 * sample_rate_hz) continue;  // near Nyquist the held gain is what counts
      shaped.insertion_gain_db[0][i] += p.insertion_gain_db[row][i] - fir_gain_db(h, f, sample_rate_hz);
    }
  }
  plan.equaliser_taps = design_linear_phase_fir([&](double f) { return shaped.gain_db(0, f); }, taps, sample_rate_hz);
  plan.latency_frames = (taps - 1) / 2;
  if (settings.compression) {
    plan.compressor = design_multiband_compressor(p, [&](double f) { return shaped.gain_db(0, f); }, taps, settings, air_db_hl,
                                                  calibration_db_spl, sample_rate_hz);
  }
  if (settings.noise_reduction) {
    plan.noise_reduction = std::make_shared<const NoiseReductionPlan>(design_noise_reduction(settings.nr_floor_db, sample_rate_hz));
    plan.latency_frames += plan.noise_reduction->latency_frames;
  }
  return plan;
}

}  // namespace earshot
