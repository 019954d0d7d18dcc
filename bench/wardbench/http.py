"""HTTP: wrk against an origin directly, through nginx as reverse proxy, and through the agent."""
import re
import subprocess
from pathlib import Path

from .common import ROOT, free_port, summarize, until_settled, wait_port

BODY = "x" * 1024


class Nginx:
    """Two nginx processes: an origin answering 1 KiB (one worker), and a reverse proxy to it with
    upstream keep-alive (one worker per core, nginx's `auto`, as the agent runs one event loop per
    core). Separate processes, so the proxy's CPU can be read on its own and its hop to the origin
    costs a wake-up, as the agent's does."""

    def __init__(self, workdir):
        self.dir = Path(workdir) / "nginx"
        self.origin_port, self.proxy_port, self.procs = free_port(), free_port(), {}

    def _conf(self, name, workers, body):
        d = self.dir / name
        (d / "logs").mkdir(parents=True, exist_ok=True)
        conf = d / "nginx.conf"
        conf.write_text(f"""daemon off;
worker_processes {workers};
pid {d}/nginx.pid;
error_log {d}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {d}/body;
  proxy_temp_path {d}/proxy;
  fastcgi_temp_path {d}/fastcgi;
  uwsgi_temp_path {d}/uwsgi;
  scgi_temp_path {d}/scgi;
{body}
}}
""")
        return d, conf

    def start(self):
        for name, workers, port, body in (
                ("origin", 1, self.origin_port, f"""  server {{
    listen 127.0.0.1:{self.origin_port};
    location / {{ default_type text/plain; return 200 '{BODY}'; }}
  }}"""),
                ("proxy", "auto", self.proxy_port, f"""  upstream origin {{ server 127.0.0.1:{self.origin_port}; keepalive 64; }}
  server {{
    listen 127.0.0.1:{self.proxy_port};
    location / {{
      proxy_pass http://origin;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }}
  }}""")):
            d, conf = self._conf(name, workers, body)
            self.procs[name] = subprocess.Popen(["nginx", "-p", str(d), "-c", str(conf)],
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            wait_port(port)

    def proxy_pid(self):
        """The reverse proxy's master process (its workers are its children)."""
        return self.procs["proxy"].pid if "proxy" in self.procs else None

    def stop(self):
        for proc in self.procs.values():
            proc.terminate()
        for proc in self.procs.values():
            proc.wait(10)


def agent_serves_http():
    """Whether this agent build has an HTTP listener (a factory of kind http on its class path)."""
    services = ROOT / "agent/src/main/resources/META-INF/services/dev.ward.agent.protocol.ProtocolListenerFactory"
    if not services.exists():
        return False
    return any("http" in line.lower() and not line.strip().startswith("#")
               for line in services.read_text().splitlines())


def ward_target(ward, nginx):
    """An HTTP connection on the running agent to the nginx origin: (url, headers) for wrk."""
    from .agent_checks import add_any_connection
    port, grant = add_any_connection(ward, {
        "name": "bench-http", "kind": "http", "target": f"http://127.0.0.1:{nginx.origin_port}",
        "upstreamTls": "disable", "credentialStyle": "header:X-Bench-Credential"})
    return f"http://127.0.0.1:{port}/", (f"Authorization: Bearer {grant}",)


def wrk(url, connections, seconds, headers=()):
    """One wrk run; requests per second and latency percentiles (ms)."""
    cmd = ["wrk", "-t", str(min(2, connections)), "-c", str(connections), "-d", f"{seconds}s",
           "--latency"]
    for h in headers:
        cmd += ["-H", h]
    out = subprocess.run(cmd + [url], text=True, capture_output=True, timeout=seconds + 30)
    if out.returncode != 0:
        raise RuntimeError(f"wrk {url} failed: {out.stderr.strip()[-300:]}")
    rps = re.search(r"Requests/sec:\s+([0-9.]+)", out.stdout)
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out.stdout)

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([0-9.]+)(us|ms|s)\s*$", out.stdout, re.M)
        if not m:
            return float("nan")
        v, unit = float(m.group(1)), m.group(2)
        return v / 1000 if unit == "us" else v * 1000 if unit == "s" else v

    return {"rps": float(rps.group(1)) if rps else float("nan"), "p50": pct(50), "p99": pct(99),
            "non2xx": int(errors.group(1)) if errors else 0}


def run_http(nginx, agent_target, connections_list, reps, seconds, warm_limit=12, settle=0.05):
    """Interleaved runs over the paths that exist; results[connections][path] = samples.

    agent_target is (url, headers) for the agent's HTTP listener, or None while the agent has none.
    Each path is first warmed up (as pgbench's paths are) until two consecutive runs at 32
    connections differ by less than `settle`, or `warm_limit` runs.
    """
    targets = [("direct", f"http://127.0.0.1:{nginx.origin_port}/", ()),
               ("nginx", f"http://127.0.0.1:{nginx.proxy_port}/", ())]
    if agent_target:
        targets.append(("ward", agent_target[0], agent_target[1]))
    for name, url, headers in targets:
        try:
            n = until_settled(lambda: wrk(url, 32, seconds, headers)["rps"], settle, warm_limit)
            print(f"  warmed up {name} ({n} runs)", flush=True)
        except (RuntimeError, subprocess.TimeoutExpired) as e:
            print(f"  warming up {name} failed: {e}", flush=True)  # the runs will say so too
    results = {}
    for rep in range(reps):
        for c in connections_list:
            order = targets[rep % len(targets):] + targets[:rep % len(targets)]
            for name, url, headers in order:
                try:
                    s = wrk(url, c, seconds, headers)
                except (RuntimeError, subprocess.TimeoutExpired) as e:
                    print(f"  wrk through {name} failed: {e}", flush=True)
                    s = {"rps": float("nan"), "p50": float("nan"), "p99": float("nan"), "non2xx": 0}
                results.setdefault(c, {}).setdefault(name, []).append(s)
                print(f"  rep {rep + 1}/{reps} http c={c:<3d} {name:8s} {s['rps']:9.0f} req/s  "
                      f"p50 {s['p50']:.3f} ms  p99 {s['p99']:.3f} ms", flush=True)
    return results


def summary(results):
    return {c: {name: {k: summarize([s[k] for s in samples]) for k in ("rps", "p50", "p99")}
                for name, samples in by.items()} for c, by in results.items()}
