#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what is needed, builds and starts the WeatherDash desktop app.
set -euo pipefail
cd "$(dirname "$0")/.."
"$(dirname "$0")/deps.sh"
cmake -S . -B build -G Ninja >/dev/null
cmake --build build -j"$(nproc)" --target weatherdash
exec build/src/app/weatherdash "$@"
