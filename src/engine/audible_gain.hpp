#pragma once
// `--audible`: not physical. A render keeps the input's digital scale, so what a listener loses in
// loudness stays lost (DESIGN.md, "Levels are physical"): a severe loss (N5) of speech at 68 dB SPL
// comes out near -86 dBFS, too quiet to hear what else the loss does. For a sound designer who
// wants the character of a loss and not only its quietness, each ear's output is given back the
// level its input had: one fixed gain per ear for the whole render (so the loss's own dynamics,
// recruitment and the level differences within the file stay as rendered), which brings the
// output's active speech level (ITU-T P.56) to the input's. Where either has no active speech to
// measure (music with no pauses still has one; a tone burst of a few ms may not), the long-term
// levels are matched instead. An output that is digital silence (a deaf ear) stays silent: gain
// 0 dB. The gain is at most kMaxAudibleGainDb, so the model's noise floor under a near-silent
// render is not raised to full scale.
#include "dsp/speech_level.hpp"

namespace earshot {

inline constexpr double kMaxAudibleGainDb = 100.0;

struct AudibleGain {
  double gain_db = 0.0;
  bool by_active_level = true;  // false: by long-term levels (see above), or none (a silent output)
};

AudibleGain audible_gain(const SpeechLevel& input, const SpeechLevel& output);

}  // namespace earshot
