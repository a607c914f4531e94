#!/usr/bin/env bash
# Load test of `xiezhi serve`'s decision API with wrk on loopback (issue 4 bar: >= 50,000
# single decisions/s, or the batched equivalent, with p99 < 2 ms, on SQLite and PostgreSQL).
#
#   bash bench/serve_load.sh                       # SQLite
#   bash bench/serve_load.sh postgres://postgres@127.0.0.1:5432/test   # PostgreSQL
#
# Env: DURATION (default 20s), CONNS (default 16), THREADS (wrk threads, default 1),
#      SUBJECTS (default 10000), SERVER_THREADS (tokio workers, default 2).
# Needs wrk (apt-get install wrk) and a release build (built here).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DB=${1:-}
DURATION=${DURATION:-20s}
CONNS=${CONNS:-32}
THREADS=${THREADS:-1}
SUBJECTS=${SUBJECTS:-10000}
PORT=${PORT:-18480}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/xiezhi-target}
command -v wrk >/dev/null || { echo "wrk is not installed (apt-get install wrk)" >&2; exit 2; }
cargo build --release -q -p xiezhi
BIN="$CARGO_TARGET_DIR/release/xiezhi"
WORK=$(mktemp -d)
cleanup() { [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null; wait 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT
ARGS=(serve examples/project --data-dir "$WORK" --listen "127.0.0.1:$PORT" --no-webhooks)
if [ -n "$DB" ]; then
    SCHEMA="xz_bench_$$"
    psql "$DB" -qc "CREATE SCHEMA $SCHEMA" >/dev/null
    trap 'cleanup; psql "$DB" -qc "DROP SCHEMA $SCHEMA CASCADE" >/dev/null' EXIT
    SEP='?'; case "$DB" in *\?*) SEP='&';; esac
    ARGS+=(--database "${DB}${SEP}options=-csearch_path%3D$SCHEMA")
fi
XIEZHI_LOG=warn "$BIN" "${ARGS[@]}" 2>"$WORK/server.log" &
PID=$!
for _ in $(seq 1 100); do
    curl -sf "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
    sleep 0.1
done
KEY=$(cat "$WORK/admin.key")
export XZ_KEY=$KEY XZ_SUBJECTS=$SUBJECTS
echo "== machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
STORE=SQLite; [ -n "$DB" ] && STORE=PostgreSQL
echo "== store: $STORE; subjects: $SUBJECTS; wrk -t$THREADS -c$CONNS -d$DURATION"
# Give a tenth of the subjects some state (tags, a switch-off) so decisions read real entries.
python3 - "$PORT" "$KEY" "$SUBJECTS" <<'PY'
import http.client, json, sys
port, key, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
c = http.client.HTTPConnection("127.0.0.1", port)
h = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
for i in range(0, n, 10):
    c.request("PUT", f"/v1/subjects/user-{i}/tags/interest:1", json.dumps({"label": "L", "source": "bench"}), h)
    c.getresponse().read()
    c.request("PUT", f"/v1/subjects/user-{i}/preferences", json.dumps({"recommendation": i % 20 == 0}), h)
    c.getresponse().read()
PY
# Warm the cache (every subject loaded once), then measure.
XZ_CHECKS=1 wrk -t1 -c4 -d3s -s bench/wrk/decisions.lua "http://127.0.0.1:$PORT/v1/decisions" >/dev/null
for CHECKS in 1 10; do
    echo "== POST /v1/decisions, one subject, $CHECKS check(s) per request"
    XZ_CHECKS=$CHECKS wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s bench/wrk/decisions.lua \
        "http://127.0.0.1:$PORT/v1/decisions"
done
echo "== POST /v1/decisions/batch, 10 subjects x 1 check per request"
XZ_BATCH=10 wrk -t"$THREADS" -c"$CONNS" -d"$DURATION" --latency -s bench/wrk/batch.lua \
    "http://127.0.0.1:$PORT/v1/decisions/batch"
curl -s "http://127.0.0.1:$PORT/metrics" | grep -E '^xiezhi_decision_cache_(entries|misses)' || true
