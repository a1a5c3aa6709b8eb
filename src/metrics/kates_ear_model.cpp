#include "metrics/kates_ear_model.hpp"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cmath>
#include <cstddef>
#include <memory>
#include <numbers>
#include <numeric>
#include <string>

#include "dsp/butterworth.hpp"
#include "dsp/double_dot.hpp"
#include "dsp/fast_math.hpp"
#include "dsp/rational_resampler.hpp"
#include "dsp/real_fft.hpp"
#include "dsp/simd_path.hpp"
#include "metrics/kates_auditory_filterbank.hpp"
#include "metrics/kates_hearing_loss_parameters.hpp"

namespace earshot {
namespace {

constexpr double kModelRateHz = 24000.0;
constexpr double kTiny = 1e-30;              // the reference's guard against log(0) and 0/0
constexpr double kCompressorTopDbSpl = 100.0;  // above it the outer hair cells no longer compress
constexpr double kAdaptationOvershoot = 2.0;   // IHC adaptation: onset overshoot (Kates 2013, II.E)

int fft_size_at_least(std::size_t n) {
  int m = 1;
  while (static_cast<std::size_t>(m) < n) m *= 2;
  return m;
}

// The smallest 2^a 3^b >= n (FFTW is fast for those too): up to a third shorter than a power of 2.
int smooth_fft_size_at_least(std::size_t n) {
  long best = fft_size_at_least(n);
  for (long p3 = 1; p3 < best; p3 *= 3) {
    long m = p3;
    while (static_cast<std::size_t>(m) < n) m *= 2;
    best = std::min(best, m);
  }
  return static_cast<int>(best);
}

double rms(const std::vector<double>& x) {
  if (x.empty()) return 0.0;
  double s = 0.0;
  for (double v : x) s += v * v;
  return std::sqrt(s / static_cast<double>(x.size()));
}

// Cross-correlation c[L] = sum_n a[n + L] b[n] by FFT, for the lags the caller reads: `fft` must be
// at least as long as a.size() + the largest |L| asked for (no wrap-around there). Leaves c[L] at
// time()[L mod size] (unnormalised by the size, which no caller needs: they want the argmax).
// Sample: double for the bulk alignment; float for the per-band alignment (twice as fast, and its
// argmax differs from double's only between lags whose correlations agree to about 1e-6).
template <typename Sample>
class CrossCorrelator {
 public:
  explicit CrossCorrelator(int size) : fft_(size), held_(static_cast<std::size_t>(size / 2 + 1) * 2) {}
  int size() const { return fft_.size(); }
  const Sample* correlate(const double* a, const double* b, std::size_t n) {
    const auto m = static_cast<std::size_t>(fft_.size());
    Sample* t = fft_.time();
    for (std::size_t i = 0; i < n; ++i) t[i] = static_cast<Sample>(a[i]);
    std::fill(t + n, t + m, Sample(0));
    fft_.forward();
    const std::size_t bins = m / 2 + 1;
    for (std::size_t k = 0; k < bins; ++k) {
      held_[2 * k] = fft_.spectrum()[k][0];
      held_[2 * k + 1] = fft_.spectrum()[k][1];
    }
    for (std::size_t i = 0; i < n; ++i) t[i] = static_cast<Sample>(b[i]);
    std::fill(t + n, t + m, Sample(0));
    fft_.forward();
    auto* s = fft_.spectrum();
    for (std::size_t k = 0; k < bins; ++k) {  // A conj(B)
      const Sample ar = held_[2 * k], ai = held_[2 * k + 1], br = s[k][0], bi = s[k][1];
      s[k][0] = ar * br + ai * bi;
      s[k][1] = ai * br - ar * bi;
    }
    fft_.inverse();
    return fft_.time();
  }

 private:
  BasicRealFft<Sample> fft_;
  std::vector<Sample> held_;
};

// A correlator kept from one call to the next (planning a transform of tens of thousands of points
// takes about a millisecond), made again only when the size asked for is not the kept one's.
CrossCorrelator<float>& correlator_of_size(std::unique_ptr<CrossCorrelator<float>>& kept, int size) {
  if (!kept || kept->size() != size) kept = std::make_unique<CrossCorrelator<float>>(size);
  return *kept;
}

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
void middle_ear(std::vector<double>& y) {
  FirstOrderLowpass(5000.0, kModelRateHz).run(y.data(), y.size());
  Biquad hp = butterworth_highpass2(350.0, kModelRateHz);
  for (double& v : y) v = hp.step(v);
}

// The model's band-sized buffers, kept by each thread from one call to the next: a 6 s pair's take
// some 12 MB, and memory fresh from the system costs a page fault per 4 kB on first touch (on some
// virtual machines as much as the model's arithmetic). One call at a time uses them (a sink that
// calls the model again gets buffers of its own).
struct KatesWorkspace {
  std::vector<double> reference, processed;                  // the signals at 24 kHz, then through the middle ear
  std::vector<double> reference_control, processed_control;  // a band's control envelopes, then gains
  std::vector<double> reference_env, processed_env, reference_bm, processed_bm, equalised;
  std::vector<double> reference_control_2, processed_control_2;  // a second band's control envelopes (HASPI)
  std::unique_ptr<CrossCorrelator<float>> envelope_correlator;    // the envelope alignment's transform
  std::unique_ptr<CrossCorrelator<float>> basilar_membrane_correlator;  // the basilar membrane's (HASQI)
  bool in_use = false;
};
class WorkspaceLease {
 public:
  WorkspaceLease() {
    thread_local KatesWorkspace kept;
    if (!kept.in_use) {
      workspace_ = &kept;
    } else {
      own_ = std::make_unique<KatesWorkspace>();
      workspace_ = own_.get();
    }
    workspace_->in_use = true;
  }
  ~WorkspaceLease() { workspace_->in_use = false; }
  WorkspaceLease(const WorkspaceLease&) = delete;
  WorkspaceLease& operator=(const WorkspaceLease&) = delete;
  KatesWorkspace& operator*() const { return *workspace_; }

