#!/usr/bin/env bash
# The scale drill (issue #24): two API instances (`serve --no-worker`) and two workers
# (`careerhub worker --metrics-addr`) on a private PostgreSQL cluster it creates (initdb, port
# 5498, never the machine's), checking that they behave as one:
#  1. workers answer /healthz, /readyz and /metrics on their own addresses;
#  2. an account written through instance B is fresh on instance A within a second (both cache
#     accounts), and so is a name changed straight in the database with psql;
#  3. postings imported by the CLI (a third process) show in both instances' cached trending
#     within a second;
#  4. login budgets are shared: wrong passwords sent alternately to A and B are refused 429
#     once the account's budget is spent, whichever instance counts;
#  5. a worker stalled (SIGSTOP) past its lease while the LLM answers: the other worker takes
#     the job over and completes it; when the stalled one wakes, its late answer changes
#     nothing (one job succeeded on its second attempt, the first result kept);
#  6. PostgreSQL restarted under writes: every acknowledged write is there afterwards, and the
#     instances answer again without a restart.
# Needs root (su postgres). Usage: scripts/scale-drill.sh   (SERVER_BIN: a built careerhub)
set -euo pipefail
cd "$(dirname "$0")/.."

if [ -z "${SERVER_BIN:-}" ]; then
    cargo build --quiet
    SERVER_BIN=$PWD/target/debug/careerhub
