#!/usr/bin/env bash
# Entity resolution side by side: `sinergi dedup` and Splink 5 (DuckDB) on the same generated
# UMKM records, scored against the generator's ground truth (pairwise precision, recall, F1),
# with wall time and peak RSS from /usr/bin/time -v.
#
#   bench/er/run.sh                  # 100,000 records, 3 runs of each tool
#   REPEAT=1 bench/er/run.sh 1000000 # 1,000,000 records, once each
#   bench/er/run.sh incremental      # add a 10,000-record file to a 1,000,000-record registry
#
# Needs the release binary (cargo build --release -p sinergi) and the Splink venv (made here if
# missing). Results are appended to $OUT/results.tsv.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=${SINERGI_BIN:-${CARGO_TARGET_DIR:-$ROOT/target}/release/sinergi}
VENV=$ROOT/.bench-venv
OUT=${OUT:-$ROOT/bench/er/out}
REPEAT=${REPEAT:-3}
THRESHOLD=${THRESHOLD:-0.9}
SEED=${SEED:-2026}
SPLINK_TIMEOUT=${SPLINK_TIMEOUT:-2400}
# Clustered at these thresholds too on the first run (Splink from the same predictions, in the
# same process after its own timer stops; Sinergi by rerunning). Empty: none.
EXTRA_THRESHOLDS=${EXTRA_THRESHOLDS-0.5,0.8,0.95,0.99}
mkdir -p "$OUT"
[ -x "$BIN" ] || { echo "no binary at $BIN: cargo build --release -p sinergi" >&2; exit 1; }
if [ ! -x "$VENV/bin/python" ]; then
  python3 -m venv "$VENV" && "$VENV/bin/pip" install "splink==5.0.0" "duckdb==2.0.0" pandas pyarrow
fi
PY="$VENV/bin/python"
[ -f "$OUT/results.tsv" ] || printf 'tool\trecords\trun\twall_s\tpeak_rss_mb\tprecision\trecall\tf1\tnote\n' > "$OUT/results.tsv"

seconds() { # "h:mm:ss" or "m:ss.ss" -> seconds
  awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }' <<<"$1"
}

# measure TOOL N RUN LOG CMD... : runs CMD under /usr/bin/time, appends a row (metrics from eval).
measure() {
  local tool=$1 n=$2 run=$3 log=$4 clusters=$5; shift 5
  local status=0
  /usr/bin/time -v -o "$log.time" "$@" >"$log" 2>&1 || status=$?
  local wall rss
  wall=$(seconds "$(grep 'Elapsed (wall clock)' "$log.time" | awk '{print $NF}')")
  rss=$(( $(grep 'Maximum resident set size' "$log.time" | awk '{print $NF}') / 1024 ))
  local metrics="failed(status $status)"
  if [ "$status" = 0 ]; then metrics=$("$PY" "$ROOT/bench/er/eval.py" "$DATA" "$clusters"); fi
  local p r f
  p=$(grep -o 'precision=[0-9.]*' <<<"$metrics" | cut -d= -f2 || true)
  r=$(grep -o 'recall=[0-9.]*' <<<"$metrics" | cut -d= -f2 || true)
  f=$(grep -o 'f1=[0-9.]*' <<<"$metrics" | cut -d= -f2 || true)
  # Splink's own timer stops before the extra thresholds are clustered: the fair time when
  # there are extras (the process's wall time includes them).
  local note="threshold $THRESHOLD"
  local own
  own=$(grep -o '^splink: .* \([0-9.]*\)s$' "$log" | grep -o '[0-9.]*s$' || true)
  [ -n "$own" ] && note="$note; own timer $own"
  [ "$status" = 124 ] && note="$note; stopped by timeout after ${SPLINK_TIMEOUT}s"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$tool" "$n" "$run" "$wall" "$rss" "$p" "$r" "$f" "$note" >> "$OUT/results.tsv"
  echo "$tool n=$n run=$run: ${wall}s, ${rss} MB, $metrics ($note)"
}

incremental() {
  local reg=$OUT/umkm-1010000.csv
  "$BIN" gen umkm --records 1010000 --seed "$SEED" --output "$reg"
  # The generator shuffles rows, so the last 10,000 are a random new file whose businesses are
  # mostly already in the registry (as a new agency spreadsheet would be).
  head -n 1000001 "$reg" > "$OUT/registry-1000000.csv"
  { head -n 1 "$reg"; tail -n 10000 "$reg"; } > "$OUT/new-10000.csv"
  /usr/bin/time -v -o "$OUT/incremental.time" "$BIN" dedup --registry "$OUT/registry-1000000.csv" \
    --input "$OUT/new-10000.csv" --output "$OUT/new-10000.decisions.csv" --save-model "$OUT/model-1000000.json" \
    2>&1 | tee "$OUT/incremental.log"
  echo "peak RSS: $(( $(grep 'Maximum resident set size' "$OUT/incremental.time" | awk '{print $NF}') / 1024 )) MB"
  # Accuracy of the new file's clusters against the truth (cluster ids are registry record ids).
  DATA=$reg "$PY" "$ROOT/bench/er/eval_incremental.py" "$reg" "$OUT/new-10000.decisions.csv"
}

if [ "${1:-}" = incremental ]; then incremental; exit 0; fi

for n in "${@:-100000}"; do
  DATA=$OUT/umkm-$n.csv
  "$BIN" gen umkm --records "$n" --seed "$SEED" --output "$DATA" --normalised
  for run in $(seq "$REPEAT"); do
    measure sinergi "$n" "$run" "$OUT/sinergi-$n-$run.log" "$OUT/sinergi-$n.clusters.csv" \
      "$BIN" dedup --input "$DATA" --output "$OUT/sinergi-$n.clusters.csv" --auto-link "$THRESHOLD"
    extra=""
    # Other thresholds are clustered after Splink's timed run, on the first run only.
    [ "$run" = 1 ] && [ -n "$EXTRA_THRESHOLDS" ] && extra="--extra-thresholds $EXTRA_THRESHOLDS"
    measure splink "$n" "$run" "$OUT/splink-$n-$run.log" "$OUT/splink-$n.clusters.csv" \
      timeout "$SPLINK_TIMEOUT" "$PY" "$ROOT/bench/er/splink_dedup.py" "$DATA" "$OUT/splink-$n.clusters.csv" \
      --threshold "$THRESHOLD" $extra
    if [ "$run" = 1 ] && [ -n "$EXTRA_THRESHOLDS" ]; then
      for t in ${EXTRA_THRESHOLDS//,/ }; do
        [ -f "$OUT/splink-$n.clusters.csv.$t.csv" ] && echo "splink n=$n at $t: $("$PY" "$ROOT/bench/er/eval.py" "$DATA" "$OUT/splink-$n.clusters.csv.$t.csv")"
        "$BIN" dedup --input "$DATA" --output "$OUT/sinergi-$n.$t.csv" --auto-link "$t" --review "$t" 2>/dev/null
        echo "sinergi n=$n at $t: $("$PY" "$ROOT/bench/er/eval.py" "$DATA" "$OUT/sinergi-$n.$t.csv")"
      done | tee -a "$OUT/thresholds-$n.txt"
    fi
  done
done
