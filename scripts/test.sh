#!/usr/bin/env bash
# The test suite: installs what the tests need beside the toolchain (an S3-compatible server,
# moto, from PyPI into target/tools; Debian's chromium and chromium-driver for the admin's
# browser test), then runs `cargo test` with any arguments given.
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

# Debian packages the suite drives: the browser for the admin test.
packages=()
command -v chromium >/dev/null || packages+=(chromium)
command -v chromedriver >/dev/null || packages+=(chromium-driver)
if [ ${#packages[@]} -gt 0 ] && [ -z "${CAREERHUB_SKIP_BROWSER_TESTS:-}" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "==> installing ${packages[*]} from Debian's packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
    else
        echo "==> missing ${packages[*]}: install them (apt-get install ${packages[*]}) or set CAREERHUB_SKIP_BROWSER_TESTS=1" >&2
        exit 1
    fi
fi

exec cargo test "$@"
