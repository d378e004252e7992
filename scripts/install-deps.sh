#!/usr/bin/env bash
# Installs what building and testing penlink needs on Debian 12, only if something is missing.
# Usage: scripts/install-deps.sh [core|all]   (core: C++ build and tests; all: plus bindings)
set -euo pipefail

what=${1:-all}
packages=(build-essential cmake ninja-build pkg-config ccache
          libboost1.81-all-dev libboost-json1.81-dev libserialport-dev catch2 libssl-dev libsqlite3-dev
          libsdbus-c++-dev libsdbus-c++-bin libsystemd-dev dbus-daemon dbus-bin)
if [ "$what" = all ]; then
    packages+=(clang-format swig python3-dev python3-venv openjdk-17-jdk-headless maven
               mono-mcs nunit-console libnunit-cil-dev clang libclang-rt-14-dev doxygen)
fi

missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing: ${missing[*]}"
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd=sudo
    $sudo_cmd apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q --no-install-recommends "${missing[@]}"
fi
