"""LinkedIn's data export: tables read by column name, who counts as approaching, and hostile
archives (bombs, zip-slip names, encryption, damage, bad encodings, oversized fields) refused or
read in part with a note, never with a traceback."""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import io
import struct
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import linkvet.ingest.linkedin_export as export_module
from linkvet import InputError
from linkvet.ingest.linkedin_export import (
    Approach,
    ExportContents,
    ExportError,
    read_export,
)
from tests.export_fixture import FixtureFacts, write_fixture_export

OWNER_URL = "https://www.linkedin.com/in/owner-person"
STRANGER_URL = "https://www.linkedin.com/in/stranger-one"
FRIEND_URL = "https://www.linkedin.com/in/old-friend"

CONNECTIONS_HEADER = [
    "First Name",
    "Last Name",
    "URL",
    "Email Address",
    "Company",
    "Position",
    "Connected On",
]
INVITATIONS_HEADER = [
    "From",
    "To",
    "Sent At",
    "Message",
    "Direction",
    "inviterProfileUrl",
    "inviteeProfileUrl",
]
MESSAGES_HEADER = [
    "CONVERSATION ID",
    "CONVERSATION TITLE",
    "FROM",
    "SENDER PROFILE URL",
    "TO",
    "RECIPIENT PROFILE URLS",
    "DATE",
    "SUBJECT",
    "CONTENT",
    "FOLDER",
]
PREAMBLE = 'Notes:\n"E-mail addresses may be missing,\nsee the help page."\n\n'


def table(header: Sequence[str], rows: Sequence[Sequence[str]], *, preamble: str = "") -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return preamble + buffer.getvalue()


def archive(
    path: Path,
    files: Mapping[str, str | bytes],
    *,
    compression: int = zipfile.ZIP_DEFLATED,
) -> Path:
    with zipfile.ZipFile(path, "w", compression) as zipped:
        for name, content in files.items():
            data = content.encode("utf-8") if isinstance(content, str) else content
            zipped.writestr(zipfile.ZipInfo(name, (2026, 11, 21, 0, 0, 0)), data, compression)
    return path


def message(
    conversation: str,
    sender: tuple[str, str],
    recipient: tuple[str, str],
    date: str,
    content: str,
    folder: str = "INBOX",
) -> list[str]:
    return [
        conversation,
        "",
        sender[0],
        sender[1],
        recipient[0],
        recipient[1],
        date,
        "",
        content,
        folder,
    ]


OWNER = ("Olga Owner", OWNER_URL)
STRANGER = ("Sam Stranger", STRANGER_URL)
FRIEND = ("Fred Friend", FRIEND_URL)


def small_export(tmp_path: Path, **replace: str | bytes) -> Path:
    """An export with one old connection, a stranger's invitation and two conversations."""
    files: dict[str, str | bytes] = {
        "Connections.csv": table(
            CONNECTIONS_HEADER,
            [["Fred", "Friend", FRIEND_URL, "", "Acme", "Engineer", "02 Mar 2019"]],
            preamble=PREAMBLE,
        ),
        "Invitations.csv": table(
            INVITATIONS_HEADER,
            [
                [
                    "Sam Stranger",
                    "Olga Owner",
                    "11/01/26, 9:15 AM",
                    "Hello!",
                    "INCOMING",
                    STRANGER_URL,
                    OWNER_URL,
                ],
                [
                    "Olga Owner",
                    "Fred Friend",
                    "3/1/19, 4:05 PM",
                    "",
                    "OUTGOING",
                    OWNER_URL,
                    FRIEND_URL,
                ],
            ],
        ),
        "messages.csv": table(
            MESSAGES_HEADER,
            [
                message(
                    "c1", STRANGER, OWNER, "2026-11-02 10:00:00 UTC", "We pay well for reports."
                ),
                message("c1", OWNER, STRANGER, "2026-11-02 11:00:00 UTC", "Who is 'we'?"),
                message("c2", FRIEND, OWNER, "2026-10-01 08:00:00 UTC", "Lunch on Friday?"),
                message("c2", OWNER, FRIEND, "2026-10-01 08:30:00 UTC", "Sure!"),
            ],
        ),
    }
    files.update(replace)
    return archive(tmp_path / "export.zip", files)


def approach_of(contents: ExportContents, key: str) -> Approach:
    found = [a for a in contents.approaches if a.key == key]
    assert len(found) == 1, [a.key for a in contents.approaches]
    return found[0]


# ---------------------------------------------------------------------------------------------
# The realistic fixture


