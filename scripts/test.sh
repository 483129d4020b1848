#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is needed, builds and runs the whole test suite.
#   scripts/test.sh              build in build/ and run ctest
#   scripts/test.sh --sanitize   the same with ASan + UBSan, in build-asan/
set -euo pipefail
cd "$(dirname "$0")/.."

"$(dirname "$0")/deps.sh"

builddir=build
cmake_args=()
if [ "${1:-}" = "--sanitize" ]; then
    builddir=build-asan
    cmake_args+=(-DWEATHERDASH_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug -DWEATHERDASH_BUILD_BENCHMARKS=OFF)
fi

export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Qt's own libraries are not built with ASan; LeakSanitizer must not blame us for their
# one-time allocations (fontconfig, dlopen'ed plugins).
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0

cmake -S . -B "$builddir" -G Ninja "${cmake_args[@]}" >/dev/null
cmake --build "$builddir" -j"$(nproc)"

# Root can write into read-only folders, so as root the store's read-only checks skip
# themselves. Run that test once more as an unprivileged user when the machine allows it.
store_test="$PWD/$builddir/tests/tst_persistentstore"
if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null \
    && setpriv --reuid=65534 --regid=65534 --clear-groups test -x "$store_test"; then
    echo "tst_persistentstore again as an unprivileged user (read-only folders and files):"
    scratch=$(mktemp -d)
    chmod 777 "$scratch"
    # ctest below runs the 400 simultaneous-start rounds; here 50 are enough.
    (cd "$scratch" && setpriv --reuid=65534 --regid=65534 --clear-groups \
        env HOME="$scratch" TMPDIR="$scratch" QT_LOGGING_RULES="*.debug=false" \
        WEATHERDASH_STORE_START_ROUNDS=50 "$store_test" -silent)
    rm -rf "$scratch"
elif [ "$(id -u)" -eq 0 ]; then
    echo "note: could not run tst_persistentstore unprivileged; its read-only rows skip as root."
fi

ctest --test-dir "$builddir" --output-on-failure -j"$(nproc)" --timeout 300
