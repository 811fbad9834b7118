"""Requests per second and p99 latency of POST /api/v1/assess without a photo, with wrk.

Run: `make bench-web` (installs Debian's wrk where missing), or
`.venv/bin/python -m benchmarks.bench_web [--workers 2] [--seconds 20] [--connections 32]`.

Starts `linkvet serve` (uvicorn, `--workers` processes) on a free loopback port with a fresh
data folder, makes an API token, and drives the assess endpoint with a realistic contact (a
profile with experience and an approach message, no photo) from wrk on the same machine. In the
same run, the floor: GET /api/v1/health, which goes through the same server, middleware and
token-free routing but assesses nothing; the ratio says what the assessment itself costs.
Targets (issue 7): at least 300 requests per second with p99 under 50 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Final

ROOT: Final = Path(__file__).resolve().parent.parent
LINKVET: Final = str(Path(sys.executable).parent / "linkvet")
PROFILE: Final = {
    "platform": "linkedin",
    "name": "Michael Chen",
    "headline": "Research Director, Global Policy Dialogue Institute",
    "location": "Washington DC-Baltimore Area",
    "about": "Our institute brings together senior practitioners for closed-door dialogue.",
    "counts": {"connections": 142, "followers": 96},
    "experience": [
        {"title": "Research Director", "organisation": "Global Policy Dialogue Institute",
         "start": "May 2024", "current": True},
    ],
    "invitation": {
        "text": "Hello, I was impressed by your background. Our institute commissions short "
        "papers from experts and covers all travel costs. Could we continue on WhatsApp?"
    },
}  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def wait_until_up(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"the server did not answer at {url}")


def run_wrk(
    url: str, *, token: str, body: str | None, seconds: int, connections: int
) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(f'wrk.headers["Authorization"] = "Bearer {token}"\n')
        if body is not None:
            script.write('wrk.method = "POST"\n')
            script.write('wrk.headers["Content-Type"] = "application/json"\n')
            script.write(f"wrk.body = {json.dumps(body)}\n")
    try:
        output = subprocess.run(
            ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", "-s", script.name, url],
            capture_output=True, text=True, check=True,
        ).stdout  # fmt: skip
    finally:
        os.unlink(script.name)
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output)[1])  # type: ignore[index]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
    assert p99 is not None, output
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99[2]]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": rate,
        "p99_ms": float(p99[1]) * scale,
        "non_2xx": float(errors[1]) if errors else 0.0,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=32)
    arguments = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: `make bench-web` installs it (Debian package wrk)")
    folder = Path(tempfile.mkdtemp(prefix="linkvet-bench-web-"))
    environment = {**os.environ, "LINKVET_VAR": str(folder)}
    token = subprocess.run(
        [LINKVET, "token", "create", "bench", "--scopes", "assess"],
        capture_output=True, text=True, check=True, env=environment, cwd=folder,
    ).stdout.strip()  # fmt: skip
    port = free_port()
    server = subprocess.Popen(
        [LINKVET, "serve", "--port", str(port), "--workers", str(arguments.workers)],
        env=environment, cwd=folder,
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{port}/api/v1"
        wait_until_up(f"{base}/health")
        body = json.dumps(PROFILE)
        run_wrk(f"{base}/assess", token=token, body=body, seconds=3, connections=4)  # warm-up
        assess = run_wrk(
            f"{base}/assess", token=token, body=body, seconds=arguments.seconds,
            connections=arguments.connections,
        )  # fmt: skip
        floor = run_wrk(
            f"{base}/health", token=token, body=None, seconds=arguments.seconds,
            connections=arguments.connections,
        )  # fmt: skip
    finally:
        server.terminate()
        server.wait(timeout=30)
        shutil.rmtree(folder, ignore_errors=True)
    ratio = assess["requests_per_second"] / floor["requests_per_second"]
    print(
        f"workers={arguments.workers} connections={arguments.connections} seconds={arguments.seconds}"
    )
    print("| endpoint | requests/s | p99 ms | non-2xx |")
    print("|---|---|---|---|")
    for name, figures in (("POST /api/v1/assess", assess), ("GET /api/v1/health (floor)", floor)):
        print(
            f"| {name} | {figures['requests_per_second']:.0f} | {figures['p99_ms']:.1f} | "
            f"{figures['non_2xx']:.0f} |"
        )
    print(f"assess / floor throughput: {ratio:.2f}")


if __name__ == "__main__":
    main()
