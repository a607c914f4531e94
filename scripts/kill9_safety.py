#!/usr/bin/env python3
"""kill -9 safety of `xiezhi serve` (issue 4 bar).

Starts the server, runs concurrent writers that change switches, push refusals and tags and
record every change the API acknowledged (with its state_version), kills the server with
SIGKILL in the middle of the load, restarts it on the same database and checks that

  1. every acknowledged change is there: each subject's state version is at least the last
     acknowledged one, and where it is equal the state is exactly the acknowledged state;
  2. `xiezhi audit verify` passes;
  3. editing one row of the chain (SQLite: directly in the file) makes `xiezhi audit verify`
     fail naming that row's sequence number.

    python3 scripts/kill9_safety.py [--bin target/release/xiezhi] [--database postgres://…]
                                    [--rounds 3] [--seconds 3] [--writers 8]

Exit status 0 when every check held, 1 otherwise.
"""
import argparse
import http.client
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def start(bin_, data, port, database):
    args = [bin_, "serve", os.path.join(ROOT, "examples/project"), "--data-dir", data,
            "--listen", f"127.0.0.1:{port}", "--no-webhooks"]
    if database:
        args += ["--database", database]
    log = open(os.path.join(data, "server.log"), "ab")
    p = subprocess.Popen(args, stdout=log, stderr=log, env={**os.environ, "XIEZHI_LOG": "warn"})
    for _ in range(200):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/healthz")
            if c.getresponse().status == 200:
                return p
        except OSError:
            pass
        if p.poll() is not None:
            sys.exit(f"server exited with {p.returncode}; see {data}/server.log")
        time.sleep(0.05)
    sys.exit("server did not start")


def writer(port, key, wid, stop, acked, lock):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    h = {"Authorization": "Bearer " + key, "Content-Type": "application/json"}
    rnd = random.Random(wid)
    n = 0
    while not stop.is_set():
        subject = f"k9-{wid}-{rnd.randrange(20)}"
        n += 1
        op = rnd.randrange(3)
        if op == 0:
            path, body = f"/v1/subjects/{subject}/preferences", {"recommendation": rnd.random() < 0.5}
            method = "PUT"
        elif op == 1:
            path = f"/v1/subjects/{subject}/preferences"
            body = {"push": [{"channel": rnd.choice(["sms", "email", "app_push", "in_app"]),
                              "category": rnd.choice(["marketing", "service"]),
                              "refused": rnd.random() < 0.5}]}
            method = "PUT"
        else:
            path, body = f"/v1/subjects/{subject}/tags/t{n}", {"label": "L", "source": "k9"}
            method = "PUT"
        try:
            c.request(method, path, json.dumps(body), h)
            r = c.getresponse()
            data = r.read()
        except (OSError, http.client.HTTPException):
            return  # server killed: this change was not acknowledged
        if r.status == 200:
            resp = json.loads(data)
            with lock:
                prev = acked.get(subject)
                if prev is None or resp["state_version"] > prev[0]:
                    acked[subject] = (resp["state_version"], resp["state"])


def get_state(port, key, subject):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
    c.request("GET", f"/v1/subjects/{subject}", headers={"Authorization": "Bearer " + key})
    r = c.getresponse()
    return json.loads(r.read())


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release/xiezhi"))
    ap.add_argument("--database", default=None)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--writers", type=int, default=8)
    ap.add_argument("--port", type=int, default=18490)
    a = ap.parse_args()
    data = tempfile.mkdtemp(prefix="xz-k9-")
    schema = None
    if a.database:
        # A fresh schema so the run starts from an empty store and leaves nothing behind.
        schema = f"xz_k9_{os.getpid()}"
        subprocess.run(["psql", a.database, "-qc", f"CREATE SCHEMA {schema}"], check=True)
        sep = "&" if "?" in a.database else "?"
        admin_url = a.database
        a.database = f"{a.database}{sep}options=-csearch_path%3D{schema}"
    try:
        failures = run(a, data)
    finally:
        if schema:
            subprocess.run(["psql", admin_url, "-qc", f"DROP SCHEMA {schema} CASCADE"], env={**os.environ, "PGOPTIONS": "-c client_min_messages=warning"})
    print("kill -9 safety:", "PASS" if failures == 0 else f"FAIL ({failures})")
    sys.exit(0 if failures == 0 else 1)


def run(a, data):
    failures = 0
    total_acked = 0
    acked = {}
    lock = threading.Lock()
    for rnd in range(a.rounds):
        p = start(a.bin, data, a.port, a.database)
        key = open(os.path.join(data, "admin.key")).read().strip()
        stop = threading.Event()
        threads = [threading.Thread(target=writer, args=(a.port, key, w, stop, acked, lock)) for w in range(a.writers)]
        for t in threads:
            t.start()
        time.sleep(a.seconds)
        p.send_signal(signal.SIGKILL)  # in the middle of the load
        p.wait()
        stop.set()
        for t in threads:
            t.join()
        p = start(a.bin, data, a.port, a.database)
        bad = 0
        for subject, (version, state) in sorted(acked.items()):
            now = get_state(a.port, key, subject)
            if now["version"] < version:
                bad += 1
                print(f"LOST: {subject}: acknowledged version {version}, found {now['version']}")
            elif now["version"] == version and now != state:
                bad += 1
                print(f"DIFFERS: {subject} at version {version}")
        p.send_signal(signal.SIGTERM)
        p.wait()
        args = [a.bin, "audit", "verify", os.path.join(ROOT, "examples/project"), "--data-dir", data, "--lang", "en"]
        if a.database:
            args += ["--database", a.database]
        v = subprocess.run(args, capture_output=True, text=True)
        print(f"round {rnd + 1}: {len(acked)} subjects with acknowledged changes, {bad} lost; audit verify: exit {v.returncode}: {v.stdout.strip()}")
        failures += bad + (v.returncode != 0)
    if not a.database:
        db = os.path.join(data, "xiezhi.db")
        con = sqlite3.connect(db)
        (n,) = con.execute("SELECT count(*) FROM audit_events").fetchone()
        target = max(1, n // 2)
        con.execute("UPDATE audit_events SET actor = 'apikey:forged' WHERE seq = ?", (target,))
        con.commit()
        con.close()
        v = subprocess.run([a.bin, "audit", "verify", os.path.join(ROOT, "examples/project"), "--data-dir", data, "--lang", "en"],
                           capture_output=True, text=True)
        named = f"seq {target}" in v.stdout
        print(f"tamper: edited event {target} of {n}: audit verify exit {v.returncode}: {v.stdout.strip()}")
        if v.returncode != 1 or not named:
            failures += 1
            print("FAIL: the edit was not reported at that event")
    return failures


if __name__ == "__main__":
    main()