@pytest.fixture(scope="module")
def fixture_export(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FixtureFacts]:
    path = tmp_path_factory.mktemp("export") / "Basic_LinkedInDataExport_11-21-2026.zip"
    return path, write_fixture_export(path)


def test_fixture_is_deterministic(
    fixture_export: tuple[Path, FixtureFacts], tmp_path: Path
) -> None:
    path, facts = fixture_export
    again = tmp_path / "again.zip"
    assert write_fixture_export(again) == facts
    assert again.read_bytes() == path.read_bytes()


def test_fixture_reads_as_an_export(fixture_export: tuple[Path, FixtureFacts]) -> None:
    path, facts = fixture_export
    contents = read_export(path)
    assert contents.owner == facts.owner
    assert len(contents.contacts) == facts.connections
    assert all(contact.connected_on is not None for contact in contents.contacts)
    assert contents.notes == (f"messages.csv: {facts.drafts} draft(s), never sent, were left out.",)

    hostile = approach_of(contents, facts.hostile_key)
    assert hostile.name == facts.hostile_name
    assert hostile.connection is None
    # The invitation spells the URL differently; it is the same person.
    assert hostile.invitation is not None
    assert hostile.invitation.text.startswith("Dear Katrin")
    assert hostile.invitation.sent_at == dt.datetime(2026, 10, 28, 8, 12)
    assert [m.direction for m in hostile.messages] == ["incoming", "outgoing", *["incoming"] * 4]
    times = [m.sent_at for m in hostile.messages]
    assert times == sorted(t for t in times if t is not None)
    assert all(m.channel == "linkedin" for m in hostile.messages)
    assert not any("my WhatsApp is" in m.text for m in hostile.messages)  # an unsent draft

    recruiter = approach_of(contents, facts.recruiter_key)
    assert recruiter.invitation is None
    assert recruiter.connection is None
    assert len(recruiter.messages) == 3

    formula = approach_of(contents, facts.formula_key)
    assert formula.connection is not None
    assert formula.recently_connected
    # Data stays data: the formula is kept as text, to be escaped wherever it is shown.
    assert formula.profile().headline == f"{facts.formula_text} at Independent"


def test_fixture_assesses_invitations_and_strangers_only(
    fixture_export: tuple[Path, FixtureFacts],
) -> None:
    path, facts = fixture_export
    contents = read_export(path)
    assert {approach.key for approach in contents.approaches} == facts.approaching
    for approach in contents.approaches:
        if approach.invitation is None and approach.connection is not None:
            # Assessed for a conversation only: they must have been a recent connection.
            assert approach.recently_connected, approach.name


# ---------------------------------------------------------------------------------------------
# Tables, columns and values


def test_small_export(tmp_path: Path) -> None:
    contents = read_export(small_export(tmp_path))
    assert contents.owner == "Olga Owner"
    assert contents.notes == ()
    assert [a.key for a in contents.approaches] == [STRANGER_URL]
    stranger = contents.approaches[0]
    assert stranger.name == "Sam Stranger"
    assert stranger.url == STRANGER_URL
    assert not stranger.recently_connected
    assert stranger.invitation is not None
    assert stranger.invitation.text == "Hello!"
    assert stranger.invitation.sent_at == dt.datetime(2026, 11, 1, 9, 15)
    assert [(m.text, m.direction) for m in stranger.messages] == [
        ("We pay well for reports.", "incoming"),
        ("Who is 'we'?", "outgoing"),
    ]
    assert stranger.messages[0].sent_at == dt.datetime(2026, 11, 2, 10, tzinfo=dt.UTC)
    profile = stranger.profile()
    assert profile.platform == "linkedin"
    assert profile.name == "Sam Stranger"
    assert profile.url == STRANGER_URL
    # Unknown stays unknown.
    assert profile.headline is None
    assert profile.experience is None
    assert profile.connected_at is None
    assert profile.photo_shown() is None


