// The chart layer (src/report): the colour map's lightness, readable ticks, PNG and SVG output,
// and each picture earshot draws (spectrogram, electrodogram, scene timeline) with its axis
// titles, tick labels and colour bars present as text in the SVG and its size in the PNG.
#include <gtest/gtest.h>

#include <cairo.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/electrodogram_render.hpp"
#include "metrics/spectrogram.hpp"
#include "report/chart_axes.hpp"
#include "report/chart_canvas.hpp"
#include "report/colour_map.hpp"
#include "report/electrodogram_chart.hpp"
#include "report/scene_timeline_chart.hpp"
#include "report/spectrogram_chart.hpp"
#include "scene/scene_design.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

struct PngSize {
  std::uint32_t width = 0, height = 0;
};

// The width and height in a PNG's IHDR chunk (bytes 16..23, big-endian), after its signature.
PngSize png_size(const std::string& png) {
  EXPECT_GE(png.size(), 24u);
  if (png.size() < 24 || png.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || png.compare(12, 4, "IHDR") != 0) return {};
  auto be32 = [&](std::size_t at) {
    return (std::uint32_t(std::uint8_t(png[at])) << 24) | (std::uint32_t(std::uint8_t(png[at + 1])) << 16) |
           (std::uint32_t(std::uint8_t(png[at + 2])) << 8) | std::uint32_t(std::uint8_t(png[at + 3]));
  };
  return {be32(16), be32(20)};
}

// The PNG decoded (by cairo) into a grey value per pixel (0 black .. 255 white), row-major.
struct GreyImage {
  int width = 0, height = 0;
  std::vector<double> grey;
  double at(int x, int y) const { return grey[static_cast<std::size_t>(y) * width + x]; }
  double lightest(int x0, int y0, int x1, int y1) const {  // over [x0, x1) x [y0, y1)
    double m = 0.0;
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) m = std::max(m, at(x, y));
    return m;
  }
  double mean(int x0, int y0, int x1, int y1) const {
    double s = 0.0;
    for (int y = y0; y < y1; ++y)
      for (int x = x0; x < x1; ++x) s += at(x, y);
    return s / std::max(1, (x1 - x0) * (y1 - y0));
  }
};

GreyImage decode_grey(const std::string& png) {
  struct Reader {
    const std::string* bytes;
    std::size_t at = 0;
  } reader{&png};
  cairo_surface_t* s = cairo_image_surface_create_from_png_stream(
      [](void* closure, unsigned char* data, unsigned int length) {
        auto* r = static_cast<Reader*>(closure);
        if (r->at + length > r->bytes->size()) return CAIRO_STATUS_READ_ERROR;
        std::copy_n(r->bytes->data() + r->at, length, data);
        r->at += length;
        return CAIRO_STATUS_SUCCESS;
      },
      &reader);
  GreyImage g;
  EXPECT_EQ(cairo_surface_status(s), CAIRO_STATUS_SUCCESS);
  if (cairo_surface_status(s) == CAIRO_STATUS_SUCCESS) {
    g.width = cairo_image_surface_get_width(s);
    g.height = cairo_image_surface_get_height(s);
    const unsigned char* data = cairo_image_surface_get_data(s);
    const int stride = cairo_image_surface_get_stride(s);
    for (int y = 0; y < g.height; ++y) {
      const auto* row = reinterpret_cast<const std::uint32_t*>(data + static_cast<std::size_t>(y) * stride);
      for (int x = 0; x < g.width; ++x) {
        const std::uint32_t p = row[x];
        g.grey.push_back(0.2126 * ((p >> 16) & 255) + 0.7152 * ((p >> 8) & 255) + 0.0722 * (p & 255));
      }
    }
  }
  cairo_surface_destroy(s);
  return g;
}

