#!/usr/bin/env bash
# Benchmark for Career Navigator's market data at a million postings, on SQLite (the embedded
# default, a fresh data dir) and on PostgreSQL (a fresh database, when one is reachable):
#
#   - `careerhub import-jobs` of 1,000,000 generated postings (scripts/gen-postings.py: careerhub's
#     posting shape, 180 days of `scraped_at`, skewed roles, skills, locations and companies),
#     timed, as postings per second;
#   - then, with the server on that data, wrk at low concurrency (4 connections, 2 threads,
#     --latency) against `GET /market/trending` (default 30-day window), `GET /market/trending?days=180`,
#     `GET /market/trending?days=365`, `GET /skills/gap-analysis?role=Backend%20Engineer` (its
#     default 30-day window), and the learning roadmap and project ideas built from that gap
#     (`/learning/roadmap`, `/projects/recommendations`) for a Career Navigator user registered
#     through the API (target role "Backend Engineer", a few skills); twice: as deployed (answers
#     cached in-process for a minute) and with the cache off (every request computed from the
#     rollups).
#
# Prints route, req/s, p50 and p99 per engine, against the targets (issue #25): import >= 20,000
# postings/s on both engines; computed or cached, trending p50 < 30 ms and p99 < 60 ms for any
# window, gap analysis (and the roadmap and project ideas built from it) p50 < 10 ms and
# p99 < 20 ms.
#
# The postings file is cached in target/bench-data/postings-1m.jsonl and reused while it is less
# than a day old (its `scraped_at` values are relative to when it was generated); set
# BENCH_REGENERATE=1 to make a new one.
#
# PostgreSQL: BENCH_DATABASE_URL=postgres://USER[:PASS]@HOST:PORT/DB names a server and a database
# to connect to for administration (e.g. .../postgres); without it, a server on 127.0.0.1:5432 is
# used as postgres://postgres@127.0.0.1:5432/postgres when pg_isready finds one. The benchmark
# creates the database careerhub_bench on that server (dropping any left over) and drops it at the
# end. With neither, only SQLite is measured.
#
# Usage: scripts/bench-market.sh [seconds per wrk run, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${CONNECTIONS:-4}
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh

DURATION=${1:-20}
POSTINGS=1000000
CACHE=target/bench-data/postings-1m.jsonl
PG_DB=careerhub_bench
EMAIL=navigator-bench@example.com
PASSWORD=BenchPass123
ROLE="Backend Engineer"
TARGET_IMPORT_RATE=20000
TARGET_TRENDING_P50_MS=30
TARGET_TRENDING_P99_MS=60
TARGET_GAP_P50_MS=10
TARGET_GAP_P99_MS=20

# Stop the server before dropping its database, then the library's clean-up.
market_cleanup() {
    stop_server
    if [ -n "${PG_CREATED:-}" ]; then
        psql "$PG_ADMIN_URL" -qX -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    cleanup
}
trap market_cleanup EXIT

stop_server() {
    if [ -n "${SERVER:-}" ]; then
        kill "$SERVER" 2>/dev/null || true
        wait "$SERVER" 2>/dev/null || true
        SERVER=
    fi
}

# wrk prints latencies as 850.00us, 12.34ms, 1.20s or 2.00m; prints milliseconds.
to_ms() {
    awk -v v="$1" 'BEGIN {
        n = v + 0
        if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n += 0; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000
        printf "%.2f", n
    }'
}

# verdict VALUE OP TARGET: "ok" or "MISSED" (OP is lt or ge).
verdict() {
    awk -v a="$1" -v op="$2" -v b="$3" 'BEGIN {
        pass = (op == "lt") ? (a + 0 < b + 0) : (a + 0 >= b + 0)
        print (pass ? "ok" : "MISSED")
    }'
}

# Fails with the response body unless URL answers 200 (also the warm-up before each wrk run).
expect_ok() {
    local status
    status=$(curl -s -o "$WORK/response" -w '%{http_code}' -H "Authorization: Bearer $2" "$1")
    if [ "$status" != 200 ]; then
        echo "GET $1 answered $status:" >&2
        head -c 2000 "$WORK/response" >&2
        echo >&2
        exit 1
    fi
}

