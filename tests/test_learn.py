"""The learning content: built-in modules and quiz validate and say what they must; a security
team's folder overrides and adds; broken files are errors naming the file and the field; the
quiz is marked right; certificates are real PDFs that print a hostile name as text and fetch
nothing."""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from pdfminer.high_level import extract_text
from pydantic import ValidationError

from linkvet.config import load_config
from linkvet.errors import LinkvetError
from linkvet.learn import (
    LEARN_DIR_ENV,
    CertificateError,
    LearnContentError,
    Module,
    Quiz,
    QuizResult,
    certificate_id,
    certificate_pdf,
    load_modules,
    load_quiz,
    loading,
    score_quiz,
)
from linkvet.learn.certificate import certificate_html, clean_name
from tests.conftest import ROOT

ISSUED = dt.date(2026, 11, 20)
REQUIRED_MODULES = {
    "hostile-states",
    "case-consultancy",
    "case-think-tank",
    "case-covert-phone",
    "warning-signs",
    "what-to-do",
}


@pytest.fixture(autouse=True)
def _no_team_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(LEARN_DIR_ENV, raising=False)


@pytest.fixture(scope="module")
def quiz() -> Quiz:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv(LEARN_DIR_ENV, raising=False)
        return load_quiz()


def _answers(quiz: Quiz, *, wrong: int = 0) -> dict[str, str]:
    """Right answers to every item, except the first `wrong` ones."""
    flip = {"likely_fake": "likely_genuine", "likely_genuine": "likely_fake"}
    return {
        item.id: flip[item.answer] if index < wrong else item.answer
        for index, item in enumerate(quiz.items)
    }


def _text(module: Module) -> str:
    parts = [module.title, module.summary, *module.key_points]
    for section in module.sections:
        parts += [section.heading, *section.paragraphs, *section.bullets]
    return "\n".join(parts)


# ---------------------------------------------------------------------------------------------
# Built-in content.


def test_builtin_modules_validate_and_cover_the_required_topics() -> None:
    modules = load_modules()
    assert {module.id for module in modules} >= REQUIRED_MODULES
    assert [m.order for m in modules] == sorted(m.order for m in modules)
    case_studies = [module for module in modules if module.kind == "case_study"]
    assert len(case_studies) >= 3
    # A case study says whether it retells a public case or is a composite, and says so in text.
    for module in case_studies:
        assert module.scenario is not None
        if module.scenario == "composite":
            assert "composite scenario" in _text(module)


def test_every_module_cites_public_sources_over_https() -> None:
    for module in load_modules():
        assert module.sources, module.id
        for source in module.sources:
            parts = urlsplit(source.url)
            assert parts.scheme == "https", (module.id, source.url)
            assert parts.netloc, (module.id, source.url)
            assert source.title.strip()


def test_the_threat_module_gives_the_scale_the_covers_and_the_aims() -> None:
    text = _text(next(m for m in load_modules() if m.id == "hostile-states"))
    needles = ("10,000", "recruiter", "think tank", "consultanc", "WhatsApp")
    for needle in (*needles, "Access", "Information", "Influence"):
        assert needle in text, needle


def test_warning_signs_are_grouped_recognise_then_realise_and_use_real_codes() -> None:
    module = next(m for m in load_modules() if m.id == "warning-signs")
    themes = [section.theme for section in module.sections if section.theme]
    assert "recognise" in themes
    assert "realise" in themes
    assert themes.index("recognise") < themes.index("realise")
    codes = set(re.findall(r"\b[a-z]+(?:_[a-z]+)*\.[a-z]+(?:_[a-z]+)*\b", _text(module)))
    assert len(codes) >= 20
    assert codes <= _known_codes(), codes - _known_codes()


def test_what_to_do_gives_linkedin_steps_and_says_reporting_is_not_accusing() -> None:
    module = next(m for m in load_modules() if m.id == "what-to-do")
    text = _text(module)
    advice = ("Don't accept", "Don't share", "security team", "Reporting is not accusing")
    linkedin = ('"More"', '"Report / Block"', '"Report this conversation"', "Facebook")
    for needle in (*advice, *linkedin):
        assert needle in text, needle
    steps = next(s for s in module.sections if "LinkedIn" in s.heading)
    assert steps.numbered
    assert len(steps.bullets) >= 4


def test_quiz_has_at_least_ten_items_with_both_answers_and_hard_cases(quiz: Quiz) -> None:
    assert len(quiz.items) >= 10
    answers = {item.answer for item in quiz.items}
    assert answers == {"likely_fake", "likely_genuine"}
    hard = [item for item in quiz.items if item.hard]
    assert {item.answer for item in hard} == {"likely_fake", "likely_genuine"}
    for item in quiz.items:
        assert item.card.facts
        assert item.explanation
        if item.answer == "likely_fake":
            assert item.indicators, item.id


