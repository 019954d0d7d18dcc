"""Where the agent's CPU goes under load, and what each proxy costs per transaction.

Two measurements:

- CPU per transaction: pgbench select-only at 8 clients through each proxy while the proxy
  process's CPU time (user + system, /proc/<pid>/stat) is read before and after; the same work,
  so the figures compare what each proxy costs the host, apart from how the scheduler then
  shares the cores. The same for HTTP: wrk at 32 connections through nginx and through the agent.
- A profile of the agent with async-profiler (Maven Central, `tools.profiler:async-profiler`),
  which samples kernel frames too where perf events are allowed (CPU time in `send`, waking the
  peer, being preempted), under pgbench and under wrk; the JDK Flight Recorder when
  async-profiler cannot be loaded (its samples are the Java side only).
"""
import collections
import os
import re
import subprocess
import time
import zipfile
from pathlib import Path

from .common import ROOT, run

ASYNC_PROFILER = "tools.profiler:async-profiler:4.1:jar:linux-x64"

# Event-loop samples: the first category whose needle appears along the stack wins.
CATEGORIES = [
    ("kernel: waking the peer a write is for", ("sock_def_readable", "try_to_wake_up")),
    ("kernel: preempted by the woken peer", ("exit_to_user_mode_loop",)),
    ("kernel: sleeping and waking in epoll", ("epoll_wait", "epoll_pwait", "EPoll", "epollWait")),
    ("kernel: TCP send (loopback delivery included)",
     ("__send", "Socket.send", "writev", "writeAddress", "SocketDispatcher.write")),
    ("kernel: TCP receive", ("recv", "readAddress", "SocketDispatcher.read")),
    ("recording: events built, serialized, journaled",
     ("SessionRelay.record", "SpooledSession", "NoticedSession", "SearchText", "HttpSession.record",
      "HttpExchange.finish")),
    ("policy: guardrails, masking", ("PolicyGate", "EnforcedSessionPolicy", "dev.ward.policy.",
                                     "dev/ward/policy/", "ResultSetMasker")),
    ("protocol: messages parsed, tracked and relayed (with the Vert.x calls made for it)",
     ("StatementTracker", "SessionRelay.bind", "RowDescription", "Wire.", "BoundParameter",
      "MessageFramer", "HttpExchange", "HopByHop", "RecordedHeaders")),
    ("identity: grant checks", ("GrantVerifier", "GrantToken")),
]
OTHER = "Netty/Vert.x and the rest (Java)"

# Whole-process samples: which thread (group) they are on.
THREADS = [
    ("sealing segments (compress, sign, write)", ("SegmentSealer",)),
    ("uploading to S3", ("SpoolUploader", "okhttp", "minio")),
    ("garbage collection", ("GC", "G1", "Serial", "Parallel", "DefNew", "Tenured")),
    ("JIT compiler", ("Compile", "C2Compiler", "C1Compiler")),
    ("event loops", ("EventLoop", "eventloop", "SingleThreadEventExecutor")),
]


def categorize(stack, table, other):
    for name, needles in table:
        if any(n in stack for n in needles):
            return name
    return other


def shares(counter):
    total = sum(counter.values())
    return [(name, 100.0 * n / total) for name, n in counter.most_common()] if total else []


def proc_cpu_seconds(pid):
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def context_switches(pid):
    """Voluntary + involuntary context switches of all of a process's threads so far."""
    total = 0
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            for line in (task / "status").read_text().splitlines():
                if "ctxt_switches:" in line:
                    total += int(line.split(":")[1])
        except (OSError, ValueError):
            continue  # a thread that ended meanwhile
    return total


def tree_cpu_seconds(pid):
    """CPU seconds of a process and its children (nginx's master and workers)."""
    total = proc_cpu_seconds(pid)
    for task in Path(f"/proc/{pid}/task").iterdir():
        children = task / "children"
        for kid in (children.read_text().split() if children.exists() else []):
            total += proc_cpu_seconds(int(kid))
    return total


def pgbench(dsn, env, workdir, clients, seconds):
    cmd = ["pgbench", "-n", "-S", "-M", "extended", "-c", str(clients), "-j", "2", "-T",
           str(seconds), "-h", dsn["host"], "-p", str(dsn["port"]), "-U", dsn["user"], dsn["dbname"]]
    out = subprocess.run(cmd, env=dict(os.environ, **env), cwd=workdir, capture_output=True,
                         text=True, timeout=seconds + 60)
    m = re.search(r"number of transactions actually processed: (\d+)", out.stdout)
    if not m:
        raise RuntimeError(f"pgbench failed: {out.stderr.strip()[-300:]}")
    return int(m.group(1))


def proxy_pid(path):
    """The process doing a path's relaying: the agent, pgbouncer (under runuser) or haproxy."""
    if path.name == "ward":
        return path.agent_pid()
    proc = getattr(path, "proc", None)
    if not proc:
        return None
    children = Path(f"/proc/{proc.pid}/task/{proc.pid}/children")
    kids = children.read_text().split() if children.exists() else []
    return int(kids[0]) if kids else proc.pid


def cpu_per_transaction(paths, workdir, seconds, reps):
    """Microseconds of proxy CPU per pgbench transaction at 8 clients, per path (median, min-max)."""
    results = collections.defaultdict(list)
    for rep in range(reps):
        for p in paths[rep % len(paths):] + paths[:rep % len(paths)]:
            pid = proxy_pid(p)
            if not pid:
                continue
            before, switched = proc_cpu_seconds(pid), context_switches(pid)
            tx = pgbench(p.dsn(), p.env(), workdir, 8, seconds)
            used = proc_cpu_seconds(pid) - before
            switches = context_switches(pid) - switched
            results[p.name].append({"us_per_tx": used * 1e6 / tx, "tps": tx / seconds,
                                    "switches_per_tx": switches / tx})
    return dict(results)


