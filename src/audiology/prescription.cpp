#include "audiology/prescription.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace earshot {
namespace {

// NAL-R (Byrne & Dillon 1986, Ear Hear 7:257-265): IG(f) = X + 0.31 H(f) + k(f), with
// X = 0.05 (H500 + H1000 + H2000) (0.15 times the three-frequency average) and k(f) the gains
// that equalise the loudness of the long-term speech spectrum's bands for a normal ear, below.
// The 0.31 slope is less than half gain because a listener prefers less than that (the paper's
// data), and the bass cut keeps low-frequency noise and upward spread of masking down.
constexpr std::array<double, 9> kNalFrequenciesHz = {250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000};
constexpr std::array<double, 9> kNalConstantDb = {-17, -8, -3, 1, 1, -1, -2, -2, -2};

// NAL-RP (Byrne, Parkinson & Newall 1990, Ear Hear 11:40-49; 1991, Vanderbilt Hearing-Aid Report
// II, 295-300): for severe and profound losses, listeners chose more gain than NAL-R gives:
//  - above a three-frequency average (3FA) of 60 dB HL, X grows by another 0.2 dB per dB of 3FA;
//  - when H(2000) >= 95 dB HL, more low-frequency and less high-frequency gain (Byrne et al.
//    1991, Fig. 9), the rows below for H(2000) = 95 ... 120 dB HL, interpolated between rows
//    and held at 120 dB HL above. The figure gives 250, 500, 1000, 1500, 2000, 3000, 4000 and
//    6000 Hz, so NAL-RP is prescribed at those (the 1986 constants at them).
constexpr std::array<double, 8> kNalRpFrequenciesHz = {250, 500, 1000, 1500, 2000, 3000, 4000, 6000};
constexpr std::array<double, 8> kNalRpConstantDb = {-17, -8, 1, 1, -1, -2, -2, -2};
constexpr std::array<double, 6> kNalRpProfoundH2000DbHl = {95, 100, 105, 110, 115, 120};
constexpr double kNalRpProfoundDb[6][8] = {
    {4, 3, 0, -1, -2, -2, -2, -2},   {6, 4, 0, -2, -3, -3, -3, -3},   {8, 5, 0, -3, -5, -5, -5, -5},
    {11, 7, 0, -3, -6, -6, -6, -6},  {13, 8, 0, -4, -8, -8, -8, -8},  {15, 9, 0, -5, -9, -9, -9, -9},
};

// Fig6 (Killion & Fikret-Pasa 1993, Hearing J 46(11):1-4): gains for soft (40 dB SPL), moderate
// (65) and loud (95) input, from the loudness-growth data of Lyregaard (1988) and Pascoe (1988):
// soft sounds are restored to normal audibility, moderate ones to normal loudness, and loud ones
// get little or no gain (the impaired ear's loudness catches up with the normal one's).
constexpr std::array<double, 10> kAudiometricFrequenciesHz = {250, 500, 750, 1000, 1500, 2000, 3000, 4000, 6000, 8000};
constexpr std::array<double, 3> kFig6InputLevelsDbSpl = {40, 65, 95};

double fig6_gain_db(double input_db_spl, double h) {
  if (input_db_spl == 40.0) {  // soft: the threshold less 20 dB, half as fast above 60 dB HL
    if (h < 20.0) return 0.0;
    return h <= 60.0 ? h - 20.0 : h - 20.0 - 0.5 * (h - 60.0);
  }
  if (input_db_spl == 65.0) {  // moderate: 0.6 dB per dB of loss above 20, 0.8 dB above 60
    if (h < 20.0) return 0.0;
    return h <= 60.0 ? 0.6 * (h - 20.0) : 0.8 * h - 23.0;
  }
  // loud: nothing up to 40 dB HL, then 0.1 (H - 40)^1.4
  return h <= 40.0 ? 0.0 : 0.1 * std::pow(h - 40.0, 1.4);
}

// POGO (McCandless & Lyregaard 1983, Hearing Instruments 34(1):16-21): half the threshold, less
// 10 dB at 250 Hz and 5 dB at 500 Hz (speech's low-frequency energy masks its upper bands),
// from 250 to 4000 Hz. Half-gain: the threshold halved at every frequency (Lybarger 1944, as
// McCandless & Lyregaard 1983 give it; the rule POGO starts from).
constexpr std::array<double, 8> kPogoFrequenciesHz = {250, 500, 750, 1000, 1500, 2000, 3000, 4000};

double pogo_constant_db(double frequency_hz) {
  if (frequency_hz == 250.0) return -10.0;
  if (frequency_hz == 500.0) return -5.0;
  return 0.0;
}

template <std::size_t N>
std::vector<double> to_vector(const std::array<double, N>& values) {
  return {values.begin(), values.end()};
}

// NAL-RP's extra gain at frequency index i for this H(2000), or 0 below 95 dB HL.
double nal_rp_profound_db(double h2000, std::size_t i) {
  if (h2000 < kNalRpProfoundH2000DbHl.front()) return 0.0;
  if (h2000 >= kNalRpProfoundH2000DbHl.back()) return kNalRpProfoundDb[5][i];
  std::size_t row = 0;
  while (h2000 >= kNalRpProfoundH2000DbHl[row + 1]) ++row;
  const double t = (h2000 - kNalRpProfoundH2000DbHl[row]) / (kNalRpProfoundH2000DbHl[row + 1] - kNalRpProfoundH2000DbHl[row]);
  return kNalRpProfoundDb[row][i] + t * (kNalRpProfoundDb[row + 1][i] - kNalRpProfoundDb[row][i]);
}

}  // namespace

