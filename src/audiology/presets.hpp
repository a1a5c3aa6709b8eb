#pragma once
// Audiogram presets from standards and papers. Each returns dB HL at the standard's frequencies.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "audiology/audiogram.hpp"

namespace earshot {

// Bisgaard, Vlaming & Dahlquist (2010), "Standard audiograms for the IEC 60118-15 measurement
// procedure", Trends in Amplification 14(2):113-120: N1-N7 (flat and moderately sloping) and
// S1-S3 (steep sloping). Name is case-insensitive ("n3", "S2").
struct BisgaardAudiogram {
  const char* name;
  const char* description;
  Audiogram audiogram;
};
std::optional<BisgaardAudiogram> bisgaard_audiogram(std::string_view name);
const std::vector<BisgaardAudiogram>& bisgaard_audiograms();

enum class Sex { male, female };

// ISO 7029:2017, "Statistical distribution of hearing thresholds related to age and gender":
// the threshold of otologically normal people aged `age_years` (18...100) at fractile `fraction_worse`
// (the share of the population with a worse threshold; 0.5 = median, 0.1 = "p90"), at 125..8000 Hz.
Audiogram iso7029_audiogram(double age_years, Sex sex, double fraction_worse = 0.5);

// ISO 1999:2013, "Estimation of noise-induced hearing loss": NIPTS for a daily 8-hour equivalent
// exposure level (dB(A)) over `years` of exposure, at fractile `fraction_worse`, combined with the
// ISO 7029 age-related threshold (database A): H' = H + N - H N / 120. At 125..8000 Hz (NIPTS is
// defined at 500..6000 Hz and taken as 0 below 500 Hz and as the 6000 Hz value at 8000 Hz).
Audiogram iso1999_audiogram(double exposure_db_a, double years, double age_years, Sex sex,
                            double fraction_worse = 0.5);

// Quantile of the standard normal distribution for the fractiles both standards tabulate.
double normal_quantile_upper(double fraction_worse);

}  // namespace earshot
