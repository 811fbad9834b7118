"""What campaign detection keeps of each row of a batch, and the blocks that find candidates.

A million profiles must be signed in seconds, so nothing here loops over rows in Python: Arrow
parses the `profile` JSON and splits text, NumPy hashes and sorts. Python only sees distinct
values (words, employer names), which are few beside the rows.

What a row keeps (`RowSignatures`), a few hundred bytes instead of its text:

- text: one signature per text (the About section, the role descriptions joined, the invitation
  note, the first incoming messages), for texts of at least `text_index.MIN_WORDS` words. Words
  are the text index's: the same normalisation (case, accents, compatibility forms, hidden
  characters, look-alike letters), the same word rule, the platform's default invitation wording
  left out; only French elisions ("n'offrons") stay one word here. A signature is a MinHash of
  the word 3-grams by one permutation hashing (Li, Owen and Zhang 2012): every 3-gram is hashed
  once (`mix64`) and falls into one of `NUM_BINS` bins, which keeps the low 16 bits of its
  smallest hash, or EMPTY. Classic MinHash hashes every 3-gram 64 times; datasketch does so in
  Python per text, which a million texts cannot afford. The similarity of two texts is the
  share of bins that agree among those not empty in both: exact for short texts (nearly every
  3-gram has a bin of its own), as good as 64 permutations for long ones.
- attributes, as 64-bit hashes (0 when absent): the claimed employer (the first current role's
  organisation, else the "at ..." of the headline) folded as `case_links.normalised_employer`
  folds it and without spaces, so that "HorizonExpertForum Ltd" is "Horizon Expert Forum"; the
  e-mail domain (free mail providers left out: they say nothing about who is behind an
  address); the shape of the handle ("anna.schmidt4821" is "a.a####", letter runs as "a",
  digits as "#"), marked distinctive when it holds three digits in a row and does not end in a
  platform's default suffix (LinkedIn's "-4b2a1c3d"); the day the account was made (only dates
  given to the day).
- photo: a 64-bit and a 256-bit pHash of the whole photo, when the caller hashed photos
  (`hash_photo`), and whether the row shows a photo at all.

Blocks: entries (texts or rows) with an equal key form a block (`group_blocks`). Text
signatures give `BANDS` keys each (LSH over the signatures densified: three bins per band, so
that texts of similarity 0.5 share a band 94% of the time, 0.3 44%, unrelated ones almost
never); a photo gives four (16 bits of its 64-bit hash each). Within a block, members are
verified against a leader (`leader_links`) rather than pair by pair, which keeps both the work
and the links linear in the block's size.
"""

from __future__ import annotations

import functools
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json

from linkvet._dates import is_present_word
from linkvet.campaigns.case_links import normalised_employer
from linkvet.campaigns.text_index import MIN_WORDS, PLATFORM_DEFAULTS, SHINGLE_WORDS
from linkvet.text.fields import MAX_CHARS_PER_TEXT
from linkvet.text.normalise import INVISIBLE, normalise

U64 = npt.NDArray[np.uint64]
I64 = npt.NDArray[np.int64]

NUM_BINS: Final = 64
BAND_ROWS: Final = 3
BANDS: Final = NUM_BINS // BAND_ROWS  # 21 bands of 3 bins; the 64th bin only sharpens estimates
# The value of a bin where no 3-gram fell (a bin's value is its minimum's low bits, below this).
EMPTY: Final = np.uint16(0xFFFF)
PHOTO_BANDS: Final = 4
PHOTO_WORDS: Final = 5  # the 64-bit pHash, then the four words of the 256-bit one
TEXT_FIELDS: Final = ("about", "experience", "invitation", "message")
# A joined date not known to the day.
NO_DAY: Final = np.iinfo(np.int32).min

# Providers where anybody can open an address: a shared domain there links nobody.
FREE_MAIL: Final = frozenset(
    "gmail.com googlemail.com outlook.com hotmail.com hotmail.co.uk live.com msn.com yahoo.com "
    "yahoo.co.uk ymail.com aol.com icloud.com me.com mac.com proton.me protonmail.com pm.me "
    "gmx.de gmx.net gmx.com web.de t-online.de mail.com yandex.com yandex.ru mail.ru inbox.ru "
    "bk.ru list.ru rambler.ru 163.com 126.com qq.com sina.com sohu.com foxmail.com naver.com "
    "daum.net hanmail.net rediffmail.com zoho.com tutanota.com fastmail.com orange.fr free.fr "
    "laposte.net libero.it".split()
)

_U64_MASK16: Final = np.uint64(0xFFFF)
_U64_MASK32: Final = np.uint64(0xFFFFFFFF)
# Odd multipliers that combine three word hashes into one 3-gram (order matters).
_SHINGLE_MULTIPLIERS: Final = (
    np.uint64(0x9E3779B97F4A7C15),
    np.uint64(0xC2B2AE3D27D4EB4F),
    np.uint64(0x165667B19E3779F9),
)
# The bins of band b: b, b + BANDS, b + 2 * BANDS (spread out, not neighbours).
BAND_BINS: Final = np.arange(BANDS)[:, None] + BANDS * np.arange(BAND_ROWS)[None, :]