// Every string must appear in the SVG as the content of a <text> element.
void expect_svg_text(const std::string& svg, const std::vector<std::string>& texts) {
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u) << svg.substr(0, 80);
  EXPECT_NE(svg.find("<svg"), std::string::npos);
  for (const auto& t : texts) EXPECT_NE(svg.find(">" + t + "</text>"), std::string::npos) << "no <text> '" << t << "' in the SVG";
}

TEST(ColourMap, CieLightnessRisesMonotonicallyFromBlackToWhite) {
  // Strictly lighter at every 1/128 of the scale, by at least 0.2 L*: every step a colour bar or
  // picture shows reads lighter than the one below it.
  for (int i = 0; i < 128; ++i) {
    const double step = cie_lightness(cubehelix_colour((i + 1) / 128.0)) - cie_lightness(cubehelix_colour(i / 128.0));
    EXPECT_GT(step, 0.2) << "between " << i / 128.0 << " and " << (i + 1) / 128.0;
  }
  // Finer than 8 bits can resolve, rounding each channel to a byte may trade a unit of green for
  // one of blue: never darker by more than that (0.3 L*, a third of a just-noticeable difference).
  double last = 0.0;
  for (int i = 0; i <= 1024; ++i) {
    const double l = cie_lightness(cubehelix_colour(i / 1024.0));
    EXPECT_GT(l, last - 0.3) << "at " << i / 1024.0;
    last = std::max(last, l);
  }
  EXPECT_LT(cie_lightness(cubehelix_colour(0.0)), 1.0);
  EXPECT_GT(cie_lightness(cubehelix_colour(1.0)), 99.0);
  // A colour map, not grey: half way it has a hue (Green 2011's helix).
  const Rgb8 mid = cubehelix_colour(0.5);
  EXPECT_GT(std::max({mid.r, mid.g, mid.b}) - std::min({mid.r, mid.g, mid.b}), 20);
  // Its reverse for pulses on white: light to dark.
  EXPECT_GT(cie_lightness(scale_colour(0.1, ColourDirection::light_to_dark)), cie_lightness(scale_colour(0.9, ColourDirection::light_to_dark)));
}

TEST(ChartAxes, LinearTicksStepByOneTwoOrFiveAndLabelAsTheStepNeeds) {
  auto labels = [](const std::vector<AxisTick>& ticks) {
    std::vector<std::string> l;
    for (const auto& t : ticks) l.push_back(t.label);
    return l;
  };
  EXPECT_EQ(labels(linear_ticks(0.0, 62.0, 8)), (std::vector<std::string>{"0", "10", "20", "30", "40", "50", "60"}));
  EXPECT_EQ(labels(linear_ticks(0.0, 3.88, 9)), (std::vector<std::string>{"0", "0.5", "1.0", "1.5", "2.0", "2.5", "3.0", "3.5"}));
  EXPECT_EQ(labels(linear_ticks(0.0, 90.0, 6)), (std::vector<std::string>{"0", "20", "40", "60", "80"}));
  EXPECT_EQ(labels(linear_ticks(150.0, 550.0, 5)), (std::vector<std::string>{"200", "300", "400", "500"}));
  EXPECT_EQ(labels(octave_ticks(125.0, 8000.0, 8)), (std::vector<std::string>{"125", "250", "500", "1k", "2k", "4k", "8k"}));
  EXPECT_EQ(labels(octave_ticks(125.0, 8000.0, 4)), (std::vector<std::string>{"250", "1k", "4k"}));
  const ChartAxis log_axis{.from = 125.0, .to = 8000.0, .scale = AxisScale::log};
  EXPECT_NEAR(log_axis.fraction(1000.0), 0.5, 1e-12);  // 1 kHz is 3 of the 6 octaves up
}

