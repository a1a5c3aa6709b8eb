#include "engine/input_check.hpp"

#include <algorithm>
#include <cmath>
#include <string>

#include "hearing_loss/hearing_loss_design.hpp"

namespace earshot {

SpecErrors check_input_format(double sample_rate_hz, int channels) {
  SpecErrors errors;
  if (!(sample_rate_hz >= kMinSampleRateHz && sample_rate_hz <= kMaxSampleRateHz)) {
    errors.push_back({"sample_rate_hz", format_number(sample_rate_hz) + " Hz is outside the supported " + format_number(kMinSampleRateHz) +
                                            "..." + format_number(kMaxSampleRateHz) + " Hz"});
  }
  if (channels < 1 || channels > kMaxInputChannels) {
    errors.push_back({"channels", std::to_string(channels) +
                                      ": a listener has two ears: give one channel (both ears) or two (left, right)"});
  }
  return errors;
}

InputChecker::InputChecker(int channels) : channels_(std::max(channels, 1)), sum_squares_(static_cast<std::size_t>(channels_), 0.0) {}

SpecErrors InputChecker::add(const float* x, std::int64_t frames) {
  // Channel by channel, each channel's sum of squares in a register and its check a running OR (no
  // branch a sample); the sums take their terms in the same order as sample by sample. NaN fails
  // `|v| <= max` as infinity does. A bad block is searched again, frame by frame, for the first bad
  // sample the message names (every caller stops there: the sums of a bad block are not used).
  const std::size_t stride = static_cast<std::size_t>(channels_);
  bool bad = false;
  for (std::size_t c = 0; c < stride; ++c) {
    double sum = sum_squares_[c];
    for (std::int64_t i = 0; i < frames; ++i) {
      const float v = x[static_cast<std::size_t>(i) * stride + c];
      bad |= !(std::fabs(v) <= kMaxInputMagnitude);
      sum += double(v) * v;
    }
    sum_squares_[c] = sum;
  }
  if (!bad) {
    frames_ += frames;
    return {};
  }
  for (std::int64_t i = 0; i < frames; ++i) {
    for (int c = 0; c < channels_; ++c) {
      const float v = x[static_cast<std::size_t>(i) * stride + c];
      if (!std::isfinite(v) || std::fabs(v) > kMaxInputMagnitude) {
        const std::string where = " at frame " + std::to_string(frames_ + i) + " (channel " + std::to_string(c + 1) + ")";
        if (!std::isfinite(v)) return {{"samples", "has a NaN or infinite sample" + where}};
        return {{"samples", "has a sample of " + format_number(v) + where + ", beyond the " + format_number(kMaxInputMagnitude) +
                                " allowed (audio is near full scale, 1.0)"}};
      }
    }
  }
  return {};
}

SpecErrors InputChecker::finish() const {
  if (frames_ == 0) return {{"frames", "holds no audio (0 frames)"}};
  // The long-term level across channels, as dsp/speech_level.hpp's combine_channels() has it.
  double mean_square = 0.0;
  // (a channel of zeros counts as 1e-30 there).
  for (double s : sum_squares_) mean_square += s > 0.0 ? s / static_cast<double>(frames_) : 1e-30;
  mean_square /= static_cast<double>(channels_);
  if (10.0 * std::log10(std::max(mean_square, 1e-30)) <= kSilenceFloorDb) return {{"samples", "is digital silence"}};
  return {};
}

SpecErrors check_input(const std::vector<std::vector<float>>& channels, double sample_rate_hz) {
  SpecErrors errors = check_input_format(sample_rate_hz, static_cast<int>(channels.size()));
  if (!errors.empty()) return errors;
  const std::size_t frames = channels.front().size();
  for (const auto& c : channels) {
    if (c.size() != frames) return {{"frames", "has channels of different lengths"}};
  }
  InputChecker checker(static_cast<int>(channels.size()));
  std::vector<float> block;
  constexpr std::size_t kBlock = 4096;
  const std::size_t ch = channels.size();
  for (std::size_t start = 0; start < frames; start += kBlock) {
    const std::size_t n = std::min(kBlock, frames - start);
    block.resize(n * ch);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t c = 0; c < ch; ++c) block[i * ch + c] = channels[c][start + i];
    errors = checker.add(block.data(), static_cast<std::int64_t>(n));
    if (!errors.empty()) return errors;
  }
  return checker.finish();
}

}  // namespace earshot
