#include "metrics/haspi.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <memory>
#include <numbers>
#include <utility>

#include "dsp/double_dot.hpp"
#include "dsp/fast_math.hpp"
#include "dsp/gaussian_lanes.hpp"
#include "dsp/real_fft.hpp"
#include "dsp/simd_path.hpp"
#include "metrics/haspi_v2_network.hpp"
#include "metrics/kates_ear_model.hpp"
#include "metrics/kates_hearing_loss_parameters.hpp"

namespace earshot {
namespace {

// Kates & Arehart 2021, section 3 (and pyclarity's haspi_v2 defaults).
constexpr double kEnvelopeLowpassHz = 320.0;               // envelope smoothing before sampling
constexpr double kEnvelopeRateHz = 8.0 * kEnvelopeLowpassHz;  // 2560 Hz
constexpr int kCepstralBases = 6;                           // coefficients 0..5; 1..5 are used
constexpr double kSilenceThresholdDb = 2.5;                 // mean band level (dB SL) for a sample to count
constexpr double kDitherDb = 0.1;                           // RMS of the dither on the dB envelopes
// Modulation filters' centres, Hz (Kates & Arehart 2021, table 1).
constexpr std::array<double, 10> kModulationCentresHz = {2, 6, 10, 16, 25, 40, 64, 100, 160, 256};

using Matrix = std::vector<std::vector<double>>;  // [band or coefficient][sample]

// Outputs y[j] = sum_k w[k] x[first + j step + k] for j < count.
void strided_dots_baseline(const double* w, long taps, const double* x, long first, long step, long count, double* y) noexcept {
  for (long j = 0; j < count; ++j) y[j] = double_dot(w, x + first + j * step, static_cast<std::size_t>(taps));
}
// The same compiled for AVX2 + FMA (one register per four lanes; the last bits may differ).
[[gnu::target("avx2,fma")]] void strided_dots_avx2(const double* w, long taps, const double* x, long first, long step, long count,
                                                   double* y) noexcept {
  for (long j = 0; j < count; ++j) y[j] = double_dot(w, x + first + j * step, static_cast<std::size_t>(taps));
}

// And two outputs at a time in AVX-512's eight lanes (output j in lanes 0-3, j + 1 in lanes 4-7):
// each half does double_dot's operations in its order (two partial sums, eight taps a step, then
// the four-tap step, the halves added, the lanes pairwise), so the same values as the AVX2 copy.
// The window's taps are loaded once for both outputs, and one multiply-add serves two.
typedef double DotLanes4 __attribute__((vector_size(4 * sizeof(double))));
typedef double DotLanes8 __attribute__((vector_size(8 * sizeof(double))));
// (Results through references: a vector returned by value changes the baseline copy's ABI.)
[[gnu::always_inline]] inline void load_pair(const double* lo, const double* hi, DotLanes8& out) noexcept {
  DotLanes4 a, b;
  __builtin_memcpy(&a, lo, sizeof a);
  __builtin_memcpy(&b, hi, sizeof b);
  out = __builtin_shufflevector(a, b, 0, 1, 2, 3, 4, 5, 6, 7);
}
[[gnu::always_inline]] inline void load_twice(const double* p, DotLanes8& out) noexcept {
  DotLanes4 a;
  __builtin_memcpy(&a, p, sizeof a);
  out = __builtin_shufflevector(a, a, 0, 1, 2, 3, 0, 1, 2, 3);
}
[[gnu::target("avx2,fma,avx512f,avx512bw,avx512vl")]] void strided_dots_avx512(const double* w, long taps, const double* x, long first,
                                                                               long step, long count, double* y) noexcept {
  long j = 0;
  for (; j + 2 <= count; j += 2) {
    const double* x0 = x + first + j * step;
    const double* x1 = x0 + step;
    DotLanes8 s0 = {}, s1 = {}, wv, xv;
    long i = 0;
    for (; i + 8 <= taps; i += 8) {
      load_twice(w + i, wv);
      load_pair(x0 + i, x1 + i, xv);
      s0 += wv * xv;
      load_twice(w + i + 4, wv);
      load_pair(x0 + i + 4, x1 + i + 4, xv);
      s1 += wv * xv;
    }
    for (; i + 4 <= taps; i += 4) {
      load_twice(w + i, wv);
      load_pair(x0 + i, x1 + i, xv);
      s0 += wv * xv;
    }
    s0 += s1;
    double a = (s0[0] + s0[1]) + (s0[2] + s0[3]), b = (s0[4] + s0[5]) + (s0[6] + s0[7]);
    for (; i < taps; ++i) {
      a += w[i] * x0[i];
      b += w[i] * x1[i];
    }
    y[j] = a;
    y[j + 1] = b;
  }
  for (; j < count; ++j) y[j] = double_dot(w, x + first + j * step, static_cast<std::size_t>(taps));
}

// Smooth a band's dB envelope with a raised-cosine window 0.7 / 320 Hz long (a low-pass at about
// 320 Hz), centred, and keep every 9th sample (24 kHz / 2560 Hz, rounded down).
class EnvelopeSampler {
 public:
  explicit EnvelopeSampler(double rate_hz) {
    const double window_ms = 0.7 * 1000.0 / kEnvelopeLowpassHz;
    const long length = std::lrint(std::nearbyint(0.001 * window_ms * rate_hz));  // ties to even, as Python's round
    half_ = length / 2;
    taps_ = 2 * half_;
    window_.resize(static_cast<std::size_t>(taps_));
    double sum = 0.0;
    for (long k = 1; k <= half_; ++k) {
      const double w = 0.5 * (1.0 - std::cos(2.0 * std::numbers::pi * static_cast<double>(k) / static_cast<double>(taps_ + 1)));
      window_[static_cast<std::size_t>(k - 1)] = w;
      window_[static_cast<std::size_t>(taps_ - k)] = w;
      sum += 2.0 * w;
    }
    for (double& w : window_) w /= sum;
    // The window is symmetric, so the convolution's sum over m of window[m] x[i + half - m] is also
    // the dot product of the window with x[i + half - (taps - 1) ...]; padded with zero taps to a
    // multiple of 4 (at the front: the extra taps meet x before the dot product's start).
    padded_ = (taps_ + 3) / 4 * 4;
    pad_ = padded_ - taps_;
    padded_window_.assign(static_cast<std::size_t>(padded_), 0.0);
    std::copy(window_.begin(), window_.end(), padded_window_.begin() + pad_);
    step_ = static_cast<long>(std::floor(rate_hz / kEnvelopeRateHz));
  }

