#pragma once
// The cochlear parameters of Kates' auditory model (Kates 2013, "An auditory model for
// intelligibility and quality predictions", Proc. Meetings on Acoustics 19, 050184; the model
// inside HASPI v2, Kates & Arehart 2021, and HASQI v2, Kates & Arehart 2014): where its auditory
// filters sit, and how an audiogram's loss is shared between the outer hair cells (lost gain and
// compression, wider filters) and the inner hair cells (plain attenuation).
#include <array>
#include <optional>
#include <vector>

namespace earshot {

// The six audiometric frequencies the model takes its audiogram at.
inline constexpr std::array<double, 6> kKatesAudiogramFrequenciesHz = {250.0, 500.0, 1000.0, 2000.0, 4000.0, 6000.0};

// Centre frequencies of `bands` gammatone filters from 80 Hz to 8 kHz, equally spaced on the ERB
// scale (Glasberg & Moore; spacing as Slaney 1993, Apple TR 35, computes it), lowest first.
// basal_shift: the span moved along the basilar membrane by this fraction of its length through
// Greenwood's (1990) frequency-place map (positive: towards the base, higher frequencies).
std::vector<double> kates_centre_frequencies_hz(int bands, std::optional<double> basal_shift = std::nullopt);

// Per band (one entry per centre frequency).
struct KatesLossParameters {
  std::vector<double> ohc_attenuation_db;   // the outer hair cells' share of the loss (lost gain)
  std::vector<double> bandwidth_factor;     // filter bandwidth relative to a normal ear's (>= 1)
  std::vector<double> low_knee_db_spl;      // below it the compressor is linear
  std::vector<double> compression_ratio;    // above the knee (1.25:1 at 80 Hz to 3.5:1 at 8 kHz, normal)
  std::vector<double> ihc_attenuation_db;   // the inner hair cells' share
};

// The loss at each centre frequency is interpolated linearly in Hz between the audiogram's six
// thresholds (held flat beyond them; negative thresholds count as 0 dB). At most 80 % of it, and no
// more than 1.25 times the compressor's full range, goes to the outer hair cells; the rest to the
// inner hair cells (Kates 2013, section II.C).
KatesLossParameters kates_loss_parameters(const std::array<double, 6>& audiogram_db_hl, const std::vector<double>& centre_frequencies_hz);

}  // namespace earshot
