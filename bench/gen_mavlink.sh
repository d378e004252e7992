#!/usr/bin/env bash
# Generates MAVLink v2's C library headers for bench_codec into OUTDIR with the generator the
# pymavlink package ships (mavgen, C, wire protocol 2.0) from the common.xml that package ships.
# Nothing generated is committed. CMake runs this at configure time (bench/CMakeLists.txt).
#
# Usage: bench/gen_mavlink.sh OUTDIR [PYTHON]
# PYTHON (default python3) is used if it can import pymavlink; otherwise pymavlink is
# pip-installed into a venv of its own beside OUTDIR. Exits 77 if neither works (no network,
# no venv module): bench_codec is then built without its MAVLink half.
set -euo pipefail
out=${1:?usage: gen_mavlink.sh OUTDIR [PYTHON]}
python=${2:-python3}

if [ -f "$out/common/mavlink.h" ]; then
    echo "MAVLink headers already in $out"
    exit 0
fi

has_pymavlink() { "$1" -c 'import pymavlink' >/dev/null 2>&1; }

if ! has_pymavlink "$python"; then
    venv="$out-venv"
    if [ ! -x "$venv/bin/python" ]; then
        python3 -m venv "$venv" >/dev/null 2>&1 || { echo "cannot make a venv for pymavlink" >&2; exit 77; }
    fi
    python="$venv/bin/python"
    if ! has_pymavlink "$python"; then
        "$python" -m pip install --quiet --disable-pip-version-check --retries 1 --timeout 20 \
            pymavlink >&2 || { echo "cannot pip install pymavlink" >&2; exit 77; }
    fi
fi

# The dialect files ship inside the package (pymavlink/dialects/v20/common.xml).
xml=$("$python" -c 'import os, pymavlink; print(os.path.join(os.path.dirname(pymavlink.__file__), "dialects", "v20", "common.xml"))')
[ -f "$xml" ] || { echo "pymavlink ships no $xml" >&2; exit 77; }
version=$("$python" -c 'import importlib.metadata as m; print(m.version("pymavlink"))' 2>/dev/null || echo unknown)

tmp="$out.tmp"
rm -rf "$tmp"
"$python" -m pymavlink.tools.mavgen --lang=C --wire-protocol=2.0 --output="$tmp" "$xml" >&2 ||
    { echo "mavgen failed" >&2; rm -rf "$tmp"; exit 77; }
echo "$version" >"$tmp/PYMAVLINK_VERSION"
rm -rf "$out"
mv "$tmp" "$out"
echo "MAVLink headers generated in $out (pymavlink $version)"
