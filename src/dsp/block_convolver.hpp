#pragma once
// Several FIR filters on one input that arrives a block at a time: output frame n of filter f is
// sum_k h_f[k] x[n - k], written for a whole block of B frames once that block is in. For a source
// that hands its output over in blocks anyway (hearing_aid/noise_reduction.hpp completes a hop of
// output at a time), this is partitioned_convolver.hpp's result with no direct-form head: every
// partition, the first one too, runs in the frequency domain.
//
// How: uniformly partitioned overlap-save (Soo & Pang 1990, IEEE Trans. ASSP 38:1049-1053) with
// FFTs of N >= 2B and a frequency-domain delay line of the last P input spectra shared by all
// filters: per block one forward FFT of the last N input frames, P complex multiply-adds per bin
// and filter, and one inverse FFT per two filters. The partitions start B taps apart (the delay
// line holds one spectrum per block); each is B taps long but the last, which may hold up to
// N - B + 1 (the most whose circular convolution leaves the block's B outputs unwrapped).
//
// Two filters a, b share one complex inverse FFT (Brigham 1988, The FFT and its Applications,
// ch. 9.3): with A = X Ha and B = X Hb summed over the partitions, the spectrum of a + j b is
// A + j B at the bins 0 ... N/2 and conj A + j conj B at N - k; the multiply-adds write that packed
// spectrum directly.
//
// Why N is not simply 2B: FFTW_ESTIMATE (dsp/real_fft.hpp) plans sizes with a factor such as 11
// poorly. At a 44.1 kHz noise-reduction hop of 176 frames, the complex inverse FFT of 2B = 352
// takes about 9600 instructions, the one of 384 about 3600; and the longer last partition of N =
// 384 (209 taps) fits a 16 ms band filter (707 taps) in 4 partitions instead of 5. So N is the
// smallest 2^a, 3 2^a or 5 2^a at or above 2B (fft_frames()).
//
// prepare() allocates; process_block() never allocates, locks or throws. The multiply-adds have an
// AVX2 + FMA copy (dsp/simd_path.hpp, read in prepare()).
#include <memory>
#include <vector>

#include "dsp/real_fft.hpp"

namespace earshot {

class BlockConvolver {
 public:
  // One tap vector per filter (any lengths >= 1); block_frames B >= 1.
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
  int fft_frames() const noexcept { return n_; }  // N
  int partitions() const noexcept { return partitions_; }

 private:
  void pair_spectrum(int pair) noexcept;
  void pair_spectrum_baseline(int pair) noexcept;
  void pair_spectrum_avx2(int pair) noexcept;
  void single_spectrum() noexcept;
  void single_spectrum_baseline() noexcept;
  void single_spectrum_avx2() noexcept;

  bool avx2_ = false;
  int filters_ = 0;
  int lanes_ = 0;
  int b_ = 0;            // block size B, frames: also the partitions' spacing
  int n_ = 0;            // FFT size N
  int partitions_ = 0;   // P, the longest filter's
  int bins_ = 0;         // N / 2 + 1
  int bins_padded_ = 0;  // bins rounded up for the vector loops
  std::vector<float> spectra_re_, spectra_im_;  // [f][p][bin]: the partitions' spectra / N
  std::vector<float> input_re_, input_im_;    // [slot][bin]: the last P input spectra, a ring
  int newest_slot_ = 0;
  std::vector<float> history_;  // the last N input frames, oldest first
  std::unique_ptr<RealFft> fft_;          // N: the input's forward FFT, the single filter's inverse
  std::unique_ptr<ComplexFft> pair_fft_;  // N, inverse: the pairs'
};

}  // namespace earshot
