"""LinkedIn's data export (the "Get a copy of your data" zip): who approached you, ready to assess.

From the archive this reads `Connections.csv`, `Invitations.csv`, `messages.csv` and, to tell
whose export it is, `Profile.csv`. The contacts worth assessing are the senders of incoming
invitations and the people who opened a conversation while they were strangers: not connected,
or connected only shortly before they first wrote. Each becomes an `Approach`, whose `profile()`
is what linkvet assesses.

The archive comes from a download and may have been tampered with, so it is read as hostile:
nothing is ever extracted to disk (members are read as streams, which makes names such as
`../x` harmless, but an archive holding them is refused as not LinkedIn's), and the bytes
actually decompressed are counted against the caps below, whatever the archive's headers claim.
What cannot be read at all is an `ExportError`; a part that cannot be read (a malformed row, a
date in an unknown format, a missing optional file) is left out, and `ExportContents.notes`
says what and how much. Columns are found by their names in the header row, never by position,
because LinkedIn reorders and adds columns between exports.
"""

from __future__ import annotations

import collections
import csv
import datetime as dt
import io
import re
import struct
import urllib.parse
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Final, Literal, TypeVar

from pydantic import ValidationError

from linkvet.errors import InputError, describe_validation_error
from linkvet.model import SHORT_TEXT, Message, Platform, Profile

# Caps. A real export holds a few dozen files of a few megabytes; these are far above that and
# low enough that a crafted archive (a "zip bomb") cannot exhaust memory or time.
MAX_ENTRIES: Final = 10_000
# zipfile reads the whole central directory into memory before anything can be counted.
MAX_DIRECTORY_BYTES: Final = 10_000_000
MAX_MEMBER_BYTES: Final = 100_000_000
MAX_TOTAL_BYTES: Final = 500_000_000
# Text compresses about 10:1; a member that expands far more than this is a bomb.
MAX_RATIO: Final = 200
RATIO_FREE_BYTES: Final = 1_000_000
# One physical line of a CSV file; csv's own field limit (131,072 characters) bounds a field.
MAX_LINE_CHARS: Final = 1_000_000
# Rows searched for the header, past the "Notes:" preamble of Connections.csv.
MAX_PREAMBLE_ROWS: Final = 20
# Messages read per conversation and per contact, the earliest first: an approach shows itself
# in its opening messages, and the timing checks look at the first one.
MAX_MESSAGES_PER_CONVERSATION: Final = 200
MAX_MESSAGES_PER_CONTACT: Final = 1_000

# LinkedIn writes deflate; stored members appear in hand-made archives. Other methods are refused
# rather than handed to decompressors that a hostile archive would then exercise.
_COMPRESSIONS: Final = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED})
_ENCRYPTED_FLAG: Final = 0x1
# What zipfile and zlib raise on a damaged archive or member.
_DAMAGED: Final = (zipfile.BadZipFile, zlib.error, EOFError, OSError, struct.error, ValueError)
_CHUNK: Final = 64 * 1024
_TRUE_WORDS: Final = frozenset({"yes", "true", "1", "y"})


class ExportError(InputError):
    """The archive cannot be used as a LinkedIn data export: the message says why."""


# ---------------------------------------------------------------------------------------------
# What an export holds


@dataclass(frozen=True)
class Contact:
    """One row of Connections.csv: a person the owner is connected to."""

    first_name: str | None
    last_name: str | None
    url: str | None
    email: str | None
    company: str | None
    position: str | None
    connected_on: dt.date | None

    @property
    def name(self) -> str | None:
        return " ".join(part for part in (self.first_name, self.last_name) if part) or None


@dataclass(frozen=True)
class Approach:
    """A contact who approached the owner, with the invitation and messages they exchanged.

    `key` is the sender's profile URL in canonical spelling or, when the export gives none, their
    name; `messages` holds both directions, earliest first.
    """

    key: str
    name: str | None
    url: str | None
    connection: Contact | None
    recently_connected: bool
    invitation: Message | None
    messages: tuple[Message, ...]

    def profile(self) -> Profile:
        """The profile linkvet assesses: what the export shows of this contact, nothing more.

        A connection's Position and Company make the headline ("Position at Company"). They
        do not make an experience entry: the export shows the current role only, and a list of
        one entry would tell the timeline checks that this is the whole career. Connections.csv
        gives only the day a connection was made, so `connected_at` (a moment) stays unknown too;
        the timing checks then measure from the invitation instead.
        """
        connection = self.connection
        position = connection.position if connection else None
        company = connection.company if connection else None
        headline = f"{position} at {company}" if position and company else position
        try:
            return Profile(
                platform=Platform.LINKEDIN,
                url=self.url,
                name=_clip(self.name),
                headline=_clip(headline),
                invitation=self.invitation,
                messages=list(self.messages),
            )
        except ValidationError as error:
            raise ExportError(describe_validation_error(error), source=self.key) from None


