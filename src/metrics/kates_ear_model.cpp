#include "metrics/kates_ear_model.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <numbers>
#include <numeric>
#include <string>

#include "dsp/butterworth.hpp"
#include "dsp/rational_resampler.hpp"
#include "dsp/real_fft.hpp"
#include "metrics/kates_auditory_filterbank.hpp"
#include "metrics/kates_hearing_loss_parameters.hpp"

namespace earshot {
namespace {

constexpr double kModelRateHz = 24000.0;
constexpr double kTiny = 1e-30;              // the reference's guard against log(0) and 0/0
constexpr double kCompressorTopDbSpl = 100.0;  // above it the outer hair cells no longer compress
constexpr double kAdaptationOvershoot = 2.0;   // IHC adaptation: onset overshoot (Kates 2013, II.E)
constexpr double kThresholdNoiseDb = -10.0;    // basilar-membrane noise, dB re the auditory threshold

int fft_size_at_least(std::size_t n) {
  int m = 1;
  while (static_cast<std::size_t>(m) < n) m *= 2;
  return m;
}

double rms(const std::vector<double>& x) {
  if (x.empty()) return 0.0;
  double s = 0.0;
  for (double v : x) s += v * v;
  return std::sqrt(s / static_cast<double>(x.size()));
}

// Cross-correlation c[L] = sum_n a[n + L] b[n] by FFT, for the lags the caller reads: `fft` must be
// at least as long as a.size() + the largest |L| asked for (no wrap-around there). Leaves c[L] at
// fft.time()[L mod size] (unnormalised by the size, which no caller needs: they want the argmax).
class CrossCorrelator {
 public:
  explicit CrossCorrelator(int size) : fft_(size), held_(static_cast<std::size_t>(size / 2 + 1) * 2) {}
  int size() const { return fft_.size(); }
  const double* correlate(const double* a, const double* b, std::size_t n) {
    const auto m = static_cast<std::size_t>(fft_.size());
    double* t = fft_.time();
    std::copy(a, a + n, t);
    std::fill(t + n, t + m, 0.0);
    fft_.forward();
    const std::size_t bins = m / 2 + 1;
    for (std::size_t k = 0; k < bins; ++k) {
      held_[2 * k] = fft_.spectrum()[k][0];
      held_[2 * k + 1] = fft_.spectrum()[k][1];
    }
    std::copy(b, b + n, t);
    std::fill(t + n, t + m, 0.0);
    fft_.forward();
    auto* s = fft_.spectrum();
    for (std::size_t k = 0; k < bins; ++k) {  // A conj(B)
      const double ar = held_[2 * k], ai = held_[2 * k + 1], br = s[k][0], bi = s[k][1];
      s[k][0] = ar * br + ai * bi;
      s[k][1] = ai * br - ar * bi;
    }
    fft_.inverse();
    return fft_.time();
  }

