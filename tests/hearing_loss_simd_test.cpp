// The hearing-loss model's three compiled paths (dsp/simd_path.hpp): the baseline copy of the
// per-frame loops, the AVX2 + FMA copy and the AVX-512 copy render the same sound. Every other test runs the path the machine chooses (the widest the CPU
// has); this one runs each the CPU has on corpus speech and states how far apart they are. The loops
// sum in an order written out in the code, so the paths differ only in float rounding (the
// compiler's choice of instructions, e.g. fused multiply-adds). Measured (GCC 12): baseline/avx2
// -120.0 to -134.1 dB re the output's peak on these files; avx2/avx512 bit-identical on Zen 5
// (the same eight-float code, EVEX-encoded; baseline/avx512 as baseline/avx2). The bound for every
// pair is -110 dB.
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

// Largest sample difference of b from a in dB re a's peak (-1000: identical).
double difference_db(const std::vector<float>& a, const std::vector<float>& b) {
  double peak = 0.0, diff = 0.0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    peak = std::max(peak, double(std::fabs(a[i])));
    diff = std::max(diff, double(std::fabs(a[i] - b[i])));
  }
  return diff > 0.0 ? 20.0 * std::log10(diff / peak) : -1000.0;
}

TEST(SimdPaths, EveryPathRendersCorpusSpeechAlike) {
  if (!simd_path_available(SimdPath::avx2)) GTEST_SKIP() << "this CPU has no AVX2 + FMA: only the baseline path runs";
  auto dir = corpus_dir();
  if (!dir) GTEST_SKIP() << "EARSHOT_CORPUS is not set to shared/corpus: real-audio test skipped";
  std::vector<SimdPath> paths = {SimdPath::baseline, SimdPath::avx2};
  if (simd_path_available(SimdPath::avx512)) {
    paths.push_back(SimdPath::avx512);
  } else {
    std::printf("this CPU has no AVX-512 (F, BW, VL): its path is not compared\n");
  }
  for (const char* name : {"clarity_T010_G0N_02468_F_en.wav", "harvard_spk1_snt1_F_en.wav"}) {
    double fs = 0.0;
    const auto x = read_mono(*dir / "speech" / name, &fs);
    for (const char* who : {"N3", "S2"}) {
      HearingLossParams params;
      params.sample_rate_hz = fs;
      std::vector<std::vector<float>> renders;
      for (SimdPath path : paths) {
        ForcedPath f(path);
        renders.push_back(render(x, listener(who), params));
      }
      for (std::size_t i = 0; i < paths.size(); ++i) {
        for (std::size_t j = i + 1; j < paths.size(); ++j) {
          ASSERT_EQ(renders[i].size(), renders[j].size());
          const double diff_db = difference_db(renders[i], renders[j]);
          std::printf("%s %s: largest %s/%s difference %.1f dB re peak%s\n", name, who, simd_path_name(paths[i]),
                      simd_path_name(paths[j]), diff_db, diff_db == -1000.0 ? " (identical)" : "");
          EXPECT_LT(diff_db, -110.0) << name << " " << who << " " << simd_path_name(paths[i]) << "/" << simd_path_name(paths[j]);
        }
      }
    }
  }
}

TEST(SimdPaths, ForcingAPathTheCpuLacksFallsBackToANarrowerOne) {
  force_simd_path(SimdPath::baseline);
  EXPECT_EQ(simd_path(), SimdPath::baseline);
  EXPECT_EQ(simd_path(SimdPath::avx512), SimdPath::baseline);
  force_simd_path(SimdPath::avx2);
  const SimdPath avx2_or_less = simd_path_available(SimdPath::avx2) ? SimdPath::avx2 : SimdPath::baseline;
  EXPECT_EQ(simd_path(), avx2_or_less);
  EXPECT_EQ(simd_path(SimdPath::avx512), avx2_or_less);
  force_simd_path(SimdPath::avx512);
  // Loops built with at most an AVX2 copy get that copy (the default cap); the hearing-loss frame
  // gets the AVX-512 copy where the CPU has it.
  EXPECT_EQ(simd_path(), avx2_or_less);
  EXPECT_EQ(simd_path(SimdPath::avx512), simd_path_available(SimdPath::avx512) ? SimdPath::avx512 : avx2_or_less);
  force_simd_path(std::nullopt);
}

}  // namespace
}  // namespace earshot::test
