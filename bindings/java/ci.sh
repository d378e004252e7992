#!/usr/bin/env bash
# Builds the Java binding in a CMake build tree and runs its Maven suite (JUnit 5):
# the acceptance scenario against sim:// and penlink-sim over TCP, plus the quickstart example.
# Usage: bindings/java/ci.sh <build-dir>   (configured with -DPENLINK_BUILD_BINDINGS=ON)
# Maven's own output goes under <build-dir>/bindings/java/maven, never into the source tree.
set -euo pipefail

build_dir=$(realpath "${1:?usage: $0 <cmake build dir configured with PENLINK_BUILD_BINDINGS=ON>}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# penlink_jar has Maven compile and pack the binding once; `mvn test` below then finds the
# main classes up to date and only compiles and runs the tests.
cmake --build "$build_dir" --target penlink_jar penlink-sim -j2
mvn -B -q -f "$here/pom.xml" test \
    -Dpenlink.build.dir="$build_dir" \
    -Dpenlink.sim="$build_dir/tools/penlink-sim/penlink-sim" \
    "${@:2}"
