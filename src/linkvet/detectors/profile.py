"""Profile basics: how old the account is, whether its network fits the claimed seniority, how much
content it has, whether it shows a photo, and oddities of the name and handle.

Each detector is small and needs only the fields it names; thresholds come from
`rules/profile.yaml`.
"""

from __future__ import annotations

import re
import unicodedata
from typing import ClassVar

from pydantic import Field

from linkvet.config import Config
from linkvet.detector import AnalysisContext, Params, RuleDetector
from linkvet.detectors._claimed_role import claimed_title
from linkvet.detectors._seniority import SeniorityScale, level_name
from linkvet.model import Evidence, Platform, Profile, Signal


class ProfileParams(Params):
    very_new_days: int = Field(gt=0)
    new_days: int = Field(gt=0)
    established_years: int = Field(gt=0)
    very_few_connections: int = Field(ge=0)
    expected_connections: dict[int, int]
    thin_profile_min_sections: int = Field(gt=0)
    thin_profile_max_filled: int = Field(ge=0)
    rich_profile_min_filled: int = Field(gt=0)
    handle_digit_run: int = Field(ge=2)
    name_token_min_length: int = Field(ge=1)


class _ProfileDetector(RuleDetector[ProfileParams]):
    family: ClassVar[str] = "profile"
    params_model: ClassVar = ProfileParams


