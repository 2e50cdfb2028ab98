# Shared by the scripts/bench-*.sh benchmarks (source it): a release careerhub on a fresh data
# dir, the JWT-only ceiling server (benches/auth_ceiling.rs), wrk runs, and clean-up.

CONNECTIONS=${CONNECTIONS:-32}
PORT=${PORT:-8100}
CEILING_PORT=${CEILING_PORT:-8101}
export CAREERHUB_JWT_SECRET="bench-secret-bench-secret-bench-secret-0123"
# Benchmarks log in and register far more often than people do.
export CAREERHUB_AUTH_RATE_PER_ADDRESS=1000000
export CAREERHUB_AUTH_RATE_PER_ACCOUNT=1000000

WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v curl >/dev/null || missing+=(curl)
    if [ ${#missing[@]} -gt 0 ]; then
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
}

# Builds careerhub and the named bench binaries in release mode; sets BENCH_BIN_<name>.
build_release() {
    echo "building (release)..." >&2
    cargo build --release --quiet
    local bench
    for bench in "$@"; do
        cargo bench --bench "$bench" --no-run --quiet 2>/dev/null
        printf -v "BENCH_BIN_$bench" '%s' "$(ls -t target/release/deps/"$bench"-* | grep -v '\.d$' | head -n 1)"
    done
}

now_ns() { date +%s%N; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
peak_kb() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }

# Starts careerhub on an empty data dir; sets SERVER (pid) and STARTUP_MS (start to ready /readyz).
# SERVER_BIN runs another build (say, an older commit's) for an A/B comparison.
start_server() {
    export CAREERHUB_DATA_DIR="$WORK/data"
    export CAREERHUB_ADDR="127.0.0.1:$PORT"
    local started ready
    started=$(now_ns)
    "${SERVER_BIN:-target/release/careerhub}" serve 2>"$WORK/server.log" &
    SERVER=$!
    PIDS+=("$SERVER")
    until curl -fs "http://127.0.0.1:$PORT/readyz" >/dev/null 2>&1; do sleep 0.002; done
    ready=$(now_ns)
    STARTUP_MS=$(( (ready - started) / 1000000 ))
}

# Creates an account and prints an access token for it.
make_token() {
    target/release/careerhub createsuperuser --email "$1" --password bench-pass-123 >/dev/null 2>&1
    curl -fs -H 'content-type: application/json' \
        -d "{\"username\":\"$1\",\"password\":\"bench-pass-123\"}" \
        "http://127.0.0.1:$PORT/api/token/" | sed -E 's/.*"access":"([^"]+)".*/\1/'
}

start_ceiling() {
    "$BENCH_BIN_auth_ceiling" --addr "127.0.0.1:$CEILING_PORT" &
    PIDS+=("$!")
    until curl -fs -H "Authorization: Bearer $1" "http://127.0.0.1:$CEILING_PORT/me" >/dev/null 2>&1; do sleep 0.01; done
}

# run_wrk URL TOKEN SECONDS [LUA]: prints "req/s p50 p99 errors".
run_wrk() {
    local script=() out rps p50 p99 errors
    [ -n "${4:-}" ] && script=(-s "$4")
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${3}s" --latency "${script[@]}" -H "Authorization: Bearer $2" "$1")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
    p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx|Socket errors/ {print}' <<<"$out" | tr '\n' ' ' | tr -s ' ')
    echo "$rps $p50 $p99 ${errors:-none}"
}

pct() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }

print_header() { printf '%-30s %12s %10s %10s %8s  %s\n' route "req/s" p50 p99 ceiling errors; }
print_row() { printf '%-30s %12s %10s %10s %8s  %s\n' "$@"; }
