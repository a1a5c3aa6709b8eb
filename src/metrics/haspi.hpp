#pragma once
// HASPI v2, the Hearing-Aid Speech Perception Index version 2 (Kates & Arehart 2021, "The
// Hearing-Aid Speech Perception Index (HASPI) Version 2", Speech Communication 131:35-46): how much
// of a clean reference's intelligibility survives in a processed signal for a listener with a given
// audiogram. Both signals go through Kates' auditory model (metrics/kates_ear_model; the reference
// with normal hearing, the processed signal with the loss); each band's dB envelope is smoothed and
// sampled at 2560 Hz; at every instant the 32 band levels are reduced to cepstral coefficients 1..5
// (the spectral shape), a 0.1 dB dither added; each coefficient's time course is split by ten
// modulation filters (2 to 256 Hz); the reference's and processed signal's filtered courses are
// correlated, giving ten correlations (one per modulation filter, averaged over the coefficients);
// an ensemble of ten small neural networks maps them to an intelligibility between 0 and 1.
// Offline, double precision. Matches pyclarity's haspi_v2 (v0.9, commit 9df6486f), against which
// ../shared/oracles/haspi was made, up to the dither's random draws.
#include <array>
#include <vector>

#include "audiology/audiogram.hpp"
#include "model/listener.hpp"
#include "support/random_source.hpp"
#include "support/spec_error.hpp"

namespace earshot {

struct HaspiV2Score {
  double intelligibility = 0.0;                    // the index, 0 ... 1 (about 0.99999 for identical signals)
  std::array<double, 10> modulation_correlations{};  // the networks' inputs, modulation filters 2 ... 256 Hz
};

// HASPI models acoustic hearing: an ear with a cochlear implant is not scored (as the SII's
// sii_applies; an EAS ear's acoustic part is not scored either, for want of a model of the mix).
bool haspi_applies(const EarProfile& ear);

// The audiogram at HASPI's six frequencies (250, 500, 1000, 2000, 4000, 6000 Hz), read as
// pyclarity's Audiogram.resample reads it: linear in dB over log frequency, held beyond the ends.
std::array<double, 6> haspi_audiogram_db_hl(const Audiogram& air_db_hl);

// reference (clean) and processed at their own rates; level1_db_spl the level of a digital RMS of 1
// (earshot's --calibration; HASPI's own convention is 65 dB SPL for a reference of RMS 1).
// random draws the envelope dither. Errors: the ear model's, and a reference with less than two
// envelope samples above HASPI's 2.5 dB SL threshold.
Result<HaspiV2Score> haspi_v2(const std::vector<double>& reference, double reference_rate_hz,
                              const std::vector<double>& processed, double processed_rate_hz,
                              const std::array<double, 6>& audiogram_db_hl, double level1_db_spl, RandomSource& random);

// The ensemble network alone: ten modulation correlations to the index (for its tests).
double haspi_v2_network(const std::array<double, 10>& modulation_correlations);

}  // namespace earshot
