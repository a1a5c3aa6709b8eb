#!/usr/bin/env bash
# Configures and builds earshot (Release) into build/, incrementally, with two jobs. Warnings are
# errors here (CI builds through this script); a plain cmake configure leaves EARSHOT_WERROR off.
set -euo pipefail
cd "$(dirname "$0")/.."
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DEARSHOT_WERROR=ON >/dev/null
cmake --build build -j2
