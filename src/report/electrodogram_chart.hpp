#pragma once
// The picture of an electrodogram: time (s) left to right; one row per active electrode, basal
// (high frequencies) at the top and apical (low) at the bottom, each labelled with the device's
// electrode number and its analysis band (the implant design's band edges, Hz); each pulse's
// current (µA) as colour, darker the stronger, with a colour bar; the device in the title.
#include <string>
#include <vector>

#include "implant/electrodogram.hpp"
#include "report/chart_canvas.hpp"

namespace earshot {

struct ElectrodogramChartOptions {
  int width_px = 1000;
  int height_px = 0;   // 0: 16 pixels an electrode plus the axes (kMaxChartSidePx at most)
  std::string ear = {};  // "left" or "right", named in the title; empty: not named
};

// The file's bytes (PNG or SVG). `duration_s` is the sound's length (the time axis's end).
std::string electrodogram_chart(const ImplantPlan& plan, const std::vector<ElectrodogramPulse>& pulses, double duration_s,
                                ChartFormat format, const ElectrodogramChartOptions& options = {});

// The height electrodogram_chart gives a plan's picture when options.height_px is 0.
int electrodogram_chart_height_px(const ImplantPlan& plan);

}  // namespace earshot