@dataclass(frozen=True)
class ExportContents:
    """What `read_export` found: whose export it is, their connections, the approaches to
    assess, and notes on what was left out and why."""

    owner: str | None
    contacts: tuple[Contact, ...]
    approaches: tuple[Approach, ...]
    notes: tuple[str, ...]


def read_export(path: Path | str, *, recent_days: int = 30) -> ExportContents:
    """Read LinkedIn's data export at `path`. A conversation counts as opened by a stranger when
    its first message came from someone who was not a connection, or who became one no earlier
    than `recent_days` before that message. Raises `ExportError` when the archive is unusable."""
    source = str(path)
    notes: list[str] = []
    with _open_archive(Path(path), source) as archive:
        reader = _MemberReader(archive, source, notes)
        members = _find_members(archive, source, notes)
        if not members.keys() & {CONNECTIONS.name, INVITATIONS.name, MESSAGES.name}:
            raise ExportError(
                "not a LinkedIn data export: it holds none of Connections.csv, Invitations.csv "
                "or messages.csv",
                source=source,
            )
        for table, consequence in _CONSEQUENCE_OF_ABSENCE.items():
            if table.name not in members:
                notes.append(f"The archive has no {table.name}: {consequence}.")
        # Each table becomes records as it is read, so that its raw rows are never all held.
        contacts = reader.read(members.get(CONNECTIONS.name), CONNECTIONS, _contacts)
        invitations = reader.read(members.get(INVITATIONS.name), INVITATIONS, _invitations)
        conversations = reader.read(members.get(MESSAGES.name), MESSAGES, _conversations)
        profile_name = None
        try:
            profile_name = reader.read(members.get(PROFILE.name), PROFILE, _profile_name)
        except _HeaderError as error:  # Profile.csv only names the owner, who can be inferred
            notes.append(f"{error.detail}; whose export it is was inferred instead.")
    owner = _Owner.infer(profile_name, invitations, conversations)
    if conversations and owner.name is None and not owner.urls:
        notes.append(
            "Whose export this is could not be told, so every conversation opened by someone "
            "who is not a connection was assessed, and replies could not be told apart."
        )
    approaches = _Assembler(contacts, owner, recent_days, notes).approaches(
        invitations, conversations
    )
    return ExportContents(
        owner=owner.name, contacts=tuple(contacts), approaches=approaches, notes=tuple(notes)
    )


# ---------------------------------------------------------------------------------------------
# The files and their columns


@dataclass(frozen=True)
class _Table:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()


CONNECTIONS: Final = _Table(
    "Connections.csv",
    ("First Name", "Last Name", "URL", "Connected On"),
    ("Email Address", "Company", "Position"),
)
INVITATIONS: Final = _Table(
    "Invitations.csv",
    ("From", "To", "Sent At", "Direction"),
    ("Message", "inviterProfileUrl", "inviteeProfileUrl"),
)
MESSAGES: Final = _Table(
    "messages.csv",
    ("CONVERSATION ID", "FROM", "DATE", "CONTENT"),
    (
        "SENDER PROFILE URL",
        "TO",
        "RECIPIENT PROFILE URLS",
        "FOLDER",
        "IS MESSAGE DRAFT",
        "IS CONVERSATION DRAFT",
    ),
)
PROFILE: Final = _Table("Profile.csv", ("First Name", "Last Name"))

_CONSEQUENCE_OF_ABSENCE: Final = {
    CONNECTIONS: "nobody could be recognised as a connection, so every conversation opened by "
    "someone else was assessed",
    INVITATIONS: "invitations were not assessed",
    MESSAGES: "conversations were not assessed",
}

_Row = dict[str, str]
_T = TypeVar("_T")


def _column_key(name: str) -> str:
    """Header names compare without case, spaces or punctuation: "Sent At" is "sentat"."""
    return "".join(character for character in name.casefold() if character.isalnum())


# ---------------------------------------------------------------------------------------------
# Reading the archive safely


def _open_archive(path: Path, source: str) -> zipfile.ZipFile:
    try:
        file = path.open("rb")
    except OSError as error:
        raise ExportError(
            f"cannot read the archive ({error.strerror or error})", source=source
        ) from None
    try:
        with file:
            _check_directory(file, source)
        return zipfile.ZipFile(path)
    except (*_DAMAGED, NotImplementedError) as error:
        raise _not_a_zip(error, source) from None


def _not_a_zip(error: Exception, source: str) -> ExportError:
    return ExportError(
        f"not a readable zip archive ({_shown(str(error))}); LinkedIn sends its data export as a "
        ".zip file: download it again if it was cut short",
        source=source,
    )


