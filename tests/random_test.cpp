// The project's own randomness (support/random_source.hpp, support/seed.hpp): the bounded integer
// is uniform and in range, the shuffle is a permutation that reaches every order, seed derivation
// composes and never gives two of the library's streams one seed, and in the library seed 1's right
// ear no longer hears seed 2's left ear's random phases (they were `seed + ear`).
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <map>
#include <numeric>
#include <set>
#include <vector>

#include "scene/scene_renderer.hpp"
#include "support/random_source.hpp"
#include "support/seed.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

TEST(RandomSource, BelowIsInRangeAndUniform) {
  RandomSource r(3);
  for (std::uint32_t bound : {1u, 2u, 3u, 7u, 1000u, 0x80000001u, 0xFFFFFFFFu}) {
    for (int i = 0; i < 2000; ++i) EXPECT_LT(r.below(bound), bound);
  }
  // Counts of 0..5 over 60000 draws: each near 10000 (binomial sd ~91; 5 sd allowed).
  std::array<int, 6> count{};
  for (int i = 0; i < 60000; ++i) ++count[r.below(6)];
  for (int c : count) EXPECT_NEAR(c, 10000, 460);
}

TEST(RandomSource, ShuffleIsAPermutationAndReachesEveryOrder) {
  RandomSource r(9);
  std::map<std::vector<int>, int> seen;
  for (int i = 0; i < 24000; ++i) {
    std::vector<int> v = {0, 1, 2, 3};
    shuffle(std::span<int>(v), r);
    auto sorted = v;
    std::sort(sorted.begin(), sorted.end());
    ASSERT_EQ(sorted, (std::vector<int>{0, 1, 2, 3}));
    ++seen[v];
  }
  ASSERT_EQ(seen.size(), 24u) << "all 4! orders";
  for (const auto& [order, n] : seen) EXPECT_NEAR(n, 1000, 150);  // sd ~31
  std::vector<int> one = {5};
  shuffle(std::span<int>(one), r);
  EXPECT_EQ(one, std::vector<int>{5});
  std::vector<int> none;
  shuffle(std::span<int>(none), r);
}

TEST(DeriveSeed, ComposesAndAnEmptyPathIsTheSeed) {
  EXPECT_EQ(derive_seed(42, {}), 42u);
  EXPECT_EQ(derive_seed(derive_seed(42, {kSeedEar, 1}), {kSeedSmearing}), derive_seed(42, {kSeedEar, 1, kSeedSmearing}));
  EXPECT_NE(derive_seed(42, {1, 2}), derive_seed(42, {2, 1}));
  EXPECT_NE(derive_seed(42, {1}), derive_seed(42, {1, 0}));
}

// Every stream the library derives, for user seeds 0..15, both ears and layers 0..7: no two alike.
TEST(DeriveSeed, EveryStreamOfEverySeedEarAndLayerIsItsOwn) {
  std::set<std::uint64_t> seen;
  std::size_t made = 0;
  auto add = [&](std::uint64_t s) {
    seen.insert(s);
    ++made;
  };
  for (std::uint64_t seed = 0; seed < 16; ++seed) {
    for (std::uint64_t ear = 0; ear < 2; ++ear) {
      add(derive_seed(seed, {kSeedEar, ear}));
      for (auto tag : {kSeedSmearing, kSeedJitter, kSeedImplantCarrier, kSeedImplantReadHeads}) add(derive_seed(seed, {kSeedEar, ear, tag}));
      for (std::uint64_t layer = 0; layer < 8; ++layer) {
        add(derive_seed(seed, {kSeedTinnitus, layer, ear}));
        add(derive_seed(seed, {kSeedMasker, layer, ear}));
      }
    }
  }
  EXPECT_EQ(seen.size(), made);
  EXPECT_NE(derive_seed(1, {kSeedEar, 1}), derive_seed(2, {kSeedEar, 0})) << "seed 1 right vs seed 2 left";
}

// A stereo render of a symmetric listener (each ear its own models): outputs by ear.
std::vector<std::vector<float>> stereo_render(const std::vector<float>& x, const char* who, unsigned seed,
                                              const TemporalJitterParams& jitter = {}, double fs = 16000.0) {
  EngineSpec spec;
  spec.listener = listener(who);
  spec.hearing.sample_rate_hz = fs;
  spec.hearing.calibration_db_spl = 100.0;
  spec.hearing.seed = seed;
  spec.jitter = jitter;
  spec.input_channels = 2;
  auto plan = design_engine(spec);
  EXPECT_TRUE(plan.ok());
  if (!plan.ok()) return {};
  return render_offline(std::make_shared<const EnginePlan>(std::move(plan).value()), {x, x});
}

