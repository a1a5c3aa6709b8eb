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
// acoustic (metrics/haspi.hpp, haspi_applies). Offline, allocates; double precision. Each index
// costs one pass of the ear model over the pair (about 0.3 s of CPU for 6 s of 16 kHz speech for
// HASPI; HASQI adds the basilar-membrane outputs).
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/listener.hpp"

namespace earshot {

struct HearingAidIndex {
  std::optional<double> value;  // none: not scored
  std::string not_scored;       // why not, when there is no value ("the right ear hears through a cochlear implant ...")
};

struct EarHearingAidIndices {
  HearingAidIndex haspi_v2;  // intelligibility, 0 ... 1
  HearingAidIndex hasqi_v2;  // quality, 0 ... 1
};

struct HearingAidIndicesInput {
  // One channel (both ears) or two (left, right), on one digital scale whose calibration is
  // calibration_db_spl (a digital RMS of 1.0 is this many dB SPL: the indices' level1, and the
  // aid's knees); each noise channel as long as the speech; noise empty: quiet.
  const std::vector<std::vector<float>>* speech = nullptr;
  const std::vector<std::vector<float>>* noise = nullptr;
  double sample_rate_hz = 0.0;
  double calibration_db_spl = 0.0;
  // The indices' random draws (HASPI's envelope dither, HASQI's threshold noise on the basilar
  // membrane) come from this seed, per ear (support/seed.hpp: {kSeedHaspiDither, ear} as
  // `earshot score --haspi`, {kSeedHasqiNoise, ear}), the same for both conditions, so that a
  // change from unaided to aided is the aid's and not the draws'.
  std::uint64_t seed = 1;
};

// Each ear's HASPI v2 and HASQI v2 (left, right). A pair the ear model refuses (a speech that is
// silent to it, too short) is not scored, with the model's reason, rather than failing: the other
// scores still stand. When both ears are alike (Listener::symmetric) and the input is mono, one ear
// is scored and stands for both.
std::array<EarHearingAidIndices, 2> hearing_aid_indices(const Listener& listener, const HearingAidIndicesInput& input);

}  // namespace earshot
