#pragma once
// A hearing aid for one ear, designed from its settings and the ear's audiogram: the prescription
// (audiology/prescription.hpp) turned into a linear-phase equaliser that gives the prescribed
// real-ear insertion gain, and with compression on, the equaliser split into compressor bands with
// an output limiter (multiband_compressor_design.hpp); with noise reduction on, that in front
// (noise_reduction.hpp). Pure (allocates); the plan is immutable and
// shared with the processor.
#include <memory>
#include <optional>
#include <vector>

#include "audiology/prescription.hpp"
#include "hearing_aid/multiband_compressor_design.hpp"
#include "hearing_aid/noise_reduction.hpp"
#include "model/aid_settings.hpp"

namespace earshot {

// The equaliser's length: 16 ms. A linear-phase FIR of this length delays by 8 ms, within the
// 5-10 ms of digital aids (Stone & Moore 1999, Ear Hear 20:182-192, found delays up to ~10 ms
// tolerable), and is long enough to follow NAL-R's steepest step (250 to 500 Hz) once its design
// points are corrected (below); Clarity's 5 ms filter misses its 250 Hz target by up to 7 dB
// (../shared/oracles/nalr README).
inline constexpr double kAidFilterMs = 16.0;
// Designs of the equaliser, each through points corrected by the last one's error at the
// prescribed frequencies (hearing_aid_design.cpp); four corrections bring a 16 ms filter within
// a few hundredths of a dB of NAL-R's steepest bass cut.
inline constexpr int kAidDesignPasses = 4;

struct HearingAidPlan {
  AidSettings settings;
  Prescription prescription;
  double sample_rate_hz = 0.0;
  std::vector<float> equaliser_taps;  // linear phase, odd length
  // (taps - 1) / 2, with or without the compressor; plus the noise reduction's window less one
  // frame when it is on (it runs first, in series).
  int latency_frames = 0;
  // With settings.compression: the compressor, whose bands sum to the equaliser (which then is
  // not run on its own).
  std::optional<MultibandCompressorPlan> compressor;
  // With settings.noise_reduction: run before the equaliser or compressor (noise reduced, then
  // amplified and compressed, as aids do: the compressor would otherwise lift the noise in the
  // gaps of speech before it could be told apart). Shared with the processor.
  std::shared_ptr<const NoiseReductionPlan> noise_reduction;
};

// `calibration_db_spl` (a digital RMS of 1.0 is this many dB SPL) places the compressor's knees
// and MPO on the signal's digital scale; a linear aid does not need it.
HearingAidPlan design_hearing_aid(const AidSettings& settings, const Audiogram& air_db_hl, double sample_rate_hz,
                                  double calibration_db_spl = 100.0);

}  // namespace earshot
