#pragma once
// The static input/output rule of one compressor band: insertion gain (dB) as a function of the
// input level in the band (dB SPL), piecewise linear through prescribed points and held beyond the
// first and last. The level is that of a tone (or any narrow sound) at the band's centre: Fig6 was
// built from loudness growth of tones and narrow bands (Killion & Fikret-Pasa 1993, from Lyregaard
// 1988 and Pascoe 1988), and ANSI S3.22 tests an aid's input/output function with tones. Broadband
// speech at 65 dB SPL has 10-20 dB less than that in each band, so it gets the gain of a softer
// input (as it does from any multiband aid verified with tones).
//   fig6          through its gains at 40, 65 and 95 dB SPL: linear below 40 (as much gain as for
//                 soft sounds) and above 95 dB SPL (the limiter takes over there)
//   linear rules  the rule's gain at 65 dB SPL, a ratio of kDefaultCompressionRatio above a knee
//                 at kDefaultKneeDbSpl (linear below it), never below 0 dB
#include <vector>

#include "audiology/prescription.hpp"

namespace earshot {

// openMHA's compressive variants of NAL-RP (gainruleimpl_CRx_NALRP.m, Grimm 2013-2019: "CR2"
// and "CR3") keep the linear rule's gain at 65 dB SPL speech and compress 2:1 (or 3:1) above a
// 40 dB SPL knee; 2:1 is also mid-range of the ratios Dillon (2012, Hearing Aids, ch. 6) reports
// for WDRC fittings. openMHA applies them to the speech spectrum's band levels; here they apply
// to the band level of the input (above).
inline constexpr double kDefaultCompressionRatio = 2.0;
inline constexpr double kDefaultKneeDbSpl = 40.0;

struct CompressionCurve {
  struct Point {
    double input_db_spl;
    double gain_db;
  };
  std::vector<Point> points;  // increasing input level, at least one

  double gain_db(double input_db_spl) const noexcept;
  // The compression ratio between two input levels: input change over output change (1 is linear).
  double ratio(double from_db_spl, double to_db_spl) const noexcept;
  // The lowest input level at which the gain starts to fall (the knee), or the last point's.
  double knee_db_spl() const noexcept;
};

// The curve at prescribed frequency index i of p (compressive rows for fig6, else the defaults).
CompressionCurve compression_curve(const Prescription& p, std::size_t i);

}  // namespace earshot
