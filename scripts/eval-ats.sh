#!/usr/bin/env bash
# How well the local ATS engine ranks resumes: scores every labelled resume/posting pair of an
# evaluation folder (default: eval/ats, written for careerhub) with the release build and prints
# AUC of fit over non-fit, the share of postings whose best resume ranks first, and the precision
# of missing_keywords against each posting's labelled requirements.
#   scripts/eval-ats.sh [DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-eval/ats}"
cargo build --release --quiet
exec target/release/careerhub eval-ats "$dir"
