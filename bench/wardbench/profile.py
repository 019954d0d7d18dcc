"""Where the agent's event loops spend their time under pgbench: a JDK Flight Recorder profile."""
import collections
import os
import re
import subprocess
import time
from pathlib import Path

from .common import ROOT, run

# First match wins, checked against the whole stack of a sample (innermost frame first).
CATEGORIES = [
    ("recording: statement events built, serialized, journaled",
     ("SessionRelay.record", "SpooledSession", "NoticedSession", "SearchText")),
    ("policy: guardrail decision, result masking",
     ("PolicyGate", "EnforcedSessionPolicy", "dev.ward.policy.", "ResultSetMasker")),
    ("statement tracking: messages decoded, answers paired",
     ("StatementTracker", "SessionRelay.bind", "RowDescription", "Wire.string", "BoundParameter",
      "SessionRelay.noteParameter")),
    ("framing and relay dispatch: messages cut from reads", ("MessageFramer",)),
    ("writing: gather and socket write", ("Outbox", "SessionRelay.flush")),
    ("session setup: grant, upstream login", ("ClientHandshake", "UpstreamLogin")),
    ("waiting for I/O (epoll)", ("EPoll", "SelectorImpl")),
]
OTHER = "Vert.x/Netty read path and the rest"


def categorize(frames):
    stack = " ".join(frames)
    for name, needles in CATEGORIES:
        if any(n in stack for n in needles):
            return name
    return OTHER


def profile_agent(ward, pgbench_cmd, env, workdir, seconds):
    """Records the agent while pgbench_cmd runs; returns (event-loop samples, shares by category)."""
    java_home = run([str(ROOT / "scripts" / "java-home.sh")]).stdout.strip()
    pid = ward.agent_pid()
    if not pid:
        raise RuntimeError("the agent's process was not found")
    jfr = Path(workdir) / "agent.jfr"
    run([f"{java_home}/bin/jcmd", str(pid), "JFR.start", "name=bench", f"filename={jfr}",
         "jdk.ExecutionSample#period=1ms"])
    try:
        subprocess.run(pgbench_cmd, env=env, cwd=workdir, capture_output=True, text=True,
                       timeout=seconds + 60)
    finally:
        run([f"{java_home}/bin/jcmd", str(pid), "JFR.stop", "name=bench"])
    for _ in range(50):
        if jfr.exists() and jfr.stat().st_size > 0:
            break
        time.sleep(0.1)
    text = run([f"{java_home}/bin/jfr", "print", "--events", "jdk.ExecutionSample",
                "--stack-depth", "64", str(jfr)]).stdout
    counts = collections.Counter()
    for event in text.split("jdk.ExecutionSample")[1:]:
        thread = re.search(r'sampledThread = "([^"]+)"', event)
        if not thread or "eventloop" not in thread.group(1):
            continue
        frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
        if frames:
            counts[categorize(frames)] += 1
    total = sum(counts.values())
    shares = [(name, 100.0 * n / total) for name, n in counts.most_common()] if total else []
    print(f"  profile: {total} event-loop samples; top: "
          + ", ".join(f"{n} {s:.0f}%" for n, s in shares[:3]), flush=True)
    return total, shares


def run_profile(ward, workdir, seconds):
    d = ward.dsn()
    cmd = ["pgbench", "-n", "-S", "-M", "extended", "-c", "8", "-j", "2", "-T", str(seconds),
           "-h", d["host"], "-p", str(d["port"]), "-U", d["user"], d["dbname"]]
    total, shares = profile_agent(ward, cmd, dict(os.environ, **ward.env()), workdir, seconds)
    return {"samples": total, "shares": shares, "seconds": seconds}
