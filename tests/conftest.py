"""Shared fixtures. Tests build real objects: the real engine, real files, the real CLI."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from linkvet.config import load_config
from linkvet.engine import Engine

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
AS_OF = dt.date(2026, 11, 20)


@pytest.fixture(scope="session", autouse=True)
def _private_store(tmp_path_factory: pytest.TempPathFactory) -> None:
    """`linkvet check` keeps texts in a local store; tests keep theirs out of the checkout."""
    store = tmp_path_factory.mktemp("store") / "linkvet.sqlite"
    os.environ["LINKVET_STORE"] = str(store)


@pytest.fixture(scope="session")
def engine() -> Engine:
    return Engine(config=load_config())


@pytest.fixture(scope="session")
def datasets_dir() -> Path:
    """The shared labelled datasets; tests that need them skip, saying why, when unset."""
    value = os.environ.get("LINKVET_DATASETS")
    if not value:
        pytest.skip("LINKVET_DATASETS is not set: dataset-backed tests need ../shared/datasets")
    path = Path(value)
    if not path.is_dir():
        pytest.fail(f"LINKVET_DATASETS={value} is not a folder")
    return path
