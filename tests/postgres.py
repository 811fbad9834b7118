"""A throw-away PostgreSQL cluster on loopback for the store tests and benchmarks.

Debian's server binaries (`make test` installs the `postgresql` package where missing) make a
cluster in a temporary folder, listening only on 127.0.0.1 on a free port with trust
authentication, and it is stopped and deleted afterwards. PostgreSQL refuses to run as root, so
as root the cluster runs as the `postgres` user the Debian package creates.

The tests start one cluster per session (`postgres_cluster` in conftest.py) and give each test
a new database in it, which takes milliseconds where a cluster takes most of a second.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Final

from sqlalchemy import create_engine, make_url, text

BIN_GLOB: Final = "/usr/lib/postgresql/*/bin"
SUPERUSER: Final = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries: `make test` installs Debian's postgresql package."""


class Cluster:
    """A running cluster that makes empty databases and drops them again."""

    def __init__(self, *, port: int) -> None:
        self.port = port
        self._numbers = itertools.count(1)
        # Outside a transaction: PostgreSQL makes and drops databases only so.
        self._admin = create_engine(self.url("postgres"), isolation_level="AUTOCOMMIT")

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of a database in this cluster."""
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def new_database(self) -> str:
        """Make an empty database with a name not used before in this cluster; its URL."""
        name = f"linkvet_{next(self._numbers)}"
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        return self.url(name)

    def drop_database(self, url: str) -> None:
        """Drop a database made by `new_database`, ending any connection still open to it."""
        name = make_url(url).database
        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))

    def close(self) -> None:
        self._admin.dispose()


def server_binaries() -> Path:
    found = sorted(Path("/").glob(BIN_GLOB.lstrip("/")), key=lambda p: int(p.parent.name))
    if not found or not (found[-1] / "initdb").exists():
        raise PostgresUnavailable(
            "PostgreSQL's server is not installed (Debian: apt-get install postgresql; "
            "`make test` does this)"
        )
    return found[-1]


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    """Start a cluster in a temporary folder; stop it and delete the folder afterwards.

    Raises PostgresUnavailable, before yielding, when the binaries are missing or the server
    does not start.
    """
    binaries = server_binaries()
    folder = Path(tempfile.mkdtemp(prefix="linkvet-pg-"))
    try:
        folder.chmod(0o777)  # the server user writes here, and it is ours alone to delete
        data, port = folder / "data", _free_port()
        _start(binaries, folder, data, port)
        cluster = Cluster(port=port)
        try:
            yield cluster
        finally:
            cluster.close()
            subprocess.run(
                _as_server_user([str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate",
                                 "stop"]),
                check=False, capture_output=True,
            )  # fmt: skip
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def throwaway_cluster() -> Iterator[str]:
    """Start a cluster; yield the SQLAlchemy URL of an empty database in it."""
    with running_cluster() as cluster:
        yield cluster.new_database()


def _start(binaries: Path, folder: Path, data: Path, port: int) -> None:
    options = f"-c listen_addresses=127.0.0.1 -p {port} -c unix_socket_directories={folder}"
    commands = [
        [str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", SUPERUSER, "-E", "UTF8",
         "--no-sync"],
        [str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o",
         options, "-w", "start"],
    ]  # fmt: skip
    for command in commands:
        try:
            subprocess.run(_as_server_user(command), check=True, capture_output=True, text=True)
        except subprocess.CalledProcessError as error:
            raise PostgresUnavailable(
                f"the throw-away PostgreSQL cluster did not start: {error.stderr or error.stdout}"
            ) from None


def _as_server_user(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", SUPERUSER, "--", *command]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port
