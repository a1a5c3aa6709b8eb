#pragma once
// Loudness recruitment as a pure dB -> dB gain computer (envelope expansion), after
// Moore & Glasberg (1993), "Simulation of the effects of loudness recruitment and threshold
// elevation on the intelligibility of speech in quiet and in a background of speech",
// J. Acoust. Soc. Am. 94:2050-2062.
//
// In a band whose normal threshold is T0 and impaired (sensorineural) threshold T = T0 + HL, the
// level L (dB SPL) is mapped so that T goes to T0 and the catch-up level C goes to C:
//     L_out = C - k (C - L),   k = (C - T0) / (C - T)   (expansion ratio, dB/dB)
// i.e. a gain of (k - 1)(L - C) dB below C and 0 dB at or above C. A tone at T is just audible to a
// normal listener after processing; 10 dB below T it is k*10 dB below T0.

namespace earshot {

struct RecruitmentLaw {
  double expansion_ratio = 1.0;   // k, dB out per dB in below catch-up
  double catch_up_db_spl = 105.0; // C: above this level the impaired ear hears normally
};

// Default catch-up level: 105 dB SPL, as used by Moore & Glasberg's simulations (and MSBG).
inline constexpr double kDefaultCatchUpDbSpl = 105.0;

// Where the sensorineural threshold comes within this of the catch-up level, catch-up is raised to
// keep the expansion ratio finite (profound losses): C = max(C, T + margin).
inline constexpr double kMinimumRecruitmentRangeDb = 5.0;

RecruitmentLaw recruitment_law(double normal_threshold_db_spl, double sensorineural_loss_db_hl,
                               double catch_up_db_spl = kDefaultCatchUpDbSpl);

// Gain in dB for an input level: (k - 1) min(L - C, 0).
inline double recruitment_gain_db(const RecruitmentLaw& law, double level_db_spl) {
  const double below = level_db_spl - law.catch_up_db_spl;
  return below < 0.0 ? (law.expansion_ratio - 1.0) * below : 0.0;
}

// The law and its gain in one step, in float, for loops over many components that vectorise (no
// branch: min/max). Same law as recruitment_law + recruitment_gain_db, in float arithmetic.
[[gnu::always_inline]] inline float recruitment_gain_db(float normal_threshold_db_spl, float sensorineural_loss_db_hl,
                                                        float catch_up_db_spl, float level_db_spl) noexcept {
  const float impaired = normal_threshold_db_spl + sensorineural_loss_db_hl;
  const float lowest_catch_up = impaired + static_cast<float>(kMinimumRecruitmentRangeDb);
  const float catch_up = catch_up_db_spl > lowest_catch_up ? catch_up_db_spl : lowest_catch_up;
  const float expansion_ratio = (catch_up - normal_threshold_db_spl) / (catch_up - impaired);
  const float below = level_db_spl - catch_up;
  return (expansion_ratio - 1.0f) * (below < 0.0f ? below : 0.0f);
}

}  // namespace earshot
