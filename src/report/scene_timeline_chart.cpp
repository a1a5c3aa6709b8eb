#include "report/scene_timeline_chart.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "metrics/spectrogram.hpp"
#include "report/chart_axes.hpp"
#include "report/colour_bar.hpp"
#include "report/spectrogram_chart.hpp"

namespace earshot {
namespace {

// Layout (pixels). The left margin holds the lane labels and frequency ticks, the right one the
// two colour bars: together kTimelineMarginsPx.
constexpr double kLeft = 160.0, kRight = kTimelineMarginsPx - kLeft;
constexpr double kLanesTop = 72.0, kStateHeight = 72.0, kLayerHeight = 14.0, kPerspectiveHeight = 14.0, kSpectrogramHeight = 110.0;
constexpr double kGap = 12.0, kStripGap = 4.0, kAxisRoom = 52.0, kLegendRoom = 26.0;
constexpr double kLowHz = 125.0, kHighHz = 8000.0, kMaxHlDb = 120.0, kCeilingDbSpl = 90.0;
constexpr int kStateRows = 72, kSpectrogramRows = 128;
constexpr Rgb8 kInk{34, 34, 34}, kMuted{85, 85, 85};
constexpr Rgb8 kImplantLight{20, 170, 160}, kImplantDark{20, 125, 120};

double row_frequency_hz(int y) { return kLowHz * std::pow(kHighHz / kLowHz, double(kStateRows - 1 - y) / (kStateRows - 1)); }

// How an ear hears at a frequency in one state: its colour.
Rgb8 state_colour(const EarProfile& ear, const std::vector<double>& edges, double f) {
  if (ear.implant) {
    const bool acoustic = ear.implant->acoustic_crossover_hz > 0.0 && f < ear.implant->acoustic_crossover_hz;
    if (!acoustic && !edges.empty() && f >= edges.front() && f <= edges.back()) {
      // Stripes: alternate electrodes' bands lighter and darker teal.
      const auto band = std::upper_bound(edges.begin(), edges.end(), f) - edges.begin();
      return band % 2 == 1 ? kImplantLight : kImplantDark;
    }
    if (!acoustic) return cubehelix_colour(0.0);  // nothing heard
  }
  // The threshold on the colour map: 0 dB HL light, 120 dB HL black (as the colour bar).
  return cubehelix_colour(1.0 - std::clamp(ear.air_loss_db_hl(f), 0.0, kMaxHlDb) / kMaxHlDb);
}

void put(RgbImage& img, int x, int y, Rgb8 c) {
  std::uint8_t* p = &img.rgb[(static_cast<std::size_t>(y) * img.width + x) * 3];
  p[0] = c.r;
  p[1] = c.g;
  p[2] = c.b;
}

Rgb8 mix(Rgb8 a, Rgb8 b, double w) {
  auto m = [w](std::uint8_t p, std::uint8_t q) { return static_cast<std::uint8_t>(std::lround((1.0 - w) * p + w * q)); };
  return {m(a.r, b.r), m(a.g, b.g), m(a.b, b.b)};
}

std::string fmt(const char* pattern, double v) {
  char b[64];
  std::snprintf(b, sizeof b, pattern, v);
  return b;
}

// A keyframe's name: its number and the listener (one label when both ears are the same), with
// the prescription of an ear's hearing aid ("3 N3 + nal-r aid").
std::string keyframe_name(std::size_t k, const SceneKeyframe& key) {
  const auto ear = [](const EarProfile& e) {
    return e.aid ? e.label + " + " + prescription_name(e.aid->prescription) + " aid" : e.label;
  };
  const std::string l = ear(key.listener.left), r = ear(key.listener.right);
  return std::to_string(k + 1) + " " + (l == r ? l : "L " + l + ", R " + r);
}

// `text` cut with an ellipsis to fit `width_px`.
std::string fitted(const ChartCanvas& canvas, std::string text, double width_px, const TextStyle& style) {
  if (canvas.text_width_px(text, style) <= width_px) return text;
  while (!text.empty()) {
    // Drop the last whole UTF-8 character: its continuation bytes (10xxxxxx), then its first.
    while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80) text.pop_back();
    if (!text.empty()) text.pop_back();
    if (canvas.text_width_px(text + "…", style) <= width_px) return text + "…";
  }
  return "";
}

// A lane's name, on the left: a first line in bold, an optional second (its unit) below.
void lane_label(ChartCanvas& canvas, double centre_y, const std::string& name, const std::string& detail) {
  const TextStyle bold{.size_px = 11.5, .bold = true, .baseline = TextBaseline::middle};
  const TextStyle plain{.size_px = 10.5, .baseline = TextBaseline::middle, .colour = kMuted};
  if (detail.empty()) {
    canvas.text(10.0, centre_y, fitted(canvas, name, kLeft - 16.0, bold), bold);
    return;
  }
  canvas.text(10.0, centre_y - 7.0, fitted(canvas, name, kLeft - 44.0, bold), bold);
  canvas.text(10.0, centre_y + 8.0, fitted(canvas, detail, kLeft - 44.0, plain), plain);
}

}  // namespace

