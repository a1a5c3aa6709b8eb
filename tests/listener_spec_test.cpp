#include <gtest/gtest.h>

#include "formats/listener_spec_parser.hpp"
#include "test_support.hpp"

namespace earshot {
namespace {

TEST(ListenerSpec, PresetsForBothEars) {
  auto l = parse_listener_spec("N3");
  ASSERT_TRUE(l.ok());
  EXPECT_TRUE(l.value().symmetric());
  EXPECT_DOUBLE_EQ(l.value().left.air_loss_db_hl(4000), 60.0);
  EXPECT_TRUE(parse_listener_spec("normal").value().symmetric());
}

TEST(ListenerSpec, AsymmetricEars) {
  auto l = parse_listener_spec("left=N2,right=S2");
  ASSERT_TRUE(l.ok()) << describe(l.errors());
  EXPECT_FALSE(l.value().symmetric());
  EXPECT_DOUBLE_EQ(l.value().right.air_loss_db_hl(4000), 95.0);
  auto a = parse_listener_spec("left=250:20,1000:40;right=normal");
  ASSERT_TRUE(a.ok()) << describe(a.errors());
  EXPECT_DOUBLE_EQ(a.value().left.air_loss_db_hl(1000), 40.0);
}

TEST(ListenerSpec, AgeAndNoise) {
  auto a = parse_listener_spec("age:70:female");
  ASSERT_TRUE(a.ok());
  auto p90 = parse_listener_spec("age:65:male:p90");
  auto median = parse_listener_spec("age:65:male");
  ASSERT_TRUE(p90.ok() && median.ok());
  EXPECT_GT(p90.value().left.air_loss_db_hl(4000), median.value().left.air_loss_db_hl(4000));
  auto n = parse_listener_spec("noise:95dBA:25y:age:50:male");
  ASSERT_TRUE(n.ok()) << describe(n.errors());
  EXPECT_GT(n.value().left.air_loss_db_hl(4000), parse_listener_spec("age:50:male").value().left.air_loss_db_hl(4000));
}

TEST(ListenerSpec, ErrorsNameTheFieldAndWhatIsAllowed) {
  auto unknown = parse_listener_spec("N9");
  ASSERT_FALSE(unknown.ok());
  EXPECT_NE(describe(unknown.errors()).find("unknown listener 'N9'"), std::string::npos);
  auto right = parse_listener_spec("left=N2,right=Q1");
  ASSERT_FALSE(right.ok());
  EXPECT_EQ(right.errors()[0].field, "listener.right");
  auto missing = parse_listener_spec("left=N2");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.errors()[0].field, "listener.right");
  EXPECT_FALSE(parse_listener_spec("age:12:male").ok());
  EXPECT_FALSE(parse_listener_spec("age:70:robot").ok());
  EXPECT_FALSE(parse_listener_spec("age:70:male:p99").ok());
  EXPECT_FALSE(parse_listener_spec("noise:95dBA:25y").ok());
  EXPECT_FALSE(parse_listener_spec("1000:30,500:20").ok());  // unsorted
}

}  // namespace
}  // namespace earshot

namespace earshot::test {
namespace {

TEST(ListenerSpecDeaf, DeafHasNoUsableHearingAndRendersSilence) {
  const auto ear = parse_ear_spec("deaf", "listener");
  ASSERT_TRUE(ear.ok());
  for (double f : {125.0, 1000.0, 8000.0, 16000.0}) EXPECT_EQ(ear.value().air_loss_db_hl(f), 120.0) << f;
  HearingLossParams params;
  const auto out = render(tone(1000.0, 100.0, 44100.0, 1.0), listener("deaf"), params);
  EXPECT_LT(steady_level_db(out, 44100.0, 100.0), -50.0) << "a 100 dB SPL tone is gone";
}

}  // namespace
}  // namespace earshot::test