def test_columns_are_found_by_name_in_any_order_with_extra_columns(tmp_path: Path) -> None:
    def reordered(header: list[str], rows: list[list[str]], extra: str) -> str:
        order = list(reversed(range(len(header))))
        spelled = [header[i].lower().replace(" ", "_") for i in order]
        return table(
            [extra, *spelled], [["x", *(row[i] for i in order)] for row in rows]
        )  # the extra column first, to shift every index

    path = small_export(
        tmp_path,
        **{
            "Connections.csv": PREAMBLE
            + reordered(
                CONNECTIONS_HEADER,
                [["Fred", "Friend", FRIEND_URL, "", "Acme", "Engineer", "02 Mar 2019"]],
                "Notes",
            ),
            "messages.csv": reordered(
                [*MESSAGES_HEADER, "ATTACHMENTS", "IS MESSAGE DRAFT"],
                [
                    [*message("c1", STRANGER, OWNER, "2026-11-02 10:00:00 UTC", "Hi"), "", "No"],
                    [*message("c1", OWNER, STRANGER, "2026-11-02 10:05:00 UTC", "Hello"), "", "No"],
                    [*message("c1", OWNER, STRANGER, "2026-11-02 10:06:00 UTC", "Un"), "", "Yes"],
                ],
                "IS CONVERSATION DRAFT",
            ),
        },
    )
    contents = read_export(path)
    assert contents.contacts[0].position == "Engineer"
    assert contents.contacts[0].connected_on == dt.date(2019, 3, 2)
    stranger = approach_of(contents, STRANGER_URL)
    assert [m.text for m in stranger.messages] == ["Hi", "Hello"]


def test_the_header_is_found_past_a_preamble_in_a_subfolder(tmp_path: Path) -> None:
    connections = table(
        CONNECTIONS_HEADER,
        [["Ann", "Lee", "https://www.linkedin.com/in/ann", "", "", "", "23 Nov 2026"]],
        preamble='Notes:\n"When exporting, some,\nfields may be missing"\n\n\n',
    )
    path = archive(tmp_path / "e.zip", {"Basic_Export/CONNECTIONS.CSV": connections})
    contents = read_export(path)
    assert [(c.name, c.connected_on) for c in contents.contacts] == [
        ("Ann Lee", dt.date(2026, 11, 23))
    ]
    assert any("no Invitations.csv" in note for note in contents.notes)
    assert any("no messages.csv" in note for note in contents.notes)


@pytest.mark.parametrize(
    ("written", "day"),
    [
        ("23 Nov 2026", dt.date(2026, 11, 23)),
        ("3 Nov 2026", dt.date(2026, 11, 3)),
        ("11/23/26", dt.date(2026, 11, 23)),
        ("1/5/2019", dt.date(2019, 1, 5)),
        ("2026-11-23", dt.date(2026, 11, 23)),
        ("31 Feb 2026", None),
        ("23 Foo 2026", None),
        ("yesterday", None),
        ("", None),
    ],
)
def test_connected_on_formats(tmp_path: Path, written: str, day: dt.date | None) -> None:
    connections = table(
        CONNECTIONS_HEADER, [["A", "B", "https://www.linkedin.com/in/ab", "", "", "", written]]
    )
    contents = read_export(archive(tmp_path / "e.zip", {"Connections.csv": connections}))
    assert contents.contacts[0].connected_on == day
    unread = [note for note in contents.notes if "could not be read as a date" in note]
    assert len(unread) == (1 if day is None and written else 0)


@pytest.mark.parametrize(
    ("written", "moment"),
    [
        ("11/20/26, 9:15 AM", dt.datetime(2026, 11, 20, 9, 15)),
        ("11/20/26, 12:05 AM", dt.datetime(2026, 11, 20, 0, 5)),
        ("11/20/26, 12:05 PM", dt.datetime(2026, 11, 20, 12, 5)),
        ("11/20/2026, 9:15 PM", dt.datetime(2026, 11, 20, 21, 15)),
        ("2026-11-20 09:15:02 UTC", dt.datetime(2026, 11, 20, 9, 15, 2, tzinfo=dt.UTC)),
        ("2026-11-20 09:15:02", dt.datetime(2026, 11, 20, 9, 15, 2)),
        ("11/20/26, 13:15 PM", None),
        ("soon", None),
    ],
)
def test_sent_at_formats(tmp_path: Path, written: str, moment: dt.datetime | None) -> None:
    invitations = table(
        INVITATIONS_HEADER,
        [["Sam Stranger", "Olga Owner", written, "", "INCOMING", STRANGER_URL, OWNER_URL]],
    )
    contents = read_export(archive(tmp_path / "e.zip", {"Invitations.csv": invitations}))
    invitation = approach_of(contents, STRANGER_URL).invitation
    assert invitation is not None
    assert invitation.sent_at == moment


def test_a_missing_column_names_the_file_and_the_column(tmp_path: Path) -> None:
    header = [name for name in MESSAGES_HEADER if name != "DATE"]
    path = small_export(tmp_path, **{"messages.csv": table(header, [["c1"] * len(header)])})
    with pytest.raises(ExportError, match=r"messages\.csv has no 'DATE' column") as raised:
        read_export(path)
    assert raised.value.source == str(path)


def test_a_table_without_any_header(tmp_path: Path) -> None:
    path = small_export(tmp_path, **{"Invitations.csv": "just,some\nrandom,cells\n"})
    with pytest.raises(ExportError, match=r"Invitations\.csv has no header row"):
        read_export(path)


