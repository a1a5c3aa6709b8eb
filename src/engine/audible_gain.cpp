#include "engine/audible_gain.hpp"

#include <algorithm>

namespace earshot {

namespace {
constexpr double kSilentDb = -299.0;  // dsp/speech_level.hpp's floor: "no signal"
}

AudibleGain audible_gain(const SpeechLevel& input, const SpeechLevel& output) {
  if (output.long_term_db <= kSilentDb || input.long_term_db <= kSilentDb) return {0.0, false};
  const bool active = !input.silent && !output.silent && input.active_db > kSilentDb && output.active_db > kSilentDb;
  const double gain = active ? input.active_db - output.active_db : input.long_term_db - output.long_term_db;
  return {std::min(gain, kMaxAudibleGainDb), active};
}

}  // namespace earshot