class AccountAgeDetector(_ProfileDetector):
    id: ClassVar[str] = "profile.account_age"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("joined",)
    description: ClassVar[str] = "How long the account has existed when the contact was seen."

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        assert profile.joined is not None
        # The oldest the account can be (earliest join date) for "new"; the youngest for "old".
        oldest_days = (context.as_of - profile.joined.earliest()).days
        youngest_days = (context.as_of - profile.joined.latest()).days
        evidence = Evidence(field="joined", value=str(profile.joined))
        params = self.params_
        if 0 <= oldest_days < params.very_new_days:
            return [self.signal(context, "account.very_new", evidence, days=oldest_days)]
        if 0 <= oldest_days < params.new_days:
            return [self.signal(context, "account.new", evidence, days=oldest_days)]
        if youngest_days >= params.established_years * 365:
            return [
                self.signal(context, "account.established", evidence, years=youngest_days // 365)
            ]
        return []


class ConnectionsDetector(_ProfileDetector):
    id: ClassVar[str] = "profile.connections"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("counts.connections",)
    description: ClassVar[str] = "Whether the size of the network fits the seniority claimed."

    def load(self, config: Config) -> None:
        super().load(config)
        self.seniority_ = SeniorityScale.from_config(config)

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        assert profile.counts is not None
        assert profile.counts.connections is not None
        connections = profile.counts.connections
        if connections.at_least:
            return []
        count_evidence = Evidence(field="counts.connections", value=connections.value)
        claimed = claimed_title(profile)
        if claimed is not None:
            title_field, title = claimed
            level = self.seniority_.level(title)
            expected = self.params_.expected_connections.get(level)
            if expected is not None and connections.value < expected:
                return [
                    self.signal(
                        context,
                        "connections.few_for_seniority",
                        count_evidence,
                        Evidence(field=title_field, excerpt=title, start=0, end=len(title)),
                        title=title,
                        title_level=level_name(level),
                        connections=connections.value,
                        expected=expected,
                    )
                ]
        if connections.value < self.params_.very_few_connections:
            return [
                self.signal(
                    context, "connections.very_few", count_evidence, connections=connections.value
                )
            ]
        return []


class ContentDetector(_ProfileDetector):
    id: ClassVar[str] = "profile.content"
    version: ClassVar[str] = "1"
    description: ClassVar[str] = "How many sections of the profile have any content."

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        sections = _sections(profile)
        known = {name: filled for name, filled in sections.items() if filled is not None}
        filled = [name for name, has_content in known.items() if has_content]
        params = self.params_
        evidence = tuple(
            Evidence(field=name, value="has content" if has_content else "empty")
            for name, has_content in known.items()
        )
        if not evidence:
            return []
        if (
            len(known) >= params.thin_profile_min_sections
            and len(filled) <= params.thin_profile_max_filled
        ):
            return [
                self.signal(
                    context, "content.almost_none", *evidence, known=len(known), filled=len(filled)
                )
            ]
        vouched = bool(known.get("recommendations")) or bool(known.get("counts.posts"))
        if len(filled) >= params.rich_profile_min_filled and vouched:
            return [self.signal(context, "content.rich", *evidence, filled=len(filled))]
        return []


def _sections(profile: Profile) -> dict[str, bool | None]:
    """Each section: True with content, False seen empty, None not known."""

    def listed(items: list[object] | None) -> bool | None:
        return None if items is None else bool(items)

    posts = profile.counts.posts if profile.counts else None
    return {
        "about": None if profile.about is None else bool(profile.about.strip()),
        "experience": listed(profile.experience),  # type: ignore[arg-type]
        "education": listed(profile.education),  # type: ignore[arg-type]
        "skills": listed(profile.skills),  # type: ignore[arg-type]
        "recommendations": listed(profile.recommendations),  # type: ignore[arg-type]
        "certifications": listed(profile.certifications),  # type: ignore[arg-type]
        "counts.posts": None if posts is None else posts.value > 0,
    }


class PhotoPresenceDetector(_ProfileDetector):
    id: ClassVar[str] = "profile.photo_presence"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("photo|has_photo",)
    description: ClassVar[str] = "Whether the profile shows a photo at all."

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        if profile.photo_shown() is False:
            return [self.signal(context, "photo.none", Evidence(field="has_photo", value=False))]
        return []


_LINKEDIN_SUFFIX = re.compile(r"-[0-9a-z]{5,12}$")
_HANDLE_IN_URL = re.compile(
    r"(?:linkedin\.com/in|x\.com|twitter\.com|instagram\.com)/([^/?#\s]{1,100})"
)


class IdentityDetector(_ProfileDetector):
    id: ClassVar[str] = "profile.identity"
    version: ClassVar[str] = "2"
    requires: ClassVar[tuple[str, ...]] = ("name",)
    description: ClassVar[str] = "Oddities of the display name and the handle."

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        assert profile.name is not None
        name = profile.name
        name_evidence = Evidence(field="name", excerpt=name, start=0, end=len(name))
        signals = []
        if any(char.isdigit() for char in name):
            signals.append(self.signal(context, "name.digits", name_evidence, name=name))
        mixed = _mixed_scripts(name)
        if mixed:
            signals.append(
                self.signal(context, "name.mixed_scripts", name_evidence, scripts=", ".join(mixed))
            )
        if any(unicodedata.category(char) in {"So", "Sk", "Cs"} for char in name):
            signals.append(self.signal(context, "name.symbols", name_evidence, name=name))
        if (
            profile.platform == Platform.LINKEDIN
            and len(name.split()) == 1
            and not any(_script(char) in _UNSPACED_SCRIPTS for char in name)
        ):
            signals.append(self.signal(context, "name.single_word", name_evidence, name=name))
        handle_field, handle = _handle(profile)
        if handle is not None:
            signals.extend(self._handle_signals(profile, context, handle_field, handle))
        return signals

    def _handle_signals(
        self, profile: Profile, context: AnalysisContext, handle_field: str, handle: str
    ) -> list[Signal]:
        assert profile.name is not None
        core = handle.lower()
        if profile.platform in {Platform.LINKEDIN, None}:
            core = _LINKEDIN_SUFFIX.sub("", core)
        evidence = Evidence(field=handle_field, value=handle)
        signals = []
        run = self.params_.handle_digit_run
        if re.search(rf"\d{{{run},}}", core):
            signals.append(self.signal(context, "handle.digit_run", evidence, handle=handle))
        min_length = self.params_.name_token_min_length
        name_tokens = [t for t in _ascii_tokens(profile.name) if len(t) >= min_length]
        handle_tokens = [t for t in _ascii_tokens(core) if len(t) >= min_length]
        squashed = re.sub(r"[^a-z]", "", _fold(core))
        shares_name = any(token in squashed for token in name_tokens) or any(
            token in "".join(name_tokens) for token in handle_tokens
        )
        if name_tokens and handle_tokens and not shares_name:
            signals.append(
                self.signal(
                    context, "name.handle_mismatch", evidence, handle=handle, name=profile.name
                )
            )
        return signals


def _handle(profile: Profile) -> tuple[str, str | None]:
    if profile.handle:
        return "handle", profile.handle.lstrip("@")
    if profile.url and (match := _HANDLE_IN_URL.search(profile.url)):
        return "url", match.group(1)
    return "handle", None


def _fold(text: str) -> str:
    """Lower case without accents, so that "José" meets "jose" in a handle."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def _ascii_tokens(text: str) -> list[str]:
    return re.findall(r"[a-z]+", _fold(text))


# Writing systems in which a full name is written without spaces ("王伟", "김민준").
_UNSPACED_SCRIPTS = frozenset({"CJK", "HANGUL"})
# Scripts used together in one word by a whole writing system: Japanese names mix kanji and kana
# ("田中さくら", "マリー" with its long-vowel mark), so they count as one script here.
_SAME_SCRIPT = {"HIRAGANA": "CJK", "KATAKANA": "CJK", "KATAKANA-HIRAGANA": "CJK"}


def _mixed_scripts(name: str) -> list[str]:
    """Writing systems mixed inside one word (Latin "a" beside Cyrillic "a", U+0430), if any.

    Modifier letters (such as U+02BB, the okina of Uzbek and Hawaiian spellings) belong to no
    script.
    """
    for word in name.split():
        scripts = {
            _script(char) for char in word if char.isalpha() and unicodedata.category(char) != "Lm"
        }
        if len(scripts) > 1:
            return sorted(scripts)
    return []


def _script(char: str) -> str:
    try:
        script = unicodedata.name(char).split()[0]
    except ValueError:
        return "UNKNOWN"
    return _SAME_SCRIPT.get(script, script)