# Bytes of ASCII text as words see them: letters in lower case, digits and the apostrophe kept,
# everything else a space; bytes of other characters pass (their text was cleaned before).
_WORD_BYTES: Final = np.where(np.arange(256) >= 0x80, np.arange(256), ord(" ")).astype(np.uint8)
for _byte in b"abcdefghijklmnopqrstuvwxyz0123456789'":
    _WORD_BYTES[_byte] = _byte
for _byte in b"ABCDEFGHIJKLMNOPQRSTUVWXYZ":
    _WORD_BYTES[_byte] = _byte + 32
# In non-ASCII text: hidden characters go (they may sit inside a word to hide it), then anything
# that is neither a letter, a digit, a mark nor ASCII becomes a space.
_HIDDEN: Final = (
    "["
    + "".join(f"\\x{{{ord(char):04x}}}" for char in sorted(INVISIBLE))
    + r"\p{Cf}\x{fe00}-\x{fe0f}\x{180b}-\x{180d}\x{e0100}-\x{e01ef}]+"
)
_NOT_WORD: Final = r"[^\p{L}\p{N}\p{M}\x00-\x7f]+"

# The "at ..." of a headline, as `case_links` reads it: "Partner at Northbridge | ...".
_HEADLINE_EMPLOYER: Final = r"(?i)(?:^|\s)(?:at\s+|@\s*)(?P<employer>[^|•·,;/()]+)"
# A platform's default handle suffix (LinkedIn: "anna-schmidt-4b2a1c3d"): shared by chance.
_DEFAULT_SUFFIX: Final = r"-[0-9a-f]{6,12}$"

# Fields of the `profile` JSON that campaign detection reads; the rest is skipped.
_EXPERIENCE = pa.struct(
    [
        ("organisation", pa.string()),
        ("current", pa.bool_()),
        ("end", pa.string()),
        ("description", pa.string()),
    ]
)
_MESSAGE = pa.struct([("text", pa.string()), ("direction", pa.string())])
_PROFILE_SCHEMA: Final = pa.schema(
    [
        ("about", pa.string()),
        ("handle", pa.string()),
        ("url", pa.string()),
        ("headline", pa.string()),
        ("joined", pa.string()),
        ("experience", pa.list_(_EXPERIENCE)),
        ("contact", pa.struct([("emails", pa.list_(pa.string()))])),
        ("invitation", _MESSAGE),
        ("messages", pa.list_(_MESSAGE)),
        ("photo", pa.struct([("path", pa.string())])),
    ]
)
_PROFILE_TYPE: Final = pa.struct(list(_PROFILE_SCHEMA))


@dataclass(frozen=True, eq=False)  # eq=False: arrays have no single truth value to compare by
class RowSignatures:
    """What campaign detection keeps of consecutive rows (see the module's docstring)."""

    rows: int
    ids: Any  # pa.LargeStringArray, null where a row has no id
    id_hash: U64  # 0: no id
    joined_day: npt.NDArray[np.int32]  # days since 1970-01-01, NO_DAY when not known to the day
    employer: U64
    email_domain: U64
    pattern: U64
    distinctive_pattern: npt.NDArray[np.bool_]
    has_photo: npt.NDArray[np.int8]  # 1 shown, 0 not shown, -1 unknown
    photo: U64  # (rows, PHOTO_WORDS); a row of zeros: no photo hash
    text_row: I64  # the row of each text signature
    text_field: npt.NDArray[np.uint8]  # index into TEXT_FIELDS
    text_signature: npt.NDArray[np.uint16]  # (texts, NUM_BINS)
    # The values behind attribute hashes, as first written: {"employer": {hash: name}, ...}.
    names: dict[str, dict[int, str]] = field(default_factory=dict)
    unreadable: int = 0  # rows whose `profile` JSON could not be read (their other columns are)


def row_signatures(
    columns: Mapping[str, Any],
    *,
    photo_hashes: U64 | None = None,
    photo_folder: Path | None = None,
    max_messages: int = 3,
) -> RowSignatures:
    """The signatures of a chunk of rows given as columns (NumPy arrays as `read_batches` gives
    them, or Arrow arrays). Every column may be missing; all present ones must have one length.
    Photos are compared when `photo_hashes` is given ((rows, PHOTO_WORDS) as `hash_photo` makes
    them, zeros for rows without one), or else `photo_folder`, the folder that the photo paths
    of the `profile` JSON are relative to (the batch file's). A pure function of its input:
    chunks may be signed in worker processes."""
    rows = _row_count(columns, photo_hashes)
    nested, unreadable = _profiles(_text_column(columns, "profile", rows), rows)
    if photo_hashes is None and photo_folder is not None:
        photo_hashes = hash_photo_files(
            nested.field("photo").field("path").to_pylist(), photo_folder
        )

    def text(name: str) -> Any:  # the flat column, else the same field of the profile JSON
        flat = _text_column(columns, name, rows)
        inner = nested.field(name)
        return pc.if_else(pc.is_null(_blank_to_null(flat)), inner, flat)

    ids = _blank_to_null(_text_column(columns, "id", rows))
    experience = nested.field("experience")
    employer, employers = _employers(experience, text("headline"), rows)
    domain, domains = _email_domains(nested.field("contact").field("emails"), rows)
    pattern, distinctive, patterns = _handle_patterns(text("handle"), text("url"))
    text_row, text_field, texts = _texts(text("about"), nested, rows, max_messages)
    kept, signature = text_signatures(texts)
    if photo_hashes is None:
        photo_hashes = np.zeros((rows, PHOTO_WORDS), dtype=np.uint64)
    return RowSignatures(
        rows=rows,
        ids=ids,
        id_hash=hash_strings(ids),
        joined_day=_days(text("joined")),
        employer=employer,
        email_domain=domain,
        pattern=pattern,
        distinctive_pattern=distinctive,
        has_photo=_has_photo(columns, nested, photo_hashes, rows),
        photo=np.ascontiguousarray(photo_hashes, dtype=np.uint64),
        text_row=text_row[kept],
        text_field=text_field[kept].astype(np.uint8),
        text_signature=signature,
        names={"employer": employers, "email_domain": domains, "pattern": patterns},
        unreadable=unreadable,
    )


