#include "implant/implant_design.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

#include "hearing_loss/hearing_loss_design.hpp"
#include "implant/implant_carriers.hpp"

namespace earshot {
namespace {

// Bands stop short of the Nyquist frequency: a band above it receives nothing.
double usable_edge(double hz, double fs) { return std::min(hz, 0.45 * fs); }

// Places of the active electrodes on the organ-of-Corti axis (see ImplantElectrode).
void place_electrodes(const ImplantMap& map, std::vector<ImplantElectrode>& electrodes) {
  const int n = map.electrodes;
  auto physical_depth = [&](double index) {
    if (map.place_map == PlaceMap::organ_of_corti) return map.insertion_depth_mm - index * map.electrode_spacing_mm;
    const double step = n > 1 ? (map.insertion_angle_deg - map.basal_angle_deg) / (n - 1) : 0.0;
    const double angle = std::clamp(map.insertion_angle_deg - index * step, 0.0, kMaxSpiralGanglionAngleDeg);
    return greenwood_depth_mm(spiral_ganglion_frequency_hz(angle));
  };
  for (auto& e : electrodes) {
    if (map.matched_places) {
      e.region_basal_mm = greenwood_depth_mm(e.band_high_hz);
      e.region_apical_mm = greenwood_depth_mm(e.band_low_hz);
      e.place_mm = 0.5 * (e.region_basal_mm + e.region_apical_mm);
    } else {
      e.place_mm = physical_depth(e.index);
      // Its own region reaches half-way to its neighbours on the array.
      e.region_apical_mm = 0.5 * (e.place_mm + physical_depth(e.index - 1.0));
      e.region_basal_mm = 0.5 * (e.place_mm + physical_depth(e.index + 1.0));
      if (n == 1) {
        e.region_apical_mm = e.place_mm + 0.5;
        e.region_basal_mm = e.place_mm - 0.5;
      }
    }
    e.place_mm -= map.shift_mm;
    e.region_basal_mm -= map.shift_mm;
    e.region_apical_mm -= map.shift_mm;
    e.place_hz = greenwood_frequency_hz(e.place_mm);
  }
}

}  // namespace

std::int64_t ImplantPlan::frame_clock(std::int64_t k) const noexcept {
  return std::llround(static_cast<double>(k) * frames_per_stimulation_frame);
}

Result<ImplantPlan> design_implant(const ImplantMap& map, const ImplantDesignParams& params) {
  SpecErrors errors = validate(map, "");
  const double fs = params.sample_rate_hz;
  if (!(fs >= kMinSampleRateHz && fs <= kMaxSampleRateHz)) {
    errors.push_back({"sample_rate_hz", format_number(fs) + " Hz is outside the supported " + format_number(kMinSampleRateHz) +
                                            "..." + format_number(kMaxSampleRateHz) + " Hz"});
  }
  if (errors.empty() && map.rate_pps > fs / 4.0) {
    errors.push_back({"rate_pps", format_number(map.rate_pps) + " pps is above a quarter of the sample rate (" +
                                      format_number(fs) + " Hz): frames would be shorter than 4 samples"});
  }
  if (!errors.empty()) return errors;

  ImplantPlan plan;
  plan.map = map;
  plan.sample_rate_hz = fs;
  plan.calibration_db_spl = params.calibration_db_spl;
  plan.seed = params.seed;

  const std::vector<int> active = active_electrodes(map);
  const std::vector<double> edges = active_band_edges(map);
  for (std::size_t j = 0; j < active.size(); ++j) {
    ImplantElectrode e;
    e.index = active[j];
    e.number = electrode_number(map, e.index);
    e.band_low_hz = edges[j];
    e.band_high_hz = edges[j + 1];
    e.threshold_ua = map.threshold_ua.size() == 1 ? map.threshold_ua[0] : map.threshold_ua[e.index];
    e.comfort_ua = map.comfort_ua.size() == 1 ? map.comfort_ua[0] : map.comfort_ua[e.index];
    plan.electrodes.push_back(e);
  }
  place_electrodes(map, plan.electrodes);

  // Front end. Pre-emphasis: s / (s + wc) by the bilinear transform, unity gain at 1 kHz.
  if (map.pre_emphasis_hz > 0.0) {
    plan.pre_emphasis = true;
    const double k = 2.0 * fs, wc = k * std::tan(std::numbers::pi * map.pre_emphasis_hz / fs);
    Biquad& h = plan.pre_emphasis_filter;
    h.b0 = k / (k + wc);
    h.b1 = -k / (k + wc);
    h.b2 = 0.0;
    h.a1 = (wc - k) / (k + wc);
    h.a2 = 0.0;
    const double g = 1.0 / magnitude_response({h}, 1000.0, fs);
    h.b0 *= g;
    h.b1 *= g;
  }
  plan.agc_attack = static_cast<float>(std::exp(-1.0 / (0.005 * fs)));
  plan.agc_release = static_cast<float>(std::exp(-1.0 / (0.075 * fs)));
  plan.agc_knee = static_cast<float>(std::numbers::sqrt2 * std::pow(10.0, (map.agc_knee_db_spl - params.calibration_db_spl) / 20.0));

  plan.frames_per_stimulation_frame = fs / map.rate_pps;
  plan.pulse_slot_frames = plan.frames_per_stimulation_frame / map.maxima;

  if (map.strategy == ImplantStrategy::ace) {
    // About 8 ms of Hann window, as the 128-point FFT at 16 kHz of the Nucleus processors: bins
    // about 125 Hz apart at any rate. Each bin counts towards a band by the share of its width
    // inside the band, so bands of any edges get their power (a bin split between two bands is
    // shared between them).
    const int n = analysis_fft_size(fs, 8.0);
    plan.fft_size = n;
    plan.window.resize(n);
    double sum_w2 = 0.0;
    for (int i = 0; i < n; ++i) {
      plan.window[i] = static_cast<float>(0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * i / n));
      sum_w2 += double(plan.window[i]) * plan.window[i];
    }
    // A sinusoid of RMS r: sum over positive bins of |X|^2 = r^2 n sum(w^2) / 2.
    const double power_scale = 2.0 / (n * sum_w2);
    const double bin_hz = fs / n;
    for (const auto& e : plan.electrodes) {
      ImplantPlan::BandBins bb;
      const double lo = usable_edge(e.band_low_hz, fs), hi = usable_edge(e.band_high_hz, fs);
      const int first = std::max(1, static_cast<int>(std::floor(lo / bin_hz - 0.5)));
      const int last = std::min(n / 2 - 1, static_cast<int>(std::ceil(hi / bin_hz + 0.5)));
      bb.first_bin = first;
      for (int k = first; k <= last; ++k) {
        const double overlap = std::min(hi, (k + 0.5) * bin_hz) - std::max(lo, (k - 0.5) * bin_hz);
        bb.weights.push_back(static_cast<float>(std::max(0.0, overlap / bin_hz) * power_scale));
      }
      plan.band_bins.push_back(std::move(bb));
    }
    plan.analysis_delay_frames = n / 2;
  } else {
    // Sixth-order Butterworth band-pass per band, then the envelope detector.
    std::vector<double> delays;
    for (const auto& e : plan.electrodes) {
      const double lo = usable_edge(e.band_low_hz, fs), hi = usable_edge(e.band_high_hz, fs);
      const bool empty = lo >= hi * 0.999;
      auto band = empty ? std::vector<Biquad>{Biquad{0, 0, 0, 0, 0}} : butterworth_bandpass(3, lo, hi, fs);
      std::vector<Biquad> smoothing;
      double cutoff = map.envelope_cutoff_hz;
      if (map.envelope == EnvelopeDetector::hilbert) cutoff = std::min(cutoff, 0.5 * (hi - lo));
      cutoff = std::clamp(cutoff, 1.0, 0.4 * fs);
      smoothing.push_back(butterworth_lowpass2(cutoff, fs));
      smoothing.push_back(butterworth_lowpass2(cutoff, fs));
      if (!empty) delays.push_back(group_delay_frames(band, std::sqrt(lo * hi), fs) + group_delay_frames(smoothing, 1.0, fs));
      plan.band_filters.push_back(std::move(band));
      plan.envelope_filters.push_back(std::move(smoothing));
      plan.demodulation_hz.push_back(0.5 * (lo + hi));
    }
    // Full-wave rectified sinusoid: mean |x| = (2 / pi) peak = (2 sqrt 2 / pi) RMS. Quadrature:
    // the demodulated band's magnitude is half the peak, RMS / sqrt 2.
    plan.envelope_scale = map.envelope == EnvelopeDetector::rectify ? std::numbers::pi / (2.0 * std::numbers::sqrt2) : std::numbers::sqrt2;
    // One delay for all bands (the median band's): the device does not align its bands either.
    std::sort(delays.begin(), delays.end());
    plan.analysis_delay_frames = delays.empty() ? 0 : static_cast<int>(std::lround(delays[delays.size() / 2]));
  }

  plan.loudness.alpha = loudness_growth_alpha(map.loudness_growth_q, map.idr_top_db_spl - map.idr_floor_db_spl);
  plan.loudness.base = std::pow(10.0, (map.idr_floor_db_spl - params.calibration_db_spl) / 20.0);
  plan.loudness.saturation = std::pow(10.0, (map.idr_top_db_spl - params.calibration_db_spl) / 20.0);

  // A pulse's reach back (its centre) counts in the latency; the tables do not.
  if (params.carrier_tables || map.carrier == Carrier::pulsatile) design_carriers(plan);

  // Output timing: a frame's envelopes describe the input analysis_delay_frames before the frame
  // clock; its segment is written up to one frame later, and a pulse's click reaches back half
  // its length.
  int reach_back = 0;
  for (int c : plan.pulse_centres) reach_back = std::max(reach_back, c);
  const int frame_span = static_cast<int>(std::ceil(plan.frames_per_stimulation_frame)) + 1;
  plan.latency_frames = plan.analysis_delay_frames + frame_span + reach_back + 1;
  int ring = 1;
  while (ring < plan.latency_frames + 2 * frame_span + 2 * reach_back + 2) ring *= 2;
  plan.ring_frames = ring;
  return plan;
}

}  // namespace earshot