def test_quiz_indicators_are_codes_linkvet_reports(quiz: Quiz) -> None:
    known = _known_codes()
    for item in quiz.items:
        assert set(item.indicators) <= known, (item.id, set(item.indicators) - known)


def test_quiz_people_are_invented(quiz: Quiz) -> None:
    public = ("Mallory", "Yeo", "Katie Jones", "Li Wen")
    for item in quiz.items:
        assert not any(name in item.card.name for name in public)


def _known_codes() -> set[str]:
    return {code for family in load_config().families.values() for code in family.signals}


def test_the_format_examples_for_teams_are_valid(tmp_path: Path) -> None:
    readme = (ROOT / "src" / "linkvet" / "learn" / "README.md").read_text(encoding="utf-8")
    module, items = re.findall(r"```yaml\n(.*?)```", readme, flags=re.DOTALL)
    _write(tmp_path / "modules" / "report-to-us.yaml", module)
    _write(tmp_path / "quiz" / "acme-items.yaml", items)
    assert "report-to-us" in {m.id for m in load_modules(tmp_path)}
    assert load_quiz(tmp_path).items[-1].id == "acme-recruiter"


# ---------------------------------------------------------------------------------------------
# Marking.


def test_all_right_is_full_marks(quiz: Quiz) -> None:
    result = score_quiz(quiz, _answers(quiz))
    assert (result.correct, result.total, result.percentage, result.passed) == (
        len(quiz.items),
        len(quiz.items),
        100.0,
        True,
    )
    assert all(item.correct and item.explanation for item in result.items)


@pytest.mark.parametrize(
    ("items", "wrong", "passed"),
    [(10, 2, True), (10, 3, False), (5, 1, True), (14, 2, True), (14, 3, False)],
)
def test_pass_mark_is_eighty_percent_inclusive(
    quiz: Quiz, items: int, wrong: int, passed: bool
) -> None:
    small = Quiz(title=quiz.title, summary=quiz.summary, items=quiz.items[:items])
    result = score_quiz(small, _answers(small, wrong=wrong))
    assert result.correct == items - wrong
    assert result.percentage == pytest.approx(100 * (items - wrong) / items)
    assert result.passed is passed
    assert [item.correct for item in result.items] == [i >= wrong for i in range(items)]


def test_missing_invalid_and_unknown_answers(quiz: Quiz) -> None:
    answers = _answers(quiz)
    first, second = quiz.items[0].id, quiz.items[1].id
    del answers[first]
    answers[second] = "probably fake"
    answers["no-such-item"] = "likely_fake"
    result = score_quiz(quiz, answers)
    assert result.total == len(quiz.items)
    assert result.correct == len(quiz.items) - 2
    assert [(i.given, i.correct) for i in result.items[:2]] == [(None, False), (None, False)]
    assert result.items[0].explanation == quiz.items[0].explanation


def test_a_result_cannot_claim_a_pass_it_did_not_earn(quiz: Quiz) -> None:
    failed = score_quiz(quiz, {}).model_dump()
    assert failed["passed"] is False
    with pytest.raises(ValidationError):
        QuizResult.model_validate({**failed, "passed": True})
    with pytest.raises(ValidationError):
        QuizResult.model_validate({**failed, "correct": failed["total"], "percentage": 100.0})


# ---------------------------------------------------------------------------------------------
# A security team's folder.


def _write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = data if isinstance(data, str) else yaml.safe_dump(data, sort_keys=False)
    path.write_text(text, encoding="utf-8")
    return path


def _module(module_id: str, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": module_id,
        "title": "Our reporting line",
        "summary": "Whom to call in our organisation.",
        "minutes": 2,
        "order": 5,
        "sections": [{"heading": "Call us", "paragraphs": ["Ring the security desk."]}],
        "key_points": ["Ring the desk."],
        "sources": [{"title": "Our intranet", "url": "https://intranet.example.org/security"}],
    }
    return {**data, **changes}


def _quiz_item(item_id: str, answer: str = "likely_fake") -> dict[str, Any]:
    return {
        "id": item_id,
        "answer": answer,
        "card": {"name": "Pat Example", "headline": "Recruiter", "facts": ["New account."]},
        "explanation": "Our own example.",
    }


