#!/usr/bin/env bash
# The README's second command (and CI's): set up, build, and run every test with ctest.
# Real-audio tests use ../shared/corpus (and ../shared/oracles) when present, or $EARSHOT_CORPUS.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
scripts/build.sh
if [ -z "${EARSHOT_CORPUS:-}" ] && [ -d ../shared/corpus ]; then
  EARSHOT_CORPUS="$(cd ../shared/corpus && pwd)"
fi
export EARSHOT_CORPUS="${EARSHOT_CORPUS:-}"
[ -n "$EARSHOT_CORPUS" ] || echo "note: no shared/corpus found: real-audio tests will be skipped"
cd build
ctest -j2 --output-on-failure