def _check_directory(file: IO[bytes], source: str) -> None:
    """Refuse an archive whose central directory is too large, before zipfile loads it.

    The end record is found as zipfile finds it (at the very end, else the last signature in the
    final 64 KiB); an archive whose end record cannot be read is left to zipfile to refuse.
    """
    end_size, zip64_locator_size, zip64_end_size = 22, 20, 56
    size = file.seek(0, io.SEEK_END)
    tail_size = min(size, end_size + 0xFFFF)
    file.seek(size - tail_size)
    tail = file.read(tail_size)
    at = len(tail) - end_size
    if at < 0:
        return
    if not tail.startswith(b"PK\x05\x06", at):
        at = tail.rfind(b"PK\x05\x06")
        if at < 0 or len(tail) - at < end_size:
            return
    entries, directory_bytes = struct.unpack_from("<HL", tail, at + 10)
    record_at = size - tail_size + at - zip64_locator_size - zip64_end_size
    if (entries == 0xFFFF or directory_bytes == 0xFFFFFFFF) and record_at >= 0:
        # Zip64: the real counts are in a record just before the locator that precedes this.
        file.seek(record_at)
        record = file.read(zip64_end_size)
        if len(record) == zip64_end_size and record.startswith(b"PK\x06\x06"):
            entries, directory_bytes = struct.unpack_from("<QQ", record, 32)
    if entries > MAX_ENTRIES:
        raise ExportError(
            f"the archive lists {entries:,} files, more than the {MAX_ENTRIES:,} read; LinkedIn's "
            "export holds a few dozen",
            source=source,
        )
    if directory_bytes > MAX_DIRECTORY_BYTES:
        raise ExportError(
            f"the archive's file list takes {directory_bytes:,} bytes, more than the "
            f"{MAX_DIRECTORY_BYTES:,} read; LinkedIn's export needs a few kilobytes",
            source=source,
        )


def _find_members(
    archive: zipfile.ZipFile, source: str, notes: list[str]
) -> dict[str, zipfile.ZipInfo]:
    """The members to read, by the name of their table, matched on the base name without case;
    the archive as a whole is checked first (entry count, names, declared sizes)."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ExportError(
            f"the archive holds {len(entries):,} files, more than the {MAX_ENTRIES:,} read",
            source=source,
        )
    declared = 0
    for entry in entries:
        if _escapes_archive(entry.filename):
            raise ExportError(
                f"the archive holds a file named '{_shown(entry.filename)}', which points outside "
                "the archive; LinkedIn's exports never do, so this one was not read",
                source=source,
            )
        declared += entry.file_size
    if declared > MAX_TOTAL_BYTES:
        raise ExportError(
            f"the archive's files would take {declared:,} bytes unpacked, more than the "
            f"{MAX_TOTAL_BYTES:,} read",
            source=source,
        )
    wanted = {table.name.casefold(): table.name for table in (CONNECTIONS, INVITATIONS, MESSAGES)}
    wanted[PROFILE.name.casefold()] = PROFILE.name
    candidates: dict[str, list[zipfile.ZipInfo]] = collections.defaultdict(list)
    for entry in entries:
        if entry.filename.endswith("/"):  # a folder (is_dir() fails on an empty name)
            continue
        base = entry.filename.replace("\\", "/").rsplit("/", 1)[-1].casefold()
        if base in wanted:
            candidates[wanted[base]].append(entry)
    members = {}
    for name, found in candidates.items():
        found.sort(key=_depth)
        if len(found) > 1 and _depth(found[0]) == _depth(found[1]):
            raise ExportError(
                f"the archive holds more than one {name} at the same level "
                f"('{_shown(found[0].filename)}', '{_shown(found[1].filename)}'); which is "
                "LinkedIn's cannot be told",
                source=source,
            )
        if len(found) > 1:
            notes.append(
                f"{name}: read '{_shown(found[0].filename)}'; {len(found) - 1} more deeply "
                "nested file(s) of that name were ignored."
            )
        members[name] = found[0]
    return members


def _depth(entry: zipfile.ZipInfo) -> int:
    return entry.filename.replace("\\", "/").strip("/").count("/")


def _escapes_archive(name: str) -> bool:
    """A name that would land outside the folder it was extracted to: absolute, or with `..`."""
    unified = name.replace("\\", "/")
    return (
        unified.startswith("/")
        or re.match(r"[A-Za-z]:", unified) is not None
        or ".." in unified.split("/")
    )


class _HeaderError(ExportError):
    """A table without the header row its required columns need."""


class _BombError(Exception):
    """A member expanded past a cap."""


class _CountedStream(io.RawIOBase):
    """A member's decompressed bytes, counted as they are read. zipfile already stops at the size
    the archive declares; the count does not rely on that, and it is what the ratio and the
    archive's total are judged by."""

    def __init__(self, member: IO[bytes], entry: zipfile.ZipInfo, name: str, budget: _Budget):
        super().__init__()
        self._member = member
        self._compressed = max(entry.compress_size, 1)
        self._name = name
        self._budget = budget
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._member.read(min(len(buffer), _CHUNK))
        self._count += len(data)
        self._budget.spend(len(data))
        if self._count > MAX_MEMBER_BYTES:
            raise _BombError(f"{self._name} unpacks to more than {MAX_MEMBER_BYTES:,} bytes")
        if self._count > RATIO_FREE_BYTES and self._count > MAX_RATIO * self._compressed:
            raise _BombError(
                f"{self._name} expands more than {MAX_RATIO} times its packed size "
                f"({self._compressed:,} bytes)"
            )
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._member.close()
        super().close()


