#include "report/spectrogram_chart.hpp"

#include <algorithm>
#include <cmath>

#include "report/chart_axes.hpp"
#include "report/colour_bar.hpp"

namespace earshot {

RgbImage spectrogram_raster(const Spectrogram& s, int columns, double floor_db_spl, double ceiling_db_spl) {
  RgbImage img;
  img.width = std::max(1, columns);
  img.height = std::max(1, s.rows);
  img.rgb.assign(static_cast<std::size_t>(img.width) * img.height * 3, 0);
  if (s.frames < 1 || s.rows < 1) return img;
  for (int x = 0; x < img.width; ++x) {
    const int f0 = std::min(s.frames - 1, static_cast<int>(double(x) * s.frames / img.width));
    const int f1 = std::max(f0 + 1, std::min(s.frames, static_cast<int>(double(x + 1) * s.frames / img.width)));
    for (int row = 0; row < s.rows; ++row) {
      double level = -1e9;  // a column shows the loudest of the frames it stands for
      for (int f = f0; f < f1; ++f) level = std::max(level, double(s.at(f, row)));
      const Rgb8 c = cubehelix_colour((level - floor_db_spl) / (ceiling_db_spl - floor_db_spl));
      std::uint8_t* p = &img.rgb[(static_cast<std::size_t>(s.rows - 1 - row) * img.width + x) * 3];
      p[0] = c.r;
      p[1] = c.g;
      p[2] = c.b;
    }
  }
  return img;
}

std::string spectrogram_chart(const Spectrogram& s, ChartFormat format, const SpectrogramChartOptions& options) {
  ChartCanvas canvas(format, options.width_px, options.height_px);
  constexpr double kLeft = 62.0, kTop = 34.0, kBottom = 50.0, kBarGap = 18.0, kBarWidth = 14.0;
  const double right = kBarGap + kBarWidth + kColourBarLabelsPx + 10.0;
  PlotArea area{kLeft, kTop, std::max(20.0, options.width_px - kLeft - right), std::max(20.0, options.height_px - kTop - kBottom)};
  canvas.image(spectrogram_raster(s, static_cast<int>(std::lround(area.width)), options.floor_db_spl, options.ceiling_db_spl), area.left,
               area.top, area.width, area.height);
  draw_frame(canvas, area);

  const double seconds = s.frames * s.frame_step_s;
  ChartAxis time{.from = 0.0, .to = std::max(seconds, 1e-3), .title = "Time (s)"};
  time.ticks = linear_ticks(0.0, time.to, std::max(2, static_cast<int>(area.width / 70.0)));
  draw_x_axis(canvas, area, time);
  const double top_khz = s.max_frequency_hz / 1000.0;
  ChartAxis frequency{.from = 0.0, .to = std::max(top_khz, 1e-3), .title = "Frequency (kHz)"};
  frequency.ticks = linear_ticks(0.0, frequency.to, std::max(2, static_cast<int>(area.height / 32.0)));
  draw_y_axis(canvas, area, frequency, 38.0);

  ChartAxis level{.from = options.floor_db_spl, .to = options.ceiling_db_spl, .title = "Level (dB SPL)"};
  level.ticks = linear_ticks(level.from, level.to, std::max(2, static_cast<int>(area.height / 32.0)));
  draw_colour_bar(canvas, {area.right() + kBarGap, area.top, kBarWidth, area.height}, level);
  if (!options.title.empty()) canvas.text(area.left, 22.0, options.title, {.size_px = kChartTitlePx, .bold = true});
  return canvas.finish();
}

}  // namespace earshot
