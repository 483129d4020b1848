#!/bin/sh
# SPDX-License-Identifier: MIT
# The layering, checked on the sources: a file under src/<layer>/ may include the headers of
# the layers its library links (src/CMakeLists.txt) and its own, nothing else. A compiled
# symbol from a layer above fails to link anyway; this catches the header-only includes
# (templates, inline functions, enums) that would not. Usage: check_layers.sh <src folder>
set -u
src=${1:?usage: check_layers.sh <src folder>}

# The layers each layer may include, its own among them.
allowed() {
    case $1 in
    cache) echo "cache" ;;
    weather) echo "cache weather" ;;
    store) echo "cache weather store" ;;
    models) echo "cache weather models" ;;
    widgets) echo "cache weather models widgets" ;;
    desktop) echo "cache weather desktop" ;;
    position) echo "cache weather position" ;;
    app) echo "cache weather store models widgets desktop position app" ;;
    *) echo "" ;;
    esac
}
layers="cache weather store models widgets desktop position app"

status=0
for layer in $layers; do
    [ -d "$src/$layer" ] || { echo "check_layers: $src/$layer is missing" >&2; exit 2; }
    ok=$(allowed "$layer")
    # #include "x/..." and #include <x/...> where x is a layer.
    hits=$(grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<](cache|weather|store|models|widgets|desktop|position|app)/' \
               "$src/$layer" --include='*.h' --include='*.cpp' || true)
    [ -n "$hits" ] || continue
    printf '%s\n' "$hits" | while IFS= read -r hit; do
        target=$(printf '%s\n' "$hit" | sed -E 's/^[^:]*:[0-9]+:[[:space:]]*#[[:space:]]*include[[:space:]]*["<]([a-z]+)\/.*/\1/')
        case " $ok " in
        *" $target "*) ;;
        *) echo "$hit    <- src/$layer may include only: $ok" ;;
        esac
    done | grep . && status=1
done
if [ $status -ne 0 ]; then
    echo "check_layers: includes against the layering (see docs/architecture.md)" >&2
    exit 1
fi
echo "check_layers: every include under $src follows the layering"