 private:
  RealFftDouble fft_;
  std::vector<double> held_;
};

// Shift x later by `delay` samples (earlier if negative), keeping its length, zeros filling.
void shift_in_place(std::vector<double>& x, long delay) {
  const long n = static_cast<long>(x.size());
  if (delay > 0) {
    const long d = std::min(delay, n);
    std::copy_backward(x.begin(), x.end() - d, x.end());
    std::fill(x.begin(), x.begin() + d, 0.0);
  } else if (delay < 0) {
    const long d = std::min(-delay, n);
    std::copy(x.begin() + d, x.end(), x.begin());
    std::fill(x.end() - d, x.end(), 0.0);
  }
}

// First-order Butterworth low-pass (bilinear, prewarped), as a two-coefficient recursion.
struct FirstOrderLowpass {
  double b = 0.0, a = 0.0;  // y[n] = b (x[n] + x[n-1]) - a y[n-1]
  FirstOrderLowpass(double cutoff_hz, double rate_hz) {
    const double k = std::tan(std::numbers::pi * cutoff_hz / rate_hz);
    b = k / (1.0 + k);
    a = (k - 1.0) / (k + 1.0);
  }
  void run(double* x, std::size_t n) const {
    double x1 = 0.0, y1 = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
      const double y = b * (x[i] + x1) - a * y1;
      x1 = x[i];
      y1 = y;
      x[i] = y;
    }
  }
};

// The middle ear (Kates 2013, II.A): a 2-pole high-pass at 350 Hz (the ossicles' stiffness) and a
// 1-pole low-pass at 5 kHz (their mass), both Butterworth.
std::vector<double> middle_ear(const std::vector<double>& x) {
  std::vector<double> y = x;
  FirstOrderLowpass(5000.0, kModelRateHz).run(y.data(), y.size());
  Biquad hp = butterworth_highpass2(350.0, kModelRateHz);
  for (double& v : y) v = hp.step(v);
  return y;
}

// The compressor's gain from a control envelope (Kates 2013, II.D): linear below the low knee with
// the outer-hair-cell loss as attenuation, compressing at the band's ratio up to 100 dB SPL, smoothed
// by an 800 Hz low-pass; applied to the envelope and the basilar-membrane signal.
void compress(const std::vector<double>& control, double ohc_attenuation_db, double low_knee_db, double ratio,
              double level1_db_spl, std::vector<double>& gain) {
  const std::size_t n = control.size();
  gain.resize(n);
  const double slope = 1.0 - 1.0 / ratio;
  for (std::size_t i = 0; i < n; ++i) {
    double db = level1_db_spl + 20.0 * std::log10(std::max(control[i], kTiny));
    db = std::max(std::min(db, kCompressorTopDbSpl), low_knee_db);
    gain[i] = std::pow(10.0, (-ohc_attenuation_db - (db - low_knee_db) * slope) / 20.0);
  }
  FirstOrderLowpass(800.0, kModelRateHz).run(gain.data(), n);
}

// The lag (within +-100 ms) at which the processed band best matches the reference band, removed
// (pyclarity's envelope_align): the processed signal moves earlier by that many samples.
void align_band(CrossCorrelator& correlator, const std::vector<double>& reference, std::vector<double>& processed) {
  const std::size_t n = reference.size();
  const long lags = std::min<long>(std::lround(0.1 * kModelRateHz), static_cast<long>(n));
  const double* c = correlator.correlate(reference.data(), processed.data(), n);
  const long m = correlator.size();
  long best_lag = 1 - lags;
  double best = -INFINITY;
  for (long lag = 1 - lags; lag <= lags; ++lag) {
    const double v = c[((lag % m) + m) % m];
    if (v > best) {
      best = v;
      best_lag = lag;
    }
  }
  // c[L] = sum ref[n + L] proc[n]: a peak at L < 0 means the processed band is late by -L.
  shift_in_place(processed, best_lag);
}

// dB above the inner hair cells' threshold (Kates 2013, II.E): level1 - IHC loss + 20 log10(env),
// floored at 0; the basilar-membrane signal scaled by the same per-sample gain.
void to_sensation_level(std::vector<double>& envelope, std::vector<double>* bm, double ihc_attenuation_db, double level1_db_spl) {
  for (std::size_t i = 0; i < envelope.size(); ++i) {
    const double e = envelope[i];
    const double db = std::max(level1_db_spl - ihc_attenuation_db + 20.0 * std::log10(e + kTiny), 0.0);
    if (bm) (*bm)[i] *= (db + kTiny) / (e + kTiny);
    envelope[i] = db;
  }
}

// Inner-hair-cell rapid (2 ms) and short-term (60 ms) adaptation (Kates 2013, II.E, after Harte,
// Elliott & Kates): an RC network in the dB domain, discretised by backward Euler, whose output is
// the input minus the charge on its first capacitor. Overshoot `delta` at onsets.
void adapt(std::vector<double>& db, std::vector<double>* bm) {
  const double delta = std::max(kAdaptationOvershoot, 1.0001);
  const double tau1_s = 0.002, tau2_s = 0.060;
  const double r1 = 1.0 / delta, r2 = 0.5 * (1.0 - r1), r3 = r2;
  const double c1 = tau1_s * (r1 + r2) / (r1 * r2);
  const double c2 = tau2_s / ((r1 + r2) * r3);
  const double k1 = r1 * r2 * c1 * kModelRateHz, k2 = r2 * r3 * c2 * kModelRateHz;
  const double a11 = r1 + r2 + k1, a12 = -r1, a21 = -r3, a22 = r2 + r3 + k2;
  const double denominator = 1.0 / (a11 * a22 - a21 * a12);
  double v1 = 0.0, v2 = 0.0;
  for (std::size_t i = 0; i < db.size(); ++i) {
    const double v0 = db[i];
    const double b1 = v0 * r2 + k1 * v1, b2 = k2 * v2;
    v1 = denominator * (a22 * b1 - a12 * b2);
    v2 = denominator * (-a21 * b1 + a11 * b2);
    const double out = std::max((v0 - v1) / r1, 0.0);
    if (bm) (*bm)[i] *= (out + kTiny) / (v0 + kTiny);
    db[i] = out;
  }
}

// Delay each band by (largest group delay - its own), so that all bands' envelopes line up with the
// slowest (the reference ear's bandwidths set the delays, for both signals, as in the reference).
void compensate_group_delay(std::vector<std::vector<double>>& bands, const std::vector<long>& correction) {
  for (std::size_t b = 0; b < bands.size(); ++b) shift_in_place(bands[b], correction[b]);
}

// Average RMS through the compression, in dB SL (pyclarity's convert_rms_to_sl).
double rms_to_sl(double envelope_rms, double control_rms, double ohc_db, double low_knee_db, double ratio, double ihc_db,
                 double level1_db_spl) {
  double control_db = level1_db_spl + 20.0 * std::log10(std::max(control_rms, kTiny));
  control_db = std::max(std::min(control_db, kCompressorTopDbSpl), low_knee_db);
  const double gain_db = -ohc_db - (control_db - low_knee_db) * (1.0 - 1.0 / ratio);
  const double level_db = std::max(level1_db_spl + 20.0 * std::log10(std::max(envelope_rms, kTiny)), 0.0);
  return std::max(level_db + gain_db - ihc_db, 0.0);
}

// The filter width for a band's level (Kates 2013, II.C): the loss's width below 50 dB SPL of the
// control output, the widest (a 100 dB HL ear's) above 100, linear in dB between.
double adjusted_bandwidth(double control_rms, double narrowest, double widest, double level1_db_spl) {
  const double db = 20.0 * std::log10(control_rms) + level1_db_spl;
  if (db < 50.0) return narrowest;
  if (db > 100.0) return widest;
  return narrowest + (db - 50.0) / 50.0 * (widest - narrowest);
}

double band_rms(const std::vector<double>& x) { return rms(x); }

}  // namespace

