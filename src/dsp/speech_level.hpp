#pragma once
// Active speech level, ITU-T P.56 (12/2011) method B: the RMS over the samples whose envelope
// (two cascaded 30 ms one-pole smoothers of |x|, plus 200 ms hangover) is above a threshold set
// 15.9 dB below the resulting level. Streaming: constant memory, any length.
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
  double g_;
  std::int64_t hangover_samples_;
  double p_ = 0.0, q_ = 0.0, sum_squares_ = 0.0;
  std::int64_t samples_ = 0;
  std::array<std::int64_t, kThresholds> active_{};
  std::array<std::int64_t, kThresholds> hang_{};
};

// Several channels (e.g. both ears): the energy mean of the channels' active levels.
SpeechLevel combine_channels(const std::vector<SpeechLevel>& per_channel);

}  // namespace earshot
