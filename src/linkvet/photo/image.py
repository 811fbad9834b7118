"""Reading a profile photo safely, and bringing it to the one form every photo check works on.

A photo is untrusted input: it may be truncated, not an image at all, a decompression bomb, an
animated GIF, CMYK, 16-bit, transparent or rotated by an EXIF tag. `load_photo` turns all of that
into a `LoadedPhoto` or a `PhotoError` naming what is wrong, with bounded memory: the byte size
and the pixel count are checked before any pixel is decoded.

The checks then work on a normalised copy: RGB, orientation applied, at most 512 pixels a side,
re-encoded as JPEG quality 85. Platforms resize and re-encode uploads, and the training data
comes from sources with different sizes and JPEG qualities; putting every photo through the same
step keeps the forensic features about the face, not about the file (see faces/SOURCES.md, Traps).
"""

from __future__ import annotations

import hashlib
import io
import struct
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

# Far above any profile photo (a 12-megapixel phone photo is 12 million pixels), far below
# Pillow's own bomb limit (89 million): a PNG this large still costs up to about 600 MB decoded.
MAX_PHOTO_BYTES: Final = 20_000_000
MAX_PIXELS: Final = 25_000_000
MAX_ASPECT: Final = 10
MIN_SIDE: Final = 16
NORMALISED_SIDE: Final = 512
NORMALISED_QUALITY: Final = 85
FORMATS: Final = ("JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF")


# What Pillow's decoders raise on damaged files: beyond the documented OSError, malformed TIFF and
# EXIF structures surface as type, key, index and struct errors.
DECODER_ERRORS: Final = (
    OSError, SyntaxError, ValueError, EOFError, TypeError, KeyError, IndexError, struct.error,
    ZeroDivisionError,
)  # fmt: skip


class PhotoError(ValueError):
    """The photo cannot be analysed; the message says why, in words a user can act on."""


@dataclass(frozen=True)
class LoadedPhoto:
    """A photo read and checked: its bytes, what the file said about itself, and the normalised
    RGB pixels the checks use."""

    data: bytes
    format: str
    width: int
    height: int
    mode: str
    info: dict[str, object] = field(repr=False)
    exif: dict[int, object] = field(repr=False)
    pixels: np.ndarray = field(repr=False)  # normalised: RGB uint8, at most 512 px a side
    frames: int = 1

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_photo_bytes(path: Path | str) -> bytes:
    """The bytes of a photo file, refusing a folder, a missing file or more than the size cap."""
    path = Path(path)
    try:
        if path.is_dir():
            raise PhotoError(f"{path} is a folder, not a photo")
        if not path.is_file():
            # Devices and pipes report no size and may never end: only regular files are read.
            raise (
                PhotoError(f"{path}: no such file")
                if not path.exists()
                else PhotoError(f"{path} is not a regular file")
            )
        if path.stat().st_size > MAX_PHOTO_BYTES:
            raise PhotoError(f"{path} is larger than {MAX_PHOTO_BYTES // 1_000_000} MB")
        with path.open("rb") as stream:
            data = stream.read(MAX_PHOTO_BYTES + 1)  # the file may grow after stat()
        if len(data) > MAX_PHOTO_BYTES:
            raise PhotoError(f"{path} is larger than {MAX_PHOTO_BYTES // 1_000_000} MB")
        return data
    except FileNotFoundError:
        raise PhotoError(f"{path}: no such file") from None
    except OSError as error:
        raise PhotoError(f"{path}: cannot read the file ({error.strerror})") from None


def load_photo(data: bytes) -> LoadedPhoto:
    """Decode and normalise a photo, or raise `PhotoError` saying why it cannot be analysed."""
    if len(data) > MAX_PHOTO_BYTES:
        raise PhotoError(f"the photo is larger than {MAX_PHOTO_BYTES // 1_000_000} MB")
    if not data:
        raise PhotoError("the photo file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data), formats=FORMATS)
            # The header gives the size before any pixel is decoded: refuse bombs here.
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise PhotoError(
                    f"the photo is {width}x{height} pixels, more than the {MAX_PIXELS:,} "
                    "linkvet decodes (a photo this large is not a profile photo)"
                )
            if min(width, height) < MIN_SIDE:
                raise PhotoError(f"the photo is only {width}x{height} pixels: too small to analyse")
            if max(width, height) > MAX_ASPECT * min(width, height):
                raise PhotoError(f"the photo is {width}x{height} pixels: not a photo of a person")
            frames = getattr(image, "n_frames", 1)
            image.seek(0)  # an animated image is judged by its first frame
            # A large JPEG is decoded at a reduced scale straight away: a fraction of the memory.
            image.draft("RGB", (2 * NORMALISED_SIDE, 2 * NORMALISED_SIDE))
            image.load()
            exif = dict(image.getexif())
            info = {str(key): value for key, value in image.info.items()}
            pixels = normalise_pixels(_upright(image))
            return LoadedPhoto(
                data=data,
                format=image.format or "unknown",
                width=width,
                height=height,
                mode=image.mode,
                info=info,
                exif=exif,
                pixels=pixels,
                frames=frames,
            )
    except PhotoError:
        raise
    except UnidentifiedImageError:
        raise PhotoError(
            "the file is not an image linkvet can read (JPEG, PNG, GIF, WebP, BMP or TIFF)"
        ) from None
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise PhotoError("the photo declares more pixels than linkvet decodes") from None
    except DECODER_ERRORS as error:
        raise PhotoError(f"the photo is damaged or truncated ({_short(error)})") from None


def _upright(image: Image.Image) -> Image.Image:
    """The image turned as its EXIF orientation says; as it is when that tag cannot be read."""
    try:
        return ImageOps.exif_transpose(image)
    except DECODER_ERRORS:
        return image


def normalise_pixels(image: Image.Image) -> np.ndarray:
    """RGB (transparency laid on white), at most 512 px a side, re-encoded as JPEG quality 85."""
    if image.mode in {"RGBA", "LA", "PA"} or "transparency" in image.info:
        rgba = image.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        rgb = Image.alpha_composite(background, rgba).convert("RGB")
    elif image.mode in {"I;16", "I;16B", "I;16L", "I"}:
        # 16-bit greyscale: scale to 8 bits rather than clip.
        array = np.asarray(image, dtype=np.float64)
        peak = array.max() or 1.0
        rgb = Image.fromarray((array / peak * 255).astype(np.uint8)).convert("RGB")
    else:
        rgb = image.convert("RGB")
    rgb.thumbnail((NORMALISED_SIDE, NORMALISED_SIDE), Image.Resampling.LANCZOS)
    buffer = io.BytesIO()
    rgb.save(buffer, "JPEG", quality=NORMALISED_QUALITY)
    with Image.open(io.BytesIO(buffer.getvalue())) as reencoded:
        return np.asarray(reencoded.convert("RGB"), dtype=np.uint8)


def _short(error: BaseException) -> str:
    text = str(error) or type(error).__name__
    return text if len(text) <= 120 else text[:119] + "…"
