#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_manpage_lint.sh MANPAGE...: each page renders with groff's man macros without a single
# warning (what `man -l` would complain about), and mandoc's linter finds nothing, style
# remarks included.
set -euo pipefail
for tool in groff mandoc; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool not found (scripts/deps.sh installs groff-base and mandoc)" >&2
        exit 1
    }
done
status=0
for page in "$@"; do
    # groff exits 0 even when it warns: the warnings are the verdict.
    warnings=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
    if [[ -n $warnings ]]; then
        echo "FAIL: groff warns about $page:" >&2
        printf '%s\n' "$warnings" >&2
        status=1
    fi
    if ! mandoc -T lint -W style "$page" >&2; then
        echo "FAIL: mandoc -T lint finds the above in $page" >&2
        status=1
    fi
    # The page must say something: NAME, SYNOPSIS, DESCRIPTION and OPTIONS at least.
    text=$(MANWIDTH=80 mandoc -T utf8 "$page" | col -b)
    for section in NAME SYNOPSIS DESCRIPTION OPTIONS; do
        grep -qx "$section" <<<"$text" || {
            echo "FAIL: $page has no $section section" >&2
            status=1
        }
    done
done
[[ $status -eq 0 ]] && echo "clean: $*"
exit $status