@dataclass
class _Budget:
    """Bytes decompressed from the whole archive so far."""

    spent: int = 0

    def spend(self, count: int) -> None:
        self.spent += count
        if self.spent > MAX_TOTAL_BYTES:
            raise _BombError(f"the archive unpacks to more than {MAX_TOTAL_BYTES:,} bytes")


@dataclass
class _MemberReader:
    """Reads members as CSV tables, within the caps; problems in a table become notes."""

    archive: zipfile.ZipFile
    source: str
    notes: list[str]
    budget: _Budget = field(default_factory=_Budget)

    def read(
        self,
        entry: zipfile.ZipInfo | None,
        table: _Table,
        build: Callable[[Iterator[_Row], list[str]], _T],
    ) -> _T:
        """What `build` makes of the table's rows, keyed by the table's column names (those the
        file has); of no rows when the archive has no such table. `build` notes what it leaves
        out; a table that is read again (in another encoding) is built again from scratch."""
        if entry is None:
            return build(iter(()), [])
        self._check(entry, table)
        try:
            built, notes = self._parse(entry, table, build, encoding="utf-8-sig")
        except UnicodeDecodeError:
            # A CRC-checked member that is not UTF-8 was written that way, most likely by a
            # spreadsheet re-saving the file in the Windows code page; read it as that.
            built, notes = self._parse(entry, table, build, encoding="cp1252")
            notes.insert(
                0,
                f"{table.name} is not UTF-8 text; it was read as Windows-1252, so some "
                "accented letters may be wrong.",
            )
        self.notes.extend(notes)
        return built

    def _check(self, entry: zipfile.ZipInfo, table: _Table) -> None:
        if entry.flag_bits & _ENCRYPTED_FLAG:
            raise ExportError(
                f"{table.name} is encrypted; LinkedIn's exports are not: download it again",
                source=self.source,
            )
        if entry.compress_type not in _COMPRESSIONS:
            raise ExportError(
                f"{table.name} uses compression method {entry.compress_type}, which linkvet "
                "does not read; LinkedIn's exports use deflate",
                source=self.source,
            )
        if entry.file_size > MAX_MEMBER_BYTES:
            raise ExportError(
                f"{table.name} would unpack to {entry.file_size:,} bytes, more than the "
                f"{MAX_MEMBER_BYTES:,} read",
                source=self.source,
            )

    def _parse(
        self,
        entry: zipfile.ZipInfo,
        table: _Table,
        build: Callable[[Iterator[_Row], list[str]], _T],
        *,
        encoding: str,
    ) -> tuple[_T, list[str]]:
        notes: list[str] = []
        # cp1252 leaves five bytes undefined; they become U+FFFD rather than fail a second time.
        errors = "replace" if encoding == "cp1252" else "strict"
        try:
            member = self.archive.open(entry)
        except (*_DAMAGED, NotImplementedError, RuntimeError) as error:
            raise self._damaged(table, error) from None
        try:
            with (
                member,
                _CountedStream(member, entry, table.name, self.budget) as counted,
                io.BufferedReader(counted, _CHUNK) as buffered,
                io.TextIOWrapper(buffered, encoding=encoding, errors=errors, newline="") as text,
            ):
                return build(_rows(text, table, notes, self.source), notes), notes
        except _BombError as error:
            raise ExportError(
                f"{error}; it looks like a zip bomb, not LinkedIn's export", source=self.source
            ) from None
        except UnicodeDecodeError:
            raise  # the text is not in `encoding`: the caller reads it again in another
        except (*_DAMAGED, NotImplementedError, RuntimeError) as error:
            raise self._damaged(table, error) from None

    def _damaged(self, table: _Table, error: Exception) -> ExportError:
        return ExportError(
            f"{table.name} is damaged ({_shown(str(error))}); download the export again",
            source=self.source,
        )


def _rows(text: IO[str], table: _Table, notes: list[str], source: str) -> Iterator[_Row]:
    reader = csv.reader(_bounded_lines(text))
    columns, width = _header(reader, table, source)
    read = misshapen = 0
    try:
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue  # a blank line
            # Trailing empty fields beyond the header are tolerated; any other count is not.
            if len(row) < width or any(cell.strip() for cell in row[width:]):
                misshapen += 1
                continue
            read += 1
            yield {name: row[index] for name, index in columns.items()}
    except csv.Error as error:
        notes.append(
            f"{table.name}: reading stopped at line {reader.line_num} ({_shown(str(error))}); "
            f"the {read:,} rows before it were used."
        )
    if misshapen:
        notes.append(
            f"{table.name}: {misshapen:,} row(s) with a different number of fields than the "
            "header were skipped."
        )


