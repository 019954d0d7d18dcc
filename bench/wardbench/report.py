"""docs/benchmarks.md and its plots."""
import os
import platform
import re
import subprocess
from pathlib import Path

from .common import fmt, summarize
from .pg import added_latency, tps_ratio

MB = 2**20

# Statements in one pgbench transaction of each built-in script: the latency target is per
# statement (per query, as measured with select-only), so a TPC-B-like transaction's added
# latency is also given per statement.
STATEMENTS = {"select-only": 1, "tpcb-like": 7}


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
    versions = []
    for cmd in (["pgbench", "--version"], ["pgbouncer", "--version"], ["haproxy", "-v"],
                ["nginx", "-v"], ["wrk", "--version"]):
        try:
            p = subprocess.run(cmd, text=True, capture_output=True)
        except OSError:
            continue
        line = (p.stdout or p.stderr).strip().splitlines()
        if line:
            versions.append(re.split(r" - | \[| Copyright| \d{4}/\d\d/\d\d", line[0])[0].strip())
    return (f"{platform.system()} {platform.release()}, {os.cpu_count()} cores ({cpu}), {mem:.0f} GiB; "
            + "; ".join(versions))


def plot_pg(results, out_dir):
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


def plot_http(results, out_dir):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    conns = sorted(results)
    names = list(results[conns[0]].keys())
    fig, ax = plt.subplots(figsize=(7, 4))
    width = 0.8 / len(names)
    for i, name in enumerate(names):
        s = [summarize([x["rps"] for x in results[c][name]]) for c in conns]
        ax.bar([j + i * width for j in range(len(conns))], [x["median"] for x in s], width,
               yerr=[[x["median"] - x["min"] for x in s], [x["max"] - x["median"] for x in s]],
               capsize=3, label=name)
    ax.set_xticks([j + width * (len(names) - 1) / 2 for j in range(len(conns))])
    ax.set_xticklabels([f"{c} connections" for c in conns])
    ax.set_ylabel("requests per second (median, min-max)")
    ax.set_title("wrk, 1 KiB responses")
    ax.legend()
    fig.tight_layout()
    f = out_dir / "bench-http.png"
    fig.savefig(f, dpi=110)
    plt.close(fig)
    return [f]


def verdict(ok):
    return "n/a" if ok is None else ("met" if ok else "**missed**")


def targets(r):
    """(target, measured, verdict) rows for the summary table."""
    rows = []
    pg = r.get("pg", {})
    for wname, by_clients in pg.items():
        for c in (8, 32):
            if c in by_clients and "ward" in by_clients[c] and "pgbouncer" in by_clients[c]:
                ratio = tps_ratio(by_clients[c], "ward", "pgbouncer")
                rows.append((f"pgbench {wname}, {c} clients: Ward tps ≥ pgbouncer tps",
                             f"Ward/pgbouncer = {fmt(ratio, 2)}", verdict(ratio["median"] >= 1.0)))
        if 1 in by_clients and "ward" in by_clients[1]:
            added = added_latency(by_clients[1], "ward")["p50"]
            n = STATEMENTS.get(wname, 1)
            if n == 1:
                rows.append((f"pgbench {wname}, 1 client: Ward added latency p50 ≤ 0.05 ms",
                             fmt(added, 3, " ms"), verdict(added["median"] <= 0.05)))
            else:
                per = {k: (v / n if isinstance(v, float) else v) for k, v in added.items()}
                rows.append((f"pgbench {wname}, 1 client: Ward added latency p50 per statement "
                             "≤ 0.05 ms", f"{fmt(per, 3, ' ms')}; per transaction of {n} statements "
                             f"{fmt(added, 3, ' ms')}", verdict(per["median"] <= 0.05)))
    http = r.get("http")
    if http is not None:
        if http.get("pending"):
            rows.append(("HTTP: Ward req/s ≥ nginx req/s", "pending: " + http["pending"], "n/a"))
        else:
            for c, by in http["results"].items():
                if "ward" in by:
                    w = summarize([s["rps"] for s in by["ward"]])
                    n = summarize([s["rps"] for s in by["nginx"]])
                    rows.append((f"HTTP {c} connections: Ward req/s ≥ nginx req/s",
                                 f"{w['median']:.0f} vs {n['median']:.0f}", verdict(w["median"] >= n["median"])))
    m = r.get("masking")
    if m and "clean" in m:
        rows.append(("Masking, full rule set, clean text ≥ 100 MB/s per core", fmt(m["clean"], 1, " MB/s"),
                     verdict(m["clean"]["median"] >= 100)))
    p = r.get("push")
    if p:
        rows.append(("Config push p99 ≤ 1 s", f"{p['p99']:.0f} ms", verdict(p["p99"] <= 1000)))
    f = r.get("footprint")
    if f:
        rows.append((f"{f['sessions']} PostgreSQL sessions within 512 MB RSS",
                     f"peak {f['peak_rss'] / MB:.0f} MiB with {f['peak_open']} open",
                     verdict(f["peak_rss"] <= 512 * MB and f["peak_open"] >= f["sessions"])))
    return rows


