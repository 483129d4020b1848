#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what the benchmarks need (Google Benchmark; Caffeine and a JDK for the side-by-side
# comparison), builds them in Release in build-rel/, and runs them. Nothing goes to the
# internet: the pipeline benchmark runs against the local fake provider.
#   scripts/bench.sh              everything (cache, Caffeine side by side, service)
#   scripts/bench.sh cache        bench_cache only (with Caffeine's figures when present)
#   scripts/bench.sh service      bench_service only
#   scripts/bench.sh redis        bench_redistier only (the shared tier against redis-benchmark)
set -euo pipefail
cd "$(dirname "$0")/.."
"$(dirname "$0")/deps.sh"

what=${1:-all}
extra=(libcaffeine-java default-jdk-headless)
missing=()
for p in "${extra[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    "${sudo[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

cmake -S . -B build-rel -G Ninja -DCMAKE_BUILD_TYPE=Release -DWEATHERDASH_BUILD_GUI=OFF >/dev/null
cmake --build build-rel -j"$(nproc)" --target bench_cache bench_service bench_redistier

echo "load average before the run: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ "$what" = all ]; then
    bench/run-caffeine.sh build-rel/bench
fi
if [ "$what" = all ] || [ "$what" = cache ]; then
    caffeine=()
    [ -f build-rel/bench/caffeine.tsv ] && caffeine=(--caffeine build-rel/bench/caffeine.tsv)
    ./build-rel/bench/bench_cache "${caffeine[@]}"
fi
if [ "$what" = all ] || [ "$what" = service ]; then
    ./build-rel/bench/bench_service
fi
if [ "$what" = all ] || [ "$what" = redis ]; then
    ./build-rel/bench/bench_redistier
fi
