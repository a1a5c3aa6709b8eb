#pragma once
// How an input's channels reach the two ears, for every front end that reads files with more
// than two channels: mono (both ears hear it) and stereo (left, right) pass as they are; 5.1 and
// 7.1 are downmixed to two channels by ITU-R BS.775 (Recommendation BS.775-3, 2012, Table 2: the
// 3/2 to 2/0 downmix):
//     left  = L + 0.7071 C + 0.7071 Ls          right = R + 0.7071 C + 0.7071 Rs
// The centre and each surround enter at -3 dB (1/sqrt 2: a centre phantom image keeps its power
// across the two ears). The LFE channel is dropped, as BS.775 leaves it out of the downmix. 7.1
// (3/4) takes its side and back surrounds likewise: left = L + 0.7071 (C + Ls + Lb), and so on.
// Any other count of channels is refused: there is no agreed rule for it to reach two ears.
//
// Channel order, where the file gives none: the order WAV (WAVE_FORMAT_EXTENSIBLE's default
// masks 0x3F and 0x63F), FLAC and SMPTE ST 2036-2 use: 5.1 = L R C LFE Ls Rs, 7.1 = L R C LFE
// Lb Rb Ls Rs. A file that does give its speakers is downmixed by those.
#include <cstdint>
#include <string>
#include <vector>

#include "support/spec_error.hpp"

namespace earshot {

// `other`: a position a file names that is none of these (a height or wide channel).
enum class Speaker { left, right, centre, lfe, left_surround, right_surround, left_back, right_back, other };

// 6 and 8 channels: the order above. Other counts: empty.
std::vector<Speaker> default_speaker_order(int channels);

struct EarDownmix {
  int input_channels = 1;
  int output_channels = 1;      // 1 (mono: both ears) or 2 (left, right)
  std::vector<float> gains;     // input_channels x output_channels, row per input channel
  bool passthrough = true;      // mono or stereo: the samples as they are
  std::string description;      // "" for mono and stereo; otherwise what was done, for a summary line
};

// `speakers` empty: default_speaker_order(channels). Errors name "channels" (a count with no
// rule) or "speakers" (a layout that is not 5.1 or 7.1).
Result<EarDownmix> ear_downmix(int channels, const std::vector<Speaker>& speakers = {});

// Interleaved `input_channels` frames to interleaved `output_channels` frames. Every input
// sample enters the sum (a dropped LFE with gain 0 too), so a NaN or infinity anywhere still
// reaches the input check after the downmix.
void apply_ear_downmix(const EarDownmix& downmix, const float* in, std::int64_t frames, float* out);

}  // namespace earshot
