// The hearing-loss model's two compiled paths (dsp/simd_path.hpp): the baseline copy of the
// per-frame loops and the AVX2 + FMA copy render the same sound. Every other test runs the path
// the machine chooses (AVX2 where the CPU has it); this one runs both on corpus speech and states
// how far apart they are. The loops sum in an order written out in the code, so the two differ only
// in float rounding (the compiler's choice of instructions, e.g. fused multiply-adds): measured
// -120.0 to -133.6 dB re the output's peak on these files (GCC 12); the bound is -110 dB.
#include <gtest/gtest.h>

#include <cmath>

#include "dsp/simd_path.hpp"
#include "test_support.hpp"

namespace earshot::test {
namespace {

struct ForcedPath {
  explicit ForcedPath(SimdPath p) { force_simd_path(p); }
  ~ForcedPath() { force_simd_path(std::nullopt); }
};

TEST(SimdPaths, BaselineAndAvx2RenderCorpusSpeechAlike) {
  if (!simd_path_available(SimdPath::avx2)) GTEST_SKIP() << "this CPU has no AVX2 + FMA: only the baseline path runs";
  auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "EARSHOT_CORPUS is not set to shared/corpus: real-audio test skipped";
  for (const char* name : {"clarity_T010_G0N_02468_F_en.wav", "harvard_spk1_snt1_F_en.wav"}) {
    double fs = 0.0;
    const auto x = read_mono(*dir / "speech" / name, &fs);
    for (const char* who : {"N3", "S2"}) {
      HearingLossParams params;
      params.sample_rate_hz = fs;
      std::vector<float> base, wide;
      {
        ForcedPath f(SimdPath::baseline);
        base = render(x, listener(who), params);
      }
      {
        ForcedPath f(SimdPath::avx2);
        wide = render(x, listener(who), params);
      }
      ASSERT_EQ(base.size(), wide.size());
      double peak = 0.0, diff = 0.0;
      for (std::size_t i = 0; i < base.size(); ++i) {
        peak = std::max(peak, double(std::fabs(base[i])));
        diff = std::max(diff, double(std::fabs(base[i] - wide[i])));
      }
      const double diff_db = diff > 0.0 ? 20.0 * std::log10(diff / peak) : -1000.0;
      std::printf("%s %s: largest baseline/avx2 difference %.1f dB re peak%s\n", name, who, diff_db,
                  diff == 0.0 ? " (identical)" : "");
      EXPECT_LT(diff_db, -110.0) << name << " " << who;
    }
  }
}

TEST(SimdPaths, ForcingAPathTheCpuLacksFallsBackToBaseline) {
  force_simd_path(SimdPath::baseline);
  EXPECT_EQ(simd_path(), SimdPath::baseline);
  force_simd_path(SimdPath::avx2);
  EXPECT_EQ(simd_path(), simd_path_available(SimdPath::avx2) ? SimdPath::avx2 : SimdPath::baseline);
  force_simd_path(std::nullopt);
}

}  // namespace
}  // namespace earshot::test