# ---------------------------------------------------------------------------------------------
# Hashing.


def mix64(values: U64) -> U64:
    """splitmix64's finaliser: a bijection of 64-bit integers in which every input bit moves
    about half the output bits."""
    values = values ^ (values >> np.uint64(30))
    values = values * np.uint64(0xBF58476D1CE4E5B9)
    values = values ^ (values >> np.uint64(27))
    values = values * np.uint64(0x94D049BB133111EB)
    mixed: U64 = values ^ (values >> np.uint64(31))
    return mixed


def hash_strings(array: Any) -> U64:
    """A stable 64-bit hash of each string of an Arrow array (0 for null, never 0 otherwise):
    a multilinear hash of the UTF-8 bytes with per-position keys, then mixed. Vectorised, and
    the same in every process and on every machine (unlike Python's `hash`)."""
    offsets, data = _string_buffers(array)
    count = len(offsets) - 1
    lengths = np.diff(offsets)
    starts = offsets[:-1] - offsets[0]
    positions = np.arange(len(data), dtype=np.int64) - np.repeat(starts, lengths)
    terms = (data.astype(np.uint64) + np.uint64(1)) * mix64(
        positions.astype(np.uint64) + np.uint64(0x632BE59BD9B4E019)
    )
    sums = np.zeros(count, dtype=np.uint64)
    filled = lengths > 0
    if filled.any():
        sums[filled] = np.add.reduceat(terms, starts[filled])
    hashes = mix64(sums ^ mix64(lengths.astype(np.uint64) + np.uint64(0x8CB92BA72F3D8DD7)))
    hashes[hashes == 0] = 1
    hashes[_null_mask(array)] = 0
    return hashes


def _string_buffers(array: Any) -> tuple[I64, npt.NDArray[np.uint8]]:
    """Offsets (relative to the array's own start) and the UTF-8 bytes of a string array."""
    array = _large(pc.fill_null(array, ""))
    offsets = np.frombuffer(array.buffers()[1], dtype=np.int64)[
        array.offset : array.offset + len(array) + 1
    ]
    buffer = array.buffers()[2]
    data = np.frombuffer(buffer, dtype=np.uint8) if buffer is not None else np.zeros(0, np.uint8)
    return offsets - offsets[0], data[offsets[0] : offsets[-1]]


def _large(array: Any) -> Any:
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return array.cast(pa.large_string()) if array.type != pa.large_string() else array


def _null_mask(array: Any) -> npt.NDArray[np.bool_]:
    mask: npt.NDArray[np.bool_] = pc.is_null(array).to_numpy(zero_copy_only=False)
    return mask


# ---------------------------------------------------------------------------------------------
# Text signatures.


def text_signatures(texts: Any) -> tuple[I64, npt.NDArray[np.uint16]]:
    """The signature of each text long enough to be a template: (the indices of those texts in
    `texts`, their signatures as (kept, NUM_BINS) b-bit values)."""
    tokens, token_text = _tokens(texts)
    tokens, token_text = _without_platform_defaults(tokens, token_text)
    words = np.bincount(token_text, minlength=len(texts))
    kept = np.flatnonzero(words >= MIN_WORDS)
    if not len(kept):
        return kept, np.zeros((0, NUM_BINS), dtype=np.uint16)
    local = np.full(len(texts), -1, dtype=np.int64)
    local[kept] = np.arange(len(kept))
    span = SHINGLE_WORDS - 1
    starts = np.flatnonzero(token_text[:-span] == token_text[span:])
    starts = starts[local[token_text[starts]] >= 0]
    shingles = tokens[starts] * _SHINGLE_MULTIPLIERS[0]
    for offset in range(1, SHINGLE_WORDS):
        shingles = shingles + tokens[starts + offset] * _SHINGLE_MULTIPLIERS[offset]
    return kept, _one_permutation_minhash(mix64(shingles), local[token_text[starts]], len(kept))


