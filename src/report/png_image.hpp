#pragma once
// A raster (RGB, 8 bits) for the charts' image cells, encoded as PNG (libpng) in memory, and PNG
// bytes as a data: URI for the report.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace earshot {

struct RgbImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;  // row-major, top row first
};

// Throws std::runtime_error only if libpng itself fails (out of memory): not a user error.
std::vector<std::uint8_t> encode_png(const RgbImage& image);
std::string base64(const std::vector<std::uint8_t>& bytes);
std::string png_data_uri(const RgbImage& image);
// A PNG file's bytes (a chart's: report/chart_canvas.hpp) as a data: URI, for an HTML page.
std::string png_data_uri(std::string_view png_file_bytes);

}  // namespace earshot
