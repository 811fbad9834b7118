"""The batch file format: many profiles as flat rows in CSV, JSONL or Parquet, streamed in chunks.

Every column has a kind (`COLUMNS`), and every reader turns cells into arrays through the same
per-value rules (`_convert_value`), so a file means the same in any of the three formats; the
writer checks what it is given with those rules too. Unknown is not zero: an empty cell, a JSON
null or a missing column is missing (NaN or None), never 0. docs/batch-format.md is the guide,
docs/schema/batch-row.schema.json the schema of one row (`python -m linkvet.batch.fileformat`
rewrites it).

Arrow does the heavy lifting (CSV parsing, Parquet, vectorised casts). Values that need Python
rules (dates, flags, labels, "500+") are converted once per distinct value in a chunk, which keeps
millions of rows fast; a problem is reported at the first row that holds it.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import difflib
import io
import json
import math
import os
import re
import secrets
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pv
import pyarrow.parquet as pq

from linkvet._counts import MAX_COUNT, MAX_COUNT_TEXT, CountError, parse_count
from linkvet._dates import EARLIEST_YEAR, LATEST_YEAR, MAX_DATE_TEXT, DateError, PartialDate
from linkvet.errors import LinkvetError
from linkvet.model import Platform

# Column -> kind. Order is the documented order; names are exact and lower case.
COLUMNS: Final[dict[str, str]] = {
    "id": "text",
    "platform": "text",
    "url": "text",
    "handle": "text",
    "name": "text",
    "headline": "text",
    "location": "text",
    "about": "text",
    "followers": "count",
    "following": "count",
    "connections": "count_or_text",
    "posts": "count",
    "joined": "date",
    "observed_at": "date",
    "has_photo": "flag",
    "has_url": "flag",
    "verified": "flag",
    "private": "flag",
    "about_length": "number",
    "handle_length": "number",
    "handle_digits": "number",
    "handle_digit_share": "fraction",
    "name_length": "number",
    "name_words": "number",
    "name_digits": "number",
    "name_digit_share": "fraction",
    "name_handle_similarity": "fraction",
    "name_equals_handle": "flag",
    "profile": "json",
    "label": "label",
    "group": "text",
}

# What each column means: the schema's descriptions (docs/batch-format.md has the same table).
MEANINGS: Final[dict[str, str]] = {
    "id": "your identifier for the row, carried into every output",
    "platform": "linkedin, facebook, twitter, instagram or other",
    "url": "the profile's address",
    "handle": "the user name (@handle, LinkedIn vanity name)",
    "name": "the display name",
    "headline": "the headline or title line",
    "location": "the location as shown",
    "about": "the About section or bio",
    "followers": "followers",
    "following": "accounts followed",
    "connections": "connections; may be the text shown, such as 500+ (read as at least 500)",
    "posts": "posts, tweets or media items",
    "joined": "when the account was created, as written: 2019, 2019-04, Apr 2019, ISO datetime",
    "observed_at": "the day the profile was seen (ISO date); ages are measured to it",
    "has_photo": "the profile shows a photo",
    "has_url": "the profile links to a website",
    "verified": "the platform shows a verification mark",
    "private": "the account is private or protected",
    "about_length": "characters in the About text, when the text itself is not given",
    "handle_length": "characters in the handle",
    "handle_digits": "digits in the handle",
    "handle_digit_share": "digits in the handle divided by its length (0 to 1)",
    "name_length": "characters in the name",
    "name_words": "words in the name",
    "name_digits": "digits in the name",
    "name_digit_share": "digits in the name divided by its length (0 to 1)",
    "name_handle_similarity": "how alike the name and the handle are (0 to 1)",
    "name_equals_handle": "the name and the handle are the same",
    "profile": "a JSON object of further Profile fields (experience, messages, ...)",
    "label": "1 = fake, 0 = genuine (also true/false, fake/genuine, bot/human)",
    "group": "a group name for honest splits (dataset, campaign, source)",
}

FORMATS: Final = ("csv", "jsonl", "parquet")
_EXTENSIONS: Final = {".csv": "csv", ".jsonl": "jsonl", ".ndjson": "jsonl", ".parquet": "parquet"}
# A JSONL line longer than this is refused before parsing, so a hostile line cannot exhaust memory.
MAX_ROW_BYTES: Final = 1 << 20
# Messages quote at most this many characters of a value or a column name.
_SHOWN_CHARS: Final = 40

_FLOAT_KINDS: Final = frozenset({"count", "count_or_text", "number", "fraction", "flag", "label"})
_FLAG_WORDS: Final = {"true": 1.0, "false": 0.0, "1": 1.0, "0": 0.0, "yes": 1.0, "no": 0.0}
_LABEL_WORDS: Final = {
    "1": 1.0, "0": 0.0, "true": 1.0, "false": 0.0,
    "fake": 1.0, "genuine": 0.0, "bot": 1.0, "human": 0.0,
}  # fmt: skip
_CHOICES: Final = {"platform": tuple(platform.value for platform in Platform)}
_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
# "1.0" and "0.0": how pandas writes a 0/1 column that has gaps (it turns it into floats).
_ZERO_OR_ONE: Final = re.compile(r"[01](?:\.0*)?")
# Pandas writes its index into Parquet under these names; they are bookkeeping, not data.
_PANDAS_INDEX: Final = re.compile(r"__index_level_\d+__")


class BatchFormatError(LinkvetError, ValueError):
    """A batch file (or rows given to the writer) that breaks the format; says where and why."""

    def __init__(
        self, message: str, *, path: Path, column: str | None = None, row: int | None = None
    ) -> None:
        self.path = path
        self.column = column
        self.row = row
        self.detail = message
        where = str(path)
        if column is not None:
            where += f", column {_shown(column)}"
        if row is not None:
            where += f", row {row}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, eq=False)  # eq=False: arrays have no single truth value to compare by
class Chunk:
    """Consecutive rows of a batch file, as one array per column present.

    Counts, numbers, fractions, flags (1/0) and labels (1 = fake, 0 = genuine) are float64 with
    NaN for missing; `connections` too (500+ reads as 500). Text, dates (normalised: "2019-04",
    "2026-11-20") and `profile` JSON are object arrays of str, None for missing.
    """

    columns: dict[str, npt.NDArray[Any]]
    first_row: int  # 1-based data-row number of the chunk's first row

    def __len__(self) -> int:
        return next((len(values) for values in self.columns.values()), 0)


class _Problem(ValueError):
    """A value that breaks its column's rule; `index` is its position, when known."""

    def __init__(self, reason: str, index: int | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.index = index


# ---------------------------------------------------------------------------------------------
# One value: the rules every reader and the writer share.

_Converted = float | str | None


def _shown(value: object) -> str:
    if isinstance(value, str) and len(value) > _SHOWN_CHARS:
        return repr(value[:_SHOWN_CHARS] + "…")
    return repr(value)


def _type_name(value: object) -> str:
    return {dict: "a JSON object", list: "a list", bool: "true/false"}.get(
        type(value), type(value).__name__
    )


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        raise _Problem("expected a number, got true/false")
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return math.copysign(math.inf, value)
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        text = value.strip()
        if not text:
            return None
        if not _NUMBER.fullmatch(text):
            raise _Problem(f"expected a number, got {_shown(value)}")
        return float(text)
    raise _Problem(f"expected a number, got {_type_name(value)}")


def _count(column: str, value: object) -> float | None:
    number = _number(value)
    if number is None:
        return None
    if number < 0:
        raise _Problem(f"{_shown(value)} is negative; expected a whole number, 0 or more")
    if number > MAX_COUNT:
        raise _Problem(f"{_shown(value)} is more than {MAX_COUNT:,}")
    if not number.is_integer():
        raise _Problem(f"{_shown(value)} is not a whole number")
    return number


def _connections_text(value: object) -> str | None:
    """The shown form of a count: "500+" stays, "1,234" and 1234 become "1234"."""
    value = _plain(value)
    if value is None:
        return None
    if isinstance(value, str) and not _NUMBER.fullmatch(value.strip()):
        text = value.strip()
        if not text:
            return None
        try:
            number, at_least = parse_count(text)
        except CountError as error:
            raise _Problem(str(error)) from None
        return f"{number}+" if at_least else str(number)
    count = _count("connections", value)
    return None if count is None else str(int(count))


def _count_or_text(column: str, value: object) -> float | None:
    shown = _connections_text(value)
    return None if shown is None else float(shown.rstrip("+"))


def _fraction(column: str, value: object) -> float | None:
    number = _number(value)
    if number is not None and not 0 <= number <= 1:
        raise _Problem(f"{_shown(value)} is outside 0 to 1")
    return number


def _choice(value: object, words: Mapping[str, float], expected: str) -> float | None:
    if isinstance(value, bool):
        return float(value)
    if isinstance(value, int | float):
        if value in (0, 1):
            return float(value)
        raise _Problem(f"expected {expected}, got {_shown(value)}")
    if isinstance(value, str):
        text = value.strip().lower()
        if not text:
            return None
        if text in words:
            return words[text]
        if _ZERO_OR_ONE.fullmatch(text):
            return float(text)
        raise _Problem(f"expected {expected}, got {_shown(value)}")
    raise _Problem(f"expected {expected}, got {_type_name(value)}")


def _flag(column: str, value: object) -> float | None:
    return _choice(value, _FLAG_WORDS, "true/false, 1/0 or yes/no (empty if unknown)")


def _label(column: str, value: object) -> float | None:
    expected = "1/0, true/false, fake/genuine or bot/human (empty if unlabelled)"
    return _choice(value, _LABEL_WORDS, expected)


def _date(column: str, value: object) -> str | None:
    try:
        if isinstance(value, dt.datetime):
            return str(PartialDate.from_date(value.date()))
        if isinstance(value, dt.date):
            return str(PartialDate.from_date(value))
        if column == "joined" and isinstance(value, int) and not isinstance(value, bool):
            return str(PartialDate(value))
        if not isinstance(value, str):
            raise _Problem(f"expected a date as text, got {_type_name(value)}")
        text = value.strip()
        if not text:
            return None
        if column == "joined":
            return _joined(text)
        return _observed(text)
    except DateError as error:
        raise _Problem(str(error)) from None


def _joined(text: str) -> str:
    try:
        return str(PartialDate.parse(text))
    except DateError:
        try:  # a full timestamp, as platform APIs give it
            return str(PartialDate.from_date(dt.datetime.fromisoformat(text).date()))
        except ValueError:
            pass
        raise


def _observed(text: str) -> str:
    try:
        day = dt.datetime.fromisoformat(text).date()
    except ValueError:
        raise _Problem(f"expected an ISO date such as 2026-11-20, got {_shown(text)}") from None
    return str(PartialDate.from_date(day))


def _text(column: str, value: object) -> str | None:
    if isinstance(value, str):
        if column in _CHOICES:
            return _one_of(column, value)
        return value or None
    # Whole numbers are text here (ids and handles that a spreadsheet took for numbers).
    if isinstance(value, int) and not isinstance(value, bool) and column not in _CHOICES:
        return str(value)
    raise _Problem(f"expected text, got {_type_name(value)}")


def _one_of(column: str, value: str) -> str | None:
    text = value.strip().lower()
    if not text:
        return None
    if text not in _CHOICES[column]:
        raise _Problem(f"expected one of {', '.join(_CHOICES[column])}, got {_shown(value)}")
    return text


def _json_object(column: str, value: object) -> str | None:
    if isinstance(value, dict):  # JSONL may nest the object instead of quoting it
        try:
            return json.dumps(value, ensure_ascii=False, allow_nan=False)
        except (TypeError, ValueError) as error:
            raise _Problem(f"cannot be written as JSON ({error})") from None
    if not isinstance(value, str):
        raise _Problem(f"expected a JSON object as text, got {_type_name(value)}")
    if not value.strip():
        return None
    try:
        parsed = json.loads(value)
    except json.JSONDecodeError as error:
        raise _Problem(f"not valid JSON ({error.msg} at character {error.pos + 1})") from None
    except RecursionError:
        raise _Problem("JSON nested too deeply") from None
    if not isinstance(parsed, dict):
        raise _Problem(f"expected a JSON object of Profile fields, got {_type_name(parsed)}")
    return value


_Converter = Callable[[str, object], _Converted]
_CONVERTERS: Final[dict[str, _Converter]] = {
    "text": _text,
    "count": _count,
    "count_or_text": _count_or_text,
    "date": _date,
    "flag": _flag,
    "number": _count,
    "fraction": _fraction,
    "json": _json_object,
    "label": _label,
}


def _convert_value(column: str, value: object) -> _Converted:
    value = _plain(value)
    if value is None:
        return None
    return _CONVERTERS[COLUMNS[column]](column, value)


def _plain(value: object) -> object:
    """NumPy scalars as Python ones; NaN as None (how NumPy and pandas mark a missing value)."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


# ---------------------------------------------------------------------------------------------
# One column: Arrow arrays (CSV, Parquet, homogeneous lists) or Python values (mixed lists).


def _empty(column: str, rows: int) -> npt.NDArray[Any]:
    if COLUMNS[column] in _FLOAT_KINDS:
        return np.full(rows, np.nan)
    return np.full(rows, None, dtype=object)


def _convert_list(column: str, values: Sequence[object]) -> npt.NDArray[Any]:
    out = _empty(column, len(values))
    for index, value in enumerate(values):
        try:
            converted = _convert_value(column, value)
        except _Problem as problem:
            raise _Problem(problem.reason, index) from None
        if converted is not None:
            out[index] = converted
    return out


def _convert_column(column: str, values: Any) -> npt.NDArray[Any]:
    """Values of one column (an Arrow array, a NumPy array or a list) as the reader's array."""
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    if not isinstance(values, pa.Array):
        if COLUMNS[column] == "json":
            return _convert_list(column, list(values))
        try:
            values = pa.array(values)
        except (pa.ArrowException, OverflowError, TypeError, ValueError):
            return _convert_list(column, list(values))  # mixed types: value by value
    return _convert_arrow(column, values)


def _convert_arrow(column: str, array: Any) -> npt.NDArray[Any]:
    if pa.types.is_dictionary(array.type):  # pandas categoricals
        array = array.cast(array.type.value_type)
    kind = COLUMNS[column]
    if kind in {"count", "count_or_text", "number", "fraction"}:
        numbers = _fast_numbers(array)
        if numbers is not None and _numbers_follow_rules(kind, numbers):
            return numbers
    elif kind == "text" and column not in _CHOICES:
        if _is_text(array.type) or pa.types.is_integer(array.type):
            return _fast_text(array)
    elif kind == "json":
        return _convert_list(column, array.to_pylist())
    return _convert_distinct(column, array)


def _is_text(kind: Any) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind))