def _tokens(texts: Any) -> tuple[U64, I64]:
    """The hash of every word of every text, and the index of the text it belongs to."""
    texts = pc.utf8_slice_codeunits(_large(pc.fill_null(texts, "")), 0, MAX_CHARS_PER_TEXT)
    foreign = pc.invert(pc.string_is_ascii(texts)).to_numpy(zero_copy_only=False)
    if foreign.any():
        cleaned = pc.filter(texts, pa.array(foreign))
        cleaned = pc.replace_substring_regex(cleaned, _HIDDEN, "")
        cleaned = pc.replace_substring(cleaned, "\u2019", "'")
        cleaned = pc.replace_substring_regex(cleaned, _NOT_WORD, " ")
        texts = pc.replace_with_mask(texts, pa.array(foreign), _large(cleaned))
    offsets, data = _string_buffers(texts)
    spaced = pa.LargeStringArray.from_buffers(
        len(texts), pa.py_buffer(offsets), pa.py_buffer(_WORD_BYTES[data])
    )
    split = pc.ascii_split_whitespace(spaced)
    token_text = np.repeat(
        np.arange(len(texts), dtype=np.int64),
        pc.list_value_length(split).to_numpy(zero_copy_only=False).astype(np.int64),
    )
    words = split.flatten()
    if not len(words):
        return np.zeros(0, dtype=np.uint64), token_text
    encoded = pc.dictionary_encode(words)
    distinct = _normalised_words(encoded.dictionary)
    hashes = hash_strings(distinct)
    hashes[pc.equal(distinct, "").to_numpy(zero_copy_only=False)] = 0
    tokens = hashes[encoded.indices.to_numpy(zero_copy_only=False)]
    keep = tokens != 0
    return tokens[keep], token_text[keep]


def _normalised_words(words: Any) -> Any:
    """Distinct words as the text index has them: without outer apostrophes, and words with
    other than ASCII folded by `normalise` (accents, case, look-alike letters)."""
    words = pc.utf8_trim(_large(words), "'")
    foreign = pc.invert(pc.string_is_ascii(words)).to_numpy(zero_copy_only=False)
    if foreign.any():
        folded = [normalise(word).text.strip("'") for word in pc.filter(words, foreign).to_pylist()]
        words = pc.replace_with_mask(words, pa.array(foreign), pa.array(folded, pa.large_string()))
    return words


def _word_hashes(words: tuple[str, ...]) -> U64:
    return hash_strings(_normalised_words(pa.array(words, pa.large_string())))


_DEFAULT_WORDS: Final = tuple(_word_hashes(tuple(words)) for words in PLATFORM_DEFAULTS)


def _without_platform_defaults(tokens: U64, token_text: I64) -> tuple[U64, I64]:
    """The tokens without the platform's default invitation wording, as the text index drops it
    (each wording in turn, every occurrence within one text)."""
    for default in _DEFAULT_WORDS:
        size = len(default)
        if len(tokens) < size:
            continue
        starts = np.flatnonzero(tokens[: len(tokens) - size + 1] == default[0])
        for offset in range(1, size):
            starts = starts[tokens[starts + offset] == default[offset]]
        starts = starts[token_text[starts] == token_text[starts + size - 1]]
        if len(starts):
            keep = np.ones(len(tokens), dtype=np.bool_)
            keep[(starts[:, None] + np.arange(size)[None, :]).ravel()] = False
            tokens, token_text = tokens[keep], token_text[keep]
    return tokens, token_text


def _one_permutation_minhash(shingles: U64, text: I64, texts: int) -> npt.NDArray[np.uint16]:
    """b-bit one permutation hashing: each bin's minimum, EMPTY where no 3-gram fell."""
    bins = shingles >> np.uint64(64 - 6)  # NUM_BINS = 2**6
    keys = (text.astype(np.uint64) << np.uint64(38)) | (bins << np.uint64(32))
    keys |= (shingles >> np.uint64(16)) & _U64_MASK32
    keys.sort()  # by text, bin, then value: the first key of each (text, bin) is its minimum
    cells = keys >> np.uint64(32)
    first = np.ones(len(keys), dtype=np.bool_)
    first[1:] = cells[1:] != cells[:-1]
    signature = np.full(texts * NUM_BINS, EMPTY, dtype=np.uint16)
    low_bits = (keys[first] & _U64_MASK16).astype(np.uint16)
    signature[cells[first].astype(np.int64)] = np.minimum(low_bits, EMPTY - 1)
    return signature.reshape(texts, NUM_BINS)


def text_similarity(
    signatures: npt.NDArray[np.uint16], first: I64, second: I64, *, batch: int = 1 << 16
) -> npt.NDArray[np.float64]:
    """Estimated Jaccard similarity of pairs of texts: the share of bins that agree among those
    not empty in both (Li, Owen and Zhang 2012). Exact but for bin collisions when the texts
    have few 3-grams; as good as 64 independent permutations when they have many."""
    similarity = np.empty(len(first))
    for start in range(0, len(first), batch):
        one = signatures[first[start : start + batch]]
        other = signatures[second[start : start + batch]]
        equal = one == other
        empty = one == EMPTY
        agree = (equal & ~empty).view(np.uint8).sum(axis=1, dtype=np.int64)
        both_empty = (equal & empty).view(np.uint8).sum(axis=1, dtype=np.int64)
        similarity[start : start + batch] = agree / np.maximum(NUM_BINS - both_empty, 1)
    return similarity


