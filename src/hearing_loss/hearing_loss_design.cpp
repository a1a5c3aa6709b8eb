#include "hearing_loss/hearing_loss_design.hpp"

#include <algorithm>
#include <cmath>
#include <complex>
#include <numbers>
#include <utility>

#include "audiology/auditory_scale.hpp"
#include "dsp/fft_size.hpp"

namespace earshot {
namespace {

// Filters and smearing kernels stop where their power weight falls below this (-30 dB).
constexpr double kWeightFloor = 1e-3;
// Lowest place modelled; bins below it take its excitation.
constexpr double kLowestPlaceHz = 50.0;
// Highest place modelled: 20 kHz or just below Nyquist.
constexpr double kHighestPlaceHz = 20000.0;

// Leakage of a unit-power pure tone into a bin `delta_bins` away, for the periodic Hann window:
// |W(delta)|^2 / (N sum w^2), from the closed form of the window's DTFT (Hann = 1/2 - 1/4 e^{+} - 1/4 e^{-}).
double hann_window_leakage(int n, double delta_bins) {
  using cd = std::complex<double>;
  const double theta = 2.0 * std::numbers::pi * delta_bins / n;
  auto geometric = [n](double alpha) -> cd {
    const cd z = std::polar(1.0, alpha);
    if (std::abs(1.0 - z) < 1e-12) return cd(n, 0.0);
    return (1.0 - std::pow(z, n)) / (1.0 - z);
  };
  const double step = 2.0 * std::numbers::pi / n;
  const cd w = 0.5 * geometric(-theta) - 0.25 * geometric(step - theta) - 0.25 * geometric(-step - theta);
  const double sum_w2 = 3.0 * n / 8.0;
  return std::norm(w) / (n * sum_w2);
}

// One row of a banded matrix: its first column and its weights from there.
struct WeightRun {
  int first = 0;
  std::vector<double> weights;
};

// Rows -> LaneRows (hearing_loss_design.hpp): blocks of kPlanLanes rows over the union of their
// runs, padded to whole lanes of columns within the input's `input_length` columns (a multiple of
// kPlanLanes). Rows past the last (the pad of the last block) have no weights.
LaneRows lane_rows(const std::vector<WeightRun>& rows, int input_length) {
  LaneRows out;
  const int lanes = kPlanLanes;
  for (std::size_t r0 = 0; r0 < rows.size(); r0 += lanes) {
    const std::size_t r1 = std::min(rows.size(), r0 + lanes);
    int lo = input_length, hi = 0;
    for (std::size_t r = r0; r < r1; ++r) {
      if (rows[r].weights.empty()) continue;
      lo = std::min(lo, rows[r].first);
      hi = std::max(hi, rows[r].first + static_cast<int>(rows[r].weights.size()));
    }
    if (hi <= lo) lo = hi = 0;
    const int count = std::min(input_length, (hi - lo + lanes - 1) / lanes * lanes);
    lo = std::min(lo, input_length - count);  // grow at the start where the end would pass the input
    out.first_column.push_back(lo);
    out.column_count.push_back(count);
    out.weight_offset.push_back(static_cast<int>(out.weights.size()));
    std::vector<float> block(static_cast<std::size_t>(count) * lanes, 0.0f);
    for (std::size_t r = r0; r < r1; ++r) {
      for (std::size_t k = 0; k < rows[r].weights.size(); ++k) {
        const int c = rows[r].first + static_cast<int>(k) - lo;
        block[static_cast<std::size_t>(c) * lanes + (r - r0)] = static_cast<float>(rows[r].weights[k]);
      }
    }
    out.weights.insert(out.weights.end(), block.begin(), block.end());
  }
  return out;
}

}  // namespace

double filter_broadening(double sensorineural_loss_db_hl) {
  return std::clamp(1.0 + (sensorineural_loss_db_hl - 15.0) / 25.0, 1.0, 4.0);
}

SmearingBroadening smearing_broadening(double sensorineural_loss_db_hl) {
  const double b = filter_broadening(sensorineural_loss_db_hl);
  return {1.5 * b - 0.5, 0.5 * b + 0.5};
}

int analysis_fft_size(double sample_rate_hz, double window_ms) {
  int n = std::max(16, static_cast<int>(std::ceil(sample_rate_hz * window_ms / 1000.0)));
  while (n % 4 != 0 || !has_only_small_prime_factors(n, 5)) ++n;
  return n;
}

bool same_layout(const HearingLossPlan& a, const HearingLossPlan& b) {
  return a.sample_rate_hz == b.sample_rate_hz && a.fft_size == b.fft_size && a.bands == b.bands &&
         a.first_band_erb_number == b.first_band_erb_number && a.power_to_spl == b.power_to_spl &&
         a.band_normal_threshold_db_spl == b.band_normal_threshold_db_spl && a.catch_up_db_spl == b.catch_up_db_spl;
}

SpecErrors validate(const HearingLossParams& p) {
  SpecErrors errors;
  if (!(p.sample_rate_hz >= kMinSampleRateHz && p.sample_rate_hz <= kMaxSampleRateHz)) {
    errors.push_back({"sample_rate_hz", format_number(p.sample_rate_hz) + " Hz is outside the supported " +
                                            format_number(kMinSampleRateHz) + "..." + format_number(kMaxSampleRateHz) + " Hz"});
  }
  if (!(std::isfinite(p.calibration_db_spl) && p.calibration_db_spl >= 0.0 && p.calibration_db_spl <= 160.0)) {
    errors.push_back({"calibration_db_spl", format_number(p.calibration_db_spl) + " dB SPL is outside 0...160 dB SPL"});
  }
  if (!(p.catch_up_db_spl >= 80.0 && p.catch_up_db_spl <= 130.0)) {
    errors.push_back({"catch_up_db_spl", format_number(p.catch_up_db_spl) + " dB SPL is outside 80...130 dB SPL"});
  }
  if (!(p.window_ms >= 4.0 && p.window_ms <= 64.0)) {
    errors.push_back({"window_ms", format_number(p.window_ms) + " ms is outside 4...64 ms"});
  }
  return errors;
}

float hearing_loss_power_to_spl(int fft_size, double calibration_db_spl) {
  // One-sided bin power 2|X|^2 / (N sum w^2) sums to a tone's mean square; sum w^2 = 3N/8.
  const double n = fft_size;
  return static_cast<float>(16.0 / (3.0 * n * n) * std::pow(10.0, calibration_db_spl / 10.0));
}

Result<HearingLossPlan> design_hearing_loss(const HearingLossParams& params, const EarProfile& ear) {
  SpecErrors errors = validate(params);
  for (auto& e : validate(ear, "ear")) errors.push_back(std::move(e));
  if (!errors.empty()) return errors;

  HearingLossPlan plan;
  const double fs = params.sample_rate_hz;
  const int n = analysis_fft_size(fs, params.window_ms);
  plan.sample_rate_hz = fs;
  plan.fft_size = n;
  plan.hop = n / 4;
  plan.bins = n / 2 + 1;
  plan.latency_frames = n;
  plan.seed = params.seed;
  plan.catch_up_db_spl = params.catch_up_db_spl;

  // Periodic Hann windows for analysis and synthesis: Hann^2 overlap-adds to 3/2 at a hop of N/4,
  // so the synthesis window carries 2/3 (and 1/N for FFTW's unnormalised inverse). The Hann's
  // derivative is continuous at the frame edges, so the derivative-window spectrum used for
  // instantaneous frequency decays as fast as the signal's own leakage, far from a component too.
  plan.analysis_window.resize(n);
  plan.analysis_window_derivative.resize(n);
  plan.synthesis_window.resize(n);
  for (int i = 0; i < n; ++i) {
    const double phase = 2.0 * std::numbers::pi * i / n;
    const double hann = 0.5 - 0.5 * std::cos(phase);
    plan.analysis_window[i] = static_cast<float>(hann);
    plan.analysis_window_derivative[i] = static_cast<float>(std::numbers::pi / n * std::sin(phase));
    plan.synthesis_window[i] = static_cast<float>(hann * (2.0 / 3.0) / n);
  }
  plan.power_to_spl = hearing_loss_power_to_spl(n, params.calibration_db_spl);

  plan.padded_bins = (plan.bins + kPlanLanes - 1) / kPlanLanes * kPlanLanes;
  plan.bin_hz.resize(plan.bins);
  plan.bin_band_index.resize(plan.bins);
  plan.conductive_gain.resize(plan.bins);
  for (int k = 0; k < plan.bins; ++k) {
    const double f = k * fs / n;
    plan.bin_hz[k] = static_cast<float>(f);
    plan.conductive_gain[k] = static_cast<float>(std::pow(10.0, -ear.conductive_loss_db(std::max(f, 1.0)) / 20.0));
  }

  // ---- Excitation bands.
  const double top_hz = std::min(kHighestPlaceHz, 0.48 * fs);
  plan.first_band_erb_number = erb_number(kLowestPlaceHz);
  plan.bands = static_cast<int>(std::floor((erb_number(top_hz) - plan.first_band_erb_number) / plan.band_step_erb)) + 1;
  for (int k = 0; k < plan.bins; ++k) {
    const double idx = (erb_number(std::max(k * fs / n, 1.0)) - plan.first_band_erb_number) / plan.band_step_erb;
    plan.bin_band_index[k] = static_cast<float>(std::clamp(idx, 0.0, plan.bands - 1.0));
  }
  const double bin_width = fs / n;
  std::vector<WeightRun> band_runs;
  for (int b = 0; b < plan.bands; ++b) {
    const double fc = frequency_from_erb_number(plan.first_band_erb_number + b * plan.band_step_erb);
    const double loss = ear.sensorineural_loss_db_hl(fc);
    const double p = 4.0 * fc / (filter_broadening(loss) * erb_hz(fc));
    // Bins where the filter weight is above the floor.
    int lo = static_cast<int>(std::floor(fc / bin_width));
    int hi = lo + 1;
    while (lo > 1 && roex_weight(p, (fc - (lo - 1) * bin_width) / fc) >= kWeightFloor) --lo;
    while (hi < plan.bins - 2 && roex_weight(p, ((hi + 1) * bin_width - fc) / fc) >= kWeightFloor) ++hi;
    lo = std::max(lo, 1);
    hi = std::min(hi, plan.bins - 2);
    double tone_response = 0.0;
    std::vector<double> w;
    for (int k = lo; k <= hi; ++k) {
      const double weight = roex_weight(p, std::abs(k * bin_width - fc) / fc);
      w.push_back(weight);
      tone_response += weight * hann_window_leakage(n, k - fc / bin_width);
    }
    for (double& weight : w) weight /= tone_response;
    band_runs.push_back({lo, std::move(w)});

    plan.band_normal_threshold_db_spl.push_back(static_cast<float>(reference_threshold_db_spl(fc, params.field)));
    plan.band_loss_db_hl.push_back(static_cast<float>(loss));
  }
  plan.band_rows = lane_rows(band_runs, plan.padded_bins);

  // Each bin's loss at its own place (where smeared-in power lands), as the processor interpolates
  // per-place quantities: linear between places, in float.
  plan.bin_own_loss_db_hl.resize(plan.bins);
  for (int k = 0; k < plan.bins; ++k) {
    const float idx = plan.bin_band_index[k];
    const int lo = std::min(static_cast<int>(idx), plan.bands - 2);
    const float* v = plan.band_loss_db_hl.data();
    plan.bin_own_loss_db_hl[k] = plan.bands > 1 ? v[lo] + (idx - lo) * (v[lo + 1] - v[lo]) : v[0];
  }
  // The per-bin vectors padded to whole lanes (the pad repeats the last bin).
  for (auto* v : {&plan.bin_hz, &plan.bin_band_index, &plan.bin_own_loss_db_hl, &plan.conductive_gain}) {
    v->resize(plan.padded_bins, v->back());
  }

  // ---- Spectral smearing (Baer & Moore 1993): the short-term power spectrum is smoothed by
  // kernels of roex shape whose ERB is sqrt(b^2 - 1) ERB_N: convolved with the normal filter,
  // their spreads add to give a filter b times as broad as normal. Power at input bin j spreads
  // upward with the lower-side broadening (upward spread of excitation) and downward with the
  // upper-side one. Each output bin is a weighted average of its neighbourhood (rows normalised),
  // so a flat spectrum stays flat, and a steep loss does not drain a band into its neighbours.
  //
  // Smearing stands for broadened filters at the places the model has, up to the highest (top_hz):
  // power is spread from and into bins up to there. Bins above it excite no modelled place (they
  // take the highest place's recruitment gain) and keep their own power. This also bounds the work:
  // kernels are a fixed number of Hz wide at a given place and bins are fs / N ~ 62 Hz apart at any
  // rate, so the multiply-adds a frame are the same at 44.1 and 96 kHz; spreading the bins above
  // 20 kHz too, with kernels as wide as the ERB there, made the work grow with the square of the rate.
  const int top_smeared_bin = std::min(plan.bins - 2, static_cast<int>(std::floor(top_hz / bin_width)));
  std::vector<std::vector<std::pair<int, double>>> columns(plan.bins);
  std::vector<double> row_sum(plan.bins, 0.0);
  for (int j = 0; j < plan.bins; ++j) {
    const double fj = j * bin_width;
    const SmearingBroadening sb = smearing_broadening(ear.sensorineural_loss_db_hl(std::max(fj, 1.0)));
    const bool spreads = params.smearing && j > 0 && j <= top_smeared_bin && (sb.lower > 1.0 + 1e-6 || sb.upper > 1.0 + 1e-6);
    if (!spreads) {  // a unit kernel: this bin's power stays in its own row's average
      columns[j].push_back({j, 1.0});
      continue;
    }
    const double pn = 4.0 * fj / erb_hz(fj);
    const double p_up = sb.lower > 1.0 + 1e-6 ? pn / std::sqrt(sb.lower * sb.lower - 1.0) : 1e9;
    const double p_down = sb.upper > 1.0 + 1e-6 ? pn / std::sqrt(sb.upper * sb.upper - 1.0) : 1e9;
    auto weight = [&](int i) { return roex_weight(i > j ? p_up : p_down, std::abs(i - j) * bin_width / fj); };
    for (int i = j; i >= 1 && weight(i) >= kWeightFloor; --i) columns[j].push_back({i, weight(i)});
    for (int i = j + 1; i <= top_smeared_bin && weight(i) >= kWeightFloor; ++i) columns[j].push_back({i, weight(i)});
  }
  for (int j = 0; j < plan.bins; ++j) {
    for (const auto& [i, w] : columns[j]) row_sum[i] += w;
  }
  // Stored by output bin (a gather: each output bin a dot product over a run of input bins), so
  // that the processor sums in registers rather than writing every output bin once per input bin.
  std::vector<std::vector<std::pair<int, double>>> rows(plan.bins);
  for (int j = 0; j < plan.bins; ++j) {
    plan.smearing_active = plan.smearing_active || columns[j].size() > 1;
    for (const auto& [i, w] : columns[j]) rows[i].push_back({j, w / row_sum[i]});
  }
  std::vector<WeightRun> smear_runs;
  for (int i = 0; i < plan.bins; ++i) {
    const auto& row = rows[i];
    int lo = plan.bins, hi = -1;
    for (const auto& [j, w] : row) {
      lo = std::min(lo, j);
      hi = std::max(hi, j);
    }
    std::vector<double> dense(hi - lo + 1, 0.0);
    for (const auto& [j, w] : row) dense[j - lo] += w;
    smear_runs.push_back({lo, std::move(dense)});
  }
  plan.smear_rows = lane_rows(smear_runs, plan.padded_bins);
  return plan;
}

}  // namespace earshot