  // x: n samples; y: its smoothed samples, (n - 1) / step + 1 of them.
  void sample(const double* x, long n, std::vector<double>& out) const {
    const long count = n > 0 ? (n - 1) / step_ + 1 : 0;
    out.resize(static_cast<std::size_t>(count));
    double* y = out.data();
    // Output j reads x[j step + half - (taps - 1) - pad ... j step + half]: whole inside x for j in
    // [j_lo, j_hi); the edges take the direct sum over the taps that meet x.
    const long lead = half_ - (taps_ - 1) - pad_;  // first index read, relative to j step
    long j_lo = lead >= 0 ? 0 : (-lead + step_ - 1) / step_;
    long j_hi = n - 1 - half_ >= 0 ? (n - 1 - half_) / step_ + 1 : 0;
    j_lo = std::min(j_lo, count);
    j_hi = std::max(std::min(j_hi, count), j_lo);
    auto direct = [&](long j) {
      const long i = j * step_;
      const long m_lo = std::max(0L, i + half_ - (n - 1)), m_hi = std::min(taps_ - 1, i + half_);
      double s = 0.0;
      for (long m = m_lo; m <= m_hi; ++m) s += window_[static_cast<std::size_t>(m)] * x[i + half_ - m];
      return s;
    };
    for (long j = 0; j < j_lo; ++j) y[j] = direct(j);
    const SimdPath path = simd_path(SimdPath::avx512);
    auto* dots = path == SimdPath::avx512 ? strided_dots_avx512 : path == SimdPath::avx2 ? strided_dots_avx2 : strided_dots_baseline;
    if (j_hi > j_lo) dots(padded_window_.data(), padded_, x, j_lo * step_ + lead, step_, j_hi - j_lo, y + j_lo);
    for (long j = j_hi; j < count; ++j) y[j] = direct(j);
  }

