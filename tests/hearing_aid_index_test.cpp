// metrics/hearing_aid_index: the one call behind `earshot score --haspi --hasqi`, Python's
// earshot.haspi / earshot.hasqi and `earshot batch --haspi --hasqi`. Its streams are pinned (HASPI's
// is the one `score --haspi` drew before this file existed, so its scores do not move), each index
// and ear has its own, and an ear outside the indices' model is refused by name.
#include <gtest/gtest.h>

#include <cmath>

#include "formats/listener_spec_parser.hpp"
#include "metrics/haspi.hpp"
#include "metrics/hasqi.hpp"
#include "metrics/hearing_aid_index.hpp"
#include "support/seed.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

Listener listener(const char* spec) {
  auto parsed = parse_listener_spec(spec);
  EXPECT_TRUE(parsed.ok()) << spec;
  return parsed.value();
}

TEST(HearingAidIndex, StreamsArePinnedAndDistinctPerIndexAndEar) {
  EXPECT_EQ(hearing_aid_index_seed(HearingAidIndex::haspi_v2, 1, 0), derive_seed(1, {kSeedHaspiDither, 0}));
  EXPECT_EQ(hearing_aid_index_seed(HearingAidIndex::haspi_v2, 1, 1), derive_seed(1, {kSeedHaspiDither, 1}));
  EXPECT_EQ(hearing_aid_index_seed(HearingAidIndex::hasqi_v2, 1, 0), derive_seed(1, {kSeedHasqiNoise, 0}));
  EXPECT_EQ(kSeedHasqiNoise, 10u);
  EXPECT_NE(hearing_aid_index_seed(HearingAidIndex::hasqi_v2, 1, 0), hearing_aid_index_seed(HearingAidIndex::hasqi_v2, 1, 1));
  EXPECT_NE(hearing_aid_index_seed(HearingAidIndex::hasqi_v2, 1, 0), hearing_aid_index_seed(HearingAidIndex::haspi_v2, 1, 0));
  EXPECT_NE(hearing_aid_index_seed(HearingAidIndex::hasqi_v2, 2, 0), hearing_aid_index_seed(HearingAidIndex::hasqi_v2, 1, 0));
}

TEST(HearingAidIndex, EarsAlikeOnlyWithOneAudiogramAndOneKindOfHearing) {
  EXPECT_TRUE(ears_alike_for_indices(listener("N3")));
  EXPECT_FALSE(ears_alike_for_indices(listener("left=N3,right=N4")));
  EXPECT_FALSE(ears_alike_for_indices(listener("left=N3,right=ci:nucleus-ace")));
}

// The value is the index's own for that ear's audiogram and stream; an implanted ear is an error
// on "listener" that names the index, and is the reason score/batch print.
TEST(HearingAidIndex, IsTheIndexForTheEarOrSaysWhyNot) {
  // Tone bursts with pauses (as the CLI tests' speechlike): enough envelope for both indices.
  std::vector<float> x = tone(700.0, 70.0, 16000.0, 1.5);
  for (std::size_t i = 0; i < x.size(); ++i) x[i] *= (i / 4000) % 2 ? 0.05f : 1.0f;
  const std::vector<double> reference(x.begin(), x.end());
  std::vector<double> test = reference;
  for (std::size_t i = 0; i < test.size(); ++i) test[i] += 0.02 * std::sin(0.37 * static_cast<double>(i));
  const Listener who = listener("left=N2,right=ci:nucleus-ace");
  const auto value = hearing_aid_index(HearingAidIndex::hasqi_v2, reference, 16000.0, test, 16000.0, who.left, 0, 100.0, 5);
  ASSERT_TRUE(value.ok()) << describe(value.errors());
  RandomSource random(derive_seed(5, {kSeedHasqiNoise, 0}));
  const auto direct = hasqi_v2(reference, 16000.0, test, 16000.0, haspi_audiogram_db_hl(who.left.air_db_hl), 100.0, random);
  ASSERT_TRUE(direct.ok());
  EXPECT_EQ(value.value(), direct.value().combined);
  const auto implanted = hearing_aid_index(HearingAidIndex::haspi_v2, reference, 16000.0, test, 16000.0, who.right, 1, 100.0, 1);
  ASSERT_FALSE(implanted.ok());
  EXPECT_EQ(implanted.errors().front().field, "listener");
  EXPECT_EQ(implanted.errors().front().message, hearing_aid_index_not_applicable(HearingAidIndex::haspi_v2, who.right, 1));
  EXPECT_NE(implanted.errors().front().message.find("right ear hears through a cochlear implant"), std::string::npos);
  EXPECT_NE(implanted.errors().front().message.find("HASPI models acoustic hearing only"), std::string::npos);
  EXPECT_TRUE(hearing_aid_index_not_applicable(HearingAidIndex::hasqi_v2, who.left, 0).empty());
}

}  // namespace
}  // namespace earshot::test
