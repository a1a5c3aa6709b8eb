#include "hearing_aid/maximum_output.hpp"

#include <algorithm>

#include "audiology/reference_threshold.hpp"

namespace earshot {
namespace {
constexpr double kThreeFrequenciesHz[3] = {500.0, 1000.0, 2000.0};
}

double estimated_ucl_db_hl(const Audiogram& air_db_hl) {
  double average = 0.0;
  for (double f : kThreeFrequenciesHz) average += air_db_hl.at(f) / 3.0;
  return kUclNormalDbHl + kUclSlopeDbPerDb * std::max(0.0, average - kUclFlatUpToDbHl);
}

double default_mpo_db_spl(const Audiogram& air_db_hl) {
  double reference = 0.0;
  for (double f : kThreeFrequenciesHz) reference += reference_threshold_db_spl(f, SoundField::free) / 3.0;
  return estimated_ucl_db_hl(air_db_hl) - kMpoBelowUclDb + reference;
}

}  // namespace earshot
