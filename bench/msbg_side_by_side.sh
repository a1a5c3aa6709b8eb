#!/usr/bin/env bash
# earshot against pyclarity's MSBG, side by side (issue 17: "the whole pipeline >= 50x pyclarity's
# per core"). Ten mono corpus speech files (the first ten of shared/corpus/MANIFEST.csv's speech
# that are mono and not 8 kHz telephone speech: 63.4 s), resampled to 44.1 kHz 16-bit WAV with sox
# (MSBG runs at 44.1 kHz only), listener N3 (Bisgaard), on one core (taskset -c 0), in alternating
# rounds so that both see the same load:
#   msbg     pyclarity's Ear(src_pos="ff", sample_rate=44100, equiv_0db_spl=100, ahr=20), N3's
#            audiogram, Ear.process per file, run unmodified with Debian's python3 (numpy, scipy);
#            each file read and its output written as 16-bit WAV; the process's CPU time.
#   batch    `earshot batch manifest.csv --out DIR --jobs 1 --scores scores.csv -q` (render, levels,
#            SII per ear), from an empty output folder; the process's CPU time (/usr/bin/time).
#   [base]   the same with a second earshot binary (BASE_EARSHOT=path), for a before/after.
# Prints each round's CPU seconds and peak memory, then the medians and ratios.
# Usage: CLARITY=/path/to/clarity/checkout bench/msbg_side_by_side.sh [BUILD_DIR] [ROUNDS]
#   CLARITY is a work tree of github:claritychallenge/clarity (measured at 9df6486); without it the
#   MSBG column is left out. Needs sox and, for MSBG, python3-scipy.
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
rounds="${2:-5}"
if [ -z "${EARSHOT_CORPUS:-}" ] && [ -d ../shared/corpus ]; then EARSHOT_CORPUS="$(cd ../shared/corpus && pwd)"; fi
: "${EARSHOT_CORPUS:?set EARSHOT_CORPUS to shared/corpus}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/in"
/usr/bin/python3 - "$EARSHOT_CORPUS" > "$work/files" <<'PY'
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1] + "/MANIFEST.csv"))
        if r["kind"] == "speech" and r["channels"] == "1" and r["sample_rate"] != "8000"]
print("\n".join(r["file"] for r in rows[:10]))
PY
echo "input,listener" > "$work/manifest.csv"
while read -r f; do
  name="$(basename "${f%.*}").wav"
  sox -D "$EARSHOT_CORPUS/$f" -r 44100 -b 16 "$work/in/$name"
  echo "in/$name,N3" >> "$work/manifest.csv"
done < "$work/files"
audio_s=$(for f in "$work"/in/*.wav; do soxi -D "$f"; done | awk '{ s += $1 } END { printf "%.1f", s }')
echo "== 10 files, $audio_s s of audio at 44.1 kHz, listener N3, core 0, $rounds alternating rounds"

cat > "$work/msbg.py" <<'PY'
import sys, wave
import numpy as np
sys.path.insert(0, sys.argv[1])
from clarity.evaluator.msbg.msbg import Ear
from clarity.utils.audiogram import Audiogram
# Bisgaard N3 (as `earshot listeners` gives it).
n3 = Audiogram(levels=np.array([35, 35, 40, 50, 55, 60, 65, 65.0]),
               frequencies=np.array([250, 500, 1000, 2000, 3000, 4000, 6000, 8000.0]))
ear = Ear(src_pos="ff", sample_rate=44100, equiv_0db_spl=100, ahr=20)
ear.set_audiogram(n3)
for path in sys.argv[3:]:
    with wave.open(path) as w:
        x = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2").astype(np.float64) / 32768.0
    y = np.asarray(ear.process(x))[0]
    with wave.open(sys.argv[2] + "/" + path.rsplit("/", 1)[-1], "wb") as w:
        w.setnchannels(1); w.setsampwidth(2); w.setframerate(44100)
        w.writeframes((np.clip(y, -1, 1 - 2**-15) * 32768).astype("<i2").tobytes())
PY

run() {  # run NAME COMMAND...: one timed run on core 0, appended to $work/NAME.times
  local name="$1"; shift
  rm -rf "$work/out"; mkdir -p "$work/out"
  (cd "$work" && /usr/bin/time -o "$work/t" -f "%U %S %M" taskset -c 0 "$@" > /dev/null 2> "$work/err") ||
    { cat "$work/err"; exit 1; }
  read -r user sys kb < "$work/t"
  echo "$user $sys $kb" | awk -v n="$name" '{ printf "   %-6s %6.2f s CPU, %4.0f MB\n", n, $1 + $2, $3 / 1024 }'
  echo "$user $sys $kb" >> "$work/$name.times"
}
for ((r = 1; r <= rounds; ++r)); do
  echo "-- round $r"
  if [ -n "${CLARITY:-}" ]; then run msbg /usr/bin/python3 "$work/msbg.py" "$CLARITY" out "$work"/in/*.wav; fi
  run batch "$PWD/$build/earshot" batch manifest.csv --out out --jobs 1 --scores scores.csv -q
  if [ -n "${BASE_EARSHOT:-}" ]; then run base "$BASE_EARSHOT" batch manifest.csv --out out --jobs 1 --scores scores.csv -q; fi
done
median() { awk '{ print $1 + $2 }' "$work/$1.times" | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "== medians (CPU s) and x real time per core"
for n in msbg batch base; do
  [ -f "$work/$n.times" ] || continue
  m=$(median "$n"); echo "$m" | awk -v n="$n" -v a="$audio_s" '{ printf "   %-6s %6.2f s  %6.1fx real time\n", n, $1, a / $1 }'
done
if [ -f "$work/msbg.times" ]; then
  paste "$work/msbg.times" "$work/batch.times" | awk '{ r = ($1 + $2) / ($4 + $5); printf "   round %d: MSBG / batch = %.1fx\n", NR, r }'
  echo "$(median msbg) $(median batch)" | awk '{ printf "   MSBG / batch, medians: %.1fx\n", $1 / $2 }'
fi
