#!/usr/bin/env bash
# Near-duplicate mode against its PyPI peers (datasketch, rensa) on synthetic
# corpora with known copies. Not run by CI (minutes to hours).
#
#   bench/peers/run.sh [DOCS ...]            # default: 10000 100000
#
# Environment: THRESHOLDS (default "0.8 0.5"), NUM_PERM (128), SHINGLE (5),
# OUT (target/neardup: corpora, clusters, results.jsonl),
# DATASKETCH_MAX_DOCS (skip datasketch above this many documents; default
# no limit), DATASKETCH_THRESHOLDS (the thresholds datasketch runs at;
# default all), DATA (../shared/data), BIN (where synth and neardup_bench
# are; default target/release, built first unless SKIP_BUILD=1).
#
# Creates bench/peers/.venv (git-ignored) and installs the pinned peers from
# PyPI into it; builds and runs stemma's `synth` and `neardup_bench`; every
# run prints a `RESULT {json}` line, collected into $OUT/results.jsonl, and
# the table is printed at the end (bench/peers/table.py).
set -euo pipefail
export PYTHONDONTWRITEBYTECODE=1
cd "$(dirname "$0")/../.."

DOCS=("$@")
[ ${#DOCS[@]} -eq 0 ] && DOCS=(10000 100000)
THRESHOLDS=${THRESHOLDS:-"0.8 0.5"}
NUM_PERM=${NUM_PERM:-128}
SHINGLE=${SHINGLE:-5}
OUT=${OUT:-target/neardup}
DATA=${DATA:-../shared/data}
DATASKETCH_MAX_DOCS=${DATASKETCH_MAX_DOCS:-0}
DATASKETCH_THRESHOLDS=${DATASKETCH_THRESHOLDS:-$THRESHOLDS}
BIN=${BIN:-target/release}
VENV=bench/peers/.venv
PY=$VENV/bin/python

if [ ! -x "$PY" ]; then
    python3 -m venv "$VENV"
fi
"$PY" -m pip install -q datasketch==2.0.0 rensa==0.5.0
if [ "${SKIP_BUILD:-0}" != 1 ]; then
    cargo build --release -p stemma-bench --bin synth --bin neardup_bench
fi

mkdir -p "$OUT"
RESULTS=$OUT/results.jsonl
{
    echo "# $(date -u +%FT%TZ) $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo)," \
        "$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
} >>"$RESULTS"

# Runs a command, shows its output and appends its RESULT line to $RESULTS.
run() {
    local out
    out=$("$@")
    printf '%s\n' "$out"
    printf '%s\n' "$out" | sed -n 's/^RESULT //p' >>"$RESULTS"
}

for n in "${DOCS[@]}"; do
    corpus=$OUT/synthetic-$n.jsonl
    if [ ! -f "$corpus" ] || [ ! -f "$OUT/synthetic-$n.truth.jsonl" ]; then
        $BIN/synth --docs "$n" --out "$OUT" --data "$DATA"
    fi
    for t in $THRESHOLDS; do
        common=(--corpus "$corpus" --threshold "$t" --num-perm "$NUM_PERM" --shingle "$SHINGLE")
        echo "== $n documents, threshold $t"
        run $BIN/neardup_bench "${common[@]}" --clusters "$OUT/stemma-$n-$t.clusters.jsonl"
        run env RAYON_NUM_THREADS=1 $BIN/neardup_bench "${common[@]}"
        # stemma with rensa's banding (bands must divide num_perm there).
        rb=$("$PY" -c "import sys; sys.path.insert(0, 'bench/peers'); import peers; b, r = peers.rensa_bands($t, $NUM_PERM); print(f'{b},{r}')")
        run $BIN/neardup_bench "${common[@]}" --bands "$rb"
        run "$PY" bench/peers/peers.py --tool rensa "${common[@]}"
        if { [ "$DATASKETCH_MAX_DOCS" -eq 0 ] || [ "$n" -le "$DATASKETCH_MAX_DOCS" ]; } &&
            [[ " $DATASKETCH_THRESHOLDS " == *" $t "* ]]; then
            run "$PY" bench/peers/peers.py --tool datasketch "${common[@]}"
        fi
    done
done
"$PY" bench/peers/table.py "$RESULTS"
