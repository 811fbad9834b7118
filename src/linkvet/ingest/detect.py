"""What a file is, from its content rather than its name (see `reader.read_input`), and a clear
refusal where only JSON is read: an export archive, a PDF or a screenshot given as JSON."""

from __future__ import annotations

from typing import Final

from linkvet.errors import InputError

ZIP_MAGIC: Final = b"PK\x03\x04"
PDF_MAGIC: Final = b"%PDF-"
IMAGE_MAGIC: Final = (b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff", b"GIF8", b"RIFF")


def refuse_non_json(data: bytes, *, source: str) -> None:
    """Raise InputError naming the kind of file when `data` is not JSON at all."""
    head = data[:16]
    if head.startswith(ZIP_MAGIC):
        raise InputError(
            "this is a zip archive, not one profile: for LinkedIn's data export use "
            "`linkvet scan-export ARCHIVE.zip`",
            source=source,
        )
    if head.startswith(PDF_MAGIC):
        raise InputError(
            "this is a PDF, not JSON: give LinkedIn's 'Save to PDF' file to `linkvet check`, "
            "which reads it",
            source=source,
        )
    if head.startswith(IMAGE_MAGIC):
        raise InputError(
            "this is an image, not JSON: give a profile screenshot to `linkvet check`, which "
            "reads it; a profile photo goes in the profile's `photo` field",
            source=source,
        )
