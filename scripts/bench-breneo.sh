#!/usr/bin/env bash
# Benchmark for issue #3: GET and PUT /api/me/industry-profile/ at 32 connections on the embedded
# default (SQLite, release build) against the JWT-only ceiling, then 64 concurrent writers (PUTs
# and work-experience writes, each read back) for 30 s (benches/breneo_writers.rs).
#
# Usage: scripts/bench-breneo.sh [seconds per wrk run, default 15] [soak seconds, default 30]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

DURATION=${1:-15}
SOAK=${2:-30}
ensure_tools
build_release auth_ceiling breneo_writers
start_server
TOKEN=$(make_token bench@example.com)
start_ceiling "$TOKEN"
PROFILE="http://127.0.0.1:$PORT/api/me/industry-profile/"
curl -fs -X PUT -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d '{"industry_years_json": {"fintech": 1}}' "$PROFILE" >/dev/null

read -r C_RPS C_P50 C_P99 C_ERR <<<"$(run_wrk "http://127.0.0.1:$CEILING_PORT/me" "$TOKEN" "$DURATION")"
read -r G_RPS G_P50 G_P99 G_ERR <<<"$(run_wrk "$PROFILE" "$TOKEN" "$DURATION")"
read -r P_RPS P_P50 P_P99 P_ERR <<<"$(run_wrk "$PROFILE" "$TOKEN" "$DURATION" scripts/wrk/put-industry-profile.lua)"

printf '\ncareerhub Breneo benchmark: %s connections, %ss per run, release build, SQLite (embedded default)\n\n' "$CONNECTIONS" "$DURATION"
print_header
print_row "ceiling (JWT only)" "$C_RPS" "$C_P50" "$C_P99" "100%" "$C_ERR"
print_row "GET /api/me/industry-profile/" "$G_RPS" "$G_P50" "$G_P99" "$(pct "$G_RPS" "$C_RPS")" "$G_ERR"
print_row "PUT /api/me/industry-profile/" "$P_RPS" "$P_P50" "$P_P99" "$(pct "$P_RPS" "$C_RPS")" "$P_ERR"

printf '\n64 concurrent writers for %ss:\n' "$SOAK"
"$BENCH_BIN_breneo_writers" --base "http://127.0.0.1:$PORT" --writers 64 --seconds "$SOAK"
