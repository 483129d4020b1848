#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs the Debian 12 packages WeatherDash needs to build, test and run.
# Skips apt-get entirely when everything is already there, so repeated runs are fast.
set -euo pipefail

packages=(
    cmake ninja-build g++ pkg-config
    qt6-base-dev qt6-base-dev-tools qt6-qpa-plugins libqt6sql6-sqlite libqt6svg6
    libgl-dev libbenchmark-dev
    # Translations: lupdate/lrelease for translations/*.ts, and Qt's own German texts.
    qt6-tools-dev qt6-l10n-tools qt6-translations-l10n
    # "Here" (issue 24): Qt Positioning, and its geoclue2 and nmea plugins (loaded at run time).
    qt6-positioning-dev libqt6positioning6-plugins
    # The shared Redis tier: hiredis encodes commands and parses replies (I/O is Qt's own sockets);
    # redis-server runs in the tests and redis-benchmark is the baseline of bench_redistier.
    libhiredis-dev redis-server redis-tools
    # The rediss:// (TLS) tests make their CA and certificates with openssl.
    openssl
    # The sanitizer build and the fuzzers: clang 14 with its runtimes (ASan, UBSan, libFuzzer)
    # and llvm-symbolizer for readable stack traces.
    clang-14 libclang-rt-14-dev llvm-14
    # Headless GUI runs (tests run offscreen; the screenshot script uses a real X server).
    xvfb xauth xdotool imagemagick fonts-dejavu-core
    # Desktop notifications are tested against a private session bus of the test's own.
    dbus-daemon
    # The packaging tests (tests/packaging): AppStream and desktop-file validators, man page
    # rendering and lint, the three shells the completions are for, and the .deb tools
    # (dpkg-shlibdeps for the Depends, readelf, lintian).
    appstream desktop-file-utils man-db groff-base mandoc bsdextrautils zsh fish dpkg-dev binutils
    lintian
)

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=()
[ "$(id -u)" -eq 0 ] || sudo=(sudo)
echo "Installing: ${missing[*]}" >&2
"${sudo[@]}" apt-get update -qq
DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