def test_a_profile_csv_without_names_is_a_note(tmp_path: Path) -> None:
    contents = read_export(small_export(tmp_path, **{"Profile.csv": "Headline\nSomething\n"}))
    assert contents.owner == "Olga Owner"  # from the invitations instead
    assert contents.notes == (
        "Profile.csv has no header row naming its columns (First Name, Last Name) in its first "
        "20 lines; whose export it is was inferred instead.",
    )


def test_a_profile_csv_names_the_owner(tmp_path: Path) -> None:
    profile = table(["First Name", "Last Name", "Headline"], [["Olga", "Owner", "Analyst"]])
    files = {
        "Profile.csv": profile,
        "messages.csv": table(
            MESSAGES_HEADER,
            [message("c1", STRANGER, OWNER, "2026-11-02 10:00:00 UTC", "Hi")],
        ),
    }
    contents = read_export(archive(tmp_path / "e.zip", files))
    assert contents.owner == "Olga Owner"  # one conversation alone could not tell
    assert [a.key for a in contents.approaches] == [STRANGER_URL]


def test_rows_with_the_wrong_number_of_fields_are_skipped_and_counted(tmp_path: Path) -> None:
    connections = (
        table(CONNECTIONS_HEADER, [["A", "B", "https://www.linkedin.com/in/ab", "", "", "", ""]])
        + "Too,few\n"
        + "Way,too,many,fields,in,this,row,really,yes\n"
        + "C,D,https://www.linkedin.com/in/cd,,,,,,\n"  # trailing empty fields: tolerated
        + "\n"  # a blank line: not counted
    )
    contents = read_export(archive(tmp_path / "e.zip", {"Connections.csv": connections}))
    assert [c.name for c in contents.contacts] == ["A B", "C D"]
    assert "Connections.csv: 2 row(s) with a different number of fields" in " ".join(contents.notes)


def test_invitations_with_an_unknown_direction_are_skipped(tmp_path: Path) -> None:
    invitations = table(
        INVITATIONS_HEADER,
        [["Sam Stranger", "Olga Owner", "", "", "SIDEWAYS", STRANGER_URL, OWNER_URL]],
    )
    contents = read_export(archive(tmp_path / "e.zip", {"Invitations.csv": invitations}))
    assert contents.approaches == ()
    assert any("Direction other than" in note for note in contents.notes)


def test_windows_1252_text_is_read_with_a_note(tmp_path: Path) -> None:
    connections = table(
        CONNECTIONS_HEADER,
        [["Jürgen", "Müller", "https://www.linkedin.com/in/jm", "", "Café Ltd", "", "1 Jan 2020"]],
    ).encode("cp1252")
    contents = read_export(small_export(tmp_path, **{"Connections.csv": connections}))
    assert contents.contacts[0].name == "Jürgen Müller"
    assert contents.contacts[0].company == "Café Ltd"
    assert any("not UTF-8" in note for note in contents.notes)


def test_a_byte_order_mark_is_not_part_of_the_first_column(tmp_path: Path) -> None:
    connections = "\ufeff" + table(
        CONNECTIONS_HEADER, [["A", "B", "https://www.linkedin.com/in/ab", "", "", "", ""]]
    )
    contents = read_export(archive(tmp_path / "e.zip", {"Connections.csv": connections}))
    assert contents.contacts[0].first_name == "A"
    assert contents.notes == ("The archive has no Invitations.csv: invitations were not assessed.",
                              "The archive has no messages.csv: conversations were not assessed.")  # fmt: skip


def test_a_field_over_the_csv_limit_stops_the_table_with_a_note(tmp_path: Path) -> None:
    huge = "x" * (csv.field_size_limit() + 10)
    rows = [
        message("c1", STRANGER, OWNER, "2026-11-02 10:00:00 UTC", "First"),
        message("c1", STRANGER, OWNER, "2026-11-02 10:01:00 UTC", huge),
        message("c1", STRANGER, OWNER, "2026-11-02 10:02:00 UTC", "Never read"),
    ]
    contents = read_export(small_export(tmp_path, **{"messages.csv": table(MESSAGES_HEADER, rows)}))
    stranger = approach_of(contents, STRANGER_URL)
    assert [m.text for m in stranger.messages] == ["First"]
    assert any("messages.csv: reading stopped at line 3" in note for note in contents.notes)


