#!/usr/bin/env bash
# Benchmark for running careerhub as several instances on one PostgreSQL (issue #24): the
# authenticated read `GET /auth/me` through one API instance and through two (`serve
# --no-worker`, one PostgreSQL cluster the script creates with initdb on port 5497, never the
# machine's own), with the account cache on (as deployed, kept fresh across instances by
# LISTEN/NOTIFY) and off (CAREERHUB_ACCOUNT_CACHE_SECONDS=0, every request reads the user row).
#
# Prints req/s, p50 and p99 for each run, and PostgreSQL's CPU per request: the user and system
# time of the cluster's processes (the postmaster, its live backends, and the children it has
# reaped) over the run, divided by the requests served. wrk runs at CONNECTIONS connections in
# all (default 32), split evenly between the instances.
#
# Needs root (su postgres, for initdb). Usage: scripts/bench-scale.sh [seconds per run, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/lib/bench.sh
source scripts/lib/bench.sh

DURATION=${1:-20}
PG_PORT=5497
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
PG_DIR=$WORK/pg
PORT_A=8110
PORT_B=8111
EMAIL=scale-bench@example.com

scale_cleanup() {
    stop_instances
    [ -d "$PG_DIR" ] && su postgres -c "$PG_BIN/pg_ctl -D $PG_DIR -m fast stop" >/dev/null 2>&1 || true
    cleanup
}
trap scale_cleanup EXIT

INSTANCES=()
stop_instances() {
    local pid
    for pid in "${INSTANCES[@]}"; do
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    INSTANCES=()
}

# start_instance PORT: an API instance without a worker on the shared database.
start_instance() {
    target/release/careerhub serve --no-worker --addr "127.0.0.1:$1" 2>>"$WORK/instance-$1.log" &
    INSTANCES+=("$!")
    PIDS+=("$!")
    until curl -fs "http://127.0.0.1:$1/readyz" >/dev/null 2>&1; do sleep 0.01; done
}

# Clock ticks of CPU the cluster has used so far: the postmaster's own and its reaped
# children's (fields 14-17 of /proc/PID/stat), plus every live child's own.
pg_ticks() {
    local postmaster total pid
    postmaster=$(head -n 1 "$PG_DIR/postmaster.pid")
    total=$(awk '{print $14 + $15 + $16 + $17}' "/proc/$postmaster/stat")
    for pid in $(pgrep -P "$postmaster"); do
        total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
    done
    echo "$total"
}

# measure LABEL PORT...: wrk on /auth/me of each instance at once (connections split evenly);
# adds a row with the summed req/s, the worst p50 and p99, and PostgreSQL's CPU per request.
ROWS=()
measure() {
    local label=$1
    shift
    local per=$((CONNECTIONS / $#)) port before after i
    local -a outs=()
    for port in "$@"; do
        curl -fs -H "Authorization: Bearer $TOKEN" "http://127.0.0.1:$port/auth/me" >/dev/null
    done
    before=$(pg_ticks)
    i=0
    for port in "$@"; do
        wrk -t1 -c"$per" -d"${DURATION}s" --latency -H "Authorization: Bearer $TOKEN" \
            "http://127.0.0.1:$port/auth/me" >"$WORK/wrk-$i.out" &
        outs+=("$!")
        i=$((i + 1))
    done
    for pid in "${outs[@]}"; do wait "$pid"; done
    after=$(pg_ticks)
    local requests=0 rps=0 p50=0 p99=0 errors="" out
    for out in "$WORK"/wrk-*.out; do
        requests=$((requests + $(awk '/requests in/ {print $1}' "$out")))
        rps=$(awk -v a="$rps" -v b="$(awk '/Requests\/sec/ {print $2}' "$out")" 'BEGIN { printf "%.0f", a + b }')
        p50=$(awk -v a="$p50" -v b="$(awk '$1 == "50%" {print $2}' "$out")" 'BEGIN { print (b > a ? b : a) }')
        p99=$(awk -v a="$p99" -v b="$(awk '$1 == "99%" {print $2}' "$out")" 'BEGIN { print (b > a ? b : a) }')
        errors+=$(awk '/Non-2xx|Socket errors/ {print}' "$out" | tr '\n' ' ')
        rm -f "$out"
    done
    local hz cpu_us
    hz=$(getconf CLK_TCK)
    cpu_us=$(awk -v t=$((after - before)) -v hz="$hz" -v n="$requests" 'BEGIN { printf "%.1f", (n > 0 ? t / hz * 1e6 / n : 0) }')
    ROWS+=("$(printf '%-44s %10s %10s %10s %16s  %s' "$label" "$rps" "$p50" "$p99" "$cpu_us" "${errors:-none}")")
}

ensure_tools
# shellcheck disable=SC2119 # careerhub only, no bench binaries
build_release

echo "==> a PostgreSQL cluster of its own on $PG_PORT" >&2
install -d -o postgres -g postgres "$PG_DIR"
chmod 755 "$WORK"
su postgres -c "$PG_BIN/initdb -D $PG_DIR -A trust -U postgres" >/dev/null
su postgres -c "$PG_BIN/pg_ctl -D $PG_DIR -l $PG_DIR/log -o '-p $PG_PORT -k /tmp' -w start" >/dev/null
export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export CAREERHUB_DATA_DIR="$WORK/data"
target/release/careerhub migrate >/dev/null 2>&1

PORT=$PORT_A
for cache in on off; do
    if [ "$cache" = off ]; then
        export CAREERHUB_ACCOUNT_CACHE_SECONDS=0
    else
        unset CAREERHUB_ACCOUNT_CACHE_SECONDS
    fi
    start_instance "$PORT_A"
    start_instance "$PORT_B"
    [ -n "${TOKEN:-}" ] || TOKEN=$(make_token "$EMAIL")
    [ -n "$TOKEN" ] || { echo "no token for $EMAIL" >&2; exit 1; }
    echo "==> cache $cache: one instance, then two, ${DURATION}s each" >&2
    measure "GET /auth/me, one instance, cache $cache" "$PORT_A"
    measure "GET /auth/me, two instances, cache $cache" "$PORT_A" "$PORT_B"
    stop_instances
done

echo
printf '%-44s %10s %10s %10s %16s  %s\n' run "req/s" "p50" "p99" "PG CPU µs/req" errors
printf '%s\n' "${ROWS[@]}"