 private:
  KatesWorkspace* workspace_ = nullptr;
  std::unique_ptr<KatesWorkspace> own_;
};

// 2^y for y in [-126, 127] (fast_math's fast_exp2 without its clamp, which the callers' ranges make
// unnecessary: a compressor gain is never below -200 dB).
[[gnu::always_inline]] inline float exp2_in_range(float y) noexcept {
  const std::int32_t n = static_cast<std::int32_t>(y + 127.0f) - 127;
  const float u = (y - static_cast<float>(n) - 0.5f) * 0.69314718055994531f;
  float e = 1.0f + u * (1.0f + u * (0.5f + u * (1.0f / 6.0f + u * (1.0f / 24.0f + u * (1.0f / 120.0f + u * (1.0f / 720.0f + u * (1.0f / 5040.0f)))))));
  e *= 1.4142135623730951f;
  return e * std::bit_cast<float>((n + 127) << 23);
}

// The compressor's gain for n samples of control amplitude, in place: the amplitude clamped to
// [lowest, highest], then gain = 2^(offset - slope log2 amplitude) (the logarithm and power in float).
[[gnu::always_inline]] inline void compressor_gain_kernel(double* control_to_gain, std::size_t n, double lowest, double highest, float offset,
                                                          float slope) noexcept {
  for (std::size_t i = 0; i < n; ++i) {  // one pass: the band (a megabyte) is read once
    const double c = control_to_gain[i] < lowest ? lowest : control_to_gain[i];
    const auto clamped = static_cast<float>(c > highest ? highest : c);
    control_to_gain[i] = static_cast<double>(exp2_in_range(offset - slope * fast_log2(clamped)));
  }
}
void compressor_gain_baseline(double* control_to_gain, std::size_t n, double lowest, double highest, float offset,
                              float slope) noexcept {
  compressor_gain_kernel(control_to_gain, n, lowest, highest, offset, slope);
}
// The same loops eight lanes wide (AVX2 + FMA; the last bits may differ from the baseline's).
[[gnu::target("avx2,fma")]] void compressor_gain_avx2(double* control_to_gain, std::size_t n, double lowest,
                                                      double highest, float offset, float slope) noexcept {
  compressor_gain_kernel(control_to_gain, n, lowest, highest, offset, slope);
}

// And sixteen lanes wide (AVX-512: the same operations per lane, so the same values as AVX2's).
[[gnu::target("avx2,fma,avx512f,avx512bw,avx512vl")]] void compressor_gain_avx512(double* control_to_gain, std::size_t n, double lowest,
                                                                                  double highest, float offset, float slope) noexcept {
  compressor_gain_kernel(control_to_gain, n, lowest, highest, offset, slope);
}

// The compressor's gain from a control envelope (Kates 2013, II.D): linear below the low knee with
// the outer-hair-cell loss as attenuation, compressing at the band's ratio up to 100 dB SPL, smoothed
// by an 800 Hz low-pass (apply_smoothed_gain_pair); applied to the envelope and the basilar-membrane signal.
// control becomes the gain (in place: the control envelope is not needed after it).
void compress(std::vector<double>& control, double ohc_attenuation_db, double low_knee_db, double ratio, double level1_db_spl) {
  const std::size_t n = control.size();
  // The level clamp [knee, 100 dB SPL] as a clamp of the control amplitude (the same thing, since
  // dB is monotonic), so that the gain is straight arithmetic. (Logarithm and exponential in
  // float, after dsp/fast_math, within 3e-5 dB of libm's: thousands of times below what HASPI and
  // HASQI resolve; float-only, branch-free loops that the compiler vectorises.)
  const double lowest = std::pow(10.0, (low_knee_db - level1_db_spl) / 20.0);
  const double highest = std::pow(10.0, (kCompressorTopDbSpl - level1_db_spl) / 20.0);
  // gain dB = -ohc - (level - knee) (1 - 1/ratio), level = level1 + 20 log10(c): as a power of 2,
  // log2(gain) = offset - slope log2(c).
  const double slope = 1.0 - 1.0 / ratio;
  const auto offset = static_cast<float>((-ohc_attenuation_db - (level1_db_spl - low_knee_db) * slope) / 20.0 * std::numbers::ln10 / std::numbers::ln2);
  const SimdPath path = simd_path(SimdPath::avx512);
  auto* run = path == SimdPath::avx512 ? compressor_gain_avx512 : path == SimdPath::avx2 ? compressor_gain_avx2 : compressor_gain_baseline;
  run(control.data(), n, lowest, highest, offset, static_cast<float>(slope));
}

// The 800 Hz smoothing of two signals' gains at once (lanes {a, b}), each smoothed gain applied at
// once to its target (an envelope, or a basilar-membrane signal): one pass over the band, which is
// larger than the cache. The recursion y[n] = u[n] + p y[n-1] (u[n] = b (x[n] + x[n-1]), p = -a)
// steps four samples at a time, y[n + j] = p^(j+1) y[n-1] + the inputs' own terms (computed off
// the chain), so that the chain carried on is one multiply-add per four samples, not one per
// sample. (The gains differ from the one-sample recursion's in the last bits only.)
// Lanes: {a, b}, or two bands' {a, b, c, d}; each lane's operations the same, so the same values
// whatever the count of lanes.
// (GCC's vector_size takes no template argument: the two widths named here.)
template <std::size_t kLanes>
struct SmoothingLanes;
template <>
struct SmoothingLanes<2> {
  typedef double Type __attribute__((vector_size(2 * sizeof(double))));
};
template <>
struct SmoothingLanes<4> {
  typedef double Type __attribute__((vector_size(4 * sizeof(double))));
};
template <std::size_t kLanes>
[[gnu::always_inline]] inline void smoothed_gain_kernel(const double* const* gains, double* const* targets, std::size_t n) noexcept {
  using Lanes = typename SmoothingLanes<kLanes>::Type;
  constexpr std::size_t kStep = 4;
  const FirstOrderLowpass lp(800.0, kModelRateHz);
  Lanes gain, pole;
  for (std::size_t l = 0; l < kLanes; ++l) {
    gain[l] = lp.b;
    pole[l] = -lp.a;
  }
  Lanes pole_powers[kStep];
  pole_powers[0] = pole;
  for (std::size_t j = 1; j < kStep; ++j) pole_powers[j] = pole_powers[j - 1] * pole;
  Lanes x1 = {}, y1 = {};
  std::size_t i = 0;
  for (; i + kStep <= n; i += kStep) {
    Lanes s[kStep];
    for (std::size_t j = 0; j < kStep; ++j) {
      Lanes x;
      for (std::size_t l = 0; l < kLanes; ++l) x[l] = gains[l][i + j];
      const Lanes u = gain * (x + x1);
      x1 = x;
      s[j] = j == 0 ? u : pole * s[j - 1] + u;
    }
    for (std::size_t j = 0; j < kStep; ++j) {
      const Lanes y = pole_powers[j] * y1 + s[j];
      for (std::size_t l = 0; l < kLanes; ++l) targets[l][i + j] *= y[l];
      if (j == kStep - 1) y1 = y;
    }
  }
  for (; i < n; ++i) {
    Lanes x;
    for (std::size_t l = 0; l < kLanes; ++l) x[l] = gains[l][i];
    const Lanes y = gain * (x + x1) + pole * y1;
    x1 = x;
    y1 = y;
    for (std::size_t l = 0; l < kLanes; ++l) targets[l][i] *= y[l];
  }
}

void apply_smoothed_gain_pair(const std::vector<double>& a, const std::vector<double>& b, std::vector<double>& target_a,
                              std::vector<double>& target_b) {
  const double* const gains[2] = {a.data(), b.data()};
  double* const targets[2] = {target_a.data(), target_b.data()};
  smoothed_gain_kernel<2>(gains, targets, a.size());
}

// Two bands' pairs at once, {a, b, c, d}: four lanes, one AVX2 register (built without FMA, so no
// multiply-add is contracted and the values are the two-lane pair's, bit for bit).
void smoothed_gain_two_pairs_baseline(const double* const* gains, double* const* targets, std::size_t n) noexcept {
  smoothed_gain_kernel<4>(gains, targets, n);
}
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
[[gnu::target("avx2")]] void smoothed_gain_two_pairs_avx2(const double* const* gains, double* const* targets, std::size_t n) noexcept {
  smoothed_gain_kernel<4>(gains, targets, n);
}
#else
void smoothed_gain_two_pairs_avx2(const double* const* gains, double* const* targets, std::size_t n) noexcept {
  smoothed_gain_kernel<4>(gains, targets, n);
}
#endif
void apply_smoothed_gain_two_pairs(const double* const gains[4], double* const targets[4], std::size_t n) {
  auto* run = simd_path() == SimdPath::avx2 ? smoothed_gain_two_pairs_avx2 : smoothed_gain_two_pairs_baseline;
  run(gains, targets, n);
}

// The lag (within +-100 ms) at which the processed band best matches the reference band, removed
// (pyclarity's envelope_align): the processed signal moves earlier by that many samples.
void align_band(CrossCorrelator<float>& correlator, const std::vector<double>& reference, std::vector<double>& processed) {
  const std::size_t n = reference.size();
  const long lags = std::min<long>(std::lround(0.1 * kModelRateHz), static_cast<long>(n));
  const float* c = correlator.correlate(reference.data(), processed.data(), n);
  const long m = correlator.size();
  long best_lag = 1 - lags;
  float best = -INFINITY;
  for (long lag = 1 - lags; lag <= lags; ++lag) {
    const float v = c[((lag % m) + m) % m];
    if (v > best) {
      best = v;
      best_lag = lag;
    }
  }
  // c[L] = sum ref[n + L] proc[n]: a peak at L < 0 means the processed band is late by -L.
  shift_in_place(processed, best_lag);
}

double dot_baseline(const double* a, const double* b, std::size_t count) noexcept { return double_dot(a, b, count); }
[[gnu::target("avx2,fma")]] double dot_avx2(const double* a, const double* b, std::size_t count) noexcept {
  return double_dot(a, b, count);
}

// sums[k] = sum over i < count of a[i + k] b[i], for k < lags (at most kMaxRefinedLags): each b[i]
// meets its lags' a values in one pass, four samples at a time.
constexpr std::size_t kMaxRefinedLags = 16;
[[gnu::always_inline]] inline void lag_dots_kernel(const double* a, const double* b, std::size_t count, std::size_t lags, double* sums) noexcept {
  typedef double Lanes __attribute__((vector_size(4 * sizeof(double))));
  Lanes acc[kMaxRefinedLags];
  for (std::size_t k = 0; k < lags; ++k) acc[k] = Lanes{0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + 4 <= count; i += 4) {
    Lanes bv;
    __builtin_memcpy(&bv, b + i, sizeof bv);
    for (std::size_t k = 0; k < lags; ++k) {
      Lanes av;
      __builtin_memcpy(&av, a + i + k, sizeof av);
      acc[k] += av * bv;
    }
  }
  for (std::size_t k = 0; k < lags; ++k) {
    double s = (acc[k][0] + acc[k][1]) + (acc[k][2] + acc[k][3]);
    for (std::size_t j = i; j < count; ++j) s += a[j + k] * b[j];
    sums[k] = s;
  }
}
void lag_dots_baseline(const double* a, const double* b, std::size_t count, std::size_t lags, double* sums) noexcept {
  lag_dots_kernel(a, b, count, lags, sums);
}
[[gnu::target("avx2,fma")]] void lag_dots_avx2(const double* a, const double* b, std::size_t count, std::size_t lags, double* sums) noexcept {
  lag_dots_kernel(a, b, count, lags, sums);
}

// The envelope alignment (align_band's lag, found for less): envelopes are slow, so their
// cross-correlation is first found on 4-sample sums (a quarter of the points: an FFT a quarter as
// long), whose peak falls within a few samples of the full-rate one; the full-rate correlation is
// then evaluated exactly (in double) at every lag within kEnvelopeDecimation coarse steps of it
// and its best lag removed. (Two peaks of almost the same height further apart than that could be
// told apart differently than by the full correlation; the oracle comparison in tests/haspi_test
// states the effect.)
constexpr std::size_t kEnvelopeDecimation = 4;
class EnvelopeAligner {
 public:
  // `kept`: the workspace's correlator (correlator_of_size): planning this transform took 1.1 ms,
  // 1.4 % of a HASPI call.
  EnvelopeAligner(std::size_t frames, std::unique_ptr<CrossCorrelator<float>>& kept)
      : lags_(std::min<long>(std::lround(0.1 * kModelRateHz), static_cast<long>(frames))),
        coarse_frames_(frames / kEnvelopeDecimation),
        a_(coarse_frames_),
        b_(coarse_frames_) {
    correlator_ = &correlator_of_size(kept, smooth_fft_size_at_least(coarse_frames_ + static_cast<std::size_t>(lags_) / kEnvelopeDecimation + 2));
  }

