# SPDX-License-Identifier: MIT
# Sourced by the packaging tests: help_options PROGRAM prints each option that
# `PROGRAM --help` lists, one a line, as "--long VALUE" or "--long" (short forms as "-h"),
# e.g. "-h", "--help", "--provider name". The value name loses its <>.
help_options()
{
    local help
    help=$(QT_QPA_PLATFORM=offscreen "$1" --help) || {
        echo "FAIL: $1 --help exited with an error" >&2
        return 1
    }
    # Option lines start with two spaces and a dash; the section "Arguments:" ends them.
    printf '%s\n' "$help" | sed -n '/^Options:/,/^Arguments:/p' \
        | sed -nE 's/^  (-[A-Za-z0-9], )?(--[A-Za-z0-9-]+)( <([^>]+)>)?.*/\1\2 \4/p' \
        | while read -r first second third; do
            # "-h, --help " -> "-h" and "--help"; "--provider name" stays whole.
            if [[ $first == -?, ]]; then
                printf '%s\n' "${first%,}"
                printf '%s\n' "$second${third:+ $third}"
            else
                printf '%s\n' "$first${second:+ $second}"
            fi
        done
}
