#!/usr/bin/env python3
"""A Lighthouse task in Python: run it with

    lighthouse-worker --exec 'render=python3 samples/python/render.py'

and submit `render` tasks with a payload like {"text": "hello", "times": 3}.

The protocol (docs/workers.md): the payload is JSON on standard input; the result is JSON on standard output;
a line `progress N` (0-100) on standard error reports progress; any other standard-error line is kept for the
error message; exit code 0 is success, anything else is failure. LIGHTHOUSE_TASK_ID, LIGHTHOUSE_TASK_NAME,
LIGHTHOUSE_USER and LIGHTHOUSE_ATTEMPT say which task this is. Only the standard library is used.
"""
import json
import os
import sys


def progress(percent):
    # One line per report, flushed at once: the worker reads standard error as it comes.
    print(f"progress {percent}", file=sys.stderr, flush=True)


def main():
    payload = json.load(sys.stdin)
    if not isinstance(payload, dict) or not isinstance(payload.get("text"), str):
        print('the payload needs "text", a string, as in {"text": "hello", "times": 3}', file=sys.stderr)
        return 2
    times = payload.get("times", 1)
    if not isinstance(times, int) or not 0 <= times <= 1000:
        print(f'"times" must be a whole number from 0 to 1000; got {times!r}', file=sys.stderr)
        return 2

    rendered = ""
    for i in range(times):
        rendered += payload["text"]
        progress(round((i + 1) * 100 / times))
    progress(100)

    json.dump({
        "rendered": rendered,
        "task": os.environ.get("LIGHTHOUSE_TASK_ID"),
        "user": os.environ.get("LIGHTHOUSE_USER"),
        "attempt": int(os.environ.get("LIGHTHOUSE_ATTEMPT", "1")),
    }, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
