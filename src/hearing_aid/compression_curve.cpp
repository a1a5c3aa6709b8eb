#include "hearing_aid/compression_curve.hpp"

#include <algorithm>

namespace earshot {

double CompressionCurve::gain_db(double input_db_spl) const noexcept {
  if (input_db_spl <= points.front().input_db_spl) return points.front().gain_db;
  if (input_db_spl >= points.back().input_db_spl) return points.back().gain_db;
  std::size_t i = 1;
  while (points[i].input_db_spl < input_db_spl) ++i;
  if (points[i].input_db_spl == input_db_spl) return points[i].gain_db;  // exactly the prescribed gain
  const Point& a = points[i - 1];
  const Point& b = points[i];
  return a.gain_db + (b.gain_db - a.gain_db) * (input_db_spl - a.input_db_spl) / (b.input_db_spl - a.input_db_spl);
}

double CompressionCurve::ratio(double from_db_spl, double to_db_spl) const noexcept {
  const double in = to_db_spl - from_db_spl;
  const double out = in + gain_db(to_db_spl) - gain_db(from_db_spl);
  return in / out;
}

double CompressionCurve::knee_db_spl() const noexcept {
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    if (points[i + 1].gain_db < points[i].gain_db) return points[i].input_db_spl;
  }
  return points.back().input_db_spl;
}

CompressionCurve compression_curve(const Prescription& p, std::size_t i) {
  CompressionCurve c;
  if (!p.linear()) {
    for (std::size_t l = 0; l < p.input_levels_db_spl.size(); ++l) c.points.push_back({p.input_levels_db_spl[l], p.insertion_gain_db[l][i]});
    return c;
  }
  const double g65 = p.insertion_gain_db[0][i];
  if (g65 <= 0.0) {  // nothing prescribed here: no gain at any level
    c.points.push_back({65.0, 0.0});
    return c;
  }
  const double slope = 1.0 - 1.0 / kDefaultCompressionRatio;  // dB of gain lost per dB of input
  // Above 65 dB SPL the gain falls to 0 dB and stays (an aid is not prescribed to attenuate).
  const double zero_at_db_spl = 65.0 + g65 / slope;
  c.points = {{kDefaultKneeDbSpl, g65 + slope * (65.0 - kDefaultKneeDbSpl)}, {65.0, g65}, {zero_at_db_spl, 0.0}};
  return c;
}

}  // namespace earshot
