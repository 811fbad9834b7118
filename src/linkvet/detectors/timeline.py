"""Career timeline: dates that cannot be true, full-time roles held at once, seniority that the
history does not support, and education that clashes with the jobs.

Dates are often known only to the year, so every comparison gives the profile the benefit of the
doubt: a year-only date is compared at year precision, never as January or December.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from pydantic import Field

from linkvet._dates import PartialDate, months_between
from linkvet.config import Config
from linkvet.detector import AnalysisContext, Params, RuleDetector
from linkvet.detectors._claimed_role import claimed_title
from linkvet.detectors._seniority import SeniorityScale, level_name
from linkvet.model import Education, Evidence, Experience, Profile, Signal

DegreeKind = Literal["bachelor", "master", "doctorate"]


class TimelineParams(Params):
    duration_tolerance_months: int = Field(ge=0)
    overlap_full_time_min_months: int = Field(ge=1)
    overlap_unknown_type_min_months: int = Field(ge=1)
    side_role_patterns: tuple[str, ...]
    jump_levels: int = Field(ge=1, le=6)
    jump_window_months: int = Field(ge=1)
    senior_level: int = Field(ge=0, le=6)
    senior_min_history_months: int = Field(ge=1)
    senior_max_earlier_roles: int = Field(ge=0)
    undergraduate_overlap_min_months: int = Field(ge=1)
    undergraduate_role_min_level: int = Field(ge=0, le=6)
    mature_student_career_months: int = Field(ge=1)
    max_signals_per_code: int = Field(ge=1)
    degree_patterns: dict[DegreeKind, tuple[str, ...]]


class _TimelineDetector(RuleDetector[TimelineParams]):
    family: ClassVar[str] = "timeline"
    params_model: ClassVar = TimelineParams


@dataclass(frozen=True, slots=True)
class _Span:
    """An entry's months, first and last inclusive, as month indexes; `label` names it for people."""

    field: str
    label: str
    first: int
    last: int

    def overlap(self, other: _Span) -> int:
        return max(0, min(self.last, other.last) - max(self.first, other.first) + 1)


def _span(entry: Experience | Education, field: str, label: str, as_of: dt.date) -> _Span | None:
    """The months an entry covers, when its start and its end (or "current") are known."""
    if entry.start is None:
        return None
    if entry.end is not None:
        last = entry.end
    elif entry.current:
        last = PartialDate.from_date(as_of)
    else:
        return None
    # Year-only dates widen to the whole year at the end, the narrowest reading at the start:
    # "2015 - 2017" covers Dec 2015 to Jan 2017 at least, so overlaps are never overstated.
    first = entry.start.year * 12 + (entry.start.month or 12) - 1
    end = last.year * 12 + (last.month or 1) - 1
    return _Span(field=field, label=label, first=first, last=end) if end >= first else None


def _role_label(entry: Experience) -> str:
    parts = [part for part in (entry.title, entry.organisation) if part]
    return " at ".join(parts) if parts else "an untitled role"


def _education_label(entry: Education) -> str:
    parts = [part for part in (entry.degree, entry.school) if part]
    return ", ".join(parts) if parts else "an education entry"


def _entries(profile: Profile) -> Iterator[tuple[str, str, Experience | Education]]:
    for index, role in enumerate(profile.experience or []):
        yield f"experience[{index}]", _role_label(role), role
    for index, school in enumerate(profile.education or []):
        yield f"education[{index}]", _education_label(school), school


def _ends_before_start(start: PartialDate, end: PartialDate) -> bool:
    if start.month is None or end.month is None:
        return end.year < start.year
    return end.month_index < start.month_index