std::vector<double> kates_resample_24khz(const std::vector<double>& x, double rate_hz) {
  if (std::abs(rate_hz - kModelRateHz) < 500.0 || x.empty()) return x;
  // Rates are whole Hz in practice; resample by their exact ratio.
  const long from = std::lround(rate_hz), to = std::lround(kModelRateHz);
  std::vector<double> y = resample_rational(x, to, from);
  if (rate_hz < kModelRateHz) {
    const double ry = rms(y);
    if (ry > 0.0) {
      const double g = rms(x) / ry;
      for (double& v : y) v *= g;
    }
    return y;
  }
  // Going down, the part above 10.5 kHz is lost; keep the level of what stays. (The reference
  // compares the two signals' RMS through 7th-order Chebyshev low-passes at 10.5 kHz; this takes
  // the power below 10.5 kHz from each signal's spectrum, the same measure with an ideal edge.)
  auto power_below = [](const std::vector<double>& s, double fs, double edge_hz) {
    RealFftDouble fft(fft_size_at_least(s.size()));
    std::copy(s.begin(), s.end(), fft.time());
    std::fill(fft.time() + s.size(), fft.time() + fft.size(), 0.0);
    fft.forward();
    const int bins = fft.size() / 2 + 1;
    double p = 0.0;
    for (int k = 0; k < bins; ++k) {
      if (k * fs / fft.size() >= edge_hz) break;
      p += (k == 0 ? 1.0 : 2.0) * (fft.spectrum()[k][0] * fft.spectrum()[k][0] + fft.spectrum()[k][1] * fft.spectrum()[k][1]);
    }
    return p / (static_cast<double>(fft.size()) * static_cast<double>(s.size()));  // Parseval: mean square
  };
  const double px = power_below(x, rate_hz, 10500.0), py = power_below(y, kModelRateHz, 10500.0);
  if (py > 0.0) {
    const double g = std::sqrt(px / py);
    for (double& v : y) v *= g;
  }
  return y;
}