def _bounded_lines(text: IO[str]) -> Iterator[str]:
    """The file's lines, refusing one so long that holding it would cost unbounded memory."""
    while line := text.readline(MAX_LINE_CHARS + 1):
        if len(line) > MAX_LINE_CHARS:
            raise csv.Error(f"a line longer than {MAX_LINE_CHARS:,} characters")
        yield line


def _header(reader: Iterator[list[str]], table: _Table, source: str) -> tuple[dict[str, int], int]:
    """Column name -> index, and the header's width, from the first row naming every required
    column. The preamble before it (Connections.csv's "Notes:") is skipped."""
    required = {_column_key(name): name for name in table.required}
    best: set[str] = set()
    try:
        for _ in range(MAX_PREAMBLE_ROWS):
            row = next(reader, None)
            if row is None:
                break
            keys = [_column_key(cell) for cell in row]
            found = required.keys() & set(keys)
            if found == required.keys():
                columns = {
                    name: keys.index(_column_key(name))
                    for name in (*table.required, *table.optional)
                    if _column_key(name) in keys
                }
                return columns, len(row)
            if len(found) > len(best):
                best = found
    except csv.Error as error:
        raise ExportError(
            f"{table.name} cannot be read as CSV ({_shown(str(error))})", source=source
        ) from None
    if not best:
        raise _HeaderError(
            f"{table.name} has no header row naming its columns "
            f"({', '.join(table.required)}) in its first {MAX_PREAMBLE_ROWS} lines",
            source=source,
        )
    missing = [name for key, name in required.items() if key not in best]
    raise _HeaderError(
        f"{table.name} has no '{missing[0]}' column"
        + (f" (nor {', '.join(missing[1:])})" if missing[1:] else "")
        + "; LinkedIn may have changed the export's format",
        source=source,
    )


# ---------------------------------------------------------------------------------------------
# Rows into records


def _contacts(rows: Iterator[_Row], notes: list[str]) -> list[Contact]:
    undated = 0
    contacts = []
    for row in rows:
        connected_on = _day(row["Connected On"])
        undated += connected_on is None and bool(row["Connected On"].strip())
        contacts.append(
            Contact(
                first_name=_text(row, "First Name"),
                last_name=_text(row, "Last Name"),
                url=_text(row, "URL"),
                email=_text(row, "Email Address"),
                company=_text(row, "Company"),
                position=_text(row, "Position"),
                connected_on=connected_on,
            )
        )
    _note_undated(notes, CONNECTIONS, "Connected On", undated)
    return contacts


@dataclass(frozen=True, slots=True)
class _Person:
    """Someone as the export names them: a canonical profile URL when given, and a name."""

    url: str | None
    name: str | None
    shown_url: str | None = None

    @classmethod
    def of(cls, url: str | None, name: str | None) -> _Person:
        return cls(_canonical_url(url), name, url)

    @property
    def key(self) -> str:
        return self.url or _name_key(self.name)


@dataclass(frozen=True, slots=True)
class _Invitation:
    sender: _Person
    recipient: _Person
    incoming: bool
    sent_at: dt.datetime | None
    text: str


def _invitations(rows: Iterator[_Row], notes: list[str]) -> list[_Invitation]:
    invitations = []
    undated = unknown_direction = 0
    for row in rows:
        direction = row["Direction"].strip().upper()
        if direction not in {"INCOMING", "OUTGOING"}:
            unknown_direction += 1
            continue
        sent_at = _moment(row["Sent At"])
        undated += sent_at is None and bool(row["Sent At"].strip())
        invitations.append(
            _Invitation(
                sender=_Person.of(_text(row, "inviterProfileUrl"), _text(row, "From")),
                recipient=_Person.of(_text(row, "inviteeProfileUrl"), _text(row, "To")),
                incoming=direction == "INCOMING",
                sent_at=sent_at,
                text=row.get("Message", "").strip(),
            )
        )
    if unknown_direction:
        notes.append(
            f"{INVITATIONS.name}: {unknown_direction:,} row(s) with a Direction other than "
            "INCOMING or OUTGOING were skipped."
        )
    _note_undated(notes, INVITATIONS, "Sent At", undated)
    return invitations


@dataclass(frozen=True, slots=True)
class _Sent:
    """One message as read from messages.csv; `row` keeps file order for undated messages."""

    sender: _Person
    recipients: tuple[str, ...]
    to: str | None
    sent_at: dt.datetime | None
    text: str
    row: int

    def order(self) -> tuple[bool, dt.datetime, int]:
        # Dated messages in time order, then undated ones in file order.
        return (self.sent_at is None, _utc(self.sent_at or dt.datetime.min), self.row)


