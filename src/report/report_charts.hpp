#pragma once
// Charts for the report, as inline SVG written by hand (text, no library needed).
#include <string>
#include <vector>

#include "model/listener.hpp"

namespace earshot {

enum class Side { left, right };

// The range of speech in one SII band, in dB HL (where it sits on an audiogram).
struct SpeechRange {
  double frequency_hz;
  double quiet_db_hl;  // 15 dB below the band's rms level: the bottom of the audible range
  double peak_db_hl;   // 15 dB above: speech peaks
};

// A clinical audiogram of one ear: frequency on a log axis (125-8000 Hz), dB HL growing downward,
// air conduction as O (right, red) or X (left, blue) joined by lines, bone conduction as < or >
// where there is an air-bone gap, and the speech range shaded behind ("speech banana").
// Every air-conduction point carries class="point" and its frequency and level as data attributes.
std::string audiogram_svg(const EarProfile& ear, Side side, const std::vector<SpeechRange>& speech);

// Band audibility (0-1) per SII band, as bars, with the SII in the title. `condition` ("unaided",
// "aided"), if given, is named in the title and carried as data-condition (the report's aided
// comparison draws each ear both ways).
std::string band_audibility_svg(const std::vector<double>& centre_hz, const std::vector<double>& audibility, double sii,
                                Side side, const std::string& condition = "");

}  // namespace earshot
