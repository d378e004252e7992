#!/usr/bin/env bash
# `penctl scan` and `penctl demo` over Bluetooth LE without a radio: a private dbus-daemon as the
# system bus, penlink-sim on TCP, and the test fake of BlueZ (tests/ble/fake_bluez.py) bridging
# the penlink GATT service to it at a 15 ms connection interval and MTU 247 (change with
# FAKE_ARGS, e.g. FAKE_ARGS="--mtu 23 --interval-ms 30"). Builds what it needs.
# Usage: scripts/demo-ble.sh [penctl demo options]
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/demo"
venv="$root/build/venv"

bash "$root/scripts/install-deps.sh" core
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c "import dbus_fast" 2>/dev/null ||
    "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "dbus-fast>=2"
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPENLINK_BUILD_TESTS=OFF -DPENLINK_BUILD_BENCH=OFF -DPENLINK_WITH_BLE=ON >/dev/null
cmake --build "$build" --target penctl penlink-sim

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

wait_line() {  # file, pattern: waits up to 20 s for pattern in file
    for _ in $(seq 200); do grep -q "$2" "$1" 2>/dev/null && return 0; sleep 0.1; done
    echo "timed out waiting for '$2' in $1" >&2
    exit 1
}

dbus-daemon --config-file="$root/tests/ble/private_bus.conf" --print-address=1 --nofork \
    >"$work/bus" 2>/dev/null &
pids+=($!)
wait_line "$work/bus" unix:
export DBUS_SYSTEM_BUS_ADDRESS=$(head -n 1 "$work/bus")

"$build/tools/penlink-sim/penlink-sim" --tcp 0 --quiet >"$work/sim" &
pids+=($!)
wait_line "$work/sim" "TCP "
sim=$(awk '/^TCP /{print $2; exit}' "$work/sim")

# shellcheck disable=SC2086
"$venv/bin/python" "$root/tests/ble/fake_bluez.py" --bus "$DBUS_SYSTEM_BUS_ADDRESS" --sim "$sim" \
    ${FAKE_ARGS:-} >"$work/fake" &
pids+=($!)
wait_line "$work/fake" READY

"$build/tools/penctl/penctl" scan --ble-only --seconds 2
"$build/tools/penctl/penctl" demo --url "ble://?name=penlink-sim" "$@"