# A Career Navigator user made through the API: register, log in, then set target roles and
# skills with PUT /auth/me. Sets NAV_TOKEN (not a subshell, so that set -e sees each failure).
navigator_login() {
    local base="http://127.0.0.1:$PORT"
    # Registering again (the second pass, same database) answers 400: the login still works.
    curl -sS -H 'content-type: application/json' -o /dev/null \
        -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\",\"full_name\":\"Bench Navigator\"}" \
        "$base/auth/register"
    NAV_TOKEN=$(curl -fsS -H 'content-type: application/json' \
        -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}" "$base/auth/login" |
        sed -nE 's/.*"access_token" *: *"([^"]+)".*/\1/p')
    if [ -z "$NAV_TOKEN" ]; then
        echo "POST /auth/login answered no access_token" >&2
        exit 1
    fi
    curl -fsS -X PUT -H "Authorization: Bearer $NAV_TOKEN" -H 'content-type: application/json' \
        -o /dev/null "$base/auth/me" \
        -d "{\"target_roles\":[\"$ROLE\"],\"skills\":[\"python\",\"postgresql\",\"docker\",\"git\",\"Golang\"]}"
}

ROWS=()
add_row() { ROWS+=("$(printf '%-10s %-62s %10s %10s %10s  %-30s %s' "$@")"); }

# bench_engine NAME: import, serve, measure, with DATABASE_URL already pointing at an empty
# database for that engine.
bench_engine() {
    local engine=$1 started finished summary inserted updated rejected seconds rate
    echo "[$engine] importing $POSTINGS postings..." >&2
    started=$(now_ns)
    target/release/careerhub import-jobs "$DATA" >"$WORK/import.out" 2>"$WORK/import.err"
    finished=$(now_ns)
    summary=$(grep -m1 -E '^inserted [0-9]+, updated [0-9]+, rejected [0-9]+' "$WORK/import.out" || true)
    if [ -z "$summary" ]; then
        echo "[$engine] import-jobs printed no summary:" >&2
        cat "$WORK/import.out" "$WORK/import.err" >&2
        exit 1
    fi
    read -r inserted updated rejected <<<"$(sed -E 's/^inserted ([0-9]+), updated ([0-9]+), rejected ([0-9]+).*/\1 \2 \3/' <<<"$summary")"
    seconds=$(awk -v ns=$((finished - started)) 'BEGIN { printf "%.1f", ns / 1e9 }')
    rate=$(awk -v n=$((inserted + updated)) -v s="$seconds" 'BEGIN { printf "%.0f", (s > 0 ? n / s : 0) }')
    echo "[$engine] $summary in ${seconds}s" >&2
    if [ "$rejected" != 0 ]; then
        echo "[$engine] $rejected rows rejected; the first reasons:" >&2
        sed -n '2,6p' "$WORK/import.out" >&2
    fi
    local import_target=">= $TARGET_IMPORT_RATE/s" import_verdict
    import_verdict=$(verdict "$rate" ge "$TARGET_IMPORT_RATE")
    add_row "$engine" "import-jobs ($inserted inserted, ${seconds}s)" "$rate/s" "-" "-" \
        "$import_target $import_verdict" "rejected $rejected"

    # Twice: as deployed (answers cached in-process for CAREERHUB_MARKET_CACHE_SECONDS), then with
    # the cache off so every request computes its answer from the rollups.
    local mode
    for mode in cached computed; do
        if [ "$mode" = computed ]; then
            export CAREERHUB_MARKET_CACHE_SECONDS=0
        else
            unset CAREERHUB_MARKET_CACHE_SECONDS
        fi
        start_server
        measure_routes "$engine" "$mode"
        stop_server
    done
    unset CAREERHUB_MARKET_CACHE_SECONDS
}

