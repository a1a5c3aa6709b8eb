#include "hearing_loss/hearing_loss_design_cache.hpp"

#include <algorithm>
#include <utility>

namespace earshot {
namespace {

// Exact equality: two audiograms design the same ear only if every point is the same number.
bool same_points(const Audiogram& a, const Audiogram& b) {
  return std::equal(a.points.begin(), a.points.end(), b.points.begin(), b.points.end(),
                    [](const AudiogramPoint& p, const AudiogramPoint& q) {
                      return p.frequency_hz == q.frequency_hz && p.level_db_hl == q.level_db_hl;
                    });
}

}  // namespace

bool HearingLossDesignCache::same_design(const Entry& entry, const HearingLossParams& params, const EarProfile& ear) {
  // Every parameter design_hearing_loss reads except calibration_db_spl and seed; of the ear, its
  // two audiograms (conductive_loss_db and sensorineural_loss_db_hl read nothing else).
  const HearingLossParams& p = entry.params;
  return p.sample_rate_hz == params.sample_rate_hz && p.field == params.field && p.catch_up_db_spl == params.catch_up_db_spl &&
         p.smearing == params.smearing && p.window_ms == params.window_ms && same_points(entry.air_db_hl, ear.air_db_hl) &&
         same_points(entry.air_bone_gap_db, ear.air_bone_gap_db);
}

Result<HearingLossPlan> HearingLossDesignCache::design(const HearingLossParams& params, const EarProfile& ear) {
  // The checks design_hearing_loss makes, in its order, whatever is cached: a calibration out of
  // range (or an invalid implant or aid beside the same audiograms) is refused as it would be.
  SpecErrors errors = validate(params);
  for (auto& e : validate(ear, "ear")) errors.push_back(std::move(e));
  if (!errors.empty()) return errors;

  std::shared_ptr<const HearingLossPlan> shared;
  {
    std::lock_guard lock(mutex_);
    const auto found = std::find_if(entries_.begin(), entries_.end(), [&](const Entry& e) { return same_design(e, params, ear); });
    if (found != entries_.end()) {
      shared = found->plan;
      std::rotate(found, found + 1, entries_.end());  // now the most recently used
      ++hits_;
    }
  }
  if (!shared) {
    // Designed outside the lock, so other threads' hits do not wait for it (two threads missing
    // the same design at once both design it, and get the same plan).
    auto designed = design_hearing_loss(params, ear);
    if (!designed) return designed.errors();
    shared = std::make_shared<const HearingLossPlan>(std::move(designed).value());
    std::lock_guard lock(mutex_);
    ++misses_;
    const bool known = std::any_of(entries_.begin(), entries_.end(), [&](const Entry& e) { return same_design(e, params, ear); });
    if (capacity_ > 0 && !known) {
      if (entries_.size() >= capacity_) entries_.erase(entries_.begin());
      entries_.push_back({params, ear.air_db_hl, ear.air_bone_gap_db, shared});
    }
  }
  HearingLossPlan plan = *shared;
  plan.power_to_spl = hearing_loss_power_to_spl(plan.fft_size, params.calibration_db_spl);
  plan.seed = params.seed;
  return plan;
}

std::uint64_t HearingLossDesignCache::hits() const {
  std::lock_guard lock(mutex_);
  return hits_;
}

std::uint64_t HearingLossDesignCache::misses() const {
  std::lock_guard lock(mutex_);
  return misses_;
}

}  // namespace earshot