void kates_input_align(std::vector<double>& reference, std::vector<double>& processed) {
  const std::size_t n = std::min(reference.size(), processed.size());
  if (n == 0) return;
  // Mean-removed cross-correlation over every lag; its largest magnitude is the delay.
  std::vector<double> a(reference.begin(), reference.begin() + static_cast<long>(n));
  std::vector<double> b(processed.begin(), processed.begin() + static_cast<long>(n));
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / static_cast<double>(n);
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / static_cast<double>(n);
  for (double& v : a) v -= ma;
  for (double& v : b) v -= mb;
  CrossCorrelator correlator(fft_size_at_least(2 * n - 1));
  const double* c = correlator.correlate(a.data(), b.data(), n);
  const long m = correlator.size(), ln = static_cast<long>(n);
  long best_lag = -(ln - 1);
  double best = -1.0;
  for (long lag = -(ln - 1); lag <= ln - 1; ++lag) {  // lowest lag first, as numpy's argmax
    const double v = std::abs(c[((lag % m) + m) % m]);
    if (v > best) {
      best = v;
      best_lag = lag;
    }
  }
  // Processed late by -best_lag samples; keep 2 ms of that lateness (a hearing aid's signal never
  // precedes its input).
  const long delay = std::lround(static_cast<double>(-best_lag) - 2.0 * kModelRateHz / 1000.0);
  shift_in_place(processed, -delay);
  // Both cut to where the reference is above 0.001 of its peak.
  double peak = 0.0;
  for (double v : reference) peak = std::max(peak, std::abs(v));
  const double threshold = 0.001 * peak;
  std::size_t first = 0, last = 0;
  bool found = false;
  for (std::size_t i = 0; i < reference.size(); ++i) {
    if (std::abs(reference[i]) > threshold) {
      if (!found) first = i;
      last = i;
      found = true;
    }
  }
  if (!found) {
    reference.clear();
    processed.clear();
    return;
  }
  last = std::min(last, processed.size());
  const std::size_t end_ref = std::min(last + 1, reference.size()), end_proc = std::min(last + 1, processed.size());
  reference = std::vector<double>(reference.begin() + static_cast<long>(first), reference.begin() + static_cast<long>(end_ref));
  processed = std::vector<double>(processed.begin() + static_cast<long>(first), processed.begin() + static_cast<long>(end_proc));
}

