"""Measurements of the Ward agent beyond pgbench: config push, footprint, recording."""
import json
import os
import subprocess
import threading
import time
from pathlib import Path

from .common import ROOT, free_port, percentile, raise_fd_limit, run, summarize, tree_bytes

# ---- config push: policy change through the API until the agent enforces it ----

EXTRA_RULE = {"id": "bench-push", "operations": ["alter"], "action": "deny",
              "reason": "Config push measurement rule."}


def config_push(ward, changes):
    """Latency (ms) from sending a policy change to the agent reporting its config version.

    The agent reports the version in /readyz only once every stage of it is applied (grant keys,
    policies, listeners), so the observed version is the enforced one.
    """
    _, _, conns = ward.api("GET", "/connections?name=shop")
    items = conns["items"] if isinstance(conns, dict) and "items" in conns else conns
    policy_id = items[0]["policyId"]
    latencies, answered = [], []
    for i in range(changes):
        status, headers, policy = ward.api("GET", f"/policies/{policy_id}")
        etag = headers.get("ETag") or headers.get("Etag")
        doc = policy["document"]
        rules = [r for r in doc.get("guardrails", {}).get("sql", []) if r["id"] != EXTRA_RULE["id"]]
        if i % 2 == 0:
            rules.append(EXTRA_RULE)
        doc.setdefault("guardrails", {})["sql"] = rules
        before = ward.readiness().get("configVersion", 0)
        started = time.perf_counter()
        status, _, body = ward.api("PUT", f"/policies/{policy_id}",
                                   {"name": policy["name"], "description": policy.get("description", ""),
                                    "document": doc}, {"If-Match": etag})
        if status != 200:
            raise RuntimeError(f"policy update answered {status}: {body}")
        answered.append((time.perf_counter() - started) * 1000)
        deadline = started + 60
        while ward.readiness().get("configVersion", 0) <= before:
            if time.perf_counter() > deadline:
                raise RuntimeError("the agent did not report the new config version within 60 s")
            time.sleep(0.002)
        latencies.append((time.perf_counter() - started) * 1000)
        time.sleep(0.2)
    latencies.sort()
    answered.sort()
    print(f"  config push: p50 {percentile(latencies, 50):.0f} ms, p99 {percentile(latencies, 99):.0f} ms "
          f"over {len(latencies)} changes (API answered: p50 {percentile(answered, 50):.0f} ms)", flush=True)
    return {"samples": latencies, "p50": percentile(latencies, 50), "p99": percentile(latencies, 99),
            "max": max(latencies), "api_p50": percentile(answered, 50), "api_p99": percentile(answered, 99)}


# ---- footprint: RSS idle and with many open sessions ----

def rss_bytes(ward):
    """The agent's resident set: /readyz's memory.rssBytes, else /proc of its process."""
    mem = ward.readiness().get("memory", {})
    if mem.get("rssBytes", -1) > 0:
        return mem["rssBytes"]
    pid = ward.agent_pid()
    if pid:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return float("nan")


def add_connection(ward, name, target_port, dbname, user):
    """A second PostgreSQL connection on the running agent, under the default policy."""
    return add_any_connection(ward, {
        "name": name, "kind": "postgres", "target": f"127.0.0.1:{target_port}",
        "database": dbname, "username": user, "upstreamTls": "disable"})


def add_any_connection(ward, fields):
    """A connection on the running agent, under the default policy; returns (port, grant)."""
    name = fields["name"]
    _, _, conns = ward.api("GET", "/connections?name=shop")
    items = conns["items"] if isinstance(conns, dict) and "items" in conns else conns
    shop = items[0]
    port = free_port()
    body = {"listenPort": port, "secretRef": "env:WARD_DEMO_DB_PASSWORD", "allowPlaintextGrant": True,
            "policyId": shop["policyId"]}
    body.update(fields)
    status, _, conn = ward.api("POST", "/connections", body)
    if status != 201:
        raise RuntimeError(f"creating connection {name} answered {status}: {conn}")
    status, _, grant = ward.api("POST", f"/connections/{conn['id']}/grants",
                                {"actor": "bench", "ttlSeconds": 3600})
    if status != 201:
        raise RuntimeError(f"a grant for {name} answered {status}: {grant}")
    deadline = time.time() + 60
    while ward.readiness().get("listeners", {}).get(name) != port:
        if time.time() > deadline:
            # a connection the agent cannot serve would make it refuse every later snapshot
            _, headers, _ = ward.api("GET", f"/connections/{conn['id']}")
            ward.api("DELETE", f"/connections/{conn['id']}", headers={"If-Match": headers.get("ETag", "")})
            raise RuntimeError(f"the agent did not start listening for {name} within 60 s")
        time.sleep(0.1)
    return port, grant["token"]