fi
WORK=$(mktemp -d)
chmod 755 "$WORK"
PIDS=()
PG_DIR=$WORK/pg
PG_PORT=5498
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
cleanup() {
    for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill "$pid" 2>/dev/null || true; done
    [ -d "$PG_DIR" ] && su postgres -c "$PG_BIN/pg_ctl -D $PG_DIR -m immediate stop" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
fail() {
    echo "FAILED: $*" >&2
    tail -n 20 "$WORK"/*.log >&2 || true
    exit 1
}
ms() { date +%s%3N; }
json() { python3 -c "import json,sys; v=json.loads(sys.argv[1]); print(eval(sys.argv[2], {'v': v}))" "$1" "$2"; }

echo "==> a PostgreSQL cluster of its own on $PG_PORT"
install -d -o postgres -g postgres "$PG_DIR"
su postgres -c "$PG_BIN/initdb -D $PG_DIR -A trust -U postgres" >/dev/null
su postgres -c "$PG_BIN/pg_ctl -D $PG_DIR -l $PG_DIR/log -o '-p $PG_PORT -k /tmp' -w start" >/dev/null
psql_do() { psql -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -qAtX -c "$1"; }

# The LLM: a local chat-completions stub; its first answer waits until released (a file).
LLM_PORT=8499
RELEASE=$WORK/release-first-answer
python3 - "$LLM_PORT" "$WORK/llm-calls" "$RELEASE" <<'PY' 2>"$WORK/llm.log" &
import json, os, sys, threading, time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
port, calls_file, release = int(sys.argv[1]), sys.argv[2], sys.argv[3]
lock = threading.Lock()
class ChatCompletions(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass
    def do_POST(self):
        self.rfile.read(int(self.headers["content-length"]))
        with lock:
            with open(calls_file, "a") as f:
                f.write("call\n")
            call = sum(1 for _ in open(calls_file))
        while call == 1 and not os.path.exists(release):
            time.sleep(0.05)
        analysis = {"ats_score": 0, "score_breakdown": {"skills_match": call, "project_impact": 10,
                    "tools_frameworks": 10, "role_fit": 10}, "missing_keywords": [],
                    "strengths": ["answer %d" % call], "suggestions": []}
        body = json.dumps({"id": "chatcmpl-%d" % call, "object": "chat.completion", "model": "stub",
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant",
            "content": json.dumps(analysis)}}]}).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
ThreadingHTTPServer(("127.0.0.1", port), ChatCompletions).serve_forever()
PY
PIDS+=("$!")

export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/postgres"
export CAREERHUB_JWT_SECRET="scale-drill-secret-scale-drill-secret-0123"
export CAREERHUB_AUTH_RATE_PER_ADDRESS=1000000 CAREERHUB_AUTH_RATE_PER_ACCOUNT=4
export CAREERHUB_JOB_LEASE_SECONDS=4 CAREERHUB_DATA_DIR=$WORK/data
export ATS_ENGINE=llm AI_BASE_URL="http://127.0.0.1:$LLM_PORT/v1" AI_API_KEY=stub AI_TIMEOUT_SECONDS=120 AI_RETRIES=0
export RUST_LOG=${RUST_LOG:-warn}
A=http://127.0.0.1:8401
B=http://127.0.0.1:8402

wait_for() { # URL NAME
    for _ in $(seq 1 300); do curl -fs "$1" >/dev/null 2>&1 && return 0; sleep 0.05; done
    fail "$2 did not answer at $1"
}
"$SERVER_BIN" serve --no-worker --addr 127.0.0.1:8401 2>"$WORK/a.log" & PIDS+=("$!")
wait_for "$A/readyz" "instance A"
"$SERVER_BIN" serve --no-worker --addr 127.0.0.1:8402 2>"$WORK/b.log" & PIDS+=("$!")
"$SERVER_BIN" worker --metrics-addr 127.0.0.1:8411 2>"$WORK/w1.log" & W1=$!; PIDS+=("$W1")
"$SERVER_BIN" worker --metrics-addr 127.0.0.1:8412 2>"$WORK/w2.log" & W2=$!; PIDS+=("$W2")
wait_for "$B/readyz" "instance B"

echo "==> 1. workers are observable"
for port in 8411 8412; do
    wait_for "http://127.0.0.1:$port/readyz" "worker on $port"
    curl -fs "http://127.0.0.1:$port/healthz" | grep -q '"ok"' || fail "worker $port /healthz"
    curl -fs "http://127.0.0.1:$port/metrics" | grep -q '^careerhub_process_resident_memory_bytes' \
        || fail "worker $port /metrics has no process figures"
done
echo "    both workers answer /healthz, /readyz and /metrics"

echo "==> 2. an account written anywhere is fresh everywhere"
curl -fs -o /dev/null -H 'content-type: application/json' \
    -d '{"email":"scale@example.com","password":"Scale-Pass-123","full_name":"First Name","skills":["Rust"],"target_roles":["Backend Engineer"],"experience_level":"4th Year","location":"Berlin"}' \
    "$A/auth/register" || fail "registering on A"
login=$(curl -fs -H 'content-type: application/json' \
    -d '{"email":"scale@example.com","password":"Scale-Pass-123"}' "$B/auth/login") || fail "logging in on B"
TOKEN=$(json "$login" 'v["access_token"]')
me() { curl -fs -H "Authorization: Bearer $TOKEN" "$1/auth/me" | python3 -c 'import json,sys; print(json.load(sys.stdin)["full_name"])'; }
[ "$(me "$A")" = "First Name" ] || fail "A does not know the new account"
[ "$(me "$B")" = "First Name" ] || fail "B does not know the new account"
# fresh_within NAME EXPECTED COMMAND...: how many ms until COMMAND prints EXPECTED (at most 1 s).
fresh_within() {
    local what=$1 expected=$2 started
    shift 2
    started=$(ms)
    while [ $(( $(ms) - started )) -lt 1000 ]; do
        [ "$("$@")" = "$expected" ] && { echo "    $what: seen after $(( $(ms) - started )) ms"; return 0; }
        sleep 0.02
    done
    fail "$what: still stale after a second ($("$@"))"
}
curl -fs -X PUT -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    -d '{"full_name":"Second Name"}' "$B/auth/me" >/dev/null
fresh_within "a name written through B, read on A" "Second Name" me "$A"
psql_do "UPDATE users SET full_name = 'Third Name' WHERE email = 'scale@example.com'"
fresh_within "a name written with psql, read on A" "Third Name" me "$A"
fresh_within "a name written with psql, read on B" "Third Name" me "$B"

echo "==> 3. an import by the CLI shows in both instances' cached trending"
total() { curl -fs "$1/market/trending?days=30" | python3 -c 'import json,sys; print(json.load(sys.stdin)["total_jobs_analyzed"])'; }
[ "$(total "$A")" = 0 ] && [ "$(total "$B")" = 0 ] || fail "trending is not empty at first"
python3 - "$WORK/postings.jsonl" <<'PY'
import json, sys, datetime
now = datetime.datetime.now(datetime.timezone.utc)
with open(sys.argv[1], "w") as f:
    for n in range(25):
        f.write(json.dumps({"job_id": "drill_%d" % n, "title": "Backend Engineer", "company": "Drill Co",
            "url": "https://jobs.example.com/drill/%d" % n, "technology_slugs": ["rust", "postgresql"],
            "location": "Berlin, Germany", "scraped_at": (now - datetime.timedelta(hours=n)).isoformat()}) + "\n")
PY
"$SERVER_BIN" import-jobs "$WORK/postings.jsonl" >"$WORK/import.out" 2>"$WORK/import.log" || fail "import-jobs"
fresh_within "25 imported postings in A's trending" 25 total "$A"
fresh_within "25 imported postings in B's trending" 25 total "$B"

echo "==> 4. login budgets are shared"
codes=""
for n in 1 2 3 4 5 6; do
    target=$A; [ $((n % 2)) = 0 ] && target=$B
    code=$(curl -s -o /dev/null -w '%{http_code}' -H 'content-type: application/json' \
        -d '{"email":"nobody@example.com","password":"wrong-guess"}' "$target/auth/login")
    codes="$codes $code"
done
[ "$codes" = " 401 401 401 401 429 429" ] || fail "wrong passwords alternating A and B answered$codes"
echo "    six logins to one address, alternately on A and B, answered$codes (budget 4 a minute)"

echo "==> 5. a worker stalled past its lease records nothing over the finished result"
BASE=$A/api
jt=$(curl -fs -H 'content-type: application/json' \
    -d '{"email":"tracker@example.com","password1":"Tracker-Pass-123","password2":"Tracker-Pass-123"}' "$A/api/auth/register/")
JT=$(json "$jt" 'v["access"]')
job=$(curl -fs -H "Authorization: Bearer $JT" -H 'content-type: application/json' \
    -d '{"company_name":"Fintrail","job_title":"Backend Engineer","job_description":"We build payment systems in Rust and PostgreSQL. You will design services, review code and run them in production."}' \
    "$BASE/jobs/create")
JOB=$(json "$job" 'v["id"]')
printf 'Jane Doe\nBackend engineer: Rust, PostgreSQL, payments.\n' >"$WORK/cv.txt"
RESUME=$(curl -fs -H "Authorization: Bearer $JT" -F "file=@$WORK/cv.txt;type=text/plain" "$BASE/resumes/upload/" \
    | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
curl -fs -H "Authorization: Bearer $JT" -H 'content-type: application/json' -d "{\"resume_id\": $RESUME}" \
    "$BASE/ai/analyze/$JOB/" >/dev/null || fail "starting the analysis"
for _ in $(seq 1 200); do [ -s "$WORK/llm-calls" ] && break; sleep 0.05; done
[ -s "$WORK/llm-calls" ] || fail "the analysis never reached the LLM"
holder=$(psql_do "SELECT locked_by FROM jobs WHERE kind = 'tracker.analyze'")
# The worker whose process id is in the claim is the one waiting on the LLM: stall it.
STALLED=$W1; OTHER=$W2
[[ $holder == *":$W2:"* ]] && { STALLED=$W2; OTHER=$W1; }
kill -STOP "$STALLED"
result() { curl -fs -H "Authorization: Bearer $JT" "$BASE/ai/result/$JOB/"; }
completed=
for _ in $(seq 1 300); do
    body=$(result)
    [[ $body == *'"status":"completed"'* ]] && { completed=$body; break; }
    sleep 0.05
done
[ -n "$completed" ] || fail "the other worker did not take the job over: $body"
[[ $completed == *'"answer 2"'* ]] || fail "the completed result is not the second answer: $completed"
touch "$RELEASE"
kill -CONT "$STALLED"
sleep 3  # the stalled worker gets its late answer and tries to record it
[ "$(result)" = "$completed" ] || fail "the result changed after it was completed: $(result)"
jobs=$(psql_do "SELECT status || ' ' || attempts FROM jobs WHERE kind = 'tracker.analyze'")
[ "$jobs" = "succeeded 2" ] || fail "analysis jobs: $jobs"
lost=$(curl -fs "http://127.0.0.1:$([ "$STALLED" = "$W1" ] && echo 8411 || echo 8412)/metrics" \
    | grep -c 'careerhub_job_runs_total{kind="tracker.analyze",outcome="claimlost"} 1' || true)
[ "$lost" = 1 ] || fail "the stalled worker did not count its lost claim"
echo "    job $jobs; result kept (answer 2); the stalled worker counted claimlost; LLM asked $(wc -l <"$WORK/llm-calls") times"

echo "==> 6. PostgreSQL restarted under writes"
ACKED=$WORK/acked
( n=0; while true; do
    n=$((n + 1))
    target=$A; [ $((n % 2)) = 0 ] && target=$B
    code=$(curl -s -o /dev/null -w '%{http_code}' -m 5 -H "Authorization: Bearer $JT" -H 'content-type: application/json' \
        -d "{\"company_name\":\"Restart $n\",\"job_title\":\"Engineer\",\"job_description\":\"Written during a PostgreSQL restart, number $n.\"}" \
        "$target/api/jobs/create")
    [ "$code" = 201 ] && echo "Restart $n" >>"$ACKED"
    sleep 0.02
  done ) &
WRITER=$!; PIDS+=("$WRITER")
sleep 1
su postgres -c "$PG_BIN/pg_ctl -D $PG_DIR -m fast -w restart -o '-p $PG_PORT -k /tmp'" >/dev/null
sleep 2
kill "$WRITER"; wait "$WRITER" 2>/dev/null || true
wait_for "$A/readyz" "instance A after the restart"
wait_for "$B/readyz" "instance B after the restart"
acked=$(sort -u "$ACKED" | wc -l)
stored=$(psql_do "SELECT count(*) FROM job_applications WHERE company_name LIKE 'Restart %'")
missing=$(comm -23 <(sort -u "$ACKED") <(psql_do "SELECT company_name FROM job_applications WHERE company_name LIKE 'Restart %'" | sort -u) | wc -l)
[ "$missing" = 0 ] || fail "$missing acknowledged writes are missing after the restart"
[ "$(me "$A")" = "Third Name" ] || fail "A does not answer after the restart"
echo "    $acked writes acknowledged during the restart, $stored stored, none missing; both instances answer"
echo "scale drill passed"
