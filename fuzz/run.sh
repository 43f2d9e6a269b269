#!/usr/bin/env bash
# Builds the fuzz targets with clang (libFuzzer + ASan + UBSan) and runs each for SECONDS (default
# 60). Usage: fuzz/run.sh [seconds]. Crashes land in fuzz/out/.
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_PER_TARGET=${1:-60}
command -v clang++ >/dev/null || { apt-get install -y -qq clang >/dev/null; }
cmake -S . -B build-fuzz -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOKET_BUILD_TESTS=OFF \
  -DLOKET_FUZZ=ON >/dev/null
cmake --build build-fuzz -j "$(nproc)" --target fuzz_channels
mkdir -p fuzz/out fuzz/corpus/channels
cp -n fuzz/seeds/* fuzz/corpus/channels/ 2>/dev/null || true
./build-fuzz/fuzz/fuzz_channels fuzz/corpus/channels -max_total_time="$SECONDS_PER_TARGET" -artifact_prefix=fuzz/out/ \
  -max_len=8192 2>&1 | tail -5