def test_an_overlong_line_stops_the_table_with_a_note(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "MAX_LINE_CHARS", 200)
    rows = [
        message("c1", STRANGER, OWNER, "2026-11-02 10:00:00 UTC", "First"),
        message("c1", STRANGER, OWNER, "2026-11-02 10:01:00 UTC", "y" * 300),
    ]
    contents = read_export(small_export(tmp_path, **{"messages.csv": table(MESSAGES_HEADER, rows)}))
    assert [m.text for m in approach_of(contents, STRANGER_URL).messages] == ["First"]
    assert any("a line longer than 200 characters" in note for note in contents.notes)


def test_unreadable_dates_stay_unknown_and_are_counted(tmp_path: Path) -> None:
    rows = [
        message("c1", STRANGER, OWNER, "next tuesday", "Hi"),
        message("c1", STRANGER, OWNER, "2026-13-45 10:00:00 UTC", "Hi again"),
    ]
    contents = read_export(small_export(tmp_path, **{"messages.csv": table(MESSAGES_HEADER, rows)}))
    assert [m.sent_at for m in approach_of(contents, STRANGER_URL).messages] == [None, None]
    assert "messages.csv: 2 'DATE' value(s) could not be read as a date" in " ".join(contents.notes)


def test_formula_values_stay_text(tmp_path: Path) -> None:
    formula = '=HYPERLINK("http://evil.example","x")'
    rows = [message("c1", ("+cmd|' /C calc'!A0", STRANGER_URL), OWNER, "2026-11-02 10:00:00 UTC",
                    formula)]  # fmt: skip
    contents = read_export(small_export(tmp_path, **{"messages.csv": table(MESSAGES_HEADER, rows)}))
    stranger = approach_of(contents, STRANGER_URL)
    profile = stranger.profile()
    assert profile.messages is not None
    assert profile.messages[0].text == formula
    assert profile.name == "Sam Stranger"  # from the invitation, which came first
    assert stranger.messages[0].text == formula


def test_overlong_names_are_clipped_not_refused(tmp_path: Path) -> None:
    name = "N" * 2000
    invitations = table(
        INVITATIONS_HEADER, [[name, "Olga Owner", "", "", "INCOMING", STRANGER_URL, OWNER_URL]]
    )
    contents = read_export(archive(tmp_path / "e.zip", {"Invitations.csv": invitations}))
    profile = approach_of(contents, STRANGER_URL).profile()
    assert profile.name is not None
    assert len(profile.name) == 500


# ---------------------------------------------------------------------------------------------
# Who approached the owner


def conversation_export(
    tmp_path: Path, connected_on: str | None, first_message: str, *, recent_days: int = 30
) -> ExportContents:
    connections = [["Fred", "Friend", FRIEND_URL, "", "Acme", "Engineer", connected_on or ""]]
    rows = [
        message("c1", FRIEND, OWNER, first_message, "Hi Olga, nice to connect"),
        message("c1", OWNER, FRIEND, "2026-11-20 10:00:00 UTC", "Likewise"),
    ]
    files = {
        "Connections.csv": table(CONNECTIONS_HEADER, connections),
        "messages.csv": table(MESSAGES_HEADER, rows),
        "Profile.csv": table(["First Name", "Last Name"], [["Olga", "Owner"]]),
    }
    return read_export(archive(tmp_path / "e.zip", files), recent_days=recent_days)


@pytest.mark.parametrize(
    ("connected_on", "recent_days", "assessed", "recent"),
    [
        ("10 Nov 2026", 30, True, True),  # connected 10 days before writing
        ("10 Nov 2026", 5, False, False),  # ... which is not recent enough with 5 days
        ("01 Jan 2020", 30, False, False),  # an established connection
        ("25 Nov 2026", 30, True, True),  # connected after writing: a stranger when writing
        ("sometime", 30, True, False),  # unknown date: cannot be shown to be established
    ],
)
def test_a_conversation_opened_by_a_connection(
    tmp_path: Path, connected_on: str, recent_days: int, assessed: bool, recent: bool
) -> None:
    contents = conversation_export(
        tmp_path, connected_on, "2026-11-20 09:00:00 UTC", recent_days=recent_days
    )
    assert contents.owner == "Olga Owner"
    assert [a.key for a in contents.approaches] == ([FRIEND_URL] if assessed else [])
    if assessed:
        friend = contents.approaches[0]
        assert friend.recently_connected is recent
        assert friend.connection is not None
        assert friend.profile().headline == "Engineer at Acme"
        assert [m.direction for m in friend.messages] == ["incoming", "outgoing"]