class TimelineDatesDetector(_TimelineDetector):
    id: ClassVar[str] = "timeline.dates"
    version: ClassVar[str] = "2"
    requires: ClassVar[tuple[str, ...]] = ("experience|education",)
    description: ClassVar[str] = "Entries ending before they start, future dates, wrong durations."

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        signals: list[Signal] = []
        for field, label, entry in _entries(profile):
            signals.extend(self._entry_signals(field, label, entry, context))
        return signals

    def _entry_signals(
        self, field: str, label: str, entry: Experience | Education, context: AnalysisContext
    ) -> Iterator[Signal]:
        start, end = entry.start, entry.end
        if start is not None and end is not None and _ends_before_start(start, end):
            yield self.signal(
                context,
                "timeline.end_before_start",
                Evidence(field=f"{field}.start", value=str(start)),
                Evidence(field=f"{field}.end", value=str(end)),
                entry=label,
                start=str(start),
                end=str(end),
            )
        # Education may end in the future (a degree under way); a job or a start may not.
        dated = [("start", start)]
        if isinstance(entry, Experience):
            dated.append(("end", end))
        for which, date in dated:
            if date is not None and date.earliest() > context.as_of:
                yield self.signal(
                    context,
                    "timeline.future_date",
                    Evidence(field=f"{field}.{which}", value=str(date)),
                    entry=label,
                    which=which,
                    date=str(date),
                    as_of=context.as_of.isoformat(),
                )
        if isinstance(entry, Experience) and entry.duration_months is not None:
            yield from self._duration_signal(field, label, entry, context)

    def _duration_signal(
        self, field: str, label: str, entry: Experience, context: AnalysisContext
    ) -> Iterator[Signal]:
        start = entry.start
        end = entry.end or (PartialDate.from_date(context.as_of) if entry.current else None)
        if start is None or end is None or start.month is None or end.month is None:
            return
        computed = months_between(start, end) + 1  # LinkedIn counts both end months
        stated = entry.duration_months
        assert stated is not None
        # "less than a year" is read as 0 months: any span of under a year agrees with it.
        shown = min(max(computed, 1), 11) if stated == 0 else stated
        if computed >= 0 and abs(computed - shown) > self.params_.duration_tolerance_months:
            yield self.signal(
                context,
                "timeline.duration_mismatch",
                Evidence(field=f"{field}.duration_months", value=stated),
                Evidence(field=f"{field}.start", value=str(start)),
                entry=label,
                stated=stated,
                computed=computed,
            )


class OverlapDetector(_TimelineDetector):
    id: ClassVar[str] = "timeline.overlap"
    version: ClassVar[str] = "1"
    requires: ClassVar[tuple[str, ...]] = ("experience",)
    description: ClassVar[str] = "Full-time roles at different employers held at the same time."

    def load(self, config: Config) -> None:
        super().load(config)
        self.side_role_ = re.compile(
            rf"(?<!\w)(?:{'|'.join(self.params_.side_role_patterns)})(?!\w)", re.IGNORECASE
        )

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        roles = [
            (role, span)
            for index, role in enumerate(profile.experience or [])
            if (span := _span(role, f"experience[{index}]", _role_label(role), context.as_of))
        ]
        found: dict[str, list[tuple[int, _Span, _Span]]] = {}
        for (role_a, span_a), (role_b, span_b) in itertools.combinations(roles, 2):
            if _same_organisation(role_a, role_b):
                continue
            code = self._overlap_code(role_a, role_b)
            months = span_a.overlap(span_b)
            if code is not None and months >= self._min_months(code):
                found.setdefault(code, []).append((months, span_a, span_b))
        signals = []
        for code, overlaps in sorted(found.items()):
            overlaps.sort(key=lambda item: (-item[0], item[1].field, item[2].field))
            for months, span_a, span_b in overlaps[: self.params_.max_signals_per_code]:
                signals.append(
                    self.signal(
                        context,
                        code,
                        Evidence(field=span_a.field, excerpt=span_a.label),
                        Evidence(field=span_b.field, excerpt=span_b.label),
                        months=months,
                        first=span_a.label,
                        second=span_b.label,
                    )
                )
        return signals

    def _overlap_code(self, role_a: Experience, role_b: Experience) -> str | None:
        types = {role_a.employment_type, role_b.employment_type}
        if types == {"full-time"}:
            return "timeline.overlap_full_time"
        if types <= {None, "full-time"} and not any(
            role.title and self.side_role_.search(role.title) for role in (role_a, role_b)
        ):
            return "timeline.overlap_unknown_type"
        return None

    def _min_months(self, code: str) -> int:
        if code == "timeline.overlap_full_time":
            return self.params_.overlap_full_time_min_months
        return self.params_.overlap_unknown_type_min_months


