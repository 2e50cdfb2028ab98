#!/usr/bin/env bash
# The test suite: installs what the tests need beside the toolchain (an S3-compatible server,
# moto, from PyPI into target/tools), then runs `cargo test` with any arguments given.
# On PostgreSQL: TEST_DATABASE_URL=postgres://… scripts/test.sh
set -euo pipefail
cd "$(dirname "$0")/.."

tools=target/tools
if [ ! -x "$tools/moto/bin/moto_server" ]; then
    echo "==> installing moto (the S3-compatible test server) into $tools/moto"
    mkdir -p "$tools"
    python3 -m venv "$tools/moto"
    "$tools/moto/bin/pip" install --quiet --disable-pip-version-check 'moto[server]==5.*'
fi

exec cargo test "$@"
