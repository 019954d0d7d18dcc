#!/usr/bin/python3
"""Ward benchmark harness: Ward side by side with the direct path and peer proxies.

Runs every measurement in one go on this machine and writes docs/benchmarks.md with PNG
plots. Runs are paired and interleaved (each repetition visits every path in a rotated
order), so a noisy machine shows up as spread, not as a false win; every figure is a
median with its min-max.

    bench/bench.py                 # the full run (make bench)
    bench/bench.py --smoke         # seconds-long run that proves the harness works
"""
import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def run(cmd, **kw):
    return subprocess.run(cmd, check=True, text=True, capture_output=True, **kw)


class Upstream:
    """The PostgreSQL server every path ends at: the machine's, a database of our own."""

    def __init__(self, host, port, user, dbname):
        self.host, self.port, self.user, self.dbname = host, port, user, dbname

    def psql(self, sql, db="postgres"):
        run(["psql", "-X", "-q", "-h", self.host, "-p", str(self.port), "-U", self.user,
             "-d", db, "-c", sql])

    def prepare(self, scale):
        self.psql(f"DROP DATABASE IF EXISTS {self.dbname} WITH (FORCE)")
        self.psql(f"CREATE DATABASE {self.dbname}")
        run(["pgbench", "-i", "-q", "-s", str(scale), "-h", self.host, "-p", str(self.port),
             "-U", self.user, self.dbname])

    def drop(self):
        self.psql(f"DROP DATABASE IF EXISTS {self.dbname} WITH (FORCE)")


class Path_:
    """One way from pgbench to the upstream: a name, how to reach it, how to start/stop it."""

    name = "?"

    def start(self):
        pass

    def stop(self):
        pass

    def env(self):
        return {}

    def dsn(self):
        raise NotImplementedError


class Direct(Path_):
    name = "direct"

    def __init__(self, up):
        self.up = up

    def dsn(self):
        return dict(host=self.up.host, port=self.up.port, user=self.up.user, dbname=self.up.dbname)


