#pragma once
// HASQI v2's linear term (Kates & Arehart 2014, J Audio Eng Soc 62(3):99-117), after
// Moore & Tan (2004, J Audio Eng Soc 52(9):900-914): how far the processed signal's long-term
// spectrum, as the ear model hears it, departs in shape from the reference's. Each band's average
// level in dB SL is turned back into a linear magnitude (close to specific loudness), each
// spectrum is normalised to unit sum (so an overall level change does not count), and the band
// differences and the differences of the band-to-band slopes are summarised.
#include <vector>

namespace earshot {

struct SpectrumDifferenceStats {
  double sum_abs = 0.0;  // sum of |difference| over bands
  double spread = 0.0;   // bands x the (population) standard deviation of the differences
  double max_abs = 0.0;  // largest |difference|
};

struct SpectrumDifference {
  SpectrumDifferenceStats loudness;    // normalised specific-loudness spectra
  SpectrumDifferenceStats normalised;  // the same relative to their sum in each band
  SpectrumDifferenceStats slope;       // differences of adjacent bands (spectral slope)
};

// reference_sl_db, processed_sl_db: one average level per band, dB SL (the ear model's), same size.
SpectrumDifference spectrum_difference(const std::vector<double>& reference_sl_db, const std::vector<double>& processed_sl_db);

}  // namespace earshot
