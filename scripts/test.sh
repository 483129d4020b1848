#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is needed, builds and runs the whole test suite.
#   scripts/test.sh              build in build/ and run ctest
#   scripts/test.sh --sanitize   the same built with clang 14 under ASan + UBSan (with
#                                float-cast-overflow), in build-clang-asan/, with the libFuzzer
#                                harnesses of tests/fuzz/ (ctest replays their seed corpora)
#   scripts/test.sh --fuzz [S]   builds build-clang-asan/ if needed, then runs each fuzz harness
#                                for S seconds (default 60) from its seeds; a crash fails
set -euo pipefail
cd "$(dirname "$0")/.."

"$(dirname "$0")/deps.sh"

mode=${1:-}
builddir=build
cmake_args=()
if [ "$mode" = "--sanitize" ] || [ "$mode" = "--fuzz" ]; then
    builddir=build-clang-asan
    cmake_args+=(-DCMAKE_CXX_COMPILER=clang++-14 -DWEATHERDASH_SANITIZE=ON -DWEATHERDASH_FUZZ=ON
                 -DCMAKE_BUILD_TYPE=Debug -DWEATHERDASH_BUILD_BENCHMARKS=OFF)
elif [ -n "$mode" ]; then
    echo "usage: $0 [--sanitize | --fuzz [seconds]]" >&2
    exit 2
fi

export QT_QPA_PLATFORM=offscreen
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# Qt's own libraries are not built with ASan; LeakSanitizer must not blame us for their
# one-time allocations (fontconfig, dlopen'ed plugins).
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
if [ -x /usr/lib/llvm-14/bin/llvm-symbolizer ]; then
    export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-14/bin/llvm-symbolizer
fi

cmake -S . -B "$builddir" -G Ninja "${cmake_args[@]}" >/dev/null
cmake --build "$builddir" -j"$(nproc)"

if [ "$mode" = "--fuzz" ]; then
    seconds=${2:-60}
    # Each harness starts from its committed seeds (read only) and grows a scratch corpus;
    # a crash leaves its input in build-clang-asan/fuzz-artifacts/ and fails the run.
    artifacts="$PWD/$builddir/fuzz-artifacts"
    mkdir -p "$artifacts"
    scratch=$(mktemp -d)
    trap 'rm -rf "$scratch"' EXIT
    status=0
    for harness in "$PWD/$builddir"/tests/fuzz/fuzz_*; do
        [ -f "$harness" ] && [ -x "$harness" ] || continue
        name=$(basename "$harness")
        corpora=("$scratch/$name")
        options=()
        if [ "$name" = fuzz_payload_decode ]; then
            corpora+=("$PWD/$builddir/tests/fuzz/corpus/$name")
        elif [ "$name" = fuzz_redisurl ]; then
            corpora+=("$PWD/tests/fuzz/fuzz_redisurl_seeds")
            options+=(-max_len=512)
        elif [ "$name" = fuzz_redisreply ]; then
            corpora+=("$PWD/tests/fuzz/fuzz_redisreply_seeds")
            options+=(-max_len=4096)
        elif [ "$name" = fuzz_capparser ]; then
            corpora+=("$PWD/tests/data/cap")
            options+=(-dict="$PWD/tests/fuzz/cap.dict" -max_len=65536)
        elif [ "$name" = fuzz_redisvalue ]; then
            corpora+=("$PWD/tests/fuzz/fuzz_redisvalue_seeds")
            options+=(-max_len=16384)
        else
            corpora+=("$PWD/tests/data")
            options+=(-dict="$PWD/tests/fuzz/json.dict" -max_len=16384)
        fi
        mkdir -p "${corpora[0]}"
        echo "== $name for ${seconds}s"
        started=$SECONDS
        if ! (cd "$scratch" && "$harness" -max_total_time="$seconds" -timeout=10 \
                -rss_limit_mb=2048 -malloc_limit_mb=512 -print_final_stats=1 "${options[@]}" \
                -artifact_prefix="$artifacts/$name-" "${corpora[@]}" >"$scratch/$name.log" 2>&1); then
            tail -n 60 "$scratch/$name.log"
            echo "FAILED: $name; reproduce with: $harness $artifacts/$name-<file>" >&2
            status=1
        else
            grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)' \
                "$scratch/$name.log" || true
            echo "   took $((SECONDS - started)) s"
        fi
    done
    exit $status
fi

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
