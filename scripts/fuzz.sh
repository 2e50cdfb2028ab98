#!/usr/bin/env bash
# Fuzzing (issue #9): the cargo-fuzz (libFuzzer) targets in fuzz/, each for a bounded time,
# starting from the seeds in fuzz/seeds/ plus whatever corpus earlier runs left in fuzz/corpus/.
# A crash, a hang past the per-input timeout or a memory blow-up fails the script; libFuzzer
# leaves the input in fuzz/artifacts/<target>/ (turn it into a regression test, then fix).
#
# Usage: scripts/fuzz.sh [seconds per target, default 60] [target ...]
# cargo-fuzz is installed once into target/tools. It needs unstable compiler flags; the stable
# toolchain accepts them under RUSTC_BOOTSTRAP=1, so no nightly is needed.
set -euo pipefail
cd "$(dirname "$0")/.."

SECONDS_EACH=${1:-60}
shift || true
TARGETS=("$@")
[ ${#TARGETS[@]} -eq 0 ] && TARGETS=(job_page resume_text django_hash image json_body sandbox)

tools=target/tools/cargo-fuzz
if [ ! -x "$tools/bin/cargo-fuzz" ]; then
    echo "==> installing cargo-fuzz into $tools"
    cargo install --quiet --locked cargo-fuzz --version '^0.13' --root "$tools"
fi
export PATH="$PWD/$tools/bin:$PATH" RUSTC_BOOTSTRAP=1
# Address sanitizer off: careerhub and its parsers are safe Rust (the C it links, aws-lc and
# mimalloc, is not on these paths), and uninstrumented builds run several times faster. Panics,
# timeouts and memory limits are what these targets look for.
FUZZ_FLAGS=(--sanitizer none --release --debug-assertions)

echo "==> building the fuzz targets"
cargo fuzz build "${FUZZ_FLAGS[@]}"

for target in "${TARGETS[@]}"; do
    echo "==> fuzzing $target for ${SECONDS_EACH}s"
    mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
    # -timeout: one input taking 10 s is a hang (the resume parser's own production limit);
    # -rss_limit_mb: the decoders are capped at 256 MiB, so 2 GiB is a leak or a bomb.
    cargo fuzz run "${FUZZ_FLAGS[@]}" "$target" "fuzz/corpus/$target" "fuzz/seeds/$target" -- \
        -max_total_time="$SECONDS_EACH" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 2>&1 | grep -vE '^(#[0-9]|"|###)' | tail -n 25
done
echo "==> fuzzing passed: no crash, hang or memory blow-up in ${#TARGETS[@]} targets"
