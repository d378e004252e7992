#!/usr/bin/env bash
# Python binding CI: installs pytest, builds the binding in a build tree, runs the pytest suite
# against it (also registered with CTest), then checks `pip install .` into a fresh venv and
# runs the suite against the installed wheel. Usage: bindings/python/ci.sh [build-dir]
set -euo pipefail

repo=$(cd "$(dirname "$0")/../.." && pwd)
build=${1:-$repo/build-python-ci}
python=${PYTHON:-python3}
jobs=${JOBS:-2}

"$python" -m pip install --quiet "pytest>=7" "matplotlib>=3.5"

cmake -S "$repo" -B "$build" -G Ninja -DPENLINK_WERROR=ON -DPENLINK_BUILD_BINDINGS=ON \
      -DPENLINK_BINDING_LANGUAGES=python -DPython3_EXECUTABLE="$(command -v "$python")" \
      -DPENLINK_BUILD_TESTS=ON
cmake --build "$build" --target penlink_python penlink-sim -j"$jobs"
PYTHONPATH="$build/bindings/python" PENLINK_SIM="$build/tools/penlink-sim/penlink-sim" \
    "$python" -m pytest -q -p no:cacheprovider "$repo/bindings/python/tests"

# The wheel path: a fresh venv, pip install of the repository, the same tests.
venv=$(mktemp -d)
trap 'rm -rf "$venv"' EXIT
"$python" -m venv "$venv"
"$venv/bin/pip" install --quiet "$repo[plot]" "pytest>=7"
(cd "$venv" && PENLINK_SIM="$build/tools/penlink-sim/penlink-sim" \
    "$venv/bin/python" -m pytest -q -p no:cacheprovider "$repo/bindings/python/tests")