def test_conversations_the_owner_opened_are_not_assessed(tmp_path: Path) -> None:
    rows = [
        message("c1", OWNER, STRANGER, "2026-11-01 09:00:00 UTC", "Hi Sam, saw your talk"),
        message("c1", STRANGER, OWNER, "2026-11-01 10:00:00 UTC", "Thanks!"),
        message("c2", FRIEND, OWNER, "2026-11-03 10:00:00 UTC", "Coffee?"),
    ]
    path = small_export(
        tmp_path,
        **{"messages.csv": table(MESSAGES_HEADER, rows), "Invitations.csv": table(INVITATIONS_HEADER, [])},
    )  # fmt: skip
    contents = read_export(path)
    assert contents.owner == "Olga Owner"  # the one name in every conversation
    assert contents.approaches == ()


def test_a_draft_does_not_open_a_conversation(tmp_path: Path) -> None:
    header = [*MESSAGES_HEADER, "IS MESSAGE DRAFT"]
    rows = [
        [*message("c1", OWNER, STRANGER, "2026-11-01 09:00:00 UTC", "Dear Sam"), "Yes"],
        [*message("c1", STRANGER, OWNER, "2026-11-02 10:00:00 UTC", "Hello Olga"), "No"],
    ]
    contents = read_export(small_export(tmp_path, **{"messages.csv": table(header, rows)}))
    stranger = approach_of(contents, STRANGER_URL)
    assert [m.text for m in stranger.messages] == ["Hello Olga"]
    assert any("1 draft(s)" in note for note in contents.notes)


def test_messages_without_urls_are_grouped_by_name(tmp_path: Path) -> None:
    rows = [
        message("c1", ("Nia Noname", ""), ("Olga Owner", ""), "2026-11-02 10:00:00 UTC", "Hi"),
        message("c1", ("Olga Owner", ""), ("Nia Noname", ""), "2026-11-02 11:00:00 UTC", "Hey"),
        message("c2", ("Nia Noname", ""), ("Olga Owner", ""), "2026-11-05 10:00:00 UTC", "Again"),
    ]
    files = {"messages.csv": table(MESSAGES_HEADER, rows), "Profile.csv": "First Name,Last Name\nOlga,Owner\n"}  # fmt: skip
    contents = read_export(archive(tmp_path / "e.zip", files))
    (nia,) = contents.approaches
    assert nia.key == "nia noname"
    assert nia.url is None
    assert [(m.text, m.direction) for m in nia.messages] == [
        ("Hi", "incoming"),
        ("Hey", "outgoing"),
        ("Again", "incoming"),
    ]


def test_when_the_owner_cannot_be_told_it_says_so(tmp_path: Path) -> None:
    rows = [message("c1", STRANGER, FRIEND, "2026-11-02 10:00:00 UTC", "Hi")]
    contents = read_export(archive(tmp_path / "e.zip", {"messages.csv": table(MESSAGES_HEADER, rows)}))  # fmt: skip
    assert contents.owner is None
    assert any("could not be told" in note for note in contents.notes)


def test_long_conversations_are_capped_to_their_first_messages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "MAX_MESSAGES_PER_CONVERSATION", 3)
    start = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    rows = [
        message("c1", STRANGER, OWNER, f"{start + dt.timedelta(minutes=i):%Y-%m-%d %H:%M:%S} UTC",
                f"message {i}")
        for i in reversed(range(20))  # newest first, as LinkedIn lists them
    ]  # fmt: skip
    contents = read_export(small_export(tmp_path, **{"messages.csv": table(MESSAGES_HEADER, rows)}))
    stranger = approach_of(contents, STRANGER_URL)
    assert [m.text for m in stranger.messages] == ["message 0", "message 1", "message 2"]
    assert any("more than 3 messages" in note for note in contents.notes)


def test_contacts_with_very_many_messages_are_capped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "MAX_MESSAGES_PER_CONTACT", 4)
    rows = [
        message(f"c{i}", STRANGER, OWNER, f"2026-11-0{i + 1} 10:00:00 UTC", f"message {i}")
        for i in range(6)
    ]
    contents = read_export(small_export(tmp_path, **{"messages.csv": table(MESSAGES_HEADER, rows)}))
    assert len(approach_of(contents, STRANGER_URL).messages) == 4
    assert any("1 contact(s) had more than 4 messages" in note for note in contents.notes)


# ---------------------------------------------------------------------------------------------
# Hostile and broken archives


def test_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "export.zip"
    path.write_text("First Name,Last Name\n", encoding="utf-8")
    with pytest.raises(ExportError, match="not a readable zip archive"):
        read_export(path)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="cannot read the archive"):
        read_export(tmp_path / "nowhere.zip")


