#!/usr/bin/env bash
# Rights execution benchmark: loads N subjects of the 21-table shop schema
# (crates/xiezhi-rights/tests/fixtures) into PostgreSQL, MariaDB and/or SQLite, then times
# access (collect + encrypted package) and erasure (journaled) of random single subjects and
# prints median / p95 / max, plus EXPLAIN of the deepest key-path query.
#
#   bench/rights_exec.sh [pg|mysql|sqlite|all] [subjects] [samples]
#   e.g. bench/rights_exec.sh pg 1000000 20
#
# PG: schema xz_bench in $XIEZHI_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432/test)
# MariaDB: database xz_bench on $XIEZHI_BENCH_MYSQL (default mysql://root@127.0.0.1:3306)
# SQLite: $XIEZHI_BENCH_SQLITE (default /tmp/xz_bench.db)
# Set NO_LOAD=1 to reuse already loaded data.
set -euo pipefail
cd "$(dirname "$0")/.."
which="${1:-all}"
n="${2:-1000000}"
samples="${3:-20}"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/work/target}"
cargo build --release -p xiezhi-rights --example rights_bench
bin="$CARGO_TARGET_DIR/release/examples/rights_bench"
load=()
[[ "${NO_LOAD:-}" == 1 ]] && load=(--no-load)
pg="${XIEZHI_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/test}"
my="${XIEZHI_BENCH_MYSQL:-mysql://root@127.0.0.1:3306}"
lite="${XIEZHI_BENCH_SQLITE:-/tmp/xz_bench.db}"
echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB; $(date -u +%FT%TZ)"
if [[ "$which" == pg || "$which" == all ]]; then
  psql "$pg" -qc 'CREATE SCHEMA IF NOT EXISTS xz_bench'
  echo "== PostgreSQL =="; "$bin" "$pg?options=-c%20search_path%3Dxz_bench" "$n" "$samples" "${load[@]}"
fi
if [[ "$which" == mysql || "$which" == all ]]; then
  mariadb -uroot -h127.0.0.1 -e 'CREATE DATABASE IF NOT EXISTS xz_bench CHARACTER SET utf8mb4'
  echo "== MariaDB =="; "$bin" "$my/xz_bench" "$n" "$samples" "${load[@]}"
fi
if [[ "$which" == sqlite || "$which" == all ]]; then
  [[ "${NO_LOAD:-}" == 1 ]] || rm -f "$lite" "$lite-wal" "$lite-shm"
  echo "== SQLite =="; "$bin" "sqlite://$lite?mode=rwc" "$n" "$samples" "${load[@]}"
fi
