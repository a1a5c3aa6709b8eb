#!/usr/bin/env bash
# Runs one libFuzzer target under AddressSanitizer + UndefinedBehaviorSanitizer (issue 11):
#   scripts/fuzz.sh TARGET SECONDS        TARGET: listener_spec, profile, scene, audio
#   RUNS=N scripts/fuzz.sh TARGET         a fixed number of executions instead of a time
# Builds in build-fuzz/ with Debian's clang-14 (apt: clang-14 libfuzzer-14-dev), starts from the
# seed corpus in fuzz/corpus/TARGET (made from docs/ and tests/, never from ../shared) and keeps what
# it finds in build-fuzz/corpus/TARGET. A crash leaves crash-* in build-fuzz/ and exits non-zero.
set -euo pipefail
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS]   (listener_spec, profile, scene, audio)}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
build="$root/build-fuzz"
flags="-fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g"
if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=clang-14 CXX=clang++-14 cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DEARSHOT_FUZZ=ON \
    -DEARSHOT_BUILD_TESTS=OFF -DEARSHOT_BUILD_BENCH=OFF \
    -DCMAKE_C_FLAGS="$flags" -DCMAKE_CXX_FLAGS="$flags -fsanitize=fuzzer-no-link" >/dev/null
fi
cmake --build "$build" -j2 --target "fuzz_$target"
mkdir -p "$build/corpus/$target"
limit=("-max_total_time=$seconds")
[ -n "${RUNS:-}" ] && limit=("-runs=$RUNS")
cd "$build"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/fuzz/lsan.supp:print_suppressions=0}
exec "./fuzz/fuzz_$target" "${limit[@]}" -rss_limit_mb=4096 -max_len=262144 "$build/corpus/$target" "$root/fuzz/corpus/$target"
