"""The profile photo: an AI-generated face, what the file's metadata says, reuse of a photo seen
under another name, and the links for a reverse image search.

Photos are read with the care of image.py (size and pixel caps, damaged files); a photo that
cannot be analysed gives a `photo.unreadable` signal naming why, never an error. Faces and the
AI-face model need the `photo` extra; without it `photo.forensics` and `photo.reuse` are skipped,
and the assessment says so.
"""

from __future__ import annotations

import io
import json
import os
import urllib.parse
import urllib.request
from typing import Any, ClassVar, Final

from PIL import Image
from pydantic import Field

from linkvet.config import Config
from linkvet.detector import AnalysisContext, Params, RuleDetector
from linkvet.model import Evidence, Profile, Signal
from linkvet.photo.image import PhotoError, load_photo

REVERSE_SEARCH_ENV: Final = "LINKVET_REVERSE_SEARCH_URL"
# Metadata finding kind -> the signal it raises.
METADATA_CODES: Final = {
    "generator": "photo.generator_metadata",
    "ai_source_type": "photo.ai_source_type",
    "c2pa_manifest": "photo.c2pa_manifest",
    "editing_software": "photo.editing_software",
    "camera": "photo.camera_metadata",
}


class ReverseSearch(Params):
    with_url: dict[str, str]
    upload: dict[str, str]


class PhotoParams(Params):
    max_hash_distance: int = Field(ge=0, le=32)
    max_embedding_distance: float = Field(gt=0, le=2)
    reverse_search: ReverseSearch


class _PhotoDetector(RuleDetector[PhotoParams]):
    family: ClassVar[str] = "photo"
    params_model: ClassVar = PhotoParams
    requires: ClassVar[tuple[str, ...]] = ("photo",)

    def _unreadable(self, context: AnalysisContext, error: PhotoError) -> list[Signal]:
        reason = str(error)
        return [
            self.signal(
                context, "photo.unreadable", Evidence(field="photo", value=reason), reason=reason
            )
        ]


def _photo_data(profile: Profile) -> bytes:
    from linkvet.photo.analysis import photo_bytes

    assert profile.photo is not None
    return photo_bytes(profile.photo)


class PhotoForensicsDetector(_PhotoDetector):
    id: ClassVar[str] = "photo.forensics"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "AI-generated face: eye positions and frequency artefacts (needs the 'photo' extra)."
    )

    def load(self, config: Config) -> None:
        super().load(config)
        self.unavailable_ = _photo_extra_missing()

    def unavailable_reason(self) -> str | None:
        return self.unavailable_

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        from linkvet.photo.analysis import analyse
        from linkvet.photo.overlay import save_overlay

        try:
            analysis = analyse(_photo_data(profile))
        except PhotoError as error:
            return self._unreadable(context, error)
        picture, picture_path = "", None
        if context.artifacts_dir is not None:
            try:
                picture_path = str(save_overlay(analysis, context.artifacts_dir))
                # The path is in the evidence, not in the sentence: a web page shows the picture,
                # and must not show where the server keeps its files.
                picture = " Picture of the evidence: the face found and its landmarks."
            except OSError as error:
                picture = f" (The picture of the evidence could not be written: {error.strerror}.)"
        model = analysis.model
        unfamiliar = model.unfamiliar(analysis.features) if analysis.features is not None else []
        note = (
            f" The photo is unlike those the model was trained on ({', '.join(unfamiliar)}), so "
            "its score is not used."
            if unfamiliar
            else ""
        )
        overview = self.signal(
            context,
            "photo.analysed",
            Evidence(field="photo", value=analysis.photo.sha256[:16], picture=picture_path),
            faces=len(analysis.faces),
            score=_rounded(analysis.ai_score),
            threshold=f"{model.threshold_1pct_fpr:.2f}",
            offset=_rounded(analysis.eye_offset, 3),
            picture=picture,
            note=note,
        )
        signals = [overview]
        if not analysis.faces:
            signals.append(self.signal(context, "photo.no_face", Evidence(field="photo", value=0)))
            return signals
        assert analysis.eye_offset is not None
        assert analysis.ai_score is not None
        assert analysis.features is not None
        if analysis.eye_offset <= model.eye_tolerance:
            signals.append(
                self.signal(
                    context,
                    "photo.gan_eye_alignment",
                    Evidence(field="photo", value=round(analysis.eye_offset, 4)),
                    offset=f"{analysis.eye_offset:.3f}",
                    tolerance=f"{model.eye_tolerance:.3f}",
                )
            )
        if analysis.ai_score >= model.threshold_1pct_fpr and not unfamiliar:
            cues = ", ".join(name for name, _ in model.contributions(analysis.features))
            signals.append(
                self.signal(
                    context,
                    "photo.ai_generated",
                    Evidence(field="photo", value=round(analysis.ai_score, 4)),
                    score=f"{analysis.ai_score:.2f}",
                    threshold=f"{model.threshold_1pct_fpr:.2f}",
                    cues=cues,
                )
            )
        return signals


class PhotoMetadataDetector(_PhotoDetector):
    id: ClassVar[str] = "photo.metadata"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "EXIF, XMP, IPTC, PNG text and C2PA: generator names, AI source types, editing software."
    )

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        from linkvet.photo.metadata import read_metadata

        try:
            data = _photo_data(profile)
            load_photo(data)  # the same checks as every photo: size, pixels, damage
        except PhotoError as error:
            return self._unreadable(context, error)
        with Image.open(io.BytesIO(data)) as image:
            metadata = read_metadata(data, image)
        if not metadata.has_any:
            return [
                self.signal(context, "photo.no_metadata", Evidence(field="photo", value="none"))
            ]
        by_code: dict[str, list[Any]] = {}
        for finding in metadata.findings:
            by_code.setdefault(METADATA_CODES[finding.kind], []).append(finding)
        signals = []
        for code, findings in sorted(by_code.items()):
            evidence = tuple(
                Evidence(field="photo", value=f"{finding.source}: {finding.value}")
                for finding in findings[:5]
            )
            signals.append(
                self.signal(
                    context, code, *evidence, value=findings[0].value, source=findings[0].source
                )
            )
        return signals


