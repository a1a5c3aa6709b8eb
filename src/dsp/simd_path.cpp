#include "dsp/simd_path.hpp"

#include <atomic>
#include <cstdlib>
#include <cstring>

namespace earshot {
namespace {
constexpr int kAutomatic = -1;
std::atomic<int> forced_path{kAutomatic};

SimdPath automatic_path() noexcept {
  static const SimdPath path = [] {
    const char* env = std::getenv("EARSHOT_SIMD");
    if (env && std::strcmp(env, "baseline") == 0) return SimdPath::baseline;
    return simd_path_available(SimdPath::avx2) ? SimdPath::avx2 : SimdPath::baseline;
  }();
  return path;
}
}  // namespace

bool simd_path_available(SimdPath path) noexcept {
  if (path == SimdPath::baseline) return true;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#else
  return false;
#endif
}

SimdPath simd_path() noexcept {
  const int forced = forced_path.load(std::memory_order_relaxed);
  if (forced == kAutomatic) return automatic_path();
  const auto path = static_cast<SimdPath>(forced);
  return simd_path_available(path) ? path : SimdPath::baseline;
}

void force_simd_path(std::optional<SimdPath> path) noexcept {
  forced_path.store(path ? static_cast<int>(*path) : kAutomatic, std::memory_order_relaxed);
}

const char* simd_path_name(SimdPath path) noexcept { return path == SimdPath::avx2 ? "avx2" : "baseline"; }

}  // namespace earshot
