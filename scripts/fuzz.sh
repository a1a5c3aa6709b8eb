#!/usr/bin/env bash
# Runs one libFuzzer target under AddressSanitizer + UndefinedBehaviorSanitizer (issue 11):
#   scripts/fuzz.sh TARGET SECONDS        TARGET: listener_spec, profile, scene, audio, clarity_listener
#   RUNS=N scripts/fuzz.sh TARGET         a fixed number of executions instead of a time
# Builds the target in build-sanitize/ (scripts/sanitize.sh's tree: Debian's clang-14, apt:
# clang-14 libfuzzer-14-dev), starts from the seed corpus in fuzz/corpus/TARGET (made from docs/
# and tests/, never from ../shared) and keeps what it finds in build-sanitize/fuzz/corpus/TARGET.
# A crash leaves crash-* in build-sanitize/fuzz/ and exits non-zero. (ctest in that tree runs each
# target for a few thousand executions: scripts/test.sh.)
set -euo pipefail
target=${1:?usage: scripts/fuzz.sh TARGET [SECONDS]   (listener_spec, profile, scene, audio, clarity_listener)}
seconds=${2:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
"$root/scripts/sanitize.sh" --configure
build="$root/build-sanitize"
cmake --build "$build" -j2 --target "fuzz_$target"
mkdir -p "$build/fuzz/corpus/$target"
limit=("-max_total_time=$seconds")
[ -n "${RUNS:-}" ] && limit=("-runs=$RUNS")
cd "$build/fuzz"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$root/scripts/lsan.supp:print_suppressions=0}
exec "./fuzz_$target" "${limit[@]}" -rss_limit_mb=4096 -max_len=262144 "$build/fuzz/corpus/$target" "$root/fuzz/corpus/$target"
