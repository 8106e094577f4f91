#!/usr/bin/env bash
# Times a command N times (default 11) and prints the median, minimum and maximum wall-clock seconds, and the median
# user+system CPU seconds (docs/benchmarks.md "Command start-up"). The command's output is discarded.
#   scripts/bench/startup.sh 11 lighthouse nodes --host 127.0.0.1:4053
set -euo pipefail
runs=$1; shift
times=$(mktemp); trap 'rm -f "$times"' EXIT
for _ in $(seq "$runs"); do
  /usr/bin/time -f "%e %U %S" -a -o "$times" "$@" >/dev/null 2>&1 || true
done
python3 - "$times" "$*" <<'PY'
import statistics, sys
rows = [list(map(float, line.split())) for line in open(sys.argv[1]) if line[0].isdigit()]
wall = [r[0] for r in rows]; cpu = [r[1] + r[2] for r in rows]
print(f"{sys.argv[2]}: median {statistics.median(wall):.2f} s (min {min(wall):.2f}, max {max(wall):.2f}), cpu {statistics.median(cpu):.2f} s, {len(rows)} runs")
PY
