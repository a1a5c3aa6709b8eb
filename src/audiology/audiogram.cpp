#include "audiology/audiogram.hpp"

#include "support/decimal_number.hpp"

#include <cmath>
#include <sstream>

namespace earshot {

double Audiogram::at(double frequency_hz) const {
  if (points.empty()) return 0.0;
  if (frequency_hz <= points.front().frequency_hz) return points.front().level_db_hl;
  if (frequency_hz >= points.back().frequency_hz) return points.back().level_db_hl;
  for (std::size_t i = 1; i < points.size(); ++i) {
    const auto& hi = points[i];
    if (frequency_hz <= hi.frequency_hz) {
      const auto& lo = points[i - 1];
      const double t = std::log(frequency_hz / lo.frequency_hz) / std::log(hi.frequency_hz / lo.frequency_hz);
      return lo.level_db_hl + t * (hi.level_db_hl - lo.level_db_hl);
    }
  }
  return points.back().level_db_hl;
}

SpecErrors validate(const Audiogram& audiogram, std::string_view field) {
  SpecErrors errors;
  const std::string base(field);
  if (audiogram.points.empty()) {
    errors.push_back({base, "an audiogram needs at least one frequency:level point"});
    return errors;
  }
  if (audiogram.points.size() > kAudiogramMaxPoints) {
    errors.push_back({base, std::to_string(audiogram.points.size()) + " points: the limit is " + std::to_string(kAudiogramMaxPoints)});
    return errors;
  }
  for (std::size_t i = 0; i < audiogram.points.size(); ++i) {
    const auto& p = audiogram.points[i];
    const std::string at = base + "[" + std::to_string(i) + "]";
    if (!std::isfinite(p.frequency_hz) || p.frequency_hz < kAudiogramMinFrequencyHz ||
        p.frequency_hz > kAudiogramMaxFrequencyHz) {
      errors.push_back({at + ".frequency_hz", format_number(p.frequency_hz) + " Hz is outside the allowed " +
                                                  format_number(kAudiogramMinFrequencyHz) + "..." +
                                                  format_number(kAudiogramMaxFrequencyHz) + " Hz"});
    }
    if (!std::isfinite(p.level_db_hl) || p.level_db_hl < kAudiogramMinLevelDbHl ||
        p.level_db_hl > kAudiogramMaxLevelDbHl) {
      errors.push_back({at + ".level_db_hl", format_number(p.level_db_hl) + " dB HL is outside the allowed " +
                                                 format_number(kAudiogramMinLevelDbHl) + "..." +
                                                 format_number(kAudiogramMaxLevelDbHl) + " dB HL"});
    }
    if (i > 0) {
      const double prev = audiogram.points[i - 1].frequency_hz;
      if (p.frequency_hz == prev) {
        errors.push_back({at + ".frequency_hz", format_number(p.frequency_hz) + " Hz is repeated"});
      } else if (p.frequency_hz < prev) {
        errors.push_back({at + ".frequency_hz", format_number(p.frequency_hz) + " Hz comes after " + format_number(prev) +
                                                    " Hz: frequencies must be in increasing order"});
      }
    }
  }
  return errors;
}

static bool parse_number(std::string_view s, double& out) {
  std::string str(s);
  while (!str.empty() && std::isspace(static_cast<unsigned char>(str.front()))) str.erase(str.begin());
  while (!str.empty() && std::isspace(static_cast<unsigned char>(str.back()))) str.pop_back();
  // Plain decimal only (support/decimal_number.hpp): "0x100" is not 256 Hz.
  return parse_decimal(str, out);
}

AudiogramParse parse_audiogram(std::string_view text, std::string_view field) {
  AudiogramParse result;
  std::size_t start = 0;
  std::size_t index = 0;
  const std::string base(field);
  while (start <= text.size()) {
    const std::size_t comma = text.find(',', start);
    const std::string_view item =
        text.substr(start, comma == std::string_view::npos ? std::string_view::npos : comma - start);
    const std::size_t colon = item.find(':');
    AudiogramPoint p;
    if (colon == std::string_view::npos || !parse_number(item.substr(0, colon), p.frequency_hz) ||
        !parse_number(item.substr(colon + 1), p.level_db_hl)) {
      result.errors.push_back({base + "[" + std::to_string(index) + "]",
                               "'" + std::string(item) + "' is not FREQUENCY_HZ:LEVEL_DB_HL (e.g. 1000:35)"});
    } else {
      result.audiogram.points.push_back(p);
    }
    ++index;
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return result;
}

std::string to_string(const Audiogram& audiogram) {
  std::string out;
  for (const auto& p : audiogram.points) {
    if (!out.empty()) out += ",";
    out += format_number(p.frequency_hz) + ":" + format_number(p.level_db_hl);
  }
  return out;
}

}  // namespace earshot