TEST(ChartCanvas, WritesPngOrSvgByExtensionAtTheSizeAsked) {
  EXPECT_EQ(chart_format_for_extension(".png"), ChartFormat::png);
  EXPECT_EQ(chart_format_for_extension(".svg"), ChartFormat::svg);
  EXPECT_FALSE(chart_format_for_extension(".jpg"));
  ChartCanvas png(ChartFormat::png, 321, 123);
  png.text(10.0, 60.0, "Time (s)", {.size_px = 20.0});
  const std::string png_bytes = png.finish();
  EXPECT_EQ(png_size(png_bytes).width, 321u);
  EXPECT_EQ(png_size(png_bytes).height, 123u);
  const GreyImage g = decode_grey(png_bytes);
  EXPECT_LT(g.mean(10, 40, 90, 62), 230.0);  // the text is drawn: dark glyphs on the white
  EXPECT_GT(g.mean(200, 0, 321, 123), 254.0);  // and nothing else
  ChartCanvas svg(ChartFormat::svg, 321, 123);
  svg.text(10.0, 60.0, "Level (dB SPL) & <µA>", {.size_px = 20.0, .angle_deg = 90.0});
  const std::string svg_bytes = svg.finish();
  expect_svg_text(svg_bytes, {"Level (dB SPL) &amp; &lt;µA&gt;"});
  EXPECT_NE(svg_bytes.find("width=\"321px\""), std::string::npos) << svg_bytes.substr(0, 300);
  EXPECT_NE(svg_bytes.find("font-family=\"DejaVu Sans\""), std::string::npos);
  EXPECT_NE(svg_bytes.find("rotate(-90"), std::string::npos);
}

// A second of a tone at 1 kHz, 70 dB SPL, then a second of silence.
Spectrogram tone_then_silence() {
  std::vector<float> x = tone(1000.0, 70.0, 16000.0, 1.0);
  x.resize(32000, 0.0f);
  return spectrogram(x.data(), x.size(), 16000.0, 100.0);
}

TEST(SpectrogramChart, HasTimeFrequencyAndLevelAxesAndShowsTheToneWhereItIs) {
  const Spectrogram s = tone_then_silence();
  const SpectrogramChartOptions options{.width_px = 800, .height_px = 300, .title = "What the left ear hears"};
  expect_svg_text(spectrogram_chart(s, ChartFormat::svg, options),
                  {"Time (s)", "Frequency (kHz)", "Level (dB SPL)", "What the left ear hears", "0", "0.5", "1.0", "1.5", "8", "4", "80"});
  const std::string png = spectrogram_chart(s, ChartFormat::png, options);
  EXPECT_EQ(png_size(png).width, 800u);
  EXPECT_EQ(png_size(png).height, 300u);
  // The plot: x 62..(800-104), y 34..250 (0..8 kHz). The tone at 1 kHz is light in the first
  // second, the silence black in the second; 4 kHz, away from the tone, is dark.
  const GreyImage g = decode_grey(png);
  const double plot_left = 62.0, plot_right = 800.0 - 104.0, plot_top = 34.0, plot_bottom = 250.0;
  const int y1k = static_cast<int>(plot_bottom - (plot_bottom - plot_top) / 8.0);
  const int y4k = static_cast<int>(plot_bottom - (plot_bottom - plot_top) / 2.0);
  const int x_tone = static_cast<int>(plot_left + 0.25 * (plot_right - plot_left));
  const int x_quiet = static_cast<int>(plot_left + 0.75 * (plot_right - plot_left));
  EXPECT_GT(g.lightest(x_tone - 5, y1k - 3, x_tone + 5, y1k + 4), 150.0);
  EXPECT_LT(g.mean(x_quiet - 5, y1k - 1, x_quiet + 5, y1k + 2), 10.0);
  EXPECT_LT(g.mean(x_tone - 5, y4k - 1, x_tone + 5, y4k + 2), 60.0);
}

