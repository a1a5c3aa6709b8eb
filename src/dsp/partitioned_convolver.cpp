#include "dsp/partitioned_convolver.hpp"

#include <algorithm>

#include "dsp/float_lanes.hpp"
#include "dsp/simd_path.hpp"

// GCC's and clang's target attribute: a second copy of the loops for AVX2 + FMA (as dsp/fir_filter.cpp).
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#define EARSHOT_CONVOLVER_AVX2 1
#endif

namespace earshot {
namespace {

// The head runs kLanes filters side by side in one vector (dsp/float_lanes.hpp), up to four vectors
// of filters at once, with several independent sums over the taps so that the adder's latency is
// hidden (float addition is not associative: the compiler keeps one chain of sums unless the code
// writes several).
constexpr int kLanes = kFloatLanes;

// kVectors vectors of filters (from column c of h, which is [j][lanes]) for one frame: window holds
// the last b inputs, oldest first. kSplit sums per vector run over interleaved taps.
template <int kVectors, int kSplit>
[[gnu::always_inline]] inline void head_vectors(const float* h, const float* window, int b, int lanes, int c, FloatLanes* result) noexcept {
  FloatLanes acc[kSplit][kVectors] = {};
  int j = 0;
  for (; j + kSplit <= b; j += kSplit) {
    for (int s = 0; s < kSplit; ++s) {
      const float x = window[j + s];
      const float* row = h + static_cast<std::ptrdiff_t>(j + s) * lanes + c;
      for (int v = 0; v < kVectors; ++v) {
        FloatLanes r;
        load_lanes(row + v * kLanes, r);
        acc[s][v] += x * r;
      }
    }
  }
  for (; j < b; ++j) {
    const float* row = h + static_cast<std::ptrdiff_t>(j) * lanes + c;
    for (int v = 0; v < kVectors; ++v) {
      FloatLanes r;
      load_lanes(row + v * kLanes, r);
      acc[0][v] += window[j] * r;
    }
  }
  for (int v = 0; v < kVectors; ++v) {
    FloatLanes sum = acc[0][v];
    for (int s = 1; s < kSplit; ++s) sum += acc[s][v];
    result[v] = sum;
  }
}

// One filter's head as a dot product over its taps (taps: h_f[B - 1 - j], contiguous).
[[gnu::always_inline]] inline float head_dot(const float* taps, const float* window, int b) noexcept {
  FloatLanes acc[4] = {};
  int j = 0;
  for (; j + 4 * kLanes <= b; j += 4 * kLanes) {
    for (int s = 0; s < 4; ++s) {
      FloatLanes t, w;
      load_lanes(taps + j + s * kLanes, t);
      load_lanes(window + j + s * kLanes, w);
      acc[s] += t * w;
    }
  }
  const FloatLanes sum = (acc[0] + acc[1]) + (acc[2] + acc[3]);
  float y = 0.0f;
  for (int l = 0; l < kLanes; ++l) y += sum[l];
  for (; j < b; ++j) y += taps[j] * window[j];
  return y;
}

// Frame i's head for every filter, plus the tail's part for that frame (tail_row, [lanes]), to out:
// whole vectors where out_stride leaves room for them, else only the filters' own values. Filters
// 0 ... vector_lanes - 1 run side by side in vectors; the rest (one filter alone, or the one or two
// past the last whole vector, which would leave most of a vector's work on zero taps) as dot
// products over their own taps (dot: [filter - vector_lanes][j]).
[[gnu::always_inline]] inline void head_frame(const float* h, const float* dot, const float* window, int b, int lanes, int vector_lanes,
                                              int filters, const float* tail_row, float* out, int out_stride) noexcept {
  for (int c = 0; c < vector_lanes; c += 4 * kLanes) {
    FloatLanes y[4];
    const int vectors = std::min(4, (vector_lanes - c) / kLanes);
    switch (vectors) {
      case 1: head_vectors<1, 8>(h, window, b, lanes, c, y); break;
      case 2: head_vectors<2, 4>(h, window, b, lanes, c, y); break;
      case 3: head_vectors<3, 2>(h, window, b, lanes, c, y); break;
      default: head_vectors<4, 2>(h, window, b, lanes, c, y); break;
    }
    for (int v = 0; v < vectors; ++v) {
      FloatLanes tail;
      load_lanes(tail_row + c + v * kLanes, tail);
      const FloatLanes total = y[v] + tail;
      const int first = c + v * kLanes;
      if (out_stride >= lanes) {
        store_lanes(total, out + first);
      } else {
        for (int l = 0; l < kLanes && first + l < filters; ++l) out[first + l] = total[l];
      }
    }
  }
  if (vector_lanes == lanes) return;
  for (int f = vector_lanes; f < filters; ++f) {
    out[f] = head_dot(dot + static_cast<std::ptrdiff_t>(f - vector_lanes) * b, window, b) + tail_row[f];
  }
  // The row's padding, zeros (the tail's padding lanes are never written).
  if (out_stride >= lanes) {
    for (int f = filters; f < lanes; ++f) out[f] = tail_row[f];
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
  // One filter: a dot product. (The one or two past the last whole vector of 18 band filters could
  // run so too; with that and the compressor's bands across frames, Scene.AidKeyframes... failed,
  // its smeared renders a float rounding apart, so both were left off: the README says more.)
  vector_lanes_ = filters_ == 1 ? 0 : lanes_;
  const auto dots = static_cast<std::size_t>(std::max(filters_ - vector_lanes_, 0));
  head_dot_.assign(dots * b, 0.0f);
  for (std::size_t d = 0; d < dots; ++d) {
    for (std::size_t j = 0; j < b; ++j) head_dot_[d * b + j] = head_[j * lanes + static_cast<std::size_t>(vector_lanes_) + d];
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
    head_frame(head_.data(), head_dot_.data(), history_.data() + history_pos_ + 1, b_, lanes_, vector_lanes_, filters_,
               tail_.data() + static_cast<std::ptrdiff_t>(block_pos_) * lanes_, out + static_cast<std::ptrdiff_t>(i) * out_stride,
               out_stride);
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
    // Partition p meets the input block p blocks older than the newest. The sums stay in registers
    // over the partitions, a vector of bins at a time (the same sums in the same order as a pass
    // per partition over every bin, without storing and reloading them between partitions).
    const float* gr_f = spectra_re_.data() + f * parts * padded;
    const float* gi_f = spectra_im_.data() + f * parts * padded;
    for (std::size_t k = 0; k < padded; k += kLanes) {
      FloatLanes sr = {}, si = {};
      std::size_t slot = static_cast<std::size_t>(newest_slot_);
      for (std::size_t p = 0; p < parts; ++p) {
        FloatLanes xr;
        load_lanes(input_re_.data() + slot * padded + k, xr);
        FloatLanes xi;
        load_lanes(input_im_.data() + slot * padded + k, xi);
        FloatLanes gr;
        load_lanes(gr_f + p * padded + k, gr);
        FloatLanes gi;
        load_lanes(gi_f + p * padded + k, gi);
        sr += xr * gr - xi * gi;
        si += xr * gi + xi * gr;
        slot = slot == 0 ? parts - 1 : slot - 1;
      }
      store_lanes(sr, sum_re_.data() + k);
      store_lanes(si, sum_im_.data() + k);
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
