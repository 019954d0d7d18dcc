#!/usr/bin/env bash
# Prints the JAVA_HOME of a JDK that can build and run Ward (21 or newer; 25 preferred).
# Exits non-zero with a message a person can act on when there is none.
set -euo pipefail

major() { # $1 = a JDK home; prints its feature version or nothing
  local rel="$1/release"
  [ -x "$1/bin/javac" ] && [ -f "$rel" ] || return 0
  sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$rel"
}

best="" best_v=0
for home in "${JAVA_HOME:-}" /usr/lib/jvm/* /opt/java/* /opt/jdk*; do
  [ -n "$home" ] && [ -d "$home" ] || continue
  v=$(major "$home")
  [ -n "$v" ] || continue
  if [ "$v" -ge 21 ] && { [ "$v" -eq 25 ] || [ "$best_v" -ne 25 ] && [ "$v" -gt "$best_v" ]; }; then
    best="$home" best_v="$v"
  fi
done

if [ -z "$best" ]; then
  echo "Ward needs a JDK 21 or newer (25 recommended) and found none." >&2
  echo "Install one (e.g. Temurin 25 under /usr/lib/jvm) or set JAVA_HOME to it, then retry." >&2
  exit 1
fi
readlink -f "$best"
