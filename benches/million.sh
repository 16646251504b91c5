#!/usr/bin/env bash
# Peak memory of `stronger screen` on 1,000,000 small generated bids (JSON Lines).
# Usage: bash benches/million.sh [N]   (needs a release build: cargo build --release)
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-1000000}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
awk -v n="$n" 'BEGIN {
  for (i = 0; i < n; i++)
    printf "{\"id\":\"M-%07d\",\"title\":\"Community project %d\",\"summary\":\"Volunteers and residents run a weekly lunch club with the parish council.\",\"funding\":{\"amount_requested\":%d},\"volunteering\":{\"new_volunteers\":%d,\"roles\":%d}}\n", i, i, 1000 + i % 5000, i % 20, i % 7
}' > "$work/million.jsonl"
echo "generated $n bids ($(du -h "$work/million.jsonl" | cut -f1))"
/usr/bin/time -v target/release/stronger screen "$work/million.jsonl" --out "$work/out" 2>&1 \
  | grep -E "screened|Elapsed|Maximum resident"
