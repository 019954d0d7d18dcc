#!/usr/bin/env bash
# Installs what the tests need and this machine lacks (Debian packages, as root).
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/java-home.sh >/dev/null

# command → Debian package that provides it
declare -A wanted=(
  [psql]=postgresql-client
  [pgbench]=postgresql-contrib
  [git]=git
  [curl]=curl
  [pgbouncer]=pgbouncer
  [haproxy]=haproxy
  [wrk]=wrk
  [nginx]=nginx-light
  [node]=nodejs
  [npm]=npm
  [shellcheck]=shellcheck
  # verifies the agent's systemd unit (terraform/test/install-script.test.mjs)
  [systemd-analyze]=systemd
  # the console's browser tests (playwright-core drives it headless)
  [chromium]=chromium
)
missing=()
for cmd in "${!wanted[@]}"; do
  command -v "$cmd" >/dev/null 2>&1 || missing+=("${wanted[$cmd]}")
done
# The benchmark harness plots with Debian's matplotlib (the system python3).
/usr/bin/python3 -c 'import matplotlib' >/dev/null 2>&1 || missing+=(python3-matplotlib)
# A PostgreSQL server's binaries, for tests that start their own cluster.
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Missing test prerequisites: ${missing[*]}. Install them (as root: apt-get install ${missing[*]})." >&2
    exit 1
  fi
  echo "Installing test prerequisites: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# The tests use a PostgreSQL server on 127.0.0.1:5432 (trust auth), as this machine kind has.
if ! pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "Starting the local PostgreSQL server"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
  fi
fi
