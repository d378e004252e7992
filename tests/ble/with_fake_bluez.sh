#!/usr/bin/env bash
# Runs a command inside the BLE tests' world: a private dbus-daemon, penlink-sim on TCP and
# tests/ble/fake_bluez.py bridging a fake BLE pen to it. The command sees
# DBUS_SYSTEM_BUS_ADDRESS (the private bus, where the SDK looks for BlueZ) and
# PENLINK_FAKE_BLE_URL (the fake pen's URL). The Java and C# suites run under it: their
# processes cannot repoint the native library's system bus themselves, the Catch2 and Python
# tests start the same world per test (fake_bluez_harness.hpp, bindings/python/tests/test_ble.py).
# Usage: tests/ble/with_fake_bluez.sh PYTHON PENLINK_SIM COMMAND [ARGS...]
#   PYTHON must have dbus-fast. Every child is stopped when the command ends.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
python=${1:?usage: $0 PYTHON PENLINK_SIM COMMAND [ARGS...]}
sim=${2:?usage: $0 PYTHON PENLINK_SIM COMMAND [ARGS...]}
shift 2
work=$(mktemp -d)
children=()
cleanup() {
    for pid in "${children[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

# Waits up to 20 s for a line matching pattern in file; prints it.
first_line() {  # file pattern what
    for _ in $(seq 200); do
        if grep -m1 -E "$2" "$1" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    echo "with_fake_bluez.sh: $3 printed no line matching '$2' within 20 s" >&2
    cat "$1" >&2 || true
    exit 1
}

dbus-daemon --config-file="$here/private_bus.conf" --print-address=1 --nofork >"$work/bus" &
children+=($!)
bus=$(first_line "$work/bus" '^unix:' dbus-daemon)
"$sim" --tcp 0 --quiet >"$work/sim" &
children+=($!)
endpoint=$(first_line "$work/sim" '^TCP ' penlink-sim | sed 's/^TCP //')
"$python" "$here/fake_bluez.py" --bus "$bus" --sim "$endpoint" >"$work/fake" 2>"$work/fake.err" &
children+=($!)
first_line "$work/fake" '^READY' fake_bluez.py >/dev/null

export DBUS_SYSTEM_BUS_ADDRESS="$bus"
export PENLINK_FAKE_BLE_URL="ble://C0:FF:EE:00:00:01"
set +e
"$@"
status=$?
set -e
exit "$status"
