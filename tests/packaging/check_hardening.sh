#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_hardening.sh PROBE PROGRAM...: each program is built as Debian hardens its packages
# (dpkg-buildflags hardening=+all), checked as Debian's hardening-check does, with readelf
# and nm only (nm -D, so stripped programs too):
#   - a position-independent executable: ELF type DYN;
#   - full RELRO: a GNU_RELRO segment and BIND_NOW;
#   - the stack protector: __stack_chk_fail;
#   - FORTIFY_SOURCE: checked *_chk variants of libc calls. A program whose code has no call
#     FORTIFY can check carries none either way (WeatherDash's programs have none), so PROBE,
#     built with the same flags around a call that it does check (hardening_probe.cpp), must
#     carry one; a program that has any is listed with them.
set -euo pipefail
for tool in readelf nm; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool not found (scripts/deps.sh installs binutils)" >&2
        exit 1
    }
done
status=0
fail() {
    echo "FAIL: $*" >&2
    status=1
}
checked_calls() { # PROGRAM: the *_chk functions it calls, on one line
    nm -D "$1" | sed -nE 's/^ +U (__[a-z0-9_]+_chk)(@.*)?$/\1/p' | grep -vx '__stack_chk_fail' \
        | sort -u | tr '\n' ' ' || true
}
probe=$1
shift
[[ -f $probe ]] || { echo "FAIL: $probe does not exist" >&2; exit 1; }
fortify=$(checked_calls "$probe")
[[ -n $fortify ]] || fail "$(basename "$probe") calls no *_chk function: not built with -D_FORTIFY_SOURCE=2 and -O"
for program in "$probe" "$@"; do
    name=$(basename "$program")
    before=$status
    status=0
    [[ -f $program ]] || { fail "$program does not exist"; continue; }
    type=$(readelf -h "$program" | sed -nE 's/^ *Type: *([A-Z]+).*/\1/p')
    [[ $type == DYN ]] || fail "$name is not position-independent (ELF type $type, not DYN)"
    # Each listing is read whole before grep looks at it: `tool | grep -q` under pipefail fails
    # when grep stops at its first match while a long listing (the GUI's) is still being written.
    segments=$(readelf -lW "$program")
    dynamic=$(readelf -dW "$program")
    symbols=$(nm -D "$program")
    grep -q 'GNU_RELRO' <<<"$segments" || fail "$name has no GNU_RELRO segment"
    grep -Eq '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW|\(BIND_NOW\)' <<<"$dynamic" \
        || fail "$name is not linked with -z now (no BIND_NOW)"
    grep -Eq ' U __stack_chk_fail(@|$)' <<<"$symbols" \
        || fail "$name calls no __stack_chk_fail: not built with -fstack-protector-strong"
    [[ $status -eq 0 ]] \
        && echo "$name: PIE, RELRO, BIND_NOW, stack protector; FORTIFY calls: $(checked_calls "$program")"
    [[ $before -eq 0 ]] || status=$before
done
exit $status
