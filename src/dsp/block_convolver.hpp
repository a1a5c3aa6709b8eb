#pragma once
// Several FIR filters on one input that arrives a block at a time: output frame n of filter f is
// sum_k h_f[k] x[n - k], written for a whole block of B frames once that block is in. For a source
// that hands its output over in blocks anyway (hearing_aid/noise_reduction.hpp completes a hop of
// output at a time), this is partitioned_convolver.hpp's result with no direct-form head: every
// partition, the first one too, runs in the frequency domain.
//
// How: uniformly partitioned overlap-save (Soo & Pang 1990, IEEE Trans. ASSP 38:1049-1053) with
// partitions of B taps and FFTs of 2B, and a frequency-domain delay line of the last P input
// spectra shared by all filters: per block one forward FFT of the input, P complex multiply-adds
// per bin and filter, and one inverse FFT per filter (two filters' together, as one complex FFT).
//
// Cost per frame and filter: about 4 P real multiply-adds per bin over B frames (4 P (B + 1) / B)
// and one inverse FFT of 2B spread over B frames; no per-frame multiply-adds in B.
//
// prepare() allocates; process_block() never allocates, locks or throws. The multiply-adds have an
// AVX2 + FMA copy (dsp/simd_path.hpp, read in prepare()).
#include <memory>
#include <vector>

#include "dsp/real_fft.hpp"

namespace earshot {

class BlockConvolver {
 public:
  // One tap vector per filter (any lengths >= 1); block_frames B >= 1 (the FFT is 2B).
  void prepare(const std::vector<std::vector<float>>& filters, int block_frames);
  void reset() noexcept;
  // One block of block_frames() input frames. Filter f's output for frame i goes to
  // out[i * out_stride + f] (out_stride >= filters()); with out_stride >= lanes() the row's padding
  // (filters() ... lanes() - 1) is written with zeros. The whole block is read before any output is
  // written, so in may overlap out.
  void process_block(const float* in, float* out, int out_stride) noexcept;
  int filters() const noexcept { return filters_; }
  int lanes() const noexcept { return lanes_; }  // filters() rounded up to a multiple of 8
  int block_frames() const noexcept { return b_; }

 private:
  void multiply_add(int filter, RealFft::Bin* spectrum) noexcept;
  void multiply_add_baseline(int filter, RealFft::Bin* spectrum) noexcept;
  void multiply_add_avx2(int filter, RealFft::Bin* spectrum) noexcept;

  bool avx2_ = false;
  int filters_ = 0;
  int lanes_ = 0;
  int b_ = 0;            // block and partition size B, frames
  int partitions_ = 0;   // P, the longest filter's
  int bins_ = 0;         // B + 1
  int bins_padded_ = 0;  // bins rounded up for the vector loops
  std::vector<float> spectra_re_, spectra_im_;  // [f][p][bin]: the partitions' spectra / 2B
  std::vector<float> input_re_, input_im_;      // [slot][bin]: the last P input spectra, a ring
  int newest_slot_ = 0;
  std::vector<float> previous_;  // the last block of input
  std::unique_ptr<RealFft> fft_;  // 2B
};

}  // namespace earshot
