#!/usr/bin/env bash
# Installs Debian's python3 for the process handler tests (tests/Lighthouse.Worker.Tests/Processes run
# samples/python/render.py). Idempotent: does nothing when python3 is already on PATH. Quiet and
# non-interactive, so scripts/test and CI can call it on every run.
set -euo pipefail

if command -v python3 >/dev/null 2>&1; then
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  sudo="sudo"
fi

export DEBIAN_FRONTEND=noninteractive
log=$(mktemp)
trap 'rm -f "$log"' EXIT
# Quiet on success; on failure the log says why.
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends python3; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "scripts/deps/python3.sh: installing Debian's python3 failed (see above)" >&2
  exit 1
fi

if ! command -v python3 >/dev/null 2>&1; then
  echo "scripts/deps/python3.sh: apt-get installed python3 but it is not on PATH" >&2
  exit 1
fi