def test_team_folder_overrides_and_adds(tmp_path: Path, quiz: Quiz) -> None:
    _write(tmp_path / "modules" / "what-to-do.yaml", _module("what-to-do", title="Report to us"))
    _write(tmp_path / "modules" / "our-line.yaml", _module("our-line"))
    replaced = quiz.items[1].id
    _write(
        tmp_path / "quiz" / "ours.yaml",
        {
            "title": "Spot the fake (Acme edition)",
            "items": [_quiz_item(replaced, "likely_fake"), _quiz_item("acme-1")],
        },
    )

    modules = {module.id: module for module in load_modules(tmp_path)}
    assert modules["what-to-do"].title == "Report to us"
    assert "our-line" in modules
    assert set(modules) >= REQUIRED_MODULES
    assert load_modules(tmp_path)[0].id == "our-line"  # order 5 comes first

    team_quiz = load_quiz(tmp_path)
    assert team_quiz.title == "Spot the fake (Acme edition)"
    assert team_quiz.summary == quiz.summary
    assert [item.id for item in team_quiz.items] == [i.id for i in quiz.items] + ["acme-1"]
    assert team_quiz.items[1].explanation == "Our own example."
    assert load_quiz() == quiz  # the built-in content is untouched


def test_team_folder_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    _write(tmp_path / "modules" / "our-line.yaml", _module("our-line"))
    monkeypatch.setenv(LEARN_DIR_ENV, str(tmp_path))
    assert "our-line" in {module.id for module in load_modules()}
    assert len(load_quiz().items) >= 10  # no quiz folder: the built-in quiz


def _error(tmp_path: Path) -> LearnContentError:
    with pytest.raises(LearnContentError) as caught:
        load_modules(tmp_path)
    error = caught.value
    assert isinstance(error, LinkvetError)
    # Raised on purpose, with no chained exception behind it for a traceback to show.
    assert error.__cause__ is None
    assert error.__context__ is None or error.__suppress_context__
    return error


@pytest.mark.parametrize(
    ("content", "field", "problem"),
    [
        ("id: x\ntitle: [unclosed\n", None, "not valid YAML"),
        ("- just\n- a list\n", None, "mapping"),
        (_module("m", colour="red"), "colour", "unknown field"),
        (
            _module("m", sections=[{"heading": "H", "paragraphs": ["p"], "bulets": ["b"]}]),
            "sections[0].bulets",
            "unknown field",
        ),
        (
            _module("m", sources=[{"title": "Plain", "url": "http://example.org/"}]),
            "sources[0].url",
            "https",
        ),
        (
            _module("m", sources=[{"title": "Script", "url": "javascript:alert(1)"}]),
            "sources[0].url",
            "https",
        ),
        (_module("m", id="Not An Id"), "id", "pattern"),
        (_module("m", kind="case_study"), None, "scenario"),
        ({k: v for k, v in _module("m").items() if k != "key_points"}, "key_points", "required"),
        ("a: &x [1, 2]\nb: *x\n", None, "aliases"),
        ("id: a\nid: b\n", None, "given twice"),
    ],
)
def test_a_broken_module_file_names_the_file_and_the_field(
    tmp_path: Path, content: Any, field: str | None, problem: str
) -> None:
    path = _write(tmp_path / "modules" / "broken.yaml", content)
    message = str(_error(tmp_path))
    assert str(path) in message
    assert problem in message
    if field:
        assert f"{field}:" in message
    assert "Traceback" not in message


def test_a_broken_quiz_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    item = _quiz_item("acme-1")
    item["answer"] = "maybe"
    path = _write(tmp_path / "quiz" / "ours.yaml", {"items": [item]})
    with pytest.raises(LearnContentError) as caught:
        load_quiz(tmp_path)
    assert str(path) in str(caught.value)
    assert "items[0].answer" in str(caught.value)


def test_an_oversize_file_is_refused_unread(tmp_path: Path) -> None:
    path = _write(tmp_path / "modules" / "huge.yaml", "# " + "x" * loading.MAX_FILE_BYTES)
    message = str(_error(tmp_path))
    assert str(path) in message
    assert "larger than" in message


def test_too_many_files_are_refused(tmp_path: Path) -> None:
    for number in range(loading.MAX_FILES + 1):
        _write(tmp_path / "modules" / f"m{number:03}.yaml", _module(f"m{number:03}"))
    assert "more than" in str(_error(tmp_path))


def test_non_utf8_and_duplicate_ids_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "modules" / "latin1.yaml"
    path.parent.mkdir()
    path.write_bytes("title: caf\xe9\n".encode("latin-1"))
    assert "UTF-8" in str(_error(tmp_path))
    path.unlink()
    _write(tmp_path / "modules" / "a.yaml", _module("same"))
    second = _write(tmp_path / "modules" / "b.yaml", _module("same"))
    message = str(_error(tmp_path))
    assert str(second) in message
    assert "a.yaml" in message


@pytest.mark.parametrize("layout", ["missing", "flat", "empty"])
def test_a_misplaced_team_folder_is_an_error(tmp_path: Path, layout: str) -> None:
    folder = tmp_path / "learn"
    if layout != "missing":
        folder.mkdir()
    if layout == "flat":
        _write(folder / "our-line.yaml", _module("our-line"))
    with pytest.raises(LearnContentError) as caught:
        load_modules(folder)
    assert str(folder) in str(caught.value)


