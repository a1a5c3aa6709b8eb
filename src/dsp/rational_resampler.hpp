#pragma once
// Rational-ratio resampling by a Kaiser-windowed sinc, designed as GNU Octave's resample() designs
// it (60 dB stopband rejection, transition width a tenth of the cutoff) and applied as a polyphase
// FIR with the output aligned to the filter's centre. STOI's reference implementations (Taal's
// MATLAB code, pystoi) resample to 10 kHz this way, so metrics computed after it match theirs.
// Offline (whole signal in, whole signal out), double precision; or streamed (RationalResampler-
// Stream), block by block in constant memory, with the same output samples.
#include <cstdint>
#include <vector>

namespace earshot {

// y has ceil(x.size() * up / down) samples. up/down are reduced by their gcd first.
std::vector<double> resample_rational(const std::vector<double>& x, long up, long down);

// resample_rational of a signal given block by block: the same samples, bit for bit, holding only
// about one filter length of input. Its length must be known from the start, because the last
// outputs' sums (as resample_rational's) skip the taps past the end rather than adding zeros, and
// the order of a floating-point sum decides its last bit. Offline use: prepare allocates, push may.
class RationalResamplerStream {
 public:
  void prepare(long up, long down, std::int64_t input_frames);
  std::int64_t output_frames() const { return n_out_; }
  // How many input samples the outputs [0, output_end) need pushed (at most input_frames).
  std::int64_t input_needed(std::int64_t output_end) const;
  void push(const float* x, std::int64_t count);
  // The next `count` outputs; input_needed(produced + count) samples must have been pushed.
  void pull(double* y, std::int64_t count);

 private:
  long up_ = 1, down_ = 1, pre_ = 0, skip_ = 0;
  std::int64_t n_in_ = 0, n_out_ = 0, produced_ = 0;
  std::vector<std::vector<double>> phases_;
  std::size_t longest_phase_ = 0;
  std::vector<double> held_;      // input samples from held_start_ on
  std::int64_t held_start_ = 0;
};

}  // namespace earshot
