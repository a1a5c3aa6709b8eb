#!/usr/bin/env bash
# Benchmarks on real speech from shared/corpus (EARSHOT_CORPUS):
#  1. real-time factor of the engine, one thread: 60 s of 44.1 kHz mono speech through N3 with
#     smearing (and without, and through S2), Google Benchmark, process CPU time;
#  2. the CLI end to end on a 60-minute 44.1 kHz file: wall time, CPU time and peak memory (RSS).
# Usage: bench/run.sh   (builds first; needs ~330 MB free in $TMPDIR for the hour-long file)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
scripts/build.sh >/dev/null
if [ -z "${EARSHOT_CORPUS:-}" ] && [ -d ../shared/corpus ]; then EARSHOT_CORPUS="$(cd ../shared/corpus && pwd)"; fi
: "${EARSHOT_CORPUS:?set EARSHOT_CORPUS to shared/corpus: the benchmarks run on real speech}"
export EARSHOT_CORPUS

echo "== engine, 60 s of 44.1 kHz speech, one thread (x_realtime = audio seconds per CPU second)"
taskset -c 0 build/bench/earshot_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true 2>/dev/null |
  grep -E "median|Benchmark"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# One hour of speech: the corpus's 44.1 kHz recordings, looped, 16-bit mono.
sox "$EARSHOT_CORPUS/speech/clarity_T010_G0N_02468_F_en.wav" "$EARSHOT_CORPUS/speech/slr83_som_04766_05_M_en.wav" \
  -b 16 "$work/pair.wav" remix 1
pair_s=$(soxi -D "$work/pair.wav")
repeats=$(awk "BEGIN { print int(3600 / $pair_s) + 1 }")
sox "$work/pair.wav" "$work/hour_long.wav" repeat "$repeats" trim 0 3600
echo "== CLI, $(soxi -d "$work/hour_long.wav") of 44.1 kHz mono speech through N3 with smearing (one thread)"
/usr/bin/time -f "wall %e s, cpu %U s user + %S s sys, peak memory %M KB" \
  taskset -c 0 build/earshot render "$work/hour_long.wav" "$work/out.wav" --listener N3 2>&1 | grep -E "wall|rendered"
