#pragma once
// Frequency allocation tables: which band of sound each electrode carries.
#include <string_view>
#include <vector>

namespace earshot {

// Cochlear Nucleus default table for 22 channels (188-7938 Hz): 125 Hz FFT bins at 16 kHz, one
// bin per band up to 1.3 kHz then widening (bins per band 1x9, 2x4, 3x2, 4x2, 5x2, 6, 7, 8); the
// edges fall half-way between bins ((1.5 + bins so far) x 125 Hz). Swanson's Nucleus MATLAB
// Toolbox (FFT_band_bins) and the CCi-MOBILE research platform's default map.
std::vector<double> nucleus_band_edges();

// Advanced Bionics HiRes 16-channel default (250-8700 Hz), as tabulated in Winn's CI simulation
// scripts (github.com/mwinn83).
std::vector<double> advanced_bionics_band_edges();

// MED-EL 12-channel default (100-8500 Hz, logarithmic), as tabulated in Winn's CI simulation scripts.
std::vector<double> medel_band_edges();

enum class BandSpacing { greenwood, logarithmic, linear };

// `bands` + 1 edges from low_hz to high_hz, equally spaced in cochlear place (Greenwood 1990, the
// usual vocoder choice: Friesen et al. 2001), in log frequency, or in Hz.
std::vector<double> spaced_band_edges(BandSpacing spacing, double low_hz, double high_hz, int bands);

bool parse_band_spacing(std::string_view text, BandSpacing& out);

}  // namespace earshot