 private:
  long half_ = 0, taps_ = 0, padded_ = 0, pad_ = 0, step_ = 1;
  std::vector<double> window_, padded_window_;
};

// The cosine basis over the bands (a DCT of the band levels, each basis vector of unit length).
Matrix cepstral_basis(std::size_t bands) {
  Matrix basis(kCepstralBases, std::vector<double>(bands));
  for (int j = 0; j < kCepstralBases; ++j) {
    double norm = 0.0;
    for (std::size_t k = 0; k < bands; ++k) {
      const double v = std::cos(j * std::numbers::pi * static_cast<double>(k) / static_cast<double>(bands - 1));
      basis[static_cast<std::size_t>(j)][k] = v;
      norm += v * v;
    }
    for (double& v : basis[static_cast<std::size_t>(j)]) v /= std::sqrt(norm);
  }
  return basis;
}

// Cepstral coefficients' time courses [coefficient][kept sample], mean removed, after the dither.
Matrix cepstral_courses(const Matrix& bands, const std::vector<std::size_t>& kept, const Matrix& basis, RandomSource& random) {
  const std::size_t nb = bands.size();
  // [sample][band], one block. Drawn time-major (sample by sample, band by band), the reference's order.
  thread_local std::vector<double> dithered;  // kept by the thread from one call to the next (see haspi_v2)
  dithered.resize(kept.size() * nb);
  draw_gaussians(random, dithered.data(), dithered.size());  // (many at once: see dsp/gaussian_lanes.hpp)
  for (std::size_t t = 0; t < kept.size(); ++t) {
    for (std::size_t b = 0; b < nb; ++b) dithered[t * nb + b] = bands[b][kept[t]] + kDitherDb * dithered[t * nb + b];
  }
  Matrix courses(kCepstralBases, std::vector<double>(kept.size()));
  for (int j = 0; j < kCepstralBases; ++j) {
    auto& c = courses[static_cast<std::size_t>(j)];
    const auto& v = basis[static_cast<std::size_t>(j)];
    double mean = 0.0;
    for (std::size_t t = 0; t < kept.size(); ++t) {
      double s = 0.0;
      const double* row = dithered.data() + t * nb;
      for (std::size_t b = 0; b < nb; ++b) s += row[b] * v[b];
      c[t] = s;
      mean += s;
    }
    mean /= static_cast<double>(kept.size());
    for (double& x : c) x -= mean;
  }
  return courses;
}

// A modulation filter as one real, symmetric FIR: a Hann low-pass (0.24 s long for the three
// lowest, shorter in proportion to the centre above) shifted to the centre frequency. (The
// reference demodulates with a complex carrier, low-passes and remodulates; taking the real part,
// that is this FIR exactly: taps 2 h[m] cos(w (m - half)), and h[m] itself for the 2 Hz low-pass.)
struct ModulationFilter {
  std::vector<double> taps;
  long half = 0;
};

std::vector<ModulationFilter> modulation_filters() {
  const double nyquist_hz = 0.5 * kEnvelopeRateHz;
  std::vector<ModulationFilter> filters;
  for (std::size_t k = 0; k < kModulationCentresHz.size(); ++k) {
    const double duration_s = k < 2 ? 0.24 : 0.24 * kModulationCentresHz[2] / kModulationCentresHz[k];
    const long order = 2 * static_cast<long>(std::floor(duration_s * kEnvelopeRateHz / 2.0));
    ModulationFilter f;
    f.half = order / 2;
    f.taps.resize(static_cast<std::size_t>(order + 1));
    double sum = 0.0;
    for (long m = 0; m <= order; ++m) {  // numpy's hanning: zero at both ends
      const double w = order > 0 ? 0.5 - 0.5 * std::cos(2.0 * std::numbers::pi * static_cast<double>(m) / static_cast<double>(order)) : 1.0;
      f.taps[static_cast<std::size_t>(m)] = w;
      sum += w;
    }
    const double omega = std::numbers::pi * kModulationCentresHz[k] / nyquist_hz;
    for (long m = 0; m <= order; ++m) {
      double& t = f.taps[static_cast<std::size_t>(m)];
      t /= sum;
      if (k > 0) t *= 2.0 * std::cos(omega * static_cast<double>(m - f.half));
    }
    filters.push_back(std::move(f));
  }
  return filters;
}

// The modulation filters applied by FFT (linear convolution: the transform is longer than a course
// plus the longest filter): every course is transformed once, and each filter's output, aligned with
// its input (y[i] = sum_m taps[m] x[i + half - m]), comes from one inverse transform.
class ModulationFilterBank {
 public:
  // The transform's size for courses of `samples` samples.
  static int size_for(const std::vector<ModulationFilter>& filters, std::size_t samples) {
    std::size_t longest = 0;
    for (const auto& f : filters) longest = std::max(longest, f.taps.size());
    int size = 1;
    while (static_cast<std::size_t>(size) < samples + longest) size *= 2;
    return size;
  }
  ModulationFilterBank(std::vector<ModulationFilter> filters, int size) : filters_(std::move(filters)) {
    fft_ = std::make_unique<RealFftDouble>(size);
    bins_ = static_cast<std::size_t>(size / 2 + 1);
    const double scale = 1.0 / size;  // FFTW's round trip multiplies by the size
    for (const auto& f : filters_) {
      std::fill(fft_->time(), fft_->time() + size, 0.0);
      std::copy(f.taps.begin(), f.taps.end(), fft_->time());
      fft_->forward();
      std::vector<double> h(2 * bins_);
      for (std::size_t k = 0; k < bins_; ++k) {
        h[2 * k] = fft_->spectrum()[k][0] * scale;
        h[2 * k + 1] = fft_->spectrum()[k][1] * scale;
      }
      responses_.push_back(std::move(h));
    }
  }
  // A course's spectrum, kept for filtering it by each filter.
  int size() const { return fft_->size(); }
  std::size_t filters() const { return filters_.size(); }
  void transform(const std::vector<double>& course, std::vector<double>& spectrum) {
    const int size = fft_->size();
    std::fill(fft_->time(), fft_->time() + size, 0.0);
    std::copy(course.begin(), course.end(), fft_->time());
    fft_->forward();
    spectrum.resize(2 * bins_);
    for (std::size_t k = 0; k < bins_; ++k) {
      spectrum[2 * k] = fft_->spectrum()[k][0];
      spectrum[2 * k + 1] = fft_->spectrum()[k][1];
    }
  }
  // The filter's output for the course whose spectrum this is: its first `samples` values from the
  // returned pointer, valid until the next call.
  const double* filter(const std::vector<double>& spectrum, std::size_t filter_index) {
    const std::vector<double>& h = responses_[filter_index];
    auto* out = fft_->spectrum();
    for (std::size_t k = 0; k < bins_; ++k) {
      const double xr = spectrum[2 * k], xi = spectrum[2 * k + 1], hr = h[2 * k], hi = h[2 * k + 1];
      out[k][0] = xr * hr - xi * hi;
      out[k][1] = xr * hi + xi * hr;
    }
    fft_->inverse();
    return fft_->time() + filters_[filter_index].half;
  }