def _fast_text(array: Any) -> npt.NDArray[Any]:
    # Through a dictionary, so that repeated texts (groups, platforms, shared bios) are one
    # Python string each: a chunk's text is most of its memory.
    encoded = pc.dictionary_encode(array)
    distinct = encoded.dictionary
    if not _is_text(distinct.type):
        distinct = pc.cast(distinct, pa.string())
    lookup: npt.NDArray[Any] = distinct.to_numpy(zero_copy_only=False)
    lookup[pc.equal(pc.binary_length(distinct), 0).to_numpy(zero_copy_only=False)] = None
    return _spread(np.append(lookup, np.array([None], dtype=object)), encoded.indices)


def _spread(lookup: npt.NDArray[Any], indices: Any) -> npt.NDArray[Any]:
    """`lookup` indexed by dictionary indices; a missing index takes the last entry."""
    positions = pc.fill_null(indices, len(lookup) - 1).to_numpy(zero_copy_only=False)
    spread: npt.NDArray[Any] = lookup[positions]
    return spread


def _fast_numbers(array: Any) -> npt.NDArray[np.float64] | None:
    """Numbers by one vectorised cast, or None when some value needs the per-value rules."""
    kind = array.type
    if _is_text(kind):
        array = pc.if_else(pc.equal(array, ""), pa.scalar(None, kind), array)
        try:
            cast = pc.cast(array, pa.float64())
        except pa.ArrowInvalid:
            return None
        numbers: npt.NDArray[np.float64] = cast.to_numpy(zero_copy_only=False)
        given: npt.NDArray[np.bool_] = array.is_valid().to_numpy(zero_copy_only=False)
        if np.isnan(numbers[given]).any():  # the text "nan" is not a number
            return None
        return numbers
    if pa.types.is_integer(kind) or pa.types.is_floating(kind) or pa.types.is_decimal(kind):
        cast = pc.cast(array, pa.float64(), safe=False)
        return cast.to_numpy(zero_copy_only=False)  # type: ignore[no-any-return]
    if pa.types.is_null(kind):
        return np.full(len(array), np.nan)
    return None


