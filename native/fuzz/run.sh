#!/usr/bin/env bash
# Fuzzes nw-capture's decoder with libFuzzer under AddressSanitizer and UBSan, seeded with the real
# captures in test/fixtures/{linux,darwin}/*.pcap. Usage: native/fuzz/run.sh [RUNS] [SEED]  (default 1,000,000
# inputs). Any finding (out-of-bounds read, undefined behaviour, leak, timeout) stops it non-zero and
# leaves the input as native/build/fuzz/crash-*.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$(dirname "$here")")"
runs="${1:-1000000}"
seed="${2:-1}"
out="$root/native/build/fuzz"
mkdir -p "$out/corpus"
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I"$root/native" \
  "$here/fuzz-capture.c" "$root/native/nw-capture-parse.c" "$root/native/nw-capture-flows.c" "$root/native/nw-capture-out.c" \
  -o "$out/fuzz-capture"
rm -rf "$out/seeds"
node "$here/pcap-seeds.js" "$out/seeds" "$root"/test/fixtures/linux/*.pcap "$root"/test/fixtures/darwin/*.pcap
cd "$out"
# -timeout: one input taking over 2 s is a finding (a loop); -rss_limit_mb: so is memory growth.
exec ./fuzz-capture -runs="$runs" -seed="$seed" -max_len=4096 -timeout=2 -rss_limit_mb=512 -print_final_stats=1 corpus seeds
