#include "report/png_image.hpp"

#include <png.h>

#include <algorithm>
#include <array>
#include <cmath>

#include <stdexcept>

namespace earshot {

std::vector<std::uint8_t> encode_png(const RgbImage& image) {
  std::vector<std::uint8_t> out;
  png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  if (!png || !info) throw std::runtime_error("libpng could not start");
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_write_struct(&png, &info);
    throw std::runtime_error("libpng failed to encode an image");
  }
  png_set_write_fn(
      png, &out,
      [](png_structp p, png_bytep data, png_size_t length) {
        auto* v = static_cast<std::vector<std::uint8_t>*>(png_get_io_ptr(p));
        v->insert(v->end(), data, data + length);
      },
      nullptr);
  png_set_IHDR(png, info, image.width, image.height, 8, PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
               PNG_FILTER_TYPE_DEFAULT);
  png_write_info(png, info);
  for (int y = 0; y < image.height; ++y) {
    png_write_row(png, const_cast<png_bytep>(&image.rgb[static_cast<std::size_t>(y) * image.width * 3]));
  }
  png_write_end(png, nullptr);
  png_destroy_write_struct(&png, &info);
  return out;
}

std::string base64(const std::vector<std::uint8_t>& bytes) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::uint32_t b0 = bytes[i], b1 = i + 1 < bytes.size() ? bytes[i + 1] : 0, b2 = i + 2 < bytes.size() ? bytes[i + 2] : 0;
    const std::uint32_t v = (b0 << 16) | (b1 << 8) | b2;
    out += kAlphabet[(v >> 18) & 63];
    out += kAlphabet[(v >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(v >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[v & 63] : '=';
  }
  return out;
}

std::string png_data_uri(const RgbImage& image) { return "data:image/png;base64," + base64(encode_png(image)); }

void ramp_colour(double t, std::uint8_t* rgb) {
  // Near-black, deep blue, magenta-red, orange, pale yellow (even steps).
  static constexpr std::array<std::array<double, 3>, 5> kRamp{{{8, 8, 20}, {40, 40, 150}, {180, 40, 110}, {240, 140, 40}, {252, 245, 180}}};
  const double x = std::clamp(t, 0.0, 1.0) * (kRamp.size() - 1);
  const int i = std::min(static_cast<int>(x), static_cast<int>(kRamp.size()) - 2);
  const double u = x - i;
  for (int c = 0; c < 3; ++c) rgb[c] = static_cast<std::uint8_t>(std::lround(kRamp[i][c] + u * (kRamp[i + 1][c] - kRamp[i][c])));
}

RgbImage spectrogram_image(const Spectrogram& s, double floor_db, double ceiling_db, int max_width) {
  RgbImage img;
  const int step = std::max(1, (s.frames + max_width - 1) / max_width);
  img.width = std::max(1, s.frames / step);
  img.height = s.rows;
  img.rgb.assign(static_cast<std::size_t>(img.width) * img.height * 3, 0);
  for (int x = 0; x < img.width; ++x) {
    for (int row = 0; row < s.rows; ++row) {
      double level = -1e9;  // a column shows the loudest of the frames it stands for
      for (int f = x * step; f < std::min(s.frames, (x + 1) * step); ++f) level = std::max(level, double(s.at(f, row)));
      const int y = s.rows - 1 - row;
      ramp_colour((level - floor_db) / (ceiling_db - floor_db), &img.rgb[(static_cast<std::size_t>(y) * img.width + x) * 3]);
    }
  }
  return img;
}

}  // namespace earshot
