#pragma once
// A picture being drawn with cairo (vectors and text, not pixels), finished as the bytes of a PNG
// or an SVG file in memory. Text is set in DejaVu Sans through cairo's toy text API; in an SVG
// it is written as real <text> elements (searchable, selectable and editable in a paper's figure),
// placed from the same cairo font metrics as the PNG's glyphs.
#include <cairo.h>

#include <optional>
#include <string>
#include <string_view>

#include "report/colour_map.hpp"
#include "report/png_image.hpp"

namespace earshot {

enum class ChartFormat { png, svg };

// ".png" or ".svg" (a lower-case extension, with its dot) -> the format; anything else: none.
std::optional<ChartFormat> chart_format_for_extension(std::string_view extension);

enum class TextAnchor { start, middle, end };        // along the text's direction
enum class TextBaseline { alphabetic, middle, top };  // across it

struct TextStyle {
  double size_px = 12.0;
  bool bold = false;
  TextAnchor anchor = TextAnchor::start;
  TextBaseline baseline = TextBaseline::alphabetic;
  double angle_deg = 0.0;  // counter-clockwise: 90 reads bottom to top (a y-axis title)
  Rgb8 colour{34, 34, 34};
};

// The largest picture a canvas draws: cairo's image surfaces stop at 32767 pixels a side.
inline constexpr int kMaxChartSidePx = 32000;

class ChartCanvas {
 public:
  // A white picture of width_px x height_px (each 1..kMaxChartSidePx). Throws std::runtime_error
  // only if cairo cannot make the surface (out of memory): not a user error.
  ChartCanvas(ChartFormat format, int width_px, int height_px);
  ~ChartCanvas();
  ChartCanvas(const ChartCanvas&) = delete;
  ChartCanvas& operator=(const ChartCanvas&) = delete;

  cairo_t* cairo() const { return cr_; }
  int width_px() const { return width_px_; }
  int height_px() const { return height_px_; }
  ChartFormat format() const { return format_; }

  void text(double x, double y, std::string_view utf8, const TextStyle& style);
  double text_width_px(std::string_view utf8, const TextStyle& style) const;
  // A raster (a spectrogram, pulses) into a rectangle, each of its cells a sharp block: the image
  // is resampled to the rectangle's whole pixels (nearest cell) before it is placed, so neither
  // a PNG nor an SVG viewer smooths one cell into the next.
  void image(const RgbImage& image, double x, double y, double width, double height);
  // Fill and stroke helpers in a colour.
  void fill_rect(double x, double y, double width, double height, Rgb8 colour);
  void line(double x0, double y0, double x1, double y1, double width_px, Rgb8 colour, double dash_px = 0.0);

  // The file's bytes; the canvas is finished (call once).
  std::string finish();

 private:
  void set_font(const TextStyle& style) const;

  ChartFormat format_;
  int width_px_, height_px_;
  std::string svg_bytes_;      // what the SVG surface has written
  std::string svg_text_;       // the <text> elements, added to the SVG at the end
  cairo_surface_t* surface_ = nullptr;
  cairo_t* cr_ = nullptr;
};

}  // namespace earshot
