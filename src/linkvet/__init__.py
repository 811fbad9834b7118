"""linkvet: digital due diligence on unknown contacts from professional and social networks."""

from __future__ import annotations

__version__ = "0.1.0"

from linkvet.api import assess, load_profile
from linkvet.config import Config, load_config
from linkvet.detector import AnalysisContext, Detector
from linkvet.engine import Engine
from linkvet.errors import ConfigError, InputError, LinkvetError
from linkvet.model import (
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