# measure_routes ENGINE MODE: wrk on each market route of the running server.
measure_routes() {
    local engine=$1 mode=$2
    local base="http://127.0.0.1:$PORT"
    # The user exists after the first pass (same database): log in again if registering fails.
    navigator_login
    local -a paths=("/market/trending" "/market/trending?days=180" "/market/trending?days=365"
        "/skills/gap-analysis?role=Backend%20Engineer"
        "/learning/roadmap?target_role=Backend%20Engineer&include_gap_analysis=true"
        "/projects/recommendations?target_role=Backend%20Engineer&limit=20")
    # The roadmap and the project ideas are built from the gap analysis's figures: its targets.
    local -a p50_targets=("$TARGET_TRENDING_P50_MS" "$TARGET_TRENDING_P50_MS" "$TARGET_TRENDING_P50_MS"
        "$TARGET_GAP_P50_MS" "$TARGET_GAP_P50_MS" "$TARGET_GAP_P50_MS")
    local -a p99_targets=("$TARGET_TRENDING_P99_MS" "$TARGET_TRENDING_P99_MS" "$TARGET_TRENDING_P99_MS"
        "$TARGET_GAP_P99_MS" "$TARGET_GAP_P99_MS" "$TARGET_GAP_P99_MS")
    local i rps p50 p99 errors verdicts
    for i in "${!paths[@]}"; do
        expect_ok "$base${paths[$i]}" "$NAV_TOKEN"
        echo "[$engine] wrk GET ${paths[$i]} ($mode) for ${DURATION}s..." >&2
        read -r rps p50 p99 errors <<<"$(run_wrk "$base${paths[$i]}" "$NAV_TOKEN" "$DURATION")"
        verdicts="p50<${p50_targets[$i]} $(verdict "$(to_ms "$p50")" lt "${p50_targets[$i]}"), p99<${p99_targets[$i]} $(verdict "$(to_ms "$p99")" lt "${p99_targets[$i]}")"
        add_row "$engine" "GET ${paths[$i]} ($mode)" "$rps" "$p50" "$p99" "$verdicts" "$errors"
    done
}

ensure_tools
command -v python3 >/dev/null || { echo "python3 is needed to generate the postings" >&2; exit 1; }
# shellcheck disable=SC2119 # careerhub only, no bench binaries
build_release

# The postings: the cached file while it is fresh, else generated into the temp dir and cached.
if [ -s "$CACHE" ] && [ -z "${BENCH_REGENERATE:-}" ] && [ -n "$(find "$CACHE" -mmin -1440)" ]; then
    echo "using $CACHE" >&2
else
    echo "generating $POSTINGS postings (about a minute)..." >&2
    scripts/gen-postings.py --count "$POSTINGS" --days 180 --seed 7 --out "$WORK/postings.jsonl"
    mkdir -p "$(dirname "$CACHE")"
    mv "$WORK/postings.jsonl" "$CACHE"
fi
DATA=$CACHE

# SQLite: the embedded default on a fresh data dir (start_server uses $WORK/data too).
export CAREERHUB_DATA_DIR="$WORK/data"
mkdir -p "$CAREERHUB_DATA_DIR"
export DATABASE_URL="sqlite://$CAREERHUB_DATA_DIR/careerhub.db?mode=rwc"
bench_engine SQLite

# PostgreSQL, when there is one.
PG_ADMIN_URL=${BENCH_DATABASE_URL:-}
if [ -z "$PG_ADMIN_URL" ] && command -v pg_isready >/dev/null && pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
    PG_ADMIN_URL=postgres://postgres@127.0.0.1:5432/postgres
fi
if [ -n "$PG_ADMIN_URL" ]; then
    if ! [[ $PG_ADMIN_URL =~ ^postgres(ql)?://[^/]+/[^/?]+(\?.*)?$ ]]; then
        echo "BENCH_DATABASE_URL must look like postgres://user@host:port/dbname" >&2
        exit 1
    fi
    command -v psql >/dev/null || { echo "psql is needed for the PostgreSQL run" >&2; exit 1; }
    psql "$PG_ADMIN_URL" -qX -v ON_ERROR_STOP=1 \
        -c "DROP DATABASE IF EXISTS $PG_DB WITH (FORCE)" -c "CREATE DATABASE $PG_DB" >/dev/null
    PG_CREATED=1
    # The same server, credentials and parameters, the bench database instead of the admin one.
    PG_BASE=${PG_ADMIN_URL%%\?*}
    PG_QUERY=${PG_ADMIN_URL#"$PG_BASE"}
    export DATABASE_URL="${PG_BASE%/*}/$PG_DB$PG_QUERY"
    bench_engine PostgreSQL
else
    echo "no PostgreSQL (set BENCH_DATABASE_URL or run one on 127.0.0.1:5432): SQLite only" >&2
fi

printf '\ncareerhub market benchmark: %s postings (%s), wrk %s connections, 2 threads, %ss per run, release build\n\n' \
    "$POSTINGS" "$DATA" "$CONNECTIONS" "$DURATION"
printf '%-10s %-62s %10s %10s %10s  %-30s %s\n' engine route "req/s" p50 p99 target errors
printf '%s\n' "${ROWS[@]}"
