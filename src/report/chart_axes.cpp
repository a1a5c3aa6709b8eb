#include "report/chart_axes.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace earshot {
namespace {

constexpr Rgb8 kInk{34, 34, 34};
constexpr double kTickPx = 4.0;

std::string decimal_label(double v, int decimals) {
  if (std::fabs(v) < 0.5 * std::pow(10.0, -decimals)) return "0";  // never "-0" or "0.0"
  char b[32];
  std::snprintf(b, sizeof b, "%.*f", decimals, v);
  return b;
}

}  // namespace

double ChartAxis::fraction(double value) const {
  if (scale == AxisScale::log) return std::log(value / from) / std::log(to / from);
  return (value - from) / (to - from);
}

std::vector<AxisTick> linear_ticks(double from, double to, int most) {
  std::vector<AxisTick> ticks;
  const double lo = std::min(from, to), hi = std::max(from, to);
  if (!(hi > lo) || most < 1) return ticks;
  // The smallest 1-2-5 step giving no more than `most` ticks.
  double step = std::pow(10.0, std::floor(std::log10((hi - lo) / std::max(1, most))));
  for (int k = 0; k < 40; ++k) {
    const double first = std::ceil(lo / step - 1e-9), last = std::floor(hi / step + 1e-9);
    if (last - first + 1 <= most) break;
    const double mantissa = step / std::pow(10.0, std::floor(std::log10(step) + 1e-9));
    step *= mantissa < 1.5 ? 2.0 : mantissa < 3.0 ? 2.5 : 2.0;  // 1 -> 2 -> 5 -> 10
  }
  const int decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  for (double n = std::ceil(lo / step - 1e-9); n * step <= hi + 1e-9 * step; n += 1.0) {
    const double v = n * step;
    ticks.push_back({v, decimal_label(v, decimals)});
  }
  return ticks;
}

std::vector<AxisTick> octave_ticks(double from_hz, double to_hz, int most) {
  std::vector<AxisTick> all;
  for (double f = 31.25; f <= 32000.0; f *= 2.0) {
    if (f < from_hz * (1.0 - 1e-9) || f > to_hz * (1.0 + 1e-9)) continue;
    char b[16];
    if (f >= 1000.0) std::snprintf(b, sizeof b, "%gk", f / 1000.0);
    else std::snprintf(b, sizeof b, "%g", f);
    all.push_back({f, b});
  }
  if (static_cast<int>(all.size()) <= most) return all;
  std::vector<AxisTick> every_other;
  for (std::size_t i = 1; i < all.size(); i += 2) every_other.push_back(all[i]);  // 250, 1k, 4k
  return every_other;
}

void draw_x_axis(ChartCanvas& canvas, const PlotArea& area, const ChartAxis& axis) {
  TextStyle label{.size_px = kTickLabelPx, .anchor = TextAnchor::middle, .baseline = TextBaseline::top};
  for (const auto& t : axis.ticks) {
    const double x = area.x_of(axis, t.value);
    canvas.line(x, area.bottom(), x, area.bottom() + kTickPx, 1.0, kInk);
    canvas.text(x, area.bottom() + kTickPx + 3.0, t.label, label);
  }
  if (!axis.title.empty()) {
    canvas.text(area.left + area.width / 2.0, area.bottom() + kTickPx + 6.0 + kTickLabelPx * 1.3, axis.title,
                {.size_px = kAxisTitlePx, .anchor = TextAnchor::middle, .baseline = TextBaseline::top});
  }
}

void draw_y_axis(ChartCanvas& canvas, const PlotArea& area, const ChartAxis& axis, double title_gap_px) {
  TextStyle label{.size_px = kTickLabelPx, .anchor = TextAnchor::end, .baseline = TextBaseline::middle};
  for (const auto& t : axis.ticks) {
    const double y = area.y_of(axis, t.value);
    canvas.line(area.left - kTickPx, y, area.left, y, 1.0, kInk);
    canvas.text(area.left - kTickPx - 3.0, y, t.label, label);
  }
  if (!axis.title.empty()) {
    canvas.text(area.left - title_gap_px, area.top + area.height / 2.0, axis.title,
                {.size_px = kAxisTitlePx, .anchor = TextAnchor::middle, .baseline = TextBaseline::alphabetic, .angle_deg = 90.0});
  }
}

void draw_frame(ChartCanvas& canvas, const PlotArea& area) {
  cairo_t* cr = canvas.cairo();
  cairo_save(cr);
  cairo_set_source_rgb(cr, kInk.r / 255.0, kInk.g / 255.0, kInk.b / 255.0);
  cairo_set_line_width(cr, 1.0);
  cairo_rectangle(cr, std::round(area.left) - 0.5, std::round(area.top) - 0.5, std::round(area.width) + 1.0, std::round(area.height) + 1.0);
  cairo_stroke(cr);
  cairo_restore(cr);
}

}  // namespace earshot
