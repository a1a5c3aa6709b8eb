#pragma once
// Active speech level, ITU-T P.56 (12/2011) method B: the RMS over the samples whose envelope
// (two cascaded 30 ms one-pole smoothers of |x|, plus 200 ms hangover) is above a threshold set
// 15.9 dB below the resulting level. Streaming: constant memory, any length, constant cost per
// sample (one step of a sliding maximum over the hangover window, not a loop over the thresholds).
#include <array>
#include <cstdint>
#include <vector>

namespace earshot {

struct SpeechLevel {
  bool silent = true;           // no activity found (all zeros, or nothing above the lowest threshold)
  double active_db = -300.0;    // 10 log10(mean square over active samples), re a digital RMS of 1.0
  double long_term_db = -300.0; // 10 log10(mean square over all samples)
  double activity = 0.0;        // fraction of samples counted active
};

class ActiveSpeechLevelMeter {
 public:
  explicit ActiveSpeechLevelMeter(double sample_rate_hz);
  void add(const float* samples, std::size_t count, std::size_t stride = 1);
  SpeechLevel result() const;

 private:
  static constexpr int kThresholds = 25;  // 2^-25 ... 2^-1: -150 ... -6 dB, 6.02 dB apart
  // A sample is active for threshold j when the envelope was at or above threshold j at some
  // sample of the hangover window ending at it (P.56's hangover counter, reset at each crossing,
  // says exactly that). So the active thresholds of a sample are 0 ... M, M the highest threshold
  // reached within the window: a sliding maximum. Its candidates (later and higher than every
  // one behind them) are strictly decreasing threshold indices, so at most kThresholds of them:
  // a fixed ring, no allocation. active_at_most_[M + 1] counts the samples whose maximum was M.
  struct Candidate {
    std::int64_t sample = 0;
    int threshold = 0;
  };
  static constexpr int kRing = 32;  // a power of two above kThresholds
  double g_;
  std::int64_t hangover_samples_;
  double p_ = 0.0, q_ = 0.0, sum_squares_ = 0.0;
  std::int64_t samples_ = 0;
  std::array<Candidate, kRing> window_{};
  int window_first_ = 0, window_size_ = 0;
  std::array<std::int64_t, kThresholds + 1> active_at_most_{};  // [0]: no threshold active
};

// Several channels (e.g. both ears): the energy mean of the channels' active levels.
SpeechLevel combine_channels(const std::vector<SpeechLevel>& per_channel);

}  // namespace earshot
