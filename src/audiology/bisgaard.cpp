#include <algorithm>
#include <cctype>

#include "audiology/presets.hpp"

namespace earshot {

const std::vector<BisgaardAudiogram>& bisgaard_audiograms() {
  // Bisgaard et al. (2010) Table 2, dB HL at 250, 375, 500, 750, 1000, 1500, 2000, 3000, 4000,
  // 6000 Hz. The audiograms stop at 6 kHz; earshot holds the 6 kHz value above it.
  static const std::vector<BisgaardAudiogram> table = [] {
    const double f[] = {250, 375, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000};
    struct Row {
      const char* name;
      const char* description;
      double hl[10];
    };
    const Row rows[] = {
        {"N1", "very mild, flat/moderately sloping", {10, 10, 10, 10, 10, 10, 15, 20, 30, 40}},
        {"N2", "mild, flat/moderately sloping", {20, 20, 20, 22.5, 25, 30, 35, 40, 45, 50}},
        {"N3", "moderate, flat/moderately sloping", {35, 35, 35, 35, 40, 45, 50, 55, 60, 65}},
        {"N4", "moderate/severe, flat/moderately sloping", {55, 55, 55, 55, 55, 60, 65, 70, 75, 80}},
        {"N5", "severe, flat/moderately sloping", {65, 67.5, 70, 72.5, 75, 80, 80, 80, 80, 80}},
        {"N6", "severe, flat/moderately sloping", {75, 77.5, 80, 82.5, 85, 90, 90, 95, 100, 100}},
        {"N7", "profound, flat/moderately sloping", {90, 92.5, 95, 100, 105, 105, 105, 105, 105, 105}},
        {"S1", "very mild, steep sloping", {10, 10, 10, 10, 10, 10, 15, 30, 55, 70}},
        {"S2", "mild, steep sloping", {20, 20, 20, 22.5, 25, 35, 55, 75, 95, 95}},
        {"S3", "moderate, steep sloping", {30, 30, 35, 47.5, 60, 70, 75, 80, 80, 85}},
    };
    std::vector<BisgaardAudiogram> out;
    for (const Row& r : rows) {
      BisgaardAudiogram a{r.name, r.description, {}};
      for (int i = 0; i < 10; ++i) a.audiogram.points.push_back({f[i], r.hl[i]});
      out.push_back(std::move(a));
    }
    return out;
  }();
  return table;
}

std::optional<BisgaardAudiogram> bisgaard_audiogram(std::string_view name) {
  for (const auto& a : bisgaard_audiograms()) {
    const std::string_view n = a.name;
    if (name.size() == n.size() &&
        std::equal(name.begin(), name.end(), n.begin(), [](char x, char y) { return std::toupper(x) == y; })) {
      return a;
    }
  }
  return std::nullopt;
}

}  // namespace earshot
