"""Reading untrusted profile photos (`linkvet.photo.image`): every input, however broken, gives a
`LoadedPhoto` or a `PhotoError` whose message says what is wrong, never another exception, in
bounded time and memory.

Photos are real files built here with Pillow, or written byte by byte where Pillow would refuse to
write them (a decompression bomb, damaged EXIF and TIFF structures, HEIC-like headers). Whatever is
accepted is checked in its normalised form: RGB uint8, at most 512 pixels a side, upright,
transparency laid on white.
"""

from __future__ import annotations

import hashlib
import io
import os
import struct
import subprocess
import sys
import time
import warnings
import zlib
from datetime import timedelta
from pathlib import Path
from typing import Any, Final

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, features

from linkvet.photo.image import (
    MAX_PHOTO_BYTES,
    MAX_PIXELS,
    MIN_SIDE,
    NORMALISED_SIDE,
    LoadedPhoto,
    PhotoError,
    load_photo,
    read_photo_bytes,
)
from tests.conftest import ROOT

FORMATS_NAMED: Final = "JPEG, PNG, GIF, WebP, BMP or TIFF"
DAMAGED: Final = "damaged or truncated"
TIMES: Final = "x"  # how the messages write a size
# Generous for a slow CI machine; a photo that is decoded when it should be refused takes far more.
SECONDS_PER_PHOTO: Final = 5.0
RED: Final = (255, 0, 0)
WHITE: Final = (255, 255, 255)


# ---------------------------------------------------------------------------------------------
# Building photos


def encoded(image: Image.Image, fmt: str, **params: Any) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **params)
    return buffer.getvalue()


def noise(width: int, height: int, *, seed: int = 0) -> Image.Image:
    """A photo-like picture: random pixels, so that its encoded form is long and dense."""
    rng = np.random.default_rng(seed)
    return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))