TEST(ElectrodogramChart, NamesTheDeviceAndEachElectrodesBandWithTimeAndCurrentAxes) {
  // 700 Hz bursts: Nucleus electrode 18 carries 688-813 Hz, electrode 1 the top band.
  std::vector<float> x = tone(750.0, 70.0, 16000.0, 1.0);
  auto rendered = render_electrodogram({x}, 16000.0, listener("ci:nucleus-ace"), "", {std::nullopt, 100.0});
  ASSERT_TRUE(rendered) << rendered.errors().front().message;
  const ImplantPlan& plan = *rendered.value().plan;
  const auto& pulses = rendered.value().pulses;
  ASSERT_EQ(plan.electrodes.size(), 22u);
  const std::string svg = electrodogram_chart(plan, pulses, 1.0, ChartFormat::svg, {.ear = "left"});
  const ImplantElectrode& apical = plan.electrodes.front();
  char band[64];
  std::snprintf(band, sizeof band, "%d: %.0f–%.0f Hz", apical.number, apical.band_low_hz, apical.band_high_hz);
  expect_svg_text(svg, {"Time (s)", "Current (µA)", "Electrode: analysis band (Hz)", "basal ▲ high pitch", "apical ▼ low pitch",
                        "Electrodogram: " + plan.map.device + ", left ear", band, "0", "0.4", "1.0"});
  const std::string png = electrodogram_chart(plan, pulses, 1.0, ChartFormat::png, {.width_px = 700});
  EXPECT_EQ(png_size(png).width, 700u);
  EXPECT_EQ(png_size(png).height, static_cast<std::uint32_t>(electrodogram_chart_height_px(plan)));
  EXPECT_EQ(png_size(electrodogram_chart(plan, pulses, 1.0, ChartFormat::png, {.width_px = 640, .height_px = 480})).height, 480u);
  // In the picture, the row of the electrode carrying 750 Hz is dark with pulses, the most basal
  // electrode's row (the top one) stays white. Rows: 16 px each from y = 52, basal first.
  const GreyImage g = decode_grey(png);
  int carrying = -1;
  for (std::size_t e = 0; e < plan.electrodes.size(); ++e) {
    if (plan.electrodes[e].band_low_hz <= 750.0 && 750.0 < plan.electrodes[e].band_high_hz) carrying = static_cast<int>(e);
  }
  ASSERT_GE(carrying, 0);
  const int rows = 22, row_top = 52 + 16 * (rows - 1 - carrying);
  const int x0 = 250, x1 = 450;  // inside the plot, in the tone
  EXPECT_LT(g.mean(x0, row_top + 3, x1, row_top + 13), 200.0);
  EXPECT_GT(g.mean(x0, 52 + 3, x1, 52 + 13), 250.0);
}

TEST(SceneTimelineChart, WidthGrowsWithTheSceneWithinItsLimits) {
  EXPECT_EQ(scene_timeline_width_px(3.0), kMinTimelinePlotPx + kTimelineMarginsPx);
  EXPECT_EQ(scene_timeline_width_px(62.0), 1240 + kTimelineMarginsPx);
  // An 11-minute scene: its first 30 s take 600 px, not 50.
  EXPECT_EQ(scene_timeline_width_px(660.0), 13200 + kTimelineMarginsPx);
  EXPECT_EQ(scene_timeline_width_px(1200.0), kMaxTimelinePlotPx + kTimelineMarginsPx);
}