@dataclass
class _Conversation:
    messages: list[_Sent] = field(default_factory=list)
    total: int = 0

    def add(self, message: _Sent) -> None:
        # Keeps the earliest messages within a bounded list: sorting happens only when the list
        # has doubled past the cap, so adding stays cheap.
        self.total += 1
        self.messages.append(message)
        if len(self.messages) > 2 * MAX_MESSAGES_PER_CONVERSATION:
            self._trim()

    def _trim(self) -> None:
        self.messages.sort(key=_Sent.order)
        del self.messages[MAX_MESSAGES_PER_CONVERSATION:]

    def finish(self) -> None:
        self._trim()

    @property
    def first(self) -> _Sent:
        return self.messages[0]


def _conversations(rows: Iterator[_Row], notes: list[str]) -> dict[str, _Conversation]:
    conversations: dict[str, _Conversation] = collections.defaultdict(_Conversation)
    # The same few people write most messages: one object each, not one per message.
    people: dict[tuple[str | None, str | None], _Person] = {}
    recipient_lists: dict[str, tuple[str, ...]] = {}
    names: dict[str, str] = {}
    drafts = undated = 0
    for number, row in enumerate(rows):
        if _is_draft(row):
            drafts += 1
            continue
        sent_at = _moment(row["DATE"])
        undated += sent_at is None
        said = (_text(row, "SENDER PROFILE URL"), _text(row, "FROM"))
        if (sender := people.get(said)) is None:
            sender = people[said] = _Person.of(*said)
        listed = row.get("RECIPIENT PROFILE URLS", "")
        if (recipients := recipient_lists.get(listed)) is None:
            recipients = recipient_lists[listed] = tuple(
                url
                for part in re.split(r"[;,\s]+", listed)
                if (url := _canonical_url(part)) is not None
            )
        to = _text(row, "TO")
        conversations[row["CONVERSATION ID"].strip()].add(
            _Sent(
                sender=sender,
                recipients=recipients,
                to=names.setdefault(to, to) if to else None,
                sent_at=sent_at,
                text=row["CONTENT"],
                row=number,
            )
        )
    for conversation in conversations.values():
        conversation.finish()
    long = sum(c.total > MAX_MESSAGES_PER_CONVERSATION for c in conversations.values())
    if long:
        notes.append(
            f"{MESSAGES.name}: {long:,} conversation(s) had more than "
            f"{MAX_MESSAGES_PER_CONVERSATION} messages; only the first "
            f"{MAX_MESSAGES_PER_CONVERSATION} of each were read."
        )
    if drafts:
        notes.append(f"{MESSAGES.name}: {drafts:,} draft(s), never sent, were left out.")
    _note_undated(notes, MESSAGES, "DATE", undated)
    return conversations


def _is_draft(row: _Row) -> bool:
    return (
        row.get("IS MESSAGE DRAFT", "").strip().casefold() in _TRUE_WORDS
        or row.get("IS CONVERSATION DRAFT", "").strip().casefold() in _TRUE_WORDS
        or row.get("FOLDER", "").strip().casefold() in {"draft", "drafts"}
    )


def _profile_name(rows: Iterator[_Row], notes: list[str]) -> str | None:
    first = next(rows, None)
    for _ in rows:
        pass  # read to the end, so that damage there is found as in any table
    if first is None:
        return None
    names = (_text(first, "First Name"), _text(first, "Last Name"))
    return " ".join(name for name in names if name) or None


def _note_undated(notes: list[str], table: _Table, column: str, count: int) -> None:
    if count:
        notes.append(
            f"{table.name}: {count:,} '{column}' value(s) could not be read as a date and were "
            "left unknown."
        )


# ---------------------------------------------------------------------------------------------
# Whose export it is


@dataclass(frozen=True)
class _Owner:
    name: str | None
    urls: frozenset[str]

    @classmethod
    def infer(
        cls,
        profile_name: str | None,
        invitations: list[_Invitation],
        conversations: Mapping[str, _Conversation],
    ) -> _Owner:
        """From Profile.csv when present; else from the owner's side of the invitations; else
        the name found in the most conversations (the owner is in all of them)."""
        own_side = [i.recipient if i.incoming else i.sender for i in invitations]
        urls = frozenset(person.url for person in own_side if person.url)
        name = profile_name or _most_common(person.name for person in own_side)
        if name is None:
            name = _most_common(
                participant
                for conversation in conversations.values()
                for participant in {
                    name
                    for message in conversation.messages
                    for name in (message.sender.name, message.to)
                    if name
                }
            )
        if not urls and name is not None:
            urls = frozenset(
                message.sender.url
                for conversation in conversations.values()
                for message in conversation.messages
                if message.sender.url and _name_key(message.sender.name) == _name_key(name)
            )
        return cls(name, urls)

    def sent(self, person: _Person) -> bool:
        """Whether the owner is `person`: by profile URL when both have one, else by name."""
        if person.url is not None and self.urls:
            return person.url in self.urls
        return self.name is not None and _name_key(person.name) == _name_key(self.name)


