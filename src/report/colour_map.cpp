#include "report/colour_map.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace earshot {
namespace {

// Green (2011), eq. 2: start colour 0.5 (purple-blue), -1.5 rotations (through blue, green and
// red to white), hue 1.2 (a little more saturated than the paper's 1.0) and gamma 1. With these the
// L* of the map rises monotonically from 0 to 100, by at least 0.2 at every 1/128 of it once
// rounded to bytes (tests/chart_test.cpp measures it).
constexpr double kStart = 0.5, kRotations = -1.5, kHue = 1.2, kGamma = 1.0;

std::uint8_t to_byte(double v) { return static_cast<std::uint8_t>(std::lround(255.0 * std::clamp(v, 0.0, 1.0))); }

double srgb_to_linear(double v) { return v <= 0.04045 ? v / 12.92 : std::pow((v + 0.055) / 1.055, 2.4); }

}  // namespace

Rgb8 cubehelix_colour(double fraction) {
  const double f = std::clamp(fraction, 0.0, 1.0);
  const double lambda = std::pow(f, kGamma);
  // The helix's amplitude: zero at black and white, largest half way.
  const double amplitude = kHue * lambda * (1.0 - lambda) / 2.0;
  const double phi = 2.0 * std::numbers::pi * (kStart / 3.0 + kRotations * f);
  const double c = std::cos(phi), s = std::sin(phi);
  return {to_byte(lambda + amplitude * (-0.14861 * c + 1.78277 * s)), to_byte(lambda + amplitude * (-0.29227 * c - 0.90649 * s)),
          to_byte(lambda + amplitude * (1.97294 * c))};
}

double cie_lightness(Rgb8 colour) {
  const double y = 0.2126 * srgb_to_linear(colour.r / 255.0) + 0.7152 * srgb_to_linear(colour.g / 255.0) +
                   0.0722 * srgb_to_linear(colour.b / 255.0);
  // CIE 1976: L* = 116 f(Y/Yn) - 16, with the linear part below (6/29)^3.
  constexpr double kEpsilon = 216.0 / 24389.0, kKappa = 24389.0 / 27.0;
  const double f = y > kEpsilon ? std::cbrt(y) : (kKappa * y + 16.0) / 116.0;
  return 116.0 * f - 16.0;
}

}  // namespace earshot
