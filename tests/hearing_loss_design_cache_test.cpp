// hearing_loss/hearing_loss_design_cache.hpp (issue 17): a design shared by renders of one ear and
// rate is the plan design_hearing_loss gives for each render's own calibration and seed, every
// field equal; ears, rates and options that design differently are not shared; errors are the
// design's; and an engine designed through the cache renders the same samples.
#include <gtest/gtest.h>

#include <thread>

#include "engine/engine.hpp"
#include "hearing_loss/hearing_loss_design_cache.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

HearingLossParams params_at(double sample_rate_hz, double calibration_db_spl, std::uint64_t seed) {
  HearingLossParams p;
  p.sample_rate_hz = sample_rate_hz;
  p.calibration_db_spl = calibration_db_spl;
  p.seed = seed;
  return p;
}

HearingLossPlan fresh(const HearingLossParams& p, const EarProfile& ear) {
  auto plan = design_hearing_loss(p, ear);
  EXPECT_TRUE(plan) << describe(plan.errors());
  return std::move(plan).value();
}

TEST(HearingLossDesignCache, EachRowGetsThePlanOfItsOwnCalibrationAndSeed) {
  HearingLossDesignCache cache;
  const EarProfile n3 = listener("N3").left;
  // Rows of one listener at one rate, each calibrated to its own speech level, each its own seed.
  const double calibrations[] = {100.0, 87.31, 112.6, 100.0, 64.0};
  std::uint64_t seed = 7;
  for (const double cal : calibrations) {
    const HearingLossParams p = params_at(44100.0, cal, ++seed);
    auto cached = cache.design(p, n3);
    ASSERT_TRUE(cached) << describe(cached.errors());
    const HearingLossPlan expected = fresh(p, n3);
    EXPECT_TRUE(cached.value() == expected) << "calibration " << cal;
    EXPECT_EQ(cached.value().power_to_spl, expected.power_to_spl) << cal;
    EXPECT_EQ(cached.value().seed, seed);
  }
  EXPECT_EQ(cache.misses(), 1u);
  EXPECT_EQ(cache.hits(), 4u);
  // The plans of two calibrations really differ (else the test above proves nothing about them).
  EXPECT_FALSE(fresh(params_at(44100.0, 100.0, 1), n3) == fresh(params_at(44100.0, 87.31, 1), n3));
}

TEST(HearingLossDesignCache, WhatDesignsDifferentlyIsNotShared) {
  HearingLossDesignCache cache(3);  // fewer slots than designs: the least recently used go
  EarProfile conductive = listener("N3").left;
  conductive.air_bone_gap_db.points = {{250, 20}, {4000, 10}};
  EarProfile shifted = listener("N3").left;
  shifted.air_db_hl.points.back().level_db_hl += 0.5;  // one point half a decibel off
  std::vector<std::pair<HearingLossParams, EarProfile>> requests;
  for (const double fs : {16000.0, 44100.0, 48000.0}) {
    for (const EarProfile& ear : {listener("N3").left, listener("S2").left, conductive, shifted}) {
      HearingLossParams p = params_at(fs, 95.0, 3);
      requests.push_back({p, ear});
      p.smearing = false;
      requests.push_back({p, ear});
      p.smearing = true;
      p.field = SoundField::diffuse;
      requests.push_back({p, ear});
    }
  }
  for (int pass = 0; pass < 2; ++pass) {
    for (const auto& [p, ear] : requests) {
      auto cached = cache.design(p, ear);
      ASSERT_TRUE(cached) << describe(cached.errors());
      EXPECT_TRUE(cached.value() == fresh(p, ear)) << p.sample_rate_hz << " Hz, " << ear.label;
    }
  }
  EXPECT_EQ(cache.hits(), 0u);  // every request designs its own plan
  // The same request twice in a row is shared.
  ASSERT_TRUE(cache.design(requests.back().first, requests.back().second));
  EXPECT_EQ(cache.hits(), 1u);
}

TEST(HearingLossDesignCache, RefusesWhatTheDesignRefusesAfterAHitToo) {
  HearingLossDesignCache cache;
  const EarProfile n3 = listener("N3").left;
  ASSERT_TRUE(cache.design(params_at(44100.0, 100.0, 1), n3));
  for (const double cal : {-1.0, 170.0}) {
    const HearingLossParams p = params_at(44100.0, cal, 1);
    auto cached = cache.design(p, n3);
    auto designed = design_hearing_loss(p, n3);
    ASSERT_FALSE(cached);
    ASSERT_FALSE(designed);
    EXPECT_EQ(describe(cached.errors()), describe(designed.errors()));
  }
  EarProfile bad = n3;
  bad.air_bone_gap_db.points = {{1000, 200}};
  EXPECT_EQ(describe(cache.design(params_at(44100.0, 100.0, 1), bad).errors()),
            describe(design_hearing_loss(params_at(44100.0, 100.0, 1), bad).errors()));
}

TEST(HearingLossDesignCache, AnEngineDesignedThroughItRendersTheSameSamples) {
  HearingLossDesignCache cache;
  const double fs = 16000.0;
  const std::vector<float> x = tone(1000.0, 70.0, fs, 0.5, 100.0);
  for (const char* who : {"N3", "left=N2,right=S2"}) {
    for (const double cal : {100.0, 91.5}) {
      EngineSpec spec;
      spec.listener = listener(who);
      spec.hearing = params_at(fs, cal, 11);
      auto plain = design_engine(spec);
      auto shared = design_engine(spec, &cache);
      ASSERT_TRUE(plain && shared);
      const auto a = render_offline(std::make_shared<const EnginePlan>(std::move(plain).value()), {x});
      const auto b = render_offline(std::make_shared<const EnginePlan>(std::move(shared).value()), {x});
      EXPECT_EQ(a, b) << who << " at " << cal << " dB SPL";
    }
  }
  EXPECT_GT(cache.hits(), 0u);
}

TEST(HearingLossDesignCache, ThreadsShareItSafely) {
  HearingLossDesignCache cache(2);
  const EarProfile ears[] = {listener("N3").left, listener("N5").left, listener("S1").left};
  std::vector<std::thread> threads;
  std::vector<int> wrong(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 6; ++i) {
        const HearingLossParams p = params_at(22050.0, 90.0 + t + i, static_cast<std::uint64_t>(t * 10 + i));
        const EarProfile& ear = ears[(t + i) % 3];
        auto cached = cache.design(p, ear);
        auto designed = design_hearing_loss(p, ear);
        if (!cached || !designed || !(cached.value() == designed.value())) ++wrong[t];
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(wrong, std::vector<int>(4, 0));
  EXPECT_EQ(cache.hits() + cache.misses(), 24u);
}

}  // namespace
}  // namespace earshot::test
