"""The built-in detectors, registered here and nowhere else. Ids are stable: never rename one."""

from __future__ import annotations

from typing import Final

from linkvet.detector import Detector
from linkvet.detectors.account_model import AccountModelDetector
from linkvet.detectors.answers import PersonAnswersDetector
from linkvet.detectors.approach import ApproachPhrasesDetector, ApproachTimingDetector
from linkvet.detectors.obfuscation import ObfuscationDetector
from linkvet.detectors.photo import (
    OnlineReverseSearchDetector,
    PhotoForensicsDetector,
    PhotoMetadataDetector,
    PhotoReuseDetector,
    ReverseSearchLinksDetector,
)
from linkvet.detectors.profile import (
    AccountAgeDetector,
    ConnectionsDetector,
    ContentDetector,
    IdentityDetector,
    PhotoPresenceDetector,
)
from linkvet.detectors.profile_text import EmployerDetector, ProfileTextDetector
from linkvet.detectors.semantic import SemanticDetector
from linkvet.detectors.template import TemplateTextDetector
from linkvet.detectors.timeline import (
    EducationClashDetector,
    OverlapDetector,
    SeniorityDetector,
    TimelineDatesDetector,
)

BUILTIN_DETECTORS: Final[tuple[type[Detector], ...]] = (
    AccountAgeDetector,
    ConnectionsDetector,
    ContentDetector,
    PhotoPresenceDetector,
    IdentityDetector,
    TimelineDatesDetector,
    OverlapDetector,
    SeniorityDetector,
    EducationClashDetector,
    AccountModelDetector,
    ProfileTextDetector,
    EmployerDetector,
    ApproachPhrasesDetector,
    ApproachTimingDetector,
    PersonAnswersDetector,
    ObfuscationDetector,
    SemanticDetector,
    TemplateTextDetector,
    PhotoForensicsDetector,
    PhotoMetadataDetector,
    PhotoReuseDetector,
    ReverseSearchLinksDetector,
    OnlineReverseSearchDetector,
)