  void align(const std::vector<double>& reference, std::vector<double>& processed) {
    long best_lag = 1 - lags_;
    if (coarse_frames_ < 8) {
      best_lag = best_exact(reference, processed, 1 - lags_, lags_);
    } else {
      for (std::size_t m = 0; m < coarse_frames_; ++m) {
        const double* r = reference.data() + m * kEnvelopeDecimation;
        const double* p = processed.data() + m * kEnvelopeDecimation;
        a_[m] = (r[0] + r[1]) + (r[2] + r[3]);
        b_[m] = (p[0] + p[1]) + (p[2] + p[3]);
      }
      const float* c = correlator_->correlate(a_.data(), b_.data(), coarse_frames_);
      const long m = correlator_->size(), d = static_cast<long>(kEnvelopeDecimation);
      const long coarse_lags = lags_ / d + 1;
      long coarse_best = 0;
      float best = -INFINITY;
      for (long lag = -coarse_lags; lag <= coarse_lags; ++lag) {
        const float v = c[((lag % m) + m) % m];
        if (v > best) {
          best = v;
          coarse_best = lag;
        }
      }
      best_lag = best_exact(reference, processed, std::max(1 - lags_, (coarse_best - 1) * d), std::min(lags_, (coarse_best + 1) * d));
    }
    shift_in_place(processed, best_lag);
  }