def _most_common(names: Iterable[str | None]) -> str | None:
    """The most frequent name, or None when there is none or two share the lead."""
    counts = collections.Counter(name for name in names if name)
    top = counts.most_common(2)
    if not top or (len(top) == 2 and top[0][1] == top[1][1]):
        return None
    return top[0][0]


# ---------------------------------------------------------------------------------------------
# Who approached the owner


@dataclass
class _Sender:
    """Everything seen of one person who approached the owner, before it becomes an Approach."""

    person: _Person
    invitation: _Invitation | None = None
    conversations: list[_Conversation] = field(default_factory=list)


@dataclass
class _Assembler:
    contacts: list[Contact]
    owner: _Owner
    recent_days: int
    notes: list[str]
    _by_url: dict[str, Contact] = field(init=False)
    _by_name: dict[str, list[Contact]] = field(init=False)
    _capped: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self._by_url = {}
        self._by_name = collections.defaultdict(list)
        for contact in self.contacts:
            url = _canonical_url(contact.url)
            if url is not None:
                self._by_url.setdefault(url, contact)
            self._by_name[_name_key(contact.name)].append(contact)

    def approaches(
        self, invitations: list[_Invitation], conversations: Mapping[str, _Conversation]
    ) -> tuple[Approach, ...]:
        senders: dict[str, _Sender] = {}

        def sender_of(person: _Person) -> _Sender:
            return senders.setdefault(person.key, _Sender(person))

        for invitation in invitations:
            if invitation.incoming:
                sender = sender_of(invitation.sender)
                latest = sender.invitation
                if latest is None or _later(invitation.sent_at, latest.sent_at):
                    sender.invitation = invitation
        for conversation in conversations.values():
            first = conversation.first
            if not self.owner.sent(first.sender) and self._stranger_then(first):
                sender_of(first.sender)
        # An approach includes every conversation its sender took part in, whoever opened it.
        for conversation in conversations.values():
            keys: set[str] = set()
            for message in conversation.messages:
                keys.update((message.sender.key, *message.recipients))
                if message.to:
                    keys.add(_name_key(message.to))
            for key in keys & senders.keys():
                senders[key].conversations.append(conversation)
        approaches = [self._approach(sender) for sender in senders.values()]
        if self._capped:
            self.notes.append(
                f"{self._capped:,} contact(s) had more than {MAX_MESSAGES_PER_CONTACT:,} "
                "messages; only the first of them were assessed."
            )
        return tuple(sorted(approaches, key=lambda a: ((a.name or "").casefold(), a.key)))

    def _connection_of(self, person: _Person) -> Contact | None:
        """The connection `person` is: by profile URL, or by name when a URL is missing."""
        if person.url is not None and (found := self._by_url.get(person.url)) is not None:
            return found
        named = self._by_name.get(_name_key(person.name), [])
        candidates = [c for c in named if person.url is None or c.url is None]
        return candidates[0] if len(candidates) == 1 else None

    def _stranger_then(self, first: _Sent) -> bool:
        """Whether the sender of a conversation's first message was not yet an established
        connection: a connection counts as established only when both dates show it."""
        connection = self._connection_of(first.sender)
        if connection is None or connection.connected_on is None or first.sent_at is None:
            return True
        return connection.connected_on >= first.sent_at.date() - dt.timedelta(self.recent_days)

    def _approach(self, sender: _Sender) -> Approach:
        person = sender.person
        sent: list[tuple[_Sent, Literal["incoming", "outgoing"]]] = []
        for conversation in sender.conversations:
            for message in conversation.messages:
                if message.sender.key == person.key:
                    sent.append((message, "incoming"))
                elif self.owner.sent(message.sender):
                    sent.append((message, "outgoing"))
        sent.sort(key=lambda pair: pair[0].order())
        if len(sent) > MAX_MESSAGES_PER_CONTACT:
            self._capped += 1
            del sent[MAX_MESSAGES_PER_CONTACT:]
        names = [m.sender.name for m, direction in sent if direction == "incoming"]
        name = person.name or next((n for n in names if n), None)
        shown_url = person.shown_url or next(
            (m.sender.shown_url for m, d in sent if d == "incoming" and m.sender.shown_url), None
        )
        connection = self._connection_of(person)
        first_contact = min(
            (
                moment.date()
                for moment in (
                    sender.invitation.sent_at if sender.invitation else None,
                    *(m.sent_at for m, d in sent if d == "incoming"),
                )
                if moment is not None
            ),
            default=None,
        )
        return Approach(
            key=person.key,
            name=name,
            url=shown_url,
            connection=connection,
            recently_connected=_recently_connected(connection, first_contact, self.recent_days),
            invitation=_invitation_message(sender.invitation),
            messages=tuple(
                Message(text=m.text, sent_at=m.sent_at, channel="linkedin", direction=direction)
                for m, direction in sent
            ),
        )


