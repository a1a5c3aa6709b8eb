#pragma once
// What the engine accepts as input audio, checked once for every front end:
//  - a sample rate within 8000...192000 Hz (kMinSampleRateHz...kMaxSampleRateHz) and one or two
//    channels (mono for both ears, or left and right);
//  - finite samples (no NaN or infinity) of a sane magnitude: |x| <= kMaxInputMagnitude. Audio is
//    near full scale (1.0); a finite value far beyond it (1e6 and more) is a unit or decoding error,
//    and would overflow to infinity in the model's power sums;
//  - not empty, and not digital silence: a long-term level above -299 dB re a digital RMS of 1.0
//    (the same floor as dsp/speech_level.hpp's "no signal").
// InputChecker runs over a stream of interleaved blocks (a render reads a file in blocks), stops
// at the first bad sample, and says where it is; check_input() does a whole planar buffer.
// Errors name the field and the value: "sample_rate_hz", "channels", "samples", "frames"; a sample
// or stream error's message reads after the input's name ("has a NaN or infinite sample at frame
// 12 (channel 1)", "is digital silence").
#include <cstdint>
#include <vector>

#include "support/spec_error.hpp"

namespace earshot {

inline constexpr int kMaxInputChannels = 2;
inline constexpr double kMaxInputMagnitude = 1e6;
inline constexpr double kSilenceFloorDb = -299.0;

// The layout: rate and channel count.
SpecErrors check_input_format(double sample_rate_hz, int channels);

class InputChecker {
 public:
  explicit InputChecker(int channels);
  // Interleaved frames. Returns the first bad sample, once (an empty list while all is well).
  SpecErrors add(const float* interleaved, std::int64_t frames);
  // After the last block: the stream as a whole (empty, digital silence).
  SpecErrors finish() const;
  std::int64_t frames() const { return frames_; }

 private:
  int channels_;
  std::int64_t frames_ = 0;
  std::vector<double> sum_squares_;
};

// A whole buffer, one vector per channel: layout, samples, then the stream as a whole.
SpecErrors check_input(const std::vector<std::vector<float>>& channels, double sample_rate_hz);

}  // namespace earshot
