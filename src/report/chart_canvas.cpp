#include "report/chart_canvas.hpp"

#include <cairo-svg.h>

#include <algorithm>
#include <cmath>
#include <numbers>
#include <cstdio>
#include <stdexcept>
#include <vector>

#include "report/markup_text.hpp"

namespace earshot {
namespace {

// The font of every picture (Debian's fonts-dejavu-core): wide coverage (µ, –, ↔) and metrics
// that are the same wherever the picture is drawn.
constexpr const char* kFontFamily = "DejaVu Sans";
// DejaVu Sans's cap height and x-height are 0.73 and 0.55 of its size: text is centred or hung on
// its capitals.
constexpr double kCapHeight = 0.73;

cairo_status_t append_bytes(void* closure, const unsigned char* data, unsigned int length) {
  static_cast<std::string*>(closure)->append(reinterpret_cast<const char*>(data), length);
  return CAIRO_STATUS_SUCCESS;
}

std::string number(double v) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f", v);
  return b;
}

}  // namespace

std::optional<ChartFormat> chart_format_for_extension(std::string_view extension) {
  if (extension == ".png") return ChartFormat::png;
  if (extension == ".svg") return ChartFormat::svg;
  return std::nullopt;
}

ChartCanvas::ChartCanvas(ChartFormat format, int width_px, int height_px) : format_(format), width_px_(width_px), height_px_(height_px) {
  if (width_px < 1 || height_px < 1 || width_px > kMaxChartSidePx || height_px > kMaxChartSidePx) {
    throw std::runtime_error("a picture of " + std::to_string(width_px) + " x " + std::to_string(height_px) + " pixels is outside 1..32000");
  }
  if (format == ChartFormat::png) {
    surface_ = cairo_image_surface_create(CAIRO_FORMAT_RGB24, width_px, height_px);
  } else {
    surface_ = cairo_svg_surface_create_for_stream(append_bytes, &svg_bytes_, width_px, height_px);
    cairo_svg_surface_restrict_to_version(surface_, CAIRO_SVG_VERSION_1_1);
    // Pixels, as the PNG: the default (pt) would draw an SVG a third larger than the PNG.
    cairo_svg_surface_set_document_unit(surface_, CAIRO_SVG_UNIT_PX);
  }
  if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(surface_);
    throw std::runtime_error("cairo could not make a picture of " + std::to_string(width_px) + " x " + std::to_string(height_px) + " pixels");
  }
  cr_ = cairo_create(surface_);
  cairo_set_source_rgb(cr_, 1.0, 1.0, 1.0);
  cairo_paint(cr_);
}

ChartCanvas::~ChartCanvas() {
  if (cr_) cairo_destroy(cr_);
  if (surface_) cairo_surface_destroy(surface_);
}

