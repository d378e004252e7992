#!/usr/bin/env bash
# Builds the C# binding in a CMake build tree and runs bench/csharp_callbacks.cs against it.
# Usage: bench/csharp_callbacks.sh <build-dir> [seconds] [url]
set -euo pipefail
build_dir=$(realpath "${1:?usage: $0 <cmake build dir configured with PENLINK_BUILD_BINDINGS=ON> [seconds] [url]}")
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

cmake --build "$build_dir" --target penlink_csharp_assembly -j2
out="$build_dir/bindings/csharp/out"
bench="$build_dir/bench/csharp"
mkdir -p "$bench"
cp "$out"/Penlink.dll "$out"/libpenlink_csharp.so "$out"/libpenlink.so.* "$bench"/
mcs -nologo -langversion:7.2 -optimize+ -r:"$bench/Penlink.dll" -out:"$bench/csharp_callbacks.exe" \
    "$root/bench/csharp_callbacks.cs"
mono "$bench/csharp_callbacks.exe" "${2:-3}" "${3:-sim://}"
