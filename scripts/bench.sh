#!/usr/bin/env bash
# Runs the benchmarks the performance issue asks for and prints one table of their figures:
# each a ratio or value against a floor measured in the same run, with its median and spread
# over at least five runs and the command that produced it.
#
# Usage: scripts/bench.sh [--quick] [build-dir]
#   build-dir  an existing CMake build tree (default: build/ci, else build/dev; if neither
#              exists, build/bench is configured Release with -DPENLINK_BUILD_BENCH=ON).
#              The six benchmarks and penlink-sim are (re)built in it first.
#   --quick    shorter runs (still five of each), for checking that the set works.
#
# Each program's output goes to build/bench-logs/<UTC date and time>/<program>.txt; the table
# is built from the `RESULT name=... median=... min=... max=... target=... floor=...` lines the
# programs print (bench/result_line.hpp) and saved as summary.md beside them. A missed target is
# marked MISS in the table and the script still exits 0: it is a report. It exits 1 only if a
# program failed to run.
set -uo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
quick=0
build=""
for arg in "$@"; do
    case "$arg" in
        --quick) quick=1 ;;
        -h | --help)
            sed -n '2,17p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
            exit 0
            ;;
        -*)
            echo "bench.sh: unknown option '$arg' (known: --quick, --help)" >&2
            exit 2
            ;;
        *) build=$arg ;;
    esac
done

if [ -z "$build" ]; then
    for candidate in build/ci build/dev; do
        if [ -f "$root/$candidate/CMakeCache.txt" ]; then
            build=$root/$candidate
            break
        fi
    done
fi
if [ -z "$build" ]; then
    build=$root/build/bench
    generator=()
    command -v ninja >/dev/null && generator=(-G Ninja)
    echo "bench.sh: no build tree found; configuring $build (Release, benchmarks on)"
    cmake -S "$root" -B "$build" "${generator[@]}" -DCMAKE_BUILD_TYPE=Release \
        -DPENLINK_BUILD_BENCH=ON -DPENLINK_BUILD_TESTS=OFF -DPENLINK_BUILD_EXAMPLES=OFF ||
        exit 1
fi
if [ ! -d "$build" ]; then
    echo "bench.sh: build directory '$build' does not exist" >&2
    exit 2
fi
build=$(cd "$build" && pwd)
if ! grep -q '^PENLINK_BUILD_BENCH:BOOL=ON' "$build/CMakeCache.txt" 2>/dev/null; then
    echo "bench.sh: $build was not configured with -DPENLINK_BUILD_BENCH=ON" >&2
    exit 2
fi
programs=(bench_roundtrip bench_status_stream bench_wakeups bench_many_pens bench_idle_sims bench_codec)
echo "bench.sh: building ${programs[*]} and penlink-sim in $build"
cmake --build "$build" -j2 --target "${programs[@]}" penlink-sim >/dev/null || {
    echo "bench.sh: build failed; run: cmake --build $build --target ${programs[*]}" >&2
    exit 1
}

# 500 idle pens need about 1,500 descriptors, 200 pens about 400.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || ulimit -n 4096 2>/dev/null || true

if [ "$quick" = 1 ]; then
    roundtrip_args="500 5"
    stream_args="1 5"
    wakeups_args="1 5"
    many_args="200 20 1"
    idle_args="500 1 5 1"
    codec_args="5 20000"
else
    roundtrip_args="2000 5"
    stream_args="2 5"
    wakeups_args="2 5"
    many_args="200 20 3"
    idle_args="500 3 5 1"
    codec_args="7 100000"
fi

logs=$root/build/bench-logs/$(date -u +%Y-%m-%dT%H%M%SZ)
mkdir -p "$logs"
results=$logs/results.tsv
: >"$results"
failed=0
# The command as a reader can type it from the repository root.
shown_bench=${build#"$root"/}/bench

{
    echo "date: $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
    echo "commit: $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    echo "cores: $(nproc 2>/dev/null || echo '?'); load average: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null)"
    echo "build: $build ($(sed -n 's/^CMAKE_BUILD_TYPE:STRING=//p' "$build/CMakeCache.txt"))"
    echo "ulimit -n: $(ulimit -n)"
} | tee "$logs/machine.txt"

# run LOG-NAME PROGRAM ARGS...: runs one benchmark, appends its RESULT lines with the command.
run() {
    local name=$1 program=$2
    shift 2
    local command="$shown_bench/$program $*"
    local started=$SECONDS
    echo "bench.sh: $command"
    (cd "$root" && timeout 900 "$build/bench/$program" "$@") >"$logs/$name.txt" 2>&1
    local status=$?
    echo "  $((SECONDS - started)) s, exit $status, log $logs/$name.txt"
    if [ "$status" != 0 ]; then
        failed=1
        printf '%s\tFAILED name=%s exit=%s\n' "$command" "$program" "$status" >>"$results"
        return
    fi
    grep '^RESULT ' "$logs/$name.txt" | sed "s|^|$command\t|" >>"$results"
}

