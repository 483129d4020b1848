#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Compiles and runs bench/caffeine/CacheBench.java against Debian's Caffeine 2.6.2
# (apt-get install libcaffeine-java; a JDK: default-jdk-headless). Writes the figures to
# <out-dir>/caffeine.tsv, which bench_cache reads with --caffeine <file> to print the two side
# by side.
#
#   bench/run-caffeine.sh [out-dir] [CacheBench arguments, e.g. --size 10000 --rounds 7]
#
# Environment: CAFFEINE_JAR (default /usr/share/java/caffeine.jar), JAVA_OPTS (default -Xms4g
# -Xmx4g: 1M entries with their futures need ~1 GB; a fixed heap keeps resizing out of the
# figures).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
out=${1:-build-rel/bench}
[ $# -gt 0 ] && shift
jar=${CAFFEINE_JAR:-/usr/share/java/caffeine.jar}
java_opts=${JAVA_OPTS:--Xms4g -Xmx4g}

if [ ! -r "$jar" ]; then
    echo "run-caffeine.sh: $jar is missing; install it with: apt-get install libcaffeine-java" >&2
    exit 2
fi
for tool in javac java; do
    if ! command -v "$tool" >/dev/null; then
        echo "run-caffeine.sh: $tool not found; install a JDK: apt-get install default-jdk-headless" >&2
        exit 2
    fi
done

classes="$out/caffeine-classes"
mkdir -p "$classes"
javac -Xlint:all -Xlint:-options -cp "$jar" -d "$classes" "$here/caffeine/CacheBench.java"
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java $java_opts -cp "$classes:$jar" CacheBench --out "$out/caffeine.tsv" "$@"