def _numbers_follow_rules(kind: str, numbers: npt.NDArray[np.float64]) -> bool:
    known = numbers[~np.isnan(numbers)]
    if kind == "fraction":
        return bool(np.all((known >= 0) & (known <= 1)))
    return bool(np.all((known >= 0) & (known <= MAX_COUNT) & (known == np.floor(known))))


def _convert_distinct(column: str, array: Any) -> npt.NDArray[Any]:
    """Convert each distinct value once, then spread the results over the rows."""
    if pa.types.is_null(array.type):
        return _empty(column, len(array))
    try:
        encoded = pc.dictionary_encode(array)
    except pa.ArrowNotImplementedError:  # nested values: no dictionary, go value by value
        return _convert_list(column, array.to_pylist())
    distinct = encoded.dictionary.to_pylist()
    try:
        lookup = _convert_list(column, distinct)
    except _Problem as problem:
        # Distinct values come in order of first appearance, so this is the earliest bad row.
        first_row = pc.index(encoded.indices, problem.index).as_py()
        raise _Problem(problem.reason, first_row) from None
    return _spread(np.append(lookup, _empty(column, 1)), encoded.indices)


# ---------------------------------------------------------------------------------------------
# Files: formats and columns.


def detect_format(path: Path) -> str:
    """The format a file's extension names: "csv", "jsonl" (.jsonl, .ndjson) or "parquet"."""
    file_format = _EXTENSIONS.get(Path(path).suffix.lower())
    if file_format is None:
        raise BatchFormatError(
            "cannot tell the format from the file's extension; expected .csv, .jsonl, .ndjson "
            "or .parquet (or name the format)",
            path=Path(path),
        )
    return file_format


