#!/usr/bin/python3
"""Ward benchmark harness: Ward side by side with the direct path and peer proxies.

Runs every measurement in one go on this machine and writes docs/benchmarks.md with PNG
plots. Runs are paired and interleaved (each repetition visits every path in a rotated
order), so a noisy machine shows up as spread, not as a false win; every figure is a
median with its min-max.

    bench/bench.py                 # the full run (make bench)
    bench/bench.py --smoke         # a short run that proves the harness works
    bench/bench.py --only pg,push  # some parts only
"""
import argparse
import os
import shlex
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from wardbench import agent_checks, http, masking, pg, profile, report  # noqa: E402
from wardbench.common import ROOT  # noqa: E402
from wardbench.paths import Direct, HaProxy, PgBouncer, Upstream, Ward  # noqa: E402

PARTS = ("pg", "http", "masking", "recording", "push", "footprint")


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="a short run that proves the harness works")
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5)
    ap.add_argument("--clients", type=lambda s: [int(x) for x in s.split(",")], default=[1, 8, 32])
    ap.add_argument("--scale", type=int, default=10)
    ap.add_argument("--sessions", type=int, default=500, help="open sessions for the footprint")
    ap.add_argument("--pushes", type=int, default=30, help="policy changes for the config push")
    ap.add_argument("--only", type=lambda s: s.split(","), default=list(PARTS),
                    help="comma-separated parts: " + ",".join(PARTS))
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "benchmarks.md")
    ap.add_argument("--pg", default=os.environ.get("WARD_BENCH_PG", "127.0.0.1:5432:postgres"),
                    help="upstream PostgreSQL host:port:user (trust auth)")
    args = ap.parse_args()
    args.command = ("bench/bench.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])).strip()
    if args.smoke:
        args.reps, args.seconds, args.clients, args.scale = 1, 1, [1], 1
        args.sessions, args.pushes = 20, 3
        args.command = "bench/bench.py --smoke"
    unknown = set(args.only) - set(PARTS)
    if unknown:
        ap.error(f"unknown parts: {', '.join(sorted(unknown))}")
    return args


def attempt(notes, part, action):
    """Runs one part; a failure becomes a note in the report instead of ending the run."""
    try:
        action()
    except Exception as e:
        print(f"  {part} failed: {e}", flush=True)
        notes.append(f"The {part} measurement failed: {e}")


def main():
    args = parse_args()
    host, port, user = args.pg.split(":")
    workdir = Path(tempfile.mkdtemp(prefix="ward-bench-"))
    os.chmod(workdir, 0o755)
    up = Upstream(host, int(port), user, "ward_bench_" + str(os.getpid()))
    ward = Ward(up, workdir)
    paths = [Direct(up), ward, PgBouncer(up, workdir), HaProxy(up, workdir)]
    pool = PgBouncer(up, workdir, pool_mode="transaction", pool_size=20, label="pgbouncer-pool")
    nginx = http.Nginx(workdir)
    started, results, notes = [], {}, []
    began = time.time()
    failed = True
    try:
        print(f"Preparing the upstream database (scale {args.scale})", flush=True)
        up.prepare(args.scale)
        for p in paths + [pool]:
            p.start()
            started.append(p)
        print(f"Ward stack ready after {time.time() - began:.0f} s", flush=True)
        if "footprint" in args.only:
            # idle before any traffic has warmed the agent
            results["idle_rss"] = agent_checks.rss_bytes(ward)
        if "pg" in args.only:
            print("PostgreSQL (pgbench)", flush=True)
            pg.warm_up(paths, 1 if args.smoke else 5, workdir, limit=2 if args.smoke else 12)
            results["pg"] = pg.run_pg(paths, args.clients, args.reps, args.seconds, workdir)
            print("Proxy CPU per transaction", flush=True)
            attempt(notes, "CPU per transaction", lambda: results.__setitem__(
                "cpu", profile.cpu_per_transaction(paths[1:], workdir, 2 if args.smoke else 10,
                                                   1 if args.smoke else 3)))
        if "http" in args.only:
            print("HTTP (wrk)", flush=True)
            nginx.start()
            started.append(nginx)
            pending, target = None, None
            if not http.agent_serves_http():
                pending = "this agent build has no HTTP listener"
            else:
                try:
                    target = http.ward_target(ward, nginx)
                except Exception as e:  # the rest of the report is still worth having
                    pending = f"the agent's HTTP connection could not be set up: {e}"
                    print(f"  {pending}", flush=True)
            conns = [1, 32] if not args.smoke else [8]
            results["http"] = {"pending": pending,
                               "results": http.run_http(nginx, target, conns, args.reps, args.seconds,
                                                        warm_limit=2 if args.smoke else 12)}
            if target:
                print("Proxy CPU per HTTP request", flush=True)
                attempt(notes, "CPU per HTTP request", lambda: results.__setitem__(
                    "http_cpu", profile.cpu_per_request(
                        [("nginx", nginx.proxy_pid(), f"http://127.0.0.1:{nginx.proxy_port}/", ()),
                         ("ward", ward.agent_pid(), target[0], target[1])],
                        2 if args.smoke else 10, 1 if args.smoke else 3, conns[-1])))
        if "pg" in args.only or "http" in args.only:
            print("Profile of the agent", flush=True)
            try:
                results["profile"] = profile.run_profile(
                    ward, workdir, 3 if args.smoke else 15,
                    target if "http" in args.only else None, "pg" in args.only)
            except Exception as e:  # the figures stand without it
                notes.append(f"The agent could not be profiled: {e}")
        if "masking" in args.only:
            print("Masking (JMH)", flush=True)
            if args.smoke:
                notes.append("Masking JMH is left out of the smoke run (it builds and forks a JVM).")
            else:
                attempt(notes, "masking", lambda: results.__setitem__(
                    "masking", masking.run_masking(workdir)))
        if "recording" in args.only:
            print("Recording", flush=True)
            attempt(notes, "recording", lambda: results.__setitem__("recording", {
                "stored": agent_checks.stored_per_1000(ward, workdir, 200 if args.smoke else 2100),
                "throughput": agent_checks.recorder_throughput(
                    ward, workdir, 1 if args.smoke else 5, 1 if args.smoke else max(1, min(args.reps, 3)))}))
        if "push" in args.only:
            print("Config push", flush=True)
            attempt(notes, "config push", lambda: results.__setitem__(
                "push", agent_checks.config_push(ward, args.pushes)))
        if "footprint" in args.only:
            print("Agent footprint", flush=True)
            idle = results.pop("idle_rss")

            def footprint():
                results["footprint"] = agent_checks.footprint(
                    ward, pool, args.sessions, 3 if args.smoke else 15, workdir)
                results["footprint"]["idle"] = idle
            attempt(notes, "footprint", footprint)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        report.write(results, args, args.out, notes)
        print(f"Wrote {args.out} after {time.time() - began:.0f} s")
        failed = False
    finally:
        for p in reversed(started):
            try:
                p.stop()
            except Exception as e:  # keep stopping the others
                print(f"  (while stopping {getattr(p, 'name', p)}: {e})", file=sys.stderr)
        up.drop()
        if failed and (workdir / "ward" / "logs").exists():
            kept = Path(tempfile.mkdtemp(prefix="ward-bench-logs-"))
            shutil.copytree(workdir / "ward" / "logs", kept / "logs")
            print(f"The Ward stack's logs are kept in {kept}/logs", file=sys.stderr)
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(1))
    main()
