#pragma once
// A colour bar: the picture's colour map (report/colour_map.hpp) upright beside a chart, with the
// values it stands for as ticks and the quantity and unit as its title ("Level (dB SPL)").
#include <string>

#include "report/chart_axes.hpp"

namespace earshot {

// The bar fills `bar` with the map, from `map_from` (0..1) at the bottom (axis.from) to 1 at the
// top (axis.to), linear; its ticks and labels to its right, and its title reading upward beyond.
void draw_colour_bar(ChartCanvas& canvas, const PlotArea& bar, const ChartAxis& axis,
                     ColourDirection direction = ColourDirection::dark_to_light, double map_from = 0.0);

// How wide a colour bar and its labels are, to leave room for them: the bar's width plus this.
inline constexpr double kColourBarLabelsPx = 62.0;

}  // namespace earshot