class PhotoReuseDetector(_PhotoDetector):
    id: ClassVar[str] = "photo.reuse"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = (
        "The same photo, or the same face, in the local photo index under another name."
    )

    def __init__(self, *, index: Any | None = None) -> None:
        super().__init__()
        self.index = index

    def load(self, config: Config) -> None:
        super().load(config)
        self.unavailable_ = _photo_extra_missing()

    def unavailable_reason(self) -> str | None:
        if self.index is None:
            return "no photo index to compare with (linkvet check keeps one; see linkvet photos)"
        return self.unavailable_

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        from linkvet.photo.analysis import analyse

        if self.index is None:
            return []
        try:
            analysis = analyse(_photo_data(profile))
        except PhotoError as error:
            return self._unreadable(context, error)
        own_name = profile_photo_name(profile)
        # The face embedding is the costly part; an empty index cannot match it.
        embedding = analysis.embedding if len(self.index) else None
        matches = self.index.match(
            analysis.photo.pixels, embedding=embedding, exclude_name=own_name, limit=5
        )
        signals = []
        for match in matches:
            same_photo = match.kind == "same photo"
            distance = match.phash_distance if same_photo else f"{match.embedding_distance:.2f}"
            signals.append(
                self.signal(
                    context,
                    "photo.reused" if same_photo else "photo.same_face_elsewhere",
                    Evidence(field="photo", value=f"{match.name} ({match.label})"),
                    name=match.name,
                    label=match.label,
                    distance=distance,
                )
            )
        return signals


def profile_photo_name(profile: Profile) -> str:
    """The name a profile's photo is indexed under: its URL, handle or name."""
    return profile.url or profile.handle or profile.name or "an unnamed profile"


class ReverseSearchLinksDetector(_PhotoDetector):
    id: ClassVar[str] = "photo.reverse_search"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "Links to search the photo on the major reverse-image engines."

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        assert profile.photo is not None
        engines = self.params_.reverse_search
        url = profile.photo.url
        if url:
            quoted = urllib.parse.quote(url, safe="")
            links = {
                name: template.format(url=quoted) for name, template in engines.with_url.items()
            }
        else:
            links = dict(engines.upload)
        evidence = tuple(
            Evidence(field="photo", value=f"{name}: {link}") for name, link in links.items()
        )
        return [self.signal(context, "photo.reverse_search_links", *evidence)]


class OnlineReverseSearchDetector(_PhotoDetector):
    """A reverse image search service, asked over the network. Off by default (remote): asked
    for by id, with the service's address in LINKVET_REVERSE_SEARCH_URL. The service answers
    `GET <address>?url=<photo url>` with JSON `{"matches": [{"url": ..., "title": ...}]}`."""

    id: ClassVar[str] = "photo.reverse_search_online"
    version: ClassVar[str] = "1"
    remote: ClassVar[bool] = True
    requires: ClassVar[tuple[str, ...]] = ("photo.url",)
    description: ClassVar[str] = (
        "Asks a reverse image search service where else the photo appears (remote, off by default)."
    )

    def __init__(self, *, endpoint: str | None = None, timeout: float = 10.0) -> None:
        super().__init__()
        self.endpoint = endpoint or os.environ.get(REVERSE_SEARCH_ENV)
        self.timeout = timeout

    def unavailable_reason(self) -> str | None:
        if not self.endpoint:
            return f"no reverse image search service configured (set {REVERSE_SEARCH_ENV})"
        return None

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        if not self.endpoint or profile.photo is None or profile.photo.url is None:
            return []
        address = self._query(profile.photo.url)
        with urllib.request.urlopen(address, timeout=self.timeout) as response:  # noqa: S310 (http(s) only, checked in _query)
            body = json.loads(response.read(1_000_000))
        matches = [m for m in body.get("matches", []) if isinstance(m, dict) and m.get("url")]
        if not matches:
            return []
        evidence = tuple(
            Evidence(field="photo.url", value=str(m["url"])[:500]) for m in matches[:5]
        )
        return [
            self.signal(
                context,
                "photo.found_online",
                *evidence,
                count=len(matches),
                example=str(matches[0].get("title") or matches[0]["url"])[:120],
            )
        ]

    def _query(self, photo_url: str) -> str:
        """The endpoint with `url=<photo url>` added to whatever query it already has."""
        assert self.endpoint is not None
        parts = urllib.parse.urlsplit(self.endpoint)
        if parts.scheme not in {"http", "https"}:
            raise ValueError(
                f"the reverse image search address must be http(s), not {parts.scheme!r}"
            )
        query = [*urllib.parse.parse_qsl(parts.query, keep_blank_values=True), ("url", photo_url)]
        return urllib.parse.urlunsplit(parts._replace(query=urllib.parse.urlencode(query)))


def _photo_extra_missing() -> str | None:
    from linkvet.photo.faces import FaceModelsMissing, models_folder

    try:
        import dlib  # noqa: F401

        models_folder()
    except (ImportError, FaceModelsMissing) as error:
        return f"needs the 'photo' extra: {error}"
    return None


def _rounded(value: float | None, digits: int = 2) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"
