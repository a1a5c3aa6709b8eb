#pragma once
// SII's inputs from the things earshot has: calibrated signals and a listener's ear, and the SII
// per ear of a listener from them (SiiRequest), the one place every front end scores it.
#include <array>
#include <cstddef>
#include <optional>
#include <vector>

#include "dsp/speech_level.hpp"
#include "model/listener.hpp"
#include "metrics/sii.hpp"

namespace earshot {

// Equivalent spectrum levels (dB SPL per Hz) of a calibrated signal in a procedure's bands: the
// band's mean-square power over the whole signal, from its Welch-averaged long-term spectrum
// (metrics/long_term_spectrum.hpp), divided by its width.
// `level_offset_db` is added (e.g. -10 lg(activity) to turn a speech file's long-term spectrum
// into the spectrum of its active speech, as ANSI S3.5's speech spectra are).
std::vector<double> sii_spectrum_levels(const float* samples, std::size_t count, double sample_rate_hz,
                                        double calibration_db_spl, SiiProcedure procedure, double level_offset_db = 0.0);

// An ear as SII sees it (ANSI S3.5-1997 4.4 and Annex A): the equivalent hearing threshold T' is the
// sensorineural loss at the band centres; a conductive part attenuates speech and noise alike
// before they reach the cochlea (subtract `conductive_db` from E' and N').
struct SiiEar {
  std::vector<double> threshold_db_hl;
  std::vector<double> conductive_db;
};
SiiEar sii_ear(const EarProfile& ear, SiiProcedure procedure);

// Overall level of ANSI S3.5-1997's standard speech at each vocal effort (Table 3 notes), dB SPL.
double effort_level_db_spl(VocalEffort effort);

// A calibrated signal: one channel (both ears) or two (left, right), of equal length.
struct SiiSignal {
  std::vector<const float*> channels;
  std::size_t frames = 0;
  double sample_rate_hz = 0.0;
  std::optional<double> calibration_db_spl;  // a digital RMS of 1.0 is this many dB SPL
  std::optional<double> level_db_spl;        // noise only: or its long-term level, dB SPL
  // Speech only: each channel's P.56 levels (dsp/speech_level.hpp) when the caller has measured
  // them already (a render's first pass does), so that they are not measured again; empty: measured here.
  std::vector<SpeechLevel> levels;
};

// The SII for a listener, per ear (ANSI S3.5-1997): speech as a signal (with its calibration, see
// engine/calibration.hpp) or the standard speech spectrum of a vocal effort; in quiet or in a noise
// signal, whose calibration is its own long-term level, or its own calibration, or the speech's.
// Speech spectra are those of speech while it is going on (the standard's): a signal's long-term
// spectrum raised by its P.56 activity factor. Each ear's conductive part takes off speech and noise
// alike. Errors: "listener.left"/"listener.right" (an implant: the SII is acoustic; unless
// acoustic_ears_only), "speech" (no active speech), "effort", "noise" (digital silence),
// "noise.level_db_spl" (no level for the noise); anything else is the SII's own check of its inputs.
struct SiiRequest {
  std::optional<SiiSignal> speech;   // or:
  std::optional<VocalEffort> effort;
  std::optional<SiiSignal> noise;    // quiet without
  Listener listener;
  SiiProcedure procedure = SiiProcedure::third_octave;
  // A listener with an implanted ear is refused (the caller asked for an SII it cannot have),
  // unless this is set: then the acoustic ears are scored and an implanted ear is left unscored
  // (SiiEarScore::applies false), for a caller that scores each ear in its own way (the report).
  bool acoustic_ears_only = false;
};
// Whether the SII applies to an ear. ANSI S3.5-1997 rates how much speech is audible to acoustic
// hearing from thresholds and levels at the eardrum; it has no account of electric hearing, so an
// ear with a cochlear implant (electric, or electric-acoustic: its high frequencies are electric)
// has no SII. Such an ear is scored by what it hears, with STOI/ESTOI (metrics/stoi.hpp).
bool sii_applies(const EarProfile& ear);

struct SiiEarScore {
  bool applies = true;                     // false: an implanted ear, not scored (sii 0, no band audibility)
  double sii = 0.0;
  std::vector<double> band_audibility;
  std::vector<double> speech_spectrum_db;  // E' at this ear, after its conductive part (also where the SII does not apply)
};
struct SiiScores {
  double speech_level_db_spl = 0.0;              // active speech level (or the effort's overall level)
  std::optional<double> speech_calibration_db_spl;
  std::optional<double> noise_level_db_spl;      // long-term
  std::optional<double> noise_calibration_db_spl;
  std::vector<double> band_centre_hz;
  std::array<SiiEarScore, 2> ears;               // left, right
};
Result<SiiScores> score_sii(const SiiRequest& request);

}  // namespace earshot
