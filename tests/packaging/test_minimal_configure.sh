#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_minimal_configure.sh SOURCE_DIR GENERATOR: what a packager does. A configure with the
# tests off (BUILD_TESTING=OFF) and without Google Benchmark (as if libbenchmark-dev were not
# installed) succeeds, says which benchmarks it skips and why, and yields a build of the two
# programs with no test, no test helper and no benchmark in it. (Configure only, ~2 s; a full
# build of this setup was checked by hand when it was written.)
set -euo pipefail
src=$1
generator=$2
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
status=0
fail() {
    echo "FAIL: $*" >&2
    status=1
}

if ! cmake -S "$src" -B "$scratch/build" -G "$generator" -DBUILD_TESTING=OFF \
    -DCMAKE_DISABLE_FIND_PACKAGE_benchmark=ON >"$scratch/configure.log" 2>&1; then
    cat "$scratch/configure.log" >&2
    echo "FAIL: the configure without tests and without Google Benchmark failed" >&2
    exit 1
fi
grep -q 'bench_cache skipped: Google Benchmark not found' "$scratch/configure.log" \
    || fail "the configure does not say that bench_cache is skipped"
grep -q 'bench_service and bench_redistier skipped' "$scratch/configure.log" \
    || fail "the configure does not say that bench_service is skipped"
grep -i 'warning' "$scratch/configure.log" >&2 && fail "the configure warns"

targets=$(cmake --build "$scratch/build" --target help 2>/dev/null | sed -E 's/^\.\.\. //; s/:.*//')
for wanted in weatherdash-cli weatherdash; do
    grep -qx "$wanted" <<<"$targets" || fail "no target $wanted"
done
unwanted=$(grep -xE 'tst_.*|testsupport|fakeweatherserver|bench_cache|bench_service|bench_redistier' \
    <<<"$targets" || true)
[[ -z $unwanted ]] || fail "targets that need the tests or Google Benchmark:" $unwanted
[[ -f $scratch/build/CTestTestfile.cmake ]] && fail "BUILD_TESTING=OFF still registers tests"
# Nothing links a library that this configure left out (it would be a plain -ltestsupport).
if [[ -f $scratch/build/build.ninja ]] && grep -qE -- '-l(testsupport|benchmark)\b' \
    "$scratch/build/build.ninja"; then
    fail "something links testsupport or benchmark, which this configure does not build"
fi
[[ $status -eq 0 ]] && echo "BUILD_TESTING=OFF without Google Benchmark: configures, programs only"
exit $status
