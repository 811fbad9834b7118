"""The Python API: `assess(profile | dict | path)` and `load_profile(...)`."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any, BinaryIO, Final

from pydantic import ValidationError

from linkvet.engine import Engine
from linkvet.errors import InputError, describe_validation_error
from linkvet.ingest.detect import refuse_non_json
from linkvet.ingest.json_resume import looks_like_json_resume, profile_from_json_resume
from linkvet.ingest.reader import ReadInput, read_input
from linkvet.model import Assessment, Profile

# A profile with an inline photo fits easily; anything larger is not a profile.
MAX_INPUT_BYTES: Final = 32 * 1024 * 1024

ProfileSource = Profile | dict[str, Any] | str | Path


def read_limited(stream: BinaryIO, *, source: str) -> bytes:
    """Read at most MAX_INPUT_BYTES from a stream, refusing more without reading it all."""
    data = stream.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"larger than the {_megabytes(MAX_INPUT_BYTES)} limit", source=source)
    return data


def parse_profile_json(data: bytes | str, *, source: str = "<input>") -> Profile:
    """A `Profile` from linkvet JSON or JSON Resume (told apart by their content); every problem
    is an `InputError` naming the field."""
    parsed = parse_json_object(data, source=source)
    if looks_like_json_resume(parsed):
        return profile_from_json_resume(parsed, source=source)
    return profile_from_dict(parsed, source=source)


def parse_json_object(data: bytes | str, *, source: str = "<input>") -> dict[str, Any]:
    """The one JSON object in `data`; an `InputError` saying what the data is otherwise."""
    if len(data) > MAX_INPUT_BYTES:
        raise InputError(f"larger than the {_megabytes(MAX_INPUT_BYTES)} limit", source=source)
    refuse_non_json(data if isinstance(data, bytes) else data.encode()[:16], source=source)
    try:
        parsed = json.loads(data)
    except json.JSONDecodeError as error:
        raise InputError(
            f"not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}",
            source=source,
        ) from None
    except UnicodeDecodeError:
        raise InputError("not valid JSON: the file is not UTF-8 text", source=source) from None
    except RecursionError:
        raise InputError("not valid JSON for a profile: nested too deeply", source=source) from None
    if not isinstance(parsed, dict):
        kind = type(parsed).__name__.replace("dict", "object").replace("list", "array")
        raise InputError(
            f"expected a JSON object describing one profile, got {kind}", source=source
        )
    return parsed


def profile_from_dict(data: dict[str, Any], *, source: str = "<input>") -> Profile:
    try:
        return Profile.model_validate(data)
    except ValidationError as error:
        raise InputError(describe_validation_error(error), source=source) from None
    except RecursionError:
        raise InputError("nested too deeply to be a profile", source=source) from None


def read_profile_file(path: str | Path) -> Profile:
    """A `Profile` from a profile file of any kind `read_input_file` reads."""
    return read_input_file(path).profile


def read_input_file(path: str | Path, *, pictures: Path | None = None) -> ReadInput:
    """The profile in a file, whatever its kind (linkvet JSON, JSON Resume, a LinkedIn PDF or a
    screenshot, told apart by content), and how it was read; a relative photo path in JSON is
    taken from the file's folder."""
    path = Path(path)
    source = str(path)
    try:
        if path.stat().st_size > MAX_INPUT_BYTES:
            raise InputError(f"larger than the {_megabytes(MAX_INPUT_BYTES)} limit", source=source)
        with path.open("rb") as stream:
            data = read_limited(stream, source=source)
    except IsADirectoryError:
        raise InputError("is a folder, not a profile file", source=source) from None
    except FileNotFoundError:
        raise InputError("no such file", source=source) from None
    except OSError as error:
        raise InputError(f"cannot read the file ({error.strerror})", source=source) from None
    read = read_input(data, source=source, pictures=pictures)
    return dataclasses.replace(read, profile=_photos_relative_to(read.profile, path.parent))


def load_profile(source: ProfileSource) -> Profile:
    """A `Profile` from a `Profile`, a dict of its fields, or the path of a JSON file."""
    if isinstance(source, Profile):
        return source
    if isinstance(source, dict):
        return profile_from_dict(source)
    if isinstance(source, str | Path):
        return read_profile_file(source)
    raise TypeError(f"cannot read a profile from {type(source).__name__}")


@cache
def default_engine() -> Engine:
    """The engine with every available local detector and the rules in force, built once."""
    return Engine()


def assess(
    profile: ProfileSource, *, engine: Engine | None = None, as_of: dt.date | None = None
) -> Assessment:
    """Assess one contact: a band, a probability, the reasons ranked, and what was not checked."""
    return (engine or default_engine()).assess(load_profile(profile), as_of=as_of)


def _photos_relative_to(profile: Profile, folder: Path) -> Profile:
    updates = {}
    for name in ("photo", "banner"):
        photo = getattr(profile, name)
        if photo is not None and photo.path is not None and not Path(photo.path).is_absolute():
            updates[name] = photo.model_copy(update={"path": str(folder / photo.path)})
    return profile.model_copy(update=updates) if updates else profile


def _megabytes(size: int) -> str:
    return f"{size // (1024 * 1024)} MB"
