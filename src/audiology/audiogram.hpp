#pragma once
// A pure-tone audiogram: hearing threshold levels in dB HL at audiometric frequencies.
#include <string>
#include <string_view>
#include <vector>

#include "support/spec_error.hpp"

namespace earshot {

struct AudiogramPoint {
  double frequency_hz = 0.0;
  double level_db_hl = 0.0;
};

// Limits accepted from users (issue #2): frequencies 100..16000 Hz, levels -10..120 dB HL.
inline constexpr double kAudiogramMinFrequencyHz = 100.0;
inline constexpr double kAudiogramMaxFrequencyHz = 16000.0;
inline constexpr double kAudiogramMinLevelDbHl = -10.0;
inline constexpr double kAudiogramMaxLevelDbHl = 120.0;
// At most this many points (an audiometer tests about 11 frequencies; more is a mistake, and each
// point is read, checked and interpolated).
inline constexpr std::size_t kAudiogramMaxPoints = 64;

struct Audiogram {
  std::vector<AudiogramPoint> points;  // strictly increasing frequency

  // Threshold at any frequency: linear in dB on a log-frequency axis between points, held flat
  // beyond the first and last points (the usual clinical reading of an audiogram). Empty: 0 dB HL.
  double at(double frequency_hz) const;
  bool empty() const { return points.empty(); }
};

// Every problem with an audiogram, each naming `field` plus the point index.
SpecErrors validate(const Audiogram& audiogram, std::string_view field);

// "250:20,500:25,..." -> points (not yet validated). Errors name `field`.
struct AudiogramParse {
  Audiogram audiogram;
  SpecErrors errors;
};
AudiogramParse parse_audiogram(std::string_view text, std::string_view field);

// "250:20,500:25" — the same form the parser reads.
std::string to_string(const Audiogram& audiogram);

}  // namespace earshot
