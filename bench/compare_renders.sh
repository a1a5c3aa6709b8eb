#!/usr/bin/env bash
# How far this build's renders are from another build's (issue 12: a faster model must sound the
# same). Renders corpus speech through N3 and S2 (with smearing) with both CLIs, same seed, and
# reports per third-octave band (100 Hz ... 16 kHz) the worst-case level difference in dB over the
# files, and the worst over all bands and over the bands within 50 dB of the file's loudest band
# (the others are 80-120 dB down in these renders: below any threshold, and where the smearing's
# random phases decide the level). Levels are each band's energy over the whole file.
# Usage: bench/compare_renders.sh OLD_CLI [NEW_CLI]   (NEW_CLI defaults to build/earshot)
set -euo pipefail
cd "$(dirname "$0")/.."
old="${1:?usage: bench/compare_renders.sh OLD_CLI [NEW_CLI]}"
new="${2:-build/earshot}"
if [ -z "${EARSHOT_CORPUS:-}" ] && [ -d ../shared/corpus ]; then EARSHOT_CORPUS="$(cd ../shared/corpus && pwd)"; fi
: "${EARSHOT_CORPUS:?set EARSHOT_CORPUS to shared/corpus: the comparison runs on real speech}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
files=(clarity_T010_G0N_02468_F_en.wav slr83_som_04766_05_M_en.wav harvard_spk1_snt1_F_en.wav
       cmu_arctic_aew_a0001_M_en.wav vctk_p286_011_M_en.wav librispeech_198-209-0000_F_en.flac
       ljspeech_LJ050-0131_F_en.wav asterisk_fr_demo-nogo_F_fr-CA.wav)
for listener in N3 S2; do
  for f in "${files[@]}"; do
    stem="${listener}_${f%.*}"
    "$old" render "$EARSHOT_CORPUS/speech/$f" "$work/$stem.old.wav" --listener "$listener" >/dev/null
    "$new" render "$EARSHOT_CORPUS/speech/$f" "$work/$stem.new.wav" --listener "$listener" >/dev/null
    for v in old new; do
      sox "$work/$stem.$v.wav" -t f32 -e floating-point "$work/$stem.$v.f32" remix 1
      echo "$(soxi -r "$work/$stem.$v.wav")" > "$work/$stem.$v.rate"
    done
  done
done
/usr/bin/python3 - "$work" <<'PY'
import glob, os, sys
import numpy as np
work = sys.argv[1]
centres = [1000.0 * 2.0 ** (k / 3.0) for k in range(-10, 13)]  # 100 Hz ... 16 kHz
worst = {}
for listener in ("N3", "S2"):
    worst_band = np.zeros(len(centres))
    worst_audible = 0.0
    for old in sorted(glob.glob(os.path.join(work, listener + "_*.old.f32"))):
        new = old.replace(".old.f32", ".new.f32")
        fs = float(open(old.replace(".f32", ".rate")).read())
        levels = []
        for path in (old, new):
            x = np.fromfile(path, dtype=np.float32).astype(np.float64)
            power = np.abs(np.fft.rfft(x)) ** 2
            hz = np.arange(len(power)) * fs / len(x)
            levels.append([10 * np.log10(power[(hz >= c * 2 ** (-1 / 6)) & (hz < c * 2 ** (1 / 6))].sum() + 1e-30) for c in centres])
        diff = np.abs(np.array(levels[1]) - np.array(levels[0]))
        worst_band = np.maximum(worst_band, diff)
        old_levels = np.array(levels[0])
        worst_audible = max(worst_audible, diff[old_levels > old_levels.max() - 50.0].max())
    worst[listener] = worst_band
    worst[listener + "_audible"] = worst_audible
print("third-octave band   worst |new - old| dB over the files")
print("      Hz      N3      S2")
for i, c in enumerate(centres):
    print(f"{c:8.0f} {worst['N3'][i]:7.3f} {worst['S2'][i]:7.3f}")
print(f"worst over all bands: N3 {worst['N3'].max():.3f} dB, S2 {worst['S2'].max():.3f} dB")
print(f"worst over bands within 50 dB of the loudest: N3 {worst['N3_audible']:.3f} dB, S2 {worst['S2_audible']:.3f} dB")
PY
