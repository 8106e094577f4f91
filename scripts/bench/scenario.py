#!/usr/bin/env python3
"""Writes a `lighthouse place` scenario of NODES nodes and WORKLOADS workloads (one batch) to standard output, the
same for the same arguments (docs/benchmarks.md "Command start-up"):

    python3 scripts/bench/scenario.py 1000 10000 > /tmp/scenario-1k-10k.json
"""
import json, random, sys

nodes, workloads = int(sys.argv[1]), int(sys.argv[2])
rng = random.Random(int(sys.argv[3]) if len(sys.argv) > 3 else 15)
scenario = {
    "description": f"generated: {nodes} nodes, {workloads} workloads",
    "strategy": "bin-pack",
    "rubric": {"cpu": 1, "mem": 0.5, "disk": 0.025},
    "nodes": [{"name": f"node-{i}", "resources": {"cpu": rng.choice([16, 32, 64]), "mem": rng.choice([64, 128, 256]),
                                                  "disk": rng.choice([500, 1000, 2000])}} for i in range(nodes)],
    "batches": [[{"name": f"w-{i}", "requirements": {"cpu": rng.choice([1, 2, 4, 8]), "mem": rng.choice([2, 4, 8, 16]),
                                                      "disk": rng.choice([10, 20, 50])}} for i in range(workloads)]],
}
json.dump(scenario, sys.stdout)
