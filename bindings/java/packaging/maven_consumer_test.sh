#!/usr/bin/env bash
# CTest script: builds bindings/java/packaging/consumer, an app's Maven project that depends on
# io.penlink:penlink:<version>, offline (mvn -o), and runs its test: the acceptance scenario.
# It passes only if `mvn install` (bindings/java/ci.sh) put a working artifact into the local
# repository under those coordinates, with its -sources and -javadoc jars beside it. Its second
# test drives a partner module written at test time in a penlink-sim process ($PENLINK_SIM).
# Usage: maven_consumer_test.sh <version> <scratch dir> [extra Maven options]
set -euo pipefail
version=${1:?usage: $0 <version> <scratch dir> [maven options]}
scratch=${2:?usage: $0 <version> <scratch dir> [maven options]}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
rm -rf "$scratch"
mkdir -p "$scratch"

# Where Maven keeps its local repository (settings.xml or -Dmaven.repo.local may move it).
repo=$(mvn -B -q -o "${@:3}" help:evaluate -Dexpression=settings.localRepository -DforceStdout \
       -f "$here/consumer/pom.xml" 2>/dev/null || true)
[ -d "$repo" ] || repo="$HOME/.m2/repository"
artifact="$repo/io/penlink/penlink/$version"
for classifier in "" -sources -javadoc; do
    if [ ! -f "$artifact/penlink-$version$classifier.jar" ]; then
        echo "not in the local repository: $artifact/penlink-$version$classifier.jar" >&2
        exit 1
    fi
done
if ! grep -q "<version>$version</version>" "$artifact/penlink-$version.pom"; then
    echo "the installed pom does not name version $version (unresolved \${revision}?)" >&2
    exit 1
fi

# JAVA_TOOL_OPTIONS could point penlink.library.path at a build tree; it must not apply here.
unset JAVA_TOOL_OPTIONS JDK_JAVA_OPTIONS
if ! mvn -B -q -o -Dstyle.color=never -f "$here/consumer/pom.xml" test \
        -Dpenlink.version="$version" -Dconsumer.build.dir="$scratch/target" "${@:3}" \
        >"$scratch/maven.log" 2>&1; then
    cat "$scratch/maven.log"
    cat "$scratch"/target/surefire-reports/*-output.txt 2>/dev/null || true
    exit 1
fi
echo "an offline Maven project resolved io.penlink:penlink:$version, ran the session and drove a partner module"
