"""The one error the case store raises on purpose."""

from __future__ import annotations

from linkvet.errors import LinkvetError


class StoreError(LinkvetError):
    """The case store cannot be opened, refused an input, or failed to read or write."""
