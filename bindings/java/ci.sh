#!/usr/bin/env bash
# Builds the Java binding in a CMake build tree, runs its Maven suite (JUnit 5: the acceptance
# scenario against sim:// and penlink-sim over TCP, plus the quickstart example) and installs
# io.penlink:penlink:<version> with its -sources and -javadoc jars into the local Maven
# repository (~/.m2), where an app's pom.xml resolves it.
# Usage: bindings/java/ci.sh <build-dir> [maven options]   (configured with PENLINK_BUILD_BINDINGS=ON)
# Quiet: Maven's output and each test class's output go to files under
# <build-dir>/bindings/java/maven (never into the source tree), shown only when something fails.
set -euo pipefail

build_dir=$(realpath "${1:?usage: $0 <cmake build dir configured with PENLINK_BUILD_BINDINGS=ON>}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
maven_dir="$build_dir/bindings/java/maven"

# penlink_jar has Maven compile and pack the binding once; `mvn install` below then finds the
# main classes up to date, compiles and runs the tests, and adds the sources and javadoc jars.
cmake --build "$build_dir" --target penlink_jar penlink-sim -j2 >/dev/null
version=$(sed -n 's/^CMAKE_PROJECT_VERSION:STATIC=//p' "$build_dir/CMakeCache.txt")
mkdir -p "$maven_dir"
log="$maven_dir/ci.log"
if ! mvn -B -q -Dstyle.color=never -f "$here/pom.xml" install \
        -Dpenlink.build.dir="$build_dir" -Drevision="$version" \
        -Dpenlink.sim="$build_dir/tools/penlink-sim/penlink-sim" \
        "${@:2}" >"$log" 2>&1; then
    cat "$log"
    for output in "$maven_dir"/surefire-reports/*-output.txt; do
        [ -f "$output" ] || continue
        printf '\n---- %s (last 40 lines) ----\n' "$(basename "$output")"
        tail -n 40 "$output"
    done
    exit 1
fi
tests=$(cat "$maven_dir"/surefire-reports/TEST-*.xml | grep -o '<testsuite [^>]*tests="[0-9]*"' |
        grep -o 'tests="[0-9]*"' | grep -o '[0-9]*' | awk '{ n += $1 } END { print n }')
echo "java: ${tests:-0} tests passed; installed io.penlink:penlink:$version (jar, sources, javadoc)"
