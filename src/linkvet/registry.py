"""Where detectors come from: the built-ins, and third-party ones through the entry-point group
`linkvet.detectors` (each entry point names a `Detector` subclass)."""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping, Sequence
from importlib.metadata import entry_points
from typing import Any, Final

from linkvet.detector import Detector
from linkvet.detectors import BUILTIN_DETECTORS
from linkvet.errors import LinkvetError

ENTRY_POINT_GROUP: Final = "linkvet.detectors"


def plugin_detector_classes() -> list[type[Detector]]:
    """Detector classes that installed packages register; a broken one is reported and left out."""
    found = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except Exception as error:
            warnings.warn(f"detector plug-in {entry.name!r} failed to load: {error}", stacklevel=2)
            continue
        if not (isinstance(loaded, type) and issubclass(loaded, Detector)):
            warnings.warn(f"detector plug-in {entry.name!r} is not a Detector class", stacklevel=2)
            continue
        found.append(loaded)
    return found


def available_detector_classes() -> list[type[Detector]]:
    """Built-ins first, then plug-ins, each id once (a plug-in cannot replace a built-in)."""
    classes: dict[str, type[Detector]] = {}
    for cls in [*BUILTIN_DETECTORS, *plugin_detector_classes()]:
        if cls.id in classes:
            warnings.warn(
                f"detector id {cls.id!r} registered twice; keeping the first", stacklevel=2
            )
            continue
        classes[cls.id] = cls
    return list(classes.values())


# Keyword arguments for some detectors' constructors, by detector id: resources the caller owns
# (a store of earlier profiles) or switches (`{"approach.semantic": {"enabled": True}}`).
DetectorOptions = Mapping[str, Mapping[str, Any]]


def default_detectors(*, options: DetectorOptions | None = None) -> list[Detector]:
    """A fresh instance of every available local detector; remote ones are left out. Opt-in ones
    are present but switched off, so that the assessment says so, unless `options` enable them."""
    return [
        _instance(cls, options or {}, explicit=False)
        for cls in available_detector_classes()
        if not cls.remote
    ]


def select_detectors(
    ids: Iterable[str], *, options: DetectorOptions | None = None
) -> list[Detector]:
    """Instances of the detectors named by id, or by a family prefix such as `timeline`. An
    opt-in detector named by its own id is switched on."""
    wanted: Sequence[str] = [item.strip() for item in ids if item.strip()]
    classes = available_detector_classes()
    chosen: list[type[Detector]] = []
    for name in wanted:
        matches = [cls for cls in classes if cls.id == name or cls.id.startswith(f"{name}.")]
        if not matches:
            known = ", ".join(cls.id for cls in classes)
            raise LinkvetError(f"no detector '{name}'; known detectors: {known}")
        chosen.extend(cls for cls in matches if cls not in chosen)
    return [_instance(cls, options or {}, explicit=cls.id in wanted) for cls in chosen]


def _instance(cls: type[Detector], options: DetectorOptions, *, explicit: bool) -> Detector:
    arguments = dict(options.get(cls.id, {}))
    if cls.opt_in and "enabled" not in arguments:
        arguments["enabled"] = explicit
    return cls(**arguments)
