"""The ways from a PostgreSQL client to the upstream: direct, pgbouncer, haproxy, the Ward agent."""
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

from .common import ROOT, free_port, http_json, run, wait_port


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
    """pgbouncer; session pooling (the mode that keeps PostgreSQL's session semantics) unless told."""

    name = "pgbouncer"

    def __init__(self, up, workdir, pool_mode="session", pool_size=100, label="pgbouncer"):
        self.up, self.port, self.proc = up, free_port(), None
        self.dir = Path(workdir) / label
        self.pool_mode, self.pool_size = pool_mode, pool_size

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
pool_mode = {self.pool_mode}
max_client_conn = 1000
default_pool_size = {self.pool_size}
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
    own folder, with its connection pointed at the benchmark's upstream database. Also gives the
    harness the stack's API, the agent's /readyz and the storage folders.
    """

    name = "ward"

    def __init__(self, up, workdir):
        self.up, self.home, self.proc, self.values = up, Path(workdir) / "ward", None, {}

    def start(self):
        java_home = run([str(ROOT / "scripts" / "java-home.sh")]).stdout.strip()
        env = dict(os.environ, WARD_DEV_HOME=str(self.home), WARD_DEV_KEYCLOAK="off",
                   WARD_DEV_UPSTREAM=f"{self.up.host}:{self.up.port}/{self.up.dbname}/{self.up.user}")
        java = [f"{java_home}/bin/java", "--enable-native-access=ALL-UNNAMED",
                "--sun-misc-unsafe-memory-access=allow", f"-Dward.home={ROOT}",
                "-cp", f"{ROOT}/stack/target/ward-stack-0.1.0-SNAPSHOT.jar:{ROOT}/stack/target/lib/*",
                "dev.ward.stack.DevStack"]
        self.log = open(Path(self.home.parent) / "ward-stack.log", "w")
        self.proc = subprocess.Popen(java, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        env_file = self.home / "env"
        deadline = time.time() + 400
        while not env_file.exists():
            if self.proc.poll() is not None or time.time() > deadline:
                self.log.flush()
                tail = Path(self.log.name).read_text(errors="replace").splitlines()[-15:]
                logs = self.home / "logs"
                for f in sorted(logs.glob("*.log")) if logs.exists() else []:
                    tail += [f"--- {f.name}"] + f.read_text(errors="replace").splitlines()[-10:]
                raise RuntimeError("the Ward stack did not start:\n" + "\n".join(tail))
            time.sleep(0.5)
        for line in env_file.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                self.values[k] = v
        m = re.match(r"postgresql://([^:]+):([^@]+)@([^:]+):(\d+)/([^?]+)", self.values["WARD_PG_DSN"])
        self.user, self.grant, self.host, self.port, self.db = m.groups()

    def stop(self):
        if self.proc:
            # SIGTERM, not SIGINT: a JVM started from a background job inherits SIGINT ignored
            # and would never run its shutdown hook
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
            self.log.close()

    def env(self):
        return {"PGPASSWORD": self.grant, "PGSSLMODE": "disable"}

    def dsn(self):
        return dict(host=self.host, port=int(self.port), user=self.user, dbname=self.db)

    # ---- what the other measurements need from the running stack ----

    def api(self, method, path, body=None, headers=None):
        h = {"Authorization": f"Bearer {self.values['WARD_API_TOKEN']}"}
        h.update(headers or {})
        return http_json(self.values["WARD_API_URL"] + path, method, body, h)

    def readiness(self):
        status, _, body = http_json(self.values["WARD_AGENT_HEALTH_URL"], timeout=5)
        return body if isinstance(body, dict) else {}

    def agent_pid(self):
        """The agent's process id, found by the data folder on its command line or environment."""
        marker = str(self.home / "agent")
        for d in Path("/proc").iterdir():
            if not d.name.isdigit():
                continue
            try:
                cmd = (d / "cmdline").read_bytes()
                if b"ward-agent.jar" not in cmd:
                    continue
                if marker.encode() in (d / "environ").read_bytes():
                    return int(d.name)
            except OSError:
                continue
        return None

    def spool_dir(self):
        return self.home / "agent" / "spool"

    def storage_dir(self):
        return self.home / "s3"
