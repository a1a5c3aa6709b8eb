#include "audiology/cochlear_place.hpp"

#include <algorithm>
#include <cmath>

namespace earshot {
namespace {

// Greenwood (1990) constants for the human cochlea, x in mm from the apex.
constexpr double kGreenwoodA = 165.4;
constexpr double kGreenwoodAPerMm = 0.06;  // 2.1 per cochlear length, over 35 mm
constexpr double kGreenwoodK = 0.88;

// Stakhovskaya et al. (2007), spiral-ganglion frequency (Hz) every 90 degrees from 0 to 720.
constexpr double kGanglionHz[] = {17225, 6193, 3174, 1539, 785, 550, 366, 215, 58};

}  // namespace

double greenwood_frequency_hz(double depth_mm) {
  const double x = kCochlearLengthMm - depth_mm;
  return kGreenwoodA * (std::pow(10.0, kGreenwoodAPerMm * x) - kGreenwoodK);
}

double greenwood_depth_mm(double frequency_hz) {
  const double x = std::log10(frequency_hz / kGreenwoodA + kGreenwoodK) / kGreenwoodAPerMm;
  return kCochlearLengthMm - x;
}

double spiral_ganglion_frequency_hz(double angle_deg) {
  const double a = std::clamp(angle_deg, 0.0, kMaxSpiralGanglionAngleDeg) / 90.0;
  const int i = std::min(static_cast<int>(a), 7);
  const double t = a - i;
  return std::exp((1.0 - t) * std::log(kGanglionHz[i]) + t * std::log(kGanglionHz[i + 1]));
}

const char* to_string(PlaceMap map) {
  return map == PlaceMap::organ_of_corti ? "organ_of_corti" : "spiral_ganglion";
}

}  // namespace earshot
