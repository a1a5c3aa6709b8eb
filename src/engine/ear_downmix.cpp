#include "engine/ear_downmix.hpp"

#include <algorithm>
#include <cmath>

namespace earshot {
namespace {

// ITU-R BS.775-3, Table 2: the centre and surround channels enter each side at 1/sqrt(2).
constexpr float kBs775SideGain = 0.70710678f;

const char* speaker_name(Speaker s) {
  switch (s) {
    case Speaker::left: return "L";
    case Speaker::right: return "R";
    case Speaker::centre: return "C";
    case Speaker::lfe: return "LFE";
    case Speaker::left_surround: return "Ls";
    case Speaker::right_surround: return "Rs";
    case Speaker::left_back: return "Lb";
    case Speaker::right_back: return "Rb";
    case Speaker::other: return "other";
  }
  return "?";
}

}  // namespace

std::vector<Speaker> default_speaker_order(int channels) {
  using S = Speaker;
  if (channels == 6) return {S::left, S::right, S::centre, S::lfe, S::left_surround, S::right_surround};
  if (channels == 8) return {S::left, S::right, S::centre, S::lfe, S::left_back, S::right_back, S::left_surround, S::right_surround};
  return {};
}

Result<EarDownmix> ear_downmix(int channels, const std::vector<Speaker>& given) {
  EarDownmix d;
  d.input_channels = channels;
  if (channels == 1 || channels == 2) {
    d.output_channels = channels;
    d.gains.assign(static_cast<std::size_t>(channels * channels), 0.0f);
    for (int c = 0; c < channels; ++c) d.gains[static_cast<std::size_t>(c * channels + c)] = 1.0f;
    return d;
  }
  if (channels != 6 && channels != 8) {
    return SpecErrors{{"channels", std::to_string(channels) +
                                       " channels: a listener has two ears: give one channel (both ears), two (left, right), "
                                       "or 5.1 or 7.1 (6 or 8 channels, downmixed to the ears by ITU-R BS.775)"}};
  }
  const std::vector<Speaker> speakers = given.empty() ? default_speaker_order(channels) : given;
  // The layout must be exactly 5.1 (L R C LFE Ls Rs) or 7.1 (those and Lb Rb), in any order.
  std::vector<Speaker> expected = default_speaker_order(channels), sorted = speakers;
  std::sort(expected.begin(), expected.end());
  std::sort(sorted.begin(), sorted.end());
  if (sorted != expected) {
    std::string named;
    for (Speaker s : speakers) named += std::string(named.empty() ? "" : " ") + speaker_name(s);
    return SpecErrors{{"speakers", "'" + named + "' is not a 5.1 or 7.1 layout (" + std::string(channels == 6 ? "L R C LFE Ls Rs" :
                                                                                     "L R C LFE Lb Rb Ls Rs") +
                                       " in any order): earshot has no rule to bring it to two ears"}};
  }
  d.output_channels = 2;
  d.passthrough = false;
  d.gains.assign(static_cast<std::size_t>(channels * 2), 0.0f);
  std::string order;
  for (int c = 0; c < channels; ++c) {
    float* row = &d.gains[static_cast<std::size_t>(c * 2)];
    switch (speakers[static_cast<std::size_t>(c)]) {
      case Speaker::left: row[0] = 1.0f; break;
      case Speaker::right: row[1] = 1.0f; break;
      case Speaker::centre: row[0] = row[1] = kBs775SideGain; break;
      case Speaker::lfe: break;  // dropped (BS.775 leaves the LFE out of the downmix)
      case Speaker::left_surround:
      case Speaker::left_back: row[0] = kBs775SideGain; break;
      case Speaker::right_surround:
      case Speaker::right_back: row[1] = kBs775SideGain; break;
      case Speaker::other: break;  // refused above
    }
    order += std::string(order.empty() ? "" : " ") + speaker_name(speakers[static_cast<std::size_t>(c)]);
  }
  d.description = std::string(channels == 6 ? "5.1" : "7.1") + " (" + order + ") downmixed to the two ears by ITU-R BS.775: " +
                  (channels == 6 ? "L + 0.7071 C + 0.7071 Ls, R + 0.7071 C + 0.7071 Rs"
                                 : "L + 0.7071 (C + Ls + Lb), R + 0.7071 (C + Rs + Rb)") +
                  "; LFE dropped";
  return d;
}

void apply_ear_downmix(const EarDownmix& d, const float* in, std::int64_t frames, float* out) {
  const int ci = d.input_channels, co = d.output_channels;
  for (std::int64_t i = 0; i < frames; ++i) {
    const float* x = in + i * ci;
    float* y = out + i * co;
    for (int o = 0; o < co; ++o) {
      float sum = 0.0f;
      // In channel order, each term exactly g * x: a C-only input gives 0.70710678f * C at both ears.
      for (int c = 0; c < ci; ++c) sum += d.gains[static_cast<std::size_t>(c * co + o)] * x[c];
      y[o] = sum;
    }
  }
}

}  // namespace earshot
