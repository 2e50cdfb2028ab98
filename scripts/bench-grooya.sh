#!/usr/bin/env bash
# Benchmark for issue #6: the public portfolio page (GET /api/public/portfolios/<slug>/) with a
# 200 KB `pages` document, and its 304 revalidation path, at 32 connections on the embedded
# default (SQLite, release build), each against the JWT-only ceiling.
#
# Usage: scripts/bench-grooya.sh [seconds per wrk run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/lib/bench.sh

DURATION=${1:-15}
ensure_tools
build_release auth_ceiling
start_server
TOKEN=$(make_token bench@example.com)
start_ceiling "$TOKEN"

# A realistic 200 KB portfolio: pages of blocks with text, links and image URLs.
python3 - "$WORK/portfolio.json" <<'PY'
import json, sys
blocks, size, i = [], 0, 0
while size < 200 * 1024:
    block = {"id": f"b{i}", "type": ["hero", "about", "projects", "experience"][i % 4],
             "content": {"title": f"Section {i}", "text": "Designed and shipped services in Rust and TypeScript. " * 8,
                         "items": [{"name": f"Project {i}.{j}", "url": f"https://example.com/p/{i}/{j}",
                                    "image": f"https://cdn.example.com/img/{i}-{j}.webp"} for j in range(4)]}}
    blocks.append(block)
    size = len(json.dumps(blocks))
    i += 1
pages = [{"id": f"page{n}", "name": f"Page {n}", "blocks": blocks[n::4]} for n in range(4)]
body = {"title": "Bench Portfolio", "slug": "bench", "isPublished": True,
        "design": {"theme": "midnight", "palette": {"primary": "#0f172a"}}, "pages": pages}
json.dump(body, open(sys.argv[1], "w"))
PY
curl -fs -H "Authorization: Bearer $TOKEN" -H 'content-type: application/json' \
    --data-binary "@$WORK/portfolio.json" "http://127.0.0.1:$PORT/api/portfolios/" >/dev/null
PAGE="http://127.0.0.1:$PORT/api/public/portfolios/bench/"
BYTES=$(curl -fs "$PAGE" | wc -c)
GZIP_BYTES=$(curl -fs -H 'Accept-Encoding: gzip' "$PAGE" | wc -c)
export ETAG
ETAG=$(curl -fsI "$PAGE" | awk -F': ' 'tolower($1) == "etag" {print $2}' | tr -d '\r')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: $ETAG" "$PAGE")" = 304 ]

read -r C_RPS C_P50 C_P99 C_ERR <<<"$(run_wrk "http://127.0.0.1:$CEILING_PORT/me" "$TOKEN" "$DURATION")"
read -r G_RPS G_P50 G_P99 G_ERR <<<"$(run_wrk "$PAGE" "$TOKEN" "$DURATION")"
read -r Z_RPS Z_P50 Z_P99 Z_ERR <<<"$(run_wrk "$PAGE" "$TOKEN" "$DURATION" scripts/wrk/gzip.lua)"
read -r N_RPS N_P50 N_P99 N_ERR <<<"$(run_wrk "$PAGE" "$TOKEN" "$DURATION" scripts/wrk/if-none-match.lua)"

printf '\ncareerhub Grooya public page: %s connections, %ss per run, release build, SQLite, page %s bytes (%s gzipped)\n\n' \
    "$CONNECTIONS" "$DURATION" "$BYTES" "$GZIP_BYTES"
print_header
print_row "ceiling (JWT only)" "$C_RPS" "$C_P50" "$C_P99" "100%" "$C_ERR"
print_row "GET public page (200)" "$G_RPS" "$G_P50" "$G_P99" "$(pct "$G_RPS" "$C_RPS")" "$G_ERR"
print_row "GET public page (200, gzip)" "$Z_RPS" "$Z_P50" "$Z_P99" "$(pct "$Z_RPS" "$C_RPS")" "$Z_ERR"
print_row "GET public page (304)" "$N_RPS" "$N_P50" "$N_P99" "$(pct "$N_RPS" "$C_RPS")" "$N_ERR"
