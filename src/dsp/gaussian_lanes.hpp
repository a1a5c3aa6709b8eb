#pragma once
// Many standard normal draws at once: the values RandomSource::gaussian() would give for the same
// calls (the same uniforms, consumed in the same order, Box-Muller pair by pair), with the
// logarithm, the square root's argument and the sine and cosine computed four pairs at a time
// (dsp/exp_log_lanes.hpp's log; a sine and cosine of whole turns below) instead of by libm one
// pair at a time. Where a caller draws hundreds of thousands of them (HASPI's dither on the
// cepstral courses), libm's log and sincos were a seventh of the score's time.
//
// Accuracy (tests/gaussian_lanes_test.cpp): each value within 1e-14 of gaussian()'s (absolute;
// the values are at most about 8.6): libm's own last-place differences, and 2 pi u2, which libm
// sees rounded, taken here in whole quarter turns exactly.
#include <cstddef>

#include "support/random_source.hpp"

namespace earshot {

// out[0 .. count): the next `count` values of random.gaussian(), and random left as `count` calls
// of gaussian() leave it (its spare value too).
void draw_gaussians(RandomSource& random, double* out, std::size_t count) noexcept;

}  // namespace earshot
