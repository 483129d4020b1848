#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# check_completion_options.sh PROGRAM BASH ZSH FISH: every long option `PROGRAM --help`
# prints is offered by each completion, and no completion offers one that --help does not
# list. (How they complete is tested by completion_{bash,zsh,fish}.sh.)
set -euo pipefail
program=$1
bash_file=$2
zsh_file=$3
fish_file=$4
source "$(dirname "$0")/help_options.sh"

from_help=$(help_options "$program" | sed -nE 's/^(--[A-Za-z0-9-]+).*/\1/p' | sort -u)
# Outside comments: every "--word" in the bash and zsh files, every "-l word" in the fish one.
strip_comments() { sed -E 's/^[[:space:]]*#.*//' "$1"; }
declare -A offered
offered[bash]=$(strip_comments "$bash_file" | grep -oE -- '--[A-Za-z0-9][A-Za-z0-9-]*' | sort -u)
offered[zsh]=$(strip_comments "$zsh_file" | grep -oE -- '--[A-Za-z0-9][A-Za-z0-9-]*' | sort -u)
offered[fish]=$(strip_comments "$fish_file" | grep -oE -- '-l [A-Za-z0-9-]+' | sed 's/^-l /--/' \
    | sort -u)

status=0
for shell in bash zsh fish; do
    missing=$(comm -23 <(printf '%s\n' "$from_help") <(printf '%s\n' "${offered[$shell]}"))
    extra=$(comm -13 <(printf '%s\n' "$from_help") <(printf '%s\n' "${offered[$shell]}"))
    if [[ -n $missing ]]; then
        echo "FAIL: the $shell completion does not offer:" $missing >&2
        status=1
    fi
    if [[ -n $extra ]]; then
        echo "FAIL: the $shell completion offers what --help does not list:" $extra >&2
        status=1
    fi
done
[[ $status -eq 0 ]] && echo "bash, zsh and fish offer all $(wc -l <<<"$from_help") long options"
exit $status
