"""The documentation says what the code does: schemas current, exit codes and commands listed."""

from __future__ import annotations

import json

import pytest

from linkvet.cli import SCHEMAS, ExitCode, cli, json_schema
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_published_schema_is_current(name: str) -> None:
    published = ROOT / "docs" / "schema" / f"{name}.schema.json"
    assert published.exists(), f"{published} missing: run `make schema`"
    assert json.loads(published.read_text()) == json_schema(name), "stale: run `make schema`"


@pytest.mark.parametrize("code", list(ExitCode))
def test_readme_documents_every_exit_code(code: ExitCode) -> None:
    assert f"| {code.value} |" in README


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_readme_mentions_every_command(command: str) -> None:
    assert f"linkvet {command}" in README


def test_quick_start_is_two_commands() -> None:
    quick_start = README.split("## Quick start", 1)[1].split("```sh", 1)[1].split("```", 1)[0]
    commands = [line.split("#")[0].strip() for line in quick_start.strip().splitlines()]
    assert commands == ["make run", "make test"]


@pytest.mark.parametrize("doc", ["docs/scoring.md", "docs/benchmarks.md"])
def test_linked_docs_exist(doc: str) -> None:
    assert doc in README
    assert (ROOT / doc).is_file()


def test_published_openapi_is_current() -> None:
    from linkvet.web.app import openapi_document

    published = ROOT / "docs" / "openapi.json"
    assert published.exists(), f"{published} missing: run `make schema`"
    assert json.loads(published.read_text()) == openapi_document(), "stale: run `make schema`"
