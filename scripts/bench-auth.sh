#!/usr/bin/env bash
# Benchmark for issue #2: authenticated GET /auth/me and GET /api/auth/user/ on the embedded
# default (SQLite, release build) at 32 connections, against a ceiling that only verifies the
# same JWT (benches/auth_ceiling.rs). Prints throughput, p50/p99, ours as a percentage of the
# ceiling, RSS idle and under load, and the time from process start to a ready /readyz.
#
# Usage: scripts/bench-auth.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

DURATION=${1:-15}
ensure_tools
build_release auth_ceiling
start_server
TOKEN=$(make_token bench@example.com)
sleep 1
RSS_IDLE_KB=$(rss_kb "$SERVER")
start_ceiling "$TOKEN"

curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$PORT/auth/me" >/dev/null   # warm up
read -r C_RPS C_P50 C_P99 C_ERR <<<"$(run_wrk "http://127.0.0.1:$CEILING_PORT/me" "$TOKEN" "$DURATION")"
read -r M_RPS M_P50 M_P99 M_ERR <<<"$(run_wrk "http://127.0.0.1:$PORT/auth/me" "$TOKEN" "$DURATION")"
read -r U_RPS U_P50 U_P99 U_ERR <<<"$(run_wrk "http://127.0.0.1:$PORT/api/auth/user/" "$TOKEN" "$DURATION")"
RSS_LOAD_KB=$(peak_kb "$SERVER")

printf '\ncareerhub auth benchmark: %s connections, %ss per run, release build, SQLite (embedded default)\n\n' "$CONNECTIONS" "$DURATION"
print_header
print_row "ceiling (JWT only)" "$C_RPS" "$C_P50" "$C_P99" "100%" "$C_ERR"
print_row "GET /auth/me" "$M_RPS" "$M_P50" "$M_P99" "$(pct "$M_RPS" "$C_RPS")" "$M_ERR"
print_row "GET /api/auth/user/" "$U_RPS" "$U_P50" "$U_P99" "$(pct "$U_RPS" "$C_RPS")" "$U_ERR"
printf '\nRSS idle: %d MB   RSS peak under load: %d MB   start-up to ready /readyz (empty data dir): %d ms\n' \
    $((RSS_IDLE_KB / 1024)) $((RSS_LOAD_KB / 1024)) "$STARTUP_MS"
