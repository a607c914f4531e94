#!/usr/bin/env bash
# Checks that an engine change is a pure speed change: builds the `dump` example of xiezhi-detect
# at a base commit and in the working tree, runs both on the benchmark inputs, the labelled
# evaluation corpus and the bundled example data with every confidence kept (min_confidence 0),
# and compares the outputs byte for byte. Then counts instructions of the `speed` example on
# 4 MB of prose and of logs at both versions with valgrind (repeatable, whatever else the
# machine is doing).
#
#   bash bench/compare_engine.sh             # base = HEAD (compare uncommitted changes)
#   bash bench/compare_engine.sh 0557e31     # base = that commit
#   SKIP_COUNT=1 bash bench/compare_engine.sh   # outputs only, no valgrind
#
# Inputs: $XIEZHI_BENCH_DATA (default <repo>/target/bench-data, made by bench/gen_bench_data.py)
# and a corpus generated into a temporary folder by scripts/gen_eval_corpus.py.
# Exit status: 0 = identical outputs, 1 = outputs differ (the first differences are printed).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
BASE=${1:-HEAD}
DATA=${XIEZHI_BENCH_DATA:-$ROOT/target/bench-data}
TARGET=${CARGO_TARGET_DIR:-$ROOT/target}
BASE_TARGET=${BASE_TARGET_DIR:-$TARGET/compare-base}
WORK=$(mktemp -d)
trap 'git -C "$ROOT" worktree remove --force "$WORK/base" >/dev/null 2>&1 || true; rm -rf "$WORK"' EXIT

for f in prose_zh.txt logs.log english.txt; do
    if [ ! -f "$DATA/$f" ]; then
        echo "missing $DATA/$f: run python3 bench/gen_bench_data.py --out $DATA first" >&2
        exit 2
    fi
done

echo "==> base $BASE in a worktree; current tree from $ROOT"
git worktree add -q --detach "$WORK/base" "$BASE"
(cd "$WORK/base" && CARGO_TARGET_DIR=$BASE_TARGET cargo build -q --release -p xiezhi-detect --example dump --example speed)
CARGO_TARGET_DIR=$TARGET cargo build -q --release -p xiezhi-detect --example dump --example speed

python3 scripts/gen_eval_corpus.py --out "$WORK/corpus" --quiet
mapfile -t FILES < <(
    printf '%s\n' "$DATA/prose_zh.txt" "$DATA/logs.log" "$DATA/english.txt"
    find "$WORK/corpus" -type f | sort
    [ -d "$DATA/many" ] && find "$DATA/many" -type f | sort | head -300
    find examples/data -type f | sort
)
echo "==> dump on ${#FILES[@]} files"
"$BASE_TARGET/release/examples/dump" "${FILES[@]}" >"$WORK/base.ndjson"
"$TARGET/release/examples/dump" "${FILES[@]}" >"$WORK/new.ndjson"
status=0
if cmp -s "$WORK/base.ndjson" "$WORK/new.ndjson"; then
    echo "identical: $(wc -l <"$WORK/new.ndjson") matches"
else
    echo "OUTPUTS DIFFER (base < > current):"
    diff "$WORK/base.ndjson" "$WORK/new.ndjson" | head -40 || true
    status=1
fi

if [ -z "${SKIP_COUNT:-}" ] && command -v valgrind >/dev/null 2>&1; then
    head -c 4000000 "$DATA/prose_zh.txt" >"$WORK/prose4.txt"
    head -c 4000000 "$DATA/logs.log" >"$WORK/logs4.log"
    # Whole lines only (the speed example reads UTF-8).
    for f in "$WORK/prose4.txt" "$WORK/logs4.log"; do
        python3 -c 'import sys; p=sys.argv[1]; b=open(p,"rb").read(); open(p,"wb").write(b[:b.rfind(b"\n")+1])' "$f"
    done
    echo "==> instructions (valgrind --tool=callgrind, speed example: 3 passes over 4 MB)"
    for f in prose4.txt logs4.log; do
        for side in base current; do
            bin=$TARGET/release/examples/speed
            [ "$side" = base ] && bin=$BASE_TARGET/release/examples/speed
            n=$(valgrind --tool=callgrind --callgrind-out-file=/dev/null "$bin" "$WORK/$f" 2>&1 |
                awk '/Collected/ {print $4}')
            printf '  %-11s %-8s %s\n' "$f" "$side" "$n"
        done
    done
fi
exit $status
