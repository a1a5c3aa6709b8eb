#pragma once
// Axes of a chart: a scale (linear, or log for frequency), readable tick values (steps of 1, 2 or
// 5 times a power of ten; octaves for frequency) and a title that names the quantity and its unit.
#include <string>
#include <vector>

#include "report/chart_canvas.hpp"

namespace earshot {

enum class AxisScale { linear, log };

struct AxisTick {
  double value = 0.0;
  std::string label;
};

struct ChartAxis {
  double from = 0.0, to = 1.0;  // the values at the axis's start (left, bottom) and end (right, top)
  AxisScale scale = AxisScale::linear;
  std::string title = {};       // "Time (s)"
  std::vector<AxisTick> ticks = {};
  // Where a value falls along the axis: 0 at `from`, 1 at `to`.
  double fraction(double value) const;
};

// Ticks from `from` to `to` at a step of 1, 2 or 5 times a power of ten, the largest count not
// above `most` (at least 2 where the range allows), labelled with as many decimals as the step needs.
std::vector<AxisTick> linear_ticks(double from, double to, int most);
// Octave ticks (125, 250, 500, 1k, 2k, 4k, 8k: the audiogram's frequencies) within from_hz..to_hz,
// every second one where `most` is smaller than their count; above 1 kHz labelled in kHz ("2k").
std::vector<AxisTick> octave_ticks(double from_hz, double to_hz, int most);

// A rectangle of the picture that a chart's data fill, in pixels from the picture's top left.
struct PlotArea {
  double left = 0.0, top = 0.0, width = 0.0, height = 0.0;
  double right() const { return left + width; }
  double bottom() const { return top + height; }
  double x_of(const ChartAxis& axis, double value) const { return left + axis.fraction(value) * width; }
  double y_of(const ChartAxis& axis, double value) const { return bottom() - axis.fraction(value) * height; }
};

inline constexpr double kTickLabelPx = 11.0, kAxisTitlePx = 12.5, kChartTitlePx = 15.0;

// The x axis under the area: ticks, their labels and the title (when it has one) centred below.
void draw_x_axis(ChartCanvas& canvas, const PlotArea& area, const ChartAxis& axis);
// A y axis on the area's left: ticks, labels, and the title (when it has one) reading upward,
// `title_gap_px` left of the area's edge.
void draw_y_axis(ChartCanvas& canvas, const PlotArea& area, const ChartAxis& axis, double title_gap_px = 40.0);
// A thin frame around the area.
void draw_frame(ChartCanvas& canvas, const PlotArea& area);

}  // namespace earshot
