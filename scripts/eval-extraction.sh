#!/usr/bin/env bash
# How well job pages are read: runs the release build's extractor over a folder of saved pages
# with a TRUTH.tsv (default: the shared development corpus), each page served under its original
# URL's host, and prints title / employer / description / non-posting-refused rates per vendor.
#   scripts/eval-extraction.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-../shared/corpus/job-pages}"
cargo build --release --quiet
exec target/release/careerhub eval-extraction "$dir"
