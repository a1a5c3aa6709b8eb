#include "model/frequency_allocation.hpp"

#include <cmath>

#include "audiology/cochlear_place.hpp"

namespace earshot {

std::vector<double> nucleus_band_edges() {
  static constexpr int kBinsPerBand[22] = {1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8};
  constexpr double kBinHz = 125.0;
  std::vector<double> edges{1.5 * kBinHz};
  double bins = 1.5;
  for (int n : kBinsPerBand) {
    bins += n;
    edges.push_back(bins * kBinHz);
  }
  return edges;
}

std::vector<double> advanced_bionics_band_edges() {
  return {250, 416, 494, 587, 697, 828, 983, 1168, 1387, 1648, 1958, 2326, 2762, 3281, 3898, 4630, 8700};
}

std::vector<double> medel_band_edges() {
  return {100, 175, 303, 476, 701, 998, 1390, 1907, 2614, 3531, 4798, 6451, 8500};
}

std::vector<double> spaced_band_edges(BandSpacing spacing, double low_hz, double high_hz, int bands) {
  std::vector<double> edges(bands + 1);
  for (int i = 0; i <= bands; ++i) {
    const double t = static_cast<double>(i) / bands;
    switch (spacing) {
      case BandSpacing::greenwood: {
        const double lo = greenwood_depth_mm(low_hz), hi = greenwood_depth_mm(high_hz);
        edges[i] = greenwood_frequency_hz(lo + t * (hi - lo));
        break;
      }
      case BandSpacing::logarithmic: edges[i] = low_hz * std::pow(high_hz / low_hz, t); break;
      case BandSpacing::linear: edges[i] = low_hz + t * (high_hz - low_hz); break;
    }
  }
  edges.front() = low_hz;
  edges.back() = high_hz;
  return edges;
}

bool parse_band_spacing(std::string_view text, BandSpacing& out) {
  if (text == "greenwood") out = BandSpacing::greenwood;
  else if (text == "log" || text == "logarithmic") out = BandSpacing::logarithmic;
  else if (text == "linear") out = BandSpacing::linear;
  else return false;
  return true;
}

}  // namespace earshot