def _format(path: Path, file_format: str | None) -> str:
    if file_format is None:
        return detect_format(path)
    if file_format not in FORMATS:
        raise BatchFormatError(
            f"unknown format {_shown(file_format)}; expected one of {', '.join(FORMATS)}",
            path=path,
        )
    return file_format


def _check_columns(path: Path, names: Sequence[str], *, row: int | None = None) -> None:
    unknown = [name for name in names if name not in COLUMNS]
    if unknown:
        listed = ", ".join(_unknown(name) for name in unknown[:10])
        raise BatchFormatError(
            f"unknown column{'s' if len(unknown) > 1 else ''} {listed}; "
            f"expected columns are: {', '.join(COLUMNS)}",
            path=path,
            row=row,
        )
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise BatchFormatError(f"column {_shown(repeated[0])} appears twice", path=path)


def _unknown(name: str) -> str:
    if not name.strip():
        return f"{_shown(name)} (a column with no name)"
    close = difflib.get_close_matches(name.strip().lower(), COLUMNS, n=1)
    return _shown(name) + (f" (did you mean {close[0]!r}?)" if close else "")


def _no_rows(path: Path) -> BatchFormatError:
    return BatchFormatError("no rows; a batch file needs at least one data row", path=path)


def _chunk(path: Path, raw: Mapping[str, Any], first_row: int) -> Chunk:
    columns: dict[str, npt.NDArray[Any]] = {}
    for name, values in raw.items():
        try:
            columns[name] = _convert_column(name, values)
        except _Problem as problem:
            raise _at(path, name, first_row, problem) from None
    return Chunk(columns, first_row)


