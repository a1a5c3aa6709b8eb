#!/usr/bin/env bash
# Builds earshot with AddressSanitizer, LeakSanitizer and UndefinedBehaviorSanitizer into
# build-sanitize/ (Debian's clang-14, optimised at -O1 with debug information, no benches; with the
# libFuzzer targets of fuzz/), incrementally, and runs the tests there: every test, or the ctest
# arguments given (scripts/test.sh passes -E to leave out the long corpus comparisons). Any
# sanitizer report fails its test. The fuzz targets are tests there too (fuzz_*: a few thousand
# executions each from their seed corpora). `scripts/sanitize.sh --configure` only configures
# (scripts/fuzz.sh).
# Real-audio tests use ../shared/corpus when present, or $EARSHOT_CORPUS.
set -euo pipefail
cd "$(dirname "$0")/.."
# clang-14 for both: one sanitizer tree serves the tests and libFuzzer (gcc has no libFuzzer).
CC=clang-14 CXX=clang++-14 cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="-O1 -g" \
  -DCMAKE_C_FLAGS_RELWITHDEBINFO="-O1 -g" -DEARSHOT_SANITIZE=ON -DEARSHOT_FUZZ=ON -DEARSHOT_BUILD_BENCH=OFF >/dev/null
[ "${1:-}" = "--configure" ] && exit 0
cmake --build build-sanitize -j2
if [ -z "${EARSHOT_CORPUS:-}" ] && [ -d ../shared/corpus ]; then
  EARSHOT_CORPUS="$(cd ../shared/corpus && pwd)"
fi
export EARSHOT_CORPUS="${EARSHOT_CORPUS:-}"
export ASAN_OPTIONS="detect_leaks=1:strict_init_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$PWD/scripts/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
cd build-sanitize
ctest -j2 --output-on-failure "$@"
