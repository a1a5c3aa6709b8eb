#pragma once
// HASPI v2 (Kates & Arehart 2021) and HASQI v2 (Kates & Arehart 2014) of each ear of a listener,
// for a speech in a noise, with each ear's aid in front of it or not, as the Clarity challenges
// define them (Barker et al. 2022, "The 1st Clarity Prediction Challenge", Interspeech; pyclarity's
// recipes): the reference is the clean speech as it reaches the ear, at its level; the processed
// signal is what arrives at the ear BEFORE the ear: unaided, the speech and the noise together;
// aided, the aid's output for them (the aid processes speech + noise, as it does in use). The
// indices model the listener's loss themselves from the audiogram (metrics/kates_ear_model), so
// they are never given earshot's own impaired-ear render. Which condition is scored is the
// listener's: an ear wearing an aid is scored aided, an ear without one unaided (take the aids
// off with engine/aided_speech_and_noise.hpp's without_aids for the unaided scores).
//
// An implanted ear (electric-acoustic too) is not scored: HASPI's and HASQI's ear model is
// acoustic (metrics/haspi.hpp, haspi_applies). Offline, allocates; double precision.
//
// Cost, and the excerpt that bounds it: each index is one pass of Kates' ear model over the pair
// at 24 kHz. Both together, for one ear and one condition, took 7.5 s of CPU and 1.7 GB of memory
// at their peak for 60 s of 16 kHz speech when HASQI kept all 32 bands' basilar-membrane signals;
// with the ear model band by band (metrics/kates_ear_model.hpp) a 60 s pair still peaks near
// 465 MB and costs seconds of CPU, so only the first kHearingAidIndicesMaxSeconds are scored. The indices were fitted on single sentences (Kates &
// Arehart 2014, 2021: IEEE and HINT sentences of 2 to 3 s) and the Clarity challenges score scenes
// of a few seconds, so an excerpt of several sentences is what they are made for.
#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/listener.hpp"

namespace earshot {

struct IndexScore {
  std::optional<double> value;  // none: not scored
  std::string not_scored;       // why not, when there is no value ("the right ear hears through a cochlear implant ...")
};

struct EarHearingAidIndices {
  IndexScore haspi_v2;  // intelligibility, 0 ... 1
  IndexScore hasqi_v2;  // quality, 0 ... 1
};

// The excerpt scored: the first 10 s (reference and processed alike). The aid still runs from the
// start with its state, and past the excerpt's end by a second so its latency is filled with the
// input that follows, as in the whole: its output over the excerpt is its output for the whole.
inline constexpr double kHearingAidIndicesMaxSeconds = 10.0;

struct HearingAidIndicesInput {
  // One channel (both ears) or two (left, right), on one digital scale whose calibration is
  // calibration_db_spl (a digital RMS of 1.0 is this many dB SPL: the indices' level1, and the
  // aid's knees); each noise channel as long as the speech; noise empty: quiet.
  const std::vector<std::vector<float>>* speech = nullptr;
  const std::vector<std::vector<float>>* noise = nullptr;
  double sample_rate_hz = 0.0;
  double calibration_db_spl = 0.0;
  // The indices' random draws (HASPI's envelope dither, HASQI's threshold noise on the basilar
  // membrane) come from this seed, per input channel that an ear hears (support/seed.hpp:
  // {kSeedHaspiDither, channel} as `earshot score --haspi`, {kSeedHasqiNoise, channel}; channel 0
  // for both ears of a mono input), whatever the ears wear, so that a change from unaided to aided
  // is the aid's and not the draws', and two alike ears hearing one input score alike.
  std::uint64_t seed = 1;
  double max_seconds = kHearingAidIndicesMaxSeconds;  // the excerpt: the first this many seconds
};

// The frames an input of `frames` frames has scored: all of them, or the excerpt's.
std::size_t hearing_aid_indices_frames(std::size_t frames, double sample_rate_hz, double max_seconds = kHearingAidIndicesMaxSeconds);

// Each ear's HASPI v2 and HASQI v2 (left, right). A pair the ear model refuses (a speech that is
// silent to it, too short) is not scored, with the model's reason, rather than failing: the other
// scores still stand. When both ears are alike (Listener::symmetric) and the input is mono, one ear
// is scored and stands for both.
std::array<EarHearingAidIndices, 2> hearing_aid_indices(const Listener& listener, const HearingAidIndicesInput& input);

}  // namespace earshot