def _at(path: Path, column: str, first_row: int, problem: _Problem) -> BatchFormatError:
    row = None if problem.index is None else first_row + problem.index
    return BatchFormatError(problem.reason, path=path, column=column, row=row)


def read_batches(
    path: Path, *, chunk_rows: int = 65_536, file_format: str | None = None
) -> Iterator[Chunk]:
    """The rows of a batch file, at most `chunk_rows` at a time, in file order.

    Memory stays bounded by the chunk size whatever the file's length. Every problem is a
    `BatchFormatError` naming the file, the column and the row; it is raised when the iteration
    reaches it.
    """
    if chunk_rows < 1:
        raise ValueError("chunk_rows must be at least 1")
    path = Path(path)
    readers = {"csv": _read_csv, "jsonl": _read_jsonl, "parquet": _read_parquet}
    try:
        yield from readers[_format(path, file_format)](path, chunk_rows)
    except OSError as error:
        raise _unreadable(path, error) from None


def _unreadable(path: Path, error: OSError) -> BatchFormatError:
    return BatchFormatError(f"cannot read the file ({error.strerror or error})", path=path)


def count_rows(path: Path, *, file_format: str | None = None) -> int | None:
    """Rows in the file when that is cheap to know (Parquet keeps it), else None."""
    path = Path(path)
    if _format(path, file_format) != "parquet":
        return None
    with _parquet(path) as parquet:
        rows: int = parquet.metadata.num_rows
    return rows


# CSV: all columns read as bytes, checked as UTF-8, then converted, so errors can name the row.


def _read_csv(path: Path, chunk_rows: int) -> Iterator[Chunk]:
    names = _csv_header(path)
    # A Python file object, not the path: given a path, Arrow reads dozens of blocks ahead.
    with path.open("rb") as stream:
        try:
            reader = pv.open_csv(
                stream,
                read_options=pv.ReadOptions(block_size=MAX_ROW_BYTES),
                parse_options=pv.ParseOptions(newlines_in_values=True),
                convert_options=pv.ConvertOptions(column_types=dict.fromkeys(names, pa.binary())),
            )
        except pa.ArrowInvalid as error:
            raise _csv_error(path, names, error) from None
        if reader.schema.names != names:
            raise BatchFormatError("cannot read the header line", path=path)
        yield from _csv_chunks(path, reader, chunk_rows, names)


def _csv_chunks(path: Path, reader: Any, chunk_rows: int, names: list[str]) -> Iterator[Chunk]:
    """Arrow's blocks regrouped into chunks of exactly `chunk_rows` rows (the last one fewer)."""
    pending: list[Any] = []
    pending_rows = 0
    next_row = 1
    while True:
        try:
            batch = reader.read_next_batch()
        except StopIteration:
            break
        except pa.ArrowInvalid as error:
            raise _csv_error(path, names, error) from None
        pending.append(batch)
        pending_rows += batch.num_rows
        while pending_rows >= chunk_rows:
            table = pa.Table.from_batches(pending)
            yield _csv_chunk(path, table.slice(0, chunk_rows), next_row)
            next_row += chunk_rows
            rest = table.slice(chunk_rows)
            pending, pending_rows = rest.to_batches(), rest.num_rows
    if pending_rows:
        yield _csv_chunk(path, pa.Table.from_batches(pending), next_row)
    elif next_row == 1:
        raise _no_rows(path)


def _csv_header(path: Path) -> list[str]:
    with path.open("rb") as stream:
        line = stream.readline(MAX_ROW_BYTES + 1)
        more = stream.read(1)
    if not line.lstrip(b"\xef\xbb\xbf").strip():
        if more.strip() or line.strip():
            raise BatchFormatError("the first line is empty; expected the header", path=path)
        raise _no_rows(path)
    if len(line) > MAX_ROW_BYTES:
        raise BatchFormatError(f"the header line is longer than {MAX_ROW_BYTES:,} bytes", path=path)
    try:
        text = line.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BatchFormatError("the header line is not UTF-8 text", path=path) from None
    names = next(csv.reader(io.StringIO(text)), [])
    _check_columns(path, names)
    return names


