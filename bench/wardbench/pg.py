"""pgbench over every path, paired and interleaved."""
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from .common import percentile, raise_fd_limit, summarize, until_settled

WORKLOADS = [("select-only", True), ("tpcb-like", False)]


def pgbench(path, clients, seconds, select_only, workdir, extra=(), mode="extended"):
    """Runs pgbench once; returns tps and latency percentiles (ms) from its per-transaction log."""
    d = path.dsn()
    logdir = Path(tempfile.mkdtemp(dir=workdir))
    cmd = ["pgbench", "-n", "-T", str(seconds), "-c", str(clients), "-j", str(min(clients, 2)),
           "-M", mode, "-l", "--log-prefix", str(logdir / "tx"),
           "-h", str(d["host"]), "-p", str(d["port"]), "-U", d["user"], *extra]
    if select_only:
        cmd.append("-S")
    cmd.append(d["dbname"])
    env = dict(os.environ, **path.env())
    out = subprocess.run(cmd, text=True, capture_output=True, env=env, cwd=workdir,
                         preexec_fn=raise_fd_limit)
    if out.returncode != 0:
        raise RuntimeError(f"pgbench through {path.name} failed: {out.stderr.strip()[-500:]}")
    m = re.search(r"tps = ([0-9.]+) \(without initial connection time\)", out.stdout)
    failed = re.search(r"number of failed transactions: (\d+)", out.stdout)
    latencies = []
    for f in logdir.iterdir():
        for line in f.read_text().splitlines():
            parts = line.split()
            if len(parts) >= 3:
                latencies.append(int(parts[2]) / 1000.0)
    shutil.rmtree(logdir, ignore_errors=True)
    latencies.sort()
    return {"tps": float(m.group(1)) if m else float("nan"), "p50": percentile(latencies, 50),
            "p99": percentile(latencies, 99), "p999": percentile(latencies, 99.9),
            "transactions": len(latencies), "failed": int(failed.group(1)) if failed else 0}


def warm_up(paths, seconds, workdir, settle=0.05, limit=12):
    """Unrecorded runs of each path and workload until its throughput settles: a fresh JVM compiles
    its hot code under load (on two shared cores that takes the agent some 25 s of pgbench), and
    figures taken before would measure the compiler. A path is warm once two consecutive runs of
    `seconds` differ by less than `settle`, or after `limit` runs; returns the runs each took."""
    runs = {}
    for p in paths:
        for wname, select_only in WORKLOADS:
            runs[(p.name, wname)] = until_settled(
                lambda: pgbench(p, 8, seconds, select_only, workdir)["tps"], settle, limit)
        print(f"  warmed up {p.name} ("
              + ", ".join(f"{w}: {runs[(p.name, w)]} runs" for w, _ in WORKLOADS) + ")", flush=True)
    return runs


def run_pg(paths, clients_list, reps, seconds, workdir):
    """Interleaved, paired runs; results[workload][clients][path] = list of samples, one per rep.

    Each repetition visits every path once for every workload and client count, in an order
    rotated per repetition, so the samples of one repetition were taken minutes apart at most.
    """
    results = {}
    for rep in range(reps):
        for wname, select_only in WORKLOADS:
            for clients in clients_list:
                order = paths[rep % len(paths):] + paths[:rep % len(paths)]
                for p in order:
                    sample = pgbench(p, clients, seconds, select_only, workdir)
                    results.setdefault(wname, {}).setdefault(clients, {}).setdefault(p.name, []).append(sample)
                    print(f"  rep {rep + 1}/{reps} {wname:11s} c={clients:<3d} {p.name:12s} "
                          f"{sample['tps']:9.0f} tps  p50 {sample['p50']:.3f} ms  p99 {sample['p99']:.3f} ms",
                          flush=True)
    return results


def added_latency(by_path, proxy, base="direct"):
    """Per repetition, the proxy's latency minus the direct path's (ms): p50 and p99 summaries."""
    pairs = list(zip(by_path.get(proxy, []), by_path.get(base, [])))
    return {q: summarize([a[q] - b[q] for a, b in pairs]) for q in ("p50", "p99")}


def tps_ratio(by_path, proxy, peer):
    """Per repetition, the proxy's throughput over the peer's."""
    pairs = list(zip(by_path.get(proxy, []), by_path.get(peer, [])))
    return summarize([a["tps"] / b["tps"] for a, b in pairs if b["tps"] > 0])
