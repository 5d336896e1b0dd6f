#!/usr/bin/env bash
# End-to-end timing of the release binary: `lagom check` over generated corpora.
#
#   scripts/bench-e2e.sh            # every size below
#   RUNS=20 scripts/bench-e2e.sh    # more runs per size
#
# Generates corpora with examples/gen_corpus.rs under target/corpus/ (once; deterministic),
# validates each policy with the binary, then for each size reports the wall clock (hyperfine
# when installed: mean ± σ, min; else the best of RUNS runs) and the peak memory (maximum
# resident set size from /usr/bin/time -v). Output goes to /dev/null so the terminal is not
# timed; `--format json` and the default human output are both measured.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${RUNS:-10}
SEED=${SEED:-1}
BIN=target/release/lagom
GEN=target/release/examples/gen_corpus
OUT=target/corpus

cargo build --release --quiet --bin lagom --example gen_corpus

# rules campaigns
SIZES=(
  "1000 1"
  "1000 1000"
  "1000 10000"
  "100 10000"
  "10000 10000"
  "100 1"
  "10000 1"
)

gen() {
  local r=$1 n=$2 dir="$OUT/r$1-n$2-s$SEED"
  if [ ! -f "$dir/.done" ]; then
    rm -rf "$dir"
    "$GEN" --rules "$r" --campaigns "$n" --seed "$SEED" --out "$dir" >/dev/null 2>&1
    touch "$dir/.done"
  fi
  "$BIN" validate --policy "$dir/policy" >/dev/null
  echo "$dir"
}

peak_kib() {
  # Maximum resident set size of one run, in KiB.
  { /usr/bin/time -v "$@" 2>&1 >/dev/null || true; } | awk -F': ' '/Maximum resident set size/ {print $2}'
}

wall() {
  if command -v hyperfine >/dev/null 2>&1; then
    hyperfine --warmup 2 --runs "$RUNS" -N -i --export-json /tmp/lagom-hf.json "$*" >/dev/null 2>&1
    python3 - <<'PY'
import json
r = json.load(open("/tmp/lagom-hf.json"))["results"][0]
print(f"{r['mean']*1000:9.1f} ms ± {r['stddev']*1000:5.1f} (min {r['min']*1000:.1f})")
PY
  else
    local best=999999
    for _ in $(seq "$RUNS"); do
      local s e
      s=$(date +%s%N); "$@" >/dev/null 2>&1 || true; e=$(date +%s%N)
      local ms=$(( (e - s) / 1000000 ))
      if (( ms < best )); then best=$ms; fi
    done
    echo "   best $best ms of $RUNS"
  fi
}

printf '%-8s %-10s %-7s %-42s %s\n' rules campaigns format "wall clock" "peak RSS"
for size in "${SIZES[@]}"; do
  read -r r n <<<"$size"
  dir=$(gen "$r" "$n")
  for fmt in human json; do
    cmd=("$BIN" check --format "$fmt" --policy "$dir/policy" "$dir/campaigns")
    w=$(wall "${cmd[@]}")
    kib=$(peak_kib "${cmd[@]}")
    printf '%-8s %-10s %-7s %-42s %6.1f MiB\n' "$r" "$n" "$fmt" "$w" "$(echo "$kib/1024" | bc -l)"
  done
done
# The default policy pack (built into the binary) on one example campaign.
cmd=("$BIN" check examples/campaigns/01-consent-newsletter.yaml)
printf '%-8s %-10s %-7s %-42s %6.1f MiB\n' pack 1 human "$(wall "${cmd[@]}")" "$(echo "$(peak_kib "${cmd[@]}")/1024" | bc -l)"