run bench_roundtrip bench_roundtrip $roundtrip_args
run bench_status_stream bench_status_stream $stream_args
# No target of its own: what a wake-up by the clock costs here, beside the streaming figure.
run bench_wakeups bench_wakeups $wakeups_args
# One run per process (see bench_many_pens.cpp); Threading::Dedicated only in the first.
for i in 1 2 3 4 5; do
    dedicated=0
    [ "$i" = 1 ] && dedicated=40
    run "bench_many_pens.$i" bench_many_pens $many_args $dedicated
done
run bench_idle_sims bench_idle_sims $idle_args
run bench_codec bench_codec $codec_args

# One row per figure. A figure reported by several processes (bench_many_pens) has one value
# per process: its median, min and max are over those; the command is the first one's.
# Figures with a target in the issue: one missing from the output (a program that skipped part
# of its measurement, e.g. bench_codec built without MAVLink) is listed as not measured.
expected="roundtrip_pty_ratio roundtrip_tcp_ratio roundtrip_sim_ratio stream_cpu_ratio"
expected+=" stream_frames_per_s stream_drops stream_callback_wakeups_per_batch"
expected+=" stream_allocations_per_frame many_pens_kb_per_pen many_pens_tcp_kb_per_pen"
expected+=" many_pens_sim_kb_per_pen many_pens_tcp_fds_per_pen"
expected+=" many_pens_sim_fds_per_pen many_pens_threads_added many_pens_connect_last_first"
expected+=" idle_sims_cpu_percent codec_encode_ratio codec_decode_ratio"
awk -F'\t' -v expected="$expected" '
function field(line, key,    n, parts, i) {
    n = split(line, parts, " ")
    for (i = 1; i <= n; ++i)
        if (index(parts[i], key "=") == 1) return substr(parts[i], length(key) + 2)
    return ""
}
function median(list,    n, v, i, j, t) {
    n = split(list, v, ",")
    for (i = 1; i <= n; ++i) v[i] += 0
    for (i = 2; i <= n; ++i)
        for (j = i; j > 1 && v[j - 1] > v[j]; --j) { t = v[j]; v[j] = v[j - 1]; v[j - 1] = t }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function num(v) {
    return (v >= 1000 || v <= -1000) ? sprintf("%.0f", v) : sprintf("%.4g", v)
}
function verdict(goal, med, low, high,    op, value) {
    if (goal == "-" || goal == "") return "-"
    if (match(goal, /^(<=|>=|==|<|>)/)) {
        op = substr(goal, 1, RLENGTH); value = substr(goal, RLENGTH + 1) + 0
    } else return "?"
    if (op == "<=") return med <= value ? "pass" : "MISS"
    if (op == "<") return med < value ? "pass" : "MISS"
    if (op == ">=") return med >= value ? "pass" : "MISS"
    if (op == ">") return med > value ? "pass" : "MISS"
    return (low == value && high == value) ? "pass" : "MISS"
}
{
    command = $1; line = $2
    if (line ~ /^FAILED /) {
        order[++count] = "FAILED:" command; failed_exit["FAILED:" command] = field(line, "exit")
        cmd["FAILED:" command] = command
        next
    }
    name = field(line, "name")
    if (!(name in cmd)) {
        order[++count] = name; cmd[name] = command; target[name] = field(line, "target")
        unit[name] = field(line, "unit"); lo[name] = field(line, "min") + 0
        hi[name] = field(line, "max") + 0; floor_text[name] = substr(line, index(line, " floor=") + 7)
        values[name] = field(line, "median"); runs[name] = field(line, "runs") + 0; lines[name] = 1
        next
    }
    values[name] = values[name] "," field(line, "median"); lines[name]++
    runs[name] += field(line, "runs")
    if (field(line, "min") + 0 < lo[name]) lo[name] = field(line, "min") + 0
    if (field(line, "max") + 0 > hi[name]) hi[name] = field(line, "max") + 0
}
END {
    print "| figure | target | median | spread (min-max) | runs | floor (same run) | command | result |"
    print "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for (i = 1; i <= count; ++i) {
        name = order[i]
        if (name ~ /^FAILED:/) {
            printf "| %s | | | | | | `%s` | FAILED (exit %s) |\n", cmd[name], cmd[name], failed_exit[name]
            continue
        }
        med = median(values[name])
        u = unit[name] == "x" ? "x" : " " unit[name]
        printf "| %s | %s | %s%s | %s-%s | %d | %s | `%s` | %s |\n", name, target[name], num(med),
            u, num(lo[name]), num(hi[name]), runs[name], floor_text[name], cmd[name],
            verdict(target[name], med, lo[name], hi[name])
    }
    n = split(expected, wanted, " ")
    for (i = 1; i <= n; ++i)
        if (!(wanted[i] in cmd))
            printf "| %s | | | | | | | NOT MEASURED (see the logs) |\n", wanted[i]
}' "$results" >"$logs/summary.md"

echo
echo "Summary ($logs/summary.md):"
cat "$logs/summary.md"
if [ "$failed" != 0 ]; then
    echo "bench.sh: a benchmark failed to run; see its log in $logs" >&2
    exit 1
fi
exit 0
