#!/usr/bin/env bash
# The test suite: installs what the tests need beside the toolchain (an S3-compatible server,
# moto, from PyPI into target/tools; Debian's chromium and chromium-driver for the admin's
# browser test, tesseract-ocr and poppler-utils for scanned resumes), then runs `cargo test` with
# any arguments given.
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

# Debian packages the suite drives: OCR for scanned resumes (also what a server needs to read
# them), and the browser for the admin test.
packages=()
command -v tesseract >/dev/null || packages+=(tesseract-ocr tesseract-ocr-eng)
command -v pdftoppm >/dev/null || packages+=(poppler-utils)
if [ -z "${CAREERHUB_SKIP_BROWSER_TESTS:-}" ]; then
    command -v chromium >/dev/null || packages+=(chromium)
    command -v chromedriver >/dev/null || packages+=(chromium-driver)
fi
if [ ${#packages[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
        echo "==> installing ${packages[*]} from Debian's packages"
        apt-get update -qq
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${packages[@]}" >/dev/null
    else
        echo "==> missing ${packages[*]}: install them (apt-get install ${packages[*]}); CAREERHUB_SKIP_BROWSER_TESTS=1 skips the browser ones" >&2
        exit 1
    fi
fi

exec cargo test "$@"