 private:
  // The lag in [lo, hi] with the largest sum over n of reference[n + L] processed[n] (the lowest
  // such lag on a tie, as an argmax over increasing lags).
  static long best_exact(const std::vector<double>& reference, const std::vector<double>& processed, long lo, long hi) {
    long best_lag = lo;
    double best = -INFINITY;
    for (long chunk = lo; chunk <= hi; chunk += static_cast<long>(kMaxRefinedLags)) {
      const long chunk_hi = std::min(hi, chunk + static_cast<long>(kMaxRefinedLags) - 1);
      std::array<double, kMaxRefinedLags> sums{};
      correlate_lags(reference, processed, chunk, chunk_hi, sums.data());
      for (long lag = chunk; lag <= chunk_hi; ++lag) {
        const double v = sums[static_cast<std::size_t>(lag - chunk)];
        if (v > best) {
          best = v;
          best_lag = lag;
        }
      }
    }
    return best_lag;
  }
  // sums[L - lo] = sum over n of reference[n + L] processed[n], for L in [lo, hi] (at most
  // kMaxRefinedLags lags). Every lag's products over the samples all of them share come from one
  // pass (a band is larger than the cache: one pass, not one per lag); then each lag's own ends.
  static void correlate_lags(const std::vector<double>& reference, const std::vector<double>& processed, long lo, long hi, double* sums) {
    const long n = static_cast<long>(reference.size());
    const long shared_first = std::max(0L, -lo), shared_last = std::min(n, n - hi);
    const bool shared = shared_last > shared_first;
    if (shared) {
      auto* run = simd_path() == SimdPath::avx2 ? lag_dots_avx2 : lag_dots_baseline;
      run(reference.data() + shared_first + lo, processed.data() + shared_first, static_cast<std::size_t>(shared_last - shared_first),
          static_cast<std::size_t>(hi - lo + 1), sums);
    }
    for (long lag = lo; lag <= hi; ++lag) {
      const long first = std::max(0L, -lag), last = std::min(n, n - lag);  // n over [first, last)
      double v = shared ? sums[lag - lo] : 0.0;
      for (long i = first; i < last; ++i) {
        if (shared && i == shared_first) i = shared_last;
        if (i >= last) break;
        v += reference[static_cast<std::size_t>(i + lag)] * processed[static_cast<std::size_t>(i)];
      }
      sums[lag - lo] = v;
    }
  }

