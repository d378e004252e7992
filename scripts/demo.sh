#!/usr/bin/env bash
# The main job: builds penlink and runs `penctl demo`, which starts a simulated pen on a
# pseudo-terminal, drives it through the real serial transport and shows live status.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$root/build/demo"

bash "$root/scripts/install-deps.sh" core
cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DPENLINK_BUILD_TESTS=OFF -DPENLINK_BUILD_BENCH=OFF >/dev/null
cmake --build "$build" --target penctl penlink-sim
exec "$build/tools/penctl/penctl" demo "$@"