class PgBouncer(Path_):
    """pgbouncer in session pooling, the mode that keeps PostgreSQL's session semantics."""

    name = "pgbouncer"

    def __init__(self, up, workdir):
        self.up, self.dir, self.port, self.proc = up, Path(workdir) / "pgbouncer", free_port(), None

    def start(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        (self.dir / "users.txt").write_text(f'"{self.up.user}" ""\n')
        (self.dir / "pgbouncer.ini").write_text(f"""[databases]
{self.up.dbname} = host={self.up.host} port={self.up.port} dbname={self.up.dbname}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {self.port}
auth_type = trust
auth_file = {self.dir}/users.txt
pool_mode = session
max_client_conn = 1000
default_pool_size = 100
unix_socket_dir =
logfile = {self.dir}/pgbouncer.log
""")
        user = [] if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--"]
        if user:
            shutil.chown(self.dir, "postgres")
            for f in self.dir.iterdir():
                shutil.chown(f, "postgres")
        self.proc = subprocess.Popen(user + ["pgbouncer", str(self.dir / "pgbouncer.ini")],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)

    def dsn(self):
        return dict(host="127.0.0.1", port=self.port, user=self.up.user, dbname=self.up.dbname)


class HaProxy(Path_):
    """haproxy in TCP mode: a layer-4 baseline that sees no protocol at all."""

    name = "haproxy-tcp"

    def __init__(self, up, workdir):
        self.up, self.dir, self.port, self.proc = up, Path(workdir) / "haproxy", free_port(), None

    def start(self):
        self.dir.mkdir(parents=True, exist_ok=True)
        cfg = self.dir / "haproxy.cfg"
        cfg.write_text(f"""global
  maxconn 2000
defaults
  mode tcp
  timeout connect 5s
  timeout client 1h
  timeout server 1h
listen pg
  bind 127.0.0.1:{self.port}
  server upstream {self.up.host}:{self.up.port}
""")
        self.proc = subprocess.Popen(["haproxy", "-f", str(cfg)],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wait_port(self.port)

    def stop(self):
        if self.proc:
            self.proc.terminate()
            self.proc.wait(10)

    def dsn(self):
        return dict(host="127.0.0.1", port=self.port, user=self.up.user, dbname=self.up.dbname)


class Ward(Path_):
    """The Ward agent with recording to S3 and the default policy (masking, guardrails) on.

    Starts the same stack as `make dev` (control plane, agent, S3-compatible storage) in its
    own folder, with its connection pointed at the benchmark's upstream database.
    """

    name = "ward"

    def __init__(self, up, workdir):
        self.up, self.home, self.proc, self.values = up, Path(workdir) / "ward", None, {}

    def start(self):
        java_home = run([str(ROOT / "scripts" / "java-home.sh")]).stdout.strip()
        env = dict(os.environ, WARD_DEV_HOME=str(self.home),
                   WARD_DEV_UPSTREAM=f"{self.up.host}:{self.up.port}/{self.up.dbname}/{self.up.user}")
        java = [f"{java_home}/bin/java", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", f"-Dward.home={ROOT}",
                "-cp", f"{ROOT}/stack/target/ward-stack-0.1.0-SNAPSHOT.jar:{ROOT}/stack/target/lib/*",
                "dev.ward.stack.DevStack"]
        self.log = open(Path(self.home.parent) / "ward-stack.log", "w")
        self.proc = subprocess.Popen(java, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        env_file = self.home / "env"
        deadline = time.time() + 240
        while not env_file.exists():
            if self.proc.poll() is not None or time.time() > deadline:
                raise RuntimeError(f"the Ward stack did not start; see {self.log.name}")
            time.sleep(0.5)
        for line in env_file.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                self.values[k] = v
        m = re.match(r"postgresql://([^:]+):([^@]+)@([^:]+):(\d+)/([^?]+)", self.values["WARD_PG_DSN"])
        self.user, self.grant, self.host, self.port, self.db = m.groups()

    def stop(self):
        if self.proc:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.log.close()

    def env(self):
        return {"PGPASSWORD": self.grant, "PGSSLMODE": "disable"}

    def dsn(self):
        return dict(host=self.host, port=int(self.port), user=self.user, dbname=self.db)


def pgbench(path, clients, seconds, select_only, mode, workdir):
    """Runs pgbench once; returns tps and latency percentiles (ms) from its per-transaction log."""
    d = path.dsn()
    logdir = Path(tempfile.mkdtemp(dir=workdir))
    cmd = ["pgbench", "-n", "-T", str(seconds), "-c", str(clients), "-j", str(min(clients, 2)),
           "-M", mode, "-l", "--log-prefix", str(logdir / "tx"),
           "-h", str(d["host"]), "-p", str(d["port"]), "-U", d["user"]]
    if select_only:
        cmd.append("-S")
    cmd.append(d["dbname"])
    env = dict(os.environ, **path.env())
    out = subprocess.run(cmd, text=True, capture_output=True, env=env, cwd=workdir)
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

    def pct(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] if latencies else float("nan")

    return {"tps": float(m.group(1)) if m else float("nan"), "p50": pct(50), "p99": pct(99),
            "p999": pct(99.9), "failed": int(failed.group(1)) if failed else 0}


def summarize(values):
    values = [v for v in values if v == v]
    if not values:
        return {"median": float("nan"), "min": float("nan"), "max": float("nan")}
    return {"median": statistics.median(values), "min": min(values), "max": max(values)}


def run_pg(paths, clients_list, reps, seconds, workdir):
    """Interleaved, paired runs; results[workload][clients][path] = list of samples."""
    results = {}
    workloads = [("select-only", True), ("tpcb-like", False)]
    for rep in range(reps):
        for wname, select_only in workloads:
            for clients in clients_list:
                order = paths[rep % len(paths):] + paths[:rep % len(paths)]
                for p in order:
                    sample = pgbench(p, clients, seconds, select_only, "extended", workdir)
                    results.setdefault(wname, {}).setdefault(clients, {}).setdefault(p.name, []).append(sample)
                    print(f"  rep {rep + 1}/{reps} {wname:11s} c={clients:<3d} {p.name:12s} "
                          f"{sample['tps']:9.0f} tps  p50 {sample['p50']:.3f} ms  p99 {sample['p99']:.3f} ms",
                          flush=True)
    return results


def plot(results, out_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    files = []
    for wname, by_clients in results.items():
        clients = sorted(by_clients)
        names = list(next(iter(by_clients.values())).keys())
        fig, ax = plt.subplots(figsize=(7, 4))
        width = 0.8 / len(names)
        for i, name in enumerate(names):
            meds, lo, hi = [], [], []
            for c in clients:
                s = summarize([x["tps"] for x in by_clients[c][name]])
                meds.append(s["median"])
                lo.append(s["median"] - s["min"])
                hi.append(s["max"] - s["median"])
            xs = [j + i * width for j in range(len(clients))]
            ax.bar(xs, meds, width, yerr=[lo, hi], capsize=3, label=name)
        ax.set_xticks([j + width * (len(names) - 1) / 2 for j in range(len(clients))])
        ax.set_xticklabels([f"{c} clients" for c in clients])
        ax.set_ylabel("transactions per second (median, min-max)")
        ax.set_title(f"pgbench {wname}, extended protocol")
        ax.legend()
        fig.tight_layout()
        f = out_dir / f"bench-pg-{wname}.png"
        fig.savefig(f, dpi=110)
        plt.close(fig)
        files.append(f)
    return files


def machine():
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    pg = run(["pgbench", "--version"]).stdout.strip()
    return f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB, {pg}"


def report(results, plots, args, out):
    lines = ["# Benchmarks", "",
             "Generated by `make bench` (`bench/bench.py`); do not edit by hand.", "",
             f"Machine: {machine()}. Client, proxies and PostgreSQL share the machine.", "",
             f"Command: `bench/bench.py --reps {args.reps} --seconds {args.seconds} "
             f"--clients {','.join(map(str, args.clients))}`. Each repetition runs every path once, "
             "in a rotated order; figures are medians with min-max over repetitions.", ""]
    for wname, by_clients in results.items():
        lines += [f"## PostgreSQL: pgbench {wname} (extended protocol)", "",
                  "| clients | path | tps | p50 ms | p99 ms | failed |", "|---|---|---|---|---|---|"]
        for c in sorted(by_clients):
            for name, samples in by_clients[c].items():
                t = summarize([s["tps"] for s in samples])
                p50 = summarize([s["p50"] for s in samples])
                p99 = summarize([s["p99"] for s in samples])
                lines.append(f"| {c} | {name} | {t['median']:.0f} ({t['min']:.0f}–{t['max']:.0f}) | "
                             f"{p50['median']:.3f} | {p99['median']:.3f} | {sum(s['failed'] for s in samples)} |")
        lines.append("")
    for f in plots:
        lines.append(f"![{f.stem}]({os.path.relpath(f, out.parent)})")
    out.write_text("\n".join(lines) + "\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="a seconds-long run that proves the harness works")
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 32])
    ap.add_argument("--scale", type=int, default=10)
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--pg", default=os.environ.get("WARD_BENCH_PG", "127.0.0.1:5432:postgres"),
                    help="upstream PostgreSQL host:port:user (trust auth)")
    args = ap.parse_args()
    if args.smoke:
        args.reps, args.seconds, args.clients, args.scale = 1, 1, [1], 1
    host, port, user = args.pg.split(":")
    workdir = Path(tempfile.mkdtemp(prefix="ward-bench-"))
    os.chmod(workdir, 0o755)
    up = Upstream(host, int(port), user, "ward_bench_" + str(os.getpid()))
    paths = [Direct(up), Ward(up, workdir), PgBouncer(up, workdir), HaProxy(up, workdir)]
    started = []
    try:
        print(f"Preparing the upstream database (scale {args.scale})", flush=True)
        up.prepare(args.scale)
        for p in paths:
            p.start()
            started.append(p)
        results = run_pg(paths, args.clients, args.reps, args.seconds, workdir)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        plots = plot(results, args.out.parent)
        report(results, plots, args, args.out)
        print(f"Wrote {args.out}")
    finally:
        for p in reversed(started):
            p.stop()
        up.drop()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    main()