  long lags_;
  std::size_t coarse_frames_;
  CrossCorrelator<float>* correlator_;
  std::vector<double> a_, b_;
};

// The RMS of a band (its sum of squares in four lanes).
double band_rms(const std::vector<double>& x) {
  if (x.empty()) return 0.0;
  auto* dot = simd_path() == SimdPath::avx2 ? dot_avx2 : dot_baseline;
  return std::sqrt(dot(x.data(), x.data(), x.size()) / static_cast<double>(x.size()));
}

// dB above the inner hair cells' threshold (Kates 2013, II.E): level1 - IHC loss + 20 log10(env),
// floored at 0; the basilar-membrane signal scaled by the same per-sample gain. (Without basilar
// membrane signals, sensation_level_and_adapt does this within the adaptation.)
void to_sensation_level(std::vector<double>& envelope, std::vector<double>& bm, double ihc_attenuation_db, double level1_db_spl) {
  const double offset_db = level1_db_spl - ihc_attenuation_db;
  for (std::size_t i = 0; i < envelope.size(); ++i) {
    const double e = envelope[i];
    const double db = std::max(offset_db + 2.0 * fast_power_to_db(static_cast<float>(e + kTiny)), 0.0);
    bm[i] *= (db + kTiny) / (e + kTiny);
    envelope[i] = db;
  }
}

// Inner-hair-cell rapid (2 ms) and short-term (60 ms) adaptation (Kates 2013, II.E, after Harte,
// Elliott & Kates): an RC network in the dB domain, discretised by backward Euler, whose output is
// the input minus the charge on its first capacitor. Overshoot `delta` at onsets.
//
// The network's two-state update (v' = M v + g v0, v = the two capacitors' charges) is linear, so
// it runs as its two modes: with M's eigenvalues l1, l2 (real and distinct: M's off-diagonal terms
// are both positive), the first charge is w1 + w2, each w a first-order recursion
// w' = l w + q v0 (q1 + q2 = g1). Two independent one-multiply-add chains instead of one coupled
// chain two multiply-adds long; and a first-order recursion steps four samples at once
// (w[n + k] = l^k w[n] + the inputs' own terms, computed off the chain), so that the chain
// carried from sample to sample is one multiply-add per four samples. (The charges differ from the
// coupled update's in the last bits only: some 1e-14 dB.)
typedef double AdaptationLanes __attribute__((vector_size(4 * sizeof(double))));
constexpr std::size_t kAdaptationStep = 4;  // samples per step of the carried chain
struct Adaptation {
  double r1 = 0.0;
  // Lanes {a's mode 1, a's mode 2, b's mode 1, b's mode 2}: l^k for k = 1 ... kAdaptationStep, and q.
  AdaptationLanes decay[kAdaptationStep]{}, drive{};
  Adaptation() {
    const double delta = std::max(kAdaptationOvershoot, 1.0001);
    const double tau1_s = 0.002, tau2_s = 0.060;
    r1 = 1.0 / delta;
    const double r2 = 0.5 * (1.0 - r1), r3 = r2;
    const double c1 = tau1_s * (r1 + r2) / (r1 * r2);
    const double c2 = tau2_s / ((r1 + r2) * r3);
    const double k1 = r1 * r2 * c1 * kModelRateHz, k2 = r2 * r3 * c2 * kModelRateHz;
    const double a11 = r1 + r2 + k1, a12 = -r1, a21 = -r3, a22 = r2 + r3 + k2;
    const double d = 1.0 / (a11 * a22 - a21 * a12);
    // b1 = r2 v0 + k1 v1, b2 = k2 v2; v1' = d (a22 b1 - a12 b2); v2' = d (-a21 b1 + a11 b2).
    const double g1 = d * a22 * r2, g2 = -d * a21 * r2;
    const double m11 = d * a22 * k1, m12 = -d * a12 * k2, m21 = -d * a21 * k1, m22 = d * a11 * k2;
    // Eigenvalues; eigenvectors (m12, l - m11). Scaled so that the first charge is w1 + w2:
    // q1 = ((l2 - m11) g1 - m12 g2) / (l2 - l1), q2 = (m12 g2 - (l1 - m11) g1) / (l2 - l1).
    const double half_trace = 0.5 * (m11 + m22);
    const double root = std::sqrt(0.25 * (m11 - m22) * (m11 - m22) + m12 * m21);
    const double l1 = half_trace + root, l2 = half_trace - root;
    const double q1 = ((l2 - m11) * g1 - m12 * g2) / (l2 - l1), q2 = (m12 * g2 - (l1 - m11) * g1) / (l2 - l1);
    drive = AdaptationLanes{q1, q2, q1, q2};
    double p1 = 1.0, p2 = 1.0;
    for (std::size_t k = 0; k < kAdaptationStep; ++k) {
      p1 *= l1;
      p2 *= l2;
      decay[k] = AdaptationLanes{p1, p2, p1, p2};
    }
  }
};

// One step of the carried chain: the four samples' charges {a mode 1, a mode 2, b mode 1, b mode 2}
// from a[0..3] and b[0..3], and w carried on. The inputs' terms s_j = sum over m <= j of
// l^(j - m) q v0[m], then w_j = l^j w + s_j: only the last one carries on.
[[gnu::always_inline]] inline void adaptation_step(const Adaptation& k, const double* a, const double* b, AdaptationLanes& w,
                                                   AdaptationLanes (&charges)[kAdaptationStep]) noexcept {
  AdaptationLanes s[kAdaptationStep];
  for (std::size_t j = 0; j < kAdaptationStep; ++j) {
    const AdaptationLanes in = k.drive * AdaptationLanes{a[j], a[j], b[j], b[j]};
    s[j] = j == 0 ? in : k.decay[0] * s[j - 1] + in;
  }
  for (std::size_t j = 0; j < kAdaptationStep; ++j) charges[j] = k.decay[j] * w + s[j];
  w = charges[kAdaptationStep - 1];
}

// The first capacitor's charge for each of n samples of two dB signals a and b, handed to
// emit(i, charge a, charge b) in order of i (each sample of a and b is read before its emit, which
// may overwrite it).
template <typename Emit>
[[gnu::always_inline]] inline void adaptation_charges(const double* a, const double* b, std::size_t n, Emit emit) noexcept {
  static const Adaptation k;
  AdaptationLanes w = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + kAdaptationStep <= n; i += kAdaptationStep) {
    AdaptationLanes charges[kAdaptationStep];
    adaptation_step(k, a + i, b + i, w, charges);
    for (std::size_t j = 0; j < kAdaptationStep; ++j) emit(i + j, charges[j][0] + charges[j][1], charges[j][2] + charges[j][3]);
  }
  for (; i < n; ++i) {
    w = k.decay[0] * w + k.drive * AdaptationLanes{a[i], a[i], b[i], b[i]};
    emit(i, w[0] + w[1], w[2] + w[3]);
  }
}

void adapt_pair(std::vector<double>& db_a, std::vector<double>* bm_a, std::vector<double>& db_b, std::vector<double>* bm_b) {
  static const Adaptation k;
  const double inverse_r1 = 1.0 / k.r1;
  adaptation_charges(db_a.data(), db_b.data(), db_a.size(), [&](std::size_t i, double a1, double b1) {
    const double a0 = db_a[i], b0 = db_b[i];
    const double out_a = std::max((a0 - a1) * inverse_r1, 0.0), out_b = std::max((b0 - b1) * inverse_r1, 0.0);
    if (bm_a) (*bm_a)[i] *= (out_a + kTiny) / (a0 + kTiny);
    if (bm_b) (*bm_b)[i] *= (out_b + kTiny) / (b0 + kTiny);
    db_a[i] = out_a;
    db_b[i] = out_b;
  });
}

// The same adaptation for envelopes still in amplitude, without basilar-membrane signals (HASPI):
// each sample's dB SL (as to_sensation_level) first, in a loop of its own that the compiler
// vectorises (the band is in cache by then), then the recursion on them.
[[gnu::always_inline]] inline void sensation_level_and_adapt_kernel(double* a, double* b, std::size_t n, double offset_a_db, double offset_b_db) noexcept {
  static const Adaptation k;
  const double inverse_r1 = 1.0 / k.r1;
  for (std::size_t i = 0; i < n; ++i) {
    const double a_db = offset_a_db + 2.0 * static_cast<double>(fast_power_to_db(static_cast<float>(a[i] + kTiny)));
    const double b_db = offset_b_db + 2.0 * static_cast<double>(fast_power_to_db(static_cast<float>(b[i] + kTiny)));
    a[i] = a_db > 0.0 ? a_db : 0.0;
    b[i] = b_db > 0.0 ? b_db : 0.0;
  }
  // adaptation_charges with its outputs four samples at a time: the step's four charges
  // transposed into a's and b's first charges (the same sums as emit's), the outputs as vectors.
  AdaptationLanes w = {0, 0, 0, 0};
  std::size_t i = 0;
  for (; i + kAdaptationStep <= n; i += kAdaptationStep) {
    AdaptationLanes charges[kAdaptationStep];
    adaptation_step(k, a + i, b + i, w, charges);
    // {a at i, a at i + 1, b at i, b at i + 1}, then the same at i + 2, i + 3.
    const AdaptationLanes h01 = __builtin_shufflevector(charges[0], charges[1], 0, 4, 2, 6) + __builtin_shufflevector(charges[0], charges[1], 1, 5, 3, 7);
    const AdaptationLanes h23 = __builtin_shufflevector(charges[2], charges[3], 0, 4, 2, 6) + __builtin_shufflevector(charges[2], charges[3], 1, 5, 3, 7);
    const AdaptationLanes a1 = __builtin_shufflevector(h01, h23, 0, 1, 4, 5), b1 = __builtin_shufflevector(h01, h23, 2, 3, 6, 7);
    AdaptationLanes a0, b0;
    __builtin_memcpy(&a0, a + i, sizeof a0);
    __builtin_memcpy(&b0, b + i, sizeof b0);
    AdaptationLanes out_a = (a0 - a1) * inverse_r1, out_b = (b0 - b1) * inverse_r1;
    out_a = out_a > 0.0 ? out_a : 0.0;
    out_b = out_b > 0.0 ? out_b : 0.0;
    __builtin_memcpy(a + i, &out_a, sizeof out_a);
    __builtin_memcpy(b + i, &out_b, sizeof out_b);
  }
  for (; i < n; ++i) {
    w = k.decay[0] * w + k.drive * AdaptationLanes{a[i], a[i], b[i], b[i]};
    a[i] = std::max((a[i] - (w[0] + w[1])) * inverse_r1, 0.0);
    b[i] = std::max((b[i] - (w[2] + w[3])) * inverse_r1, 0.0);
  }
}
void sensation_level_and_adapt_baseline(double* a, double* b, std::size_t n, double offset_a_db, double offset_b_db) noexcept {
  sensation_level_and_adapt_kernel(a, b, n, offset_a_db, offset_b_db);
}
[[gnu::target("avx2,fma")]] void sensation_level_and_adapt_avx2(double* a, double* b, std::size_t n, double offset_a_db, double offset_b_db) noexcept {
  sensation_level_and_adapt_kernel(a, b, n, offset_a_db, offset_b_db);
}
[[gnu::target("avx2,fma,avx512f,avx512bw,avx512vl")]] void sensation_level_and_adapt_avx512(double* a, double* b, std::size_t n, double offset_a_db,
                                                                                            double offset_b_db) noexcept {
  sensation_level_and_adapt_kernel(a, b, n, offset_a_db, offset_b_db);
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
  // Its buffers kept by the thread from one call to the next (see KatesWorkspace).
  thread_local std::vector<double> a, b;
  thread_local std::unique_ptr<CrossCorrelator<float>> kept_correlator;
  a.assign(reference.begin(), reference.begin() + static_cast<long>(n));
  b.assign(processed.begin(), processed.begin() + static_cast<long>(n));
  const double ma = std::accumulate(a.begin(), a.end(), 0.0) / static_cast<double>(n);
  const double mb = std::accumulate(b.begin(), b.end(), 0.0) / static_cast<double>(n);
  for (double& v : a) v -= ma;
  for (double& v : b) v -= mb;
  // The correlation in float first (half the work of double), then the lags whose float value
  // comes within 1e-4 of the signals' norms' product of the float peak (far above a float FFT's
  // error, some 1e-6 of it) are evaluated again exactly, in double: the same argmax as a double
  // correlation's, unless more than 64 lags tie that closely (then the double FFT decides).
  const auto m = static_cast<long>(smooth_fft_size_at_least(2 * n - 1));
  const long ln = static_cast<long>(n);
  auto argmax_magnitude = [&](const auto* c, long lo, long hi) {
    long best_lag = lo;
    double best = -1.0;
    for (long lag = lo; lag <= hi; ++lag) {  // lowest lag first, as numpy's argmax
      const double v = std::abs(static_cast<double>(c[((lag % m) + m) % m]));
      if (v > best) {
        best = v;
        best_lag = lag;
      }
    }
    return std::pair{best_lag, best};
  };
  long best_lag = -(ln - 1);
  {
    const float* c = correlator_of_size(kept_correlator, static_cast<int>(m)).correlate(a.data(), b.data(), n);
    const double peak = argmax_magnitude(c, -(ln - 1), ln - 1).second;
    auto* dot = simd_path() == SimdPath::avx2 ? dot_avx2 : dot_baseline;
    const double scale = static_cast<double>(m);  // the unnormalised round trip's factor
    const double margin = 1e-4 * std::sqrt(dot(a.data(), a.data(), n) * dot(b.data(), b.data(), n)) * scale;
    std::vector<long> candidates;
    for (long lag = -(ln - 1); lag <= ln - 1 && candidates.size() <= 64; ++lag) {
      if (std::abs(static_cast<double>(c[((lag % m) + m) % m])) >= peak - margin) candidates.push_back(lag);
    }
    if (candidates.size() <= 64) {
      double best = -1.0;
      for (long lag : candidates) {  // c[L] = sum a[i + L] b[i]
        const long first = std::max(0L, -lag), last = std::min(ln, ln - lag);
        const double v = std::abs(dot(a.data() + first + lag, b.data() + first, static_cast<std::size_t>(last - first)));
        if (v > best) {
          best = v;
          best_lag = lag;
        }
      }
    } else {
      CrossCorrelator<double> correlator(static_cast<int>(m));
      best_lag = argmax_magnitude(correlator.correlate(a.data(), b.data(), n), -(ln - 1), ln - 1).first;
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
  // In place (the memory kept).
  reference.resize(end_ref);
  reference.erase(reference.begin(), reference.begin() + static_cast<long>(first));
  processed.resize(std::max(end_proc, first));
  processed.erase(processed.begin(), processed.begin() + static_cast<long>(first));
}

Result<KatesBandLevels> kates_ear_model_bands(const std::vector<double>& reference_in, double reference_rate_hz,
                                              const std::vector<double>& processed_in, double processed_rate_hz,
                                              const std::array<double, 6>& audiogram_db_hl, KatesReferenceEar reference_ear,
                                              double level1_db_spl, const KatesEarModelOptions& options, const KatesBandSink& sink) {
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

  const WorkspaceLease lease;
  KatesWorkspace& ws = *lease;
  std::vector<double>& reference = ws.reference;
  std::vector<double>& processed = ws.processed;
  auto at_24khz = [](const std::vector<double>& in, double rate_hz, std::vector<double>& out) {
    if (std::abs(rate_hz - kModelRateHz) < 500.0) out.assign(in.begin(), in.end());  // (into the kept memory)
    else out = kates_resample_24khz(in, rate_hz);
  };
  at_24khz(reference_in, reference_rate_hz, reference);
  at_24khz(processed_in, processed_rate_hz, processed);
  const std::size_t common = std::min(reference.size(), processed.size());
  reference.resize(common);
  processed.resize(common);
  kates_input_align(reference, processed);
  if (reference.size() < 2) return SpecErrors{{"reference", "is silent: nothing above 60 dB below its peak"}};
  const std::size_t frames = reference.size();

  if (!options.reference_equaliser_fir.empty()) {
    const std::vector<double>& h = options.reference_equaliser_fir;
    const std::size_t delay = h.size() - 1;
    std::vector<double>& y = ws.equalised;
    y.resize(frames);
    for (std::size_t i = 0; i < frames; ++i) {  // y[i] = full convolution at i + delay
      const std::size_t t = i + delay;
      double s = 0.0;
      const std::size_t k_lo = t >= frames ? t - frames + 1 : 0;
      for (std::size_t k = k_lo; k <= std::min(delay, t); ++k) s += h[k] * reference[t - k];
      y[i] = s;
    }
    std::swap(reference, y);
  }

  middle_ear(reference);
  middle_ear(processed);
  const std::vector<double>& reference_mid = reference;
  const std::vector<double>& processed_mid = processed;

  // The reference's filter widths first (each follows the level through its control filter, two
  // bands per pass): they set the bands' group delays, whose largest every band's compensation
  // needs before the band is handed over.
  std::vector<double> reference_bandwidth(bands);
  std::size_t first_pair = 0;
  for (; first_pair + 4 <= bands; first_pair += 4) {  // four bands a pass where they fit
    const std::size_t n = first_pair;
    const std::array<double, 4> ms = kates_gammatone_mean_square_two_pairs(
        reference_mid.data(), frames, kModelRateHz,
        {{{control_hz[n], widest[n]}, {control_hz[n + 1], widest[n + 1]}, {control_hz[n + 2], widest[n + 2]}, {control_hz[n + 3], widest[n + 3]}}});
    for (std::size_t k = n; k < n + 4; ++k) {
      reference_bandwidth[k] = adjusted_bandwidth(std::sqrt(ms[k - n]), reference_loss.bandwidth_factor[k], widest[k], level1_db_spl);
    }
  }
  for (std::size_t n = first_pair; n < bands; n += 2) {
    const std::size_t m = std::min(n + 1, bands - 1);
    const std::array<double, 2> ms = kates_gammatone_mean_square_pair(reference_mid.data(), frames, kModelRateHz, {control_hz[n], widest[n]},
                                                                      {control_hz[m], widest[m]});
    for (std::size_t k : {n, m}) {
      reference_bandwidth[k] = adjusted_bandwidth(std::sqrt(ms[k - n]), reference_loss.bandwidth_factor[k], widest[k], level1_db_spl);
    }
  }
  std::vector<long> correction(bands, 0);
  if (options.compensate_group_delay) {
    std::vector<long> delay(bands);
    for (std::size_t n = 0; n < bands; ++n) {
      delay[n] = std::lround(kates_gammatone_group_delay_samples({centre_hz[n], reference_bandwidth[n]}, kModelRateHz));
    }
    const long longest = *std::max_element(delay.begin(), delay.end());
    for (std::size_t n = 0; n < bands; ++n) correction[n] = longest - delay[n];
  }

  KatesBandLevels levels;
  levels.sample_rate_hz = kModelRateHz;
  levels.frames = frames;
  levels.reference_sl.assign(bands, 0.0);
  levels.processed_sl.assign(bands, 0.0);

  // The full-rate correlator only for the basilar membrane (a carrier-rate signal).
  // (Kept in the workspace from one call to the next, as the envelopes' transform: see EnvelopeAligner.)
  CrossCorrelator<float>* bm_correlator = nullptr;
  if (options.basilar_membrane) {
    bm_correlator = &correlator_of_size(ws.basilar_membrane_correlator,
                                        smooth_fft_size_at_least(frames + static_cast<std::size_t>(std::lround(0.1 * kModelRateHz)) + 1));
  }
  EnvelopeAligner envelope_aligner(frames, ws.envelope_correlator);
  // One band's signals at a time, the same memory for every band.
  std::vector<double>& reference_control = ws.reference_control;  // then the compressor's gains
  std::vector<double>& processed_control = ws.processed_control;
  std::vector<double>& reference_env = ws.reference_env;
  std::vector<double>& processed_env = ws.processed_env;
  std::vector<double>& reference_bm = ws.reference_bm;
  std::vector<double>& processed_bm = ws.processed_bm;
  for (auto* v : {&reference_control, &processed_control, &reference_env, &processed_env}) v->resize(frames);
  if (options.basilar_membrane) {
    reference_bm.resize(frames);
    processed_bm.resize(frames);
  }
  // Without basilar-membrane signals (HASPI), two bands' filters run at once
  // (kates_gammatone_two_band_pairs), the second band's control envelopes in buffers of their
  // own and its envelopes in the basilar membrane's (unused then).
  const bool two_bands_at_once = !options.basilar_membrane;
  if (two_bands_at_once) {
    for (auto* v : {&ws.reference_control_2, &ws.processed_control_2, &reference_bm, &processed_bm}) v->resize(frames);
  }
  for (std::size_t first_band = 0; first_band < bands;) {
    const std::size_t count = two_bands_at_once && first_band + 1 < bands ? 2 : 1;
    std::vector<double>* const reference_controls[2] = {&ws.reference_control, &ws.reference_control_2};
    std::vector<double>* const processed_controls[2] = {&ws.processed_control, &ws.processed_control_2};
    std::vector<double>* const reference_envs[2] = {&ws.reference_env, &ws.reference_bm};
    std::vector<double>* const processed_envs[2] = {&ws.processed_env, &ws.processed_bm};
    std::array<double, 2> reference_control_rms{}, processed_control_rms{};
    if (count == 2) {
      const std::size_t n = first_band;
      // The control filters at their (possibly shifted) places, as wide as a 100 dB HL ear's.
      const KatesGammatonePairBands control{{control_hz[n], control_hz[n + 1]}, {widest[n], widest[n + 1]}, {widest[n], widest[n + 1]}};
      double* const control_out[4] = {reference_controls[0]->data(), processed_controls[0]->data(), reference_controls[1]->data(),
                                      processed_controls[1]->data()};
      kates_gammatone_two_band_pairs(reference_mid.data(), processed_mid.data(), frames, kModelRateHz, control, control_out);
      KatesGammatonePairBands filters{{centre_hz[n], centre_hz[n + 1]}, {reference_bandwidth[n], reference_bandwidth[n + 1]}, {}};
      for (std::size_t k = 0; k < 2; ++k) {
        reference_control_rms[k] = band_rms(*reference_controls[k]);
        processed_control_rms[k] = band_rms(*processed_controls[k]);
        filters.bandwidth_factor_b[k] =
            adjusted_bandwidth(processed_control_rms[k], processed_loss.bandwidth_factor[n + k], widest[n + k], level1_db_spl);
      }
      double* const envelope_out[4] = {reference_envs[0]->data(), processed_envs[0]->data(), reference_envs[1]->data(),
                                       processed_envs[1]->data()};
      kates_gammatone_two_band_pairs(reference_mid.data(), processed_mid.data(), frames, kModelRateHz, filters, envelope_out);
    } else {
      const std::size_t n = first_band;
      // The control filter at its (possibly shifted) place, as wide as a 100 dB HL ear's.
      kates_gammatone_band_pair(reference_mid.data(), processed_mid.data(), frames, kModelRateHz, control_hz[n], widest[n], widest[n],
                                reference_control.data(), processed_control.data(), nullptr, nullptr);
      reference_control_rms[0] = band_rms(reference_control);
      processed_control_rms[0] = band_rms(processed_control);
      const double processed_bandwidth = adjusted_bandwidth(processed_control_rms[0], processed_loss.bandwidth_factor[n], widest[n], level1_db_spl);
      kates_gammatone_band_pair(reference_mid.data(), processed_mid.data(), frames, kModelRateHz, centre_hz[n], reference_bandwidth[n],
                                processed_bandwidth, reference_env.data(), processed_env.data(),
                                options.basilar_membrane ? reference_bm.data() : nullptr,
                                options.basilar_membrane ? processed_bm.data() : nullptr);
    }
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t n = first_band + k;
      std::vector<double>& reference_control = *reference_controls[k];
      std::vector<double>& processed_control = *processed_controls[k];
      std::vector<double>& reference_env = *reference_envs[k];
      std::vector<double>& processed_env = *processed_envs[k];
      levels.reference_sl[n] = rms_to_sl(band_rms(reference_env), reference_control_rms[k], reference_loss.ohc_attenuation_db[n],
                                         reference_loss.low_knee_db_spl[n], reference_loss.compression_ratio[n],
                                         reference_loss.ihc_attenuation_db[n], level1_db_spl);
      levels.processed_sl[n] = rms_to_sl(band_rms(processed_env), processed_control_rms[k], processed_loss.ohc_attenuation_db[n],
                                         processed_loss.low_knee_db_spl[n], processed_loss.compression_ratio[n],
                                         processed_loss.ihc_attenuation_db[n], level1_db_spl);

      compress(reference_control, reference_loss.ohc_attenuation_db[n], reference_loss.low_knee_db_spl[n],
               reference_loss.compression_ratio[n], level1_db_spl);
      compress(processed_control, processed_loss.ohc_attenuation_db[n], processed_loss.low_knee_db_spl[n],
               processed_loss.compression_ratio[n], level1_db_spl);
      if (count == 1) {
        apply_smoothed_gain_pair(reference_control, processed_control, reference_env, processed_env);
        if (options.basilar_membrane) apply_smoothed_gain_pair(reference_control, processed_control, reference_bm, processed_bm);  // (HASQI) off the envelopes' path
      }
    }
    if (count == 2) {  // both bands' gains smoothed and applied in one pass, four lanes (the same values)
      const double* const gains[4] = {reference_controls[0]->data(), processed_controls[0]->data(), reference_controls[1]->data(),
                                      processed_controls[1]->data()};
      double* const targets[4] = {reference_envs[0]->data(), processed_envs[0]->data(), reference_envs[1]->data(), processed_envs[1]->data()};
      apply_smoothed_gain_two_pairs(gains, targets, frames);
    }
    for (std::size_t k = 0; k < count; ++k) {
      const std::size_t n = first_band + k;
      std::vector<double>& reference_env = *reference_envs[k];
      std::vector<double>& processed_env = *processed_envs[k];
      envelope_aligner.align(reference_env, processed_env);
      if (options.basilar_membrane) align_band(*bm_correlator, reference_bm, processed_bm);

      if (options.basilar_membrane) {
        to_sensation_level(reference_env, reference_bm, reference_loss.ihc_attenuation_db[n], level1_db_spl);
        to_sensation_level(processed_env, processed_bm, processed_loss.ihc_attenuation_db[n], level1_db_spl);
        adapt_pair(reference_env, &reference_bm, processed_env, &processed_bm);
      } else {
        const SimdPath path = simd_path(SimdPath::avx512);
      auto* run = path == SimdPath::avx512 ? sensation_level_and_adapt_avx512
                  : path == SimdPath::avx2 ? sensation_level_and_adapt_avx2
                                           : sensation_level_and_adapt_baseline;
        run(reference_env.data(), processed_env.data(), frames, level1_db_spl - reference_loss.ihc_attenuation_db[n],
            level1_db_spl - processed_loss.ihc_attenuation_db[n]);
      }
      // Every band delayed to line up with the slowest (the reference ear's widths set the delays, for
      // both signals, as in the reference).
      shift_in_place(reference_env, correction[n]);
      shift_in_place(processed_env, correction[n]);
      if (options.basilar_membrane) {
        shift_in_place(reference_bm, correction[n]);
        shift_in_place(processed_bm, correction[n]);
      }
      KatesBand band;
      band.index = n;
      band.frames = frames;
      band.reference_db = reference_env.data();
      band.processed_db = processed_env.data();
      if (options.basilar_membrane) {
        band.reference_basilar_membrane = reference_bm.data();
        band.processed_basilar_membrane = processed_bm.data();
      }
      band.delay_frames = correction[n];
      sink(band);
    }
    first_band += count;
  }
  return levels;
}

Result<KatesEarModelOutput> kates_ear_model(const std::vector<double>& reference, double reference_rate_hz,
                                            const std::vector<double>& processed, double processed_rate_hz,
                                            const std::array<double, 6>& audiogram_db_hl, KatesReferenceEar reference_ear,
                                            double level1_db_spl, RandomSource& random, const KatesEarModelOptions& options) {
  KatesEarModelOutput out;
  std::vector<long> delay_frames;
  auto keep = [&](const KatesBand& band) {
    out.reference_db.emplace_back(band.reference_db, band.reference_db + band.frames);
    out.processed_db.emplace_back(band.processed_db, band.processed_db + band.frames);
    if (band.reference_basilar_membrane) {
      out.reference_basilar_membrane.emplace_back(band.reference_basilar_membrane, band.reference_basilar_membrane + band.frames);
      out.processed_basilar_membrane.emplace_back(band.processed_basilar_membrane, band.processed_basilar_membrane + band.frames);
    }
    delay_frames.push_back(band.delay_frames);
  };
  auto levels = kates_ear_model_bands(reference, reference_rate_hz, processed, processed_rate_hz, audiogram_db_hl, reference_ear,
                                      level1_db_spl, options, keep);
  if (!levels) return levels.errors();
  out.reference_sl = std::move(levels.value().reference_sl);
  out.processed_sl = std::move(levels.value().processed_sl);
  out.sample_rate_hz = levels.value().sample_rate_hz;
  if (options.basilar_membrane) {
    // Noise 10 dB below threshold keeps the fine-structure correlation from reading structure into
    // inaudible bands (Kates 2013, II.E). Drawn for every sample before the group-delay compensation,
    // reference first, then processed, each band in turn: sample i of a band delayed by d frames
    // takes draw i - d, and the draws the delay pushed past the end are drawn and dropped.
    const double noise_rms = std::pow(10.0, (kKatesThresholdNoiseDb - level1_db_spl) / 20.0);
    for (auto* signals : {&out.reference_basilar_membrane, &out.processed_basilar_membrane}) {
      for (std::size_t b = 0; b < signals->size(); ++b) {
        std::vector<double>& band = (*signals)[b];
        const std::size_t frames = band.size();
        const auto d = static_cast<std::size_t>(std::min<long>(std::max<long>(delay_frames[b], 0), static_cast<long>(frames)));
        for (std::size_t i = d; i < frames; ++i) band[i] += noise_rms * random.gaussian();
        for (std::size_t i = 0; i < d; ++i) (void)random.gaussian();
      }
    }
  }
  return out;
}

}  // namespace earshot
