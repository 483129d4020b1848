#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# completion_fish.sh DIR PROGRAM: with DIR (holding weatherdash-cli.fish) on fish's completion
# path and PROGRAM on PATH as weatherdash-cli (fish loads completions only for commands it
# finds), fish loads it on first use and completes option prefixes, the values of --provider
# and --units (also as --units=...), folders for --cache-dir, and no file names for a city.
set -euo pipefail
dir=$(cd "$1" && pwd)
program=$2
command -v fish >/dev/null || { echo "FAIL: fish not found (scripts/deps.sh installs it)" >&2; exit 1; }
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
mkdir -p "$scratch/cache-here" "$scratch/cachet"
touch "$scratch/cache-file" "$scratch/Berlin.txt"
mkdir "$scratch/bin"
ln -s "$program" "$scratch/bin/weatherdash-cli"

status=0
expect() {
    local got want=
    # `complete -C` prints "candidate<TAB>description" for the command line given. No
    # --no-config: without it fish sets no completion path at all; HOME and XDG_* are scratch.
    got=$(cd "$scratch" && HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" \
        XDG_DATA_HOME="$scratch/data" PATH="$scratch/bin:$PATH" fish -c \
        "set -p fish_complete_path $dir; complete -C '$1'" | cut -f1 | sort | tr '\n' ' ')
    [[ -n $2 ]] && want=$(printf '%s\n' $2 | sort | tr '\n' ' ')
    if [[ $got != "$want" ]]; then
        echo "FAIL: \"$1\" completes to [$got], expected [$want]" >&2
        status=1
    else
        echo "ok: \"$1\" -> [$got]"
    fi
}
expect "weatherdash-cli --pro" "--provider"
expect "weatherdash-cli --force-" "--force-refresh"
expect "weatherdash-cli --format " "waybar i3blocks"
expect "weatherdash-cli --provider " "open-meteo openweathermap"
expect "weatherdash-cli --units=i" "--units=imperial --units=in --units=inhg"
expect "weatherdash-cli --cache-dir cache" "cache-here/ cachet/"
expect "weatherdash-cli Ber" ""
exit $status
