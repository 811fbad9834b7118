"""kill -9 of the real web server in the middle of a burst of reports: every report that
/api/v1 acknowledged with 201 is in the store afterwards, on SQLite and on PostgreSQL.

`linkvet serve` runs with two uvicorn workers in a session of its own, so that one SIGKILL to
the process group takes down the supervisor and every worker at once, as a crash or the OOM
killer would. test_store.py kills a process calling the store directly; this goes through HTTP.
"""

from __future__ import annotations

import contextlib
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import httpx
import pytest

from linkvet.store import open_store
from linkvet.web.settings import WebSettings
from tests.test_web import APPROACH

WORKERS: Final = 2
CLIENTS: Final = 8  # more than the workers, so that requests queue and some are in flight
KILL_AFTER: Final = 100  # reports acknowledged before the kill
MOST_PER_CLIENT: Final = 5_000  # a bound, should the server never get to KILL_AFTER
READY_WITHIN: Final = 30.0  # seconds
BURST_WITHIN: Final = 30.0
PROFILE_TEXT: Final = """\
Dana Whitfield
Senior Talent Partner | Connecting experts with global opportunities
London, England, United Kingdom · Contact info
500+ connections
About
I connect experts with well-paid advisory work. Remote, flexible, generous.
"""


@dataclass
class Burst:
    """Client threads posting reports until the server goes away, and what each of them saw.
    Every report has a note of its own, by which the store's contents are told apart."""

    client: httpx.Client
    check_id: str
    acknowledged: dict[str, str] = field(default_factory=dict)  # report id -> note
    refused: dict[str, str] = field(default_factory=dict)  # note -> the answer, not 201
    # note -> when the request was sent, and what httpx said when no answer came
    unanswered: dict[str, tuple[float, str]] = field(default_factory=dict)
    killed_at: float = math.inf
    enough: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def run(self, number: int) -> None:
        for sent in range(MOST_PER_CLIENT):
            note = f"burst {number}-{sent}"
            started = time.monotonic()
            try:
                response = self.client.post(
                    "/api/v1/reports", json={"check_id": self.check_id, "note": note}
                )
            except httpx.TransportError as error:
                with self._lock:
                    self.unanswered[note] = (started, f"{type(error).__name__}: {error}")
                return
            with self._lock:
                if response.status_code == 201:
                    self.acknowledged[response.json()["id"]] = note
                else:
                    self.refused[note] = f"{response.status_code} {response.text[:300]}"
                if len(self.acknowledged) >= KILL_AFTER:
                    self.enough.set()

    @property
    def in_flight(self) -> set[str]:
        """The notes of requests sent before the kill that never got an answer."""
        return {note for note, (started, _) in self.unanswered.items() if started < self.killed_at}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _log(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-3_000:] or "(nothing)"


@contextlib.contextmanager
def _serving(settings: WebSettings, port: int, log: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`linkvet serve` in its own session, answering /api/v1/health; killed on the way out."""
    environment = {**os.environ, "LINKVET_VAR": str(settings.var_dir)}
    environment.pop("LINKVET_DATABASE_URL", None)
    if settings.database_url:
        environment["LINKVET_DATABASE_URL"] = settings.database_url
    with log.open("wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "linkvet", "serve", "--port", str(port),
             "--workers", str(WORKERS)],
            cwd=settings.var_dir.parent, env=environment, stdout=output, stderr=output,
            start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + READY_WITHIN
        while True:
            with contextlib.suppress(httpx.TransportError):
                if httpx.get(f"http://127.0.0.1:{port}/api/v1/health").status_code == 200:
                    break
            if server.poll() is not None:
                pytest.fail(f"the server exited with {server.returncode}:\n{_log(log)}")
            if time.monotonic() > deadline:
                pytest.fail(f"the server did not answer within {READY_WITHIN:.0f} s:\n{_log(log)}")
            time.sleep(0.1)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=10)


def _wait_until_nothing_listens(port: int) -> None:
    """Workers hold the listening socket too: while one lives, connections are accepted."""
    deadline = time.monotonic() + 5
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
        except ConnectionRefusedError:
            return
        if time.monotonic() > deadline:
            pytest.fail(f"port {port} still accepts connections: a worker outlived the kill")
        time.sleep(0.05)


def test_kill_9_mid_burst_loses_no_acknowledged_report(database_url: str, tmp_path: Path) -> None:
    # SQLite as `make run` keeps it (var/cases.sqlite, found by the server itself), or the
    # session's PostgreSQL cluster.
    url = database_url if database_url.startswith("postgresql") else None
    database = "postgresql" if url else "sqlite"
    settings = WebSettings(var_dir=tmp_path / "var", database_url=url)
    settings.var_dir.mkdir()
    with open_store(settings.store_url) as store:
        token, _ = store.create_token("kill-9 burst", ["assess", "report"])
    port, log = _free_port(), tmp_path / "server.log"

    with (
        _serving(settings, port, log) as server,
        httpx.Client(
            base_url=f"http://127.0.0.1:{port}",
            headers={"authorization": f"Bearer {token}"},
            timeout=30,
            limits=httpx.Limits(max_connections=CLIENTS),
        ) as client,
    ):
        # Multipart, as a browser or script sends the check form.
        fields = {"profile_text": PROFILE_TEXT, "messages_text": APPROACH}
        check = client.post("/api/v1/checks", files={k: (None, v) for k, v in fields.items()})
        assert check.status_code == 200, f"{check.status_code} {check.text}\n{_log(log)}"
        burst = Burst(client, check.json()["id"])
        threads = [threading.Thread(target=burst.run, args=(n,)) for n in range(CLIENTS)]
        for thread in threads:
            thread.start()
        reached = burst.enough.wait(timeout=BURST_WITHIN)
        burst.killed_at = time.monotonic()
        os.killpg(server.pid, signal.SIGKILL)
        for thread in threads:
            thread.join(timeout=30)
        assert server.wait(timeout=10) == -signal.SIGKILL
        _wait_until_nothing_listens(port)

    assert not any(thread.is_alive() for thread in threads), "a client still waits for an answer"
    with open_store(settings.store_url) as store:
        stored = {record.id: record.note for record in store.list_reports(limit=1_000)}
    lost = [key for key, note in burst.acknowledged.items() if stored.get(key) != note]
    # Besides the acknowledged reports, only those whose answer the kill cut off may be there.
    others = [note for key, note in stored.items() if key not in burst.acknowledged]
    unexplained = [note for note in others if note not in burst.in_flight]
    counts = (
        f"{database}: {len(burst.acknowledged)} acknowledged, {len(stored)} stored, "
        f"{len(lost)} lost; {len(burst.in_flight)} requests in flight at the kill "
        f"({len(others) - len(unexplained)} of them stored), {len(burst.refused)} refused"
    )
    print(f"\nkill -9 of `linkvet serve` mid-burst, {counts}")
    refusals = list(burst.refused.values())[:3]
    assert reached, f"{counts}: too slow to reach {KILL_AFTER} ({refusals}):\n{_log(log)}"
    assert len(stored) < 1_000, f"{counts}: more than one page of reports"
    assert lost == [], f"{counts}: acknowledged reports lost or changed: {lost[:5]}"
    assert unexplained == [], f"{counts}: stored, though refused or sent after the kill"
    # Proof that the kill landed mid-burst, not in a lull between requests.
    assert burst.in_flight, f"{counts}: no request was in flight at the kill"