Result<KatesEarModelOutput> kates_ear_model(const std::vector<double>& reference_in, double reference_rate_hz,
                                            const std::vector<double>& processed_in, double processed_rate_hz,
                                            const std::array<double, 6>& audiogram_db_hl, KatesReferenceEar reference_ear,
                                            double level1_db_spl, RandomSource& random, const KatesEarModelOptions& options) {
  SpecErrors errors;
  if (!(reference_rate_hz >= 1000.0 && reference_rate_hz <= 768000.0)) {
    errors.push_back({"reference_rate_hz", format_number(reference_rate_hz) + " Hz is outside 1000..768000 Hz"});
  }
  if (!(processed_rate_hz >= 1000.0 && processed_rate_hz <= 768000.0)) {
    errors.push_back({"processed_rate_hz", format_number(processed_rate_hz) + " Hz is outside 1000..768000 Hz"});
  }
  if (!std::isfinite(level1_db_spl) || level1_db_spl < 0.0 || level1_db_spl > 200.0) {
    errors.push_back({"level1_db_spl", format_number(level1_db_spl) + " dB SPL is outside 0..200"});
  }
  if (options.bands < 2 || options.bands > 256) {
    errors.push_back({"bands", std::to_string(options.bands) + " is outside 2..256"});
  }
  for (std::size_t i = 0; i < 6; ++i) {
    if (!std::isfinite(audiogram_db_hl[i]) || audiogram_db_hl[i] < -20.0 || audiogram_db_hl[i] > 140.0) {
      errors.push_back({"audiogram_db_hl[" + std::to_string(i) + "]", format_number(audiogram_db_hl[i]) + " dB HL is outside -20..140"});
    }
  }
  if (reference_in.empty()) errors.push_back({"reference", "is empty"});
  if (processed_in.empty()) errors.push_back({"processed", "is empty"});
  if (!errors.empty()) return errors;

  const auto bands = static_cast<std::size_t>(options.bands);
  const std::vector<double> centre_hz = kates_centre_frequencies_hz(options.bands);
  const KatesLossParameters processed_loss = kates_loss_parameters(audiogram_db_hl, centre_hz);
  const KatesLossParameters reference_loss = reference_ear == KatesReferenceEar::normal_hearing
                                                 ? kates_loss_parameters({0, 0, 0, 0, 0, 0}, centre_hz)
                                                 : processed_loss;
  // The control filters: at the (possibly shifted) places, as wide as a 100 dB HL ear's.
  const std::vector<double> control_hz = kates_centre_frequencies_hz(options.bands, options.basal_shift);
  const std::vector<double> widest = kates_loss_parameters({100, 100, 100, 100, 100, 100}, control_hz).bandwidth_factor;

  std::vector<double> reference = kates_resample_24khz(reference_in, reference_rate_hz);
  std::vector<double> processed = kates_resample_24khz(processed_in, processed_rate_hz);
  const std::size_t common = std::min(reference.size(), processed.size());
  reference.resize(common);
  processed.resize(common);
  kates_input_align(reference, processed);
  if (reference.size() < 2) return SpecErrors{{"reference", "is silent: nothing above 60 dB below its peak"}};
  const std::size_t frames = reference.size();

  if (!options.reference_equaliser_fir.empty()) {
    const std::vector<double>& h = options.reference_equaliser_fir;
    const std::size_t delay = h.size() - 1;
    std::vector<double> y(frames, 0.0);
    for (std::size_t i = 0; i < frames; ++i) {  // y[i] = full convolution at i + delay
      const std::size_t t = i + delay;
      double s = 0.0;
      const std::size_t k_lo = t >= frames ? t - frames + 1 : 0;
      for (std::size_t k = k_lo; k <= std::min(delay, t); ++k) s += h[k] * reference[t - k];
      y[i] = s;
    }
    reference = std::move(y);
  }

  const std::vector<double> reference_mid = middle_ear(reference);
  const std::vector<double> processed_mid = middle_ear(processed);

  KatesEarModelOutput out;
  out.sample_rate_hz = kModelRateHz;
  out.reference_db.assign(bands, {});
  out.processed_db.assign(bands, {});
  out.reference_sl.assign(bands, 0.0);
  out.processed_sl.assign(bands, 0.0);
  if (options.basilar_membrane) {
    out.reference_basilar_membrane.assign(bands, {});
    out.processed_basilar_membrane.assign(bands, {});
  }
  std::vector<double> reference_bandwidth(bands);

  CrossCorrelator correlator(fft_size_at_least(frames + static_cast<std::size_t>(std::lround(0.1 * kModelRateHz)) + 1));
  std::vector<double> reference_control(frames), processed_control(frames), gain;
  std::vector<double> reference_env(frames), processed_env(frames);
  std::vector<double> reference_bm, processed_bm;
  if (options.basilar_membrane) {
    reference_bm.resize(frames);
    processed_bm.resize(frames);
  }
  for (std::size_t n = 0; n < bands; ++n) {
    const KatesGammatone control{control_hz[n], widest[n]};
    kates_gammatone_band(reference_mid.data(), frames, kModelRateHz, control, reference_control.data(), nullptr);
    kates_gammatone_band(processed_mid.data(), frames, kModelRateHz, control, processed_control.data(), nullptr);
    const double reference_control_rms = band_rms(reference_control), processed_control_rms = band_rms(processed_control);
    reference_bandwidth[n] = adjusted_bandwidth(reference_control_rms, reference_loss.bandwidth_factor[n], widest[n], level1_db_spl);
    const double processed_bandwidth = adjusted_bandwidth(processed_control_rms, processed_loss.bandwidth_factor[n], widest[n], level1_db_spl);
    kates_gammatone_band(reference_mid.data(), frames, kModelRateHz, {centre_hz[n], reference_bandwidth[n]}, reference_env.data(),
                         options.basilar_membrane ? reference_bm.data() : nullptr);
    kates_gammatone_band(processed_mid.data(), frames, kModelRateHz, {centre_hz[n], processed_bandwidth}, processed_env.data(),
                         options.basilar_membrane ? processed_bm.data() : nullptr);
    out.reference_sl[n] = rms_to_sl(band_rms(reference_env), reference_control_rms, reference_loss.ohc_attenuation_db[n],
                                    reference_loss.low_knee_db_spl[n], reference_loss.compression_ratio[n],
                                    reference_loss.ihc_attenuation_db[n], level1_db_spl);
    out.processed_sl[n] = rms_to_sl(band_rms(processed_env), processed_control_rms, processed_loss.ohc_attenuation_db[n],
                                    processed_loss.low_knee_db_spl[n], processed_loss.compression_ratio[n],
                                    processed_loss.ihc_attenuation_db[n], level1_db_spl);

    compress(reference_control, reference_loss.ohc_attenuation_db[n], reference_loss.low_knee_db_spl[n],
             reference_loss.compression_ratio[n], level1_db_spl, gain);
    for (std::size_t i = 0; i < frames; ++i) reference_env[i] *= gain[i];
    if (options.basilar_membrane) {
      for (std::size_t i = 0; i < frames; ++i) reference_bm[i] *= gain[i];
    }
    compress(processed_control, processed_loss.ohc_attenuation_db[n], processed_loss.low_knee_db_spl[n],
             processed_loss.compression_ratio[n], level1_db_spl, gain);
    for (std::size_t i = 0; i < frames; ++i) processed_env[i] *= gain[i];
    if (options.basilar_membrane) {
      for (std::size_t i = 0; i < frames; ++i) processed_bm[i] *= gain[i];
    }

    align_band(correlator, reference_env, processed_env);
    if (options.basilar_membrane) align_band(correlator, reference_bm, processed_bm);

    to_sensation_level(reference_env, options.basilar_membrane ? &reference_bm : nullptr, reference_loss.ihc_attenuation_db[n], level1_db_spl);
    to_sensation_level(processed_env, options.basilar_membrane ? &processed_bm : nullptr, processed_loss.ihc_attenuation_db[n], level1_db_spl);
    adapt(reference_env, options.basilar_membrane ? &reference_bm : nullptr);
    adapt(processed_env, options.basilar_membrane ? &processed_bm : nullptr);
    out.reference_db[n] = reference_env;
    out.processed_db[n] = processed_env;
    if (options.basilar_membrane) {
      out.reference_basilar_membrane[n] = reference_bm;
      out.processed_basilar_membrane[n] = processed_bm;
    }
  }

  if (options.basilar_membrane) {
    // Noise 10 dB below threshold keeps the fine-structure correlation from reading structure into
    // inaudible bands (Kates 2013, II.E). Reference first, then processed, each band in turn.
    const double noise_rms = std::pow(10.0, (kThresholdNoiseDb - level1_db_spl) / 20.0);
    for (auto* signals : {&out.reference_basilar_membrane, &out.processed_basilar_membrane}) {
      for (auto& band : *signals) {
        for (double& v : band) v += noise_rms * random.gaussian();
      }
    }
  }

  if (options.compensate_group_delay) {
    std::vector<long> delay(bands);
    for (std::size_t n = 0; n < bands; ++n) {
      delay[n] = std::lround(kates_gammatone_group_delay_samples({centre_hz[n], reference_bandwidth[n]}, kModelRateHz));
    }
    const long longest = *std::max_element(delay.begin(), delay.end());
    std::vector<long> correction(bands);
    for (std::size_t n = 0; n < bands; ++n) correction[n] = longest - delay[n];
    compensate_group_delay(out.reference_db, correction);
    compensate_group_delay(out.processed_db, correction);
    if (options.basilar_membrane) {
      compensate_group_delay(out.reference_basilar_membrane, correction);
      compensate_group_delay(out.processed_basilar_membrane, correction);
    }
  }
  return out;
}

}  // namespace earshot
