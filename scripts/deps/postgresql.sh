#!/usr/bin/env bash
# PostgreSQL for the durability tests and the persistence benchmark (Debian's `postgresql` package).
#
#   scripts/deps/postgresql.sh               install it if missing (apt-get update once), print the bin directory
#   scripts/deps/postgresql.sh start DIR     start a throwaway server: data in DIR (must not exist), 127.0.0.1 only,
#                                            on a free port; prints "PORT USER" once it accepts connections
#   scripts/deps/postgresql.sh stop DIR      stop that server and delete DIR
#
# Idempotent and quiet, so scripts/test and CI can call it on every run. The server trusts local connections
# (a throwaway, loopback-only test server: no password). PostgreSQL refuses to run as root, so as root the
# server runs as the `postgres` user the package creates.
set -euo pipefail

log=$(mktemp)
trap 'rm -f "$log"' EXIT

bindir() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
  [ -n "$dir" ] && [ -x "$dir/pg_ctl" ] && echo "$dir"
}

install() {
  if bindir >/dev/null; then return 0; fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  export DEBIAN_FRONTEND=noninteractive
  # Quiet on success; on failure the log says why.
  if ! { $sudo apt-get update -qq && $sudo apt-get install -y -qq --no-install-recommends postgresql; } >"$log" 2>&1; then
    cat "$log" >&2
    echo "scripts/deps/postgresql.sh: installing Debian's postgresql failed (see above)" >&2
    exit 1
  fi
  if ! bindir >/dev/null; then
    echo "scripts/deps/postgresql.sh: apt-get installed postgresql but no /usr/lib/postgresql/*/bin/pg_ctl was found" >&2
    exit 1
  fi
}

# Runs a command as the server's user: ourselves, or `postgres` when we are root.
as_server() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

# A port the kernel just handed out (python3), else a random high one; start() retries if it is taken after all.
free_port() {
  if command -v python3 >/dev/null 2>&1; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
  else
    echo $((20000 + RANDOM % 40000))
  fi
}

start() {
  local dir=$1
  if [ -e "$dir" ]; then
    echo "scripts/deps/postgresql.sh: $dir already exists; a throwaway server starts in a new directory" >&2
    exit 2
  fi
  install
  local bin user port
  bin=$(bindir)
  user=$(id -un)
  if [ "$(id -u)" -eq 0 ]; then user=postgres; fi
  mkdir -p "$dir"
  if [ "$(id -u)" -eq 0 ]; then chown postgres: "$dir"; fi
  if ! as_server "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 --no-locale >"$log" 2>&1; then
    cat "$log" >&2
    echo "scripts/deps/postgresql.sh: initdb in $dir/data failed (see above)" >&2
    exit 1
  fi
  # A few tries: another process may take the free port between choosing and binding it.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_server "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
         -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=on" start >"$log" 2>&1; then
      echo "$port" >"$dir/port"
      echo "$port $user"
      return 0
    fi
  done
  cat "$log" "$dir/server.log" >&2 2>/dev/null || true
  echo "scripts/deps/postgresql.sh: the server in $dir did not start (see above)" >&2
  exit 1
}

stop() {
  local dir=$1
  if [ -d "$dir/data" ]; then
    local bin
    bin=$(bindir)
    as_server "$bin/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-install}" in
  install) install; bindir ;;
  start) start "${2:?usage: postgresql.sh start DIR}" ;;
  stop) stop "${2:?usage: postgresql.sh stop DIR}" ;;
  *) echo "usage: scripts/deps/postgresql.sh [install | start DIR | stop DIR]" >&2; exit 2 ;;
esac
