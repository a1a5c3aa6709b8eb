#pragma once
// A hearing aid's settings on one ear, as a user gives them: which prescription sets its gains
// (audiology/prescription.hpp) and, optionally, wide-dynamic-range compression with an output
// limiter, and single-channel noise reduction. The aid sits in front of the ear's model and amplifies the free-field sound by the
// prescribed real-ear insertion gain (hearing_aid/). Plain data; validate() checks the ranges.
#include <optional>
#include <string>

#include "audiology/prescription.hpp"
#include "support/spec_error.hpp"

namespace earshot {

// Syllabic (fast-acting) compression: attack 5 ms and release 50 ms, as ANSI S3.22 measures them.
// Moore (2008, Trends Amplif 12(2):103-112) calls compression with release times up to about 200 ms
// fast-acting; 5 ms / 50 ms are the attack and release of the BTNRH/Tympan WDRC fitting presets
// (Tympan_Library, WDRC_NBand presets), and within the ranges Dillon (2012, Hearing Aids, 2nd ed.,
// ch. 6) gives for syllabic compressors.
inline constexpr double kDefaultAttackMs = 5.0;
inline constexpr double kDefaultReleaseMs = 50.0;
// What the settings accept: an attack below 1 ms is a limiter, not a compressor; a release above
// 5 s is an automatic volume control. MPO: 80 dB SPL would leave no room for conversational
// speech; above 140 dB SPL no aid delivers and the level injures.
inline constexpr double kMinAttackMs = 1.0, kMaxAttackMs = 500.0;
inline constexpr double kMinReleaseMs = 10.0, kMaxReleaseMs = 5000.0;
inline constexpr double kMinMpoDbSpl = 80.0, kMaxMpoDbSpl = 140.0;
// Noise reduction's gain floor: the most it attenuates a bin. -12 dB, within the 10-12 dB that
// hearing aids' noise reduction gives at most (Bentler & Chiou 2006, Trends Amplif 10:67-82), and
// low enough to keep musical noise masked (hearing_aid/noise_reduction.hpp). Limits: above -3 dB
// it would hardly reduce anything; below -30 dB the residual noise turns into musical noise.
inline constexpr double kDefaultNrFloorDb = -12.0;
inline constexpr double kMinNrFloorDb = -30.0, kMaxNrFloorDb = -3.0;

struct AidSettings {
  AidSettings() = default;
  AidSettings(PrescriptionRule rule) : prescription(rule) {}  // NOLINT: AidSettings{rule} is a linear aid
  // A linear aid gives the rule's gain at every input level; for a compressive rule (fig6) that
  // is its 65 dB SPL (conversational speech) row.
  PrescriptionRule prescription = PrescriptionRule::nal_r;
  // Wide-dynamic-range compression ("wdrc"): gains per band that follow the rule's input levels
  // (fig6), or the rule's 65 dB SPL gain with a 2:1 ratio above a 40 dB SPL knee for a linear rule
  // (hearing_aid/compression_curve.hpp), and an output limiter at mpo_db_spl.
  bool compression = false;
  double attack_ms = kDefaultAttackMs;    // ANSI S3.22: 55 -> 90 dB SPL, output within 3 dB
  double release_ms = kDefaultReleaseMs;  // ANSI S3.22: 90 -> 55 dB SPL, output within 4 dB
  // Maximum power output, dB SPL (the output level of a tone the limiter holds the aid to); unset:
  // from the ear's loss (hearing_aid/maximum_output.hpp).
  std::optional<double> mpo_db_spl;
  // Single-channel noise reduction ("nr") in front of the equaliser or compressor: a log-spectral
  // amplitude estimator never attenuating by more than nr_floor_db (hearing_aid/noise_reduction.hpp).
  bool noise_reduction = false;
  double nr_floor_db = kDefaultNrFloorDb;
  bool operator==(const AidSettings&) const = default;
};

// Every setting out of its range, each naming `field` + ".attack_ms" etc.
SpecErrors validate(const AidSettings& aid, const std::string& field);

}  // namespace earshot
