#pragma once
// A calibrated spectrogram as a chart: time (s) left to right, frequency (kHz) bottom to top,
// level (dB SPL) as the colour map's lightness with a colour bar, and a title.
#include <string>

#include "metrics/spectrogram.hpp"
#include "report/chart_canvas.hpp"

namespace earshot {

struct SpectrogramChartOptions {
  int width_px = 900, height_px = 320;
  double floor_db_spl = 0.0, ceiling_db_spl = 90.0;  // the colour scale's ends (dark .. light)
  std::string title = {};
};

// The file's bytes (PNG or SVG).
std::string spectrogram_chart(const Spectrogram& s, ChartFormat format, const SpectrogramChartOptions& options = {});

// The spectrogram as `columns` columns by s.rows rows (top row the highest frequency): each
// column the loudest of the frames it stands for (or the nearest frame, where there are fewer
// frames than columns), coloured from floor_db_spl (black) to ceiling_db_spl (white).
RgbImage spectrogram_raster(const Spectrogram& s, int columns, double floor_db_spl, double ceiling_db_spl);

}  // namespace earshot
