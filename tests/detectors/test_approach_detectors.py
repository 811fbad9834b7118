"""Per-detector case tables for the text detectors: the approach (`approach.phrases`,
`approach.timing`), the profile's own text (`profile.text`, `profile.employer`) and text dressed
up to dodge filters (`text.obfuscation`).

In the style of Presidio's per-recognizer tests: each detector has a table of positive cases
(profile -> the exact signals expected, each with the field paths its evidence names) and a longer
table of negative cases (profile -> no risk signal, or the detector skipped because a field it
needs is unknown). The negatives are what a person really receives: recruiters with a named role,
conference organisers with a named event, sales outreach, colleagues and alumni, offers that say
what they do *not* include, and text in German, French, Spanish, Arabic, Hebrew, Russian, Chinese
and Japanese. Every message here was written for these tests (none is copied from tests/corpus/).

Every case runs against the real rule files; the detectors are called directly (an exception fails
the test instead of being recorded as a skip), every excerpt is checked against the text it claims
to quote, and a final test checks that the engine reports the same signals. The tests at the end
pin bugs that these tables once found, so that they stay fixed.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from linkvet.config import load_config
from linkvet.detectors import BUILTIN_DETECTORS
from linkvet.engine import Engine
from linkvet.model import Profile, Signal
from linkvet.text.normalise import normalise
from linkvet.text.phrases import Negation, Words, compile_pattern
from tests.detectors.cases import (
    AS_OF,
    NONE,
    SKIPPED,
    Allowed,
    Expected,
    assert_engine_agrees,
    assert_negative,
    assert_positive,
    engine_cases,
)


def said(*texts: str) -> dict[str, Any]:
    """A profile whose only known part is the messages received, in order."""
    return {"messages": [{"text": text} for text in texts]}


def at(when: str, text: str = "Hello again", direction: str = "incoming") -> dict[str, Any]:
    """A message with the time it was sent."""
    return {"text": text, "sent_at": when, "direction": direction}


def role(organisation: str, title: str = "Partner", **more: Any) -> dict[str, Any]:
    return {"title": title, "organisation": organisation, **more}


# ---------------------------------------------------------------------------------------------
# approach.phrases: one signal per indicator code, each with up to 5 excerpts; the sequence offer
# -> probe -> private channel across messages; text longer than it reads (weight 0, reassuring
# negatives may carry it).

PHRASES = "approach.phrases"
MSG0 = ("messages[0].text",)
NOT_READ = "approach.text_not_fully_read"

PHRASES_POSITIVE = [
    pytest.param(
        said("Hi Grace, the analyst position is fully remote, so it fits around your day job."),
        [("offer.remote_flexible", MSG0)],
        id="remote-flexible-fully-remote",
    ),
    pytest.param(
        said("It is a part-time role, a few hours a week in your spare time."),
        [("offer.remote_flexible", MSG0 * 3)],
        id="remote-flexible-three-excerpts-in-one-message",
    ),
    pytest.param(
        said("The remuneration will be very generous, far above what universities pay."),
        [("offer.high_pay", MSG0)],
        id="high-pay-very-generous",
    ),
    pytest.param(
        said("We would commission short papers on Arctic shipping, EUR 1,500 for each report."),
        [("offer.paid_reports", MSG0 * 2)],
        id="paid-reports-commissioned-papers-with-a-sum",
    ),
    pytest.param(
        said("Flights and hotel are covered by the organisers, of course."),
        [("offer.paid_travel", MSG0)],
        id="paid-travel-flights-and-hotel-covered",
    ),
    pytest.param(
        said("I would like to invite you to an invitation-only summit of senior policymakers."),
        [("offer.prestigious_invitation", MSG0)],
        id="prestigious-invitation-only-summit",
    ),
    pytest.param(
        {
            "invitation": {
                "text": "Your remarkable achievements caught my attention. Let's connect!"
            }
        },
        [("flattery.praise", ("invitation.text", "invitation.text"))],
        id="flattery-in-the-invitation-note",
    ),
    pytest.param(
        said("This is a one-off opportunity and we need an answer within 48 hours."),
        [("urgency.scarcity", MSG0 * 2)],
        id="urgency-one-off-and-48-hours",
    ),
    pytest.param(
        said("Could we continue on Signal? My number is +852 5555 0199."),
        [("channel.off_platform", MSG0 * 2)],
        id="off-platform-signal-and-a-number",
    ),
    pytest.param(
        said("Our director would like to meet you for dinner when you are next in Vienna."),
        [("channel.meet_abroad", MSG0)],
        id="meet-for-dinner",
    ),
    pytest.param(
        said("I am reaching out on behalf of a client who prefers to remain unnamed for now."),
        [("detail.vague_client", MSG0)],
        id="vague-client-on-behalf-of",
    ),
    pytest.param(
        said("I cannot disclose the name of our client at this stage."),
        [("detail.vague_client", MSG0 * 2)],
        id="vague-client-cannot-disclose",
    ),
    pytest.param(
        said("Out of curiosity, who else in your department works on the sanctions file?"),
        [("imbalance.employer_interest", MSG0)],
        id="employer-interest-who-else-in-your-department",
    ),
    pytest.param(
        said(
            "Anything that is not yet public would be most valuable, "
            "for example the draft minutes of your working group."
        ),
        [("request.nonpublic", MSG0 * 2)],
        id="nonpublic-not-yet-public-and-draft-minutes",
    ),
    pytest.param(
        said("Could you share the internal assessment your directorate prepared last month?"),
        [("imbalance.employer_interest", MSG0), ("request.nonpublic", MSG0)],
        id="nonpublic-internal-assessment-of-your-directorate",
    ),
    pytest.param(
        said("Payment can be made in cash or in USDT, no invoice needed."),
        [("payment.unusual", MSG0 * 3)],
        id="unusual-payment-cash-crypto-no-invoice",
    ),
    pytest.param(
        said("Wir zahlen ein großzügiges Honorar für kurze Berichte. Gern auch per Telegram."),
        [
            ("channel.off_platform", MSG0),
            ("offer.high_pay", MSG0),
            ("offer.paid_reports", MSG0 * 2),
        ],
        id="german-fee-for-short-reports-and-telegram",
    ),
    pytest.param(
        said("Mon client, basé en Asie, offre des honoraires généreux. Écrivez-moi sur WhatsApp."),
        [
            ("channel.off_platform", MSG0),
            ("detail.vague_client", MSG0),
            ("offer.high_pay", MSG0),
            ("offer.paid_reports", MSG0),
        ],
        id="french-client-in-asia-generous-fees-whatsapp",
    ),
    pytest.param(
        said(
            "Pagamos honorarios por informes breves y todos los gastos pagados para viajar a Dubái."
        ),
        [
            ("channel.meet_abroad", MSG0),
            ("offer.paid_reports", MSG0),
            ("offer.paid_travel", MSG0),
        ],
        id="spanish-fees-for-reports-and-a-paid-trip",
    ),
    pytest.param(
        said("Please add me on Tele\u200bgram, @nw_fellow."),
        [("channel.off_platform", MSG0 * 2)],
        id="zero-width-space-does-not-hide-telegram",
    ),
    pytest.param(
        said("Message me on Wh\u0430tsApp instead."),  # a Cyrillic a (U+0430)
        [("channel.off_platform", MSG0)],
        id="cyrillic-a-does-not-hide-whatsapp",
    ),
    pytest.param(
        said("Reach me on \uff37\uff48\uff41\uff54\uff53\uff21\uff50\uff50 please."),
        [("channel.off_platform", MSG0)],
        id="full-width-whatsapp-folded",
    ),
    pytest.param(
        {
            "messages": [
                {"text": f"Reminder {i}: my WhatsApp is +44 7700 900{i:03d}."} for i in range(7)
            ]
        },
        [("channel.off_platform", tuple(f"messages[{i}].text" for i in range(5)))],
        id="seven-mentions-five-excerpts-kept",
    ),
    pytest.param(
        {
            "invitation": {
                "text": "Dear Dr Okafor, my firm pays a handsome fee for short analytical "
                "reports on West African energy policy."
            },
            "messages": [
                {
                    "text": "Thank you for connecting. Before we start, which projects is your "
                    "team at the ministry handling this year?"
                },
                {
                    "text": "LinkedIn is slow for me, can we move to WeChat? My ID is energy_links88."
                },
            ],
        },
        [
            ("channel.off_platform", ("messages[1].text",)),
            ("imbalance.employer_interest", MSG0),
            ("offer.high_pay", ("invitation.text",)),
            ("offer.paid_reports", ("invitation.text",)),
            (
                "sequence.offer_probe_move",
                ("invitation.text", "messages[0].text", "messages[1].text"),
            ),
        ],
        id="sequence-offer-in-invitation-probe-then-wechat",
    ),
    pytest.param(
        {
            "messages": [
                {"text": "We pay well for short reports on chip export controls, USD 800 each."},
                {"text": "Thanks, what would you need?", "direction": "outgoing"},
                {"text": "Mainly your view on what your division is working on next quarter."},
                {"text": "Let us talk privately on Telegram, it is more convenient."},
            ]
        },
        [
            ("channel.off_platform", ("messages[3].text", "messages[3].text")),
            ("imbalance.employer_interest", ("messages[2].text",)),
            ("offer.paid_reports", MSG0),
            (
                "sequence.offer_probe_move",
                ("messages[0].text", "messages[2].text", "messages[3].text"),
            ),
        ],
        id="sequence-across-a-reply-keeps-message-indexes",
    ),
    pytest.param(
        {
            "messages": [
                {"text": "Hi, please text me on WhatsApp, I rarely check LinkedIn."},
                {"text": "We pay a generous fee for short reports on battery supply chains."},
                {"text": "Which projects is your lab working on at the moment?"},
            ]
        },
        [
            ("channel.off_platform", MSG0 * 2),
            ("imbalance.employer_interest", ("messages[2].text",)),
            ("offer.high_pay", ("messages[1].text",)),
            ("offer.paid_reports", ("messages[1].text",)),
        ],
        id="private-channel-first-is-not-the-sequence",
    ),
    pytest.param(
        said(
            "We pay a generous fee for short reports; tell me which programmes your team "
            "supports, and add me on WhatsApp."
        ),
        [
            ("channel.off_platform", MSG0 * 2),
            ("imbalance.employer_interest", MSG0),
            ("offer.high_pay", MSG0),
            ("offer.paid_reports", MSG0),
        ],
        id="all-three-stages-in-one-message-is-not-a-sequence",
    ),
    pytest.param(
        said("We don't pay for travel, but we pay for reports and short briefings."),
        [("offer.paid_reports", MSG0)],
        id="negation-ends-at-but",
    ),
    pytest.param(
        said("Don't hesitate to message me on WhatsApp if that is easier."),
        [("channel.off_platform", MSG0)],
        id="dont-hesitate-is-not-a-negation",
    ),
]

PHRASES_NEGATIVE = [
    pytest.param(
        said(
            "Hi Daniel, I'm a recruiter at Ocado Technology. We're hiring a Staff Data Engineer "
            "in Hatfield; the salary band is £95-110k plus bonus. Open to a chat next week?"
        ),
        NONE,
        id="recruiter-named-role-salary-band",
    ),
    pytest.param(
        said(
            "Dear Prof. Nakamura, on behalf of the programme committee I'd like to invite you to "
            "give a keynote at PETS 2026 in Lausanne. The call for papers is at petsymposium.org."
        ),
        NONE,
        id="conference-keynote-named-event",
    ),
    pytest.param(
        said(
            "Dear Dr Patel, I chair the grid resilience panel at the CIGRE Paris Session in "
            "August and would be glad if you could join it. Details are on cigre.org."
        ),
        NONE,
        id="conference-panel-named-event",
    ),
    pytest.param(
        said(
            "Hi Priya, I work with engineering teams on CI costs. We helped a fintech cut build "
            "times by 40%. Worth a look? Happy to send a case study."
        ),
        NONE,
        id="sales-outreach",
    ),
    pytest.param(
        said(
            "Good morning! I'm selling our observability platform. There is a free trial and "
            "the pricing is on our website."
        ),
        NONE,
        id="sales-pricing-on-the-website",
    ),
    pytest.param(
        said("Hey Tom, great seeing you at the offsite. Here are the slides from my talk."),
        NONE,
        id="colleague-after-offsite",
    ),
    pytest.param(
        said("Could you review my pull request when you have a moment? No rush."),
        NONE,
        id="colleague-pull-request",
    ),
    pytest.param(
        said(
            "Hi Ana, fellow Imperial alum here (MEng 2014). Saw you moved to Arup, "
            "congratulations! Would love to catch up if you're ever in Bristol."
        ),
        NONE,
        id="alumni-catch-up",
    ),
    pytest.param(
        said(
            "Hello, I'm a PhD student at ETH Zurich and read your paper on side channels. "
            "May I ask how you measured the power traces in section 4?"
        ),
        NONE,
        id="student-question-about-a-paper",
    ),
    pytest.param(
        said("To be clear, we do not offer payment for reports; participation is voluntary."),
        NONE,
        id="we-do-not-offer-payment-for-reports",
    ),
    pytest.param(
        said("We are not a paid panel and there is no fee; it's a volunteer committee."),
        NONE,
        id="not-a-paid-panel-no-fee",
    ),
    pytest.param(said("No travel is required; all sessions are online."), NONE, id="no-travel"),
    pytest.param(
        said("We'll hold the interview on Teams, so there is no need to travel."),
        NONE,
        id="interview-on-teams-no-need-to-travel",
    ),
    pytest.param(
        said("Please don't send anything confidential, public documents only."),
        NONE,
        id="please-dont-send-anything-confidential",
    ),
    pytest.param(
        said("Don't hesitate to reach out if you have any questions about the role."),
        NONE,
        id="dont-hesitate-to-reach-out",
    ),
    pytest.param(
        said(
            "Hallo Herr Becker, wir suchen für unser Team in München einen Embedded-Entwickler "
            "(m/w/d). Das Gehalt liegt bei 75-85 T€. Hätten Sie Interesse an einem Austausch?"
        ),
        NONE,
        id="german-recruiter",
    ),
    pytest.param(
        said("Wir zahlen kein Honorar, die Teilnahme ist ehrenamtlich."),
        NONE,
        id="german-no-fee",
    ),
    pytest.param(
        said(
            "Bonjour Mme Laurent, je vous écris au sujet du colloque de l'AFSP à Grenoble en "
            "juin. Seriez-vous disponible pour présider un atelier ? Le programme est en ligne."
        ),
        NONE,
        id="french-conference",
    ),
    pytest.param(
        said("Nous n'offrons aucune rémunération pour les rapports, c'est bénévole."),
        NONE,
        id="french-no-pay-for-reports",
    ),
    pytest.param(
        said(
            "Hola Carlos, soy reclutadora en Telefónica Tech. Tenemos una vacante de ingeniero "
            "de redes en Madrid. ¿Te interesaría hablar esta semana?"
        ),
        NONE,
        id="spanish-recruiter",
    ),
    pytest.param(
        said("No se requiere viajar; todas las sesiones son en línea."),
        NONE,
        id="spanish-no-travel",
    ),
    pytest.param(
        said(
            "مرحبا أحمد، يسعدني التواصل معك. أعمل في قسم الموارد البشرية ونبحث عن مهندس بترول. "
            "هل يمكننا التحدث الأسبوع القادم؟"
        ),
        NONE,
        id="arabic-recruiter",
    ),
    pytest.param(
        said("שלום דנה, ראיתי את ההרצאה שלך בכנס ואשמח להתחבר. תודה!"),
        NONE,
        id="hebrew-after-a-talk",
    ),
    pytest.param(
        said("Congrats on the new role 🎉🎉 so happy for you! 🙌"), NONE, id="emoji-congratulations"
    ),
    pytest.param(
        {"name": "王芳", "invitation": {"text": "你好。我是清华大学的博士生。很高兴认识你。"}},
        NONE,
        id="chinese-invitation",
    ),
    pytest.param(
        said("はじめまして。株式会社メルカリの採用担当の佐藤です。"), NONE, id="japanese-recruiter"
    ),
    pytest.param(
        said(
            "Здравствуйте, Ольга! Спасибо за доклад на конференции, было очень интересно. "
            "Буду рад оставаться на связи."
        ),
        NONE,
        id="russian-thanks-for-the-talk",
    ),
    pytest.param(
        {
            "messages": [
                {
                    "text": "Sure, add me on WhatsApp and I'll send the reports.",
                    "direction": "outgoing",
                }
            ]
        },
        NONE,
        id="own-outgoing-message-is-not-read",
    ),
    pytest.param(
        said("Thanks for connecting! " + "Lovely weather in Leeds today. " * 3_300),
        frozenset({NOT_READ}),
        id="benign-message-over-100k-characters-reported-as-not-fully-read",
    ),
    pytest.param({"name": "Ruth Adeyemi", "headline": "Nurse"}, SKIPPED, id="no-approach-known"),
]


@pytest.mark.parametrize(("profile", "expected"), PHRASES_POSITIVE)
def test_phrases_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive(PHRASES, profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), PHRASES_NEGATIVE)
def test_phrases_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative(PHRASES, profile, allowed)


# ---------------------------------------------------------------------------------------------
# approach.timing (3 incoming messages within 60 minutes without a reply; a first message within
# 10 minutes of connecting, or of the invitation when the time of connecting is unknown)

TIMING = "approach.timing"
BURST = "urgency.rapid_followups"
IMMEDIATE = "urgency.immediate_message"
SENT = tuple(f"messages[{i}].sent_at" for i in range(6))

TIMING_POSITIVE = [
    pytest.param(
        {"messages": [at("2026-03-02T09:00Z"), at("2026-03-02T09:20Z"), at("2026-03-02T09:45Z")]},
        [(BURST, SENT[:3])],
        id="three-messages-in-45-minutes",
    ),
    pytest.param(
        {"messages": [at("2026-03-02T09:00Z"), at("2026-03-02T09:30Z"), at("2026-03-02T10:00Z")]},
        [(BURST, SENT[:3])],
        id="three-messages-in-exactly-60-minutes",
    ),
    pytest.param(
        {
            "messages": [
                at("2026-03-01T08:00Z"),
                at("2026-03-02T09:00Z"),
                at("2026-03-02T09:10Z"),
                at("2026-03-02T09:12Z"),
            ]
        },
        [(BURST, SENT[1:4])],
        id="burst-after-an-earlier-message-names-only-the-burst",
    ),
    pytest.param(
        {
            "messages": [
                at("2026-03-02T09:00Z"),
                {"text": "Are you there?"},
                at("2026-03-02T09:05Z"),
                at("2026-03-02T09:06Z"),
            ]
        },
        [(BURST, (SENT[0], SENT[2], SENT[3]))],
        id="message-without-time-neither-counts-nor-breaks",
    ),
    pytest.param(
        {"connected_at": "2026-03-02T09:00:00Z", "messages": [at("2026-03-02T09:04:00Z")]},
        [(IMMEDIATE, ("connected_at", SENT[0]))],
        id="pitch-four-minutes-after-connecting",
    ),
    pytest.param(
        {"connected_at": "2026-03-02T09:00:00Z", "messages": [at("2026-03-02T09:10:00Z")]},
        [(IMMEDIATE, ("connected_at", SENT[0]))],
        id="pitch-exactly-ten-minutes-after-connecting",
    ),
    pytest.param(
        {
            "invitation": {"text": "Hello!", "sent_at": "2026-03-01T18:00:00Z"},
            "messages": [at("2026-03-01T18:07:00Z")],
        },
        [(IMMEDIATE, ("invitation.sent_at", SENT[0]))],
        id="connecting-time-unknown-seven-minutes-after-invitation",
    ),
    pytest.param(
        {"connected_at": "2026-03-02T09:00:00+01:00", "messages": [at("2026-03-02T08:05:00")]},
        [(IMMEDIATE, ("connected_at", SENT[0]))],
        id="time-zone-and-naive-utc-compared",
    ),
    pytest.param(
        {
            "connected_at": "2026-03-02T09:00:00Z",
            "messages": [at("2026-03-02T09:02Z"), at("2026-03-02T09:03Z"), at("2026-03-02T09:09Z")],
        },
        [(BURST, SENT[:3]), (IMMEDIATE, ("connected_at", SENT[0]))],
        id="immediate-pitch-and-burst",
    ),
]

TIMING_NEGATIVE = [
    pytest.param(
        {
            "messages": [
                at("2026-03-02T09:00Z"),
                at("2026-03-02T09:20Z"),
                at("2026-03-02T09:30Z", "Thanks, let me think.", "outgoing"),
                at("2026-03-02T09:45Z"),
            ]
        },
        NONE,
        id="reply-in-between",
    ),
    pytest.param(
        {"messages": [at("2026-03-02T09:00Z"), at("2026-03-02T09:20Z"), at("2026-03-02T10:01Z")]},
        NONE,
        id="three-messages-over-61-minutes",
    ),
    pytest.param(
        {"messages": [at("2026-03-02T09:00Z"), at("2026-03-02T09:01Z")]},
        NONE,
        id="only-two-quick-messages",
    ),
    pytest.param(
        {
            "messages": [
                at("2026-03-02T09:00Z", "Quick question", "outgoing"),
                at("2026-03-02T09:01Z", "and another", "outgoing"),
                at("2026-03-02T09:02Z", "sorry, one more", "outgoing"),
            ]
        },
        NONE,
        id="own-messages-in-quick-succession",
    ),
    pytest.param(
        {"messages": [at("2026-03-02"), at("2026-03-09"), at("2026-03-16")]},
        NONE,
        id="weekly-follow-ups",
    ),
    pytest.param(said("one", "two", "three"), NONE, id="times-unknown"),
    pytest.param(
        {"connected_at": "2026-03-02T09:00:00Z", "messages": [at("2026-03-05T09:04:00Z")]},
        NONE,
        id="first-message-three-days-after-connecting",
    ),
    pytest.param(
        {"connected_at": "2026-03-02T09:00:00Z", "messages": [at("2026-03-02T09:11:00Z")]},
        NONE,
        id="first-message-eleven-minutes-after-connecting",
    ),
    pytest.param(
        {"connected_at": "2026-03-02T09:00:00Z", "messages": [at("2026-03-01T17:00:00Z")]},
        NONE,
        id="message-before-connecting",
    ),
    pytest.param(
        {
            "connected_at": "2026-03-02T09:00:00Z",
            "messages": [
                at("2026-03-02T09:01:00Z", "Thanks for accepting, Mei!", "outgoing"),
                at("2026-03-04T11:00:00Z"),
            ],
        },
        NONE,
        id="the-person-wrote-first",
    ),
    pytest.param(
        {"messages": [at("2026-03-02T09:00Z")]}, NONE, id="one-message-nothing-to-compare"
    ),
    pytest.param(
        {"invitation": {"text": "Hi!", "sent_at": "2026-03-02T09:00:00Z"}},
        SKIPPED,
        id="only-an-invitation",
    ),
]


@pytest.mark.parametrize(("profile", "expected"), TIMING_POSITIVE)
def test_timing_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive(TIMING, profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), TIMING_NEGATIVE)
def test_timing_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative(TIMING, profile, allowed)


# ---------------------------------------------------------------------------------------------
# profile.text (claimed state links count alone; buzzwords need 4 and one per 15 words; stock
# machine-written phrases need 2 different ones)

TEXT = "profile.text"
STATE = "affiliation.state_links"
BUZZ = "content.buzzwords"
LLM = "style.llm_like"

TEXT_POSITIVE = [
    pytest.param(
        {"headline": "Senior Analyst at a state-owned energy group"},
        [(STATE, ("headline",))],
        id="state-owned-in-headline",
    ),
    pytest.param(
        {"about": "I work closely with government ministries on trade facilitation."},
        [(STATE, ("about",))],
        id="works-closely-with-ministries",
    ),
    pytest.param(
        {
            "experience": [
                role(
                    "Orion Partners",
                    title="Adviser",
                    description="Adviser to the Ministry of Commerce on foreign investment.",
                )
            ]
        },
        [(STATE, ("experience[0].description",))],
        id="adviser-to-a-ministry-in-experience",
    ),
    pytest.param(
        {
            "headline": "Former diplomat | Strategic advisory",
            "about": "We act on behalf of the government in trade negotiations.",
        },
        [(STATE, ("headline", "about"))],
        id="former-diplomat-and-on-behalf-of-government",
    ),
    pytest.param(
        {"about": "Ich arbeite eng mit Ministerien und Behörden zusammen."},
        [(STATE, ("about",))],
        id="german-close-to-ministries",
    ),
    pytest.param(
        {"about": "Ancien diplomate. Je travaille étroitement avec le gouvernement."},
        [(STATE, ("about",))],
        id="french-close-to-the-government",
    ),
    pytest.param(
        {"about": "Analista en una empresa estatal de energía."},
        [(STATE, ("about",))],
        id="spanish-state-company",
    ),
    pytest.param(
        {
            "about": "Visionary thought-leader. Synergy, disruption and innovation. Empowering "
            "stakeholders with bespoke, scalable solutions and transformative strategies."
        },
        [(BUZZ, ("about",) * 5)],
        id="buzzwords-and-little-else-five-excerpts-kept",
    ),
    pytest.param(
        {
            "headline": "Synergy | Innovation",
            "about": "Empowering visionary clients. "
            + "We answer the phone and keep the books in order every single week. " * 4,
        },
        [(BUZZ, ("headline", "headline", "about", "about"))],
        id="buzzwords-exactly-one-per-15-words",
    ),
    pytest.param(
        {
            "about": "In today's fast-paced world, I am passionate about leveraging data to "
            "unlock potential. A proven track record of delivering results."
        },
        [(LLM, ("about",) * 3)],
        id="stock-phrases-three",
    ),
    pytest.param(
        {
            "headline": "Seasoned professional in public affairs",
            "about": "I thrive in fast-paced environments and love working with people.",
        },
        [(LLM, ("headline", "about"))],
        id="stock-phrases-across-headline-and-about",
    ),
    pytest.param(
        {
            "headline": "Government-affiliated adviser",
            "about": "I delve into policy questions. My work is a testament to persistence.",
        },
        [(STATE, ("headline",)), (LLM, ("about", "about"))],
        id="state-links-and-stock-phrases",
    ),
]

TEXT_NEGATIVE = [
    pytest.param(
        {
            "headline": "Backend engineer at Monzo",
            "about": "I build payment systems in Go and Kotlin. Previously at Ocado. I run the "
            "London Gophers meetup and mentor juniors.",
        },
        NONE,
        id="ordinary-engineer",
    ),
    pytest.param(
        {
            "headline": "Lecturer in Medieval History, University of York",
            "about": "I teach and research monastic archives of the 12th century.",
        },
        NONE,
        id="ordinary-academic",
    ),
    pytest.param(
        {
            "about": "Innovative and strategic. I also write software for a hospital trust, "
            "mostly boring but important apps in Django, and I cycle to work every day."
        },
        NONE,
        id="two-buzzwords-among-plain-words",
    ),
    pytest.param(
        {
            "about": "Synergy, innovation and strategic excellence, as the brochure says. In "
            "practice I run the payroll for a bakery chain in Cardiff, fix the printers, order "
            "the flour, count the stock on Fridays, drive the van when Dave is off, answer every "
            "phone call myself, and still find time to coach the under-twelves football team on "
            "Saturday mornings in Splott park."
        },
        NONE,
        id="four-buzzwords-in-61-words",
    ),
    pytest.param(
        {"about": "I delve into data every day for the Met Office, building forecast pipelines."},
        NONE,
        id="one-stock-phrase-only",
    ),
    pytest.param(
        {"about": "Let's connect if you work on flood modelling."},
        NONE,
        id="lets-connect-alone",
    ),
    pytest.param(
        {"about": "We are not a state-owned company; we are owned by our employees."},
        NONE,
        id="not-state-owned",
    ),
    pytest.param(
        {
            "headline": "Data scientist | NHS",
            "about": "Not a thought leader. Just clean pipelines.",
        },
        NONE,
        id="not-a-thought-leader",
    ),
    pytest.param(
        {"about": "Ingénieure logiciel chez Thales. Je développe des systèmes embarqués."},
        NONE,
        id="french-engineer",
    ),
    pytest.param(
        {"about": "Softwareentwicklerin in Stuttgart, Schwerpunkt Fahrzeugelektronik."},
        NONE,
        id="german-engineer",
    ),
    pytest.param(
        {"about": "Ingeniera de software en Telefónica. Trabajo en redes 5G y automatización."},
        NONE,
        id="spanish-engineer",
    ),
    pytest.param(
        {"about": "أعمل مهندسة برمجيات في الرياض منذ عشر سنوات."}, NONE, id="arabic-engineer"
    ),
    pytest.param(
        {"about": "מהנדסת תוכנה בתל אביב, אוהבת מערכות מבוזרות."}, NONE, id="hebrew-engineer"
    ),
    pytest.param({"about": "Программист из Новосибирска, пишу на Rust."}, NONE, id="russian"),
    pytest.param({"about": "东京大学博士。研究机器学习。"}, NONE, id="chinese"),
    pytest.param(
        {"headline": "Marine biologist 🐋🌊 | diver", "about": "Counting whales since 2011 🐳"},
        NONE,
        id="emoji-headline",
    ),
    pytest.param({"experience": []}, NONE, id="experience-known-empty"),
    pytest.param({"name": "Kofi Mensah", "counts": {"connections": 300}}, SKIPPED, id="no-text"),
]


@pytest.mark.parametrize(("profile", "expected"), TEXT_POSITIVE)
def test_profile_text_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive(TEXT, profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), TEXT_NEGATIVE)
def test_profile_text_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative(TEXT, profile, allowed)


# ---------------------------------------------------------------------------------------------
# profile.employer (a current employer named only in generic words, with no website; a headline
# employer that the current role does not show)

EMPLOYER = "profile.employer"
GENERIC = "affiliation.generic_employer"
MISMATCH = "consistency.headline_mismatch"
GENERIC_EVIDENCE = ("experience[0].organisation", "contact.websites")

EMPLOYER_POSITIVE = [
    pytest.param(
        {"experience": [role("Lumen Strategic Advisory", current=True)]},
        [(GENERIC, GENERIC_EVIDENCE)],
        id="generic-name-with-one-distinctive-word",
    ),
    pytest.param(
        {"experience": [role("Global Research Institute", start="2024")]},
        [(GENERIC, GENERIC_EVIDENCE)],
        id="first-role-without-end-is-current",
    ),
    pytest.param(
        {"experience": [role("Eurasia Policy Council", current=True)], "contact": {"websites": []}},
        [(GENERIC, GENERIC_EVIDENCE)],
        id="empty-website-list",
    ),
    pytest.param(
        {"experience": [role("Meridian Talent Search", title="Headhunter", current=True)]},
        [(GENERIC, GENERIC_EVIDENCE)],
        id="generic-recruiter",
    ),
    pytest.param(
        {"experience": [role("Strategieberatung International", current=True)]},
        [(GENERIC, GENERIC_EVIDENCE)],
        id="german-compound-consultancy",
    ),
    pytest.param(
        {
            "experience": [
                role("Rolls-Royce", title="Engineer", start="2012", end="2018"),
                role("Asia Pacific Insights Group", current=True),
            ]
        },
        [(GENERIC, ("experience[1].organisation", "contact.websites"))],
        id="current-generic-role-after-a-named-one",
    ),
    pytest.param(
        {
            "headline": "Director at Northwind Capital",
            "experience": [role("Acme Robotics", current=True)],
        },
        [(MISMATCH, ("headline", "experience[0].organisation"))],
        id="headline-employer-not-the-current-one",
    ),
    pytest.param(
        {"headline": "Senior Engineer @ Google", "experience": [role("Meta", current=True)]},
        [(MISMATCH, ("headline", "experience[0].organisation"))],
        id="headline-at-sign",
    ),
    pytest.param(
        {
            "headline": "Analyst at Lumen Strategic Advisory",
            "experience": [role("Asia Pacific Insights Group", current=True)],
        },
        [(GENERIC, GENERIC_EVIDENCE), (MISMATCH, ("headline", "experience[0].organisation"))],
        id="generic-and-mismatched",
    ),
]

EMPLOYER_NEGATIVE = [
    pytest.param(
        {
            "experience": [role("Lumen Strategic Advisory", current=True)],
            "contact": {"websites": ["https://lumen-advisory.example"]},
        },
        NONE,
        id="generic-name-with-a-website",
    ),
    pytest.param(
        {"experience": [role("Deloitte Consulting", current=True)]}, NONE, id="deloitte-consulting"
    ),
    pytest.param(
        {"experience": [role("McKinsey & Company", current=True)]}, NONE, id="mckinsey-and-company"
    ),
    pytest.param(
        {"experience": [role("Frontier Economics", current=True)]},
        NONE,
        id="no-consultancy-word",
    ),
    pytest.param(
        {
            "experience": [
                role("Global Research Institute", start="2015", end="2019"),
                role("Rolls-Royce", start="2019", end="2023"),
            ]
        },
        NONE,
        id="generic-employer-in-the-past",
    ),
    pytest.param(
        {"headline": "Senior Engineer at Google", "experience": [role("Google", current=True)]},
        NONE,
        id="headline-matches",
    ),
    pytest.param(
        {
            "headline": "Research Scientist at Google DeepMind",
            "experience": [role("DeepMind", current=True)],
        },
        NONE,
        id="headline-shares-a-word",
    ),
    pytest.param(
        {
            "headline": "Engineer at Google",
            "experience": [role("Alphabet", current=True), role("Google", current=True)],
        },
        NONE,
        id="one-of-two-current-roles-matches",
    ),
    pytest.param(
        {"headline": "Software engineer", "experience": [role("Arm", current=True)]},
        NONE,
        id="headline-names-no-employer",
    ),
    pytest.param(
        {
            "headline": "Ingénieure logiciel chez Thales",
            "experience": [role("Thales Group", current=True)],
        },
        NONE,
        id="french-chez",
    ),
    pytest.param(
        {"headline": "Entwicklerin bei SAP", "experience": [role("SAP SE", current=True)]},
        NONE,
        id="german-bei",
    ),
    pytest.param(
        {
            "headline": "Ingeniera de datos en Telefónica",
            "experience": [role("Telefónica Tech", current=True)],
        },
        NONE,
        id="spanish-en",
    ),
    pytest.param(
        {"headline": "مهندس في أرامكو", "experience": [role("أرامكو السعودية", current=True)]},
        NONE,
        id="arabic-headline-and-employer",
    ),
    pytest.param(
        {"experience": [role("王氏咨询有限公司", current=True)]}, NONE, id="chinese-company-name"
    ),
    pytest.param(
        {
            "headline": "Director at Northwind Capital",
            "experience": [role("Acme Robotics", start="2015", end="2020")],
        },
        NONE,
        id="no-current-role",
    ),
    pytest.param(
        {"headline": "Head of Research at Northwind", "experience": []},
        NONE,
        id="experience-known-empty",
    ),
    pytest.param({"headline": "CEO at Northwind"}, SKIPPED, id="experience-unknown"),
]


@pytest.mark.parametrize(("profile", "expected"), EMPLOYER_POSITIVE)
def test_employer_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive(EMPLOYER, profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), EMPLOYER_NEGATIVE)
def test_employer_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative(EMPLOYER, profile, allowed)


# ---------------------------------------------------------------------------------------------
# text.obfuscation (invisible characters inside words; look-alike letters inside Latin words)

OBFUSCATION = "text.obfuscation"
RLM = "\u200f"  # right-to-left mark
ZWNJ = "\u200c"  # zero-width non-joiner
HIDDEN = "obfuscation.hidden_characters"
HOMOGLYPHS = "obfuscation.homoglyphs"

OBFUSCATION_POSITIVE = [
    pytest.param(
        said("Add me on What\u200bsApp please"), [(HIDDEN, MSG0)], id="zero-width-space-in-message"
    ),
    pytest.param(
        said("Add me on Wh\u0430tsApp please"), [(HOMOGLYPHS, MSG0)], id="cyrillic-a-in-message"
    ),
    pytest.param({"name": "J\u043ehn Smith"}, [(HOMOGLYPHS, ("name",))], id="cyrillic-o-in-name"),
    pytest.param(
        {"headline": "Senior Anal\u0443st at Northwind"},
        [(HOMOGLYPHS, ("headline",))],
        id="cyrillic-u-in-headline",
    ),
    pytest.param(
        {"experience": [role("N\u03bfrthwind Partners", description="Str\u03b1tegy work")]},
        [(HOMOGLYPHS, ("experience[0].organisation", "experience[0].description"))],
        id="greek-omicron-and-alpha-in-experience",
    ),
    pytest.param(
        {"about": "Tele\u2060gram: @nw_advisory"},
        [(HIDDEN, ("about",))],
        id="word-joiner-in-about",
    ),
    pytest.param(
        {"invitation": {"text": "Let's talk on Sig\u00adnal"}},
        [(HIDDEN, ("invitation.text",))],
        id="soft-hyphen-in-invitation",
    ),
    pytest.param(
        {"handle": "olivia\u200cbrown-3b9a2c71"},
        [(HIDDEN, ("handle",))],
        id="zero-width-non-joiner-in-handle",
    ),
    pytest.param(
        {
            "name": "Ann\u0430 Koval",
            "messages": [{"text": "Write to my pers\u200bonal g\u043cail"}],
        },
        [(HIDDEN, MSG0), (HOMOGLYPHS, ("name", "messages[0].text"))],
        id="both-tricks-in-name-and-message",
    ),
    pytest.param(
        said("Te\u200blegr\u0430m " * 7),
        [(HIDDEN, MSG0 * 5), (HOMOGLYPHS, MSG0 * 5)],
        id="seven-tricked-words-five-excerpts-kept",
    ),
]

OBFUSCATION_NEGATIVE = [
    pytest.param(
        said("Здравствуйте, Ольга! Спасибо за доклад на конференции. Пишите на почту."),
        NONE,
        id="genuine-russian-message",
    ),
    pytest.param(
        said("Переговоры в Москве, затем Berlin и Paris."),
        NONE,
        id="russian-with-latin-words-beside-it",
    ),
    pytest.param(
        {"name": "Олександр Петренко", "headline": "Інженер, Київ"},
        NONE,
        id="ukrainian-name-and-headline",
    ),
    pytest.param(said("Καλημέρα! Χάρηκα πολύ στο συνέδριο."), NONE, id="greek-message"),
    pytest.param(
        said(RLM + "مرحبا أحمد" + RLM + "، هل يمكننا التحدث؟"),
        NONE,
        id="arabic-with-right-to-left-marks-at-word-edges",
    ),
    pytest.param(
        said('שלום, אני עובדת ב-\u200eACME\u200e בע"מ'),
        NONE,
        id="hebrew-with-left-to-right-marks-around-a-latin-name",
    ),
    pytest.param(
        said("Family trip 👨\u200d👩\u200d👧 was great! ❤\ufe0f"),
        NONE,
        id="emoji-zero-width-joiner-sequence",
    ),
    pytest.param(said("\ufeffHello, pasted from a file"), NONE, id="byte-order-mark-at-the-start"),
    pytest.param(said("Word\u200b word"), NONE, id="zero-width-space-before-a-space"),
    pytest.param(
        {"name": "王芳", "messages": [{"text": "你好。很高兴认识你。"}]}, NONE, id="chinese"
    ),
    pytest.param({"name": "田中さくら"}, NONE, id="japanese-name"),
    pytest.param({"name": "José Álvarez-Núñez"}, NONE, id="accented-latin-name"),
    pytest.param(said("Résumé: naïve café in Zürich, Øresund, Łódź"), NONE, id="accented-words"),
    pytest.param(
        {"name": "Dr. Aisha O\u2019Brien", "headline": "αβ T-cell immunology | μm-scale imaging"},
        NONE,
        id="greek-symbols-as-separate-words",
    ),
    pytest.param(
        {"messages": [{"text": "my What\u200bsApp is fine", "direction": "outgoing"}]},
        NONE,
        id="own-outgoing-message-is-not-read",
    ),
    pytest.param({}, NONE, id="nothing-known"),
]


@pytest.mark.parametrize(("profile", "expected"), OBFUSCATION_POSITIVE)
def test_obfuscation_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive(OBFUSCATION, profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), OBFUSCATION_NEGATIVE)
def test_obfuscation_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative(OBFUSCATION, profile, allowed)


# ---------------------------------------------------------------------------------------------
# Evidence quotes the text it names, and the engine reports exactly what the detector found.

TABLES = {
    PHRASES: PHRASES_POSITIVE,
    TIMING: TIMING_POSITIVE,
    TEXT: TEXT_POSITIVE,
    EMPLOYER: EMPLOYER_POSITIVE,
    OBFUSCATION: OBFUSCATION_POSITIVE,
}
ENGINE_CASES = engine_cases(TABLES)


def engine_signals(detector_id: str, data: dict[str, Any]) -> tuple[Signal, ...]:
    """The signals the real engine reports when it runs only this detector."""
    detector = {cls.id: cls for cls in BUILTIN_DETECTORS}[detector_id]()
    engine = Engine(detectors=[detector], config=load_config())
    return engine.assess(Profile.model_validate(data), as_of=AS_OF).signals


def field_text(profile: Profile, path: str) -> str:
    """The text at a field path such as "messages[2].text" or "experience[0].organisation"."""
    value: Any = profile
    for part in path.split("."):
        name, _, index = part.partition("[")
        value = getattr(value, name)
        if index:
            value = value[int(index.rstrip("]"))]
    assert isinstance(value, str), path
    return value


@pytest.mark.parametrize(("detector_id", "profile"), ENGINE_CASES)
def test_excerpts_quote_the_original_text(detector_id: str, profile: dict[str, Any]) -> None:
    model = Profile.model_validate(profile)
    for signal in engine_signals(detector_id, profile):
        for evidence in signal.evidence:
            if evidence.excerpt is None:
                continue
            assert evidence.start is not None
            assert evidence.end is not None
            text = field_text(model, evidence.field)
            assert text[evidence.start : evidence.end] == evidence.excerpt, signal.code


@pytest.mark.parametrize(("detector_id", "profile"), ENGINE_CASES)
def test_engine_reports_the_same_signals(detector_id: str, profile: dict[str, Any]) -> None:
    assert_engine_agrees(detector_id, profile)


def test_excerpts_are_the_words_as_written() -> None:
    """Matching runs on folded text; the evidence shows what the person actually received."""
    text = "Please add me on Tele\u200bgram or Wh\u0430tsApp. Des honoraires GÉNÉREUX."
    signals = engine_signals(PHRASES, said(text))
    excerpts = {e.excerpt for signal in signals for e in signal.evidence}
    assert {"add me on", "Tele\u200bgram", "Wh\u0430tsApp", "honoraires GÉNÉREUX"} <= excerpts


def test_sequence_explanation_quotes_each_stage() -> None:
    profile = {
        "messages": [
            {"text": "We offer a consulting fee for a short report on port security."},
            {"text": "Who in your team is responsible for the harbour contracts?"},
            {"text": "Can we continue on Threema? It is more discreet."},
        ]
    }
    (sequence,) = [
        signal
        for signal in engine_signals(PHRASES, profile)
        if signal.code == "sequence.offer_probe_move"
    ]
    assert "'consulting fee'" in sequence.explanation
    assert "'Who in your team is responsible'" in sequence.explanation
    assert "'Threema'" in sequence.explanation


# ---------------------------------------------------------------------------------------------
# Known bugs: each test states the right behaviour and fails until the bug is fixed.


def test_timing_messages_out_of_order_a_day_apart_are_not_a_burst() -> None:
    profile = {
        "messages": [at("2026-03-03T10:00Z"), at("2026-03-02T10:00Z"), at("2026-03-02T10:05Z")]
    }
    assert_negative(TIMING, profile, NONE)


def test_employer_french_en_names_a_field_not_an_employer() -> None:
    profile = {
        "headline": "Doctorante en sociologie",
        "experience": [role("Université Lumière Lyon 2", title="Doctorante", current=True)],
    }
    assert_negative(EMPLOYER, profile, NONE)


def test_obfuscation_persian_zero_width_non_joiner_is_spelling() -> None:
    assert_negative(OBFUSCATION, said("می" + ZWNJ + "خواهم با شما صحبت کنم"), NONE)


def test_obfuscation_ohm_sign_is_not_a_homoglyph() -> None:
    assert_negative(
        OBFUSCATION, said("I design amplifiers with a 10 k\u2126 input impedance."), NONE
    )


def test_phrases_decomposed_accents_still_match() -> None:
    text = "Vous serez ge\u0301ne\u0301reusement re\u0301mune\u0301re\u0301 pour ce rapport."
    assert_positive(PHRASES, said(text), [("offer.high_pay", MSG0), ("offer.paid_reports", MSG0)])


def words_inside_a_match(pattern: str) -> Iterator[str]:
    """The words of `pattern` that sit strictly inside any match of it (not first, not last)."""
    elements = compile_pattern(pattern)
    for position, element in enumerate(elements):
        if not isinstance(element, Words):
            continue
        for alternative in element.alternatives:
            for offset, (word, _) in enumerate(alternative):
                first = position == 0 and offset == 0
                last = position == len(elements) - 1 and offset == len(alternative) - 1
                if not first and not last:
                    yield word


def negatable_patterns_with_a_negation_inside() -> list[str]:
    """Patterns of the rule files that are dropped whenever they match: a negation inside a
    match drops it, unless the pattern is listed as `fixed`."""
    config = load_config()
    negation = Negation.model_validate(config.params("language"))
    negators = {normalise(word).text for words in negation.words.values() for word in words}
    dead: list[str] = []
    for family in ("approach", "recognise"):
        for code, rule in config.params(family)["phrases"].items():
            for patterns in rule["phrases"].values():
                dead.extend(
                    f"{code}: {pattern}"
                    for pattern in patterns
                    if any(
                        word in negators or word.endswith("n't")
                        for word in words_inside_a_match(pattern)
                    )
                )
    return dead


def test_no_negatable_pattern_contains_a_negation() -> None:
    assert negatable_patterns_with_a_negation_inside() == []
