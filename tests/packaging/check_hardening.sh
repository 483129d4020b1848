#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_hardening.sh PROGRAM...: each program is built as Debian hardens its packages
# (dpkg-buildflags hardening=+all): a position-independent executable (ELF type DYN), full
# RELRO (a GNU_RELRO segment and BIND_NOW), the stack protector (__stack_chk_fail) and
# FORTIFY_SOURCE (the checked *_chk variants of the libc calls). The same checks as Debian's
# hardening-check, with readelf and nm only. Works on stripped programs (nm -D).
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
for program in "$@"; do
    name=$(basename "$program")
    [[ -f $program ]] || { fail "$program does not exist"; continue; }
    type=$(readelf -h "$program" | sed -nE 's/^ *Type: *([A-Z]+).*/\1/p')
    [[ $type == DYN ]] || fail "$name is not position-independent (ELF type $type, not DYN)"
    readelf -lW "$program" | grep -q 'GNU_RELRO' || fail "$name has no GNU_RELRO segment"
    readelf -dW "$program" | grep -Eq '\(FLAGS\).*BIND_NOW|\(FLAGS_1\).*NOW|\(BIND_NOW\)' \
        || fail "$name is not linked with -z now (no BIND_NOW)"
    symbols=$(nm -D "$program")
    grep -q ' U __stack_chk_fail' <<<"$symbols" \
        || fail "$name calls no __stack_chk_fail: not built with -fstack-protector-strong"
    checked=$(grep -Eo ' U __[a-z0-9_]+_chk(@[^ ]*)?$' <<<"$symbols" | sed -E 's/^ U //; s/@.*//' \
        | sort -u | tr '\n' ' ')
    [[ -n $checked ]] || fail "$name uses no *_chk function: not built with -D_FORTIFY_SOURCE=2"
    [[ $status -eq 0 ]] && echo "$name: PIE, RELRO, BIND_NOW, stack protector, FORTIFY ($checked)"
done
exit $status
