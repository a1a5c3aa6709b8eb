#!/usr/bin/env bash
# The README's first command: set up, build, and run the built-in demo.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup-debian.sh
scripts/build.sh
build/earshot demo --out earshot-demo