 private:
  std::vector<ModulationFilter> filters_;
  std::unique_ptr<RealFftDouble> fft_;
  std::size_t bins_ = 0;
  std::vector<std::vector<double>> responses_;
};

double correlation_magnitude(const std::vector<double>& x, const double* y) {
  const double n = static_cast<double>(x.size());
  double mx = 0.0, my = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  double sxx = 0.0, syy = 0.0, sxy = 0.0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    const double a = x[i] - mx, b = y[i] - my;
    sxx += a * a;
    syy += b * b;
    sxy += a * b;
  }
  constexpr double kSmall = 1e-30;
  if (sxx < kSmall || syy < kSmall) return 0.0;
  return std::abs(sxy) / std::sqrt(sxx * syy);
}

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

}  // namespace

bool haspi_applies(const EarProfile& ear) { return !ear.implant; }

std::array<double, 6> haspi_audiogram_db_hl(const Audiogram& air_db_hl) {
  std::array<double, 6> out{};
  for (std::size_t i = 0; i < 6; ++i) out[i] = air_db_hl.at(kKatesAudiogramFrequenciesHz[i]);
  return out;
}

double haspi_v2_network(const std::array<double, 10>& inputs) {
  double total = 0.0;
  for (const HaspiV2Net& net : haspi_v2_ensemble()) {
    double out = net.output[0];
    for (std::size_t j = 0; j < 4; ++j) {
      double s = net.hidden[0][j];
      for (std::size_t i = 0; i < 10; ++i) s += net.hidden[i + 1][j] * inputs[i];
      out += net.output[j + 1] * sigmoid(s);
    }
    total += sigmoid(out);
  }
  return total / static_cast<double>(haspi_v2_ensemble().size()) / kHaspiV2Normalisation;
}

