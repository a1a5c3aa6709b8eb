// engine/electrodogram_render: the rules the CLI's and Python's electrodograms share. The ear is
// the implanted one unless asked for, the channel is that ear's, the calibration is the library's,
// and each refusal names its field.
#include <gtest/gtest.h>

#include "engine/electrodogram_render.hpp"
#include "test_support.hpp"

namespace earshot {
namespace {

TEST(ElectrodogramRender, PicksTheImplantedEarAndItsChannel) {
  const double fs = 16000.0;
  const auto loud = test::tone(1000.0, 70.0, fs, 0.5);
  const std::vector<float> silent(loud.size(), 0.0f);
  const auto bimodal = test::listener("left=N3,right=ci:nucleus-ace");
  // Left channel silent, right channel a tone: the right (implanted) ear fires.
  const auto r = render_electrodogram({silent, loud}, fs, bimodal, "", {std::nullopt, 100.0});
  ASSERT_TRUE(r) << describe(r.errors());
  EXPECT_EQ(r.value().ear, "right");
  EXPECT_GT(r.value().pulses.size(), 100u);
  // The same tone on the left channel only: the right ear hears the silent channel, no pulses.
  const auto quiet = render_electrodogram({loud, silent}, fs, bimodal, "", {std::nullopt, 100.0});
  ASSERT_TRUE(quiet) << describe(quiet.errors());
  EXPECT_TRUE(quiet.value().pulses.empty());
  EXPECT_DOUBLE_EQ(r.value().calibration.calibration_db_spl, 100.0);
}

TEST(ElectrodogramRender, RefusalsNameTheirFields) {
  const double fs = 16000.0;
  const auto x = test::tone(1000.0, 70.0, fs, 0.5);
  const auto field_of = [&](const Listener& who, std::string_view ear, CalibrationRequest c) {
    const auto r = render_electrodogram({x}, fs, who, ear, c);
    return r ? std::string("ok") : r.errors().front().field;
  };
  EXPECT_EQ(field_of(test::listener("N3"), "", {}), "listener");
  EXPECT_EQ(field_of(test::listener("left=N3,right=ci:nucleus-ace"), "left", {}), "listener.left");
  EXPECT_EQ(field_of(test::listener("ci:nucleus-ace"), "middle", {}), "ear");
  EXPECT_EQ(field_of(test::listener("ci:nucleus-ace"), "", {std::nullopt, 1e9}), "calibration_db_spl");
  EXPECT_EQ(render_electrodogram({x}, 4000.0, test::listener("ci:nucleus-ace"), "", {}).errors().front().field, "sample_rate_hz");
}

}  // namespace
}  // namespace earshot
