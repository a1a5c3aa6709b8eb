#!/usr/bin/env bash
# `earshot batch` throughput (issue 17): files per second over a manifest of corpus speech, with 1
# and 2 jobs. The manifest is every speech file of shared/corpus (22 files, 3.5 to 15 s, 16 to
# 48 kHz) for two listeners, N3 (hearing loss with smearing) and ci:nucleus-ace (implant): 44 rows.
# Each run starts from an empty output folder (a re-run would skip every row). Reports the command's
# own summary (rows, wall seconds, files/s) and /usr/bin/time's wall and CPU time: on a machine
# shared with other work the wall time of 2 jobs says how many cores were free, the CPU time does not.
# Usage: bench/batch.sh [BUILD_DIR]   (default build/; does not build)
set -euo pipefail
cd "$(dirname "$0")/.."
build="${1:-build}"
if [ -z "${EARSHOT_CORPUS:-}" ] && [ -d ../shared/corpus ]; then EARSHOT_CORPUS="$(cd ../shared/corpus && pwd)"; fi
: "${EARSHOT_CORPUS:?set EARSHOT_CORPUS to shared/corpus: the benchmark runs on real speech}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
{
  echo "input,listener"
  for f in "$EARSHOT_CORPUS"/speech/*; do
    echo "$f,N3"
    echo "$f,ci:nucleus-ace"
  done
} > "$work/manifest.csv"
rows=$(($(wc -l < "$work/manifest.csv") - 1))
audio_s=$(for f in "$EARSHOT_CORPUS"/speech/*; do soxi -D "$f"; done | awk '{ s += $1 } END { printf "%.1f", 2 * s }')
echo "== earshot batch: $rows rows, $audio_s s of audio in all"
for jobs in 1 2; do
  /usr/bin/time -o "$work/time_$jobs" -f "%e %U %S" \
    "$build/earshot" batch "$work/manifest.csv" --out "$work/out_$jobs" --jobs "$jobs" --scores "$work/scores_$jobs.csv" |
    sed 's/^/   /'
  read -r wall user sys < "$work/time_$jobs"
  awk -v r="$rows" -v a="$audio_s" -v w="$wall" -v u="$user" -v s="$sys" -v j="$jobs" 'BEGIN {
    printf "   --jobs %d: %.2f files/s wall (%.1f s); CPU %.1f s: %.2f files per CPU second, %.0fx real time per core\n",
           j, r / w, w, u + s, r / (u + s), a / (u + s) }'
done
if cmp -s "$work/scores_1.csv" "$work/scores_2.csv"; then echo "   scores of --jobs 1 and --jobs 2: identical"; else echo "   scores differ!"; exit 1; fi
# The same manifest through earshot.batch on a Dask LocalCluster of two single-threaded worker
# processes on loopback (the cluster's start-up is not counted; CPU time is the workers').
if [ -d "$build/python/earshot" ] && /usr/bin/python3 -c "import distributed" 2>/dev/null; then
  # A file, not stdin: the worker processes are started by spawning, which re-imports the main module.
  cat > "$work/dask_run.py" <<'PY'
import os, sys, time
from distributed import Client, LocalCluster
import earshot.batch

def cpu(client):
    return sum(t[0] + t[1] for t in client.run(lambda: tuple(os.times())[:2]).values())

if __name__ == "__main__":
    work, rows, audio_s = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None) as cluster, \
            Client(cluster) as client:
        before, start = cpu(client), time.monotonic()
        result = earshot.batch.run(f"{work}/manifest.csv", f"{work}/out_dask", client, scores=f"{work}/scores_dask.csv")
        wall, used = time.monotonic() - start, cpu(client) - before
    print(f"   Dask, 2 workers: {rows / wall:.2f} files/s wall ({wall:.1f} s); CPU {used:.1f} s: {rows / used:.2f} files per CPU second, "
          f"{audio_s / used:.0f}x real time per core; {result.count('rendered')} rendered, {result.failed} failed")
PY
  PYTHONPATH="$PWD/$build/python" /usr/bin/python3 "$work/dask_run.py" "$work" "$rows" "$audio_s" 2>/dev/null
  if cmp -s "$work/scores_1.csv" "$work/scores_dask.csv"; then echo "   scores of Dask and --jobs 1: identical"; else echo "   scores differ!"; exit 1; fi
fi
