"""Schemathesis against the published OpenAPI document: generated requests, valid and not, to
every /api/v1 operation find no server error, and responses match their documented schema."""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from linkvet.web.app import close_app, create_app
from linkvet.web.settings import WebSettings

# Schemathesis reads the schema when the module is collected, so the app is made then, in a
# folder of its own (schemathesis's lazy `from_fixture` does not work with this pytest).
_FOLDER = Path(tempfile.mkdtemp(prefix="linkvet-api-fuzz-"))
APP = create_app(WebSettings(var_dir=_FOLDER, database_url=None, max_upload_bytes=2_000_000))
TOKEN, _ = APP.state.store.create_token("fuzz", ["assess", "report", "learn", "cases"])
schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", APP)


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> Iterator[None]:
    yield
    close_app(APP)
    shutil.rmtree(_FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_has_no_server_errors(case: schemathesis.Case[Any]) -> None:
    case.call_and_validate(
        headers={"authorization": f"Bearer {TOKEN}"},
        checks=[not_a_server_error, response_schema_conformance],
    )


def test_the_published_document_is_the_served_one() -> None:
    published = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"
    assert json.loads(published.read_text()) == APP.openapi()
