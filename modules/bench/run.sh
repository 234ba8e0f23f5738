#!/usr/bin/env bash
# SPDX-License-Identifier: AGPL-3.0-or-later
#
# The anonpay benchmark (issue 6; docs/performance.md). From the repository root:
#   modules/bench/run.sh                      # defaults: 100,000 cards, 8 connections, 30 s warm-up, 60 s measured
#   modules/bench/run.sh --rate 1382 --skip-ceilings    # 0.7 × the auth/s of the run above
#   modules/bench/run.sh --help
# Builds the host distribution and the bench jar when missing (or with BENCH_BUILD=1), installs
# Debian's sysbench when missing (the database ceiling), then runs the bench with the arguments.
set -euo pipefail

cd "$(dirname "$0")/../.."
JAR=modules/bench/target/anonpay-bench-0.1.0-SNAPSHOT.jar
DIST=modules/host/target/anonpay-host-dist/anonpay/anonpay-host.jar

if [[ -z "${JAVA_HOME:-}" && -d /usr/lib/jvm/temurin-25-jdk-amd64 ]]; then
  export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"

if [[ "${BENCH_BUILD:-0}" == 1 || ! -f "$DIST" ]]; then
  ./mvnw -q -DskipTests install
fi
if [[ "${BENCH_BUILD:-0}" == 1 || ! -f "$JAR" ]]; then
  ./mvnw -q -DskipTests -f modules/bench/pom.xml package
fi

if ! command -v sysbench >/dev/null 2>&1; then
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "run.sh: installing sysbench (Debian package) for the database ceiling"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq sysbench >/dev/null
  else
    echo "run.sh: sysbench missing and not root on Debian: the database ceiling will not be measured" >&2
  fi
fi

exec "$JAVA" -jar "$JAR" "$@"