Result<HaspiV2Score> haspi_v2(const std::vector<double>& reference, double reference_rate_hz, const std::vector<double>& processed,
                              double processed_rate_hz, const std::array<double, 6>& audiogram_db_hl, double level1_db_spl,
                              RandomSource& random) {
  KatesEarModelOptions options;
  options.basilar_membrane = false;  // HASPI v2 reads only the envelopes
  // Each band smoothed and sampled at 2560 Hz as the ear model hands it over: only the samples kept.
  // (Kept by the thread from one call to the next, as the ear model's buffers: memory fresh from the
  // system costs a page fault per 4 kB on first touch, on some virtual machines as much as the work.)
  thread_local Matrix reference_env, processed_env;
  reference_env.resize(static_cast<std::size_t>(options.bands));
  processed_env.resize(static_cast<std::size_t>(options.bands));
  const EnvelopeSampler sampler(kKatesModelRateHz);
  auto sample = [&](const KatesBand& band) {
    sampler.sample(band.reference_db, static_cast<long>(band.frames), reference_env[band.index]);
    sampler.sample(band.processed_db, static_cast<long>(band.frames), processed_env[band.index]);
  };
  auto ear = kates_ear_model_bands(reference, reference_rate_hz, processed, processed_rate_hz, audiogram_db_hl,
                                   KatesReferenceEar::normal_hearing, level1_db_spl, options, sample);
  if (!ear) return ear.errors();

  // Samples where the reference's mean band amplitude is above 2.5 dB SL (silence is left out).
  // (Summed band by band, each band's samples in a row, which the compiler vectorises: every sample's
  // sum still adds its bands in order.)
  const std::size_t bands = reference_env.size(), samples = reference_env.front().size();
  thread_local std::vector<double> band_sums;  // (kept by the thread: see reference_env above)
  band_sums.assign(samples, 0.0);
  for (std::size_t b = 0; b < bands; ++b) {
    const double* env = reference_env[b].data();
    double* sums = band_sums.data();
    for (std::size_t t = 0; t < samples; ++t) sums[t] += fast_db_to_amplitude(static_cast<float>(env[t]));
  }
  std::vector<std::size_t> kept;
  for (std::size_t t = 0; t < samples; ++t) {
    if (20.0 * std::log10(band_sums[t] / static_cast<double>(bands)) > kSilenceThresholdDb) kept.push_back(t);
  }
  if (kept.size() <= 1) return SpecErrors{{"reference", "is below HASPI's threshold (2.5 dB SL) everywhere: no speech to score"}};

  const Matrix basis = cepstral_basis(bands);
  Matrix reference_cep = cepstral_courses(reference_env, kept, basis, random);
  Matrix processed_cep = cepstral_courses(processed_env, kept, basis, random);

  // The filter bank (its responses' spectra) kept by the thread for the next call of the same
  // transform size, and the courses' spectra too (see reference_env above).
  thread_local std::unique_ptr<ModulationFilterBank> kept_bank;
  {
    std::vector<ModulationFilter> filters = modulation_filters();
    const int size = ModulationFilterBank::size_for(filters, kept.size());
    if (!kept_bank || kept_bank->size() != size) kept_bank = std::make_unique<ModulationFilterBank>(std::move(filters), size);
  }
  ModulationFilterBank& bank = *kept_bank;
  // Coefficient 0 (the overall level) does not count.
  thread_local std::vector<std::vector<double>> reference_spectra, processed_spectra;
  reference_spectra.resize(kCepstralBases - 1);
  processed_spectra.resize(kCepstralBases - 1);
  for (int j = 1; j < kCepstralBases; ++j) {
    bank.transform(reference_cep[static_cast<std::size_t>(j)], reference_spectra[static_cast<std::size_t>(j - 1)]);
    bank.transform(processed_cep[static_cast<std::size_t>(j)], processed_spectra[static_cast<std::size_t>(j - 1)]);
  }
  HaspiV2Score score;
  std::vector<double> x;  // the reference's filtered course; the processed one's is read in place
  for (std::size_t k = 0; k < bank.filters(); ++k) {
    double sum = 0.0;
    for (std::size_t j = 0; j < reference_spectra.size(); ++j) {
      const double* filtered = bank.filter(reference_spectra[j], k);
      x.assign(filtered, filtered + kept.size());
      sum += correlation_magnitude(x, bank.filter(processed_spectra[j], k));
    }
    score.modulation_correlations[k] = sum / (kCepstralBases - 1);
  }
  score.intelligibility = haspi_v2_network(score.modulation_correlations);
  return score;
}

}  // namespace earshot
