#!/bin/sh
# SPDX-License-Identifier: MIT
# What `weatherdash-cli --watch` costs a status bar, against the polling it replaces, in one run:
# CPU clock ticks (/proc/PID/stat fields 14 and 15: user and system time) of a watch idle for
# SECONDS, and of the same bar polling every 5 s for as long. Against the local fake server.
# Usage: bench/watch_idle.sh BUILD_DIR [SECONDS]
set -eu
build=${1:?usage: watch_idle.sh BUILD_DIR [SECONDS]}
seconds=${2:-60}
cli=$build/src/app/weatherdash-cli
tmp=$(mktemp -d)
trap 'kill $server $watch 2>/dev/null; rm -rf "$tmp"' EXIT
"$build/tests/support/fakeweatherserver" >"$tmp/url" &
server=$!
while [ ! -s "$tmp/url" ]; do sleep 0.1; done
url=$(head -n1 "$tmp/url")
export WEATHERDASH_OPENMETEO_GEOCODING_URL="$url" WEATHERDASH_OPENMETEO_FORECAST_URL="$url"
export WEATHERDASH_OPENWEATHERMAP_URL="$url" WEATHERDASH_CACHE_DIR="$tmp/cache"
export XDG_CONFIG_HOME="$tmp/config" HOME="$tmp"
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }

"$cli" --watch --format waybar Berlin >"$tmp/lines" &
watch=$!
while [ ! -s "$tmp/lines" ]; do sleep 0.1; done
sleep 2 # past the first answer's writes
before=$(ticks $watch)
sleep "$seconds"
after=$(ticks $watch)
watchTicks=$((after - before))
lines=$(wc -l <"$tmp/lines")

# The same bar polling every 5 s (a short interval; the answer comes from the cache each time).
pollTicks=0
end=$(($(date +%s) + seconds))
while [ "$(date +%s)" -lt "$end" ]; do
    /usr/bin/time -f '%U %S' -o "$tmp/time" "$cli" --format waybar Berlin >/dev/null
    pollTicks=$(awk -v t="$pollTicks" -v hz="$(getconf CLK_TCK)" '{ printf "%d", t + ($1 + $2) * hz }' "$tmp/time")
    sleep 5
done
echo "watch, idle ${seconds} s: ${watchTicks} ticks (lines printed in all: ${lines})"
echo "polling every 5 s for ${seconds} s: ${pollTicks} ticks"
