"""A small process that starts the benchmark's children and reports their wall time and peak RSS.

Why a separate process: on Linux a child's ``ru_maxrss`` is at least the resident size of the process it was
forked from (the high-water mark survives fork and exec), so children forked from the benchmark itself,
after it has imported ReportLab and built documents, would report the benchmark's memory, not their own.
This spawner is started first, while the benchmark is still small, and stays small (stdlib only).

Protocol: one JSON request per line on stdin ``{"cmd": [...], "cwd": "...", "timeout": s, "env": {...}}``;
one JSON reply per line on stdout ``{"wall": s, "maxrss_kib": n, "returncode": n, "stdout": "...",
"stderr": "..."}``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from typing import Any


def run(request: dict[str, Any]) -> dict[str, Any]:
    env = dict(os.environ, **request.get("env", {}))
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(request["cmd"], stdout=out, stderr=err, env=env, cwd=request.get("cwd"))
        timer = threading.Timer(float(request.get("timeout", 1200)), proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        wall = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "wall": wall,
            "maxrss_kib": usage.ru_maxrss,
            "returncode": proc.returncode,
            "stdout": out.read().decode("utf-8", "replace"),
            "stderr": err.read().decode("utf-8", "replace"),
        }


def main() -> int:
    for line in sys.stdin:
        if not line.strip():
            continue
        reply = run(json.loads(line))
        sys.stdout.write(json.dumps(reply) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
