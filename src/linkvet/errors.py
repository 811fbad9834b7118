"""Errors a user can act on. Each message names what is wrong and where; none carries a traceback."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from pydantic import ValidationError

# Messages list at most this many problems, so that a hostile file cannot flood the terminal.
MAX_LISTED_PROBLEMS: Final = 10


class LinkvetError(Exception):
    """Base of every error linkvet raises on purpose."""


class InputError(LinkvetError):
    """The profile given cannot be used: unreadable, malformed, too large or with invalid fields."""

    def __init__(self, message: str, *, source: str | None = None) -> None:
        self.source = source
        self.detail = message
        super().__init__(f"{source}: {message}" if source else message)


class ConfigError(LinkvetError):
    """A rule or scoring file is malformed."""


def field_path(location: Sequence[int | str]) -> str:
    """Turn pydantic's location tuple into a path such as `experience[2].start`."""
    path = ""
    for part in location:
        if isinstance(part, int):
            path += f"[{part}]"
        elif not path:
            path = part
        else:
            path += f".{part}"
    return path or "(top level)"


def describe_validation_error(error: ValidationError) -> str:
    """One line per problem, naming the field; the offending input is never echoed back."""
    lines = []
    for problem in error.errors(include_input=False, include_url=False)[:MAX_LISTED_PROBLEMS]:
        location = [part for part in problem["loc"] if not _is_internal(part)]
        message = problem["msg"].removeprefix("Value error, ")
        if problem["type"] == "extra_forbidden":
            message = "unknown field (check its spelling)"
        lines.append(f"{field_path(location)}: {message}")
    hidden = error.error_count() - MAX_LISTED_PROBLEMS
    if hidden > 0:
        lines.append(f"... and {hidden} more problem(s)")
    return "; ".join(lines)


def _is_internal(part: int | str) -> bool:
    # pydantic names union branches and validator functions in locations; users need neither.
    return isinstance(part, str) and (
        part.startswith("function-") or part in {"str", "int", "list[str]"} or "[" in part
    )
