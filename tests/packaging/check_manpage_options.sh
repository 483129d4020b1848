#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_manpage_options.sh PROGRAM MANPAGE: every option `PROGRAM --help` prints (with its
# value name) is a tag under OPTIONS in MANPAGE, and every tag there is an option --help
# prints. So neither can change without the other.
set -euo pipefail
program=$1
page=$2
source "$(dirname "$0")/help_options.sh"

from_help=$(help_options "$program" | sort -u)

# The tags are the lines after .TP in the OPTIONS section of the troff source, e.g.
# `.BR \-h ", " \-\-help` or `.BI \-\-provider " name"`: the macro's arguments side by side
# (alternating fonts, no space between), \- read as -.
from_page=$(awk '
    /^\.SH / { in_options = ($0 ~ /^\.SH "?OPTIONS"?$/); next }
    in_options && /^\.TP/ { want_tag = 1; next }
    in_options && want_tag {
        want_tag = 0
        line = $0
        sub(/^\.[A-Z]+[ \t]+/, "", line)
        gsub(/\\-/, "-", line)
        n = split(line, parts, "\"")
        tag = ""
        for (i = 1; i <= n; i++) {
            if (i % 2 == 0) { tag = tag parts[i]; continue }   # a quoted argument, as is
            gsub(/[ \t]+/, "", parts[i])                      # unquoted arguments, joined
            tag = tag parts[i]
        }
        # "-h, --help" -> "-h" and "--help"
        m = split(tag, names, ", ")
        for (j = 1; j <= m; j++) print names[j]
    }' "$page" | sort -u)

status=0
if [[ -z $from_page ]]; then
    echo "FAIL: no option tags found under OPTIONS in $page" >&2
    exit 1
fi
missing=$(comm -23 <(printf '%s\n' "$from_help") <(printf '%s\n' "$from_page"))
extra=$(comm -13 <(printf '%s\n' "$from_help") <(printf '%s\n' "$from_page"))
if [[ -n $missing ]]; then
    echo "FAIL: $(basename "$program") --help lists these, $page does not document them:" >&2
    sed 's/^/  /' <<<"$missing" >&2
    status=1
fi
if [[ -n $extra ]]; then
    echo "FAIL: $page documents these, $(basename "$program") --help does not list them:" >&2
    sed 's/^/  /' <<<"$extra" >&2
    status=1
fi
[[ $status -eq 0 ]] && echo "$(printf '%s\n' "$from_help" | wc -l) options of $(basename "$program") --help, all documented in $(basename "$page")"
exit $status
