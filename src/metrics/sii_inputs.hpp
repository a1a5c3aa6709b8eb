#pragma once
// SII's inputs from the things earshot has: calibrated signals and a listener's ear.
#include <cstddef>
#include <vector>

#include "model/listener.hpp"
#include "metrics/sii.hpp"

namespace earshot {

// Equivalent spectrum levels (dB SPL per Hz) of a calibrated signal in a procedure's bands: the
// band's mean-square power over the whole signal, by FFT band summation, divided by its width.
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

}  // namespace earshot
