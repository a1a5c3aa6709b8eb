#include "report/colour_bar.hpp"

#include <cmath>

namespace earshot {

void draw_colour_bar(ChartCanvas& canvas, const PlotArea& bar, const ChartAxis& axis, ColourDirection direction, double map_from) {
  // One row of the map per pixel of the bar, top row the top of the scale.
  RgbImage ramp;
  ramp.width = 1;
  ramp.height = std::max(2, static_cast<int>(std::lround(bar.height)));
  ramp.rgb.resize(static_cast<std::size_t>(ramp.height) * 3);
  for (int y = 0; y < ramp.height; ++y) {
    const Rgb8 c = scale_colour(map_from + (1.0 - map_from) * (1.0 - (y + 0.5) / ramp.height), direction);
    ramp.rgb[y * 3] = c.r;
    ramp.rgb[y * 3 + 1] = c.g;
    ramp.rgb[y * 3 + 2] = c.b;
  }
  canvas.image(ramp, bar.left, bar.top, bar.width, bar.height);
  draw_frame(canvas, bar);
  constexpr Rgb8 kInk{34, 34, 34};
  const TextStyle label{.size_px = kTickLabelPx, .anchor = TextAnchor::start, .baseline = TextBaseline::middle};
  double widest = 0.0;
  for (const auto& t : axis.ticks) {
    const double y = bar.y_of(axis, t.value);
    canvas.line(bar.right(), y, bar.right() + 4.0, y, 1.0, kInk);
    canvas.text(bar.right() + 7.0, y, t.label, label);
    widest = std::max(widest, canvas.text_width_px(t.label, label));
  }
  if (!axis.title.empty()) {
    canvas.text(bar.right() + 7.0 + widest + 6.0 + kAxisTitlePx * 0.8, bar.top + bar.height / 2.0, axis.title,
                {.size_px = kAxisTitlePx, .anchor = TextAnchor::middle, .baseline = TextBaseline::alphabetic, .angle_deg = 90.0});
  }
}

}  // namespace earshot
