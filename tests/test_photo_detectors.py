"""The photo detectors through the real engine, with the real rules, the real shipped AI-face model
and dlib's real face models: `photo.forensics`, `photo.metadata` (lightly: it is being written),
`photo.reverse_search`, and `photo.reverse_search_online` against a real HTTP server on
127.0.0.1. Dataset-backed checks read the shared faces (LINKVET_DATASETS); the CLI runs as a user
runs it.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Final

import numpy as np
import pytest
from PIL import Image

from linkvet.api import read_profile_file
from linkvet.config import load_config
from linkvet.engine import Engine
from linkvet.model import Assessment, Profile, Signal
from linkvet.photo.image import load_photo, read_photo_bytes
from linkvet.registry import default_detectors, select_detectors
from tests.conftest import AS_OF, EXAMPLES, ROOT
from tests.test_photo_input import encoded

FAKE_PERSONA: Final = EXAMPLES / "fake-persona.json"
NASA_PHOTO: Final = EXAMPLES / "photos" / "eileen-collins-nasa.jpg"
ONLINE: Final = "photo.reverse_search_online"
REVERSE_SEARCH_ENV: Final = "LINKVET_REVERSE_SEARCH_URL"
AI_CODES: Final = frozenset({"photo.gan_eye_alignment", "photo.ai_generated"})
# A photo URL with every character that must be percent-encoded inside another URL's query.
PHOTO_URL: Final = "https://media.example.com/profile/emma clarke.jpg?size=400&v=2#x"
ENGINES: Final = ("Google Lens", "Bing Visual Search", "TinEye", "Yandex Images")


# ---------------------------------------------------------------------------------------------
# Running detectors


def engine_of(*ids: str, options: dict[str, dict[str, Any]] | None = None) -> Engine:
    return Engine(detectors=select_detectors(ids, options=options), config=load_config())


@pytest.fixture(scope="module")
def forensics() -> Engine:
    return engine_of("photo.forensics")


def assess(
    engine: Engine, photo: dict[str, Any], artifacts: Path | None = None, **fields: Any
) -> Assessment:
    profile = Profile.model_validate({"name": "Emma Clarke", "photo": photo, **fields})
    return engine.assess(profile, as_of=AS_OF, artifacts_dir=artifacts)


def signals_of(assessment: Assessment) -> dict[str, Signal]:
    found = [reason.signal for reason in assessment.reasons]
    by_code = {signal.code: signal for signal in found}
    assert len(by_code) == len(found), "a code raised twice"
    return by_code


def skipped(assessment: Assessment) -> dict[str, str]:
    return {skip.id: skip.reason for skip in assessment.detectors_skipped}


def ran(assessment: Assessment) -> set[str]:
    return {run.id for run in assessment.detectors_run}


def landscape(width: int = 1000, height: int = 600) -> bytes:
    """Sky, sun, rolling hills, grass texture: a photo with no face in it."""
    rng = np.random.default_rng(7)
    y, x = np.mgrid[0:height, 0:width]
    sky = np.stack([90 + 100 * y / height, 150 + 70 * y / height, np.full(y.shape, 235.0)], axis=-1)
    sun = (x - 0.8 * width) ** 2 + (y - 0.2 * height) ** 2 < (0.06 * width) ** 2
    sky[sun] = (255, 240, 180)
    ridge = 0.55 * height + 0.08 * height * np.sin(x / width * 7) + 0.03 * height * np.sin(x / 37)
    ground = y > ridge
    grass = np.stack([60 + 0 * y, 120 + 40 * (y - ridge) / height, 40 + 0 * y], axis=-1)
    pixels = np.where(ground[..., None], grass, sky) + rng.normal(0, 6, (height, width, 3))
    image = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    return encoded(image, "JPEG", quality=92)


def base64_photo(data: bytes) -> dict[str, str]:
    return {"data": base64.b64encode(data).decode("ascii")}


# ---------------------------------------------------------------------------------------------
# photo.forensics on the example persona's photo: a real, public-domain NASA portrait


@pytest.fixture(scope="module")
def nasa(forensics: Engine, tmp_path_factory: pytest.TempPathFactory) -> tuple[Assessment, Path]:
    """The example profile as shipped (its photo path is relative to the profile file)."""
    pictures = tmp_path_factory.mktemp("pictures")
    profile = read_profile_file(FAKE_PERSONA)
    assert profile.photo is not None
    assert profile.photo.path is not None
    return forensics.assess(profile, as_of=AS_OF, artifacts_dir=pictures), pictures


def test_the_nasa_photo_is_analysed_and_not_called_ai_generated(
    nasa: tuple[Assessment, Path],
) -> None:
    assessment, _ = nasa
    assert ran(assessment) == {"photo.forensics"}
    found = signals_of(assessment)
    assert "photo.analysed" in found
    assert not AI_CODES & found.keys(), found.keys()
    analysed = found["photo.analysed"]
    assert analysed.weight == 0
    assert "face(s) found" in analysed.explanation
    assert not analysed.explanation.startswith("The photo was analysed: 0 face(s)")


def test_the_overlay_picture_is_written_and_named(nasa: tuple[Assessment, Path]) -> None:
    assessment, pictures = nasa
    analysed = signals_of(assessment)["photo.analysed"]
    digest = hashlib.sha256(NASA_PHOTO.read_bytes()).hexdigest()
    picture = pictures / f"photo-{digest[:16]}.png"
    assert analysed.evidence[0].picture == str(picture)
    assert "Picture of the evidence" in analysed.explanation
    assert str(pictures) not in analysed.explanation  # the server's paths stay out of the text
    assert sorted(pictures.iterdir()) == [picture]  # and no half-written temporary file
    normalised = load_photo(read_photo_bytes(NASA_PHOTO)).pixels
    with Image.open(picture) as image:
        assert image.format == "PNG"
        assert image.mode == "RGB"
        assert image.size == (normalised.shape[1], normalised.shape[0])


def test_the_same_photo_gives_the_same_picture(forensics: Engine, tmp_path: Path) -> None:
    data = NASA_PHOTO.read_bytes()
    first = signals_of(assess(forensics, base64_photo(data), tmp_path / "a" / "b"))
    again = signals_of(assess(forensics, {"path": str(NASA_PHOTO)}, tmp_path / "a" / "b"))
    assert first["photo.analysed"].evidence == again["photo.analysed"].evidence
    assert len(list((tmp_path / "a" / "b").iterdir())) == 1


def test_without_an_artifacts_folder_no_picture_is_named(forensics: Engine) -> None:
    analysed = signals_of(assess(forensics, {"path": str(NASA_PHOTO)}))["photo.analysed"]
    assert analysed.evidence[0].picture is None
    assert "Picture of the evidence" not in analysed.explanation


def test_an_inline_photo_is_analysed_like_the_file(forensics: Engine) -> None:
    by_path = signals_of(assess(forensics, {"path": str(NASA_PHOTO)}))
    inline = signals_of(assess(forensics, base64_photo(NASA_PHOTO.read_bytes())))
    assert inline.keys() == by_path.keys()
    assert inline["photo.analysed"].explanation == by_path["photo.analysed"].explanation


# ---------------------------------------------------------------------------------------------
# photo.forensics on photos it cannot use


def test_a_photo_with_no_face_gives_no_face(forensics: Engine, tmp_path: Path) -> None:
    assessment = assess(forensics, base64_photo(landscape()), tmp_path)
    found = signals_of(assessment)
    assert set(found) == {"photo.analysed", "photo.no_face"}
    assert found["photo.no_face"].weight > 0
    assert "0 face(s) found" in found["photo.analysed"].explanation
    assert "score n/a" in found["photo.analysed"].explanation
    # The picture is written for a photo without a face too, at the normalised size.
    (picture,) = tmp_path.iterdir()
    with Image.open(picture) as image:
        assert image.mode == "RGB"
        assert image.size == (512, 307)  # 1000 x 600 brought to 512 a side


def test_a_photo_given_only_by_url_is_unreadable_saying_so(forensics: Engine) -> None:
    assessment = assess(forensics, {"url": PHOTO_URL})
    assert ran(assessment) == {"photo.forensics"}
    unreadable = signals_of(assessment)["photo.unreadable"]
    assert set(signals_of(assessment)) == {"photo.unreadable"}
    assert "URL" in unreadable.explanation
    assert "does not download" in unreadable.explanation
    assert unreadable.weight == 0


def _truncated_nasa(folder: Path) -> Path:
    path = folder / "damaged.jpg"
    data = NASA_PHOTO.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    return path


def _text_named_jpg(folder: Path) -> Path:
    path = folder / "not-a-photo.jpg"
    path.write_text("this is not a photo\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_truncated_nasa, "damaged or truncated"),
        (_text_named_jpg, "not an image linkvet can read (JPEG, PNG, GIF, WebP, BMP or TIFF)"),
        (lambda folder: folder / "missing.jpg", "no such file"),
        (lambda folder: folder, "is a folder, not a photo"),
    ],
    ids=["truncated", "text", "missing", "folder"],
)
def test_a_photo_that_cannot_be_read_is_unreadable_not_a_skip(
    forensics: Engine, tmp_path: Path, make: Any, reason: str
) -> None:
    path = make(tmp_path)
    assessment = assess(forensics, {"path": str(path)}, tmp_path / "pictures")
    assert skipped(assessment) == {}
    assert ran(assessment) == {"photo.forensics"}
    found = signals_of(assessment)
    assert set(found) == {"photo.unreadable"}
    assert reason in found["photo.unreadable"].explanation
    assert found["photo.unreadable"].evidence[0].field == "photo"
    assert not (tmp_path / "pictures").exists()


def test_a_profile_without_a_photo_skips_the_photo_checks(forensics: Engine) -> None:
    profile = Profile.model_validate({"name": "Emma Clarke"})
    assessment = forensics.assess(profile, as_of=AS_OF)
    assert "needs photo" in skipped(assessment)["photo.forensics"]


# ---------------------------------------------------------------------------------------------
# photo.metadata: only that it treats unreadable photos as every photo check does


def test_metadata_gives_unreadable_for_a_damaged_photo(tmp_path: Path) -> None:
    assessment = assess(engine_of("photo.metadata"), {"path": str(_truncated_nasa(tmp_path))})
    assert skipped(assessment) == {}
    assert "damaged or truncated" in signals_of(assessment)["photo.unreadable"].explanation


# ---------------------------------------------------------------------------------------------
# photo.reverse_search: links for the user to follow


def test_reverse_search_deep_links_carry_the_encoded_photo_url() -> None:
    assessment = assess(engine_of("photo.reverse_search"), {"url": PHOTO_URL})
    links = signals_of(assessment)["photo.reverse_search_links"]
    assert links.weight == 0
    encoded_url = urllib.parse.quote(PHOTO_URL, safe="")
    assert encoded_url.startswith("https%3A%2F%2Fmedia.example.com%2Fprofile%2Femma%20clarke")
    names = [str(item.value).split(": ", 1)[0] for item in links.evidence]
    assert names == list(ENGINES)
    for item in links.evidence:
        link = str(item.value).split(": ", 1)[1]
        assert link.startswith("https://")
        assert encoded_url in link
        assert PHOTO_URL not in link  # never the raw URL, whose & and # would cut the query


def test_reverse_search_without_a_url_gives_the_upload_pages(tmp_path: Path) -> None:
    assessment = assess(engine_of("photo.reverse_search"), {"path": str(NASA_PHOTO)})
    links = signals_of(assessment)["photo.reverse_search_links"]
    assert [str(item.value) for item in links.evidence] == [
        "Google Lens: https://lens.google.com/",
        "Bing Visual Search: https://www.bing.com/visualsearch",
        "TinEye: https://tineye.com/",
        "Yandex Images: https://yandex.com/images/",
    ]


# ---------------------------------------------------------------------------------------------
# photo.reverse_search_online: a remote service, here a real HTTP server on 127.0.0.1


@dataclass
class SearchService:
    """What the local reverse-search service answers, and the queries it was sent."""

    address: str = ""
    status: int = 200
    body: bytes = b'{"matches": []}'
    delay: float = 0.0
    queries: list[dict[str, list[str]]] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def answer(self, matches: list[Any]) -> None:
        self.body = json.dumps({"matches": matches}).encode()


@pytest.fixture
def service() -> Iterator[SearchService]:
    state = SearchService()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            parsed = urllib.parse.urlsplit(self.path)
            state.paths.append(parsed.path)
            state.queries.append(urllib.parse.parse_qs(parsed.query))
            if state.delay:
                state.release.wait(state.delay)
            self.send_response(state.status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(state.body)))
            self.end_headers()
            self.wfile.write(state.body)

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet: the test reads `state`, not the server's log."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    state.address = f"http://127.0.0.1:{server.server_address[1]}/search"
    try:
        yield state
    finally:
        state.release.set()
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def online(endpoint: str, **options: Any) -> Engine:
    return engine_of(ONLINE, options={ONLINE: {"endpoint": endpoint, **options}})


# What a service may send: good matches, one without a title, and junk entries to leave out.
MATCHES: Final[list[Any]] = [
    {"url": "https://www.nasa.gov/people/eileen-collins/", "title": "Eileen Collins - NASA"},
    {"url": "https://en.wikipedia.org/wiki/Eileen_Collins", "title": "Eileen Collins"},
    {"url": "https://images.example.org/astronaut.png"},
    {"title": "a match without a URL is left out"},
    "not an object",
]


def test_online_search_reports_where_the_photo_was_found(service: SearchService) -> None:
    service.answer(MATCHES)
    assessment = assess(online(service.address), {"url": PHOTO_URL})
    assert ran(assessment) == {ONLINE}
    found = signals_of(assessment)["photo.found_online"]
    assert found.weight > 0
    assert [item.value for item in found.evidence] == [
        "https://www.nasa.gov/people/eileen-collins/",
        "https://en.wikipedia.org/wiki/Eileen_Collins",
        "https://images.example.org/astronaut.png",
    ]
    assert all(item.field == "photo.url" for item in found.evidence)
    assert "on 3 other page(s)" in found.explanation
    assert "Eileen Collins - NASA" in found.explanation
    # One GET, to the configured path, asking about exactly the profile's photo URL.
    assert service.paths == ["/search"]
    assert service.queries == [{"url": [PHOTO_URL]}]


def test_online_search_with_no_match_says_nothing(service: SearchService) -> None:
    service.answer([])
    assessment = assess(online(service.address), {"url": PHOTO_URL})
    assert ran(assessment) == {ONLINE}
    assert assessment.reasons == ()
    assert len(service.queries) == 1


def test_online_search_reads_its_address_from_the_environment(
    service: SearchService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(REVERSE_SEARCH_ENV, service.address)
    service.answer(MATCHES[:1])
    assessment = assess(engine_of(ONLINE), {"url": PHOTO_URL})
    assert "photo.found_online" in signals_of(assessment)
    assert service.queries == [{"url": [PHOTO_URL]}]


def test_online_search_is_off_by_default() -> None:
    assert ONLINE not in {detector.id for detector in default_detectors()}
    assert ONLINE not in {detector.id for detector in Engine().detectors}


def test_online_search_without_a_service_is_skipped_saying_so(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv(REVERSE_SEARCH_ENV, raising=False)
    assessment = assess(engine_of(ONLINE), {"url": PHOTO_URL})
    assert "no reverse image search service configured" in skipped(assessment)[ONLINE]
    assert REVERSE_SEARCH_ENV in skipped(assessment)[ONLINE]


def test_online_search_needs_the_photo_url(service: SearchService) -> None:
    assessment = assess(online(service.address), {"path": str(NASA_PHOTO)})
    assert "needs photo.url" in skipped(assessment)[ONLINE]
    assert service.queries == []


def test_a_failing_service_is_recorded_as_a_skip_with_the_reason(service: SearchService) -> None:
    service.status = 500
    service.body = b"internal error"
    assessment = assess(online(service.address), {"url": PHOTO_URL})
    reason = skipped(assessment)[ONLINE]
    assert reason.startswith("failed: HTTPError")
    assert "500" in reason
    assert assessment.reasons == ()


@pytest.mark.parametrize("body", [b"<html>not json</html>", b'["a list"]', b'{"matches": 3}'])
def test_a_malformed_answer_is_recorded_as_a_skip(service: SearchService, body: bytes) -> None:
    service.body = body
    reason = skipped(assess(online(service.address), {"url": PHOTO_URL}))[ONLINE]
    assert reason.startswith("failed: ")


def test_a_slow_service_is_given_up_on_after_the_timeout(service: SearchService) -> None:
    service.delay = 5.0
    started = time.perf_counter()
    assessment = assess(online(service.address, timeout=0.5), {"url": PHOTO_URL})
    assert time.perf_counter() - started < 3
    assert "timed out" in skipped(assessment)[ONLINE]


def test_an_endpoint_with_its_own_query_keeps_it(service: SearchService) -> None:
    service.answer(MATCHES[:1])
    assess(online(f"{service.address}?key=secret"), {"url": PHOTO_URL})
    assert service.queries == [{"key": ["secret"], "url": [PHOTO_URL]}]


# ---------------------------------------------------------------------------------------------
# The shared labelled faces


def first_faces(folder: Path, count: int = 20) -> list[Path]:
    photos = sorted(path for path in folder.iterdir() if path.suffix.lower() in {".png", ".jpg"})
    assert len(photos) >= count, f"{folder} holds only {len(photos)} photos"
    return photos[:count]


@pytest.mark.datasets
def test_stylegan3_faces_are_flagged(forensics: Engine, datasets_dir: Path) -> None:
    folder = datasets_dir / "faces" / "fake" / "stylegan3"
    flagged = []
    for path in first_faces(folder):
        found = signals_of(assess(forensics, {"path": str(path)}))
        assert "photo.analysed" in found, path.name
        if AI_CODES & found.keys():
            flagged.append(path.name)
    assert len(flagged) >= 12, f"only {len(flagged)} of 20 flagged: {flagged}"


@pytest.mark.datasets
def test_real_studio_faces_are_not_called_ai_generated(
    forensics: Engine, datasets_dir: Path
) -> None:
    folder = datasets_dir / "faces" / "real" / "london_face_set_neutral"
    called_ai = []
    for path in first_faces(folder):
        found = signals_of(assess(forensics, {"path": str(path)}))
        assert "photo.analysed" in found, path.name
        if "photo.ai_generated" in found:
            called_ai.append(path.name)
    assert called_ai == []


# ---------------------------------------------------------------------------------------------
# The CLI


def run_check(store: Path, *args: str, columns: int = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "linkvet", "check", "examples/fake-persona.json", "--store",
         str(store), *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        env={**os.environ, "COLUMNS": str(columns)},
        check=False,
    )  # fmt: skip


def expected_picture(store: Path) -> Path:
    digest = hashlib.sha256(NASA_PHOTO.read_bytes()).hexdigest()
    return store.parent / "pictures" / f"photo-{digest[:16]}.png"


def test_cli_json_names_the_picture_it_wrote(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    result = run_check(store, "--format", "json")
    assert result.returncode == 4, result.stderr
    (checked,) = json.loads(result.stdout)["results"]
    analysed = [
        reason["signal"]
        for reason in checked["assessment"]["reasons"]
        if reason["signal"]["code"] == "photo.analysed"
    ]
    assert len(analysed) == 1
    picture = expected_picture(store)
    assert analysed[0]["evidence"][0]["picture"] == str(picture)
    assert picture.is_file()


def test_cli_text_report_points_to_the_picture(tmp_path: Path) -> None:
    store = tmp_path / "s.sqlite"
    result = run_check(store, columns=400)  # wide: the path is not folded across cells
    assert result.returncode == 4, result.stderr
    picture = expected_picture(store)
    assert picture.is_file()
    assert "Picture of the evidence" in result.stdout
    # Compare without line breaks and table borders, in case Rich wraps the sentence.
    flat = "".join(ch for ch in result.stdout if not ch.isspace() and ch not in "│┃║")
    assert "Picturesoftheevidence" in flat  # the report's list of pictures, with the path
    assert str(picture).replace(" ", "") in flat
