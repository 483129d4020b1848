#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Takes docs/screenshot.png: WeatherDash under Xvfb against the local fake weather server,
# with "Berlin" typed into the search field and Enter pressed. Nothing goes to the internet.
#
#   scripts/screenshot.sh [output.png]          1280x800
#   WIDTH=700 HEIGHT=800 scripts/screenshot.sh /tmp/narrow.png
#   CITY=London scripts/screenshot.sh            another city
#   SUGGESTIONS=1 scripts/screenshot.sh          shoot while the suggestion list is open
#   PLACES="Paris,Tokyo" scripts/screenshot.sh   save these places first (search, Enter, Ctrl+D)
#   FAKEWEATHER_ALERT=1 scripts/screenshot.sh docs/screenshot-alert.png   a live gale warning
#                                                over Berlin on the card (issue 22)
#   HERE="52.5200,13.4120" scripts/screenshot.sh  "Use my location" on, the position from an NMEA
#                                                log at that point, named by the fake /reverse
#   FAKEWEATHER_EXTRA_CITY='<b>EVIL</b>' CITY=Evilton scripts/screenshot.sh /tmp/hostile.png
#                                                a place with a hostile name (FAKEWEATHER_EXTRA_ALIAS
#                                                is what finds it, "Evilton" by default)
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
build=${BUILD_DIR:-$root/build-gui}
width=${WIDTH:-1280}
height=${HEIGHT:-800}
city=${CITY:-Berlin}
out=$(realpath -m "${1:-$root/docs/screenshot.png}")

if [[ "${INSIDE_XVFB:-}" != 1 ]]; then
    for tool in xvfb-run xdotool import; do
        command -v "$tool" >/dev/null || { echo "screenshot.sh: $tool is missing" >&2; exit 1; }
    done
    if [[ ! -f "$build/build.ninja" ]]; then
        cmake -S "$root" -B "$build" -G Ninja -DWEATHERDASH_BUILD_BENCHMARKS=OFF
    fi
    cmake --build "$build" --target weatherdash fakeweatherserver
    mkdir -p "$(dirname "$out")"
    INSIDE_XVFB=1 exec xvfb-run -a -s "-screen 0 ${width}x${height}x24" "$0" "$out"
fi

tmp=$(mktemp -d)
server_pid=""
app_pid=""
cleanup() {
    [[ -n "$app_pid" ]] && kill "$app_pid" 2>/dev/null || true
    [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
    wait 2>/dev/null || true
    rm -rf "$tmp"
}
trap cleanup EXIT

# The fake server prints its base URL on its first line.
"$build/tests/support/fakeweatherserver" >"$tmp/server.out" 2>"$tmp/server.err" &
server_pid=$!
for _ in $(seq 100); do
    [[ -s "$tmp/server.out" ]] && break
    sleep 0.1
done
url=$(head -n 1 "$tmp/server.out")
[[ "$url" == http://127.0.0.1:* ]] || { echo "screenshot.sh: fake server did not start" >&2; exit 1; }

# A fresh profile: settings, cache and providers all local to this run.
export WEATHERDASH_OPENMETEO_GEOCODING_URL="$url"
export WEATHERDASH_OPENMETEO_FORECAST_URL="$url"
export WEATHERDASH_OPENWEATHERMAP_URL="$url"
export WEATHERDASH_ALERTS_URL="$url" # issue 22: alerts from the fake server too (FAKEWEATHER_ALERT=1)
export XDG_CONFIG_HOME="$tmp/config"
export XDG_CACHE_HOME="$tmp/cache-home"
export WEATHERDASH_CACHE_DIR="$tmp/cache"
export QT_QPA_PLATFORM=xcb
unset OPENWEATHERMAP_API_KEY

# "Here" (docs/here.md): location turned on in the profile, the position from a one-fix NMEA log.
nmea_rmc() { # <latitude> <longitude>: one $GPRMC sentence with its checksum
    local body sum=0 i c
    body=$(LC_ALL=C awk -v lat="$1" -v lon="$2" '
        function dm(v, w, p, n,   a, d) {
            a = v < 0 ? -v : v; d = int(a)
            return sprintf("%0" w "d%07.4f,%s", d, (a - d) * 60, v < 0 ? n : p)
        }
        BEGIN { printf "GPRMC,120000.00,A,%s,%s,0.0,0.0,071226,,,A", dm(lat, 2, "N", "S"), dm(lon, 3, "E", "W") }')
    for ((i = 0; i < ${#body}; i++)); do
        printf -v c '%d' "'${body:i:1}"
        sum=$((sum ^ c))
    done
    printf '$%s*%02X\r\n' "$body" "$sum"
}
if [[ -n "${HERE:-}" ]]; then
    nmea_rmc "${HERE%,*}" "${HERE#*,}" >"$tmp/here.nmea"
    export WEATHERDASH_NMEA_FILE="$tmp/here.nmea"
    export WEATHERDASH_NOMINATIM_URL="$url"
    mkdir -p "$XDG_CONFIG_HOME/WeatherDash"
    printf '[location]\nenabled=true\n' >"$XDG_CONFIG_HOME/WeatherDash/WeatherDash.ini"
fi

"$build/src/app/weatherdash" -qwindowgeometry "${width}x${height}+0+0" \
    >"$tmp/app.log" 2>&1 &
app_pid=$!

window=""
for _ in $(seq 100); do
    window=$(xdotool search --onlyvisible --name '^WeatherDash' 2>/dev/null | head -n 1 || true)
    [[ -n "$window" ]] && break
    sleep 0.1
done
[[ -n "$window" ]] || { echo "screenshot.sh: no window" >&2; cat "$tmp/app.log" >&2; exit 1; }
xdotool windowfocus --sync "$window" 2>/dev/null || true
sleep 1 # first paint

# Saved places first, as a person adds them: search, Enter, Ctrl+D.
IFS=',' read -r -a places <<<"${PLACES:-}"
for place in "${places[@]}"; do
    xdotool key ctrl+l
    xdotool type --delay 60 "$place"
    sleep 1
    xdotool key Return
    sleep 1.5
    xdotool key ctrl+d
    sleep 0.5
done
[[ ${#places[@]} -gt 0 ]] && xdotool key ctrl+l

# Type like a person: the suggestions open while typing; Enter takes the first.
xdotool type --delay 90 "$city"
sleep 1.5
if [[ "${SUGGESTIONS:-}" == 1 ]]; then
    import -window root "$out"
    echo "wrote $out (suggestions)"
    exit 0
fi
xdotool key Return
sleep 2.5 # the answer, the icon and a tick of the cache panel
import -window root "$out"
echo "wrote $out"
