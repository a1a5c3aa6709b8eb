#include "report/electrodogram_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "report/chart_axes.hpp"
#include "report/colour_bar.hpp"

namespace earshot {
namespace {

constexpr int kRowPx = 16;
constexpr double kTop = 52.0, kBottom = 58.0, kRightGap = 24.0, kBarWidth = 16.0;
constexpr Rgb8 kSeparator{215, 215, 215};

std::string band_label(const ImplantElectrode& e) {
  char b[96];
  std::snprintf(b, sizeof b, "%d: %.0f–%.0f Hz", e.number, e.band_low_hz, e.band_high_hz);
  return b;
}

}  // namespace

int electrodogram_chart_height_px(const ImplantPlan& plan) {
  return std::min(kMaxChartSidePx, static_cast<int>(kTop + kBottom) + kRowPx * std::max<int>(1, static_cast<int>(plan.electrodes.size())));
}

std::string electrodogram_chart(const ImplantPlan& plan, const std::vector<ElectrodogramPulse>& pulses, double duration_s,
                                ChartFormat format, const ElectrodogramChartOptions& options) {
  const int height = options.height_px > 0 ? options.height_px : electrodogram_chart_height_px(plan);
  ChartCanvas canvas(format, options.width_px, height);
  const int rows = static_cast<int>(plan.electrodes.size());

  // The colour scale: currents from the lowest threshold (T) to the highest comfort level (C) of
  // the active electrodes, in µA, linear.
  double low_ua = 1e300, high_ua = 0.0;
  for (const auto& e : plan.electrodes) {
    low_ua = std::min(low_ua, e.threshold_ua);
    high_ua = std::max(high_ua, e.comfort_ua);
  }
  if (!(high_ua > low_ua)) {
    low_ua = 0.0;
    high_ua = std::max(1.0, high_ua);
  }

  // Room on the left for the widest band label and the axis title.
  const TextStyle label{.size_px = kTickLabelPx, .anchor = TextAnchor::end, .baseline = TextBaseline::middle};
  double widest = 0.0;
  for (const auto& e : plan.electrodes) widest = std::max(widest, canvas.text_width_px(band_label(e), label));
  const double left = std::ceil(widest) + 44.0;
  const double right = kRightGap + kBarWidth + kColourBarLabelsPx + 18.0;
  PlotArea area{left, kTop, std::max(40.0, options.width_px - left - right), std::max(8.0, height - kTop - kBottom)};

  // Each cell: the strongest pulse in it (white where none fired), darker the stronger.
  RgbImage cells;
  cells.width = std::max(1, static_cast<int>(std::lround(area.width)));
  cells.height = std::max(1, rows);
  cells.rgb.assign(static_cast<std::size_t>(cells.width) * cells.height * 3, 255);
  std::vector<double> strongest(static_cast<std::size_t>(cells.width) * cells.height, -1.0);
  const double seconds = std::max(duration_s, 1e-6);
  for (const auto& p : pulses) {
    if (p.electrode < 0 || p.electrode >= rows) continue;
    const int x = std::clamp(static_cast<int>(p.time_s / seconds * cells.width), 0, cells.width - 1);
    const int y = rows - 1 - p.electrode;  // basal (the last, apical first) at the top
    double& s = strongest[static_cast<std::size_t>(y) * cells.width + x];
    s = std::max(s, double(p.current_ua));
  }
  for (std::size_t i = 0; i < strongest.size(); ++i) {
    if (strongest[i] < 0.0) continue;
    // A pulse at the lowest T is still visibly grey, not white like no pulse: 0.12 .. 1 of the map.
    const double f = 0.12 + 0.88 * std::clamp((strongest[i] - low_ua) / (high_ua - low_ua), 0.0, 1.0);
    const Rgb8 c = scale_colour(f, ColourDirection::light_to_dark);
    cells.rgb[i * 3] = c.r;
    cells.rgb[i * 3 + 1] = c.g;
    cells.rgb[i * 3 + 2] = c.b;
  }
  canvas.image(cells, area.left, area.top, area.width, area.height);
  const double row_px = area.height / std::max(1, rows);
  for (int r = 1; r < rows; ++r) canvas.line(area.left, area.top + r * row_px, area.right(), area.top + r * row_px, 0.5, kSeparator);
  draw_frame(canvas, area);

  // The electrode axis: number and band per row.
  constexpr Rgb8 kInk{34, 34, 34};
  for (int e = 0; e < rows; ++e) {
    const double y = area.top + (rows - 1 - e + 0.5) * row_px;
    canvas.line(area.left - 4.0, y, area.left, y, 1.0, kInk);
    canvas.text(area.left - 7.0, y, band_label(plan.electrodes[e]), label);
  }
  canvas.text(area.left - 7.0, area.top - 8.0, "basal ▲ high pitch", {.size_px = kTickLabelPx, .anchor = TextAnchor::end});
  canvas.text(area.left - 16.0, area.bottom() + 8.0, "apical ▼ low pitch",
              {.size_px = kTickLabelPx, .anchor = TextAnchor::end, .baseline = TextBaseline::top});
  canvas.text(14.0, area.top + area.height / 2.0, "Electrode: analysis band (Hz)",
              {.size_px = kAxisTitlePx, .anchor = TextAnchor::middle, .baseline = TextBaseline::top, .angle_deg = 90.0});

  ChartAxis time{.from = 0.0, .to = seconds, .title = "Time (s)"};
  time.ticks = linear_ticks(0.0, seconds, std::max(2, static_cast<int>(area.width / 80.0)));
  draw_x_axis(canvas, area, time);

  ChartAxis current{.from = low_ua, .to = high_ua, .title = "Current (µA)"};
  current.ticks = linear_ticks(low_ua, high_ua, std::max(2, static_cast<int>(area.height / 40.0)));
  PlotArea bar{area.right() + kRightGap, area.top, kBarWidth, area.height};
  // The bar's bottom is the lowest T (0.12 of the map, as the cells): it is drawn over the map's
  // range the cells use.
  draw_colour_bar(canvas, bar, current, ColourDirection::light_to_dark, 0.12);

  std::string title = "Electrodogram: " + (plan.map.device.empty() ? std::string("cochlear implant") : plan.map.device);
  if (!options.ear.empty()) title += ", " + options.ear + " ear";
  char detail[96];
  std::snprintf(detail, sizeof detail, " (%zu pulses on %d electrodes)", pulses.size(), rows);
  canvas.text(area.left, 22.0, title, {.size_px = kChartTitlePx, .bold = true});
  canvas.text(area.left, 40.0, detail + 1, {.size_px = kTickLabelPx, .colour = {85, 85, 85}});
  return canvas.finish();
}

}  // namespace earshot
