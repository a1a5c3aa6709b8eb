#include "dsp/simd_path.hpp"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <cstring>

namespace earshot {
namespace {
constexpr int kAutomatic = -1;
std::atomic<int> forced_path{kAutomatic};

// `path`, or the widest narrower path the CPU has.
SimdPath available_up_to(SimdPath path) noexcept {
  while (path != SimdPath::baseline && !simd_path_available(path)) path = static_cast<SimdPath>(static_cast<int>(path) - 1);
  return path;
}

SimdPath automatic_path() noexcept {
  static const SimdPath path = [] {
    const char* env = std::getenv("EARSHOT_SIMD");
    if (env && std::strcmp(env, "baseline") == 0) return SimdPath::baseline;
    if (env && std::strcmp(env, "avx2") == 0) return available_up_to(SimdPath::avx2);
    return available_up_to(SimdPath::avx512);
  }();
  return path;
}
}  // namespace

bool simd_path_available(SimdPath path) noexcept {
  if (path == SimdPath::baseline) return true;
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
  const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  if (path == SimdPath::avx2) return avx2;
  // (The CPU-feature check also asks whether the OS saves the 512-bit registers.)
  return avx2 && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
         __builtin_cpu_supports("avx512vl");
#else
  return false;
#endif
}

SimdPath simd_path(SimdPath widest_built) noexcept {
  const int forced = forced_path.load(std::memory_order_relaxed);
  const SimdPath chosen = forced == kAutomatic ? automatic_path() : available_up_to(static_cast<SimdPath>(forced));
  return std::min(chosen, widest_built);
}

void force_simd_path(std::optional<SimdPath> path) noexcept {
  forced_path.store(path ? static_cast<int>(*path) : kAutomatic, std::memory_order_relaxed);
}

const char* simd_path_name(SimdPath path) noexcept {
  switch (path) {
    case SimdPath::avx2: return "avx2";
    case SimdPath::avx512: return "avx512";
    default: return "baseline";
  }
}

}  // namespace earshot
