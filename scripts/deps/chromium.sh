#!/usr/bin/env bash
# Installs Debian's chromium for the monitor's real-browser test (tests/Lighthouse.Host.Tests/Web).
# Idempotent: does nothing when /usr/bin/chromium is already there. Quiet and non-interactive, so
# scripts/test and CI can call it on every run.
set -euo pipefail

if [ -x /usr/bin/chromium ]; then
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
if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends chromium; } >"$log" 2>&1; then
  cat "$log" >&2
  echo "scripts/deps/chromium.sh: installing Debian's chromium failed (see above)" >&2
  exit 1
fi

if [ ! -x /usr/bin/chromium ]; then
  echo "scripts/deps/chromium.sh: apt-get installed chromium but /usr/bin/chromium is missing" >&2
  exit 1
fi