def half_red(mode: str, size: tuple[int, int], *, other: Any) -> Image.Image:
    """Left half red (or the mode's equivalent), right half `other`."""
    image = Image.new(mode, size, other)
    red: Any = {"RGBA": (*RED, 255), "P": 1, "L": 200, "RGB": RED}[mode]
    image.paste(red, (0, 0, size[0] // 2, size[1]))
    return image


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def png_declaring(width: int, height: int) -> bytes:
    """A complete, valid 1-bit greyscale PNG of `width` by `height` black pixels, built without
    ever holding the pixels: each row is compressed as it is made. 20,000 by 20,000 fits in
    about 50 kB and would take 400 MB as decoded 1-bit pixels, 1.2 GB as RGB."""
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    compressor = zlib.compressobj(9)
    row = bytes(1 + (width + 7) // 8)  # filter byte, then the packed bits
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", header)
        + _png_chunk(b"IDAT", pixels)
        + _png_chunk(b"IEND", b"")
    )


# EXIF field types (TIFF 6.0): the numbers a file carries.
ASCII: Final = 2
SHORT: Final = 3
ORIENTATION: Final = 0x0112
Y_RESOLUTION: Final = 0x011B  # a RATIONAL tag


def exif_block(entries: list[tuple[int, int, int, bytes]]) -> bytes:
    """An EXIF segment body written by hand (big-endian TIFF, one IFD), so that a tag may carry
    a type other than the standard one, as damaged or badly written files do.
    Each entry: (tag, type, count, value bytes)."""
    data_offset = 8 + 2 + 12 * len(entries) + 4
    directory = struct.pack(">H", len(entries))
    extra = b""
    for tag, kind, count, value in entries:
        if len(value) <= 4:
            directory += struct.pack(">HHI", tag, kind, count) + value.ljust(4, b"\0")
        else:
            directory += struct.pack(">HHII", tag, kind, count, data_offset + len(extra))
            extra += value
    return b"Exif\0\0MM\0*" + struct.pack(">I", 8) + directory + struct.pack(">I", 0) + extra


# A small valid JPEG and PNG, and the headers the property tests append random bytes to.
SMALL_JPEG: Final = encoded(noise(64, 48), "JPEG", quality=90)
SMALL_PNG: Final = encoded(noise(64, 48), "PNG")
PNG_HEADER: Final = SMALL_PNG[:33]  # signature and IHDR: a 64 x 48 RGB picture follows
_START_OF_SCAN: Final = SMALL_JPEG.index(b"\xff\xda")
JPEG_HEADERS: Final = (
    SMALL_JPEG[:20],  # SOI and the JFIF APP0 segment
    SMALL_JPEG[:_START_OF_SCAN],  # every table and the frame header, up to the scan
    SMALL_JPEG[: _START_OF_SCAN + 14],  # and the scan header: entropy-coded data follows
)


# ---------------------------------------------------------------------------------------------
# Reading


def outcome(data: bytes) -> LoadedPhoto | PhotoError:
    """What `load_photo` makes of `data`: a photo or a PhotoError; anything else fails the test.
    Pillow's warnings about damaged metadata are not failures."""
    started = time.perf_counter()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            result: LoadedPhoto | PhotoError = load_photo(data)
    except PhotoError as error:
        result = error
    elapsed = time.perf_counter() - started
    assert elapsed < SECONDS_PER_PHOTO, f"took {elapsed:.1f} s"
    return result


def loaded(data: bytes) -> LoadedPhoto:
    result = outcome(data)
    assert isinstance(result, LoadedPhoto), f"refused: {result}"
    assert_normalised(result)
    return result


def refused(data: bytes) -> str:
    result = outcome(data)
    assert isinstance(result, PhotoError), f"accepted: {result}"
    message = str(result)
    assert message
    assert "Traceback" not in message
    return message


def assert_normalised(photo: LoadedPhoto) -> None:
    pixels = photo.pixels
    assert pixels.dtype == np.uint8
    assert pixels.ndim == 3
    assert pixels.shape[2] == 3
    assert max(pixels.shape[:2]) <= NORMALISED_SIDE


def assert_colour(
    pixel: np.ndarray, expected: tuple[int, int, int], *, tolerance: int = 12
) -> None:
    """JPEG re-encoding moves colours a little; a wrong colour is far off."""
    difference = np.abs(pixel.astype(int) - np.array(expected))
    assert difference.max() <= tolerance, f"{pixel.tolist()} is not {expected}"


def run_python(code: str, *, memory_limit: int | None = None, timeout: float = 60) -> str:
    """Run `code` in a fresh interpreter (optionally with its address space capped, so that an
    unbounded read fails there and not in the test process); returns what it prints."""
    prelude = "import resource\n"
    if memory_limit is not None:
        prelude += f"resource.setrlimit(resource.RLIMIT_AS, ({memory_limit}, {memory_limit}))\n"
    completed = subprocess.run(
        [sys.executable, "-c", prelude + code],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env={**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"},
        check=False,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout.strip()


# ---------------------------------------------------------------------------------------------
# Not a photo at all


def test_empty_bytes_are_refused() -> None:
    assert refused(b"") == "the photo file is empty"


def test_a_text_file_named_jpg_is_refused_naming_the_formats(tmp_path: Path) -> None:
    path = tmp_path / "portrait.jpg"
    path.write_text(
        "Emma Clarke, Senior Director\nhttps://example.com/emma.jpg\n", encoding="utf-8"
    )
    message = refused(read_photo_bytes(path))
    assert "not an image" in message
    assert FORMATS_NAMED in message


@pytest.mark.parametrize(
    "data",
    [
        pytest.param(
            b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + bytes(256) + b"mdat" + bytes(64), id="heic"
        ),
        pytest.param(
            b"\0\0\0\x1cftypavif\0\0\0\0avifmif1miaf" + bytes(256) + b"mdat" + bytes(64),
            id="avif",
        ),
        pytest.param(encoded(noise(32, 32), "ICO"), id="ico-which-pillow-reads"),
        pytest.param(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n", id="pdf"),
    ],
)
def test_formats_linkvet_does_not_read_are_refused_with_the_list(data: bytes) -> None:
    message = refused(data)
    assert FORMATS_NAMED in message


@pytest.mark.skipif(not features.check("avif"), reason="this Pillow cannot write AVIF")
def test_a_real_avif_photo_is_refused_with_the_list() -> None:
    message = refused(encoded(noise(64, 64), "AVIF"))
    assert FORMATS_NAMED in message


# ---------------------------------------------------------------------------------------------
# Damaged


@pytest.mark.parametrize("fraction", [0.5, 0.9])
@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_truncated_photos_are_refused_as_damaged(fmt: str, fraction: float) -> None:
    whole = encoded(noise(120, 90), fmt)
    assert DAMAGED in refused(whole[: int(len(whole) * fraction)])


@pytest.mark.parametrize("data", [SMALL_PNG[:20], SMALL_JPEG[:3]], ids=["png", "jpeg"])
def test_a_photo_cut_inside_its_header_is_refused(data: bytes) -> None:
    message = refused(data)
    assert FORMATS_NAMED in message or DAMAGED in message


# ---------------------------------------------------------------------------------------------
# Too large, too small


def test_a_decompression_bomb_is_refused_from_its_header() -> None:
    bomb = png_declaring(20_000, 20_000)
    assert len(bomb) < 100_000
    assert struct.unpack(">II", bomb[16:24]) == (20_000, 20_000)
    started = time.perf_counter()
    message = refused(bomb)
    assert time.perf_counter() - started < 1.0  # decoding it would take many seconds
    assert "more pixels than linkvet decodes" in message


def test_a_photo_over_the_pixel_cap_is_refused_naming_its_size() -> None:
    # 49 million pixels: under Pillow's own bomb limit, over linkvet's.
    assert MAX_PIXELS < 7_000 * 7_000
    message = refused(png_declaring(7_000, 7_000))
    assert f"7000{TIMES}7000" in message
    assert f"{MAX_PIXELS:,}" in message


def test_refusing_bombs_takes_no_memory() -> None:
    """In a fresh process, so that the peak resident size measures this load alone."""
    code = (
        "from tests.test_photo_input import png_declaring\n"
        "from linkvet.photo.image import load_photo, PhotoError\n"
        "bombs = [png_declaring(20_000, 20_000), png_declaring(7_000, 7_000)]\n"
        "before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
        "for bomb in bombs:\n"
        "    try:\n"
        "        load_photo(bomb)\n"
        "    except PhotoError:\n"
        "        pass\n"
        "    else:\n"
        "        raise SystemExit('a bomb was accepted')\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before)\n"
    )
    growth_kib = int(run_python(code))
    assert growth_kib < 50_000, f"peak memory grew by {growth_kib // 1024} MB"


@pytest.mark.parametrize("size", [(1, 1), (15, 15), (15, 400), (400, 15)])
def test_photos_too_small_to_analyse_are_refused(size: tuple[int, int]) -> None:
    message = refused(encoded(Image.new("RGB", size, RED), "PNG"))
    assert f"{size[0]}{TIMES}{size[1]}" in message
    assert "too small" in message


def test_the_smallest_photo_accepted() -> None:
    photo = loaded(encoded(Image.new("RGB", (MIN_SIDE, MIN_SIDE), RED), "PNG"))
    assert photo.pixels.shape == (MIN_SIDE, MIN_SIDE, 3)


@pytest.mark.parametrize(
    ("size", "fmt", "normalised"),
    [((5000, 5000), "JPEG", (512, 512)), ((5000, 2500), "PNG", (256, 512))],
)
def test_large_photos_are_normalised_to_512_a_side(
    size: tuple[int, int], fmt: str, normalised: tuple[int, int]
) -> None:
    image = Image.new("RGB", size, WHITE)
    image.paste(RED, (0, 0, size[0] // 4, size[1] // 4))  # a marker in the top-left corner
    photo = loaded(encoded(image, fmt))
    assert (photo.width, photo.height, photo.format) == (*size, fmt)
    assert photo.pixels.shape == (*normalised, 3)
    assert_colour(photo.pixels[10, 10], RED)
    assert_colour(photo.pixels[-10, -10], WHITE)


# ---------------------------------------------------------------------------------------------
# Unusual but valid


def test_an_animated_gif_is_judged_by_its_first_frame() -> None:
    frames = [Image.new("RGB", (40, 40), colour) for colour in (RED, (0, 255, 0), (0, 0, 255))]
    data = encoded(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    photo = loaded(data)
    assert photo.format == "GIF"
    assert photo.frames == 3
    assert_colour(photo.pixels[20, 20], RED)


def test_a_still_photo_has_one_frame() -> None:
    assert loaded(SMALL_JPEG).frames == 1


def test_a_cmyk_jpeg_is_converted_to_rgb() -> None:
    photo = loaded(encoded(Image.new("CMYK", (40, 40), (0, 255, 255, 0)), "JPEG"))
    assert photo.mode == "CMYK"
    assert_colour(photo.pixels[20, 20], RED)


def test_16_bit_greyscale_is_scaled_to_8_bits_not_clipped() -> None:
    ramp = np.tile(np.linspace(0, 65535, 256).astype(np.uint16), (32, 1))
    photo = loaded(encoded(Image.fromarray(ramp), "PNG"))
    assert photo.mode == "I;16"
    row = photo.pixels[16, :, 0].astype(int)
    # Clipping at 255 (Pillow's plain conversion) would make all but the first 0.4% white.
    assert row[:8].max() < 12
    assert abs(row[128] - 128) < 12
    assert row[-8:].min() > 240
    assert all(np.diff(row[::16]) > 0)  # still a ramp
    assert np.array_equal(photo.pixels[..., 0], photo.pixels[..., 2])  # grey


@pytest.mark.parametrize(
    "image",
    [
        pytest.param(half_red("RGBA", (40, 40), other=(0, 0, 0, 0)), id="rgba"),
        pytest.param(
            Image.merge("LA", (Image.new("L", (40, 40), 0), half_red("L", (40, 40), other=0))),
            id="la",
        ),
    ],
)
def test_transparency_is_laid_on_white(image: Image.Image) -> None:
    photo = loaded(encoded(image, "PNG"))
    assert_colour(photo.pixels[20, 35], WHITE)  # transparent black must not show as black


def test_rgba_opaque_part_keeps_its_colour() -> None:
    photo = loaded(encoded(half_red("RGBA", (40, 40), other=(0, 0, 0, 0)), "PNG"))
    assert photo.mode == "RGBA"
    assert_colour(photo.pixels[20, 5], RED)
    assert_colour(photo.pixels[20, 35], WHITE)


def test_palette_transparency_is_laid_on_white() -> None:
    image = half_red("P", (40, 40), other=0)
    image.putpalette([0, 0, 0, *RED])
    photo = loaded(encoded(image, "PNG", transparency=0))
    assert photo.mode == "P"
    assert_colour(photo.pixels[20, 5], RED)
    assert_colour(photo.pixels[20, 35], WHITE)


@pytest.mark.parametrize(
    ("mode", "key"), [("RGB", (0, 0, 0)), ("L", 0)], ids=["rgb-colour-key", "grey-colour-key"]
)
def test_a_transparent_colour_key_is_laid_on_white(mode: str, key: Any) -> None:
    photo = loaded(encoded(half_red(mode, (40, 40), other=key), "PNG", transparency=key))
    assert_colour(photo.pixels[20, 35], WHITE)


# Each orientation, and how to store an upright picture so that a viewer applying it shows it
# upright (EXIF 6: "rotate 90° clockwise to view", so the file holds it turned anticlockwise).
STORED_TURNED: Final = {
    3: Image.Transpose.ROTATE_180,
    6: Image.Transpose.ROTATE_90,
    8: Image.Transpose.ROTATE_270,
}


@pytest.mark.parametrize("orientation", sorted(STORED_TURNED))
def test_exif_orientation_is_applied(orientation: int) -> None:
    upright = Image.new("RGB", (40, 60), WHITE)  # portrait
    upright.paste(RED, (0, 0, 12, 12))  # marker: top-left when upright
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    stored = upright.transpose(STORED_TURNED[orientation])
    photo = loaded(encoded(stored, "JPEG", exif=exif.tobytes()))
    assert photo.exif[ORIENTATION] == orientation
    assert photo.pixels.shape == (60, 40, 3)  # portrait again
    assert_colour(photo.pixels[4, 4], RED)
    for corner in ((4, -4), (-4, 4), (-4, -4)):
        assert_colour(photo.pixels[corner], WHITE)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF"])
def test_every_format_linkvet_reads(fmt: str) -> None:
    image = half_red("RGB", (64, 48), other=WHITE)
    photo = loaded(encoded(image, fmt))
    assert photo.format == fmt
    assert (photo.width, photo.height) == (64, 48)
    assert photo.pixels.shape == (48, 64, 3)
    assert_colour(photo.pixels[24, 8], RED)


def test_the_photo_keeps_its_bytes_and_digest() -> None:
    photo = loaded(SMALL_JPEG)
    assert photo.data == SMALL_JPEG
    assert photo.sha256 == hashlib.sha256(SMALL_JPEG).hexdigest()


# ---------------------------------------------------------------------------------------------
# Damaged structures Pillow trips over with other exceptions


def _tiff_entries(data: bytes) -> tuple[int, int, dict[int, int]]:
    """A little-endian TIFF's first IFD: its offset, entry count and each tag's entry offset."""
    assert data[:4] == b"II*\0"
    (ifd,) = struct.unpack_from("<I", data, 4)
    (count,) = struct.unpack_from("<H", data, ifd)
    offsets = {}
    for index in range(count):
        entry = ifd + 2 + 12 * index
        offsets[struct.unpack_from("<H", data, entry)[0]] = entry
    return ifd, count, offsets


def tiff_with_a_second_page_without_size() -> bytes:
    data = bytearray(encoded(Image.new("RGB", (32, 32), RED), "TIFF"))
    ifd, count, _ = _tiff_entries(bytes(data))
    second = len(data)
    data += struct.pack("<H", 1) + struct.pack("<HHII", ORIENTATION, SHORT, 1, 1) + bytes(4)
    struct.pack_into("<I", data, ifd + 2 + 12 * count, second)  # link page 1 to page 2
    return bytes(data)


def tiff_with_strip_offsets_as_bytes() -> bytes:
    data = bytearray(encoded(Image.new("RGB", (32, 32), RED), "TIFF"))
    _, _, entries = _tiff_entries(bytes(data))
    entry = entries[273]  # StripOffsets, now typed UNDEFINED (7) instead of LONG
    _, _, _, value = struct.unpack_from("<HHII", data, entry)
    struct.pack_into("<HHII", data, entry, 273, 7, 4, value)
    return bytes(data)


@pytest.mark.parametrize(
    "make",
    [tiff_with_a_second_page_without_size, tiff_with_strip_offsets_as_bytes],
    ids=["page-without-size", "strip-offsets-as-bytes"],
)
def test_a_damaged_tiff_gives_photo_error(make: Any) -> None:
    outcome(make())


def test_a_rotated_jpeg_with_a_mistyped_exif_tag_loads_or_gives_photo_error() -> None:
    exif = exif_block(
        [
            (ORIENTATION, SHORT, 1, struct.pack(">H", 6)),
            (Y_RESOLUTION, ASCII, 5, b"GIMP\0"),
        ]
    )
    outcome(encoded(Image.new("RGB", (40, 30), RED), "JPEG", exif=exif))


def test_a_mistyped_exif_tag_without_rotation_loads() -> None:
    exif = exif_block([(Y_RESOLUTION, ASCII, 5, b"GIMP\0")])
    photo = loaded(encoded(Image.new("RGB", (40, 30), RED), "JPEG", exif=exif))
    assert photo.exif[Y_RESOLUTION] == "GIMP"


# ---------------------------------------------------------------------------------------------
# Files


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match="no such file"):
        read_photo_bytes(tmp_path / "nowhere.jpg")


def test_a_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(PhotoError, match="is a folder, not a photo"):
        read_photo_bytes(tmp_path)


def test_a_file_at_the_size_cap_is_read(tmp_path: Path) -> None:
    path = tmp_path / "exactly.jpg"
    with path.open("wb") as file:
        file.truncate(MAX_PHOTO_BYTES)
    assert len(read_photo_bytes(path)) == MAX_PHOTO_BYTES
    # And then refused as a photo, for what it is: zeros.
    assert FORMATS_NAMED in refused(read_photo_bytes(path))


def test_load_photo_refuses_more_than_the_size_cap() -> None:
    assert "larger than 20 MB" in refused(SMALL_JPEG + bytes(MAX_PHOTO_BYTES))


def test_a_file_over_the_size_cap_is_refused_before_reading(tmp_path: Path) -> None:
    """A sparse file of 4 GB, read in a process that cannot hold 1 GB: only a refusal from the
    file's size, before reading, gets through."""
    path = tmp_path / "huge.jpg"
    with path.open("wb") as file:
        file.truncate(4_000_000_000)
    code = (
        "from linkvet.photo.image import PhotoError, read_photo_bytes\n"
        "try:\n"
        f"    read_photo_bytes({str(path)!r})\n"
        "except PhotoError as error:\n"
        "    print(error)\n"
    )
    assert "larger than 20 MB" in run_python(code, memory_limit=1_000_000_000)


@pytest.mark.parametrize("kind", ["dev-zero", "fifo"])
def test_a_device_or_pipe_is_refused_in_bounded_time_and_memory(kind: str, tmp_path: Path) -> None:
    if kind == "fifo":
        path = tmp_path / "photo.jpg"
        os.mkfifo(path)
    else:
        path = Path("/dev/zero")
    code = (
        "from linkvet.photo.image import PhotoError, read_photo_bytes\n"
        "try:\n"
        f"    read_photo_bytes({str(path)!r})\n"
        "except PhotoError as error:\n"
        "    print('refused:', error)\n"
        "except MemoryError:\n"
        "    print('MemoryError')\n"
    )
    try:
        printed = run_python(code, memory_limit=1_000_000_000, timeout=3)
    except subprocess.TimeoutExpired:
        pytest.fail(f"read_photo_bytes({path}) was still blocked after 3 s")
    assert printed.startswith("refused:"), printed


# ---------------------------------------------------------------------------------------------
# Properties: whatever the bytes, a photo or a PhotoError

FUZZ: Final = settings(
    max_examples=200,
    deadline=timedelta(seconds=2),
    suppress_health_check=[HealthCheck.too_slow],
)


@FUZZ
@given(tail=st.binary(max_size=4096))
def test_random_bytes_after_a_png_header(tail: bytes) -> None:
    outcome(PNG_HEADER + tail)


@FUZZ
@given(header=st.sampled_from(JPEG_HEADERS), tail=st.binary(max_size=4096))
def test_random_bytes_after_a_jpeg_header(header: bytes, tail: bytes) -> None:
    outcome(header + tail)


@FUZZ
@given(
    flips=st.lists(
        st.tuples(st.integers(0, len(SMALL_JPEG) - 1), st.integers(0, 255)), min_size=1, max_size=12
    )
)
def test_random_byte_flips_inside_a_small_jpeg(flips: list[tuple[int, int]]) -> None:
    damaged = bytearray(SMALL_JPEG)
    for position, value in flips:
        damaged[position] = value
    result = outcome(bytes(damaged))
    if isinstance(result, LoadedPhoto):
        assert_normalised(result)
