#include "dsp/partitioned_convolver.hpp"

#include <algorithm>

#include "dsp/simd_path.hpp"

// GCC's and clang's target attribute: a second copy of the loops for AVX2 + FMA (as dsp/fir_filter.cpp).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_CONVOLVER_AVX2 1
#endif

namespace earshot {
namespace {

// The head runs kLanes filters side by side (one AVX vector, two SSE vectors) with kChains
// independent sums over the taps, so that the adder's latency is hidden (float addition is not
// associative: the compiler keeps one chain unless the code writes several).
constexpr int kLanes = 8;
constexpr int kChains = 8;

int round_up(int n, int multiple) { return (n + multiple - 1) / multiple * multiple; }

// Frame i's head for every filter, plus the tail's part for that frame: window holds the last b
// inputs, oldest first; h is [j][lanes].
[[gnu::always_inline]] inline void head_frame(const float* h, const float* window, int b, int lanes, int filters, const float* tail_row,
                                              float* out) noexcept {
  for (int c = 0; c < lanes; c += kLanes) {
    float acc[kChains][kLanes] = {};
    int j = 0;
    for (; j + kChains <= b; j += kChains) {
      for (int s = 0; s < kChains; ++s) {
        const float x = window[j + s];
        const float* row = h + static_cast<std::ptrdiff_t>(j + s) * lanes + c;
        for (int l = 0; l < kLanes; ++l) acc[s][l] += x * row[l];
      }
    }
    for (; j < b; ++j) {
      const float x = window[j];
      const float* row = h + static_cast<std::ptrdiff_t>(j) * lanes + c;
      for (int l = 0; l < kLanes; ++l) acc[0][l] += x * row[l];
    }
    for (int width = kChains / 2; width > 0; width /= 2) {
      for (int s = 0; s < width; ++s) {
        for (int l = 0; l < kLanes; ++l) acc[s][l] += acc[s + width][l];
      }
    }
    const int n = std::min(kLanes, filters - c);
    for (int l = 0; l < n; ++l) out[c + l] = acc[0][l] + tail_row[c + l];
  }
}

// sum += x * g over the bins (complex, split into real and imaginary arrays).
[[gnu::always_inline]] inline void multiply_add(float* __restrict sr, float* __restrict si, const float* __restrict xr,
                                                const float* __restrict xi, const float* __restrict gr, const float* __restrict gi,
                                                int bins) noexcept {
  for (int k = 0; k < bins; ++k) {
    sr[k] += xr[k] * gr[k] - xi[k] * gi[k];
    si[k] += xr[k] * gi[k] + xi[k] * gr[k];
  }
}

}  // namespace

int convolution_partition_frames(int taps) noexcept {
  int b = 16;
  while (2 * b <= taps / 8) b *= 2;
  return b;
}

void PartitionedConvolver::prepare(const std::vector<std::vector<float>>& filters, int partition_frames) {
  avx2_ = simd_path() == SimdPath::avx2;
  filters_ = static_cast<int>(filters.size());
  lanes_ = round_up(std::max(filters_, 1), kLanes);
  b_ = std::max(partition_frames, 1);
  bins_ = b_ + 1;
  bins_padded_ = round_up(bins_, kLanes);
  std::size_t longest = 0;
  for (const auto& h : filters) longest = std::max(longest, h.size());
  const auto b = static_cast<std::size_t>(b_);
  partitions_ = longest > b ? static_cast<int>((longest - b + b - 1) / b) : 0;

  const auto lanes = static_cast<std::size_t>(lanes_);
  head_.assign(b * lanes, 0.0f);
  for (std::size_t f = 0; f < filters.size(); ++f) {
    for (std::size_t j = 0; j < b; ++j) {
      const std::size_t tap = b - 1 - j;
      if (tap < filters[f].size()) head_[j * lanes + f] = filters[f][tap];
    }
  }
  history_.assign(2 * b, 0.0f);
  tail_.assign(b * lanes, 0.0f);

  fft_.reset();
  spectra_re_.clear();
  spectra_im_.clear();
  if (partitions_ > 0) {
    fft_ = std::make_unique<RealFft>(2 * b_);
    const auto padded = static_cast<std::size_t>(bins_padded_);
    const auto parts = static_cast<std::size_t>(partitions_);
    spectra_re_.assign(filters.size() * parts * padded, 0.0f);
    spectra_im_.assign(filters.size() * parts * padded, 0.0f);
    // FFTW's inverse is n times the input: the 1 / 2B is folded into the filters' spectra.
    const float scale = 1.0f / static_cast<float>(2 * b_);
    for (std::size_t f = 0; f < filters.size(); ++f) {
      for (std::size_t p = 0; p < parts; ++p) {
        float* t = fft_->time();
        std::fill(t, t + 2 * b, 0.0f);
        for (std::size_t j = 0; j < b; ++j) {
          const std::size_t tap = b * (p + 1) + j;
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
    sum_re_.assign(padded, 0.0f);
    sum_im_.assign(padded, 0.0f);
    block_.assign(2 * b, 0.0f);
  }
  reset();
}

void PartitionedConvolver::reset() noexcept {
  std::fill(history_.begin(), history_.end(), 0.0f);
  std::fill(tail_.begin(), tail_.end(), 0.0f);
  std::fill(input_re_.begin(), input_re_.end(), 0.0f);
  std::fill(input_im_.begin(), input_im_.end(), 0.0f);
  std::fill(block_.begin(), block_.end(), 0.0f);
  history_pos_ = 0;
  newest_slot_ = 0;
  block_pos_ = 0;
}

void PartitionedConvolver::process(const float* in, float* out, int out_stride, int frames) noexcept {
#if defined(EARSHOT_CONVOLVER_AVX2)
  if (avx2_) {
    process_avx2(in, out, out_stride, frames);
    return;
  }
#endif
  process_baseline(in, out, out_stride, frames);
}

// The per-frame loop, written once and compiled into both copies below.
template <bool kAvx2>
[[gnu::always_inline]] inline void PartitionedConvolver::run(const float* in, float* out, int out_stride, int frames) noexcept {
  for (int i = 0; i < frames; ++i) {
    const float x = in[i];
    // The mirrored ring: history_[pos + 1 ... pos + B] is the last B inputs, oldest first.
    history_[static_cast<std::size_t>(history_pos_)] = x;
    history_[static_cast<std::size_t>(history_pos_ + b_)] = x;
    if (partitions_ > 0) block_[static_cast<std::size_t>(b_ + block_pos_)] = x;
    head_frame(head_.data(), history_.data() + history_pos_ + 1, b_, lanes_, filters_,
               tail_.data() + static_cast<std::ptrdiff_t>(block_pos_) * lanes_, out + static_cast<std::ptrdiff_t>(i) * out_stride);
    history_pos_ = history_pos_ + 1 == b_ ? 0 : history_pos_ + 1;
    if (++block_pos_ == b_) {
      block_pos_ = 0;
      if (partitions_ > 0) {
        if constexpr (kAvx2) block_boundary_avx2();
        else block_boundary_baseline();
      }
    }
  }
}

// The end of a block: its spectrum joins the delay line, and the tail's output for the next block
// is computed from it and the P - 1 before it.
[[gnu::always_inline]] inline void PartitionedConvolver::block_boundary() noexcept {
  const auto b = static_cast<std::size_t>(b_);
  const auto padded = static_cast<std::size_t>(bins_padded_);
  const auto parts = static_cast<std::size_t>(partitions_);
  const auto lanes = static_cast<std::size_t>(lanes_);
  float* t = fft_->time();
  std::copy(block_.begin(), block_.end(), t);
  std::copy(block_.begin() + b_, block_.end(), block_.begin());  // the newest block becomes the older
  fft_->forward();
  newest_slot_ = newest_slot_ + 1 == partitions_ ? 0 : newest_slot_ + 1;
  float* xr = input_re_.data() + static_cast<std::size_t>(newest_slot_) * padded;
  float* xi = input_im_.data() + static_cast<std::size_t>(newest_slot_) * padded;
  const RealFft::Bin* y = fft_->spectrum();
  for (int k = 0; k < bins_; ++k) {
    xr[k] = y[k][0];
    xi[k] = y[k][1];
  }
  for (std::size_t f = 0; f < static_cast<std::size_t>(filters_); ++f) {
    std::fill(sum_re_.begin(), sum_re_.end(), 0.0f);
    std::fill(sum_im_.begin(), sum_im_.end(), 0.0f);
    // Partition p meets the input block p blocks older than the newest.
    std::size_t slot = static_cast<std::size_t>(newest_slot_);
    for (std::size_t p = 0; p < parts; ++p) {
      const std::size_t g = (f * parts + p) * padded;
      multiply_add(sum_re_.data(), sum_im_.data(), input_re_.data() + slot * padded, input_im_.data() + slot * padded,
                   spectra_re_.data() + g, spectra_im_.data() + g, bins_padded_);
      slot = slot == 0 ? parts - 1 : slot - 1;
    }
    RealFft::Bin* s = fft_->spectrum();
    for (int k = 0; k < bins_; ++k) {
      s[k][0] = sum_re_[static_cast<std::size_t>(k)];
      s[k][1] = sum_im_[static_cast<std::size_t>(k)];
    }
    fft_->inverse();
    // Overlap-save: the second half is the linear convolution over the newest block.
    for (std::size_t i = 0; i < b; ++i) tail_[i * lanes + f] = t[b + i];
  }
}

void PartitionedConvolver::block_boundary_baseline() noexcept { block_boundary(); }

void PartitionedConvolver::process_baseline(const float* in, float* out, int out_stride, int frames) noexcept {
  run<false>(in, out, out_stride, frames);
}

#if defined(EARSHOT_CONVOLVER_AVX2)
[[gnu::target("avx2,fma")]] void PartitionedConvolver::block_boundary_avx2() noexcept { block_boundary(); }

[[gnu::target("avx2,fma")]] void PartitionedConvolver::process_avx2(const float* in, float* out, int out_stride, int frames) noexcept {
  run<true>(in, out, out_stride, frames);
}
#else
void PartitionedConvolver::block_boundary_avx2() noexcept { block_boundary_baseline(); }
void PartitionedConvolver::process_avx2(const float* in, float* out, int out_stride, int frames) noexcept {
  process_baseline(in, out, out_stride, frames);
}
#endif

}  // namespace earshot