TEST(SceneTimelineChart, LabelsEveryLaneKeyframeAndScale) {
  SceneSpec spec;
  spec.sample_rate_hz = 16000.0;
  spec.duration_s = 4.0;
  spec.keyframes = {keyframe(0.0, "normal"), keyframe(1.0, "N4", 1.0), keyframe(2.5, "ci:nucleus-ace")};
  spec.keyframes[2].listener.left = listener("normal").left;
  spec.keyframes[2].listener.left.label = "normal";
  TinnitusLayer t;
  t.params.frequency_hz = 5200.0;
  t.params.level_db_spl = 40.0;
  spec.tinnitus.push_back(t);
  MaskerLayer m;
  m.params.colour = NoiseColour::brown;
  m.ears = EarSelection::right;
  spec.maskers.push_back(m);
  auto plan = design_scene(spec);
  ASSERT_TRUE(plan) << plan.errors().front().message;
  std::array<std::vector<float>, 2> render{tone(1000.0, 60.0, 16000.0, 4.0), tone(2000.0, 60.0, 16000.0, 4.0)};
  const SceneTimelineChart svg = scene_timeline_chart(plan.value(), render, 100.0, ChartFormat::svg, {.title = "arc.toml"});
  expect_svg_text(svg.bytes, {"arc.toml: 4.0 s, 3 keyframes", "Time (s)", "Left ear", "Right ear", "hearing (Hz)", "heard (kHz)",
                              "Tinnitus 5.2 kHz", "Masker, brown, right", "Perspective", "Hearing level (dB HL)", "Level (dB SPL)",
                              "1 normal", "2 N4", "250", "1k", "4k", "0", "2", "4", "8", "120"});
  EXPECT_NE(svg.bytes.find(">3 L normal, R ci:nucleus-ace</text>"), std::string::npos);
  const SceneTimelineChart png = scene_timeline_chart(plan.value(), render, 100.0, ChartFormat::png);
  EXPECT_EQ(static_cast<int>(png_size(png.bytes).width), scene_timeline_width_px(4.0));
  EXPECT_EQ(static_cast<int>(png_size(png.bytes).height), png.height_px);
  EXPECT_EQ(png_size(scene_timeline_chart(plan.value(), render, 100.0, ChartFormat::png, {.width_px = 2000}).bytes).width, 2000u);
  // The time axis: 0 s at plot_left_px, the end at plot_right_px; the left ear's hearing lane is
  // light (normal) at first and darker once N4 holds (after 2 s), at about 4 kHz.
  const GreyImage g = decode_grey(png.bytes);
  auto x_at = [&](double s) { return static_cast<int>(png.plot_left_px + s / 4.0 * (png.plot_right_px - png.plot_left_px)); };
  const int y = static_cast<int>(png.plot_top_px + 72.0 * 0.2);  // near the top of the first lane: high frequencies
  EXPECT_GT(g.mean(x_at(0.2), y - 2, x_at(0.8), y + 2), g.mean(x_at(2.0), y - 2, x_at(2.4), y + 2) + 30.0);
}

TEST(SceneTimelineChart, KeyframeNamesTooLongForTheirRoomAreCutWithAnEllipsis) {
  SceneSpec spec;
  spec.sample_rate_hz = 16000.0;
  spec.duration_s = 4.0;
  const std::string audiogram = "250:90,500:100,1000:105,2000:110,4000:115,8000:120";
  // Keyframes 1 and 3 share the top row, 0.4 s (90 px) apart: the first's name must stop there.
  spec.keyframes = {keyframe(0.0, audiogram), keyframe(0.2, "N2"), keyframe(0.4, "N3"), keyframe(2.5, audiogram)};
  auto plan = design_scene(spec);
  ASSERT_TRUE(plan) << plan.errors().front().message;
  std::array<std::vector<float>, 2> render{std::vector<float>(64000, 0.0f), std::vector<float>(64000, 0.0f)};
  const std::string svg = scene_timeline_chart(plan.value(), render, 100.0, ChartFormat::svg).bytes;
  EXPECT_EQ(svg.find(">1 " + audiogram + "</text>"), std::string::npos);
  const auto cut = svg.find(">1 250:90");
  ASSERT_NE(cut, std::string::npos);
  const std::string name = svg.substr(cut + 1, svg.find("</text>", cut) - cut - 1);
  EXPECT_TRUE(name.ends_with("…")) << name;
  EXPECT_LT(name.size(), 20u) << name;  // about 80 px of 10.5 px text
  EXPECT_NE(svg.find(">4 " + audiogram + "</text>"), std::string::npos);  // the last has the room to its right
}

}  // namespace
}  // namespace earshot::test
