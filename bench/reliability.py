#!/usr/bin/python3
"""Long runs of Ward's fault and load tests, with their figures written to docs/reliability-runs.md.

`make test` runs FaultsIT and LoadIT short; this runs the same tests long through Maven failsafe:
object storage down for a minute while sessions start, run and end (every recorded session must
then verify INTACT with every event), and 300 concurrent sessions for five minutes with the
agent's resident memory sampled every few seconds (the test fails unless the median of its last
minute is within 15% of the median of its second, the first being warm-up). The build's log scan
(LogSecretScanIT) runs after them, as in every integration-test build.

    bench/reliability.py                                   # the long run (make bench)
    bench/reliability.py --outage PT20S --load PT1M        # shorter, e.g. to try a change
"""
import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIGURES = ROOT / "integration-tests" / "target" / "reliability"
REPORTS = ROOT / "integration-tests" / "target" / "failsafe-reports"
MIB = 1 << 20


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--outage", default="PT60S", help="how long object storage stays down at least")
    ap.add_argument("--load", default="PT5M", help="how long the concurrent sessions run")
    ap.add_argument("--sessions", type=int, default=300, help="concurrent sessions of the load")
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "reliability-runs.md")
    return ap.parse_args()


def maven_command(args):
    return ["./mvnw", "-B", "-ntp", "-pl", "cli,integration-tests", "-am", "verify",
            "-Dit.test=FaultsIT,LoadIT", "-Dtest=none", "-Dsurefire.failIfNoSpecifiedTests=false",
            "-Djacoco.skip=true",
            f"-Dward.faults.storage-outage={args.outage}",
            f"-Dward.load.duration={args.load}",
            f"-Dward.load.sessions={args.sessions}"]