def attribution(us, prof):
    """A proxy's CPU per transaction split by the profile: [(what, µs)], largest first.

    The thread shares split the whole; the event loops' part is split again by its categories:
    the kernel's (send, receive, epoll, scheduling), Netty/Vert.x's, and Ward's own work.
    """
    threads = dict(prof.get("threads") or [])
    loop_share = threads.get("event loops", 100.0) / 100.0
    parts = {}
    for name, share in prof.get("loops") or []:
        if name.startswith("kernel:"):
            key = "the kernel on the event loops (TCP send and receive, epoll, waking peers, preemption)"
        elif name == "Netty/Vert.x and the rest (Java)":
            key = "Netty/Vert.x on the event loops"
        else:
            key = "Ward's own work on the event loops (protocol, recording, policy, identity)"
        parts[key] = parts.get(key, 0.0) + us * loop_share * share / 100.0
    recorder = sum(v for k, v in threads.items() if k.startswith(("sealing", "uploading")))
    if recorder:
        parts["the recorder's threads (sealing segments, uploading to S3)"] = us * recorder / 100.0
    rest = sum(v for k, v in threads.items() if k in ("JIT compiler", "garbage collection",
                                                       "other threads"))
    if rest:
        parts["the JVM (JIT compiler, garbage collection) and other threads"] = us * rest / 100.0
    return sorted(parts.items(), key=lambda kv: -kv[1])


def bottleneck(label, unit, costs, prof, switches=None):
    """The sentence naming where Ward's CPU per transaction (or request) goes, next to its peers'.

    costs: summaries of CPU µs per unit by path; switches: context switches per unit by path.
    """
    ward = costs.get("ward")
    peers = {name: c for name, c in costs.items() if name != "ward" and c["n"]}
    if not ward or not ward["n"] or not peers or not prof or not prof.get("loops"):
        return None
    parts = attribution(ward["median"], prof)
    kernel = sum(v for what, v in parts if what.startswith("the kernel"))
    java = ward["median"] - kernel
    cheapest_name, cheapest = min(peers.items(), key=lambda kv: kv[1]["median"])
    text = (f"Where the {label} targets are missed: the machine's {os.cpu_count()} cores are "
            "saturated, so "
            f"throughput follows CPU per {unit}. Ward costs the host {ward['median']:.1f} µs per "
            f"{unit}; " + ", ".join(f"{n} {c['median']:.1f} µs" for n, c in peers.items())
            + f" (section \"Proxy CPU per {unit}\"). By the profile (section \"Where the agent's "
            f"time goes\"), Ward's {ward['median']:.1f} µs are: "
            + "; ".join(f"{what} {v:.1f} µs" for what, v in parts) + ". ")
    if switches and "ward" in switches and len(switches) > 1:
        text += (f"Ward's threads switch {switches['ward']:.2f} times per {unit}; "
                 + ", ".join(f"{n}'s {v:.2f}" for n, v in switches.items() if n != "ward") + ". ")
    more_switches = bool(switches) and switches.get("ward", 0) > switches.get(cheapest_name, 1e9)
    if kernel > cheapest["median"] and more_switches:
        text += (f"The kernel's part alone ({kernel:.1f} µs) is more than {cheapest_name}'s whole "
                 f"cost, with more switches per {unit}: the bottleneck is sleeping and waking (an "
                 "event loop that runs out of work sleeps in epoll and is woken again), then the "
                 f"{java:.1f} µs of Java work around it.")
    elif kernel > cheapest["median"]:
        text += (f"The kernel's part alone ({kernel:.1f} µs) is more than {cheapest_name}'s whole "
                 f"cost; then come the {java:.1f} µs of Java work around it.")
    else:
        text += (f"The kernel's part ({kernel:.1f} µs) is about what {cheapest_name} spends in all; "
                 f"the bottleneck is the {java:.1f} µs of Java work around it (Netty/Vert.x, Ward's "
                 "own work, the recorder and the JVM).")
    return text