def band_columns(
    signatures: npt.NDArray[np.uint16], batch: int = 1 << 16
) -> npt.NDArray[np.uint16]:
    """The signatures densified for LSH bands, whose bins must not be empty, as (NUM_BINS,
    texts): every empty bin takes the value of the next filled bin to its right, wrapping
    around. The same rule for every text, so two texts still agree in a bin with probability
    equal to their Jaccard similarity (Shrivastava and Li 2014)."""
    columns = np.empty((NUM_BINS, len(signatures)), dtype=np.uint16)
    position = np.arange(2 * NUM_BINS, dtype=np.int16)
    for start in range(0, len(signatures), batch):
        part = signatures[start : start + batch]
        candidates = np.where(np.tile(part != EMPTY, 2), position, np.int16(2 * NUM_BINS - 1))
        following = np.minimum.accumulate(candidates[:, ::-1], axis=1)[:, ::-1][:, :NUM_BINS]
        filled = np.take_along_axis(part, following % NUM_BINS, axis=1)
        columns[:, start : start + batch] = filled.T
    return columns


def band_keys(columns: npt.NDArray[np.uint16], band: int) -> U64:
    """The LSH key of each text in one band (`band_columns`): its three bins' values."""
    first, second, third = (columns[index].astype(np.uint64) for index in BAND_BINS[band])
    keys: U64 = first | (second << np.uint64(16)) | (third << np.uint64(32))
    return keys


# ---------------------------------------------------------------------------------------------
# The profile JSON and the texts in it.


def _profiles(column: Any, rows: int) -> tuple[Any, int]:
    """The `profile` column parsed into `_PROFILE_TYPE` (a struct array), and how many rows could
    not be read. Arrow's parser reads the whole chunk at once; a chunk it refuses (a value of an
    unexpected type, a line that is not a JSON object) is read row by row instead."""
    text = pc.utf8_trim_whitespace(_large(pc.fill_null(column, "")))
    text = pc.if_else(pc.equal(text, ""), "{}", text)
    # Line breaks can only sit between JSON tokens (a string holds them escaped): one per row.
    text = pc.replace_substring(pc.replace_substring(text, "\n", " "), "\r", " ")
    empty = pa.scalar("", pa.large_string())
    lines = pc.binary_join_element_wise(text, empty, pa.scalar("\n", pa.large_string()))
    offsets, data = _string_buffers(lines)
    longest = int(np.diff(offsets).max()) if rows else 0
    try:
        table = pa_json.read_json(
            pa.BufferReader(pa.py_buffer(data)),
            read_options=pa_json.ReadOptions(block_size=max(1 << 22, 2 * longest)),
            parse_options=pa_json.ParseOptions(
                explicit_schema=_PROFILE_SCHEMA, unexpected_field_behavior="ignore"
            ),
        )
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, pa.ArrowTypeError):
        table = None
    if table is not None and table.num_rows == rows:
        return pa.StructArray.from_arrays(
            [table.column(name).combine_chunks() for name in _PROFILE_SCHEMA.names],
            fields=list(_PROFILE_SCHEMA),
        ), 0
    parsed = [_profile_fields(value) for value in text.to_pylist()]
    unreadable = sum(value is None for value in parsed)
    return pa.array([value or {} for value in parsed], type=_PROFILE_TYPE), unreadable


def _profile_fields(text: str) -> dict[str, Any] | None:
    """The fields of one profile JSON that campaign detection reads, each of the expected type
    or left out; None when the text is not a JSON object."""
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return None
    if not isinstance(value, dict):
        return None
    found: dict[str, Any] = {
        name: _string(value.get(name)) for name in ("about", "handle", "url", "headline")
    }
    joined = value.get("joined")
    found["joined"] = str(joined) if isinstance(joined, str | int) else None
    found["experience"] = [
        {
            "organisation": _string(entry.get("organisation")),
            "current": entry.get("current") if isinstance(entry.get("current"), bool) else None,
            "end": _string(entry.get("end")),
            "description": _string(entry.get("description")),
        }
        for entry in _list(value.get("experience"))
        if isinstance(entry, dict)
    ]
    contact = value.get("contact")
    emails = _list(contact.get("emails")) if isinstance(contact, dict) else []
    found["contact"] = {"emails": [email for email in emails if isinstance(email, str)]}
    found["invitation"] = _message(value.get("invitation"))
    found["messages"] = [
        message for message in map(_message, _list(value.get("messages"))) if message is not None
    ]
    photo = value.get("photo")
    if isinstance(photo, dict):  # only whether there is one is read
        found["photo"] = {"path": _string(photo.get("path"))}
    return found


