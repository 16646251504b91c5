#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the examples, the test data and the bundled rules.
# Usage: bash fuzz/seed.sh   (from anywhere; existing corpus files are kept)
set -euo pipefail
cd "$(dirname "$0")"
root=..
mkdir -p corpus/bid corpus/batch corpus/rules corpus/appraise
seed() { # seed TARGET FIRST-BYTE FILE
  local out="corpus/$1/$(basename "$3")-$2"
  { printf "\\x$2"; cat "$3"; } > "$out"
}
for f in "$root"/examples/*.toml "$root"/rules/tests/bids/*.toml; do
  seed bid 00 "$f"; seed appraise 03 "$f"
done
for f in "$root"/examples/*.json; do
  seed bid 01 "$f"; seed appraise 01 "$f"
done
seed batch 00 "$root/tests/data/screen/round.jsonl"
seed batch 01 "$root/tests/data/screen/round.csv"
seed batch 01 "$root/tests/data/screen/giving.csv"
head -c 20000 "$root/tests/data/360giving/awards-for-all-2004.json" > /tmp/giving-head.json
seed batch 02 /tmp/giving-head.json
for f in "$root"/rules/*/*.rhai; do
  seed rules 00 "$f"
  # The body of `fn appraise(bid)`, for the templated mode.
  awk '/^fn appraise\(bid\) \{/{on=1;next} on&&/^\}/{on=0} on' "$f" > /tmp/body.rhai
  seed rules 01 /tmp/body.rhai
done
# Generated bids start from a few random inputs.
for i in 0 1 2 3 4 5 6 7; do
  { printf '\x00'; head -c 512 /dev/urandom; } > "corpus/appraise/random-$i"
done
echo "seeded: $(ls corpus/bid | wc -l) bid, $(ls corpus/batch | wc -l) batch, $(ls corpus/rules | wc -l) rules, $(ls corpus/appraise | wc -l) appraise"