def test_a_truncated_archive(tmp_path: Path) -> None:
    path = small_export(tmp_path)
    path.write_bytes(path.read_bytes()[:-40])
    with pytest.raises(ExportError, match="not a readable zip archive"):
        read_export(path)


def test_damaged_member_data(tmp_path: Path) -> None:
    path = small_export(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zipped:
        entry = zipped.getinfo("messages.csv")
    name_length, extra_length = struct.unpack_from("<HH", data, entry.header_offset + 26)
    start = entry.header_offset + 30 + name_length + extra_length
    for offset in range(start + 5, start + entry.compress_size - 5):
        data[offset] ^= 0x5A
    path.write_bytes(bytes(data))
    with pytest.raises(ExportError, match=r"messages\.csv is damaged"):
        read_export(path)


def test_an_archive_with_none_of_the_tables(tmp_path: Path) -> None:
    path = archive(tmp_path / "e.zip", {"Skills.csv": "Name\nPython\n"})
    with pytest.raises(ExportError, match="not a LinkedIn data export"):
        read_export(path)


@pytest.mark.parametrize(
    "name", ["../Connections.csv", "a/../../x.csv", "/etc/passwd", "C:/Windows/x.csv", "..\\x"]
)
def test_names_pointing_outside_the_archive_are_refused(tmp_path: Path, name: str) -> None:
    path = small_export(tmp_path, **{name: "boo"})
    before = sorted(tmp_path.rglob("*"))
    with pytest.raises(ExportError, match="points outside the archive"):
        read_export(path)
    assert sorted(tmp_path.rglob("*")) == before  # nothing was ever extracted


def central_records(data: bytes | bytearray) -> dict[str, int]:
    """Member name -> offset of its record in the archive's central directory."""
    records = {}
    at = data.find(b"PK\x01\x02")
    while at >= 0:
        (name_length,) = struct.unpack_from("<H", data, at + 28)
        records[bytes(data[at + 46 : at + 46 + name_length]).decode()] = at
        at = data.find(b"PK\x01\x02", at + 46 + name_length)
    return records


def test_encrypted_members_are_refused(tmp_path: Path) -> None:
    path = small_export(tmp_path)
    data = bytearray(path.read_bytes())
    data[central_records(data)["Connections.csv"] + 8] |= 0x1  # the "encrypted" flag bit
    path.write_bytes(bytes(data))
    with pytest.raises(ExportError, match=r"Connections\.csv is encrypted"):
        read_export(path)


def test_a_member_whose_local_name_is_not_utf8_is_damaged(tmp_path: Path) -> None:
    # Found by fuzzing: zipfile raises UnicodeDecodeError on opening such a member, which must
    # not be taken for a table in another encoding.
    path = small_export(tmp_path)
    data = bytearray(path.read_bytes())
    (local,) = struct.unpack_from("<L", data, central_records(data)["messages.csv"] + 42)
    data[local + 7] |= 0x08  # in the member's own header: flag bit 11, "the name is UTF-8"
    data[local + 30] = 0xFF  # ... and a first byte of the name that UTF-8 does not allow
    path.write_bytes(bytes(data))
    with pytest.raises(ExportError, match=r"messages\.csv is damaged"):
        read_export(path)


def test_a_member_with_an_empty_name_is_ignored(tmp_path: Path) -> None:
    # Found by fuzzing: ZipInfo.is_dir() fails on an empty name.
    contents = read_export(small_export(tmp_path, **{"": "nameless"}))
    assert [a.key for a in contents.approaches] == [STRANGER_URL]


def test_other_compression_methods_are_refused(tmp_path: Path) -> None:
    path = archive(
        tmp_path / "e.zip",
        {"Connections.csv": table(CONNECTIONS_HEADER, [])},
        compression=zipfile.ZIP_BZIP2,
    )
    with pytest.raises(ExportError, match="compression method 12"):
        read_export(path)


def test_a_highly_compressible_member_is_a_bomb(tmp_path: Path) -> None:
    # 3 MB of one repeated row packs into a few kilobytes: far past the ratio cap.
    row = "Ann,Lee,https://www.linkedin.com/in/ann,,,,23 Nov 2026\n"
    bomb = ",".join(CONNECTIONS_HEADER) + "\n" + row * (3_000_000 // len(row))
    path = small_export(tmp_path, **{"Connections.csv": bomb})
    with pytest.raises(ExportError, match="zip bomb"):
        read_export(path)


def test_a_member_larger_than_its_header_says_is_refused(tmp_path: Path) -> None:
    path = small_export(tmp_path)
    data = bytearray(path.read_bytes())
    struct.pack_into("<L", data, central_records(data)["messages.csv"] + 24, 10)  # its size
    path.write_bytes(bytes(data))
    with pytest.raises(ExportError, match=r"messages\.csv is damaged"):
        read_export(path)


def test_a_member_declared_too_large_is_refused_before_reading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "MAX_MEMBER_BYTES", 100)
    with pytest.raises(ExportError, match=r"would unpack to .* bytes, more than the 100 read"):
        read_export(small_export(tmp_path))


def test_the_total_unpacked_size_is_capped(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_module, "MAX_TOTAL_BYTES", 300)
    with pytest.raises(ExportError, match="more than the 300 read"):
        read_export(small_export(tmp_path))


def test_the_total_read_is_capped_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # A table that is not UTF-8 is read twice; the second reading counts too.
    cp1252 = table(CONNECTIONS_HEADER, [["Jürgen", "B", FRIEND_URL, "", "", "", ""]] * 3)
    path = small_export(tmp_path, **{"Connections.csv": cp1252.encode("cp1252")})
    with zipfile.ZipFile(path) as zipped:
        declared = sum(entry.file_size for entry in zipped.infolist())
    monkeypatch.setattr(export_module, "MAX_TOTAL_BYTES", declared)
    with pytest.raises(ExportError, match=f"the archive unpacks to more than {declared:,} bytes"):
        read_export(path)


def test_too_many_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(export_module, "MAX_ENTRIES", 5)
    path = small_export(tmp_path, **{f"Jobs/file{i}.csv": "a\n" for i in range(10)})
    with pytest.raises(ExportError, match="lists 13 files, more than the 5 read"):
        read_export(path)


def test_a_huge_file_list_is_refused_before_it_is_loaded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(export_module, "MAX_DIRECTORY_BYTES", 500)
    path = small_export(tmp_path, **{f"Jobs/file{i}.csv": "a\n" for i in range(10)})
    with pytest.raises(ExportError, match=r"file list takes .* bytes, more than the 500 read"):
        read_export(path)


def test_two_tables_of_the_same_name_at_one_level_are_refused(tmp_path: Path) -> None:
    path = small_export(tmp_path, **{"messages.CSV": table(MESSAGES_HEADER, [])})
    with pytest.raises(ExportError, match=r"more than one messages\.csv"):
        read_export(path)


def test_a_deeper_copy_of_a_table_is_ignored_with_a_note(tmp_path: Path) -> None:
    contents = read_export(small_export(tmp_path, **{"old/messages.csv": "garbage"}))
    assert [a.key for a in contents.approaches] == [STRANGER_URL]
    assert any("more deeply nested" in note for note in contents.notes)


# ---------------------------------------------------------------------------------------------
# Fuzzing: whatever the bytes, an InputError or a result, never anything else


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=2_000))
def test_random_bytes_as_an_archive(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.zip"
    path.write_bytes(data)
    with contextlib.suppress(InputError):
        read_export(path)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(min_size=1, max_size=4_000), seed=st.integers(0, 2**16))
