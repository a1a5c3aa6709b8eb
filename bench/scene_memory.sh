#!/usr/bin/env bash
# Peak memory (RSS, /usr/bin/time -f %M) of `earshot scene` for a 1-minute and a 60-minute scene of
# 44.1 kHz speech (issue 11: scenes stream their inputs and outputs, so memory must not grow with
# length; before, the mix was held whole: 31 MB a minute). The scene has a move (normal to N3), a
# second input at 16 kHz (resampled on the fly) and stems. Prints both figures and their ratio;
# exits non-zero if the hour needs more than twice the minute's memory.
# Usage: bench/scene_memory.sh [EARSHOT_BINARY]   (needs sox, EARSHOT_CORPUS or ../shared/corpus,
# and about 2.5 GB free in $TMPDIR for the hour's input, render and stems)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-build/earshot}
if [ -z "${EARSHOT_CORPUS:-}" ] && [ -d ../shared/corpus ]; then EARSHOT_CORPUS="$(cd ../shared/corpus && pwd)"; fi
: "${EARSHOT_CORPUS:?set EARSHOT_CORPUS to shared/corpus}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
sox "$EARSHOT_CORPUS/speech/clarity_T010_G0N_02468_F_en.wav" "$EARSHOT_CORPUS/speech/slr83_som_04766_05_M_en.wav" \
  -b 16 "$work/pair.wav" remix 1
sox "$EARSHOT_CORPUS/speech/cmu_arctic_aew_a0001_M_en.wav" "$work/voice16k.wav"
pair_s=$(soxi -D "$work/pair.wav")
declare -A peak_kb
for minutes in 1 60; do
  seconds=$((minutes * 60))
  sox "$work/pair.wav" "$work/speech_$minutes.wav" repeat "$(awk "BEGIN { print int($seconds / $pair_s) + 1 }")" trim 0 "$seconds"
  cat > "$work/scene_$minutes.toml" <<SCENE
level_db_spl = 65
[[input]]
file = "speech_$minutes.wav"
[[input]]
file = "voice16k.wav"
start_s = 20
gain_db = -6
[[keyframe]]
time_s = 0
listener = "normal"
[[keyframe]]
time_s = 10
listener = "N3"
transition_s = 20
[[tinnitus]]
frequency_hz = 4000
level_db_spl = 30
SCENE
  rm -rf "$work/stems"
  peak_kb[$minutes]=$( { /usr/bin/time -f "%M" "$bin" scene "$work/scene_$minutes.toml" -o "$work/out.wav" --stems "$work/stems" \
    >/dev/null; } 2>&1 | tail -1)
  echo "scene of $minutes min (44.1 kHz, stems): peak memory ${peak_kb[$minutes]} KB"
  rm -f "$work/speech_$minutes.wav" "$work/out.wav"
done
awk -v a="${peak_kb[1]}" -v b="${peak_kb[60]}" 'BEGIN { r = b / a; printf "60 min / 1 min: %.2f (limit 2)\n", r; exit !(r <= 2.0) }'
