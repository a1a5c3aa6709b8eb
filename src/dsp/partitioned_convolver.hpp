#pragma once
// Several FIR filters on one input, streaming, by uniformly partitioned FFT convolution with a
// direct-form head, so that the output is the direct convolution's (to float rounding) with no
// latency added: output frame n of filter f is sum_k h_f[k] x[n - k], written as soon as x[n] is in.
//
// How. Each filter's taps are cut at the partition size B: the head, taps 0 ... B-1, runs in direct
// form sample by sample (vectorised across the filters, which share the input); the tail, taps
// B ... L-1, in partitions of B taps, runs in the frequency domain by overlap-save with FFTs of 2B
// (the uniformly partitioned scheme of Soo & Pang 1990, IEEE Trans. ASSP 38:1049-1053, with the
// frequency-domain delay line shared by all filters: one forward FFT of the input per B frames, a
// complex multiply-add per partition and one inverse FFT per filter). The tail's part of the output
// in block m + 1 only needs inputs up to the end of block m (its first tap is B frames old), so it
// is computed at the block boundary, before the next block's first sample: the hybrid that Gardner
// (1995, J. Audio Eng. Soc. 43:127-136) uses for zero-latency convolution, with one partition size.
//
// Cost per frame and filter: B multiply-adds for the head, about L / B complex multiply-adds and
// one inverse FFT of 2B spread over B frames for the tail; against L multiply-adds for direct form.
//
// Output does not depend on how the input is split into blocks (every frame takes the same steps:
// the block boundaries are counted from reset()). prepare() allocates; process() never allocates,
// locks or throws. The head's loops have an AVX2 + FMA copy (dsp/simd_path.hpp, read in prepare()).
#include <memory>
#include <vector>

#include "dsp/real_fft.hpp"

namespace earshot {

// A partition size for filters of `taps` taps: the largest power of two up to taps / 8, at least 16
// (64 for a hearing aid's 705-tap filters at 44.1 kHz). Shorter partitions cost more inverse FFTs
// and multiply-adds in the tail, longer ones more of the direct-form head; about eight partitions
// per filter balanced them in bench/render_bench.cpp's aided renders.
int convolution_partition_frames(int taps) noexcept;

class PartitionedConvolver {
 public:
  // One tap vector per filter (any lengths >= 1); partition_frames B >= 1 (a power of two keeps the
  // FFTs fast).
  void prepare(const std::vector<std::vector<float>>& filters, int partition_frames);
  void reset() noexcept;
  // Filter f's output for frame i goes to out[i * out_stride + f] (out_stride >= filters()); with
  // out_stride >= lanes() the frame's row is written in whole vectors, its padding (filters() ...
  // lanes() - 1) with zeros. Input frame i is read before any output of frame i is written, so with
  // one filter and out_stride 1, in may equal out.
  void process(const float* in, float* out, int out_stride, int frames) noexcept;
  int filters() const noexcept { return filters_; }
  int lanes() const noexcept { return lanes_; }  // filters() rounded up to the head's vector width
  int partition_frames() const noexcept { return b_; }

 private:
  void process_baseline(const float* in, float* out, int out_stride, int frames) noexcept;
  void process_avx2(const float* in, float* out, int out_stride, int frames) noexcept;
  template <bool kAvx2>
  void run(const float* in, float* out, int out_stride, int frames) noexcept;
  void block_boundary() noexcept;
  void block_boundary_baseline() noexcept;
  void block_boundary_avx2() noexcept;

  bool avx2_ = false;
  int filters_ = 0;
  int lanes_ = 0;       // filters rounded up to a multiple of kLanes (the head's vector width)
  int b_ = 0;           // partition size B, frames
  int partitions_ = 0;  // tail partitions per filter (the longest filter's)
  int bins_ = 0;        // B + 1
  int bins_padded_ = 0; // bins rounded up for the vector loops
  std::vector<float> head_;       // [j][lane]: h_f[B - 1 - j], oldest input first
  int vector_lanes_ = 0;          // filters 0 ... this - 1 run side by side in the head, the rest as dot products
  std::vector<float> head_dot_;   // [filter - vector_lanes_][j]: those filters' columns of head_, contiguous
  std::vector<float> history_;    // the last B inputs, mirrored ring (2B), as FirFilter keeps it
  int history_pos_ = 0;
  std::vector<float> spectra_re_, spectra_im_;  // [f][p][bin]: the tail partitions' spectra / 2B
  std::vector<float> input_re_, input_im_;      // [slot][bin]: the last P input spectra, a ring
  int newest_slot_ = 0;
  std::vector<float> sum_re_, sum_im_;          // [bin]: one filter's accumulated spectrum
  std::vector<float> block_;      // the last two blocks of input (2B), the newest in its second half
  std::vector<float> tail_;       // [i][lane]: the tail's output for the current block
  int block_pos_ = 0;             // frames of the current block seen
  std::unique_ptr<RealFft> fft_;  // 2B
};

}  // namespace earshot