def footprint(ward, pool, sessions, hold_seconds, workdir):
    """RSS idle, then while `sessions` pgbench clients hold sessions open through the agent.

    The sessions go to a transaction-pooling pgbouncer (the upstream allows only ~100
    connections), rate-limited so the figure is about open sessions, not throughput.
    """
    idle = rss_bytes(ward)
    port, grant = add_connection(ward, "bench-many", pool.port, pool.up.dbname, pool.up.user)
    env = dict(os.environ, PGPASSWORD=grant, PGSSLMODE="disable")
    cmd = ["pgbench", "-n", "-S", "-c", str(sessions), "-j", "2", "-R", str(sessions),
           "-T", str(hold_seconds), "-h", "127.0.0.1", "-p", str(port), "-U", ward.user,
           pool.up.dbname]
    proc = subprocess.Popen(cmd, env=env, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=raise_fd_limit)
    peak_rss, peak_open, samples = 0, 0, []
    while proc.poll() is None:
        r = ward.readiness()
        opened = r.get("openSessions", 0)
        rss = r.get("memory", {}).get("rssBytes", -1)
        if rss <= 0:
            rss = rss_bytes(ward)
        if opened >= sessions:
            samples.append(rss)
        peak_rss, peak_open = max(peak_rss, rss), max(peak_open, opened)
        time.sleep(0.25)
    out, err = proc.communicate()
    if proc.returncode != 0:
        raise RuntimeError(f"pgbench with {sessions} sessions failed: {err.strip()[-400:]}")
    result = {"idle": idle, "sessions": sessions, "peak_open": peak_open, "peak_rss": peak_rss,
              "rss_all_open": summarize(samples)}
    print(f"  footprint: idle {idle / 2**20:.0f} MiB, {peak_open} sessions open, "
          f"peak {peak_rss / 2**20:.0f} MiB", flush=True)
    return result


# ---- recording: stored bytes per 1,000 statements, and recorder throughput ----

def wait_uploaded(ward, timeout=60):
    """Until the agent's spool holds no session and storage stops growing."""
    deadline = time.time() + timeout
    last = -1
    while time.time() < deadline:
        sessions = [p for p in ward.spool_dir().glob("*/*") if p.is_dir()]
        size = tree_bytes(ward.storage_dir())
        if not sessions and size == last:
            return size
        last = size
        time.sleep(0.5)
    raise RuntimeError("the agent's spool did not drain to storage in time")


def stored_per_1000(ward, workdir, statements=2000):
    """Object-storage bytes per 1,000 statements for real pgbench sessions through the agent."""
    out = {}
    for name, select_only, per_tx in (("select-only", True, 1), ("tpcb-like", False, 7)):
        txs = max(1, statements // per_tx)
        before = wait_uploaded(ward)
        d = ward.dsn()
        cmd = ["pgbench", "-n", "-M", "extended", "-c", "1", "-t", str(txs), "-h", d["host"],
               "-p", str(d["port"]), "-U", d["user"]] + (["-S"] if select_only else []) + [d["dbname"]]
        run(cmd, env=dict(os.environ, **ward.env()), cwd=workdir)
        after = wait_uploaded(ward)
        statements = txs * per_tx
        out[name] = {"statements": statements, "bytes": after - before,
                     "per_1000": (after - before) * 1000 / statements}
        print(f"  recording {name}: {out[name]['per_1000']:.0f} bytes stored per 1,000 statements",
              flush=True)
    return out


def recorder_throughput(ward, workdir, seconds, reps):
    """MB/s of statement events into the spool (sealed) and of the sealed spool to S3."""
    java_home = run([str(ROOT / "scripts" / "java-home.sh")]).stdout.strip()
    v = ward.values
    samples = []
    for rep in range(reps):
        d = Path(workdir) / f"recorder-{rep}"
        d.mkdir(parents=True, exist_ok=True)
        proc = run([f"{java_home}/bin/java", "--sun-misc-unsafe-memory-access=allow",
                    "-cp", str(ROOT / "agent/target/ward-agent.jar"),
                    str(ROOT / "bench/recording/RecordingThroughput.java"), str(d), str(seconds), "8",
                    v["WARD_S3_ENDPOINT"], v["WARD_S3_BUCKET"], v["WARD_S3_ACCESS_KEY"],
                    v["WARD_S3_SECRET_KEY"]], timeout=300)
        r = json.loads(proc.stdout.strip().splitlines()[-1])
        r["spool_mbs"] = r["eventBytes"] / r["spoolSeconds"] / 1e6
        r["statements_per_s"] = r["statements"] / r["spoolSeconds"]
        r["s3_mbs"] = r["storedBytes"] / r["uploadSeconds"] / 1e6 if r.get("uploadComplete") else float("nan")
        r["stored_per_1000"] = r["storedBytes"] * 1000 / r["statements"]
        samples.append(r)
        print(f"  recorder: {r['spool_mbs']:.1f} MB/s of events to the spool "
              f"({r['statements_per_s']:.0f} statements/s), {r['s3_mbs']:.1f} MB/s sealed to S3",
              flush=True)
    return {k: summarize([s[k] for s in samples])
            for k in ("spool_mbs", "statements_per_s", "s3_mbs", "stored_per_1000")}
