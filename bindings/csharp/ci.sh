#!/usr/bin/env bash
# Builds the C# binding in a CMake build tree and runs its NUnit 2.6 suite with nunit-console:
# the acceptance scenario against sim:// and penlink-sim over TCP, plus the quickstart example.
# Usage: bindings/csharp/ci.sh <build-dir>   (configured with -DPENLINK_BUILD_BINDINGS=ON)
# Everything it writes goes under <build-dir>/bindings/csharp.
set -euo pipefail

build_dir=$(realpath "${1:?usage: $0 <cmake build dir configured with PENLINK_BUILD_BINDINGS=ON>}")
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
nunit_framework=${NUNIT_FRAMEWORK:-/usr/lib/cli/nunit.framework-2.6.3/nunit.framework.dll}

cmake --build "$build_dir" --target penlink_csharp_assembly penlink-sim -j2

# The test assembly sits next to copies of Penlink.dll and the native libraries, which mono
# finds beside the assembly that imports them.
out="$build_dir/bindings/csharp/out"
tests="$build_dir/bindings/csharp/tests"
mkdir -p "$tests"
cp "$out"/Penlink.dll "$out"/Penlink.dll.mdb "$out"/libpenlink_csharp.so "$out"/libpenlink.so.* \
   "$nunit_framework" "$tests"/
mcs -nologo -langversion:7.2 -target:library -debug -warnaserror \
    -r:"$tests/Penlink.dll" -r:"$tests/nunit.framework.dll" \
    -out:"$tests/PenlinkTests.dll" "$here"/tests/*.cs

# -noshadow: a shadow copy would separate Penlink.dll from its native libraries.
cd "$tests"
PENLINK_SIM="$build_dir/tools/penlink-sim/penlink-sim" \
PENLINK_EXAMPLES_DIR="$root/examples/csharp" \
    nunit-console -nologo -noshadow -xml="$tests/TestResult.xml" PenlinkTests.dll "${@:2}"
