#!/usr/bin/env bash
# Benchmark for issue #2: authenticated GET /auth/me and GET /api/auth/user/ on the embedded
# default (SQLite, release build) at 32 connections, against a ceiling that only verifies the
# same JWT (benches/auth_ceiling.rs). Prints throughput, p50/p99, ours as a percentage of the
# ceiling, RSS idle and under load, and the time from process start to a ready /readyz.
#
# Usage: scripts/bench-auth.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."

DURATION=${1:-15}
CONNECTIONS=32
PORT=8100
CEILING_PORT=8101
export CAREERHUB_JWT_SECRET="bench-secret-bench-secret-bench-secret-0123"

command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }
command -v curl >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl >/dev/null; }

echo "building (release)..." >&2
cargo build --release --quiet
cargo bench --bench auth_ceiling --no-run --quiet 2>/dev/null
CEILING_BIN=$(ls -t target/release/deps/auth_ceiling-* | grep -v '\.d$' | head -n 1)

WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
peak_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
now_ns() { date +%s%N; }

# Start-up on an empty data dir: process start to the first 200 from /readyz.
export CAREERHUB_DATA_DIR="$WORK/data"
export CAREERHUB_ADDR="127.0.0.1:$PORT"
export CAREERHUB_AUTH_RATE_PER_ADDRESS=100000
started=$(now_ns)
target/release/careerhub serve 2>"$WORK/server.log" &
SERVER=$!
PIDS+=("$SERVER")
until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.002; done
ready=$(now_ns)
STARTUP_MS=$(( (ready - started) / 1000000 ))

target/release/careerhub createsuperuser --email bench@example.com --password bench-pass-123 >/dev/null 2>&1
TOKEN=$(curl -fs -H 'content-type: application/json' \
    -d '{"username":"bench@example.com","password":"bench-pass-123"}' \
    "http://127.0.0.1:$PORT/api/token/" | sed -E 's/.*"access":"([^"]+)".*/\1/')
sleep 1
RSS_IDLE_KB=$(rss_kb "$SERVER")

CEILING_ADDR="127.0.0.1:$CEILING_PORT"
"$CEILING_BIN" --addr "$CEILING_ADDR" &
PIDS+=("$!")
until curl -fs -H "Authorization: Bearer $TOKEN" "http://$CEILING_ADDR/me" >/dev/null 2>&1; do sleep 0.01; done

# wrk's --latency summary: "Requests/sec", then "50%" and "99%" lines.
run() {
    local out
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" "$1")
    local rps p50 p99 errors
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ')
    echo "$rps $p50 $p99 ${errors:-none}"
}

curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/auth/me" >/dev/null   # warm up
read -r C_RPS C_P50 C_P99 C_ERR <<<"$(run "http://$CEILING_ADDR/me")"
read -r M_RPS M_P50 M_P99 M_ERR <<<"$(run "http://127.0.0.1:$PORT/auth/me")"
read -r U_RPS U_P50 U_P99 U_ERR <<<"$(run "http://127.0.0.1:$PORT/api/auth/user/")"
RSS_LOAD_KB=$(peak_kb "$SERVER")

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
printf '\ncareerhub auth benchmark: %s connections, %ss per run, release build, SQLite (embedded default)\n\n' "$CONNECTIONS" "$DURATION"
printf '%-22s %12s %10s %10s %8s  %s\n' route "req/s" p50 p99 ceiling errors
printf '%-22s %12s %10s %10s %8s  %s\n' "ceiling (JWT only)" "$C_RPS" "$C_P50" "$C_P99" "100%" "$C_ERR"
printf '%-22s %12s %10s %10s %8s  %s\n' "GET /auth/me" "$M_RPS" "$M_P50" "$M_P99" "$(pct "$M_RPS" "$C_RPS")" "$M_ERR"
printf '%-22s %12s %10s %10s %8s  %s\n' "GET /api/auth/user/" "$U_RPS" "$U_P50" "$U_P99" "$(pct "$U_RPS" "$C_RPS")" "$U_ERR"
printf '\nRSS idle: %d MB   RSS peak under load: %d MB   start-up to ready /readyz (empty data dir): %d ms\n' \
    $((RSS_IDLE_KB / 1024)) $((RSS_LOAD_KB / 1024)) "$STARTUP_MS"
