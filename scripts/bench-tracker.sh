#!/usr/bin/env bash
# JobTracker's CPU paths on a release build, in process (no network): resume text extraction,
# job-page extraction and the local ATS analysis, each printing p50 and p99.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo bench --bench resume_text --bench page_extraction --bench ats_local
