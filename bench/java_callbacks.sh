#!/usr/bin/env bash
# Builds the Java binding jar in a CMake build tree and runs bench/java_callbacks.java.
# Usage: bench/java_callbacks.sh <build-dir> [seconds] [url]
set -euo pipefail
build_dir=$(realpath "${1:?usage: $0 <cmake build dir configured with PENLINK_BUILD_BINDINGS=ON> [seconds] [url]}")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

cmake --build "$build_dir" --target penlink_java -j2
mvn -B -q -f "$root/bindings/java/pom.xml" package -DskipTests -Dpenlink.build.dir="$build_dir"
java -cp "$build_dir/bindings/java/maven/penlink-1.0.0.jar" "$root/bench/java_callbacks.java" "${2:-3}" "${3:-sim://}"
