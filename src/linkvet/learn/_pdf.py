"""HTML to PDF with WeasyPrint, offline. The fetcher serves data: URIs and refuses everything
else (http, https, file, ftp, ...), so nothing inside a document can make WeasyPrint open a
connection or read a local file. Imported only when a PDF is made: WeasyPrint is in the `web`
extra and slow to import."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PIL import ImageFile

# WeasyPrint sets Pillow's process-wide LOAD_TRUNCATED_IMAGES when imported, which would make
# the photo checks accept damaged photos in the same process: put it back as it was.
_TRUNCATED = ImageFile.LOAD_TRUNCATED_IMAGES
from weasyprint import HTML  # type: ignore[import-untyped]  # noqa: E402
from weasyprint.urls import URLFetcher  # type: ignore[import-untyped]  # noqa: E402

ImageFile.LOAD_TRUNCATED_IMAGES = _TRUNCATED


class RefusedResourceError(ValueError):
    """WeasyPrint asked for something other than a data: URI."""


class OfflineFetcher(URLFetcher):  # type: ignore[misc]
    def __init__(self) -> None:
        # Belt and braces: the base class refuses other protocols too.
        super().__init__(timeout=1, allowed_protocols=("data",), allow_redirects=False)

    def fetch(self, url: str, headers: Mapping[str, str] | None = None) -> Any:
        if not url.startswith("data:"):
            raise RefusedResourceError(f"linkvet documents load no external resources: {url!r}")
        return super().fetch(url, headers)


def html_to_pdf(html: str) -> bytes:
    # No base URL: relative references resolve to nothing rather than to the working directory.
    pdf: bytes = HTML(string=html, base_url=None, url_fetcher=OfflineFetcher()).write_pdf()
    return pdf
