#pragma once
// Pictures for the report: an RGB image encoded as PNG (libpng) in memory, as a data: URI.
#include <cstdint>
#include <string>
#include <vector>

#include "metrics/spectrogram.hpp"

namespace earshot {

struct RgbImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // row-major, top row first
};

// Throws std::runtime_error only if libpng itself fails (out of memory): not a user error.
std::vector<std::uint8_t> encode_png(const RgbImage& image);
std::string base64(const std::vector<std::uint8_t>& bytes);
std::string png_data_uri(const RgbImage& image);

// The pictures' colour scale: t = 0 (dark) ... 1 (pale yellow), into rgb[0..2].
void ramp_colour(double t, std::uint8_t* rgb);

// A spectrogram as a picture: time left to right, frequency bottom to top, level as colour from
// dark (floor_db and below) through blue and red to yellow (ceiling_db), at most `max_width` columns.
RgbImage spectrogram_image(const Spectrogram& s, double floor_db, double ceiling_db, int max_width = 900);

}  // namespace earshot