def _csv_chunk(path: Path, table: Any, first_row: int) -> Chunk:
    raw: dict[str, Any] = {}
    for name in table.column_names:
        column = table.column(name).combine_chunks()
        try:
            raw[name] = pc.cast(column, pa.string())
        except pa.ArrowInvalid:
            index = _first_non_utf8(column.to_pylist())
            problem = _Problem("not UTF-8 text; save the file as UTF-8", index)
            raise _at(path, name, first_row, problem) from None
    return _chunk(path, raw, first_row)


def _first_non_utf8(cells: list[bytes | None]) -> int | None:
    for index, cell in enumerate(cells):
        try:
            if cell is not None:
                cell.decode("utf-8")
        except UnicodeDecodeError:
            return index
    return None


def _csv_error(path: Path, names: list[str], error: Exception) -> BatchFormatError:
    message = str(error).removeprefix("CSV parse error: ")
    if message.startswith("Expected"):
        row, found = _ragged_row(path, len(names))
        if row is not None:
            return BatchFormatError(
                f"{found} values where the header has {len(names)} columns", path=path, row=row
            )
    return BatchFormatError(f"cannot read as CSV ({message[:200]})", path=path)


def _ragged_row(path: Path, width: int) -> tuple[int | None, int]:
    """The first data row whose field count differs from the header's (only on error)."""
    try:
        with path.open(encoding="utf-8-sig", errors="replace", newline="") as stream:
            records = (record for record in csv.reader(stream) if record)  # Arrow skips blanks
            next(records, None)
            for number, record in enumerate(records, start=1):
                if len(record) != width:
                    return number, len(record)
    except csv.Error:
        pass
    return None, 0


# JSONL: one JSON object per line, read line by line.


def _read_jsonl(path: Path, chunk_rows: int) -> Iterator[Chunk]:
    seen: dict[str, None] = {}  # columns in order of first appearance
    rows: list[dict[str, Any]] = []
    first_row = 1
    blank: int | None = None
    number = 0
    with path.open("rb") as stream:
        while line := stream.readline(MAX_ROW_BYTES + 2):
            number += 1
            if not line.strip():
                blank = blank or number
                continue
            if blank is not None:
                raise BatchFormatError(
                    "blank line; JSONL has one JSON object on every line", path=path, row=blank
                )
            row = _jsonl_row(path, line, number)
            for key in row:
                if key not in seen:
                    _check_columns(path, [key], row=number)
                    seen[key] = None
            rows.append(row)
            if len(rows) == chunk_rows:
                yield _jsonl_chunk(path, seen, rows, first_row)
                first_row += len(rows)
                rows = []
    if rows:
        yield _jsonl_chunk(path, seen, rows, first_row)
    elif first_row == 1:
        raise _no_rows(path)


def _jsonl_row(path: Path, line: bytes, number: int) -> dict[str, Any]:
    if len(line.rstrip(b"\r\n")) > MAX_ROW_BYTES:
        raise BatchFormatError(f"line longer than {MAX_ROW_BYTES:,} bytes", path=path, row=number)
    try:
        text = line.decode("utf-8-sig" if number == 1 else "utf-8")
    except UnicodeDecodeError:
        raise BatchFormatError(
            "not UTF-8 text; save the file as UTF-8", path=path, row=number
        ) from None
    try:
        row = json.loads(text)
    except json.JSONDecodeError as error:
        raise BatchFormatError(
            f"not valid JSON ({error.msg} at character {error.pos + 1})", path=path, row=number
        ) from None
    except RecursionError:
        raise BatchFormatError("JSON nested too deeply", path=path, row=number) from None
    if not isinstance(row, dict):
        raise BatchFormatError(
            f"expected a JSON object, got {_type_name(row)}", path=path, row=number
        )
    return row


def _jsonl_chunk(
    path: Path, seen: Mapping[str, None], rows: list[dict[str, Any]], first_row: int
) -> Chunk:
    if not seen:
        raise BatchFormatError(
            f"rows {first_row} to {first_row + len(rows) - 1} have no columns", path=path
        )
    return _chunk(path, {name: [row.get(name) for row in rows] for name in seen}, first_row)


# Parquet: typed columns, read a row group slice at a time.


def _parquet(path: Path) -> Any:
    try:
        return pq.ParquetFile(path)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as error:
        raise BatchFormatError(f"not a readable Parquet file ({error})", path=path) from None
    except OSError as error:
        raise _unreadable(path, error) from None


def _read_parquet(path: Path, chunk_rows: int) -> Iterator[Chunk]:
    with _parquet(path) as parquet:
        names = [name for name in parquet.schema_arrow.names if not _PANDAS_INDEX.fullmatch(name)]
        if not names:
            raise BatchFormatError("no columns", path=path)
        _check_columns(path, names)
        if parquet.metadata.num_rows == 0:
            raise _no_rows(path)
        first_row = 1
        for batch in parquet.iter_batches(batch_size=chunk_rows, columns=names):
            yield _chunk(path, dict(zip(names, batch.columns, strict=True)), first_row)
            first_row += batch.num_rows