def test_damaged_archives(tmp_path: Path, data: bytes, seed: int) -> None:
    """A real archive with some of its bytes overwritten."""
    original = small_export(tmp_path).read_bytes()
    at = seed % len(original)
    damaged = original[:at] + data[: len(original) - at] + original[at + len(data) :]
    path = tmp_path / "damaged.zip"
    path.write_bytes(damaged)
    with contextlib.suppress(InputError):
        read_export(path)


# Pieces of CSV, so that random text often has the shape of rows: quotes, separators, line ends,
# dates, controls, a byte order mark and a right-to-left override.
_CSV_TEXT = st.lists(
    st.sampled_from(
        [*'ab,"\n\r\t ;=\x00é€\ufeff\u202e', "2026-11-02 10:00:00 UTC", "c1", OWNER_URL]
    ),
    max_size=300,
).map("".join)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    connections=_CSV_TEXT,
    messages=st.one_of(_CSV_TEXT, st.binary(max_size=400).map(lambda b: b.decode("latin-1"))),
    invitations=st.binary(max_size=400),
)
def test_random_tables(tmp_path: Path, connections: str, messages: str, invitations: bytes) -> None:
    files: dict[str, str | bytes] = {
        "Connections.csv": ",".join(CONNECTIONS_HEADER) + "\n" + connections,
        "messages.csv": ",".join(MESSAGES_HEADER) + "\n" + messages,
        "Invitations.csv": ",".join(INVITATIONS_HEADER).encode() + b"\n" + invitations,
    }
    try:
        contents = read_export(archive(tmp_path / "fuzz.zip", files))
    except InputError:
        return
    for approach in contents.approaches:
        with contextlib.suppress(InputError):
            approach.profile()
