"""`linkvet self-check`: clearances and sensitive work named on the person's own profile."""

from __future__ import annotations

import subprocess
import sys
from typing import Any

import pytest

from linkvet.exposure import check_own_profile
from linkvet.model import Profile
from tests.conftest import ROOT

POSITIVE = [
    ({"headline": "Systems Engineer (DV cleared)"}, {"exposure.clearance"}),
    ({"about": "I hold an active SC clearance."}, {"exposure.clearance"}),
    ({"about": "TS/SCI cleared analyst, polygraph."}, {"exposure.clearance"}),
    (
        {"headline": "Ingénieure, habilitation secret défense"},
        {"exposure.clearance", "exposure.sensitive_work"},
    ),
    ({"about": "I work on classified projects for the Ministry."}, {"exposure.sensitive_work"}),
    (
        {"experience": [{"title": "Engineer", "organisation": "AWE Aldermaston"}]},
        {"exposure.sensitive_work"},
    ),
    (
        {"headline": "DV cleared | nuclear programme lead"},
        {"exposure.clearance", "exposure.sensitive_work"},
    ),
]
NEGATIVE: list[dict[str, Any]] = [
    {"headline": "Backend engineer at Monzo"},
    {"about": "MSc in Computer Science; I cleared the support backlog in a week."},
    {"about": "Security engineer: threat modelling, code review, incident response."},
    {"headline": "Nurse at NHS Lothian"},
    {"about": "I do not hold any security clearance and have never needed one."},
    {"about": "Product designer who loves accessible public services."},
    {"experience": [{"title": "Data scientist", "organisation": "Scottish Water"}]},
    {"headline": "SC Johnson brand manager"},
]


@pytest.mark.parametrize(("profile", "codes"), POSITIVE)
def test_exposures_are_found(profile: dict[str, Any], codes: set[str]) -> None:
    findings = check_own_profile(Profile.model_validate(profile))
    assert {finding.code for finding in findings} == codes
    assert all(finding.advice for finding in findings)


@pytest.mark.parametrize("profile", NEGATIVE)
def test_ordinary_profiles_expose_nothing(profile: dict[str, Any]) -> None:
    assert check_own_profile(Profile.model_validate(profile)) == []


def test_the_command_exits_by_what_it_found() -> None:
    def run(text: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "linkvet", "self-check", "-"],
            input=text, capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
        )  # fmt: skip

    exposed = run('{"headline": "DV cleared engineer"}')
    assert exposed.returncode == 3
    assert "clearance" in exposed.stdout
    assert run('{"headline": "Baker"}').returncode == 0
    assert run("[1, 2]").returncode == 5