def _same_organisation(role_a: Experience, role_b: Experience) -> bool:
    if not role_a.organisation or not role_b.organisation:
        return False
    return role_a.organisation.casefold().strip() == role_b.organisation.casefold().strip()


class SeniorityDetector(_TimelineDetector):
    id: ClassVar[str] = "timeline.seniority"
    version: ClassVar[str] = "2"
    requires: ClassVar[tuple[str, ...]] = ("experience",)
    description: ClassVar[str] = "Senior titles that the career history does not support."

    def load(self, config: Config) -> None:
        super().load(config)
        self.seniority_ = SeniorityScale.from_config(config)
        self.side_role_ = re.compile(
            rf"(?<!\w)(?:{'|'.join(self.params_.side_role_patterns)})(?!\w)", re.IGNORECASE
        )

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        return [*self._jumps(profile, context), *self._thin_history(profile, context)]

    def _side_role(self, role: Experience) -> bool:
        """A role held beside the main career (a board seat, volunteering): not a step in it."""
        if role.employment_type == "full-time":
            return False
        if role.employment_type == "volunteer":
            return True
        return bool(role.title and self.side_role_.search(role.title))

    def _jumps(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        dated = sorted(
            (
                (role.start, index, role)
                for index, role in enumerate(profile.experience or [])
                if role.start is not None and role.title and not self._side_role(role)
            ),
            key=lambda item: (item[0].month_index, item[1]),
        )
        signals = []
        for (start_a, index_a, role_a), (start_b, index_b, role_b) in itertools.pairwise(dated):
            assert role_a.title is not None
            assert role_b.title is not None
            level_a = self.seniority_.level(role_a.title)
            level_b = self.seniority_.level(role_b.title)
            months = months_between(start_a, start_b)
            if (
                level_b - level_a >= self.params_.jump_levels
                and months <= self.params_.jump_window_months
            ):
                signals.append(
                    self.signal(
                        context,
                        "timeline.seniority_jump",
                        Evidence(field=f"experience[{index_a}].title", excerpt=role_a.title),
                        Evidence(field=f"experience[{index_b}].title", excerpt=role_b.title),
                        from_level=level_name(level_a),
                        from_title=role_a.title,
                        to_level=level_name(level_b),
                        to_title=role_b.title,
                        months=months,
                    )
                )
        return signals[: self.params_.max_signals_per_code]

    def _thin_history(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        claimed = claimed_title(profile)
        if claimed is None:
            return []
        field, title = claimed
        level = self.seniority_.level(title)
        if level < self.params_.senior_level:
            return []
        roles = profile.experience or []
        earlier = [role for role in roles if role.title != title or not role.current]
        starts = [role.start for role in roles if role.start is not None]
        if starts:
            history_months = months_between(min(starts), PartialDate.from_date(context.as_of))
            thin = history_months < self.params_.senior_min_history_months
        else:
            # No dates at all: only the number of roles speaks.
            history_months = 0
            thin = len(earlier) <= self.params_.senior_max_earlier_roles
        if not thin:
            return []
        return [
            self.signal(
                context,
                "timeline.senior_without_history",
                Evidence(field=field, excerpt=title, start=0, end=len(title)),
                Evidence(field="experience", value=len(roles)),
                level=level_name(level),
                title=title,
                entries=len(earlier),
                years=round(history_months / 12, 1),
            )
        ]


class EducationClashDetector(_TimelineDetector):
    id: ClassVar[str] = "timeline.education"
    version: ClassVar[str] = "2"
    requires: ClassVar[tuple[str, ...]] = ("experience", "education")
    description: ClassVar[str] = (
        "Degrees in an impossible order; senior full-time jobs during a first degree."
    )

    def load(self, config: Config) -> None:
        super().load(config)
        self.seniority_ = SeniorityScale.from_config(config)
        self.degree_kinds_ = {
            kind: re.compile(rf"(?<!\w)(?:{'|'.join(patterns)})(?!\w)", re.IGNORECASE)
            for kind, patterns in self.params_.degree_patterns.items()
        }

    def _kind(self, entry: Education) -> DegreeKind | None:
        text = " ".join(part for part in (entry.degree, entry.field_of_study) if part)
        for kind in ("doctorate", "master", "bachelor"):
            pattern = self.degree_kinds_.get(kind)
            if pattern is not None and pattern.search(text):
                return kind
        return None

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        schools = [
            (index, entry, self._kind(entry)) for index, entry in enumerate(profile.education or [])
        ]
        bachelors = [(index, entry) for index, entry, kind in schools if kind == "bachelor"]
        signals = list(self._degree_order(schools, bachelors, context))
        signals.extend(self._senior_during_undergraduate(profile, bachelors, context))
        return signals[: self.params_.max_signals_per_code * 2]

    def _degree_order(
        self,
        schools: Sequence[tuple[int, Education, DegreeKind | None]],
        bachelors: Sequence[tuple[int, Education]],
        context: AnalysisContext,
    ) -> Iterator[Signal]:
        for index, entry, kind in schools:
            if kind not in {"master", "doctorate"} or entry.end is None:
                continue
            # A bachelor's begun by then could lead to the higher degree; a later one is a second
            # first degree (a career change), not an impossible order.
            if any(
                (begun := lower.start or lower.end) is not None and begun.year <= entry.end.year
                for _, lower in bachelors
            ):
                continue
            for lower_index, lower in bachelors:
                if lower.start is not None and entry.end.year < lower.start.year:
                    yield self.signal(
                        context,
                        "timeline.degree_order",
                        Evidence(field=f"education[{index}].end", value=str(entry.end)),
                        Evidence(field=f"education[{lower_index}].start", value=str(lower.start)),
                        higher="doctorate" if kind == "doctorate" else "master's degree",
                        higher_entry=_education_label(entry),
                        higher_end=str(entry.end),
                        lower_entry=_education_label(lower),
                        lower_start=str(lower.start),
                    )

    def _senior_during_undergraduate(
        self, profile: Profile, bachelors: Sequence[tuple[int, Education]], context: AnalysisContext
    ) -> Iterator[Signal]:
        starts = [role.start for role in profile.experience or [] if role.start is not None]
        career_start = min(starts, key=lambda start: start.month_index) if starts else None
        for role_index, role in enumerate(profile.experience or []):
            if role.employment_type not in {None, "full-time"} or not role.title:
                continue
            level = self.seniority_.level(role.title)
            if level < self.params_.undergraduate_role_min_level:
                continue
            role_span = _span(role, f"experience[{role_index}]", _role_label(role), context.as_of)
            for index, degree in bachelors:
                label = _education_label(degree)
                degree_span = _span(degree, f"education[{index}]", label, context.as_of)
                if role_span is None or degree_span is None:
                    continue
                # Working for years before the degree began: a mature or part-time student.
                if (
                    career_start is not None
                    and degree.start is not None
                    and months_between(career_start, degree.start)
                    >= self.params_.mature_student_career_months
                ):
                    continue
                months = role_span.overlap(degree_span)
                if months >= self.params_.undergraduate_overlap_min_months:
                    yield self.signal(
                        context,
                        "timeline.senior_role_during_undergraduate",
                        Evidence(field=role_span.field, excerpt=role_span.label),
                        Evidence(field=degree_span.field, excerpt=label),
                        level=level_name(level),
                        role=role_span.label,
                        degree=label,
                        months=months,
                    )
