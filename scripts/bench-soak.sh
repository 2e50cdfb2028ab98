#!/usr/bin/env bash
# Load and soak (issue #9): a release careerhub on the embedded default (SQLite, worker inside)
# under mixed realistic traffic (benches/soak.rs) at 64 connections for 5 minutes: every
# request must succeed; prints p50/p99 per route and the server's memory over the run.
#
# Usage: scripts/bench-soak.sh [seconds, default 300] [connections, default 64]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

SECONDS_TO_RUN=${1:-300}
SOAK_CONNECTIONS=${2:-64}
ensure_tools
build_release soak
export RUST_LOG=${RUST_LOG:-warn}
start_server
"$BENCH_BIN_soak" "http://127.0.0.1:$PORT" "$SECONDS_TO_RUN" "$SOAK_CONNECTIONS" "$SERVER" \
    tests/fixtures/resume-libreoffice.pdf
if grep -q panicked "$WORK/server.log"; then
    echo "the server panicked:" >&2
    grep -A3 panicked "$WORK/server.log" >&2
    exit 1
fi
