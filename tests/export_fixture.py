"""A realistic LinkedIn data export for tests, generated deterministically from a seed.

The archive has what LinkedIn sends: Connections.csv behind its "Notes:" preamble, Invitations.csv
in both directions, messages.csv with the newer ATTACHMENTS and IS MESSAGE DRAFT columns (newest
first, in several folders, with a few unsent drafts), Profile.csv, and files linkvet does not
read. The owner is a policy adviser in an energy ministry; most of her messages are short
business chat with people she has known for years.

Three contacts are planted among the ordinary ones, and `FixtureFacts` names them:

- a disguised hostile approach: a stranger from a "think tank" who flatters, offers paid papers
  for unnamed clients and a trip, then asks about the owner's team and colleagues and for
  material not yet public, and wants to move to WhatsApp or a private address;
- a genuine recruiter: a stranger writing about a named, published opening with a normal
  process, who takes no for an answer;
- a formula-injection value (`=HYPERLINK(...)`) as a new connection's Position.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

OWNER_FIRST: Final = "Katrin"
OWNER_LAST: Final = "Holm"
OWNER_URL: Final = "https://www.linkedin.com/in/katrin-holm-4b21a7"
EXPORTED: Final = dt.datetime(2026, 11, 21, 6, 30, tzinfo=dt.UTC)

HOSTILE_URL: Final = "https://www.linkedin.com/in/sophie-lin-mba"
RECRUITER_URL: Final = "https://www.linkedin.com/in/priya-raman-talent"
FORMULA_URL: Final = "https://www.linkedin.com/in/marek-duda-7c1e90"
FORMULA_TEXT: Final = '=HYPERLINK("http://evil.example/track?id=4411","View my portfolio")'

MESSAGE_COLUMNS: Final = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,"
    "SUBJECT,CONTENT,FOLDER,ATTACHMENTS,IS MESSAGE DRAFT"
).split(",")


@dataclass(frozen=True)
class FixtureFacts:
    """What the fixture holds; keys are canonical profile URLs, as `Approach.key` gives them."""

    owner: str
    hostile_key: str
    hostile_name: str
    recruiter_key: str
    recruiter_name: str
    formula_key: str
    formula_text: str
    connections: int
    invitations: int
    conversations: int
    drafts: int
    approaching: frozenset[str]


@dataclass(frozen=True)
class _Person:
    first: str
    last: str
    url: str
    company: str = ""
    position: str = ""

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"


OWNER: Final = _Person(
    OWNER_FIRST, OWNER_LAST, OWNER_URL, "Ministry of Economic Affairs", "Senior Policy Adviser"
)

_FIRST_NAMES: Final = (
    "Anna Lukas Sofia Jonas Emma Felix Mia Paul Lena Maximilian Clara Elias Hanna Noah Laura "
    "Tobias Julia Jan Marie David Sarah Thomas Eva Michael Nina Stefan Katharina Andreas Lisa "
    "Markus Claire Julien Camille Antoine Chloé Mathieu Élodie Pierre Lucía Javier Marta Pablo "
    "Carmen Alejandro Giulia Marco Francesca Luca Chiara Matteo Sanne Daan Femke Joris Ingrid "
    "Lars Sigrid Erik Astrid Mikael Aino Juha Agnieszka Piotr Magdalena Tomasz Zuzana Ondřej "
    "Priya Arjun Ananya Rahul Wei Jing Hiroshi Yuki Fatima Omar Layla Karim Aisha Oluwaseun "
    "Chidi Amara Kwame Grace Oliver Charlotte James Amelia George Isla Liam Siobhan Ciarán"
).split()
_LAST_NAMES: Final = tuple(
    name.replace("_", " ")  # "de_Vries" is one name
    for name in (
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schäfer Koch Richter "
        "Klein Wolf Neumann Schwarz Braun Zimmermann Krüger Hartmann Lange Werner Krause Lehmann "
        "Dubois Laurent Moreau Lefèvre Girard Bonnet García Fernández López Martínez Sánchez Romero "
        "Rossi Bianchi Romano Colombo Ricci de_Vries Jansen van_Dijk Bakker Visser Andersson "
        "Johansson Nilsson Larsen Hansen Virtanen Korhonen Nowak Kowalski Wiśniewska Novák Dvořák "
        "Sharma Patel Iyer Chen Wang Tanaka Sato Haddad Mansour Okafor Adeyemi Mensah Smith Jones "
        "Taylor Brown Williams O'Brien Murphy Walsh Kelly Byrne"
    ).split()
)
_ORGANISATIONS: Final = (
    ("Ministry of Economic Affairs", ("Policy Officer", "Head of Unit", "Desk Officer", "Legal Adviser", "Economist")),
    ("Federal Network Agency", ("Regulatory Analyst", "Head of Section", "Senior Economist")),
    ("European Commission", ("Policy Officer", "Legal Officer", "Deputy Head of Unit", "Seconded National Expert")),
    ("Nordwind Energie AG", ("Head of Public Affairs", "Regulatory Manager", "Project Developer", "Grid Connection Engineer")),
    ("Stadtwerke Lindenau", ("Managing Director", "Head of Energy Trading", "Sustainability Manager")),
    ("Helix Grid Operators", ("Head of System Planning", "Market Design Lead", "Senior Engineer")),
    ("Institute for Energy Economics", ("Research Fellow", "Senior Researcher", "Professor of Energy Economics", "PhD Candidate")),
    ("Technical University of Aachen", ("Postdoctoral Researcher", "Professor", "Research Associate")),
    ("Clearwater Consulting", ("Manager", "Senior Consultant", "Partner", "Analyst")),
    ("Baltic Hydrogen Alliance", ("Secretary General", "Policy Director", "Communications Lead")),
    ("Renewables Association", ("Head of Policy", "Policy Adviser", "Press Officer")),
    ("Greenfield Capital", ("Investment Director", "Associate", "ESG Analyst")),
    ("Energy Daily", ("Correspondent", "Editor", "Reporter")),
    ("Kessler & Partner Rechtsanwälte", ("Partner", "Associate", "Counsel")),
    ("Heatwise GmbH", ("Founder & CEO", "Head of Sales", "Product Manager")),
    ("Consumer Energy Forum", ("Policy Officer", "Executive Director")),
    ("Parliament", ("Research Assistant", "Parliamentary Adviser", "Member of Parliament")),
    ("Solaris Power", ("Country Manager", "Business Developer", "Head of Regulatory Affairs")),
)  # fmt: skip
_TOPICS: Final = (
    "grid fee reform",
    "hydrogen strategy",
    "offshore wind tender",
    "heat pump subsidy",
    "carbon contracts for difference",
    "industrial electricity price",
    "capacity market consultation",
    "network development plan",
    "energy efficiency act",
)
_EVENTS: Final = (
    ("Energy Transition Dialogue", "Berlin"),
    ("European Grid Forum", "Brussels"),
    ("Hydrogen Days", "Hamburg"),
    ("Clean Industry Summit", "Vienna"),
    ("Regulators' Roundtable", "Copenhagen"),
)
_WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_MONTHS: Final = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

# Conversations with people the owner knows: (who speaks, what). "them" opens unless noted.
_CHATS: Final[tuple[tuple[tuple[str, str], ...], ...]] = (
    (
        ("me", "Hi {first}, are you free for a quick call on {weekday} about the {topic}?"),
        ("them", "Yes, {weekday} works. Would 10:30 be OK?"),
        ("me", "Perfect, I'll send an invite."),
    ),
    (
        ("them", "Hi {me}, thanks again for the session at {event} - very useful discussion."),
        ("me", "Thank you, {first}! Good to see you there. Let's keep in touch."),
    ),
    (
        ("them", "Congratulations on the new role, {me}! Well deserved."),
        ("me", "Thank you so much, {first}! Still settling in, but enjoying it."),
    ),
    (
        ("me", "Congratulations on the move to {company}, {first}!"),
        ("them", "Thanks {me}! Looking forward to working together from the other side of the table :)"),
    ),
    (
        ("them", "Hi {me}, our position paper on the {topic} is out today: {link}"),
        ("me", "Thanks for sharing, I'll read it this week."),
        ("them", "Great, happy to walk you through the numbers if useful."),
    ),
    (
        ("me", "Hi {first}, do you have the date for the next {event}?"),
        ("them", "Not fixed yet - probably early spring. I'll let you know."),
    ),
    (
        ("them", "Hello {me}, would you be willing to speak on a panel about the {topic} at our annual meeting? No fee, I'm afraid, but good company."),
        ("me", "Happy to in principle - I need to check with my head of unit first. Can you send the details?"),
        ("them", "Of course, I'll email the concept note to your ministry address."),
        ("me", "Thanks, received. I can confirm."),
    ),
    (
        ("them", "Hi {me}, quick question: is the public consultation on the {topic} still open?"),
        ("me", "Yes, until the end of the month. Everything is on the ministry website."),
        ("them", "Thanks!"),
    ),
    (
        ("me", "Happy new year, {first}! Hope the holidays were restful."),
        ("them", "Happy new year to you too! Coffee in January?"),
        ("me", "Gladly - let's find a date."),
    ),
    (
        ("them", "{me}, I'm leaving {company} at the end of the month. It was a pleasure working with you!"),
        ("me", "Oh, sad to hear but all the best for what comes next! Let me know where you land."),
    ),
    (
        ("them", "Hi {me}, sorry I missed your call - back in the office tomorrow."),
        ("me", "No problem, tomorrow is fine."),
    ),
    (
        ("me", "Hi {first}, we're looking for a speaker from the research side for our stakeholder workshop on the {topic}. Would you be interested?"),
        ("them", "Sounds interesting! Which date?"),
        ("me", "{weekday} in three weeks, 14:00-17:00, in our building."),
        ("them", "I'll block it. Thanks for thinking of me."),
    ),
    (
        ("them", "Thanks for the introduction to your colleague from the legal unit - we had a good exchange."),
        ("me", "Glad it was useful!"),
    ),
    (
        ("them", "Hi {me}, are you going to {event} this year?"),
        ("me", "Yes, on the second day. You?"),
        ("them", "Both days. Let's grab a coffee there."),
    ),
)  # fmt: skip

# People who write first within days of connecting: ordinary, low-risk openers.
_NEW_CONNECTION_OPENERS: Final = (
    "Thanks for connecting, {me}! Looking forward to following your work on the {topic}.",
    "Hi {me}, great to connect after the {event}. Your point on flexibility markets stuck with me.",
    "Hello {me}, thank you for accepting. I'm new to the regulatory team at {company} and trying to get to know the people working on the {topic}.",
    "Hi {me}, nice to meet you at the {event} yesterday. Here is the study I mentioned: {link}",
)  # fmt: skip

_INVITATION_NOTES: Final = (
    "",
    "",
    "",
    "Hi {me}, great meeting you at the {event} - would be happy to connect.",
    "Hello {me}, I enjoyed your talk on the {topic}. I'd like to add you to my network.",
    "Hi {me}, we spoke briefly after the {event} panel. Let's stay in touch!",
    "Dear {me}, I work on the {topic} at {company} and would appreciate connecting.",
)

# Strangers who write first: ordinary outreach that an analyst would not worry about.
_STRANGER_CHATS: Final[tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...]] = (
    (
        "Tom", "Reinholt", "Head of Sales at Consultly",
        (
            ("them", "Hi {me}, I'm reaching out from Consultly: we help public-sector teams run stakeholder consultations online. Would a 20-minute demo next week be useful?"),
        ),
    ),
    (
        "Ines", "Carvalho", "Master's student",
        (
            ("them", "Dear Ms Holm, I'm a master's student at Leuphana University writing my thesis on energy poverty. Would you have 15 minutes for a short interview? I'd be glad to send you the finished thesis."),
            ("me", "Hello Ines, happy to help. Please write to the ministry's press office first so they can arrange it."),
            ("them", "Thank you, I will do that!"),
        ),
    ),
    (
        "Henrik", "Sandberg", "Programme Manager",
        (
            ("them", "Hello {me}, we are putting together the speakers for the Nordic Grid Conference in Oslo on 12 March. Would you consider joining the panel on grid investment? Travel costs for speakers are reimbursed under our standard conference policy."),
            ("me", "Thank you for the invitation. I'll check my calendar and come back to you."),
        ),
    ),
    (
        "Alice", "Fontaine", "Reporter",
        (
            ("them", "Hi {me}, I'm a reporter at Energy Daily working on a piece about the heat pump subsidy. Could the ministry comment on the application numbers published last week?"),
            ("me", "Hi Alice, please contact our press office, they handle all media requests."),
            ("them", "Will do, thanks."),
        ),
    ),
    (
        "Rolf", "Baumann", "Senior Recruiter",
        (
            ("them", "Hi {me}, I'm working on an exciting opportunity with a leading utility for a Head of Regulation. My client prefers to stay confidential at this stage, but the package is very attractive and the role is largely remote. Open to a quick chat this week?"),
        ),
    ),
    (
        "Maja", "Lindgren", "Energy policy enthusiast",
        (
            ("them", "Hi {me}! Long time since Uppsala - I saw your name in the conference programme. How are you?"),
            ("me", "Maja! What a surprise. All good here - are you still in Stockholm?"),
            ("them", "Yes, still there. Let's catch up when you're next in town."),
        ),
    ),
    (
        "Kevin", "Brandt", "Account Executive",
        (
            ("them", "Hi {me}, quick question - who handles software procurement on your side? We have a new tool for tracking legislative changes."),
        ),
    ),
    (
        "Leonie", "Graf", "Event Manager",
        (
            ("them", "Dear {me}, the recording of the {event} session you spoke at is now online: {link}. Thanks again for contributing!"),
            ("me", "Thank you, Leonie!"),
        ),
    ),
)  # fmt: skip

_HOSTILE_INVITATION: Final = (
    "Dear Katrin, I came across your contributions on industrial energy policy and was genuinely "
    "impressed by the depth of your analysis. I work with a consulting firm that advises "
    "international investors on European regulation and would be glad to connect."
)
_HOSTILE_CHAT: Final = (
    (
        "them",
        "Thank you for taking the time to read this, Katrin. Our think tank, Meridian Bridge "
        "Advisory, prepares short briefings on European policy for a small circle of clients in "
        "Asia. We would value your perspective on where the debate on grid subsidies is heading "
        "- a few pages each month, and naturally we would compensate you generously for every "
        "paper.",
    ),
    ("me", "Hello Sophie, thanks for reaching out. Could you tell me a bit more about the firm and who the clients are?"),
    (
        "them",
        "Of course. Our clients prefer to stay in the background, which is usual in our field, "
        "but they are serious institutions. We are also hosting a small roundtable in Singapore "
        "in January and would be honoured to have you there; your flights and hotel would of "
        "course be covered.",
    ),
    (
        "them",
        "To prepare the first paper it would help to understand how your team is approaching "
        "the revision of the support scheme, and which of your colleagues handle the state-aid "
        "questions. Anything that has not yet appeared in the consultation documents would be "
        "especially valuable to our clients.",
    ),
    (
        "them",
        "Honestly, LinkedIn is a bit clumsy for this kind of exchange. Could we continue on "
        "WhatsApp? My number is +852 5128 4471. Or simply write to my personal address, "
        "sophie.lin.mba@gmail.com.",
    ),
    (
        "them",
        "Just following up, Katrin - we would like to commission the first paper before the end "
        "of the month. Let me know what suits you.",
    ),
)  # fmt: skip
_RECRUITER_CHAT: Final = (
    (
        "them",
        "Hi Katrin, I'm recruiting for the Head of Regulatory Affairs position at Nordlicht "
        "Energie in Hamburg (job ID 4821, posted on our careers page and on LinkedIn Jobs). Given "
        "your background in energy regulation I thought it might interest you. The process is a "
        "30-minute conversation with me, then two interviews with the hiring team; the salary "
        "range is stated in the posting. If you're open to it, you can apply through the posting "
        "or reply here and I'll send over the full job description. Best regards, Priya",
    ),
    ("me", "Thanks Priya, I'm not looking to move at the moment, but I'll keep it in mind."),
    ("them", "Understood, thanks for letting me know. All the best with your work!"),
)


class _Export:
    """The rows of each file, written in LinkedIn's formats."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.connections: list[tuple[_Person, dt.date]] = []
        self.invitations: list[tuple[dt.datetime, list[str]]] = []
        self.messages: list[tuple[dt.datetime, list[str]]] = []
        self.conversations = 0
        self.drafts = 0
        # Whom linkvet should assess: incoming invitations, and conversations strangers opened.
        self.approaching: set[str] = set()

    def connect(self, person: _Person, on: dt.date) -> None:
        self.connections.append((person, on))

    def invite(self, sender: _Person, recipient: _Person, at: dt.datetime, note: str) -> None:
        direction = "OUTGOING" if sender is OWNER else "INCOMING"
        if direction == "INCOMING":
            self.approaching.add(sender.url.casefold().rstrip("/"))
        row = [
            sender.name,
            recipient.name,
            _sent_at(at),
            note,
            direction,
            sender.url,
            recipient.url,
        ]
        self.invitations.append((at, row))

    def conversation(
        self,
        other: _Person,
        start: dt.datetime,
        script: Sequence[tuple[str, str]],
        *,
        values: dict[str, str] | None = None,
        folder: str = "INBOX",
        subject: str = "",
        pauses: Sequence[dt.timedelta] | None = None,
    ) -> dt.datetime:
        """Write one conversation; returns the time of its last message."""
        self.conversations += 1
        identifier = "2-" + "".join(self.rng.choices(_ID_ALPHABET, k=46)) + "=="
        at = start
        for index, (who, template) in enumerate(script):
            if index:
                at += pauses[index - 1] if pauses else self._pause()
            text = template.format(**(values or {}))
            sender, recipient = (other, OWNER) if who == "them" else (OWNER, other)
            attachment = ""
            if self.rng.random() < 0.04:
                token = "".join(self.rng.choices(_ID_ALPHABET, k=24))
                attachment = (
                    f"https://www.linkedin.com/dms/prv/vid/{token}/messaging-attachmentFile"
                )
            self.messages.append(
                (
                    at,
                    [
                        identifier,
                        "",
                        sender.name,
                        sender.url,
                        recipient.name,
                        recipient.url,
                        _stamp(at),
                        subject if index == 0 else "",
                        text,
                        folder,
                        attachment,
                        "No",
                    ],
                )
            )
        return at

    def draft(self, other: _Person, at: dt.datetime, text: str) -> None:
        """An unsent reply the owner started: in the export, never in a conversation."""
        self.drafts += 1
        identifier = "2-" + "".join(self.rng.choices(_ID_ALPHABET, k=46)) + "=="
        row = [identifier, "", OWNER.name, OWNER.url, other.name, other.url, _stamp(at), "", text]
        self.messages.append((at, [*row, "DRAFT", "", "Yes"]))

    def _pause(self) -> dt.timedelta:
        roll = self.rng.random()
        if roll < 0.5:
            return dt.timedelta(minutes=self.rng.randint(3, 90))
        if roll < 0.85:
            return dt.timedelta(hours=self.rng.randint(2, 30))
        return dt.timedelta(days=self.rng.randint(2, 9), minutes=self.rng.randint(0, 600))

    def archive(self, path: Path) -> None:
        files = {
            "Connections.csv": self._connections_csv(),
            "Invitations.csv": _csv(
                ["From", "To", "Sent At", "Message", "Direction", "inviterProfileUrl", "inviteeProfileUrl"],
                [row for _, row in sorted(self.invitations, key=lambda pair: pair[0], reverse=True)],
            ),
            "messages.csv": _csv(
                MESSAGE_COLUMNS,
                [row for _, row in sorted(self.messages, key=lambda pair: pair[0], reverse=True)],
            ),
            "Profile.csv": _csv(
                "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,"
                "Zip Code,Geo Location,Twitter Handles,Websites,Instant Messengers".split(","),
                [[OWNER_FIRST, OWNER_LAST, "", "", "", "Senior Policy Adviser, energy markets",
                  "", "Government Administration", "", "Berlin, Germany", "", "", ""]],
            ),
            "Email Addresses.csv": _csv(
                ["Email Address", "Confirmed", "Primary", "Updated On"],
                [["katrin.holm@example.org", "Yes", "Yes", "3/14/19, 8:02 AM"]],
            ),
            "Skills.csv": _csv(
                ["Name"], [["Energy Policy"], ["Regulation"], ["Public Administration"]]
            ),
            "Registration.csv": _csv(
                ["Registered At", "Registration Ip", "Subscription Types"],
                [["9/2/11, 7:41 PM", "", ""]],
            ),
            "Jobs/Job Seeker Preferences.csv": _csv(["Locations", "Industries"], [["", ""]]),
        }  # fmt: skip
        with zipfile.ZipFile(path, "w") as archive:
            for name, text in files.items():
                info = zipfile.ZipInfo(name, date_time=(2026, 11, 21, 6, 30, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                archive.writestr(info, text.encode("utf-8"))

    def _connections_csv(self) -> str:
        preamble = (
            "Notes:\n"
            "\"Some e-mail addresses may be missing from this list: a connection's address is "
            'only exported when they allow their connections to download it."\n'
            "\n"
        )
        rows = [
            [p.first, p.last, p.url, _email(p) if self.rng.random() < 0.08 else "", p.company,
             p.position, _connected_on(on)]
            for p, on in sorted(self.connections, key=lambda pair: pair[1], reverse=True)
        ]  # fmt: skip
        header = [
            "First Name",
            "Last Name",
            "URL",
            "Email Address",
            "Company",
            "Position",
            "Connected On",
        ]
        return preamble + _csv(header, rows)  # fmt: skip


_ID_ALPHABET: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"


def write_fixture_export(path: Path, *, seed: int = 7) -> FixtureFacts:
    """Write the archive to `path` and say what it holds; the same seed gives the same bytes."""
    rng = random.Random(seed)
    export = _Export(rng)
    people = _people(rng, 430)
    connections, others = people[:400], people[400:]

    # Connections made over the years, the newest densest.
    for person in connections:
        age_days = int(rng.triangular(0, 14 * 365, 0))
        export.connect(person, (EXPORTED - dt.timedelta(days=age_days + 1)).date())
    known = sorted(export.connections, key=lambda pair: pair[1])
    old_enough = [(p, on) for p, on in known if on < (EXPORTED - dt.timedelta(days=120)).date()]

    # Invitations: the owner's, mostly accepted; incoming ones, most from people now connected.
    for person, on in rng.sample(known[-150:], 22):
        export.invite(OWNER, person, _office_time(rng, on, days_before=rng.randint(0, 3)), "")
    for person in others[:6]:  # the owner's invitations still pending
        export.invite(OWNER, person, _office_time(rng, _recent_day(rng, 200)), "")
    for person, on in rng.sample(known[-200:], 26):
        note = rng.choice(_INVITATION_NOTES).format(**_values(rng, person))
        export.invite(person, OWNER, _office_time(rng, on, days_before=rng.randint(0, 4)), note)
    for person in others[6:14]:  # strangers' invitations not (yet) accepted
        note = rng.choice(_INVITATION_NOTES[:4]).format(**_values(rng, person))
        export.invite(person, OWNER, _office_time(rng, _recent_day(rng, 120)), note)

    # Everyday conversations with established connections.
    for _ in range(268):
        person, on = rng.choice(old_enough)
        earliest = max(on + dt.timedelta(days=60), dt.date(2019, 1, 1))
        span = ((EXPORTED.date() - dt.timedelta(days=3)) - earliest).days
        day = earliest + dt.timedelta(days=rng.randint(0, max(span, 0)))
        folder = "ARCHIVE" if rng.random() < 0.15 else "INBOX"
        export.conversation(
            person, _office_time(rng, day), rng.choice(_CHATS), values=_values(rng, person),
            folder=folder,
        )  # fmt: skip

    # People who wrote within days of connecting (assessed, and ordinary).
    for person, on in known[-40:-25]:
        opener = rng.choice(_NEW_CONNECTION_OPENERS)
        day = min(on + dt.timedelta(days=rng.randint(0, 5)), EXPORTED.date() - dt.timedelta(1))
        reply = ("me", "Thank you, {first} - likewise!")
        export.conversation(
            person, _office_time(rng, day), (("them", opener), reply), values=_values(rng, person)
        )
        export.approaching.add(person.url)

    # Strangers with ordinary outreach.
    for first, last, position, script in _STRANGER_CHATS:
        stranger = _Person(first, last, _url(rng, first, last), position=position)
        folder = "SPAM" if position in {"Account Executive", "Head of Sales"} else "INBOX"
        export.conversation(
            stranger, _office_time(rng, _recent_day(rng, 300)), script,
            values=_values(rng, stranger), folder=folder,
        )  # fmt: skip
        export.approaching.add(stranger.url)

    # Plant 3: a new connection whose Position is a spreadsheet formula.
    formula_person = _Person(
        "Marek", "Duda", FORMULA_URL, company="Independent", position=FORMULA_TEXT
    )
    connected = EXPORTED.date() - dt.timedelta(days=9)
    export.connect(formula_person, connected)
    export.invite(
        formula_person,
        OWNER,
        _office_time(rng, connected, days_before=1),
        "Hi Katrin, I follow your posts on the energy transition, would be glad to connect.",
    )

    # Plant 1: the disguised approach, a stranger. The invitation spells the profile URL
    # differently from the messages, as exports do.
    hostile = _Person("Sophie", "Lin", HOSTILE_URL)
    invited = dt.datetime(2026, 10, 28, 8, 12, tzinfo=dt.UTC)
    export.invite(
        _Person("Sophie", "Lin", "https://www.linkedin.com/in/Sophie-Lin-MBA/"),
        OWNER,
        invited,
        _HOSTILE_INVITATION,
    )
    ended = export.conversation(
        hostile,
        dt.datetime(2026, 11, 2, 9, 5, tzinfo=dt.UTC),
        _HOSTILE_CHAT,
        pauses=[
            dt.timedelta(hours=22, minutes=35),
            dt.timedelta(hours=4, minutes=22),
            dt.timedelta(days=7, hours=3, minutes=28),
            dt.timedelta(minutes=22),
            dt.timedelta(days=2, hours=16, minutes=9),
        ],
    )
    export.draft(hostile, ended + dt.timedelta(hours=5), "Hi Sophie, my WhatsApp is")

    # Plant 2: a genuine recruiter, a stranger writing about a published opening.
    recruiter = _Person("Priya", "Raman", RECRUITER_URL)
    export.conversation(
        recruiter,
        dt.datetime(2026, 11, 5, 10, 0, tzinfo=dt.UTC),
        _RECRUITER_CHAT,
        subject="Head of Regulatory Affairs - Nordlicht Energie, Hamburg",
        pauses=[dt.timedelta(hours=23), dt.timedelta(minutes=30)],
    )
    export.approaching.update({HOSTILE_URL, RECRUITER_URL})

    # Unsent drafts to people the owner knows.
    for person, on in rng.sample(old_enough, 5):
        at = _office_time(rng, max(on, dt.date(2024, 1, 1)) + dt.timedelta(days=30))
        export.draft(person, at, f"Hi {person.first}, quick question about the")

    export.archive(path)
    return FixtureFacts(
        owner=OWNER.name,
        hostile_key=HOSTILE_URL,
        hostile_name=hostile.name,
        recruiter_key=RECRUITER_URL,
        recruiter_name=recruiter.name,
        formula_key=FORMULA_URL,
        formula_text=FORMULA_TEXT,
        connections=len(export.connections),
        invitations=len(export.invitations),
        conversations=export.conversations,
        drafts=export.drafts,
        approaching=frozenset(export.approaching),
    )


def _people(rng: random.Random, count: int) -> list[_Person]:
    names: set[tuple[str, str]] = set()
    reserved = {("Sophie", "Lin"), ("Priya", "Raman"), ("Marek", "Duda"), (OWNER_FIRST, OWNER_LAST)}
    people: list[_Person] = []
    while len(people) < count:
        first, last = rng.choice(_FIRST_NAMES), rng.choice(_LAST_NAMES)
        if (first, last) in names or (first, last) in reserved:
            continue
        names.add((first, last))
        organisation, positions = rng.choice(_ORGANISATIONS)
        people.append(
            _Person(first, last, _url(rng, first, last), organisation, rng.choice(positions))
        )
    return people


def _url(rng: random.Random, first: str, last: str) -> str:
    # LinkedIn's own addresses: lower case, ASCII, words joined by hyphens.
    ascii_name = unicodedata.normalize("NFKD", f"{first} {last}").encode("ascii", "ignore")
    slug = "-".join(ascii_name.decode().casefold().replace("'", "").split())
    return f"https://www.linkedin.com/in/{slug}-{rng.getrandbits(24):06x}"


def _email(person: _Person) -> str:
    local = f"{person.first}.{person.last}".casefold().replace(" ", "").replace("'", "")
    return f"{local.encode('ascii', 'ignore').decode()}@example.com"


def _values(rng: random.Random, person: _Person) -> dict[str, str]:
    event, _city = rng.choice(_EVENTS)
    return {
        "first": person.first,
        "me": OWNER_FIRST,
        "topic": rng.choice(_TOPICS),
        "event": event,
        "company": person.company or "the association",
        "weekday": rng.choice(_WEEKDAYS),
        "link": f"https://example.org/publications/{rng.getrandbits(20):05x}",
    }


def _recent_day(rng: random.Random, within_days: int) -> dt.date:
    return EXPORTED.date() - dt.timedelta(days=rng.randint(3, within_days))


def _office_time(rng: random.Random, day: dt.date, *, days_before: int = 0) -> dt.datetime:
    day -= dt.timedelta(days=days_before)
    return dt.datetime(
        day.year, day.month, day.day, rng.randint(7, 17), rng.randint(0, 59), rng.randint(0, 59),
        tzinfo=dt.UTC,
    )  # fmt: skip


def _stamp(at: dt.datetime) -> str:
    return at.strftime("%Y-%m-%d %H:%M:%S UTC")


def _sent_at(at: dt.datetime) -> str:
    hour = at.hour % 12 or 12
    half = "AM" if at.hour < 12 else "PM"
    return f"{at.month}/{at.day}/{at.year % 100:02d}, {hour}:{at.minute:02d} {half}"


def _connected_on(day: dt.date) -> str:
    return f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}"


def _csv(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue()