def machine():
    cpus = os.cpu_count()
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        mem = next(line for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal"))
        mem_gib = int(mem.split()[1]) / (1 << 20)
    except (OSError, StopIteration):
        mem_gib = 0
    return f"{cpus} CPUs ({model or platform.machine()}), {mem_gib:.0f} GiB RAM, {platform.system()} {platform.release()}"


def git_head():
    out = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def test_results():
    """Tests run / failed per class, from failsafe's XML reports of this run."""
    results = {}
    for name in ("FaultsIT", "LoadIT", "LogSecretScanIT"):
        xml = REPORTS / f"TEST-dev.ward.it.{name}.xml"
        if xml.exists():
            head = xml.read_text(errors="replace")[:2000]
            attrs = {}
            for key in ("tests", "failures", "errors", "skipped", "time"):
                marker = f' {key}="'
                i = head.find(marker)
                if i >= 0:
                    attrs[key] = head[i + len(marker):head.index('"', i + len(marker))]
            results[name] = attrs
    return results


def load_json(name):
    path = FIGURES / f"{name}.json"
    return json.loads(path.read_text()) if path.exists() else None


def rss_table(load):
    """The RSS samples folded into 15-second rows: median and max of each."""
    rows = {}
    for sample in load["rssSamples"]:
        rows.setdefault(int(sample["seconds"] // 15) * 15, []).append(sample["bytes"])
    lines = ["| seconds into the load | samples | RSS median MiB | RSS max MiB |", "|---|---|---|---|"]
    for start in sorted(rows):
        values = rows[start]
        lines.append(f"| {start}–{start + 15} | {len(values)} | {statistics.median(values) / MIB:.0f} "
                     f"| {max(values) / MIB:.0f} |")
    return "\n".join(lines)


def write_report(args, command, began, took, load_before, load_after, results, faults, load):
    growth = load["rssLastWindowMedianBytes"] / load["rssFirstWindowMedianBytes"] - 1
    first_from = load["warmUpSeconds"]
    first_to = first_from + load["windowSeconds"]
    last_from = load["durationSeconds"] - load["windowSeconds"]
    outcome = ", ".join(f"{name} {r.get('tests', '?')} run, {r.get('failures', '?')} failed, "
                        f"{r.get('errors', '?')} errors" for name, r in results.items())
    text = f"""# Reliability: long runs

Written by `bench/reliability.py` (part of `make bench`); do not edit by hand. The same tests run
short in `make test`; docs/reliability.md says what each one proves.

- Run: {began:%Y-%m-%d %H:%M} UTC, {took / 60:.0f} minutes, commit `{git_head()}`
- Machine: {machine()}; load average {load_before:.1f} at the start, {load_after:.1f} at the end
  (other work shared the machine)
- Command: `{shlex.join(command)}`
- Tests: {outcome}

## Object storage down during active sessions (FaultsIT)

`FaultsIT#storageDownSessionsKeepWorkingTheSpoolIsBoundedAndEverySessionUploadsIntactAfterwards`
with `-Dward.faults.storage-outage={args.outage}`: S3Proxy is stopped while a psql
session stays open; new sessions start and end through the outage; the spool is then filled on
purpose (a strict session is refused, a best-effort one runs unrecorded); storage comes back.

| figure | value |
|---|---|
| storage down | {faults["outageSeconds"]:.1f} s |
| rounds while held down (a statement on the open session, a new two-statement session while the spool is under half full) | {faults["roundsWhileHeldDown"]} |
| statements of the session open across the outage | {faults["statementsOfTheSessionAcrossIt"]} |
| recorded sessions that ran during the outage, each verified `INTACT` with every event | {faults["sessionsVerifiedIntact"]} |
| recordings lost | 0 (the test fails on any missing, partial or tampered session) |
| spool limit / peak | {faults["spoolLimitBytes"] >> 10} KiB / {faults["peakSpooledBytes"] >> 10} KiB |
| spool empty after storage returned | {faults["secondsToDrainTheSpool"]:.1f} s |

## Concurrent sessions, memory over time (LoadIT)

`LoadIT#threeHundredConcurrentSessionsRunWithoutAnErrorAndTheAgentsMemoryStaysBoundedAndFlat`
with `-Dward.load.duration={args.load} -Dward.load.sessions={args.sessions}`: {load["sessions"]} JDBC
sessions (TLS verified) open together through one agent (`-Xmx256m`), each running a prepared
`SELECT` every 20 ms and checking every answer; the agent's RSS (`/readyz`) is sampled throughout.

| figure | value |
|---|---|
| sessions open at once | {load["sessions"]} |
| queries answered, all correct, no error | {load["queries"]:,} in {load["durationSeconds"]} s ({load["queries"] / load["durationSeconds"]:,.0f}/s) |
| agent RSS before / peak / after the load | {load["rssBeforeBytes"] / MIB:.0f} / {load["rssPeakBytes"] / MIB:.0f} / {load["rssAfterBytes"] / MIB:.0f} MiB |
| agent heap used, peak | {load["heapPeakBytes"] / MIB:.0f} MiB |
| RSS median, {first_from:.0f}–{first_to:.0f} s (after warm-up) | {load["rssFirstWindowMedianBytes"] / MIB:.0f} MiB |
| RSS median, {last_from:.0f}–{load["durationSeconds"]} s | {load["rssLastWindowMedianBytes"] / MIB:.0f} MiB |
| growth (the test fails at 15%) | {growth * 100:+.1f}% |
| RSS samples (lost: `/readyz` did not answer within 3 s) | {len(load["rssSamples"])} ({load["readinessUnanswered"]} lost) |

{rss_table(load)}
"""
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)


def main():
    args = parse_args()
    command = maven_command(args)
    env = dict(os.environ)
    env["JAVA_HOME"] = subprocess.run([str(ROOT / "scripts" / "java-home.sh")], capture_output=True,
                                      text=True, check=True).stdout.strip()
    shutil.rmtree(FIGURES, ignore_errors=True)
    # Maven's output stays outside the build's log folder, which the build empties
    output = Path(tempfile.mkdtemp(prefix="ward-reliability-")) / "maven-output.txt"
    print(f"Long fault and load runs (storage down {args.outage}, load {args.load}); "
          f"Maven output in {output}", flush=True)
    began, load_before = datetime.now(timezone.utc), os.getloadavg()[0]
    start = time.time()
    with output.open("w") as out:
        code = subprocess.run(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT).returncode
    took, load_after = time.time() - start, os.getloadavg()[0]
    for line in output.read_text(errors="replace").splitlines():
        if line.startswith(("FaultsIT:", "LoadIT:", "LogSecretScanIT:")) or "Tests run:" in line and " in dev" in line:
            print("  " + line)
    faults, load = load_json("faults-storage-outage"), load_json("load")
    if code != 0 or faults is None or load is None:
        print(f"The long runs failed (exit code {code}); see {output}", file=sys.stderr)
        sys.exit(1)
    write_report(args, command, began, took, load_before, load_after, test_results(), faults, load)
    print(f"Wrote {args.out.relative_to(ROOT) if args.out.is_relative_to(ROOT) else args.out}")


if __name__ == "__main__":
    main()
