#pragma once
// The colour map of every picture earshot draws: Green's (2011) "cubehelix", a helix around the
// grey diagonal of the RGB cube whose brightness rises steadily from black to white, so a picture
// reads the same printed in greyscale and for readers with any colour-vision deficiency.
//   D. A. Green (2011), "A colour scheme for the display of astronomical intensity images",
//   Bulletin of the Astronomical Society of India 39, 289-295 (eq. 2), implemented from the paper.
#include <cstdint>

namespace earshot {

struct Rgb8 {
  std::uint8_t r = 0, g = 0, b = 0;
};

// The map at `fraction` (0 = black, the bottom of a scale; 1 = white, its top; clamped).
Rgb8 cubehelix_colour(double fraction);

// Which end of a scale is dark: for a spectrogram, loud is light (a bright sound on a dark
// ground); for pulses on an empty (white) ground, a strong pulse is dark, as ink.
enum class ColourDirection { dark_to_light, light_to_dark };
inline Rgb8 scale_colour(double fraction, ColourDirection direction) {
  return cubehelix_colour(direction == ColourDirection::dark_to_light ? fraction : 1.0 - fraction);
}

// The CIE 1976 L* lightness (0 black .. 100 white) of an sRGB colour (IEC 61966-2-1 transfer,
// D65 white, ITU-R BT.709 luminance weights): how light it looks, and how it prints in grey.
double cie_lightness(Rgb8 colour);

}  // namespace earshot
