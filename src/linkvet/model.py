"""What linkvet reasons about: the `Profile` a person sees, the `Signal`s detectors raise, and the
`Assessment` that scoring makes of them.

Unknown is not zero: every field of a profile is optional, and a field that was not given stays
`None`. An empty list means "seen, and empty" (a profile with no experience listed), which is
evidence; `None` means "not known", which is not.
"""

from __future__ import annotations

import datetime as dt
from enum import StrEnum
from typing import Annotated, Any, Final, Literal, Self

from pydantic import (
    Base64Bytes,
    BaseModel,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    NonNegativeInt,
    WithJsonSchema,
    field_validator,
    model_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from linkvet._counts import MAX_COUNT_TEXT, CountError, parse_count
from linkvet._dates import DateError, PartialDate, is_present_word, parse_duration_months

# Size caps: far above anything a real profile holds, low enough that a hostile file cannot make
# linkvet slow. LinkedIn caps an About section at 2,600 characters and a message at 8,000.
SHORT_TEXT: Final = 500
LONG_TEXT: Final = 100_000
MESSAGE_TEXT: Final = 1_000_000
MANY: Final = 500
PHOTO_BYTES: Final = 20_000_000

ShortText = Annotated[str, Field(max_length=SHORT_TEXT)]
LongText = Annotated[str, Field(max_length=LONG_TEXT)]


class _Strict(BaseModel):
    """Unknown keys are refused, so that a typo ("conections") is reported, not silently lost."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Platform(StrEnum):
    LINKEDIN = "linkedin"
    FACEBOOK = "facebook"
    TWITTER = "twitter"
    INSTAGRAM = "instagram"
    OTHER = "other"


class Count(_Strict):
    """A count as shown: LinkedIn caps connections at "500+", which is `at_least=True`."""

    model_config = ConfigDict(frozen=True)

    value: NonNegativeInt = Field(le=10_000_000_000)
    at_least: bool = False

    @model_validator(mode="before")
    @classmethod
    def _from_shown(cls, data: Any) -> Any:
        if isinstance(data, bool):
            raise ValueError("expected a count, got true/false")
        if isinstance(data, int):
            return {"value": data}
        if isinstance(data, str):
            try:
                value, at_least = parse_count(data)
            except CountError as error:
                raise ValueError(str(error)) from None
            return {"value": value, "at_least": at_least}
        return data

    def __str__(self) -> str:
        return f"{self.value}{'+' if self.at_least else ''}"

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        # Input may also be a bare number or the text a profile shows; output is always the object.
        shown = handler(schema)
        if handler.mode == "serialization":
            return shown
        return {
            "anyOf": [
                shown,
                {"type": "integer", "minimum": 0},
                {"type": "string", "maxLength": MAX_COUNT_TEXT, "examples": ["500+", "1.2K"]},
            ]
        }


class Counts(_Strict):
    connections: Count | None = None
    followers: Count | None = None
    following: Count | None = None
    posts: Count | None = None


class Photo(_Strict):
    """A picture: a file path (relative to the profile file), inline bytes (base64), or a URL."""

    path: Annotated[str, Field(max_length=4096)] | None = None
    data: Annotated[Base64Bytes, Field(max_length=PHOTO_BYTES)] | None = None
    url: Annotated[str, Field(max_length=4096)] | None = None

    @model_validator(mode="after")
    def _has_a_source(self) -> Self:
        if self.path is None and self.data is None and self.url is None:
            raise ValueError("a photo needs a path, data or a url")
        return self


EmploymentType = Literal[
    "full-time",
    "part-time",
    "self-employed",
    "freelance",
    "contract",
    "internship",
    "apprenticeship",
    "seasonal",
    "volunteer",
    "other",
]


class _Dated(_Strict):
    """Start and end as people copy them; an end of "Present" marks the entry as current."""

    start: PartialDate | None = None
    end: PartialDate | None = None
    current: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _present_means_current(cls, data: Any) -> Any:
        if isinstance(data, dict) and is_present_word(data.get("end")):
            if data.get("current") is False:
                raise ValueError("end is 'Present' but current is false")
            data = {**data, "end": None, "current": True}
        return data

    @model_validator(mode="after")
    def _current_has_no_end(self) -> Self:
        if self.current and self.end is not None:
            raise ValueError("an entry that is current cannot have an end date")
        return self


class Experience(_Dated):
    title: ShortText | None = None
    organisation: ShortText | None = None
    location: ShortText | None = None
    employment_type: EmploymentType | None = None
    duration_months: (
        Annotated[
            int,
            Field(ge=0, le=1200),
            WithJsonSchema(
                {"anyOf": [{"type": "integer", "minimum": 0, "maximum": 1200}, {"type": "string"}]},
                mode="validation",
            ),
        ]
        | None
    ) = Field(default=None, description='As shown, e.g. "3 yrs 2 mos" (read as 38 months).')
    description: LongText | None = None

    @field_validator("duration_months", mode="before")
    @classmethod
    def _read_duration(cls, value: Any) -> Any:
        if isinstance(value, str):
            try:
                return parse_duration_months(value)
            except DateError as error:
                raise ValueError(str(error)) from None
        return value

    @field_validator("employment_type", mode="before")
    @classmethod
    def _normalise_employment_type(cls, value: Any) -> Any:
        if isinstance(value, str):
            return value.strip().lower().replace(" ", "-").replace("_", "-")
        return value


class Education(_Dated):
    school: ShortText | None = None
    degree: ShortText | None = None
    field_of_study: ShortText | None = None
    description: LongText | None = None


class Skill(_Strict):
    name: ShortText
    endorsements: NonNegativeInt | None = Field(default=None, le=1_000_000)


class Recommendation(_Strict):
    author: ShortText | None = None
    relationship: ShortText | None = None
    text: LongText | None = None
    date: PartialDate | None = None


class Certification(_Strict):
    name: ShortText
    issuer: ShortText | None = None
    date: PartialDate | None = None


class Language(_Strict):
    name: ShortText
    proficiency: ShortText | None = None


class Verification(_Strict):
    """A mark the platform shows: identity or workplace verified, a blue check, and so on."""

    kind: ShortText = Field(description="identity, workplace, email, paid, government, ...")
    detail: ShortText | None = None


class ContactDetails(_Strict):
    emails: Annotated[list[ShortText], Field(max_length=MANY)] | None = None
    websites: Annotated[list[ShortText], Field(max_length=MANY)] | None = None
    phones: Annotated[list[ShortText], Field(max_length=MANY)] | None = None
    messengers: Annotated[list[ShortText], Field(max_length=MANY)] | None = Field(
        default=None, description="Handles on other apps: WhatsApp, Telegram, WeChat, Signal."
    )


class Message(_Strict):
    """One message in the approach: the invitation note or a later message."""

    text: Annotated[str, Field(max_length=MESSAGE_TEXT)]
    sent_at: dt.datetime | None = None
    channel: ShortText | None = Field(default=None, description="linkedin, email, whatsapp, ...")
    direction: Literal["incoming", "outgoing"] = "incoming"


Answer = Literal["yes", "no", "unsure"]


class PersonAnswers(_Strict):
    """What the person checking the contact says about the approach: questions only they can
    answer, as the "Think Before You Link" app asks them. Each answer is "yes", "no" or
    "unsure"; left out (null) when the question was not asked."""

    wrote_straight_after_connecting: Answer | None = Field(
        default=None, description="Did they write to you straight after you connected?"
    )
    shared_contacts: Answer | None = Field(
        default=None, description="Do you share contacts with them?"
    )
    contacts_vouched: Answer | None = Field(
        default=None,
        description="Did those shared contacts vouch for them (say they know them in person)?",
    )
    asked_to_move_channel: Answer | None = Field(
        default=None, description="Did they ask to move to another app or to e-mail?"
    )
    asked_about_work_access: Answer | None = Field(
        default=None, description="Did they ask about your work, your access or your colleagues?"
    )
    offered_money_travel_gifts: Answer | None = Field(
        default=None, description="Did they offer money, travel or gifts?"
    )


class Profile(_Strict):
    """What a person can see of a contact, and the approach the contact made."""

    platform: Platform | None = None
    url: Annotated[str, Field(max_length=4096)] | None = None
    handle: ShortText | None = None
    name: ShortText | None = None
    headline: ShortText | None = None
    location: ShortText | None = None
    about: LongText | None = None
    photo: Photo | None = None
    has_photo: bool | None = Field(
        default=None, description="false when the profile shows no photo at all"
    )
    banner: Photo | None = None
    experience: Annotated[list[Experience], Field(max_length=MANY)] | None = None
    education: Annotated[list[Education], Field(max_length=MANY)] | None = None
    skills: Annotated[list[Skill], Field(max_length=MANY)] | None = None
    recommendations: Annotated[list[Recommendation], Field(max_length=MANY)] | None = None
    certifications: Annotated[list[Certification], Field(max_length=MANY)] | None = None
    languages: Annotated[list[Language], Field(max_length=MANY)] | None = None
    counts: Counts | None = None
    joined: PartialDate | None = None
    verifications: Annotated[list[Verification], Field(max_length=MANY)] | None = None
    last_active: PartialDate | None = None
    contact: ContactDetails | None = None
    connected_at: dt.datetime | None = Field(
        default=None, description="when the person accepted the connection, if they did"
    )
    invitation: Message | None = None
    messages: Annotated[list[Message], Field(max_length=10_000)] | None = None
    answers: PersonAnswers | None = Field(
        default=None, description="the person's own answers about the approach"
    )
    observed_at: dt.date | None = Field(
        default=None,
        description="the day the profile was seen; dates are judged against it (default: today)",
    )

    @model_validator(mode="after")
    def _photo_agrees(self) -> Self:
        if self.photo is not None and self.has_photo is False:
            raise ValueError("has_photo is false but a photo is given")
        return self

    @field_validator("platform", mode="before")
    @classmethod
    def _platform_aliases(cls, value: Any) -> Any:
        if isinstance(value, str):
            lowered = value.strip().lower()
            return {"x": "twitter", "x/twitter": "twitter", "fb": "facebook"}.get(lowered, lowered)
        return value

    def photo_shown(self) -> bool | None:
        """Whether the profile shows a photo: True, False, or None when unknown."""
        if self.photo is not None:
            return True
        return self.has_photo

    def has(self, path: str) -> bool:
        """Whether a field (dotted path such as "counts.connections") is known."""
        value: Any = self
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                return False
        return True


# ---------------------------------------------------------------------------------------------
# What detectors find, and what scoring makes of it.


class Stage(StrEnum):
    """The three steps of the public "Think Before You Link" guidance."""

    RECOGNISE = "recognise"
    REALISE = "realise"
    REPORT = "report"


class IndicatorGroup(StrEnum):
    """Families of related cues. Cues in one group are correlated, so scoring damps them together."""

    PHOTO = "photo"
    IDENTITY = "identity"
    AFFILIATION = "affiliation"
    ROLE = "role"
    HISTORY = "history"
    PRESENCE = "presence"
    OFFER = "offer"
    DETAIL = "detail"
    URGENCY = "urgency"
    FLATTERY = "flattery"
    IMBALANCE = "imbalance"
    CHANNEL = "channel"
    SEQUENCE = "sequence"
    CAMPAIGN = "campaign"
    ACCOUNT_MODEL = "account_model"
    ANSWERS = "answers"
    REASSURANCE = "reassurance"
    STYLE = "style"
    OBFUSCATION = "obfuscation"
    EXPOSURE = "exposure"

    @property
    def stage(self) -> Stage:
        recognise = {
            IndicatorGroup.PHOTO,
            IndicatorGroup.IDENTITY,
            IndicatorGroup.AFFILIATION,
            IndicatorGroup.ROLE,
            IndicatorGroup.HISTORY,
            IndicatorGroup.PRESENCE,
            IndicatorGroup.CAMPAIGN,
            IndicatorGroup.ACCOUNT_MODEL,
            IndicatorGroup.REASSURANCE,
            IndicatorGroup.STYLE,
        }
        return Stage.RECOGNISE if self in recognise else Stage.REALISE


JsonScalar = str | int | float | bool | None


class Evidence(BaseModel):
    """Where a cue was seen: a field, and the excerpt or value there (with offsets for text)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    field: str = Field(description='dotted path into the profile, e.g. "experience[1].start"')
    excerpt: str | None = Field(default=None, description="the text that triggered the cue")
    value: JsonScalar = Field(default=None, description="the value that triggered the cue")
    start: NonNegativeInt | None = Field(default=None, description="offset of excerpt in field")
    end: NonNegativeInt | None = None
    picture: str | None = Field(
        default=None, description="path of a picture of this evidence (the photo overlay)"
    )

    @model_validator(mode="after")
    def _offsets_fit(self) -> Self:
        if (self.start is None) != (self.end is None):
            raise ValueError("start and end go together")
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError("end before start")
        return self


class Signal(BaseModel):
    """One cue a detector found. Identity is (detector, code, evidence), so that cases deduplicate."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    detector: str
    code: str
    group: IndicatorGroup
    weight: float = Field(
        description="log-likelihood ratio (natural log); positive points to a fake or hostile contact"
    )
    explanation: str = Field(min_length=1)
    evidence: tuple[Evidence, ...] = Field(min_length=1)
    advice: str | None = None

    def identity(self) -> tuple[str, str, tuple[Evidence, ...]]:
        return (self.detector, self.code, self.evidence)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Signal):
            return NotImplemented
        return self.identity() == other.identity()

    def __hash__(self) -> int:
        return hash(self.identity())


class Band(StrEnum):
    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"


class Reason(BaseModel):
    """A signal and what it contributed to the log-odds once correlated cues were damped."""

    model_config = ConfigDict(frozen=True)

    signal: Signal
    contribution: float


class DetectorRun(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    version: str
    signals: NonNegativeInt


class DetectorSkip(BaseModel):
    model_config = ConfigDict(frozen=True)

    id: str
    version: str
    reason: str


class Subject(BaseModel):
    """Who the assessment is about, as far as the profile says; enough for a report heading."""

    model_config = ConfigDict(frozen=True)

    platform: Platform | None = None
    name: str | None = None
    headline: str | None = None
    url: str | None = None


class Versions(BaseModel):
    model_config = ConfigDict(frozen=True)

    linkvet: str
    rules: str = Field(description="version and digest of the rule and scoring files in force")
    detectors: dict[str, str]


class Assessment(BaseModel):
    """The answer: a band and a probability, the reasons ranked, and what could not be checked.

    The same profile, rules and reference date give the same assessment; only `timings` varies.
    """

    model_config = ConfigDict(frozen=True)

    subject: Subject
    band: Band
    probability: float = Field(ge=0, le=1)
    prior: float = Field(ge=0, le=1)
    log_odds: float
    reasons: tuple[Reason, ...] = Field(description="ranked by contribution, largest first")
    advice: tuple[str, ...]
    limitations: tuple[str, ...] = Field(description="what the checks could not see")
    detectors_run: tuple[DetectorRun, ...]
    detectors_skipped: tuple[DetectorSkip, ...]
    as_of: dt.date
    versions: Versions
    timings: dict[str, float] = Field(description="seconds per detector and in total")

    @property
    def signals(self) -> tuple[Signal, ...]:
        return tuple(reason.signal for reason in self.reasons)

    def without_timings(self) -> dict[str, Any]:
        """The assessment as JSON data, less the timings: equal for equal inputs."""
        return self.model_dump(mode="json", exclude={"timings"})
