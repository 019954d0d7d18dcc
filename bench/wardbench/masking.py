"""Masking throughput: the JMH benchmark in bench/masking, full rule set, clean and secret-laden."""
import json
import subprocess

from .common import ROOT, summarize


def run_masking(workdir, quick=False):
    """results[text] = summary of MB/s per core over JMH's measurement iterations."""
    out = workdir / "jmh.json"
    opts = ["-p", "rules=full", "-rf", "json", "-rff", str(out)]
    if quick:
        opts += ["-wi", "1", "-w", "1s", "-i", "2", "-r", "1s"]
    proc = subprocess.run([str(ROOT / "bench/masking/run.sh"), *opts], text=True,
                          capture_output=True, cwd=ROOT, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError("masking JMH failed: " + (proc.stderr or proc.stdout).strip()[-500:])
    results = {}
    for entry in json.loads(out.read_text()):
        text = entry["params"]["text"]
        raw = [v for fork in entry["primaryMetric"]["rawData"] for v in fork]
        results[text] = summarize(raw)
        print(f"  masking full rules, {text:12s} {results[text]['median']:8.1f} MB/s per core",
              flush=True)
    return results
