#!/usr/bin/env python3
"""Does a busy local worker starve its host? (docs/durability.md "The host's local worker")

Starts one `lighthouse serve` (SQLite in a temporary directory, loopback ports) and one `lighthouse-worker`, fills the
host's local worker with `cpu` tasks for SECONDS (0 tasks for the control run), and meanwhile probes the scheduler with
one `echo` task at a time that only the separate worker can run (it requires a resource only that worker declares), so
every probe crosses the cluster: HTTP submit on the host, the scheduler's dispatch, the worker's run, its report back.
Prints the probes' latency (p50/p99/max), the cpu tasks finished, and the failure detector's complaints in both logs.

    python3 scripts/bench/host-starvation.py [--cpu-tasks N] [--seconds S] [--host-config FILE]
    (from the repository root, after `dotnet build -c Release`)
"""
import argparse, json, os, re, signal, statistics, subprocess, sys, tempfile, time, urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
HOST = os.path.join(ROOT, "src/Lighthouse.Host/bin/Release/net10.0/lighthouse")
WORKER = os.path.join(ROOT, "src/Lighthouse.Worker.Host/bin/Release/net10.0/lighthouse-worker")
COMPLAINTS = {
    "marked unreachable": re.compile(r"Marking node\(?s?\)? as \[?UNREACHABLE|marking node as UNREACHABLE", re.I),
    "heartbeat growing too large": re.compile(r"heartbeat interval is growing too large"),
    "own heartbeat sending delayed": re.compile(r"Scheduled sending of heartbeat was delayed"),
    "downed/removed": re.compile(r"SBR took decision|removed from the cluster|as DOWN"),
}


def call(port, method, path, body=None, timeout=30):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data else {})
    with urllib.request.urlopen(request, timeout=timeout) as answer:
        return json.loads(answer.read())


def thread_nices(pid):
    """Nice value -> thread names of the process (field 19 of /proc/PID/task/TID/stat; field 2 is the name)."""
    nices = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try: stat = open(f"/proc/{pid}/task/{tid}/stat").read()
        except OSError: continue
        name, rest = stat[stat.index("(") + 1:stat.rindex(")")], stat[stat.rindex(")") + 2:].split()
        nices.setdefault(int(rest[19 - 3]), []).append(name)
    return nices


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cpu-tasks", type=int, default=130, help="cpu tasks of 1 s each submitted at the start (0: control)")
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--host-config", help="extra HOCON for the host, e.g. lighthouse.host.local-worker { slots = 2 }")
    parser.add_argument("--port", type=int, default=24753)
    args = parser.parse_args()

    work = tempfile.mkdtemp(prefix="lh-starve-")
    config = os.path.join(work, "host.conf")
    with open(config, "w") as f:
        f.write(args.host_config or "")
    http_port = args.port + 1
    host_log = open(os.path.join(work, "host.log"), "w")
    worker_log = open(os.path.join(work, "worker.log"), "w")
    host = subprocess.Popen([HOST, "serve", "--config", config, "--port", str(args.port), "--http-port", str(http_port),
                             "--data-dir", os.path.join(work, "data")], stdout=host_log, stderr=subprocess.STDOUT)
    worker = None
    try:
        deadline = time.time() + 60
        while "lighthouse up at" not in open(host_log.name).read():
            if time.time() > deadline or host.poll() is not None: sys.exit(f"the host did not start; see {host_log.name}")
            time.sleep(0.2)
        # Priorities 100 only and a resource of its own: it never takes the cpu tasks (priority 0), only the probes.
        worker = subprocess.Popen([WORKER, "--seed", f"127.0.0.1:{args.port}", "--name", "prober", "--slots", "2",
                                   "--priority-range", "100:100", "--resources", "probe=1000"],
                                  stdout=worker_log, stderr=subprocess.STDOUT)
        while not any(n.get("name") == "prober" for n in call(http_port, "GET", "/api/nodes").get("nodes", [])):
            if time.time() > deadline: sys.exit(f"the worker did not register; see {worker_log.name}")
            time.sleep(0.2)
        local = next(n for n in call(http_port, "GET", "/api/nodes")["nodes"] if n.get("name") != "prober")
        cpu_ids = [call(http_port, "POST", "/api/tasks", {"name": "cpu", "payload": {"ms": 1000}, "user": "load"})["id"]
                   for _ in range(args.cpu_tasks)]
        latencies, start = [], time.time()
        while time.time() - start < args.seconds:
            t0 = time.perf_counter()
            task = call(http_port, "POST", "/api/tasks", {"name": "echo", "payload": {"t": t0}, "user": "probe",
                                                         "priority": 100, "requirements": {"probe": 1}})
            status = call(http_port, "GET", f"/api/tasks/{task['id']}?wait=30")
            if status["state"] != "succeeded": print("probe", task["id"], status["state"], file=sys.stderr)
            latencies.append((time.perf_counter() - t0) * 1000)
            time.sleep(0.2)
        done = sum(1 for i in cpu_ids if call(http_port, "GET", f"/api/tasks/{i}?peek=true")["state"] == "succeeded")
        niced = thread_nices(host.pid)
    finally:
        for process in (worker, host):
            if process and process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try: process.wait(20)
                except subprocess.TimeoutExpired: process.kill(); process.wait()
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))]
    print(f"local worker: {local.get('name')} slots {local.get('slots', local)}; cpu tasks {args.cpu_tasks}, finished {done} in {args.seconds:.0f} s")
    print(f"probes: {len(latencies)}, latency ms p50 {statistics.median(latencies):.1f} p99 {p(0.99):.1f} max {latencies[-1]:.1f}")
    for name, log in (("host", host_log.name), ("worker", worker_log.name)):
        text = open(log).read()
        print(f"{name} log: " + ", ".join(f"{k} {len(r.findall(text))}" for k, r in COMPLAINTS.items()))
    print("host threads by nice: " + "; ".join(f"{n}: {len(names)} ({', '.join(sorted(set(names)))})" for n, names in sorted(niced.items())))
    print(f"logs in {work}; load: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
