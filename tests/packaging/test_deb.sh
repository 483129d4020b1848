#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# test_deb.sh BUILD_DIR VERSION WITH_GUI QT_PLUGIN_DIR FAKE_SERVER [HARDENED PROBE]: builds the .deb with
# `cpack -G DEB`, unpacks it into a scratch root (no dpkg -i: nothing on the machine
# changes) and checks what an installed package needs: its Depends name the package of every
# Qt library the programs link and of every Qt plugin they load at run time, and the
# programs run from the unpacked root. The CLI answers a city from the local fake provider,
# then again from its disk cache, which only works when Qt's SQLite driver is there.
set -euo pipefail
build=$(cd "$1" && pwd)
version=$2
with_gui=$3
plugin_dir=$4
fake_server=$5
# ON: the build is an optimised, hardened one, and the packaged programs must show it.
hardened=${6:-OFF}
probe=${7:-}
for tool in cpack dpkg-deb dpkg-shlibdeps readelf lintian; do
    command -v "$tool" >/dev/null || {
        echo "FAIL: $tool not found (scripts/deps.sh installs dpkg-dev, binutils and lintian)" >&2
        exit 1
    }
done
scratch=$(mktemp -d)
server_pid=
cleanup() {
    if [[ -n $server_pid ]]; then
        kill "$server_pid" 2>/dev/null || true
        wait "$server_pid" 2>/dev/null || true
    fi
    rm -rf "$scratch"
}
trap cleanup EXIT
status=0
fail() {
    echo "FAIL: $*" >&2
    status=1
}

# Packed into the scratch folder, so the build folder gets no .deb and no _CPack_Packages.
cpack -G DEB -B "$scratch/out" --config "$build/CPackConfig.cmake" >"$scratch/cpack.log" 2>&1 \
    || { cat "$scratch/cpack.log" >&2; echo "FAIL: cpack -G DEB failed" >&2; exit 1; }