def _recently_connected(
    connection: Contact | None, first_contact: dt.date | None, recent_days: int
) -> bool:
    if connection is None or connection.connected_on is None or first_contact is None:
        return False
    return connection.connected_on >= first_contact - dt.timedelta(recent_days)


def _invitation_message(invitation: _Invitation | None) -> Message | None:
    if invitation is None:
        return None
    return Message(
        text=invitation.text, sent_at=invitation.sent_at, channel="linkedin", direction="incoming"
    )


def _later(moment: dt.datetime | None, other: dt.datetime | None) -> bool:
    return moment is not None and (other is None or _utc(moment) > _utc(other))


# ---------------------------------------------------------------------------------------------
# Values


_MONTHS: Final = {
    name: number
    for number, name in enumerate(
        "jan feb mar apr may jun jul aug sep oct nov dec".split(), start=1
    )
}
_DAY_MONTH_YEAR = re.compile(r"(\d{1,2}) ([A-Za-z]{3})[a-z]*\.? (\d{4})")
_MONTH_DAY_YEAR = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2})")
_ISO_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MOMENT = re.compile(r"(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?( ?(?:UTC|Z))?")
_US_MOMENT = re.compile(
    r"(\d{1,2})/(\d{1,2})/(\d{4}|\d{2}),? (\d{1,2}):(\d{2})(?::(\d{2}))? ?([AaPp][Mm])?"
)


def _day(text: str) -> dt.date | None:
    """A day as Connections.csv writes it: "23 Nov 2026", "11/23/26" (older exports) or ISO."""
    text = text.strip()
    try:
        if match := _DAY_MONTH_YEAR.fullmatch(text):
            month = _MONTHS.get(match.group(2).casefold())
            if month is None:
                return None
            return dt.date(int(match.group(3)), month, int(match.group(1)))
        if match := _MONTH_DAY_YEAR.fullmatch(text):
            return dt.date(_year(match.group(3)), int(match.group(1)), int(match.group(2)))
        if match := _ISO_DAY.fullmatch(text):
            return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None
    return None


def _moment(text: str) -> dt.datetime | None:
    """A time as messages.csv ("2026-11-20 09:15:02 UTC") or Invitations.csv ("11/20/26, 9:15
    AM") writes it; a time without a zone stays without one."""
    text = text.strip()
    try:
        if match := _ISO_MOMENT.fullmatch(text):
            year, month, day, hour, minute, second, zone = match.groups()
            return dt.datetime(
                int(year),
                int(month),
                int(day),
                int(hour),
                int(minute),
                int(second or 0),
                tzinfo=dt.UTC if zone else None,
            )
        if match := _US_MOMENT.fullmatch(text):
            month, day, year, hour, minute, second, half = match.groups()
            hours = int(hour)
            if half is not None:
                if not 1 <= hours <= 12:
                    return None
                hours = hours % 12 + (12 if half.casefold() == "pm" else 0)
            return dt.datetime(
                _year(year), int(month), int(day), hours, int(minute), int(second or 0)
            )
    except ValueError:
        return None
    return None


def _year(text: str) -> int:
    # Two-digit years are this century: LinkedIn started in 2003.
    return 2000 + int(text) if len(text) == 2 else int(text)


def _utc(moment: dt.datetime) -> dt.datetime:
    """Times without a zone are taken as UTC, as the detectors take them."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=dt.UTC)


def _canonical_url(url: str | None) -> str | None:
    """A profile URL in one spelling, so that the same person matches across files:
    `http://uk.linkedin.com/in/Jane-Doe/?x=1` is `https://www.linkedin.com/in/jane-doe`."""
    if url is None or not url.strip():
        return None
    text = url.strip()
    try:
        parts = urllib.parse.urlsplit(text if "//" in text else f"https://{text}")
        host = (parts.hostname or "").casefold()
    except ValueError:
        return text.casefold()
    segments = [segment for segment in parts.path.split("/") if segment]
    on_linkedin = host == "linkedin.com" or host.endswith(".linkedin.com")
    if on_linkedin and len(segments) >= 2 and segments[0] == "in":
        slug = urllib.parse.unquote(segments[1]).casefold()
        return f"https://www.linkedin.com/in/{slug}"
    return text.rstrip("/").casefold()


def _name_key(name: str | None) -> str:
    return " ".join((name or "").casefold().split())


def _text(row: _Row, column: str) -> str | None:
    """A cell's text, or None when the column is absent or the cell blank."""
    value = row.get(column, "").strip()
    return value or None


def _clip(text: str | None) -> str | None:
    """Text within the profile's limit for short fields; LinkedIn's own limits are far lower."""
    if text is None or len(text) <= SHORT_TEXT:
        return text
    return text[: SHORT_TEXT - 1] + "…"


def _shown(text: str, limit: int = 80) -> str:
    """Text from the archive made safe to show: control characters escaped, length bounded."""
    shown = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text[:limit])
    return shown + ("…" if len(text) > limit else "")
