#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# completion_bash.sh FILE: the bash completion loads in a plain `bash -c` (no bash-completion
# package, no rc files), registers itself for weatherdash-cli, and completes what a user
# types: option prefixes, the values of --provider and --units (also after "="), folders for
# --cache-dir, and nothing for a city.
set -euo pipefail
file=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/cache-here" "$scratch/cachet"
touch "$scratch/cache-file"

exec bash --norc --noprofile -c '
set -u
file=$1
scratch=$2
source "$file" || { echo "FAIL: sourcing $file failed" >&2; exit 1; }
spec=$(complete -p weatherdash-cli 2>/dev/null) || {
    echo "FAIL: $file registers no completion for weatherdash-cli" >&2; exit 1; }
function=$(sed -nE "s/.*-F ([^ ]+) .*/\1/p" <<<"$spec")

status=0
# expect "WORDS..." "EXPECTED REPLIES": the last word is the one being completed, as bash
# splits a command line (COMP_WORDBREAKS makes "--units=im" three words).
expect() {
    COMP_WORDS=($1)
    [[ $1 == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$1
    COMP_POINT=${#COMP_LINE}
    COMPREPLY=()
    "$function" weatherdash-cli "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
    local got
    got=$(printf "%s\n" "${COMPREPLY[@]}" | sed "/^$/d" | sort | tr "\n" " ")
    local want=
    [[ -n $2 ]] && want=$(printf "%s\n" $2 | sort | tr "\n" " ")
    if [[ $got != "$want" ]]; then
        echo "FAIL: \"$1\" completes to [$got], expected [$want]" >&2
        status=1
    else
        echo "ok: \"$1\" -> [$got]"
    fi
}
expect "weatherdash-cli --pro" "--provider"
expect "weatherdash-cli --f" "--force-refresh --format"
expect "weatherdash-cli --format " "waybar i3blocks"
expect "weatherdash-cli --help" "--help --help-all"
expect "weatherdash-cli --json --st" "--stats"
expect "weatherdash-cli --provider " "open-meteo openweathermap"
expect "weatherdash-cli --provider openw" "openweathermap"
expect "weatherdash-cli --units i" "imperial in inhg"
expect "weatherdash-cli --units metric,k" "metric,kmh metric,kn"
expect "weatherdash-cli --units = " "metric imperial celsius fahrenheit kmh ms mph kn beaufort hpa inhg mmhg mm in"
expect "weatherdash-cli --units = m" "metric ms mph mmhg mm"
expect "weatherdash-cli --cache-dir $scratch/cache" "$scratch/cache-here $scratch/cachet"
expect "weatherdash-cli --ttl " ""
expect "weatherdash-cli Ber" ""
exit $status
' bash "$file" "$scratch"
