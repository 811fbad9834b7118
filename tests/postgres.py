"""A throw-away PostgreSQL cluster on loopback for the store tests and benchmarks.

Debian's server binaries (`make test` installs the `postgresql` package where missing) make a
cluster in a temporary folder, listening only on 127.0.0.1 on a free port with trust
authentication, and it is stopped and deleted afterwards. PostgreSQL refuses to run as root, so
as root the cluster runs as the `postgres` user the Debian package creates.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

BIN_GLOB: Final = "/usr/lib/postgresql/*/bin"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries: `make test` installs Debian's postgresql package."""


def server_binaries() -> Path:
    found = sorted(Path("/").glob(BIN_GLOB.lstrip("/")), key=lambda p: int(p.parent.name))
    if not found or not (found[-1] / "initdb").exists():
        raise PostgresUnavailable(
            "PostgreSQL's server is not installed (Debian: apt-get install postgresql; "
            "`make test` does this)"
        )
    return found[-1]


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


def _run(command: list[str]) -> None:
    subprocess.run(command, check=True, capture_output=True, text=True)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a cluster; yield the SQLAlchemy URL of an empty `linkvet` database in it."""
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="linkvet-pg-"))
    folder.chmod(0o777)  # the server user writes here, and it is ours alone to delete
    data, port = folder / "data", _free_port()
    try:
        _run(
            _as_server_user([str(binaries / "initdb"), "-D", str(data), "-A", "trust",
                             "-U", "postgres", "-E", "UTF8", "--no-sync"]),
        )  # fmt: skip
        options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={folder}"
        _run(
            _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-l",
                             str(folder / "server.log"), "-o", options, "-w", "start"]),
        )  # fmt: skip
        try:
            _run(
                [str(binaries / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres",
                 "linkvet"],
            )  # fmt: skip
            yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/linkvet"
        finally:
            subprocess.run(
                _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                 "stop"]),
                check=False, capture_output=True,
            )  # fmt: skip
    except subprocess.CalledProcessError as error:
        raise PostgresUnavailable(
            f"the throw-away PostgreSQL cluster did not start: {error.stderr or error.stdout}"
        ) from None
    finally:
        shutil.rmtree(folder, ignore_errors=True)
