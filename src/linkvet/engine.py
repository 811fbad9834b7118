"""Runs the detectors over a profile, times them, records what was skipped and why, and scores."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Sequence
from pathlib import Path

from linkvet import __version__
from linkvet.config import Config, load_config
from linkvet.detector import AnalysisContext, Detector
from linkvet.model import (
    Assessment,
    DetectorRun,
    DetectorSkip,
    Profile,
    Signal,
    Subject,
    Versions,
)
from linkvet.registry import default_detectors
from linkvet.scoring import score


class Engine:
    """Detectors loaded once, ready to assess any number of profiles.

    A detector that raises is recorded as skipped with the error, so that one faulty plug-in
    cannot hide the others' evidence.
    """

    def __init__(
        self, *, detectors: Sequence[Detector] | None = None, config: Config | None = None
    ) -> None:
        self.config = config if config is not None else load_config()
        self.detectors = tuple(detectors if detectors is not None else default_detectors())
        for detector in self.detectors:
            detector.load(self.config)
        self._versions = Versions(
            linkvet=__version__,
            rules=self.config.version,
            detectors={detector.id: detector.version for detector in self.detectors},
        )

    def assess(
        self, profile: Profile, *, as_of: dt.date | None = None, artifacts_dir: Path | None = None
    ) -> Assessment:
        """Assess `profile` as seen on `as_of` (default: its `observed_at`, else today); pictures
        of evidence (the photo overlay) go to `artifacts_dir` when one is given."""
        reference = as_of or profile.observed_at or dt.date.today()
        context = AnalysisContext(as_of=reference, config=self.config, artifacts_dir=artifacts_dir)
        signals: list[Signal] = []
        ran: list[DetectorRun] = []
        skipped: list[DetectorSkip] = []
        timings: dict[str, float] = {}
        started = time.perf_counter()
        for detector in self.detectors:
            reason = detector.unavailable_reason() or _missing_inputs_reason(detector, profile)
            if reason is not None:
                skipped.append(
                    DetectorSkip(id=detector.id, version=detector.version, reason=reason)
                )
                continue
            detector_started = time.perf_counter()
            try:
                found = detector.analyze(profile, context)
            except Exception as error:
                reason = f"failed: {type(error).__name__}: {str(error)[:200]}"
                skipped.append(
                    DetectorSkip(id=detector.id, version=detector.version, reason=reason)
                )
                continue
            finally:
                timings[detector.id] = time.perf_counter() - detector_started
            signals.extend(found)
            ran.append(DetectorRun(id=detector.id, version=detector.version, signals=len(found)))

        result = score(signals, self.config.scoring)
        settings = self.config.scoring
        timings["total"] = time.perf_counter() - started
        return Assessment(
            subject=Subject(
                platform=profile.platform,
                name=profile.name,
                headline=profile.headline,
                url=profile.url,
            ),
            band=result.band,
            probability=result.probability,
            prior=settings.prior,
            log_odds=result.log_odds,
            reasons=result.reasons,
            advice=settings.advice.get(result.band, ()),
            limitations=settings.limitations,
            detectors_run=tuple(ran),
            detectors_skipped=tuple(skipped),
            as_of=reference,
            versions=self._versions,
            timings=timings,
        )


def _missing_inputs_reason(detector: Detector, profile: Profile) -> str | None:
    missing = detector.missing_inputs(profile)
    if not missing:
        return None
    needs = " and ".join(path.replace("|", " or ") for path in missing)
    return f"needs {needs}, which the profile does not give"
