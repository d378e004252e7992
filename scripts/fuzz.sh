#!/usr/bin/env bash
# Builds the libFuzzer fuzzers (fuzz/) with clang in build/fuzz and runs each for a bounded time.
# Exits non-zero if any fuzzer finds a crash, a sanitizer report, a broken invariant, a hang or
# runaway memory; the input that did it is kept in build/fuzz/artifacts/.
#
# Usage: scripts/fuzz.sh [seconds per fuzzer (default 20)] [fuzzer names... (default: all)]
# Reproduce a finding: build/fuzz/fuzz/<fuzzer> build/fuzz/artifacts/<fuzzer>-crash-...
# New inputs the fuzzers find go to build/fuzz/corpus/ (not the checked-in seeds in fuzz/corpus;
# regenerate those from docs/protocol.md with fuzz/make_corpus.py).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
seconds=${1:-20}
shift || true
fuzzers=("$@")
[ ${#fuzzers[@]} -gt 0 ] || fuzzers=(fuzz_frame_decoder fuzz_sim_device fuzz_session fuzz_descriptor fuzz_sealed_frames fuzz_recipe fuzz_zone_chart fuzz_recording)
build="$root/build/fuzz"
jobs=2

for tool in clang clang++; do
    command -v "$tool" >/dev/null || { echo "fuzz.sh: $tool not found (scripts/install-deps.sh all)" >&2; exit 2; }
done

# Only what the fuzzers link: the tools, tests, benches and examples are built elsewhere.
CC=clang CXX=clang++ cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPENLINK_BUILD_FUZZERS=ON -DPENLINK_BUILD_TESTS=OFF -DPENLINK_BUILD_TOOLS=OFF \
    -DPENLINK_BUILD_BENCH=OFF -DPENLINK_BUILD_EXAMPLES=OFF -DPENLINK_BUILD_BINDINGS=OFF \
    -DPENLINK_WERROR=ON >/dev/null
cmake --build "$build" -j "$jobs" --target "${fuzzers[@]}"

mkdir -p "$build/artifacts" "$build/logs"
failed=()
for fuzzer in "${fuzzers[@]}"; do
    corpus="$build/corpus/$fuzzer"
    mkdir -p "$corpus"
    log="$build/logs/$fuzzer.log"
    echo "fuzzing $fuzzer for ${seconds} s (log: $log)"
    # A fuzzer reading text gets its words from fuzz/<fuzzer>.dict, if there is one.
    dict=()
    [ -f "$root/fuzz/$fuzzer.dict" ] && dict=(-dict="$root/fuzz/$fuzzer.dict")
    # -timeout: one input running this long is a hang. The first corpus directory receives
    # what the run finds; the checked-in seeds are only read.
    if ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
        "$build/fuzz/$fuzzer" -max_total_time="$seconds" -timeout=20 -rss_limit_mb=2048 \
        -print_final_stats=1 -artifact_prefix="$build/artifacts/$fuzzer-" \
        ${dict[@]+"${dict[@]}"} "$corpus" "$root/fuzz/corpus/$fuzzer" >"$log" 2>&1; then
        grep -E '^stat::(number_of_executed_units|average_exec_per_sec|new_units_added)' "$log" |
            sed 's/^/  /'
    else
        echo "FAILED: $fuzzer found a problem; end of its log:" >&2
        grep -v '^"' "$log" | tail -n 60 >&2
        failed+=("$fuzzer")
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzzing found problems in: ${failed[*]} (inputs in $build/artifacts/)" >&2
    exit 1
fi
echo "fuzzing ok: no crash in ${fuzzers[*]}"
