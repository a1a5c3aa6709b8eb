#!/usr/bin/env bash
# Benchmarks on real speech from shared/corpus (EARSHOT_CORPUS):
#  1. every benchmark of bench/ on one core, median of five repetitions of process CPU time
#     (Google Benchmark): 60 s of 44.1 kHz mono speech through N3 with smearing (and without,
#     at 96 kHz, through S2, with aids, implants), scores, the report and a 5-minute scene;
#  2. the CLI end to end on a 60-minute 44.1 kHz file: wall time, CPU time and peak memory (RSS);
#  3. a 5-minute scene (six transitions, tinnitus, masker, implant character) through the CLI with stems.
# Usage: bench/run.sh   (builds first; needs ~330 MB free in $TMPDIR for the hour-long file)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
scripts/build.sh >/dev/null
if [ -z "${EARSHOT_CORPUS:-}" ] && [ -d ../shared/corpus ]; then EARSHOT_CORPUS="$(cd ../shared/corpus && pwd)"; fi
: "${EARSHOT_CORPUS:?set EARSHOT_CORPUS to shared/corpus: the benchmarks run on real speech}"
export EARSHOT_CORPUS

echo "== engine, 60 s of 44.1 kHz speech, one thread (x_realtime = audio seconds per CPU second)"
taskset -c 0 build/bench/earshot_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>/dev/null |
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

# A 5-minute scene with six transitions, a tinnitus and a masker, through the CLI with all stems.
sox "$work/hour_long.wav" "$work/five_minutes.wav" trim 0 300
cat > "$work/arc.toml" <<SCENE
level_db_spl = 65
[[input]]
file = "five_minutes.wav"
[[keyframe]]
time_s = 0
listener = "normal"
[[keyframe]]
time_s = 30
listener = "N3"
transition_s = 30
[[keyframe]]
time_s = 80
listener = "N6"
transition_s = 20
curve = "smooth"
[[keyframe]]
time_s = 120
listener = "250:90,500:100,1000:105,2000:110,4000:115,8000:120"
transition_s = 5
curve = "exponential"
[[keyframe]]
time_s = 150
listener = "250:90,500:100,1000:105,2000:110,4000:115,8000:120"
curve = "cut"
perspective = 1
[[keyframe]]
time_s = 160
listener = "ci:nucleus-ace"
curve = "cut"
[[keyframe]]
time_s = 260
listener = "deaf"
curve = "cut"
[[tinnitus]]
frequency_hz = 5200
level_db_spl = 42
start_s = 115
end_s = 165
ramp_s = 3
wander_db = 3
[[masker]]
colour = "pink"
level_db_spl = 50
start_s = 30
end_s = 90
ramp_s = 2
[[implant_character]]
start_s = 160
acclimatisation_s = 20
SCENE
echo "== CLI scene, 5 minutes of 44.1 kHz speech, 6 transitions, tinnitus + masker + character, with stems (one thread)"
/usr/bin/time -f "wall %e s, cpu %U s user + %S s sys, peak memory %M KB" \
  taskset -c 0 build/earshot scene "$work/arc.toml" -o "$work/arc.wav" --stems "$work/stems" 2>&1 | grep -E "wall|scene:"
