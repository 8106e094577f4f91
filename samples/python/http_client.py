#!/usr/bin/env python3
"""Submit a task over Lighthouse's HTTP API and wait for its end, with the standard library only (docs/http-api.md).

    LIGHTHOUSE_URL=http://127.0.0.1:9000 python3 samples/python/http_client.py echo '{"hello": "world"}'

LIGHTHOUSE_TOKEN is sent as "Authorization: Bearer ..." when set; LIGHTHOUSE_CA names the CA certificate (PEM) of an
https:// host. Prints the task's final status object; exits 0 when it succeeded, 1 otherwise.
"""
import json, os, ssl, sys, urllib.request

url, token = os.environ.get("LIGHTHOUSE_URL", "http://127.0.0.1:9000"), os.environ.get("LIGHTHOUSE_TOKEN")
headers = {"Content-Type": "application/json", **({"Authorization": f"Bearer {token}"} if token else {})}
tls = ssl.create_default_context(cafile=os.environ.get("LIGHTHOUSE_CA"))
def call(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    with urllib.request.urlopen(urllib.request.Request(url + path, data, headers, method=method), timeout=90, context=tls) as answer:
        return json.load(answer)
task = call("POST", "/api/tasks", {"name": sys.argv[1], "payload": json.loads(sys.argv[2] if len(sys.argv) > 2 else "{}")})
while (status := call("GET", f"/api/tasks/{task['id']}?wait=60"))["state"] in ("queued", "running"): pass
print(json.dumps(status)); sys.exit(0 if status["state"] == "succeeded" else 1)
