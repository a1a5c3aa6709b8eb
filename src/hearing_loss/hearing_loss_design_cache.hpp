#pragma once
// Hearing-loss designs shared by renders of one ear at one rate.
//
// A batch renders many files for few listeners, and designing an ear (its roex band weights and
// smearing matrix, hearing_loss_design.hpp) cost 43 M instructions a row at 44.1 kHz: 9 % of a
// batch of N3 rows (issue 17). Almost all of a HearingLossPlan depends only on the rate, the window,
// the sound field, the catch-up level, the smearing switch and the ear's two audiograms; only
// power_to_spl depends on the calibration (each row is calibrated to its own speech level) and only
// `seed` on the seed (each row has its own). So the cache keeps one design per (those parameters,
// audiograms) and gives each request a copy with its own calibration and seed: byte for byte the
// plan design_hearing_loss would give (tests/hearing_loss_design_cache_test.cpp), for a copy of a
// few hundred kilobytes instead of the design.
//
// Thread-safe: the rows of `earshot batch --jobs N` and the Python package's renders share one.
// It holds at most `capacity` designs (the least recently used goes first). Not for real-time
// paths: it allocates and locks.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <vector>

#include "hearing_loss/hearing_loss_design.hpp"

namespace earshot {

class HearingLossDesignCache {
 public:
  explicit HearingLossDesignCache(std::size_t capacity = 32) : capacity_(capacity) {}

  // What design_hearing_loss(params, ear) gives: the same errors, or the same plan.
  Result<HearingLossPlan> design(const HearingLossParams& params, const EarProfile& ear);

  std::uint64_t hits() const;
  std::uint64_t misses() const;

 private:
  struct Entry {
    HearingLossParams params;  // calibration and seed not part of the key
    Audiogram air_db_hl, air_bone_gap_db;
    std::shared_ptr<const HearingLossPlan> plan;
  };
  static bool same_design(const Entry& entry, const HearingLossParams& params, const EarProfile& ear);

  std::size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<Entry> entries_;  // the most recently used last
  std::uint64_t hits_ = 0, misses_ = 0;
};

}  // namespace earshot
