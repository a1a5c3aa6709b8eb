#!/usr/bin/env bash
# Installs what earshot needs to build, test and run its demo on Debian 12, from Debian's packages.
# Idempotent: packages already present are skipped quickly.
set -euo pipefail
packages=(
  build-essential cmake pkg-config
  libsndfile1-dev libfftw3-dev
  nlohmann-json3-dev libtomlplusplus-dev libcli11-dev
  libgtest-dev libbenchmark-dev
  espeak-ng      # speech for `earshot demo`
  libpng-dev     # report pictures
  libcairo2-dev fonts-dejavu-core  # every picture's axes, text and colour bars (src/report), as PNG or SVG, in DejaVu Sans
  chromium       # the report test opens it in a real browser (headless)
  libcpp-httplib-dev  # `earshot serve` (apps/web): the page's HTTP server
  chromium-driver python3-selenium  # tests/web/browser_test.py drives the page in headless Chromium
  time sox       # bench/run.sh: /usr/bin/time (peak memory), sox (makes the 60-minute file)
  clang-14 libfuzzer-14-dev libclang-rt-14-dev  # build-sanitize/ (scripts/sanitize.sh, fuzz.sh): ASan + UBSan, libFuzzer
  python3-dev pybind11-dev python3-pybind11 python3-numpy  # the Python package (bindings/python)
  python3-pytest python3-setuptools python3-pip python3-venv  # its tests, and `pip install .` (README, "Python")
  dpf-source lv2-dev  # the plugin (plugins/): DPF builds it as LV2, VST3, CLAP and a JACK standalone
  jackd2 libjack-jackd2-dev  # `earshot live` (a JACK client) and its test under `jackd -d dummy`
  lilv-utils liblilv-dev  # lv2ls finds the built bundle; lilv is the plugin tests' LV2 host (lv2apply cannot load DPF plugins)
  python3-distributed  # earshot.batch on a Dask cluster, and its LocalCluster tests (docs/cluster.md)
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  echo "earshot setup: installing ${missing[*]}"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