int scene_timeline_width_px(double duration_s) {
  const double plot = std::clamp(std::round(kTimelinePxPerS * std::max(0.0, duration_s)), double(kMinTimelinePlotPx), double(kMaxTimelinePlotPx));
  return static_cast<int>(plot) + kTimelineMarginsPx;
}

SceneTimelineChart scene_timeline_chart(const ScenePlan& plan, const std::array<std::vector<float>, 2>& render, double calibration_db_spl,
                                        ChartFormat format, const SceneTimelineChartOptions& options) {
  const SceneSpec& spec = plan.spec;
  const double duration_s = std::max(double(plan.frames) / spec.sample_rate_hz, 1e-3);
  const int layers = static_cast<int>(spec.tinnitus.size() + spec.maskers.size() + spec.characters.size());
  const int width = options.width_px > 0 ? options.width_px : scene_timeline_width_px(duration_s);
  const double lanes_height = 2 * (kStateHeight + kGap) + layers * (kLayerHeight + kStripGap) + (layers ? kGap - kStripGap : 0.0) +
                              kPerspectiveHeight + kGap + 2 * kSpectrogramHeight + kGap;
  const int height = static_cast<int>(kLanesTop + lanes_height + kAxisRoom + kLegendRoom);
  ChartCanvas canvas(format, width, height);
  const double plot_left = kLeft, plot_width = std::max(50.0, width - kLeft - kRight);
  const int columns = std::max(1, static_cast<int>(std::lround(plot_width)));
  const double frames_per_column = double(plan.frames) / columns;
  auto frame_of = [&](int x) { return static_cast<std::int64_t>((x + 0.5) * frames_per_column); };
  auto time_of = [&](int x) { return (x + 0.5) * frames_per_column / spec.sample_rate_hz; };
  ChartAxis time{.from = 0.0, .to = duration_s, .title = "Time (s)"};
  time.ticks = linear_ticks(0.0, duration_s, std::max(2, static_cast<int>(plot_width / 90.0)));

  double top = kLanesTop;
  const double states_top = top;
  // States per ear: a move blends the two states' colours as the model blends them; a structural
  // change (acoustic <-> implant) shows whichever state is the louder in the crossfade.
  const char* ear_names[2] = {"Left ear", "Right ear"};
  ChartAxis hearing_axis{.from = kLowHz, .to = kHighHz, .scale = AxisScale::log};
  hearing_axis.ticks = octave_ticks(kLowHz, kHighHz, 4);
  for (int e = 0; e < 2; ++e) {
    std::vector<std::vector<Rgb8>> states;  // per keyframe, the state's colours top to bottom
    for (const auto& key : spec.keyframes) {
      const EarProfile& ear = key.listener.ear(e);
      const std::vector<double> edges = ear.implant ? active_band_edges(*ear.implant) : std::vector<double>{};
      std::vector<Rgb8> column(kStateRows);
      for (int y = 0; y < kStateRows; ++y) column[y] = state_colour(ear, edges, row_frequency_hz(y));
      states.push_back(std::move(column));
    }
    RgbImage img{columns, kStateRows, std::vector<std::uint8_t>(static_cast<std::size_t>(columns) * kStateRows * 3)};
    for (int x = 0; x < columns; ++x) {
      const TimelinePoint p = plan.at(frame_of(x));
      const bool continuous = plan.ears[e].processor[p.from] == plan.ears[e].processor[p.to];
      const double w = continuous ? p.progress : (p.progress < 0.5 ? 0.0 : 1.0);
      for (int y = 0; y < kStateRows; ++y) put(img, x, y, mix(states[p.from][y], states[p.to][y], w));
    }
    const PlotArea lane{plot_left, top, plot_width, kStateHeight};
    canvas.image(img, lane.left, lane.top, lane.width, lane.height);
    draw_frame(canvas, lane);
    draw_y_axis(canvas, lane, hearing_axis);
    lane_label(canvas, lane.top + lane.height / 2.0, ear_names[e], "hearing (Hz)");
    top += kStateHeight + kGap;
  }
  const double states_bottom = top - kGap;
  // Layers, each as light as it is strong.
  auto strip = [&](auto strength, Rgb8 colour, const std::string& name) {
    RgbImage img{columns, 1, std::vector<std::uint8_t>(static_cast<std::size_t>(columns) * 3)};
    for (int x = 0; x < columns; ++x) put(img, x, 0, mix(Rgb8{20, 20, 20}, colour, std::clamp(strength(time_of(x)), 0.0, 1.0)));
    const PlotArea lane{plot_left, top, plot_width, kLayerHeight};
    canvas.image(img, lane.left, lane.top, lane.width, lane.height);
    draw_frame(canvas, lane);
    canvas.text(10.0, lane.top + lane.height / 2.0, name, {.size_px = 10.5, .baseline = TextBaseline::middle});
    top += kLayerHeight + kStripGap;
  };
  auto ears_of = [](EarSelection s) { return s == EarSelection::both ? std::string() : std::string(", ") + to_string(s); };
  for (const auto& t : spec.tinnitus) {
    strip([&](double s) { return t.params.span.gain_at(s); }, {255, 176, 0},
          "Tinnitus " + (t.params.frequency_hz >= 1000.0 ? fmt("%.3g kHz", t.params.frequency_hz / 1000.0) : fmt("%.0f Hz", t.params.frequency_hz)) +
              ears_of(t.ears));
  }
  for (const auto& m : spec.maskers) {
    strip([&](double s) { return m.params.span.gain_at(s); }, {200, 200, 200},
          std::string("Masker, ") + to_string(m.params.colour) + ears_of(m.ears));
  }
  for (const auto& ch : spec.characters) {
    strip([&](double s) { return implant_character_strength(ch.params, s); }, {230, 60, 200}, "Implant character" + ears_of(ch.ears));
  }
  if (layers) top += kGap - kStripGap;
  // Perspective: white where the room's sound is heard, dark where the listener's.
  {
    RgbImage img{columns, 1, std::vector<std::uint8_t>(static_cast<std::size_t>(columns) * 3)};
    for (int x = 0; x < columns; ++x) {
      const TimelinePoint p = plan.at(frame_of(x));
      const double a = spec.keyframes[p.from].perspective, b = spec.keyframes[p.to].perspective;
      put(img, x, 0, mix(Rgb8{30, 30, 30}, Rgb8{255, 255, 255}, a + p.progress * (b - a)));
    }
    const PlotArea lane{plot_left, top, plot_width, kPerspectiveHeight};
    canvas.image(img, lane.left, lane.top, lane.width, lane.height);
    draw_frame(canvas, lane);
    canvas.text(10.0, lane.top + lane.height / 2.0, "Perspective", {.size_px = 10.5, .baseline = TextBaseline::middle});
    top += kPerspectiveHeight + kGap;
  }
  // Spectrograms of the render, one per ear.
  const double spectrograms_top = top;
  for (int e = 0; e < 2; ++e) {
    const Spectrogram s = spectrogram(render[e].data(), render[e].size(), spec.sample_rate_hz, calibration_db_spl, kHighHz, kSpectrogramRows);
    const PlotArea lane{plot_left, top, plot_width, kSpectrogramHeight};
    canvas.image(spectrogram_raster(s, columns, 0.0, kCeilingDbSpl), lane.left, lane.top, lane.width, lane.height);
    draw_frame(canvas, lane);
    ChartAxis khz{.from = 0.0, .to = std::max(s.max_frequency_hz, 1.0) / 1000.0};
    khz.ticks = linear_ticks(0.0, khz.to, 5);
    draw_y_axis(canvas, lane, khz);
    lane_label(canvas, lane.top + lane.height / 2.0, ear_names[e], "heard (kHz)");
    top += kSpectrogramHeight + kGap;
  }
  const double lanes_bottom = top - kGap;
  const PlotArea whole{plot_left, kLanesTop, plot_width, lanes_bottom - kLanesTop};
  draw_x_axis(canvas, whole, time);

  // Keyframes: a dashed line where each move begins, across every lane, named at the top in two
  // staggered rows (each name cut to reach no further than the next name in its row).
  const TextStyle name_style{.size_px = 10.5, .colour = kInk};
  const std::size_t keys = plan.move_begin.size();
  auto key_x = [&](std::size_t k) { return plot_left + double(plan.move_begin[k]) / std::max<std::int64_t>(1, plan.frames) * plot_width; };
  for (std::size_t k = 0; k < keys; ++k) {
    canvas.line(key_x(k), (k % 2 == 0 ? 46.0 : 60.0) + 3.0, key_x(k), kLanesTop, 1.0, kMuted);
    if (k == 0) continue;
    canvas.line(key_x(k), kLanesTop, key_x(k), lanes_bottom, 2.5, Rgb8{255, 255, 255});
    canvas.line(key_x(k), kLanesTop, key_x(k), lanes_bottom, 1.0, kInk, 4.0);
  }
  for (std::size_t k = 0; k < keys; ++k) {  // names over the lines, each on white
    const double x = key_x(k), row_y = k % 2 == 0 ? 46.0 : 60.0;
    const double next_x = k + 2 < keys ? key_x(k + 2) : width - 4.0;
    const std::string name = fitted(canvas, keyframe_name(k, spec.keyframes[k]), next_x - x - 6.0, name_style);
    if (name.empty()) continue;
    canvas.fill_rect(x + 1.0, row_y - 10.0, canvas.text_width_px(name, name_style) + 2.0, 13.0, Rgb8{255, 255, 255});
    canvas.text(x + 2.0, row_y, name, name_style);
  }

  // Colour bars: hearing (dB HL, 0 at the top as on an audiogram) and level (dB SPL).
  const double bar_left = plot_left + plot_width + 16.0;
  ChartAxis hl{.from = kMaxHlDb, .to = 0.0, .title = "Hearing level (dB HL)"};
  hl.ticks = linear_ticks(0.0, kMaxHlDb, 7);
  draw_colour_bar(canvas, {bar_left, states_top, 12.0, states_bottom - states_top}, hl);
  ChartAxis level{.from = 0.0, .to = kCeilingDbSpl, .title = "Level (dB SPL)"};
  level.ticks = linear_ticks(0.0, kCeilingDbSpl, 6);
  draw_colour_bar(canvas, {bar_left, spectrograms_top, 12.0, lanes_bottom - spectrograms_top}, level);

  // Title and legend.
  char title[256];
  std::snprintf(title, sizeof title, "%s: %.1f s, %zu keyframes", options.title.c_str(), duration_s, spec.keyframes.size());
  canvas.text(plot_left, 22.0, title, {.size_px = kChartTitlePx, .bold = true});
  const double legend_y = height - 12.0;
  canvas.fill_rect(10.0, legend_y - 9.0, 6.0, 10.0, kImplantLight);
  canvas.fill_rect(16.0, legend_y - 9.0, 6.0, 10.0, kImplantDark);
  canvas.text(27.0, legend_y,
              "an implant's electrodes, a band each  ·  layers as light as they are strong  ·  perspective: white the room's sound, dark the "
              "listener's  ·  dashed: a keyframe's move begins",
              {.size_px = 10.5, .colour = kMuted});

  SceneTimelineChart chart;
  chart.bytes = canvas.finish();
  chart.width_px = width;
  chart.height_px = height;
  chart.plot_left_px = plot_left;
  chart.plot_right_px = plot_left + plot_width;
  chart.plot_top_px = kLanesTop;
  chart.plot_bottom_px = lanes_bottom;
  return chart;
}

}  // namespace earshot
