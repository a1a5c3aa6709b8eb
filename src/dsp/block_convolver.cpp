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

}  // namespace

void BlockConvolver::prepare(const std::vector<std::vector<float>>& filters, int block_frames) {
  avx2_ = simd_path() == SimdPath::avx2;
  filters_ = static_cast<int>(filters.size());
  lanes_ = round_up(std::max(filters_, 1), kLanes);
  b_ = std::max(block_frames, 1);
  bins_ = b_ + 1;
  bins_padded_ = round_up(bins_, kLanes);
  std::size_t longest = 1;
  for (const auto& h : filters) longest = std::max(longest, h.size());
  const auto b = static_cast<std::size_t>(b_);
  partitions_ = static_cast<int>((longest + b - 1) / b);
  const auto padded = static_cast<std::size_t>(bins_padded_);
  const auto parts = static_cast<std::size_t>(partitions_);
  fft_ = std::make_unique<RealFft>(2 * b_, filters_ > 1);
  spectra_re_.assign(filters.size() * parts * padded, 0.0f);
  spectra_im_.assign(filters.size() * parts * padded, 0.0f);
  // FFTW's inverse is n times the input: the 1 / 2B is folded into the filters' spectra.
  const float scale = 1.0f / static_cast<float>(2 * b_);
  for (std::size_t f = 0; f < filters.size(); ++f) {
    for (std::size_t p = 0; p < parts; ++p) {
      float* t = fft_->time();
      std::fill(t, t + 2 * b, 0.0f);
      for (std::size_t j = 0; j < b; ++j) {
        const std::size_t tap = b * p + j;
        if (tap < filters[f].size()) t[j] = filters[f][tap];
      }
      fft_->forward();
      const std::size_t at = (f * parts + p) * padded;
      for (std::size_t k = 0; k < static_cast<std::size_t>(bins_); ++k) {
        spectra_re_[at + k] = fft_->spectrum()[k][0] * scale;
        spectra_im_[at + k] = fft_->spectrum()[k][1] * scale;
      }
    }
  }
  input_re_.assign(parts * padded, 0.0f);
  input_im_.assign(parts * padded, 0.0f);
  previous_.assign(b, 0.0f);
  reset();
}

void BlockConvolver::reset() noexcept {
  std::fill(input_re_.begin(), input_re_.end(), 0.0f);
  std::fill(input_im_.begin(), input_im_.end(), 0.0f);
  std::fill(previous_.begin(), previous_.end(), 0.0f);
  newest_slot_ = 0;
}

void BlockConvolver::process_block(const float* in, float* out, int out_stride) noexcept {
  const auto b = static_cast<std::size_t>(b_);
  const auto padded = static_cast<std::size_t>(bins_padded_);
  // Overlap-save: the FFT sees the last block and this one; this one becomes the last.
  float* t = fft_->time();
  std::copy(previous_.begin(), previous_.end(), t);
  std::copy(in, in + b, t + b);
  std::copy(in, in + b, previous_.begin());
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
  // The second half is the linear convolution over this block. Two filters at a time share one
  // complex inverse FFT (RealFft::inverse_pair()).
  int f = 0;
  for (; f + 1 < filters_; f += 2) {
    multiply_add(f, fft_->spectrum());
    multiply_add(f + 1, fft_->pair_spectrum());
    fft_->inverse_pair();
    const RealFft::Bin* z = fft_->pair_time() + b;
    float* row = out + static_cast<std::size_t>(f);
    for (std::size_t i = 0; i < b; ++i) {
      row[i * stride] = z[i][0];
      row[i * stride + 1] = z[i][1];
    }
  }
  if (f < filters_) {
    multiply_add(f, fft_->spectrum());
    fft_->inverse();
    for (std::size_t i = 0; i < b; ++i) out[i * stride + static_cast<std::size_t>(f)] = t[b + i];
  }
  if (out_stride >= lanes_) {
    for (std::size_t i = 0; i < b; ++i) std::fill(out + i * stride + filters_, out + i * stride + lanes_, 0.0f);
  }
}

void BlockConvolver::multiply_add(int filter, RealFft::Bin* spectrum) noexcept {
#if defined(EARSHOT_BLOCK_CONVOLVER_AVX2)
  if (avx2_) {
    multiply_add_avx2(filter, spectrum);
    return;
  }
#endif
  multiply_add_baseline(filter, spectrum);
}

namespace {

// Filter f's spectrum for the newest block, to s: partition p meets the input
// block p blocks older than the newest. The sums stay in registers over the partitions, a vector
// of bins at a time.
[[gnu::always_inline]] inline void multiply_add_bins(const float* gr_f, const float* gi_f, const float* input_re, const float* input_im,
                                                     std::size_t newest, std::size_t parts, std::size_t padded, int bins,
                                                     RealFft::Bin* s) noexcept {
  for (std::size_t k = 0; k < padded; k += kLanes) {
    FloatLanes sr = {}, si = {};
    std::size_t slot = newest;
    for (std::size_t p = 0; p < parts; ++p) {
      FloatLanes xr;
      load_lanes(input_re + slot * padded + k, xr);
      FloatLanes xi;
      load_lanes(input_im + slot * padded + k, xi);
      FloatLanes gr;
      load_lanes(gr_f + p * padded + k, gr);
      FloatLanes gi;
      load_lanes(gi_f + p * padded + k, gi);
      sr += xr * gr - xi * gi;
      si += xr * gi + xi * gr;
      slot = slot == 0 ? parts - 1 : slot - 1;
    }
    const int last = std::min(kLanes, bins - static_cast<int>(k));
    for (int l = 0; l < last; ++l) {
      s[k + static_cast<std::size_t>(l)][0] = sr[l];
      s[k + static_cast<std::size_t>(l)][1] = si[l];
    }
  }
}

}  // namespace

void BlockConvolver::multiply_add_baseline(int filter, RealFft::Bin* spectrum) noexcept {
  const auto padded = static_cast<std::size_t>(bins_padded_);
  const auto parts = static_cast<std::size_t>(partitions_);
  const std::size_t at = static_cast<std::size_t>(filter) * parts * padded;
  multiply_add_bins(spectra_re_.data() + at, spectra_im_.data() + at, input_re_.data(), input_im_.data(),
                    static_cast<std::size_t>(newest_slot_), parts, padded, bins_, spectrum);
}

#if defined(EARSHOT_BLOCK_CONVOLVER_AVX2)
[[gnu::target("avx2,fma")]] void BlockConvolver::multiply_add_avx2(int filter, RealFft::Bin* spectrum) noexcept {
  const auto padded = static_cast<std::size_t>(bins_padded_);
  const auto parts = static_cast<std::size_t>(partitions_);
  const std::size_t at = static_cast<std::size_t>(filter) * parts * padded;
  multiply_add_bins(spectra_re_.data() + at, spectra_im_.data() + at, input_re_.data(), input_im_.data(),
                    static_cast<std::size_t>(newest_slot_), parts, padded, bins_, spectrum);
}
#else
void BlockConvolver::multiply_add_avx2(int filter, RealFft::Bin* spectrum) noexcept { multiply_add_baseline(filter, spectrum); }
#endif

}  // namespace earshot
