"""linkvet: digital due diligence on unknown contacts from professional and social networks."""

from __future__ import annotations

__version__ = "0.1.0"

from linkvet.api import assess, load_profile  # noqa: E402
from linkvet.config import Config, load_config  # noqa: E402
from linkvet.detector import AnalysisContext, Detector  # noqa: E402
from linkvet.engine import Engine  # noqa: E402
from linkvet.errors import ConfigError, InputError, LinkvetError  # noqa: E402
from linkvet.model import (  # noqa: E402
    Assessment,
    Band,
    Evidence,
    IndicatorGroup,
    Profile,
    Signal,
)

__all__ = [
    "AnalysisContext",
    "Assessment",
    "Band",
    "Config",
    "ConfigError",
    "Detector",
    "Engine",
    "Evidence",
    "IndicatorGroup",
    "InputError",
    "LinkvetError",
    "Profile",
    "Signal",
    "__version__",
    "assess",
    "load_config",
    "load_profile",
]