void ChartCanvas::set_font(const TextStyle& style) const {
  cairo_select_font_face(cr_, kFontFamily, CAIRO_FONT_SLANT_NORMAL, style.bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size(cr_, style.size_px);
}

double ChartCanvas::text_width_px(std::string_view utf8, const TextStyle& style) const {
  set_font(style);
  const std::string s(utf8);
  cairo_text_extents_t e;
  cairo_text_extents(cr_, s.c_str(), &e);
  return e.x_advance;
}

void ChartCanvas::text(double x, double y, std::string_view utf8, const TextStyle& style) {
  const double width = text_width_px(utf8, style);
  const double along = style.anchor == TextAnchor::start ? 0.0 : style.anchor == TextAnchor::middle ? -width / 2.0 : -width;
  const double across = style.baseline == TextBaseline::alphabetic ? 0.0
                        : style.baseline == TextBaseline::middle   ? kCapHeight * style.size_px / 2.0
                                                                   : kCapHeight * style.size_px;
  if (format_ == ChartFormat::png) {
    const std::string s(utf8);
    cairo_save(cr_);
    cairo_translate(cr_, x, y);
    cairo_rotate(cr_, -style.angle_deg * std::numbers::pi / 180.0);
    cairo_move_to(cr_, along, across);
    cairo_set_source_rgb(cr_, style.colour.r / 255.0, style.colour.g / 255.0, style.colour.b / 255.0);
    cairo_show_text(cr_, s.c_str());
    cairo_restore(cr_);
    return;
  }
  char fill[8];
  std::snprintf(fill, sizeof fill, "#%02x%02x%02x", style.colour.r, style.colour.g, style.colour.b);
  svg_text_ += "<text x=\"" + number(x + along) + "\" y=\"" + number(y + across) + "\" font-family=\"" + kFontFamily + "\" font-size=\"" +
               number(style.size_px) + "\"" + (style.bold ? " font-weight=\"bold\"" : "") + " fill=\"" + fill + "\"" +
               (style.angle_deg != 0.0 ? " transform=\"rotate(" + number(-style.angle_deg) + " " + number(x) + " " + number(y) + ")\"" : "") +
               ">" + escape_markup(utf8) + "</text>\n";
}

void ChartCanvas::image(const RgbImage& image, double x, double y, double width, double height) {
  const int w = std::max(1, static_cast<int>(std::lround(width))), h = std::max(1, static_cast<int>(std::lround(height)));
  if (image.width < 1 || image.height < 1) return;
  cairo_surface_t* raster = cairo_image_surface_create(CAIRO_FORMAT_RGB24, w, h);
  if (cairo_surface_status(raster) != CAIRO_STATUS_SUCCESS) {
    cairo_surface_destroy(raster);
    throw std::runtime_error("cairo could not make an image of " + std::to_string(w) + " x " + std::to_string(h) + " pixels");
  }
  cairo_surface_flush(raster);
  unsigned char* data = cairo_image_surface_get_data(raster);
  const int stride = cairo_image_surface_get_stride(raster);
  std::vector<int> column(w);
  for (int px = 0; px < w; ++px) column[px] = std::min(image.width - 1, static_cast<int>((px + 0.5) * image.width / w));
  for (int py = 0; py < h; ++py) {
    const int row = std::min(image.height - 1, static_cast<int>((py + 0.5) * image.height / h));
    auto* out = reinterpret_cast<std::uint32_t*>(data + static_cast<std::size_t>(py) * stride);
    const std::uint8_t* in = &image.rgb[static_cast<std::size_t>(row) * image.width * 3];
    for (int px = 0; px < w; ++px) {
      const std::uint8_t* p = in + column[px] * 3;
      out[px] = (std::uint32_t{p[0]} << 16) | (std::uint32_t{p[1]} << 8) | p[2];
    }
  }
  cairo_surface_mark_dirty(raster);
  cairo_save(cr_);
  cairo_set_source_surface(cr_, raster, std::round(x), std::round(y));
  cairo_pattern_set_filter(cairo_get_source(cr_), CAIRO_FILTER_NEAREST);
  cairo_rectangle(cr_, std::round(x), std::round(y), w, h);
  cairo_fill(cr_);
  cairo_restore(cr_);
  cairo_surface_destroy(raster);
}

void ChartCanvas::fill_rect(double x, double y, double width, double height, Rgb8 colour) {
  cairo_set_source_rgb(cr_, colour.r / 255.0, colour.g / 255.0, colour.b / 255.0);
  cairo_rectangle(cr_, x, y, width, height);
  cairo_fill(cr_);
}

void ChartCanvas::line(double x0, double y0, double x1, double y1, double width_px, Rgb8 colour, double dash_px) {
  cairo_save(cr_);
  cairo_set_source_rgb(cr_, colour.r / 255.0, colour.g / 255.0, colour.b / 255.0);
  cairo_set_line_width(cr_, width_px);
  if (dash_px > 0.0) cairo_set_dash(cr_, &dash_px, 1, 0.0);
  cairo_move_to(cr_, x0, y0);
  cairo_line_to(cr_, x1, y1);
  cairo_stroke(cr_);
  cairo_restore(cr_);
}

std::string ChartCanvas::finish() {
  std::string out;
  if (format_ == ChartFormat::png) {
    cairo_surface_flush(surface_);
    if (cairo_surface_write_to_png_stream(surface_, append_bytes, &out) != CAIRO_STATUS_SUCCESS) {
      throw std::runtime_error("cairo could not encode the picture as PNG");
    }
    return out;
  }
  cairo_destroy(cr_);
  cr_ = nullptr;
  cairo_surface_finish(surface_);  // writes the rest of the SVG
  if (cairo_surface_status(surface_) != CAIRO_STATUS_SUCCESS) throw std::runtime_error("cairo could not write the picture as SVG");
  out = std::move(svg_bytes_);
  const auto end = out.rfind("</svg>");
  if (end == std::string::npos) throw std::runtime_error("cairo wrote an SVG without its end");
  out.insert(end, "<g id=\"text\">\n" + svg_text_ + "</g>\n");
  return out;
}

}  // namespace earshot
