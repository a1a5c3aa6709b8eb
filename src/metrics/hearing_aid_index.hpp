#pragma once
// The hearing-aid indices of one ear, as every front end computes them (`earshot score --haspi
// --hasqi`, Python's earshot.haspi / earshot.hasqi, `earshot batch --haspi --hasqi`), so that all
// give the same number for the same pair:
//   HASPI v2  intelligibility (Kates & Arehart 2021, Speech Communication 131:35-46), metrics/haspi.hpp
//   HASQI v2  quality         (Kates & Arehart 2014, J Audio Eng Soc 62(3):99-117), metrics/hasqi.hpp
// Both compare a clean reference with the signal that reaches the ear (an aid's output, or the
// unprocessed signal for an unaided ear) and model the ear's loss themselves from its audiogram, read
// at their six frequencies (250 ... 6000 Hz) as haspi_audiogram_db_hl reads it. Both model acoustic
// hearing: an implanted ear is not scored, and says why.
//
// Their random streams (support/seed.hpp) come from a seed and the ear: HASPI's envelope dither
// {kSeedHaspiDither, ear}, HASQI's threshold noise on the BM signals {kSeedHasqiNoise, ear}.
#include <cstdint>
#include <string>
#include <vector>

#include "model/listener.hpp"
#include "support/spec_error.hpp"

namespace earshot {

enum class HearingAidIndex { haspi_v2, hasqi_v2 };

// "HASPI v2" / "HASQI v2", as messages name them.
const char* display_name(HearingAidIndex index);

// Whether the indices see the two ears of `listener` alike (the same audiogram at their six
// frequencies, and both acoustic or both not): only then may one mono signal stand for either ear.
bool ears_alike_for_indices(const Listener& listener);

// The seed of `index`'s random stream for ear 0 (left) or 1 (right), from `seed` (1 in `earshot score`).
std::uint64_t hearing_aid_index_seed(HearingAidIndex index, std::uint64_t seed, int ear);

// Empty when `index` applies to this ear; otherwise why not, in words ("the right ear hears through a
// cochlear implant (ci:nucleus-ace); HASQI models acoustic hearing only").
std::string hearing_aid_index_not_applicable(HearingAidIndex index, const EarProfile& profile, int ear);

// `index` of `test` against `reference` (each at its own rate) for `profile`, heard by ear `ear`;
// level1_db_spl is the level of a digital RMS of 1 (earshot's calibration). Errors: the index's own
// (metrics/haspi.hpp, metrics/hasqi.hpp), and an ear the index does not apply to (field "listener").
Result<double> hearing_aid_index(HearingAidIndex index, const std::vector<double>& reference, double reference_rate_hz,
                                 const std::vector<double>& test, double test_rate_hz, const EarProfile& profile, int ear,
                                 double level1_db_spl, std::uint64_t seed);

}  // namespace earshot