def cpu_per_request(targets, seconds, reps, connections=32):
    """Microseconds of proxy CPU per HTTP request under wrk, per path (median, min-max).

    targets: (name, pid, url, headers) for each proxy.
    """
    from .http import wrk
    results = collections.defaultdict(list)
    for rep in range(reps):
        for name, pid, url, headers in targets[rep % len(targets):] + targets[:rep % len(targets)]:
            before = tree_cpu_seconds(pid)
            s = wrk(url, connections, seconds, headers)
            used = tree_cpu_seconds(pid) - before
            requests = s["rps"] * seconds
            if requests > 0:
                results[name].append({"us_per_req": used * 1e6 / requests, "rps": s["rps"],
                                      "connections": connections})
    return dict(results)


def async_profiler(workdir):
    """libasyncProfiler.so fetched from Maven Central through the Maven wrapper, or None."""
    lib = Path(workdir) / "async-profiler" / "linux-x64" / "libasyncProfiler.so"
    if lib.exists():
        return lib
    java_home = run([str(ROOT / "scripts" / "java-home.sh")]).stdout.strip()
    out = Path(workdir) / "async-profiler"
    try:
        run([str(ROOT / "mvnw"), "-q", "-B", "-ntp", "dependency:copy", f"-Dartifact={ASYNC_PROFILER}",
             f"-DoutputDirectory={out}"], env=dict(os.environ, JAVA_HOME=java_home), cwd=ROOT,
            timeout=300)
        jar = next(out.glob("async-profiler-*.jar"))
        with zipfile.ZipFile(jar) as z:
            z.extract("linux-x64/libasyncProfiler.so", out)
        return lib
    except Exception as e:  # the JFR profile is the fallback
        print(f"  async-profiler unavailable ({e}); using JFR", flush=True)
        return None


def attach(pid, lib, options):
    """Loads async-profiler into the running agent with the JDK's attach API."""
    java_home = run([str(ROOT / "scripts" / "java-home.sh")]).stdout.strip()
    run([f"{java_home}/bin/java", str(ROOT / "bench" / "profile" / "Attach.java"), str(pid),
         str(lib), options], timeout=60)


def profile_async(pid, lib, load, workdir, name):
    """Samples the whole agent while load() runs; returns (thread shares, event-loop shares, n)."""
    out = Path(workdir) / f"{name}.collapsed"
    event = "cpu"
    try:
        attach(pid, lib, f"start,event={event},interval=1ms")
    except subprocess.CalledProcessError:
        event = "itimer"  # perf events not allowed here: CPU time without kernel frames
        attach(pid, lib, f"start,event={event},interval=1ms")
    try:
        load()
    finally:
        attach(pid, lib, f"stop,collapsed,file={out}")
    threads, loops = collections.Counter(), collections.Counter()
    for line in out.read_text().splitlines():
        stack, n = line.rsplit(" ", 1)
        n = int(n)
        group = categorize(stack, THREADS, "other threads")
        threads[group] += n
        if group == "event loops":
            loops[categorize(stack, CATEGORIES, OTHER)] += n
    return {"threads": shares(threads), "loops": shares(loops), "samples": sum(threads.values()),
            "event": event}


def profile_jfr(pid, load, workdir, seconds):
    """The fallback: JFR execution samples of the event loops (Java frames only)."""
    java_home = run([str(ROOT / "scripts" / "java-home.sh")]).stdout.strip()
    jfr = Path(workdir) / "agent.jfr"
    run([f"{java_home}/bin/jcmd", str(pid), "JFR.start", "name=bench", f"filename={jfr}",
         "jdk.ExecutionSample#period=1ms"])
    try:
        load()
    finally:
        run([f"{java_home}/bin/jcmd", str(pid), "JFR.stop", "name=bench"])
    for _ in range(50):
        if jfr.exists() and jfr.stat().st_size > 0:
            break
        time.sleep(0.1)
    text = run([f"{java_home}/bin/jfr", "print", "--events", "jdk.ExecutionSample",
                "--stack-depth", "64", str(jfr)]).stdout
    loops = collections.Counter()
    for event in text.split("jdk.ExecutionSample")[1:]:
        thread = re.search(r'sampledThread = "([^"]+)"', event)
        if not thread or "eventloop" not in thread.group(1):
            continue
        frames = re.findall(r"^\s+([\w$.<>]+)\(", event, re.M)
        if frames:
            loops[categorize(" ".join(frames), CATEGORIES, OTHER)] += 1
    return {"threads": [], "loops": shares(loops), "samples": sum(loops.values()), "event": "jfr"}


def run_profile(ward, workdir, seconds, http_target=None, with_pg=True):
    """Profiles the agent under pgbench select-only at 8 clients and wrk at 32 (when given)."""
    pid = ward.agent_pid()
    if not pid:
        raise RuntimeError("the agent's process was not found")
    lib = async_profiler(workdir)
    loads = {}
    if with_pg:
        loads["pg"] = lambda: pgbench(ward.dsn(), ward.env(), workdir, 8, seconds)
    if http_target:
        from .http import wrk
        loads["http"] = lambda: wrk(http_target[0], 32, seconds, http_target[1])
    result = {"seconds": seconds}
    for name, load in loads.items():
        p = profile_async(pid, lib, load, workdir, name) if lib else profile_jfr(
            pid, load, workdir, seconds)
        print(f"  profile ({name}, {p['event']}): {p['samples']} samples; event loops: "
              + ", ".join(f"{n} {s:.0f}%" for n, s in p["loops"][:3]), flush=True)
        result[name] = p
    return result
