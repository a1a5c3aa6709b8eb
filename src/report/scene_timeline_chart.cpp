#include "report/scene_timeline_image.hpp"

#include <algorithm>
#include <cmath>

#include "report/png_image.hpp"
#include "metrics/spectrogram.hpp"

namespace earshot {
namespace {

constexpr int kWidth = 1200;
constexpr int kStateHeight = 72, kLayerHeight = 10, kPerspectiveHeight = 10, kSpectrogramHeight = 128, kGap = 3;
constexpr double kLowHz = 125.0, kHighHz = 8000.0;

struct Canvas {
  RgbImage image;
  void set(int x, int y, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    if (x < 0 || y < 0 || x >= image.width || y >= image.height) return;
    std::uint8_t* p = &image.rgb[(static_cast<std::size_t>(y) * image.width + x) * 3];
    p[0] = r;
    p[1] = g;
    p[2] = b;
  }
};

double row_frequency_hz(int y) { return kLowHz * std::pow(kHighHz / kLowHz, double(kStateHeight - 1 - y) / (kStateHeight - 1)); }

// How an ear hears at a frequency in one state: its colour.
void state_colour(const EarProfile& ear, const std::vector<double>& edges, double f, std::uint8_t* rgb) {
  if (ear.implant) {
    const bool acoustic = ear.implant->acoustic_crossover_hz > 0.0 && f < ear.implant->acoustic_crossover_hz;
    if (!acoustic && !edges.empty() && f >= edges.front() && f <= edges.back()) {
      // Stripes: alternate electrodes' bands lighter and darker teal.
      const auto band = std::upper_bound(edges.begin(), edges.end(), f) - edges.begin();
      const bool odd = band % 2 == 1;
      rgb[0] = 20;
      rgb[1] = odd ? 170 : 125;
      rgb[2] = odd ? 160 : 120;
      return;
    }
    if (!acoustic) {
      rgb[0] = rgb[1] = rgb[2] = 0;
      return;
    }
  }
  const double hl = std::clamp(ear.air_loss_db_hl(f), 0.0, 120.0);
  const auto v = static_cast<std::uint8_t>(std::lround(235.0 * (1.0 - hl / 120.0)));
  rgb[0] = v;
  rgb[1] = v;
  rgb[2] = static_cast<std::uint8_t>(std::min(255, v + 10));
}

}  // namespace

std::string encode_scene_timeline(const ScenePlan& plan, const std::array<std::vector<float>, 2>& render, double calibration_db_spl) {
  const SceneSpec& spec = plan.spec;
  const int layers = static_cast<int>(spec.tinnitus.size() + spec.maskers.size() + spec.characters.size());
  const int height = 2 * (kStateHeight + kGap) + layers * (kLayerHeight + 1) + kGap + kPerspectiveHeight + kGap +
                     2 * (kSpectrogramHeight + kGap);
  Canvas c;
  c.image.width = kWidth;
  c.image.height = height;
  c.image.rgb.assign(static_cast<std::size_t>(kWidth) * height * 3, 40);
  const double frames_per_column = double(plan.frames) / kWidth;
  auto frame_of = [&](int x) { return static_cast<std::int64_t>((x + 0.5) * frames_per_column); };
  auto time_of = [&](int x) { return (x + 0.5) * frames_per_column / spec.sample_rate_hz; };

  int top = 0;
  // States per ear: a move blends the two thresholds as the model does; a structural change shows
  // whichever state is the louder in the crossfade.
  for (int e = 0; e < 2; ++e) {
    std::vector<std::vector<std::uint8_t>> columns;  // per keyframe, the state's colours bottom to top
    for (const auto& key : spec.keyframes) {
      const EarProfile& ear = key.listener.ear(e);
      const std::vector<double> edges = ear.implant ? active_band_edges(*ear.implant) : std::vector<double>{};
      std::vector<std::uint8_t> column(kStateHeight * 3);
      for (int y = 0; y < kStateHeight; ++y) state_colour(ear, edges, row_frequency_hz(y), &column[y * 3]);
      columns.push_back(std::move(column));
    }
    for (int x = 0; x < kWidth; ++x) {
      const TimelinePoint p = plan.at(frame_of(x));
      const bool continuous = plan.ears[e].processor[p.from] == plan.ears[e].processor[p.to];
      const double w = continuous ? p.progress : (p.progress < 0.5 ? 0.0 : 1.0);
      for (int y = 0; y < kStateHeight; ++y) {
        const std::uint8_t* ca = &columns[p.from][y * 3];
        const std::uint8_t* cb = &columns[p.to][y * 3];
        std::uint8_t out[3];
        for (int k = 0; k < 3; ++k) out[k] = static_cast<std::uint8_t>(std::lround((1.0 - w) * ca[k] + w * cb[k]));
        c.set(x, top + y, out[0], out[1], out[2]);
      }
    }
    top += kStateHeight + kGap;
  }
  // Layers.
  auto strip = [&](auto strength, std::uint8_t r, std::uint8_t g, std::uint8_t b) {
    for (int x = 0; x < kWidth; ++x) {
      const double s = std::clamp(strength(time_of(x)), 0.0, 1.0);
      for (int y = 0; y < kLayerHeight; ++y) {
        c.set(x, top + y, static_cast<std::uint8_t>(20 + s * (r - 20)), static_cast<std::uint8_t>(20 + s * (g - 20)),
              static_cast<std::uint8_t>(20 + s * (b - 20)));
      }
    }
    top += kLayerHeight + 1;
  };
  for (const auto& t : spec.tinnitus) strip([&](double s) { return t.params.span.gain_at(s); }, 255, 176, 0);
  for (const auto& m : spec.maskers) strip([&](double s) { return m.params.span.gain_at(s); }, 200, 200, 200);
  for (const auto& ch : spec.characters) strip([&](double s) { return implant_character_strength(ch.params, s); }, 230, 60, 200);
  top += kGap;
  // Perspective.
  for (int x = 0; x < kWidth; ++x) {
    const TimelinePoint p = plan.at(frame_of(x));
    const double a = spec.keyframes[p.from].perspective, b = spec.keyframes[p.to].perspective;
    const auto v = static_cast<std::uint8_t>(std::lround(30 + 225 * (a + p.progress * (b - a))));
    for (int y = 0; y < kPerspectiveHeight; ++y) c.set(x, top + y, v, v, v);
  }
  top += kPerspectiveHeight + kGap;
  // Spectrograms of the render, one per ear, resampled to the picture's columns.
  for (int e = 0; e < 2; ++e) {
    const Spectrogram s = spectrogram(render[e].data(), render[e].size(), spec.sample_rate_hz, calibration_db_spl, 8000.0, kSpectrogramHeight);
    for (int x = 0; x < kWidth && s.frames > 0; ++x) {
      const int f0 = std::min(s.frames - 1, static_cast<int>(double(x) * s.frames / kWidth));
      const int f1 = std::max(f0 + 1, std::min(s.frames, static_cast<int>(double(x + 1) * s.frames / kWidth)));
      for (int row = 0; row < s.rows; ++row) {
        double level = -1e9;  // the loudest frame a column stands for
        for (int f = f0; f < f1; ++f) level = std::max(level, double(s.at(f, row)));
        std::uint8_t rgb[3];
        ramp_colour(level / 90.0, rgb);
        c.set(x, top + s.rows - 1 - row, rgb[0], rgb[1], rgb[2]);
      }
    }
    top += kSpectrogramHeight + kGap;
  }
  // Keyframe ticks across the whole picture.
  for (std::size_t k = 1; k < plan.move_begin.size(); ++k) {
    const int x = static_cast<int>(plan.move_begin[k] / frames_per_column);
    for (int y = 0; y < height; y += 2) c.set(x, y, 255, 255, 255);
  }
  const std::vector<std::uint8_t> png = encode_png(c.image);
  return std::string(png.begin(), png.end());
}

}  // namespace earshot