def _string(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _message(value: object) -> dict[str, str | None] | None:
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        return None
    return {"text": value["text"], "direction": _string(value.get("direction"))}


def _texts(about: Any, nested: Any, rows: int, max_messages: int) -> tuple[I64, I64, Any]:
    """Every text worth comparing, in row order: (its row, its field, the texts)."""
    parts: list[tuple[I64, int, Any]] = []
    present = pc.invert(pc.is_null(_blank_to_null(about))).to_numpy(zero_copy_only=False)
    parts.append((np.flatnonzero(present), 0, pc.filter(about, present)))

    entries, entry_row = _flatten(nested.field("experience"))
    description = _blank_to_null(entries.field("description"))
    given = pc.invert(pc.is_null(description)).to_numpy(zero_copy_only=False)
    described, counts = np.unique(entry_row[given], return_counts=True)
    role_offsets = np.concatenate([[0], np.cumsum(counts)]).astype(np.int64)
    joined = pc.binary_join(
        pa.LargeListArray.from_arrays(
            pa.array(role_offsets), _large(pc.filter(description, given))
        ),
        pa.scalar("\n", pa.large_string()),
    )
    parts.append((described, 1, joined))

    invitation = _blank_to_null(nested.field("invitation").field("text"))
    present = pc.invert(pc.is_null(invitation)).to_numpy(zero_copy_only=False)
    parts.append((np.flatnonzero(present), 2, pc.filter(invitation, present)))

    messages, message_row = _flatten(nested.field("messages"))
    text = _blank_to_null(messages.field("text"))
    incoming = pc.and_kleene(
        pc.invert(pc.is_null(text)),
        pc.fill_null(pc.not_equal(messages.field("direction"), "outgoing"), True),
    ).to_numpy(zero_copy_only=False)
    message_row = message_row[incoming]
    first_of_row = np.searchsorted(message_row, message_row, side="left")
    early = (np.arange(len(message_row)) - first_of_row) < max_messages
    parts.append((message_row[early], 3, pc.filter(pc.filter(text, incoming), early)))

    row = np.concatenate([part[0] for part in parts]).astype(np.int64)
    text_field = np.concatenate([np.full(len(part[0]), part[1], np.int64) for part in parts])
    texts = pa.concat_arrays([_large(part[2]) for part in parts])
    order = np.lexsort((text_field, row))  # row order, then About, roles, invitation, messages
    return row[order], text_field[order], texts.take(pa.array(order))


def _flatten(lists: Any) -> tuple[Any, I64]:
    """The elements of a list array, and the row each came from."""
    rows: I64 = pc.list_parent_indices(lists).to_numpy(zero_copy_only=False).astype(np.int64)
    return pc.list_flatten(lists), rows


# ---------------------------------------------------------------------------------------------
# Attributes.


def _employers(experience: Any, headline: Any, rows: int) -> tuple[U64, dict[int, str]]:
    """The claimed employer of each row: the organisation of its first current role, else the
    organisation its headline names ("... at Northbridge Advisory")."""
    entries, entry_row = _flatten(experience)
    ended = entries.field("end")
    present_words = pc.unique(pc.drop_null(ended)).to_pylist()
    present = [word for word in present_words if is_present_word(word)]
    current = pc.or_kleene(
        pc.fill_null(entries.field("current"), False),
        pc.fill_null(pc.is_in(ended, pa.array(present, pa.string())), False),
    )
    organisation = _blank_to_null(entries.field("organisation"))
    usable = pc.and_(current, pc.invert(pc.is_null(organisation))).to_numpy(zero_copy_only=False)
    usable_rows = entry_row[usable]
    first_rows, first = np.unique(usable_rows, return_index=True)
    claimed = pa.nulls(rows, pa.large_string())
    if len(first_rows):
        chosen = _large(pc.filter(organisation, usable).take(pa.array(first)))
        mask = np.zeros(rows, dtype=np.bool_)
        mask[first_rows] = True
        claimed = pc.replace_with_mask(claimed, pa.array(mask), chosen)
    named = pc.struct_field(pc.extract_regex(_large(headline), _HEADLINE_EMPLOYER), [0])
    named = pc.utf8_trim_whitespace(named)
    # "looking at new opportunities" names no employer; an organisation is capitalised.
    lower = pc.fill_null(pc.utf8_is_lower(pc.utf8_slice_codeunits(named, 0, 1)), True)
    named = pc.if_else(lower, pa.scalar(None, pa.large_string()), _large(named))
    claimed = pc.coalesce(claimed, named)
    return _folded_values(claimed, _employer_key)


@functools.lru_cache(maxsize=1 << 16)  # employers repeat from chunk to chunk
def _employer_key(name: str) -> tuple[str, str] | None:
    folded = normalised_employer(name)
    if folded is None:
        return None
    return folded.replace(" ", ""), folded


def _email_domains(emails: Any, rows: int) -> tuple[U64, dict[int, str]]:
    """The domain of each row's first e-mail address, unless it is a free mail provider's."""
    first = pc.list_element(
        pc.if_else(pc.greater(pc.list_value_length(emails), 0), emails, None), 0
    )
    address = pc.utf8_lower(pc.utf8_trim_whitespace(_large(first)))
    domain = pc.struct_field(pc.extract_regex(address, r"@(?P<domain>[^@\s]+?)\.?$"), [0])
    free = pc.fill_null(pc.is_in(domain, pa.array(sorted(FREE_MAIL), pa.large_string())), False)
    domain = pc.if_else(free, pa.scalar(None, pa.large_string()), _large(domain))
    return _folded_values(domain, lambda value: (value, value))


def _handle_patterns(handle: Any, url: Any) -> tuple[U64, npt.NDArray[np.bool_], dict[int, str]]:
    """The shape of each row's handle (from its profile address when no handle is given), and
    whether that shape is distinctive enough to link two accounts."""
    from_url = pc.struct_field(
        pc.extract_regex(
            pc.utf8_lower(_large(url)),
            r"(?:linkedin\.com/in|x\.com|twitter\.com|instagram\.com|facebook\.com)/(?P<handle>[^/?#\s]+)",
        ),
        [0],
    )
    name = pc.utf8_lower(pc.utf8_trim(_large(pc.coalesce(_blank_to_null(handle), from_url)), "@ "))
    name = _blank_to_null(name)
    default_suffix = pc.fill_null(pc.match_substring_regex(name, _DEFAULT_SUFFIX), False)
    shape = pc.replace_substring_regex(name, _DEFAULT_SUFFIX, "-*")
    shape = pc.replace_substring_regex(shape, r"\p{N}", "#")
    shape = pc.replace_substring_regex(shape, r"[\p{L}\p{M}]+", "a")
    distinctive = pc.and_(
        pc.fill_null(pc.match_substring(shape, "###"), False), pc.invert(default_suffix)
    ).to_numpy(zero_copy_only=False)
    hashes, names = _folded_values(shape, lambda value: (value, value))
    return hashes, distinctive, names


def _folded_values(values: Any, fold: Any) -> tuple[U64, dict[int, str]]:
    """Hash each value by its folded key (computed once per distinct value): the hashes, and
    the name shown for each hash (the folded form of its first occurrence)."""
    encoded = pc.dictionary_encode(_large(values))
    distinct = encoded.dictionary.to_pylist()
    folded = [fold(value) for value in distinct]
    keys = pa.array([None if item is None else item[0] for item in folded], pa.large_string())
    distinct_hashes = np.append(hash_strings(keys), np.uint64(0))
    indices = pc.fill_null(encoded.indices, len(distinct)).to_numpy(zero_copy_only=False)
    hashes = distinct_hashes[indices]
    names: dict[int, str] = {}
    for index, item in enumerate(folded):  # a dictionary lists values in order of appearance
        if item is not None:
            names.setdefault(int(distinct_hashes[index]), item[1])
    return hashes, names


def _days(joined: Any) -> npt.NDArray[np.int32]:
    """Days since 1970-01-01 of dates given to the day ("2026-03-04"); NO_DAY otherwise."""
    text = pc.utf8_slice_codeunits(_large(joined), 0, 10)
    stamp = pc.strptime(text, format="%Y-%m-%d", unit="s", error_is_null=True)
    days = pc.cast(pc.cast(stamp, pa.date32()), pa.int32())
    filled: npt.NDArray[np.int32] = pc.fill_null(days, NO_DAY).to_numpy(zero_copy_only=False)
    return filled.astype(np.int32)


def _has_photo(
    columns: Mapping[str, Any], nested: Any, photos: U64, rows: int
) -> npt.NDArray[np.int8]:
    shown = np.full(rows, -1, dtype=np.int8)
    flag = columns.get("has_photo")
    if flag is not None:
        try:  # 1/0 as `read_batches` gives them (NaN unknown), or true/false
            values = pa.array(flag, from_pandas=True).cast(pa.float64())
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            values = pa.nulls(rows, pa.float64())  # not a flag: unknown
        known = pc.fill_null(values, -1).to_numpy(zero_copy_only=False)
        shown[known == 0] = 0
        shown[known == 1] = 1
    given = pc.invert(pc.is_null(nested.field("photo"))).to_numpy(zero_copy_only=False)
    shown[given | photos.any(axis=1)] = 1
    return shown


# ---------------------------------------------------------------------------------------------
# Photos.


def hash_photo(data: bytes) -> U64 | None:
    """A photo's hashes as campaign detection compares them: the 64-bit pHash of the whole
    photo, then its 256-bit pHash as four words; None when the bytes are not a readable photo.
    Needs the `photo` extra."""
    import imagehash
    from PIL import Image

    from linkvet.photo.image import PhotoError, load_photo

    try:
        pixels = load_photo(data).pixels
    except PhotoError:
        return None
    grey = Image.fromarray(pixels).convert("L")
    words = [_hash_bits(imagehash.phash(grey).hash)]
    fine = imagehash.phash(grey, hash_size=16).hash.reshape(4, 64)
    words.extend(_hash_bits(row) for row in fine)
    return np.array(words, dtype=np.uint64)


def hash_photo_files(paths: Sequence[str | None], folder: Path) -> U64:
    """`hash_photo` of each file, named relative to `folder` (zeros for None, for a file that
    cannot be read as a photo, and for a path leading out of the folder)."""
    hashes = np.zeros((len(paths), PHOTO_WORDS), dtype=np.uint64)
    root = Path(folder).resolve()
    for index, name in enumerate(paths):
        if not name:
            continue
        path = (root / name).resolve()
        if not path.is_relative_to(root):
            continue
        try:
            data = path.read_bytes()
        except OSError:
            continue
        hashed = hash_photo(data)
        if hashed is not None:
            hashes[index] = hashed
    return hashes


def _hash_bits(bits: npt.NDArray[np.bool_]) -> int:
    return int("".join("1" if bit else "0" for bit in np.asarray(bits).ravel()), 2)


def photo_distances(photos: U64, first: I64, second: I64) -> tuple[I64, I64]:
    """Hamming distances of pairs of photos: of the 64-bit hashes, and of the 256-bit ones."""
    difference = photos[first] ^ photos[second]
    counts = np.bitwise_count(difference).astype(np.int64)
    return counts[:, 0], counts[:, 1:].sum(axis=1)


def photo_band_keys(photos: U64, band: int) -> U64:
    """16 bits of each 64-bit pHash: photos within 3 bits of each other share at least one of
    the four bands."""
    keys: U64 = (photos[:, 0] >> np.uint64(16 * band)) & _U64_MASK16
    return keys


# ---------------------------------------------------------------------------------------------
# Blocks.


@dataclass(frozen=True, eq=False)
class Blocks:
    """Entries with equal keys, blocks of two or more only. `entries` are indices into the
    arrays the keys came with, sorted by key and then by position, so that a block's entries
    are consecutive and in input order."""

    entries: I64
    starts: I64  # where each block begins in `entries`
    sizes: I64

    def first(self) -> I64:
        """The first entry of each block."""
        first: I64 = self.entries[self.starts]
        return first

    def block_of_entry(self) -> I64:
        """The block of each position of `entries`."""
        return np.repeat(np.arange(len(self.sizes)), self.sizes)

    def subset(self, keep: npt.NDArray[np.bool_]) -> Blocks:
        """Only the blocks where `keep` is true."""
        positions = np.repeat(keep, self.sizes)
        sizes = self.sizes[keep]
        starts = (np.cumsum(sizes) - sizes).astype(np.int64)
        return Blocks(self.entries[positions], starts, sizes)


def group_blocks(keys: U64) -> Blocks:
    """The blocks of equal keys."""
    # One sort of keys and positions packed together is several times faster than a stable
    # argsort. The positions take the low bits, so keys keep only their high bits: two keys
    # that differ only in those low bits fall in one block by mistake (a candidate more to
    # verify), which 40 or more bits make rare.
    shift = np.uint64(max(int(len(keys) - 1).bit_length(), 1))
    packed = ((keys >> shift) << shift) | np.arange(len(keys), dtype=np.uint64)
    packed.sort()
    order = (packed & ((np.uint64(1) << shift) - np.uint64(1))).astype(np.int64)
    block_keys = packed >> shift
    boundary = np.ones(len(order), dtype=np.bool_)
    boundary[1:] = block_keys[1:] != block_keys[:-1]
    starts = np.flatnonzero(boundary)
    sizes = np.diff(np.append(starts, len(order)))
    return Blocks(order, starts, sizes).subset(sizes >= 2)


def leader_links(
    blocks: Blocks,
    members: I64,
    verify: Callable[[I64, I64], npt.NDArray[np.bool_]],
    *,
    rounds: npt.NDArray[np.int64],
) -> tuple[I64, I64]:
    """Verified links within blocks, found the leader way (Hartigan 1975): in each round, the
    first member of a block not yet linked leads, and every other such member that `verify`
    accepts with it is linked to it. A block has at most `rounds[block]` rounds; one round is a
    star around its first member. This finds the same groups as comparing every pair when
    members that match one another match a common leader, at a cost linear in the block's size
    (a round per distinct group), and keeps the links sparse: one per member, not one per pair.
    `members[entry]` is what the links join; `verify(first, second)` says which pairs hold."""
    block_of = blocks.block_of_entry()
    pending = np.arange(len(blocks.entries))
    firsts: list[I64] = [np.zeros(0, dtype=np.int64)]
    seconds: list[I64] = [np.zeros(0, dtype=np.int64)]
    for round_number in range(int(rounds.max(initial=0))):
        if not len(pending):
            break
        block = block_of[pending]
        new = np.ones(len(pending), dtype=np.bool_)
        new[1:] = block[1:] != block[:-1]
        run_starts = np.flatnonzero(new)
        run_sizes = np.diff(np.append(run_starts, len(pending)))
        live = (run_sizes >= 2) & (rounds[block[run_starts]] > round_number)
        leader = np.repeat(run_starts, run_sizes)
        candidate = np.repeat(live, run_sizes)
        candidate[run_starts] = False
        positions = np.flatnonzero(candidate)
        first = members[blocks.entries[pending[leader[positions]]]]
        second = members[blocks.entries[pending[positions]]]
        linked = verify(first, second)
        firsts.append(first[linked])
        seconds.append(second[linked])
        still = candidate.copy()
        still[positions[linked]] = False
        pending = pending[still]
    return np.concatenate(firsts), np.concatenate(seconds)


# ---------------------------------------------------------------------------------------------
# Columns.


def _row_count(columns: Mapping[str, Any], photo_hashes: U64 | None) -> int:
    lengths = {len(values) for values in columns.values()}
    if photo_hashes is not None:
        if photo_hashes.ndim != 2 or photo_hashes.shape[1] != PHOTO_WORDS:
            raise ValueError(f"photo_hashes must be (rows, {PHOTO_WORDS}) 64-bit words")
        lengths.add(len(photo_hashes))
    if len(lengths) > 1:
        raise ValueError(f"columns of unequal lengths {sorted(lengths)}")
    return lengths.pop() if lengths else 0


def _text_column(columns: Mapping[str, Any], name: str, rows: int) -> Any:
    """A column as an Arrow string array (nulls where missing); a missing column is all null."""
    values = columns.get(name)
    if values is None:
        return pa.nulls(rows, pa.large_string())
    if isinstance(values, pa.ChunkedArray | pa.Array):
        return _large(
            values.cast(pa.large_string()) if not pa.types.is_large_string(values.type) else values
        )
    try:
        return pa.array(values, type=pa.large_string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # numbers among the text: read them as text
        return pa.array(
            [None if _missing(value) else str(value) for value in values], pa.large_string()
        )


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _blank_to_null(values: Any) -> Any:
    values = _large(values)
    blank = pc.fill_null(pc.equal(pc.utf8_trim_whitespace(values), ""), False)
    return pc.if_else(blank, pa.scalar(None, pa.large_string()), values)