# ---------------------------------------------------------------------------------------------
# Certificates.


@pytest.fixture(scope="module")
def passed(quiz: Quiz) -> QuizResult:
    return score_quiz(quiz, _answers(quiz, wrong=1))


def _pdf_text(pdf: bytes) -> str:
    return " ".join(extract_text(io.BytesIO(pdf)).split())


def test_certificate_is_a_pdf_with_the_name_the_score_and_what_it_means(
    passed: QuizResult,
) -> None:
    name = "Zoë O'Brien & Partners <Ltd>"
    pdf = certificate_pdf(name=name, result=passed, issued=ISSUED, organisation="Acme Ltd")
    assert pdf.startswith(b"%PDF-")
    text = _pdf_text(pdf)
    assert name in text
    assert "Acme Ltd" in text
    assert f"{passed.correct} of {passed.total}" in text
    assert passed.percent_label in text
    assert "20 November 2026" in text
    assert "not a security clearance" in text
    assert certificate_id(name=name, issued=ISSUED, result=passed) in text


def test_an_html_injection_name_is_printed_as_text(passed: QuizResult) -> None:
    name = "<img src=x onerror=alert(1)>"
    html = certificate_html(name=name, result=passed, issued=ISSUED)
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert name in _pdf_text(certificate_pdf(name=name, result=passed, issued=ISSUED))


def test_a_name_with_remote_references_fetches_nothing(
    passed: QuizResult, fetched: list[str]
) -> None:
    name = "<link rel=stylesheet href=http://127.0.0.1:9/x.css> url(http://127.0.0.1:9/y.png)"
    pdf = certificate_pdf(name=name, result=passed, issued=ISSUED, organisation=name)
    assert pdf.startswith(b"%PDF-")
    assert fetched, "the seal (a data: URI) goes through the fetcher"
    assert all(url.startswith("data:") for url in fetched), fetched
    assert "url(http://127.0.0.1:9/y.png)" in _pdf_text(pdf)


def test_the_renderer_refuses_remote_and_local_resources(fetched: list[str]) -> None:
    from linkvet.learn import _pdf

    html = (
        '<link rel="stylesheet" href="https://127.0.0.1:9/a.css">'
        '<img src="http://127.0.0.1:9/b.png"><img src="file:///etc/passwd">'
        '<p style="background: url(ftp://127.0.0.1:9/c.png)">text</p>'
    )
    assert _pdf.html_to_pdf(html).startswith(b"%PDF-")
    assert {url.split(":")[0] for url in fetched} == {"https", "http", "file", "ftp"}
    with pytest.raises(_pdf.RefusedResourceError):
        _pdf.OfflineFetcher().fetch("http://127.0.0.1:9/")


def test_names_are_cleaned_and_capped() -> None:
    assert clean_name("  Ada\x00\x1b[31m \u202eLovelace\t\n") == "Ada[31m Lovelace"
    assert clean_name("Ali\u200cReza") == "Ali\u200cReza"  # a joiner some scripts need stays
    long = clean_name("x" * 500)
    assert len(long) == 100
    assert clean_name(long) == long


def test_certificate_id_matches_name_date_and_score(quiz: Quiz, passed: QuizResult) -> None:
    first = certificate_id(name="Sam Taylor", issued=ISSUED, result=passed)
    assert re.fullmatch(r"LV-[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}", first)
    assert first == certificate_id(name=" Sam\tTaylor ", issued=ISSUED, result=passed)
    full = score_quiz(quiz, _answers(quiz))
    others = {
        certificate_id(name="Sam Tailor", issued=ISSUED, result=passed),
        certificate_id(name="Sam Taylor", issued=ISSUED + dt.timedelta(days=1), result=passed),
        certificate_id(name="Sam Taylor", issued=ISSUED, result=full),
    }
    assert first not in others
    assert len(others) == 3


def test_no_certificate_for_a_fail_or_an_empty_name(quiz: Quiz, passed: QuizResult) -> None:
    failed = score_quiz(quiz, _answers(quiz, wrong=len(quiz.items) // 2))
    with pytest.raises(CertificateError, match="pass"):
        certificate_pdf(name="Sam Taylor", result=failed, issued=ISSUED)
    with pytest.raises(CertificateError, match="empty"):
        certificate_pdf(name="\x00\u202e \t", result=passed, issued=ISSUED)


def test_making_a_certificate_leaves_pillow_strict_about_damaged_images() -> None:
    from PIL import ImageFile

    import linkvet.learn._pdf  # noqa: F401 (imports WeasyPrint)

    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