debs=("$scratch"/out/*.deb)
[[ ${#debs[@]} -eq 1 && -f ${debs[0]} ]] || { echo "FAIL: cpack made no single .deb" >&2; exit 1; }
deb=${debs[0]}
arch=$(dpkg --print-architecture)
[[ $(basename "$deb") == "weatherdash_${version}_$arch.deb" ]] \
    || fail "the package is $(basename "$deb"), not weatherdash_${version}_$arch.deb"
[[ $(dpkg-deb -f "$deb" Version) == "$version" ]] || fail "the package's Version is not $version"

# What Debian's own checker finds: no error and no warning (its informational tags, such as
# the .comment section left in the binaries, are not failures).
if ! lintian --fail-on error,warning --tag-display-limit 0 "$deb" >"$scratch/lintian.log" 2>&1; then
    grep -v '^running with root privileges' "$scratch/lintian.log" >&2
    fail "lintian finds errors or warnings in the package"
fi

# "libc6 (>= 2.34), libqt6svg6" -> one package name a line
depends=$(dpkg-deb -f "$deb" Depends | tr ',' '\n' | sed -E 's/^ +//; s/ .*//' | sed '/^$/d')
echo "Depends: $(tr '\n' ' ' <<<"$depends")"
owner() { dpkg -S "$1" 2>/dev/null | head -n 1 | cut -d: -f1; }
needs() { # PACKAGE WHY
    grep -qx "$1" <<<"$depends" || fail "Depends lacks $1 ($2)"
}

dpkg-deb -x "$deb" "$scratch/root"
programs=("$scratch/root/usr/bin/weatherdash-cli")
[[ $with_gui == ON ]] && programs+=("$scratch/root/usr/bin/weatherdash")

# Every Qt library a program links, as the dynamic loader finds it on this machine.
for program in "${programs[@]}"; do
    [[ -x $program ]] || { fail "the package has no $(basename "$program")"; continue; }
    readelf -S "$program" | grep -q '\.debug_info' && fail "$(basename "$program") is not stripped"
    while read -r lib; do
        path=$(ldd "$program" | awk -v lib="$lib" '$1 == lib { print $3 }')
        [[ -n $path ]] || { fail "$(basename "$program") needs $lib, which is not found"; continue; }
        pkg=$(owner "$(readlink -f "$path")")
        [[ -n $pkg ]] || { fail "no package owns $path"; continue; }
        needs "$pkg" "$(basename "$program") links $lib"
    done < <(readelf -d "$program" | sed -nE 's/.*\(NEEDED\).*\[(libQt6[^]]+)\]/\1/p')
done

# Debian's hardening, as hardening-check would see it in the packaged (stripped) programs.
if [[ $hardened == ON ]]; then
    "$(dirname "$0")/check_hardening.sh" "$probe" "${programs[@]}" \
        || fail "the packaged programs are not hardened"
fi

# The plugins Qt loads with dlopen, which no linker-based tool sees.
plugins=(
    sqldrivers/libqsqlite.so   # the disk cache, in both programs
    tls/libqopensslbackend.so  # HTTPS to the providers
)
if [[ $with_gui == ON ]]; then
    plugins+=(
        platforms/libqxcb.so        # the X11 window (and XWayland)
        iconengines/libqsvgicon.so  # the weather and app icons are SVG
        imageformats/libqsvg.so
    )
fi
for plugin in "${plugins[@]}"; do
    [[ -f $plugin_dir/$plugin ]] || { fail "$plugin_dir/$plugin is not on this machine"; continue; }
    pkg=$(owner "$plugin_dir/$plugin")
    [[ -n $pkg ]] || { fail "no package owns $plugin_dir/$plugin"; continue; }
    needs "$pkg" "Qt loads the plugin $plugin"
done

# What the package installs where the desktop, man and the shells look.
contents=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
for f in ./usr/share/man/man1/weatherdash-cli.1.gz \
    ./usr/share/bash-completion/completions/weatherdash-cli \
    ./usr/share/zsh/vendor-completions/_weatherdash-cli \
    ./usr/share/fish/vendor_completions.d/weatherdash-cli.fish \
    ./usr/share/doc/weatherdash/copyright; do
    grep -qx "$f" <<<"$contents" || fail "the package lacks $f"
done
if [[ $with_gui == ON ]]; then
    for f in ./usr/share/applications/io.github.weatherdash.WeatherDash.desktop \
        ./usr/share/metainfo/io.github.weatherdash.WeatherDash.metainfo.xml \
        ./usr/share/icons/hicolor/scalable/apps/io.github.weatherdash.WeatherDash.svg; do
        grep -qx "$f" <<<"$contents" || fail "the package lacks $f"
    done
fi

# The programs run from the unpacked root, with a scratch home.
export HOME=$scratch/home XDG_CONFIG_HOME=$scratch/home/config XDG_CACHE_HOME=$scratch/home/cache
export WEATHERDASH_CACHE_DIR=$scratch/cache QT_QPA_PLATFORM=offscreen
unset OPENWEATHERMAP_API_KEY QT_PLUGIN_PATH LD_LIBRARY_PATH
cli=$scratch/root/usr/bin/weatherdash-cli
out=$("$cli" --version) || fail "weatherdash-cli --version exited with an error"
[[ $out == "WeatherDash $version" ]] || fail "weatherdash-cli --version says [$out]"
out=$("$cli" --help) || fail "weatherdash-cli --help exited with an error"
grep -q -- '--provider <name>' <<<"$out" || fail "weatherdash-cli --help lists no --provider"
if [[ $with_gui == ON ]]; then
    out=$("$scratch/root/usr/bin/weatherdash" --version 2>/dev/null) \
        || fail "weatherdash --version exited with an error"
    [[ $out == "WeatherDash $version" ]] || fail "weatherdash --version says [$out]"
fi

# The fake provider prints its base URL on its first line; read it as it comes (no polling).
coproc server { exec "$fake_server" 2>"$scratch/server.err"; }
server_pid=$server_PID
read -r -t 30 url <&"${server[0]}" || { fail "the fake provider did not start"; exit 1; }
export WEATHERDASH_OPENMETEO_GEOCODING_URL=$url WEATHERDASH_OPENMETEO_FORECAST_URL=$url
first=$("$cli" Berlin) || fail "the packaged weatherdash-cli Berlin failed: $first"
grep -q '^Berlin' <<<"$first" || fail "the packaged weatherdash-cli shows no Berlin: [$first]"
grep -q 'Source: network' <<<"$first" || fail "the first answer is not from the network: [$first]"
# A new process: its memory cache is empty, so this answer comes from cache.sqlite.
second=$("$cli" Berlin) || fail "weatherdash-cli Berlin failed the second time: $second"
grep -q 'Source: cache' <<<"$second" \
    || fail "the second answer is not from the disk cache (Qt's SQLite driver?): [$second]"

[[ $status -eq 0 ]] && echo "$(basename "$deb"): Depends complete, programs run from the package"
exit $status
