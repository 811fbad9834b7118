"""The role a profile claims now: its current position, or failing that its headline."""

from __future__ import annotations

from linkvet.model import Profile


def claimed_title(profile: Profile) -> tuple[str, str] | None:
    """(field path, title) of the current role, or None when the profile claims none."""
    for index, entry in enumerate(profile.experience or []):
        if entry.current and entry.title:
            return f"experience[{index}].title", entry.title
    if profile.headline:
        return "headline", profile.headline
    return None