def write(r, args, out, notes):
    files = []
    if r.get("pg"):
        files += plot_pg(r["pg"], out.parent)
    if r.get("http") and r["http"].get("results"):
        files += plot_http(r["http"]["results"], out.parent)
    L = ["# Benchmarks", "",
         "Generated by `make bench` (`bench/bench.py`); do not edit by hand. How to read it and",
         "what each figure means: `bench/README.md`.", "",
         f"Machine: {machine()}. Clients, proxies, the Ward stack and PostgreSQL share the machine.", "",
         f"Command: `{args.command}`. Runs are paired and interleaved: each repetition runs every path "
         "once, in an order rotated per repetition; figures are medians with min–max over "
         "repetitions (or over measurement iterations where said).", ""]
    if notes:
        L += ["Notes on this run:", ""] + [f"- {n}" for n in notes] + [""]
    rows = targets(r)
    if rows:
        L += ["## Targets and where Ward stands", "", "| target | measured | |", "|---|---|---|"]
        L += [f"| {a} | {b} | {c} |" for a, b, c in rows] + [""]
        prof = r.get("profile") or {}
        for key, label, unit, cpu in (
                ("pg", "PostgreSQL", "transaction", r.get("cpu")),
                ("http", "HTTP", "request", r.get("http_cpu"))):
            missed = any("missed" in c and (a.startswith("pgbench") if key == "pg" else
                                            a.startswith("HTTP")) for a, b, c in rows)
            p = prof.get(key)
            if not missed or not p or not p["loops"]:
                continue
            field = "us_per_tx" if key == "pg" else "us_per_req"
            costs = {name: summarize([x[field] for x in samples])
                     for name, samples in (cpu or {}).items()}
            switches = {name: summarize([x["switches_per_tx"] for x in samples])["median"]
                        for name, samples in (cpu or {}).items()
                        if all("switches_per_tx" in x for x in samples)}
            sentence = bottleneck(label, unit, costs, p, switches)
            if sentence is None:
                top = "; ".join(f"{name} {share:.0f}%" for name, share in p["loops"][:3])
                sentence = (f"Where the {label} targets are missed, the profiler names where the "
                            f"agent's event loops spend their time: {top} (section \"Where the "
                            "agent's time goes\").")
            L += [sentence, ""]
    for wname, by_clients in r.get("pg", {}).items():
        L += [f"## PostgreSQL: pgbench {wname} (extended protocol)", "",
              "| clients | path | tps | p50 ms | p99 ms | failed |", "|---|---|---|---|---|---|"]
        for c in sorted(by_clients):
            for name, samples in by_clients[c].items():
                L.append(f"| {c} | {name} | {fmt(summarize([s['tps'] for s in samples]))} | "
                         f"{fmt(summarize([s['p50'] for s in samples]), 3)} | "
                         f"{fmt(summarize([s['p99'] for s in samples]), 3)} | "
                         f"{sum(s['failed'] for s in samples)} |")
        L += ["", "Added latency over direct, paired per repetition (ms):", "",
              "| clients | path | added p50 | added p99 |", "|---|---|---|---|"]
        for c in sorted(by_clients):
            for name in by_clients[c]:
                if name != "direct":
                    a = added_latency(by_clients[c], name)
                    L.append(f"| {c} | {name} | {fmt(a['p50'], 3)} | {fmt(a['p99'], 3)} |")
        L.append("")
    cpu = r.get("cpu")
    if cpu:
        L += ["## Proxy CPU per transaction", "",
              "pgbench select-only at 8 clients through each proxy while its process's CPU time "
              "(user + system, from `/proc/<pid>/stat`) is read before and after; the same "
              "transactions, so this is what each proxy costs the host per transaction, apart from "
              "how the scheduler then shares the cores among client, proxy and server.", "",
              "Context switches are the process's threads' voluntary and involuntary switches "
              "(`/proc/<pid>/task/*/status`) in the same runs.", "",
              "| path | CPU µs per transaction | context switches per transaction | tps in that run |",
              "|---|---|---|---|"]
        for name, samples in cpu.items():
            sw = [x["switches_per_tx"] for x in samples if "switches_per_tx" in x]
            L.append(f"| {name} | {fmt(summarize([x['us_per_tx'] for x in samples]), 1)} | "
                     f"{fmt(summarize(sw), 2) if sw else 'n/a'} | "
                     f"{fmt(summarize([x['tps'] for x in samples]))} |")
        L.append("")
    hcpu = r.get("http_cpu")
    if hcpu:
        conns = next(iter(hcpu.values()))[0].get("connections", 32)
        L += ["## Proxy CPU per request", "",
              f"wrk at {conns} connections through nginx (master and workers) and through the agent while "
              "the proxy's CPU time (user + system, from `/proc/<pid>/stat`) is read before and "
              "after, divided by the requests answered.", "",
              "| path | CPU µs per request | req/s in that run |", "|---|---|---|"]
        for name, samples in hcpu.items():
            L.append(f"| {name} | {fmt(summarize([x['us_per_req'] for x in samples]), 1)} | "
                     f"{fmt(summarize([x['rps'] for x in samples]))} |")
        L.append("")
    prof = r.get("profile") or {}
    loads = [(k, v) for k, v in prof.items() if k in ("pg", "http") and v["samples"]]
    if loads:
        L += ["## Where the agent's time goes", ""]
        for key, p in loads:
            what = ("pgbench select-only at 8 clients" if key == "pg"
                    else "wrk at 32 connections (1 KiB responses)")
            if p["event"] == "jfr":
                how = ("the JDK Flight Recorder (`jdk.ExecutionSample`, 1 ms; Java frames only, so "
                       "time in the kernel is not seen)")
            elif p["event"] == "cpu":
                how = ("async-profiler (`event=cpu`, 1 ms, kernel frames included: time in `send` "
                       "is the loopback delivery and the wake-up of the reader)")
            else:
                how = ("async-profiler (`event=itimer`, 1 ms; perf events were not allowed, so no "
                       "kernel frames)")
            L += [f"### {what}", "",
                  f"The agent sampled with {how} for {prof['seconds']} s; {p['samples']} samples "
                  "(`bench/wardbench/profile.py`).", ""]
            if p["threads"]:
                L += ["| threads | share of the agent's CPU |", "|---|---|"]
                L += [f"| {n} | {x:.0f}% |" for n, x in p["threads"]] + [""]
            L += ["| in the event loops | share of their samples |", "|---|---|"]
            L += [f"| {n} | {x:.0f}% |" for n, x in p["loops"]] + [""]
    http = r.get("http")
    if http is not None:
        L += ["## HTTP: wrk, 1 KiB responses", ""]
        if http.get("pending"):
            L += [f"Through the Ward agent: pending — {http['pending']}", ""]
        if http.get("results"):
            L += ["`direct` is an nginx origin answering 1 KiB (one worker); `nginx` is a second nginx "
                  "process (one worker per core) proxying to it with upstream keep-alive; `ward` is "
                  "the agent's HTTP listener for a "
                  "connection to the same origin under the default policy (grant as bearer token, "
                  "response masking, each exchange recorded).", "",
                  "| connections | path | req/s | p50 ms | p99 ms |", "|---|---|---|---|---|"]
            for c in sorted(http["results"]):
                for name, samples in http["results"][c].items():
                    L.append(f"| {c} | {name} | {fmt(summarize([s['rps'] for s in samples]))} | "
                             f"{fmt(summarize([s['p50'] for s in samples]), 3)} | "
                             f"{fmt(summarize([s['p99'] for s in samples]), 3)} |")
            L.append("")
    m = r.get("masking")
    if m:
        L += ["## Masking (JMH, one thread)", "",
              "Full rule set (every secret family and every personal-data detector) over 1 MB of text; "
              "median and min–max over JMH's measurement iterations.", "",
              "| text | MB/s per core |", "|---|---|"]
        L += [f"| {t} | {fmt(s, 1)} |" for t, s in m.items()] + [""]
    rec = r.get("recording")
    if rec:
        L += ["## Recording", ""]
        if rec.get("throughput"):
            t = rec["throughput"]
            L += ["Recorder capacity (`bench/recording/RecordingThroughput.java`): one thread appends "
                  "TPC-B-like statement events to 8 open sessions, as event loops do; the spool figure "
                  "counts event bytes until every segment is compressed, signed and written with its "
                  "manifest; the S3 figure is the agent's uploader moving that sealed spool to the stack's "
                  "S3-compatible storage.", "",
                  "| measure | median (min–max) |", "|---|---|",
                  f"| events to the spool, MB/s | {fmt(t['spool_mbs'], 1)} |",
                  f"| statements to the spool, per second | {fmt(t['statements_per_s'])} |",
                  f"| sealed spool to S3, MB/s | {fmt(t['s3_mbs'], 1)} |",
                  f"| stored bytes per 1,000 such statements | {fmt(t['stored_per_1000'])} |", ""]
        if rec.get("stored"):
            L += ["Bytes in object storage per 1,000 statements of real pgbench sessions through the agent "
                  "(one session each, segments + manifest):", "",
                  "| workload | statements | bytes stored | per 1,000 statements |", "|---|---|---|---|"]
            for w, s in rec["stored"].items():
                L.append(f"| {w} | {s['statements']} | {s['bytes']} | {s['per_1000']:.0f} |")
            L.append("")
    p = r.get("push")
    if p:
        L += ["## Config push", "",
              f"A policy change sent with `PUT /api/v1/policies/{{id}}` until the agent's `/readyz` reports "
              f"the new config version (every stage applied), {len(p['samples'])} changes: "
              f"p50 {p['p50']:.0f} ms, p99 {p['p99']:.0f} ms, max {p['max']:.0f} ms. Of that, the API "
              f"answered the `PUT` after p50 {p['api_p50']:.0f} ms, p99 {p['api_p99']:.0f} ms; the rest is "
              "the notification, the snapshot, the stream and the agent applying it.", ""]
    f = r.get("footprint")
    if f:
        a = f["rss_all_open"]
        L += ["## Agent footprint", "",
              "Resident set of the agent process (JVM with `-Xmx256m`, as the stack starts it).", "",
              "| state | RSS |", "|---|---|",
              f"| idle (no session, after start) | {f['idle'] / MB:.0f} MiB |",
              f"| {f['sessions']} concurrent PostgreSQL sessions (peak) | {f['peak_rss'] / MB:.0f} MiB |"]
        if a["n"]:
            L.append(f"| while all {f['sessions']} were open (median, min–max) | "
                     f"{a['median'] / MB:.0f} MiB ({a['min'] / MB:.0f}–{a['max'] / MB:.0f}) |")
        L += ["", f"The sessions were pgbench clients (`-c {f['sessions']} -S -R {f['sessions']}`) "
              "through a second connection to a transaction-pooling pgbouncer, since the upstream "
              "allows 100 connections.", ""]
    for file in files:
        L.append(f"![{file.stem}]({os.path.relpath(file, out.parent)})")
    out.write_text("\n".join(L) + "\n")