double Prescription::gain_db(std::size_t level, double frequency_hz) const {
  const std::vector<double>& g = insertion_gain_db.at(level);
  if (frequency_hz <= frequencies_hz.front()) return g.front();
  if (frequency_hz >= frequencies_hz.back()) return g.back();
  std::size_t i = 1;
  while (frequencies_hz[i] < frequency_hz) ++i;
  const double t = std::log(frequency_hz / frequencies_hz[i - 1]) / std::log(frequencies_hz[i] / frequencies_hz[i - 1]);
  return g[i - 1] + t * (g[i] - g[i - 1]);
}

Prescription prescribe(PrescriptionRule rule, const Audiogram& air_db_hl) {
  Prescription p;
  p.rule = rule;
  switch (rule) {
    case PrescriptionRule::nal_r: p.frequencies_hz = to_vector(kNalFrequenciesHz); break;
    case PrescriptionRule::nal_rp: p.frequencies_hz = to_vector(kNalRpFrequenciesHz); break;
    case PrescriptionRule::pogo: p.frequencies_hz = to_vector(kPogoFrequenciesHz); break;
    case PrescriptionRule::fig6:
    case PrescriptionRule::half_gain: p.frequencies_hz = to_vector(kAudiometricFrequenciesHz); break;
  }
  p.input_levels_db_spl = rule == PrescriptionRule::fig6 ? to_vector(kFig6InputLevelsDbSpl) : std::vector<double>{65.0};
  std::vector<double> h;
  for (double f : p.frequencies_hz) h.push_back(air_db_hl.at(f));
  p.insertion_gain_db.assign(p.input_levels_db_spl.size(), std::vector<double>(h.size(), 0.0));
  // No threshold above 0 dB HL: nothing to aid (the formulas would still give NAL's +1 dB at 1 kHz).
  if (*std::max_element(h.begin(), h.end()) <= 0.0) return p;

  const double three_frequency_average_db_hl = (air_db_hl.at(500) + air_db_hl.at(1000) + air_db_hl.at(2000)) / 3.0;
  for (std::size_t l = 0; l < p.input_levels_db_spl.size(); ++l) {
    for (std::size_t i = 0; i < h.size(); ++i) {
      double g = 0.0;
      switch (rule) {
        case PrescriptionRule::nal_r: g = 0.15 * three_frequency_average_db_hl + 0.31 * h[i] + kNalConstantDb[i]; break;
        case PrescriptionRule::nal_rp:
          g = 0.15 * three_frequency_average_db_hl + 0.31 * h[i] + kNalRpConstantDb[i] +
              0.2 * std::max(0.0, three_frequency_average_db_hl - 60.0) + nal_rp_profound_db(air_db_hl.at(2000), i);
          break;
        case PrescriptionRule::fig6: g = fig6_gain_db(p.input_levels_db_spl[l], h[i]); break;
        case PrescriptionRule::half_gain: g = 0.5 * h[i]; break;
        case PrescriptionRule::pogo: g = 0.5 * h[i] + pogo_constant_db(p.frequencies_hz[i]); break;
      }
      // An aid is not prescribed to attenuate: a negative target (NAL's bass cut on a mild loss)
      // is no gain, as clinical practice and the NAL rules' own fitting software set it.
      p.insertion_gain_db[l][i] = std::max(0.0, g);
    }
  }
  return p;
}

std::optional<PrescriptionRule> parse_prescription_rule(std::string_view name) {
  for (PrescriptionRule r : {PrescriptionRule::nal_r, PrescriptionRule::nal_rp, PrescriptionRule::fig6, PrescriptionRule::half_gain,
                             PrescriptionRule::pogo}) {
    if (name == prescription_name(r)) return r;
  }
  return std::nullopt;
}

const char* prescription_name(PrescriptionRule rule) {
  switch (rule) {
    case PrescriptionRule::nal_r: return "nal-r";
    case PrescriptionRule::nal_rp: return "nal-rp";
    case PrescriptionRule::fig6: return "fig6";
    case PrescriptionRule::half_gain: return "half-gain";
    case PrescriptionRule::pogo: return "pogo";
  }
  return "?";
}

const char* prescription_citation(PrescriptionRule rule) {
  switch (rule) {
    case PrescriptionRule::nal_r: return "NAL-R, Byrne & Dillon (1986), Ear Hear 7:257-265; linear";
    case PrescriptionRule::nal_rp:
      return "NAL-RP, Byrne, Parkinson & Newall (1990), Ear Hear 11:40-49, and (1991), Vanderbilt Hearing-Aid Report II; "
             "linear, for severe and profound losses";
    case PrescriptionRule::fig6: return "Fig6, Killion & Fikret-Pasa (1993), Hearing J 46(11); compressive, at 40, 65 and 95 dB SPL input";
    case PrescriptionRule::half_gain: return "half-gain rule, Lybarger (1944), as in McCandless & Lyregaard (1983); linear";
    case PrescriptionRule::pogo: return "POGO, McCandless & Lyregaard (1983), Hearing Instruments 34(1):16-21; linear";
  }
  return "?";
}

std::string prescription_names() { return "nal-r, nal-rp, fig6, half-gain or pogo"; }

}  // namespace earshot
