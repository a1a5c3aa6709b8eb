#include "audiology/recruitment.hpp"

#include <algorithm>

namespace earshot {

RecruitmentLaw recruitment_law(double normal_threshold_db_spl, double sensorineural_loss_db_hl,
                               double catch_up_db_spl) {
  const double impaired = normal_threshold_db_spl + sensorineural_loss_db_hl;
  RecruitmentLaw law;
  law.catch_up_db_spl = std::max(catch_up_db_spl, impaired + kMinimumRecruitmentRangeDb);
  law.expansion_ratio = (law.catch_up_db_spl - normal_threshold_db_spl) / (law.catch_up_db_spl - impaired);
  return law;
}

}  // namespace earshot
