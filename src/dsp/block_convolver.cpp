#include "dsp/block_convolver.hpp"

#include <algorithm>

#include "dsp/float_lanes.hpp"
#include "dsp/simd_path.hpp"

// GCC's and clang's target attribute: a second copy of the multiply-adds for AVX2 + FMA (as
// dsp/partitioned_convolver.cpp).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_BLOCK_CONVOLVER_AVX2 1
#endif

namespace earshot {
namespace {

// Eight bins side by side (dsp/float_lanes.hpp).
constexpr int kLanes = kFloatLanes;

// The smallest 2^a, 3 2^a or 5 2^a at or above n (see the header: sizes FFTW_ESTIMATE plans well).
int fft_size_at_least(int n) {
  int best = 1;
  while (best < n) best *= 2;
  for (int odd : {3, 5}) {
    int m = odd;
    while (m < n) m *= 2;
    best = std::min(best, m);
  }
  return best;
}

}  // namespace

void BlockConvolver::prepare(const std::vector<std::vector<float>>& filters, int block_frames) {
  avx2_ = simd_path() == SimdPath::avx2;
  filters_ = static_cast<int>(filters.size());
  lanes_ = round_up(std::max(filters_, 1), kLanes);
  b_ = std::max(block_frames, 1);
  n_ = fft_size_at_least(2 * b_);
  bins_ = n_ / 2 + 1;
  bins_padded_ = round_up(bins_, kLanes);
  std::size_t longest = 1;
  for (const auto& h : filters) longest = std::max(longest, h.size());
  const auto b = static_cast<std::size_t>(b_);
  const auto n = static_cast<std::size_t>(n_);
  // The last partition may be N - B + 1 taps long, the others B.
  const std::size_t last_taps = n - b + 1;
  partitions_ = longest <= last_taps ? 1 : 1 + static_cast<int>((longest - last_taps + b - 1) / b);
  const auto padded = static_cast<std::size_t>(bins_padded_);
  const auto parts = static_cast<std::size_t>(partitions_);
  fft_ = std::make_unique<RealFft>(n_);
  pair_fft_ = filters_ >= 2 ? std::make_unique<ComplexFft>(n_, ComplexFft::Direction::inverse) : nullptr;
  // Each partition's spectrum in double (rounded to float once, after the pairs are combined).
  RealFftDouble design(n_);
  auto partition_spectrum = [&](const std::vector<float>& h, std::size_t p, std::vector<double>& re, std::vector<double>& im) {
    double* t = design.time();
    std::fill(t, t + n, 0.0);
    const std::size_t end = p + 1 == parts ? h.size() : std::min(h.size(), b * (p + 1));
    for (std::size_t tap = b * p; tap < end; ++tap) t[tap - b * p] = h[tap];
    design.forward();
    re.assign(padded, 0.0);
    im.assign(padded, 0.0);
    for (std::size_t k = 0; k < static_cast<std::size_t>(bins_); ++k) {
      re[k] = design.spectrum()[k][0];
      im[k] = design.spectrum()[k][1];
    }
  };
  // FFTW's inverse is N times the input: the 1 / N is folded into the filters' spectra.
  const double scale = 1.0 / static_cast<double>(n_);
  spectra_re_.assign(filters.size() * parts * padded, 0.0f);
  spectra_im_.assign(filters.size() * parts * padded, 0.0f);
  std::vector<double> re, im;
  for (std::size_t f = 0; f < filters.size(); ++f) {
    for (std::size_t p = 0; p < parts; ++p) {
      partition_spectrum(filters[f], p, re, im);
      const std::size_t at = (f * parts + p) * padded;
      for (std::size_t k = 0; k < padded; ++k) {
        spectra_re_[at + k] = static_cast<float>(re[k] * scale);
        spectra_im_[at + k] = static_cast<float>(im[k] * scale);
      }
    }
  }
  input_re_.assign(parts * padded, 0.0f);
  input_im_.assign(parts * padded, 0.0f);
  history_.assign(n, 0.0f);
  reset();
}

void BlockConvolver::reset() noexcept {
  std::fill(input_re_.begin(), input_re_.end(), 0.0f);
  std::fill(input_im_.begin(), input_im_.end(), 0.0f);
  std::fill(history_.begin(), history_.end(), 0.0f);
  newest_slot_ = 0;
}

void BlockConvolver::process_block(const float* in, float* out, int out_stride) noexcept {
  const auto b = static_cast<std::size_t>(b_);
  const auto n = static_cast<std::size_t>(n_);
  const auto padded = static_cast<std::size_t>(bins_padded_);
  // Overlap-save: the FFT sees the last N frames, this block's B the newest.
  std::copy(history_.begin() + static_cast<std::ptrdiff_t>(b), history_.end(), history_.begin());
  std::copy(in, in + b, history_.end() - static_cast<std::ptrdiff_t>(b));
  float* t = fft_->time();
  std::copy(history_.begin(), history_.end(), t);
  fft_->forward();
  newest_slot_ = newest_slot_ + 1 == partitions_ ? 0 : newest_slot_ + 1;
  float* xr = input_re_.data() + static_cast<std::size_t>(newest_slot_) * padded;
  float* xi = input_im_.data() + static_cast<std::size_t>(newest_slot_) * padded;
  const RealFft::Bin* y = fft_->spectrum();
  for (int k = 0; k < bins_; ++k) {
    xr[k] = y[k][0];
    xi[k] = y[k][1];
  }
  const auto stride = static_cast<std::size_t>(out_stride);
  // The last B frames of the circular convolution are the linear convolution over this block.
  int f = 0;
  for (; f + 1 < filters_; f += 2) {
    pair_spectrum(f / 2);
    pair_fft_->inverse();
    const ComplexFft::Bin* z = pair_fft_->output() + (n - b);
    float* row = out + static_cast<std::size_t>(f);
    for (std::size_t i = 0; i < b; ++i) {
      row[i * stride] = z[i][0];
      row[i * stride + 1] = z[i][1];
    }
  }
  if (f < filters_) {
    single_spectrum();
    fft_->inverse();
    for (std::size_t i = 0; i < b; ++i) out[i * stride + static_cast<std::size_t>(f)] = t[n - b + i];
  }
  if (out_stride >= lanes_) {
    for (std::size_t i = 0; i < b; ++i) std::fill(out + i * stride + filters_, out + i * stride + lanes_, 0.0f);
  }
}

void BlockConvolver::pair_spectrum(int pair) noexcept {
#if defined(EARSHOT_BLOCK_CONVOLVER_AVX2)
  if (avx2_) {
    pair_spectrum_avx2(pair);
    return;
  }
#endif
  pair_spectrum_baseline(pair);
}

void BlockConvolver::single_spectrum() noexcept {
#if defined(EARSHOT_BLOCK_CONVOLVER_AVX2)
  if (avx2_) {
    single_spectrum_avx2();
    return;
  }
#endif
  single_spectrum_baseline();
}

namespace {

// The sums over the partitions of one vector of bins from k: partition p meets the input block
// p blocks older than the newest. The sums stay in registers over the partitions.
struct BinSums {
  FloatLanes re{}, im{};
};

// sum += x h for one partition's bins (complex, a vector at a time), h read from its two arrays.
[[gnu::always_inline]] inline void add_product(BinSums& sum, const FloatLanes& xr, const FloatLanes& xi, const float* h_re, const float* h_im) noexcept {
  FloatLanes hr, hi;
  load_lanes(h_re, hr);
  load_lanes(h_im, hi);
  sum.re += xr * hr - xi * hi;
  sum.im += xr * hi + xi * hr;
}

// A pair's packed spectrum, a vector of bins at a time: each filter's sum over the partitions
// (A = X Ha, B = X Hb, kept apart so that neither filter's rounding spills into the other's
// output), then A + j B to z[k] for k <= N/2 and conj A + j conj B to z[N - k] for 0 < k < N/2.
[[gnu::always_inline]] inline void pair_bins(const float* ar_f, const float* ai_f, const float* br_f, const float* bi_f, const float* input_re,
                                             const float* input_im, std::size_t newest, std::size_t parts, std::size_t padded, int n,
                                             ComplexFft::Bin* z) noexcept {
  const int half = n / 2;
  for (std::size_t k = 0; k < padded; k += kLanes) {
    BinSums a, b;
    std::size_t slot = newest;
    for (std::size_t p = 0; p < parts; ++p) {
      FloatLanes xr, xi;
      load_lanes(input_re + slot * padded + k, xr);
      load_lanes(input_im + slot * padded + k, xi);
      add_product(a, xr, xi, ar_f + p * padded + k, ai_f + p * padded + k);
      add_product(b, xr, xi, br_f + p * padded + k, bi_f + p * padded + k);
      slot = slot == 0 ? parts - 1 : slot - 1;
    }
    BinSums direct, mirror;
    direct.re = a.re - b.im;
    direct.im = a.im + b.re;
    mirror.re = a.re + b.im;
    mirror.im = b.re - a.im;
    const int k0 = static_cast<int>(k);
    if (k0 + kLanes - 1 <= half) {
      // {re, im} interleaved, bins k0 ... k0 + 7.
      const FloatLanes lo = __builtin_shufflevector(direct.re, direct.im, 0, 8, 1, 9, 2, 10, 3, 11);
      const FloatLanes hi = __builtin_shufflevector(direct.re, direct.im, 4, 12, 5, 13, 6, 14, 7, 15);
      store_lanes(lo, &z[k0][0]);
      store_lanes(hi, &z[k0 + 4][0]);
    } else {
      for (int l = 0; k0 + l <= half; ++l) {
        z[k0 + l][0] = direct.re[l];
        z[k0 + l][1] = direct.im[l];
      }
    }
    if (k0 >= 1 && k0 + kLanes - 1 < half) {
      // Bins k0 + 7 ... k0 to z[N - k0 - 7] ... z[N - k0]: the lanes reversed.
      const FloatLanes lo = __builtin_shufflevector(mirror.re, mirror.im, 7, 15, 6, 14, 5, 13, 4, 12);
      const FloatLanes hi = __builtin_shufflevector(mirror.re, mirror.im, 3, 11, 2, 10, 1, 9, 0, 8);
      store_lanes(lo, &z[n - k0 - 7][0]);
      store_lanes(hi, &z[n - k0 - 3][0]);
    } else {
      for (int l = 0; l < kLanes; ++l) {
        const int bin = k0 + l;
        if (bin < 1 || bin >= half) continue;
        z[n - bin][0] = mirror.re[l];
        z[n - bin][1] = mirror.im[l];
      }
    }
  }
}

// The single filter's spectrum, to s[k] for k <= N/2.
[[gnu::always_inline]] inline void single_bins(const float* gr_f, const float* gi_f, const float* input_re, const float* input_im,
                                               std::size_t newest, std::size_t parts, std::size_t padded, int bins,
                                               RealFft::Bin* s) noexcept {
  for (std::size_t k = 0; k < padded; k += kLanes) {
    BinSums sum;
    std::size_t slot = newest;
    for (std::size_t p = 0; p < parts; ++p) {
      FloatLanes xr, xi;
      load_lanes(input_re + slot * padded + k, xr);
      load_lanes(input_im + slot * padded + k, xi);
      add_product(sum, xr, xi, gr_f + p * padded + k, gi_f + p * padded + k);
      slot = slot == 0 ? parts - 1 : slot - 1;
    }
    const int last = std::min(kLanes, bins - static_cast<int>(k));
    for (int l = 0; l < last; ++l) {
      s[k + static_cast<std::size_t>(l)][0] = sum.re[l];
      s[k + static_cast<std::size_t>(l)][1] = sum.im[l];
    }
  }
}

}  // namespace

void BlockConvolver::pair_spectrum_baseline(int pair) noexcept {
  const auto padded = static_cast<std::size_t>(bins_padded_);
  const auto parts = static_cast<std::size_t>(partitions_);
  const std::size_t a = static_cast<std::size_t>(2 * pair) * parts * padded, b = a + parts * padded;
  pair_bins(spectra_re_.data() + a, spectra_im_.data() + a, spectra_re_.data() + b, spectra_im_.data() + b, input_re_.data(), input_im_.data(),
            static_cast<std::size_t>(newest_slot_), parts, padded, n_, pair_fft_->input());
}

void BlockConvolver::single_spectrum_baseline() noexcept {
  const std::size_t at = static_cast<std::size_t>(filters_ - 1) * static_cast<std::size_t>(partitions_) * static_cast<std::size_t>(bins_padded_);
  single_bins(spectra_re_.data() + at, spectra_im_.data() + at, input_re_.data(), input_im_.data(), static_cast<std::size_t>(newest_slot_),
              static_cast<std::size_t>(partitions_), static_cast<std::size_t>(bins_padded_), bins_, fft_->spectrum());
}

#if defined(EARSHOT_BLOCK_CONVOLVER_AVX2)
[[gnu::target("avx2,fma")]] void BlockConvolver::pair_spectrum_avx2(int pair) noexcept {
  const auto padded = static_cast<std::size_t>(bins_padded_);
  const auto parts = static_cast<std::size_t>(partitions_);
  const std::size_t a = static_cast<std::size_t>(2 * pair) * parts * padded, b = a + parts * padded;
  pair_bins(spectra_re_.data() + a, spectra_im_.data() + a, spectra_re_.data() + b, spectra_im_.data() + b, input_re_.data(), input_im_.data(),
            static_cast<std::size_t>(newest_slot_), parts, padded, n_, pair_fft_->input());
}

[[gnu::target("avx2,fma")]] void BlockConvolver::single_spectrum_avx2() noexcept {
  const std::size_t at = static_cast<std::size_t>(filters_ - 1) * static_cast<std::size_t>(partitions_) * static_cast<std::size_t>(bins_padded_);
  single_bins(spectra_re_.data() + at, spectra_im_.data() + at, input_re_.data(), input_im_.data(), static_cast<std::size_t>(newest_slot_),
              static_cast<std::size_t>(partitions_), static_cast<std::size_t>(bins_padded_), bins_, fft_->spectrum());
}
#else
void BlockConvolver::pair_spectrum_avx2(int pair) noexcept { pair_spectrum_baseline(pair); }
void BlockConvolver::single_spectrum_avx2() noexcept { single_spectrum_baseline(); }
#endif

}  // namespace earshot
