#!/usr/bin/env bash
# Sampling cost does not grow with table size: classification time of `xiezhi scan postgres://…`
# on a 100k-row and a 10M-row PostgreSQL table (same columns, same generator), plus the share
# of the 10M-row table that a plain COUNT(*) takes for comparison.
#
#   bash bench/sql_sampling.sh                 # both tables (10M rows: ~1-3 min to create once)
#   ROWS_BIG=1000000 bash bench/sql_sampling.sh  # a smaller "big" table, for checking the script
#   KEEP=1 bash bench/sql_sampling.sh          # keep the tables for the next run
#
# Needs psql and a PostgreSQL server: XIEZHI_TEST_POSTGRES (default
# postgres://postgres@127.0.0.1:5432/test). Uses target/release/xiezhi (built if missing; set
# XIEZHI=path to use another binary). Prints the median of RUNS (default 7) timings per table.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
URL=${XIEZHI_TEST_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}
ROWS_SMALL=${ROWS_SMALL:-100000}
ROWS_BIG=${ROWS_BIG:-10000000}
RUNS=${RUNS:-7}
SCHEMA=xiezhi_bench
TARGET=${CARGO_TARGET_DIR:-target}
XIEZHI=${XIEZHI:-$TARGET/release/xiezhi}

if [ ! -x "$XIEZHI" ]; then
    cargo build --release -p xiezhi
fi

psql_q() { psql "$URL" -v ON_ERROR_STOP=1 -qAt "$@"; }

make_table() { # name rows
    local name=$1 rows=$2 have
    have=$(psql_q -c "SELECT COALESCE((SELECT reltuples::bigint FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = '$SCHEMA' AND c.relname = '$name'), -1)")
    if [ "$have" -ge "$rows" ] 2>/dev/null && [ "$have" -le $((rows + rows / 10)) ]; then
        echo "table $SCHEMA.$name: exists (~$have rows)"
        return
    fi
    echo "table $SCHEMA.$name: creating $rows rows"
    local t0=$SECONDS
    psql_q <<SQL
CREATE SCHEMA IF NOT EXISTS $SCHEMA;
DROP TABLE IF EXISTS $SCHEMA.$name;
CREATE TABLE $SCHEMA.$name (
    id bigint PRIMARY KEY,
    sjhm text,              -- mobile numbers (PI)
    email text,             -- e-mail addresses (PI)
    order_no text,          -- 14-digit order numbers (not PI)
    amount numeric(12, 2),
    status text,
    email_verified integer, -- misleading name: 0/1
    remark text             -- mostly NULL
);
COMMENT ON COLUMN $SCHEMA.$name.sjhm IS '手机号码';
INSERT INTO $SCHEMA.$name
SELECT g,
       '1' || (ARRAY['38','39','58','86','77'])[1 + g % 5] || lpad(((g::bigint * 7919) % 100000000)::text, 8, '0'),
       'user' || g || '@campus-mail.cn',
       '2026' || lpad(((g::bigint * 104729) % 10000000000)::text, 10, '0'),
       (g % 100000) / 100.0,
       (ARRAY['paid','shipped','cancelled'])[1 + g % 3],
       g % 2,
       CASE WHEN g % 1000 = 0 THEN '备注' || g END
FROM generate_series(1, $rows) g;
ANALYZE $SCHEMA.$name;
SQL
    echo "table $SCHEMA.$name: created in $((SECONDS - t0)) s"
}

make_table t_small "$ROWS_SMALL"
make_table t_big "$ROWS_BIG"

median() { sort -n | awk '{a[NR]=$1} END {if (NR % 2) print a[(NR+1)/2]; else printf "%.4f\n", (a[NR/2]+a[NR/2+1])/2}'; }

time_scan() { # table
    local t walls=() inner=() i start end out
    for i in $(seq 1 "$RUNS"); do
        start=$(date +%s.%N)
        out=$("$XIEZHI" scan "$URL" --include "$SCHEMA.$1" --format json --fail-on never)
        end=$(date +%s.%N)
        walls+=("$(echo "$end - $start" | bc -l)")
        inner+=("$(printf '%s' "$out" | python3 -c 'import json,sys; print(json.load(sys.stdin)["summary"]["elapsed_secs"])')")
        if [ "$i" -eq 1 ]; then
            printf '%s' "$out" | python3 -c 'import json,sys; d=json.load(sys.stdin); print("  columns found:", ", ".join("%s=%s (%d/%d)" % (f["column"], f["type"], f["matched"], f["sampled"]) for f in d["findings"]))'
        fi
    done
    W=$(printf '%s\n' "${walls[@]}" | median)
    I=$(printf '%s\n' "${inner[@]}" | median)
}

echo
echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1 /proc/loadavg)"
echo "server:  $(psql_q -c 'SELECT version()' | cut -c1-60)"
echo "binary:  $XIEZHI"
echo
echo "t_small ($ROWS_SMALL rows):"
time_scan t_small
SMALL_W=$W SMALL_I=$I
echo "  median of $RUNS: scan (summary.elapsed_secs) ${SMALL_I} s, whole process ${SMALL_W} s"
echo "t_big ($ROWS_BIG rows):"
time_scan t_big
BIG_W=$W BIG_I=$I
echo "  median of $RUNS: scan (summary.elapsed_secs) ${BIG_I} s, whole process ${BIG_W} s"
echo
start=$(date +%s.%N)
psql_q -c "SELECT count(*) FROM $SCHEMA.t_big" >/dev/null
end=$(date +%s.%N)
echo "for comparison, SELECT count(*) FROM t_big (one full scan): $(echo "$end - $start" | bc -l | cut -c1-6) s"
echo
echo "ratio big/small: scan $(echo "$BIG_I / $SMALL_I" | bc -l | cut -c1-5)x, whole process $(echo "$BIG_W / $SMALL_W" | bc -l | cut -c1-5)x (bar: within 2x)"

if [ -z "${KEEP:-}" ]; then
    psql_q -c "DROP SCHEMA $SCHEMA CASCADE"
    echo "dropped schema $SCHEMA (KEEP=1 keeps it)"
fi