# ---------------------------------------------------------------------------------------------
# Writing.

_ROW_GROUP_ROWS: Final = 65_536
_WRITTEN_TYPES: Final = {
    "text": pa.string(),
    "date": pa.string(),
    "json": pa.string(),
    "count_or_text": pa.string(),  # keeps "500+" as shown
    "count": pa.int64(),
    "number": pa.int64(),
    "fraction": pa.float64(),
    "flag": pa.bool_(),
    "label": pa.int8(),
}


class BatchWriter:
    """Writes a batch file: beside the target first, renamed over it only on success.

    `write` takes columns (name -> values, same names every call), checks every value of a known
    column with the readers' rules, and writes it in that column's type. Columns outside
    `COLUMNS` (scores, for instance) are written as given, typed by their first values: such a
    file is an output, which `read_batches` does not take back as input. If the `with` block
    raises, the partial file is removed and an existing target is left untouched.
    """

    def __init__(self, path: Path, *, file_format: str | None = None) -> None:
        self.path = Path(path)
        self.file_format = _format(self.path, file_format)
        self._temporary = self.path.with_name(f".{self.path.name}.{secrets.token_hex(6)}.tmp")
        self._schema: Any = None
        self._sink: Any = None
        self._rows = 0
        self._closed = False

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._closed = True
        if kind is not None:
            self._discard()
            return
        if self._rows == 0:
            self._discard()
            raise BatchFormatError("no rows were written; a batch file needs one", path=self.path)
        try:
            self._close_sink()
            with self._temporary.open("rb") as written:
                os.fsync(written.fileno())  # the rename must not publish a half-written file
            os.replace(self._temporary, self.path)
        except BaseException:
            self._discard()
            raise

    def write(self, rows: Mapping[str, Sequence[object]]) -> None:
        """Append rows given as columns: {"id": [...], "followers": [...], ...}."""
        if self._closed:
            raise ValueError(f"{self.path}: the writer is closed")
        table = self._table(rows)
        if table.num_rows == 0:
            return
        if self._sink is None:
            self._open(table.schema)
        if self.file_format == "jsonl":
            self._write_jsonl(table)
        elif self.file_format == "parquet":
            # Readers hold a whole row group at once: small groups keep their memory bounded.
            self._sink.write_table(table, row_group_size=_ROW_GROUP_ROWS)
        else:
            self._sink.write_table(_csv_table(table))
        self._rows += table.num_rows

    def _table(self, rows: Mapping[str, Sequence[object]]) -> Any:
        names = list(rows)
        if not names:
            raise BatchFormatError("no columns to write", path=self.path)
        if self._schema is not None:
            if set(names) != set(self._schema.names):
                raise BatchFormatError(
                    f"columns {sorted(names)} differ from the first write's "
                    f"{sorted(self._schema.names)}",
                    path=self.path,
                )
            names = self._schema.names
        lengths = {len(values) for values in rows.values()}
        if len(lengths) > 1:
            raise BatchFormatError(f"columns of unequal lengths {sorted(lengths)}", path=self.path)
        arrays = [self._array(name, rows[name]) for name in names]
        return pa.Table.from_arrays(arrays, names=names)

    def _array(self, name: str, values: Sequence[object]) -> Any:
        kind = COLUMNS.get(name)
        try:
            if kind is None:
                return self._extra_array(name, values)
            if kind == "count_or_text":
                return pa.array(_connections_texts(values), type=pa.string())
            return _typed(kind, _convert_column(name, values))
        except _Problem as problem:
            raise _at(self.path, name, self._rows + 1, problem) from None

    def _extra_array(self, name: str, values: Sequence[object]) -> Any:
        known = None if self._schema is None else self._schema.field(name).type
        try:
            array = pa.array(values, type=known)
        except (pa.ArrowException, OverflowError, TypeError, ValueError) as error:
            raise BatchFormatError(
                f"values do not fit one type ({str(error)[:200]})", path=self.path, column=name
            ) from None
        if pa.types.is_null(array.type):  # nothing but None so far: take it for text
            return array.cast(pa.string())
        if pa.types.is_floating(array.type):  # NaN is missing, and JSON has no NaN
            array = pc.if_else(pc.is_nan(array), pa.scalar(None, array.type), array)
        return array

    def _open(self, schema: Any) -> None:
        self._temporary.open("xb").close()  # claim the name; the writers then fill it
        self._schema = schema
        if self.file_format == "csv":
            self._sink = pv.CSVWriter(str(self._temporary), _csv_schema(schema))
        elif self.file_format == "parquet":
            self._sink = pq.ParquetWriter(str(self._temporary), schema)
        else:
            self._sink = self._temporary.open("w", encoding="utf-8", newline="\n")

    def _write_jsonl(self, table: Any) -> None:
        for index, row in enumerate(table.to_pylist()):
            line = json.dumps(row, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
            if len(line.encode("utf-8")) > MAX_ROW_BYTES:
                raise BatchFormatError(
                    f"longer than {MAX_ROW_BYTES:,} bytes as a JSONL line",
                    path=self.path,
                    row=self._rows + index + 1,
                )
            self._sink.write(line + "\n")

    def _close_sink(self) -> None:
        if self._sink is not None:
            sink, self._sink = self._sink, None
            sink.close()

    def _discard(self) -> None:
        # The file is thrown away: the error that got us here is the one worth seeing.
        with contextlib.suppress(Exception):
            self._close_sink()
        self._temporary.unlink(missing_ok=True)


def _csv_schema(schema: Any) -> Any:
    if len(schema) == 1:
        return pa.schema([pa.field(schema.names[0], pa.string())])
    return schema


def _csv_table(table: Any) -> Any:
    """The table as written to CSV: one column is written as text, with "" for missing."""
    if table.num_columns > 1:
        return table
    # A lone empty cell would be an empty line, which CSV readers skip: "" keeps the row.
    column = pc.fill_null(pc.cast(table.column(0), pa.string()), "")
    return pa.table([column], schema=_csv_schema(table.schema))


def _connections_texts(values: Sequence[object]) -> list[str | None]:
    texts = []
    for index, value in enumerate(values):
        try:
            texts.append(_connections_text(value))
        except _Problem as problem:
            raise _Problem(problem.reason, index) from None
    return texts


def _typed(kind: str, values: npt.NDArray[Any]) -> Any:
    """The reader's array as the column's written type: whole numbers as integers, flags bool."""
    if kind not in _FLOAT_KINDS:
        return pa.array(values, type=pa.string())
    missing = np.isnan(values)
    filled = np.where(missing, 0, values)
    if kind == "fraction":
        return pa.array(values, mask=missing)
    if kind == "flag":
        return pa.array(filled == 1, mask=missing)
    return pa.array(filled.astype(np.int64), mask=missing, type=_WRITTEN_TYPES[kind])


# ---------------------------------------------------------------------------------------------
# The JSON Schema of one row.


def _any_case(words: Sequence[str]) -> str:
    """A regex matching the words in any letter case (JSON Schema regexes have no flags)."""
    spelled = ("".join(f"[{c}{c.upper()}]" if c.isalpha() else c for c in w) for w in words)
    return r"^\s*(?:" + "|".join(spelled) + r")?\s*$"


def _property(column: str, kind: str) -> dict[str, Any]:
    counts: dict[str, Any] = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
    number_text = {"type": "string", "pattern": r"^\s*(?:\+?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)?\s*$"}  # fmt: skip
    one_zero = r"[01](?:\.0*)?"
    options: list[dict[str, Any]]
    if kind == "text" and column in _CHOICES:
        options = [{"type": "string", "pattern": _any_case(_CHOICES[column])}]
    elif kind == "text":
        options = [{"type": "string"}, {"type": "integer"}]
    elif kind in {"count", "number"}:
        options = [counts, number_text]
    elif kind == "count_or_text":
        options = [counts, {"type": "string", "maxLength": MAX_COUNT_TEXT, "examples": ["500+"]}]
    elif kind == "fraction":
        options = [{"type": "number", "minimum": 0, "maximum": 1}, number_text]
    elif kind in {"flag", "label"}:
        words = _FLAG_WORDS if kind == "flag" else _LABEL_WORDS
        pattern = _any_case(list(words)).replace("(?:", f"(?:{one_zero}|", 1)
        options = [{"type": "boolean"}, {"enum": [0, 1]}, {"type": "string", "pattern": pattern}]
    elif kind == "date":
        options = [{"type": "string", "maxLength": MAX_DATE_TEXT}]
        if column == "joined":
            options.append({"type": "integer", "minimum": EARLIEST_YEAR, "maximum": LATEST_YEAR})
    else:
        options = [{"type": "object"}, {"type": "string"}]
    return {
        "description": f"{MEANINGS[column]} ({kind}; null or empty: unknown)",
        "anyOf": [*options, {"type": "null"}],
    }


def row_schema() -> dict[str, Any]:
    """JSON Schema (draft 2020-12) of one row, as a JSONL line or a dict of cells."""
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "linkvet batch row",
        "description": (
            "One row of a linkvet batch file (CSV, JSONL or Parquet); see docs/batch-format.md. "
            "Every column is optional, but a file needs at least one; an empty or null cell is "
            "unknown, never zero."
        ),
        "type": "object",
        "properties": {column: _property(column, kind) for column, kind in COLUMNS.items()},
        "additionalProperties": False,
    }


def write_row_schema(path: Path) -> None:
    """Write `row_schema()` to `path` (docs/schema/batch-row.schema.json in the checkout)."""
    Path(path).write_text(json.dumps(row_schema(), indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schema/batch-row.schema.json")
    write_row_schema(target)
    print(f"wrote {target}")