TEST(DeriveSeed, SeedOnesRightEarIsNotSeedTwosLeftEar) {
  const double fs = 16000.0;
  auto x = tone(500.0, 70.0, fs, 0.5);
  const auto more = tone(2100.0, 65.0, fs, 0.5);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] += more[i];
  struct Case {
    const char* name;
    const char* who;
    TemporalJitterParams jitter;
  };
  TemporalJitterParams jitter;
  jitter.rms_ms = 0.3;
  for (const Case& c : {Case{"smearing", "N4", {}}, Case{"jitter", "normal", jitter}, Case{"implant noise carrier", "ci:nucleus-ace", {}}}) {
    const auto one = stereo_render(x, c.who, 1, c.jitter), two = stereo_render(x, c.who, 2, c.jitter);
    ASSERT_EQ(one.size(), 2u);
    ASSERT_EQ(two.size(), 2u);
    EXPECT_NE(one[1], two[0]) << c.name << ": seed 1's right ear equals seed 2's left ear";
    EXPECT_NE(one[0], one[1]) << c.name << ": the two ears share a stream";
    EXPECT_EQ(one, stereo_render(x, c.who, 1, c.jitter)) << c.name << ": same seed, same output";
  }
}

TEST(DeriveSeed, SceneLayersOfSeedOneAndTwoDifferForEveryEarAndLayer) {
  auto render_layers = [](unsigned seed) {
    SceneSpec s;
    s.sample_rate_hz = 16000.0;
    s.duration_s = 0.25;
    s.calibration_db_spl = 100.0;
    s.seed = seed;
    s.keyframes = {keyframe(0, "normal")};
    for (int i = 0; i < 2; ++i) {
      TinnitusLayer t;
      t.params.kind = TinnitusParams::Kind::narrowband;
      t.params.frequency_hz = 3000.0;
      t.params.level_db_spl = 50.0;
      s.tinnitus.push_back(t);
      MaskerLayer m;
      m.params.level_db_spl = 50.0;
      s.maskers.push_back(m);
    }
    auto plan = design_scene(s);
    EXPECT_TRUE(plan.ok());
    const std::vector<float> silence(4000, 0.0f);
    return render_scene(std::make_shared<const ScenePlan>(std::move(plan).value()), {silence, silence}, true).layers;
  };
  const auto one = render_layers(1), two = render_layers(2);
  ASSERT_EQ(one.size(), 4u);
  std::vector<const std::vector<float>*> all;
  for (const auto* layers : {&one, &two}) {
    for (const auto& layer : *layers) {
      for (const auto& ear : layer) all.push_back(&ear);
    }
  }
  for (std::size_t a = 0; a < all.size(); ++a) {
    double energy = 0.0;
    for (float v : *all[a]) energy += double(v) * v;
    EXPECT_GT(energy, 0.0) << "stream " << a << " is silent";
    for (std::size_t b = a + 1; b < all.size(); ++b) EXPECT_NE(*all[a], *all[b]) << "streams " << a << " and " << b;
  }
}

}  // namespace
}  // namespace earshot::test

// discard_gaussians(n) leaves the source where n calls of gaussian() would (odd and even counts,
// from a state with and without a spare value), and discard(n) where n calls of next() would.
TEST(RandomSource, DiscardSkipsExactlyTheDrawsItSaysItSkips) {
  for (const std::uint64_t n : {0ull, 1ull, 2ull, 7ull, 1000ull, 144001ull}) {
    for (const bool spare : {false, true}) {
      earshot::RandomSource drawn(42), skipped(42);
      if (spare) {
        (void)drawn.gaussian();
        (void)skipped.gaussian();
      }
      for (std::uint64_t i = 0; i < n; ++i) (void)drawn.gaussian();
      skipped.discard_gaussians(n);
      for (int k = 0; k < 5; ++k) EXPECT_EQ(drawn.gaussian(), skipped.gaussian()) << n << " " << spare << " " << k;
    }
    earshot::RandomSource a(7), b(7);
    for (std::uint64_t i = 0; i < n; ++i) (void)a.next();
    b.discard(n);
    EXPECT_EQ(a.next(), b.next()) << n;
  }
}
