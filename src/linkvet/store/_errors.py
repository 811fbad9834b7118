"""The errors the case store raises on purpose."""

from __future__ import annotations

from linkvet.errors import LinkvetError


class StoreError(LinkvetError):
    """The case store cannot be opened, refused an input, or failed to read or write."""


class NotFound(StoreError):
    """No such case, account or token in the organisation: exactly what an id from another
    organisation gets too."""


class StoreUnavailable(StoreError):
    """The database could not be reached or was too busy: worth trying again, not the input's
    fault."""
