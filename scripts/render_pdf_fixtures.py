"""Render the test PDFs: HTML pages made to look like LinkedIn's "Save to PDF" of a profile.

LinkedIn's PDF has two columns. The narrow grey sidebar holds Contact, Top Skills, Languages,
Certifications, Honors-Awards and Publications; the main column holds the name in large type, the
headline, the location in grey, then Summary, Experience and Education, with "Page 1 of 3" at the
foot of each page. Each persona below is drawn that way in its own language, printed by Chromium,
and written to tests/fixtures/linkedin_pdf/ as SLUG.pdf with SLUG.json: the `Profile` a reader
should get from it (what the PDF shows, and nothing more).

    .venv/bin/python -m scripts.render_pdf_fixtures [OUT_DIR]

Needs Debian's chromium (`make browser-packages`). The personas are invented.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Final

from playwright.sync_api import Browser, sync_playwright

from linkvet._dates import parse_duration_months
from linkvet.model import Profile
from scripts.chromium import launch_chromium

ROOT: Final = Path(__file__).resolve().parent.parent
FIXTURES: Final = ROOT / "tests" / "fixtures" / "linkedin_pdf"
# "Present" is judged against this month, so that the fixtures do not change from year to year.
AS_OF: Final = (2026, 11)

# The words LinkedIn prints around the fields, per interface language.
WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {"contact": "Contact", "skills": "Top Skills", "languages": "Languages",
           "certifications": "Certifications", "honors": "Honors-Awards",
           "publications": "Publications", "summary": "Summary", "experience": "Experience",
           "education": "Education", "present": "Present", "page": "Page {} of {}",
           "year": "year", "years": "years", "month": "month", "months": "months",
           "under_a_year": "less than a year"},
    "de": {"contact": "Kontakt", "skills": "Top-Kenntnisse", "languages": "Sprachen",
           "certifications": "Zertifikate", "honors": "Auszeichnungen",
           "publications": "Veröffentlichungen", "summary": "Zusammenfassung",
           "experience": "Berufserfahrung", "education": "Ausbildung", "present": "Heute",
           "page": "Seite {} von {}", "year": "Jahr", "years": "Jahre", "month": "Monat",
           "months": "Monate", "under_a_year": "weniger als ein Jahr"},
    "fr": {"contact": "Coordonnées", "skills": "Principales compétences", "languages": "Langues",
           "certifications": "Certifications", "honors": "Distinctions",
           "publications": "Publications", "summary": "Résumé", "experience": "Expérience",
           "education": "Formation", "present": "aujourd\u2019hui", "page": "Page {} sur {}",
           "year": "an", "years": "ans", "month": "mois", "months": "mois",
           "under_a_year": "moins d\u2019un an"},
    "es": {"contact": "Contactar", "skills": "Aptitudes principales", "languages": "Idiomas",
           "certifications": "Certificaciones", "honors": "Reconocimientos y premios",
           "publications": "Publicaciones", "summary": "Extracto", "experience": "Experiencia",
           "education": "Educación", "present": "actualidad", "page": "Página {} de {}",
           "year": "año", "years": "años", "month": "mes", "months": "meses",
           "under_a_year": "menos de un año"},
}  # fmt: skip
MONTHS: Final[dict[str, list[str]]] = {
    "en": "January February March April May June July August September October November "
          "December".split(),
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November "
          "Dezember".split(),
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre "
          "décembre".split(),
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre "
          "diciembre".split(),
}  # fmt: skip

# (year, month or None)
Month = tuple[int, int | None]


@dataclass(frozen=True)
class Role:
    title: str
    start: Month
    end: Month | None  # None: to the present
    location: str | None = None
    description: str | None = None


@dataclass(frozen=True)
class Company:
    name: str
    roles: tuple[Role, ...]


@dataclass(frozen=True)
class School:
    name: str
    degree: str | None = None
    field_of_study: str | None = None
    start: Month | None = None
    end: Month | None = None


@dataclass(frozen=True)
class Persona:
    slug: str
    language: str
    name: str
    headline: str
    location: str | None
    summary: str | None = None
    companies: tuple[Company, ...] = ()
    schools: tuple[School, ...] = ()
    skills: tuple[str, ...] = ()
    languages: tuple[tuple[str, str | None], ...] = ()
    certifications: tuple[str, ...] = ()
    honors: tuple[str, ...] = ()
    publications: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    phones: tuple[tuple[str, str], ...] = ()
    handle: str | None = None
    websites: tuple[tuple[str, str], ...] = ()
    paper: str = "A4"


PERSONAS: Final = (
    Persona(
        slug="senior_multipage",
        language="en",
        name="Margaret Okonkwo-Hale",
        headline="Chief Information Security Officer | Board Advisor | Building security "
        "programmes that survive contact with reality",
        location="Greater Manchester, England, United Kingdom",
        summary=(
            "I have spent twenty years defending networks, first as an analyst and then as the "
            "person who has to explain the risk to a board that would rather hear about revenue."
            "\n\n"
            "My teams have run incident response for financial services, energy and the public "
            "sector. I care about measurable controls, honest reporting and people who want to "
            "keep learning.\n"
            "• Security strategy and governance\n"
            "• Incident response at scale\n"
            "• Mentoring the next generation of officers"
            "\n\n"
            "Outside work I chair a charity that teaches coding to teenagers in Salford, and I "
            "sit on the advisory board of a university research centre on critical national "
            "infrastructure. I write and speak about security budgets, the psychology of "
            "incident response, and why most awareness training fails."
            "\n\n"
            "I am not looking for new roles, but I am always happy to talk to people starting out "
            "in the field."
        ),
        companies=(
            Company(
                "Northwind Financial Group",
                (
                    Role(
                        "Chief Information Security Officer",
                        (2021, 3),
                        None,
                        "Manchester, England, United Kingdom",
                        "Accountable for security across 14 countries and 9,000 staff.\n"
                        "• Cut mean time to contain incidents from nine days to thirty hours\n"
                        "• Took the group through its first ISO 27001 certification",
                    ),
                    Role(
                        "Deputy CISO",
                        (2018, 6),
                        (2021, 2),
                        "Manchester, England, United Kingdom",
                        "Built the security operations centre and the third-party risk office "
                        "from a team of four to a team of forty-two.",
                    ),
                    Role(
                        "Head of Security Operations",
                        (2016, 1),
                        (2018, 5),
                    ),
                ),
            ),
            Company(
                "Ofgem",
                (
                    Role(
                        "Cyber Security Lead, Networks",
                        (2012, 9),
                        (2015, 12),
                        "London, United Kingdom",
                        "Wrote the cyber assessment framework that energy network operators "
                        "are now inspected against, and led the first round of inspections.",
                    ),
                ),
            ),
            Company(
                "Greater Manchester Combined Authority and Transport for the North Joint Cyber "
                "Programme",
                (
                    Role(
                        "Head of Information Security, Governance, Risk and Compliance for the "
                        "Northern Powerhouse Programme",
                        (2012, 1),
                        (2012, 8),
                        "Manchester, England, United Kingdom",
                        "Set up the programme's security function on secondment: policies, a risk "
                        "register that the steering board actually read, and supplier assurance "
                        "for eleven local authorities and two transport operators.\n\n"
                        "Chaired the joint incident group during the 2012 ticketing outage, and "
                        "wrote the lessons-learned report that led to a shared monitoring "
                        "service across the region. The service ran for six years, handled over "
                        "two hundred incidents, and became the model for the later regional "
                        "cyber resilience centre.\n\n"
                        "• Policies: acceptable use, supplier security, incident handling\n"
                        "• Training: 1,400 staff through phishing awareness in four months\n"
                        "• Budget: £2.1m over three years, delivered 4% under",
                    ),
                ),
            ),
            Company(
                "Pennine Health NHS Trust",
                (
                    Role(
                        "Information Security Officer",
                        (2009, None),
                        (2012, None),
                        "Bolton, United Kingdom",
                    ),
                ),
            ),
            Company(
                "BT",
                (
                    Role(
                        "Security Analyst",
                        (2005, 9),
                        (2009, 1),
                        description="Monitored and triaged alerts for enterprise customers; "
                        "wrote the first playbooks for the night shift, which were still in use "
                        "when I left.",
                    ),
                    Role(
                        "Graduate Network Engineer",
                        (2005, 7),
                        (2005, 8),
                        "Ipswich, United Kingdom",
                    ),
                ),
            ),
            Company(
                "Sheffield City Council",
                (
                    Role(
                        "IT Support Technician (part-time)",
                        (2002, 6),
                        (2005, 6),
                        "Sheffield, United Kingdom",
                        "Desktop support for libraries and leisure centres during my degree. "
                        "Rebuilt the public-access PCs after a worm outbreak in 2003, which is "
                        "how I found out that security was the interesting part of the job.",
                    ),
                ),
            ),
        ),
        schools=(
            School(
                "The University of Manchester",
                "Master of Science - MSc",
                "Information Security",
                (2007, None),
                (2009, None),
            ),
            School(
                "University of Leeds",
                "Bachelor of Engineering - BEng",
                "Electronic and Electrical Engineering",
                (2001, 9),
                (2005, 6),
            ),
        ),
        skills=("Information Security Management", "Incident Response", "Risk Management"),
        languages=(("English", "Native or Bilingual"), ("Igbo", "Professional Working")),
        certifications=(
            "Certified Information Systems Security Professional (CISSP)",
            "Certified Information Security Manager",
        ),
        honors=("CISO of the Year, North West Cyber Awards",),
        publications=("Boards, Budgets and Breaches",),
        emails=("margaret.okonkwo-hale@example.com",),
        handle="margaret-okonkwo-hale-4a7b19203",
        websites=(("okonkwohale.example.org", "Personal"),),
    ),
    Persona(
        slug="short_no_summary",
        language="en",
        name="Tom Briggs",
        headline="Warehouse Team Leader at Hallam Logistics",
        location="Sheffield",
        companies=(
            Company(
                "Hallam Logistics",
                (
                    Role("Warehouse Team Leader", (2023, 4), None, "Sheffield, England"),
                    Role("Warehouse Operative", (2021, 1), (2023, 3)),
                ),
            ),
        ),
        skills=("Forklift Operation", "Stock Control", "Team Leadership"),
        handle="tom-briggs-sheffield",
    ),
    Persona(
        slug="german",
        language="de",
        name="Jürgen Weißmüller",
        headline="Leiter IT-Infrastruktur bei Stadtwerke Nordhausen",
        location="Erfurt, Thüringen, Deutschland",
        summary=(
            "Seit über fünfzehn Jahren betreibe ich Rechenzentren und Netze für kommunale "
            "Versorger. Mein Schwerpunkt liegt auf Verfügbarkeit, Informationssicherheit nach "
            "BSI IT-Grundschutz und der Ausbildung junger Fachkräfte."
        ),
        companies=(
            Company(
                "Stadtwerke Nordhausen GmbH",
                (
                    Role(
                        "Leiter IT-Infrastruktur",
                        (2019, 3),
                        None,
                        "Nordhausen, Thüringen, Deutschland",
                        "Verantwortung für Rechenzentrum, Netzwerk und Leitsystem-IT mit "
                        "einem Team von zwölf Mitarbeitenden.",
                    ),
                ),
            ),
            Company(
                "Deutsche Telekom",
                (
                    Role(
                        "Systemadministrator",
                        (2011, 10),
                        (2019, 2),
                        "Erfurt, Deutschland",
                    ),
                ),
            ),
        ),
        schools=(
            School(
                "Fachhochschule Erfurt",
                "Diplom-Informatiker (FH)",
                "Angewandte Informatik",
                (2006, None),
                (2011, None),
            ),
        ),
        skills=("Netzwerkadministration", "IT-Sicherheit", "VMware"),
        languages=(("Deutsch", "Muttersprache oder zweisprachig"), ("Englisch", "Fließend")),
        certifications=("ITIL Foundation",),
        emails=("j.weissmueller@example.de",),
        phones=(("+49 361 5550123", "Mobil"),),
        handle="juergen-weissmueller",
    ),
    Persona(
        slug="fake_persona",
        language="en",
        name="Dr. Emily Carter",
        headline="Senior Talent Acquisition Partner | Defence & Aerospace | Hiring cleared "
        "professionals for exciting overseas opportunities | DM me!!",
        location="London",
        summary=(
            "Passionate recruiter connecting top talent with life-changing opportunities. "
            "Our client, a leading global consultancy, pays very generously for short "
            "advisory projects. Discretion guaranteed. Message me on WhatsApp for details."
        ),
        companies=(
            Company(
                "Global Strategic Solutions Group",
                (
                    Role(
                        "Senior Talent Acquisition Partner",
                        (2024, 8),
                        None,
                    ),
                ),
            ),
            Company(
                "Self-employed",
                (Role("Consultant", (2023, 11), (2024, 7)),),
            ),
        ),
        schools=(School("Harvard University", "Doctor of Philosophy - PhD", None),),
        skills=("Recruiting", "Talent Acquisition", "Headhunting"),
        emails=("emily.carter.recruit@gmail.example",),
        handle="dr-emily-carter-recruiter-8841",
        websites=(("globalstrategic-solutions.example.net", "Company"),),
    ),
    Persona(
        slug="french_unicode",
        language="fr",
        name="Chloé Nguyễn-Łukasiewicz",
        headline="Ingénieure logiciel senior chez Société Générale · Œnologue à ses heures",
        location="Lyon, Auvergne-Rhône-Alpes, France",
        summary=(
            "Ingénieure passionnée par la qualité du code et l\u2019accessibilité. J\u2019ai travaillé à "
            "Paris, Kraków et Αθήνα avant de m\u2019installer à Lyon."
        ),
        companies=(
            Company(
                "Société Générale",
                (
                    Role(
                        "Ingénieure logiciel senior",
                        (2022, 2),
                        None,
                        "Lyon, Auvergne-Rhône-Alpes, France",
                        "Refonte de la plateforme de paiements en Kotlin ; mentorat de "
                        "quatre développeuses et développeurs juniors.",
                    ),
                ),
            ),
            Company(
                "Ελληνικά Ταχυδρομεία",
                (
                    Role(
                        "Développeuse back-end",
                        (2019, 9),
                        (2021, 12),
                        "Αθήνα, Ελλάδα",
                    ),
                ),
            ),
            Company(
                "Comarch",
                (
                    Role(
                        "Stagiaire développement",
                        (2019, 2),
                        (2019, 7),
                        "Kraków, Małopolskie, Pologne",
                    ),
                ),
            ),
        ),
        schools=(
            School(
                "INSA Lyon",
                "Diplôme d\u2019ingénieur",
                "Informatique",
                (2014, 9),
                (2019, 6),
            ),
        ),
        skills=("Kotlin", "Accessibilité numérique", "Revue de code"),
        languages=(
            ("Français", "Bilingue ou langue natale"),
            ("Polonais", "Capacité professionnelle complète"),
            ("Grec", "Notions"),
        ),
        emails=("chloe.nguyen@example.fr",),
        handle="chloe-nguyen-lukasiewicz",
    ),
    Persona(
        slug="spanish_letter",
        language="es",
        name="María José Peña Ibáñez",
        headline="Analista de datos en Telefónica",
        location="Madrid, Comunidad de Madrid, España",
        companies=(
            Company(
                "Telefónica",
                (
                    Role(
                        "Analista de datos",
                        (2020, 1),
                        None,
                        "Madrid, España",
                        "Cuadros de mando de calidad de red y modelos de previsión de averías.",
                    ),
                ),
            ),
        ),
        schools=(
            School(
                "Universidad Complutense de Madrid",
                "Grado",
                "Estadística",
                (2015, None),
                (2019, None),
            ),
        ),
        skills=("SQL", "Python", "Power BI"),
        languages=(("Español", "Nativo o bilingüe"), ("Inglés", "Competencia profesional")),
        certifications=("Google Data Analytics",),
        handle="mariajose-pena-ibanez",
        paper="Letter",
    ),
)


# ---------------------------------------------------------------------------------------------
# What the PDF shows


def month_text(month: Month, language: str) -> str:
    year, number = month
    if number is None:
        return str(year)
    name = MONTHS[language][number - 1]
    return f"{name} de {year}" if language == "es" else f"{name} {year}"


def duration_text(start: Month, end: Month | None, language: str) -> str:
    """LinkedIn's duration: months counted inclusively, or whole years for year-only dates."""
    words = WORDS[language]
    last = end or AS_OF
    if start[1] is None or last[1] is None:
        months = (last[0] - start[0]) * 12
    else:
        months = (last[0] - start[0]) * 12 + last[1] - start[1] + 1
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} {words['year' if years == 1 else 'years']}")
    if rest:
        parts.append(f"{rest} {words['month' if rest == 1 else 'months']}")
    return " ".join(parts) or words["under_a_year"]


def date_line(role: Role, language: str) -> str:
    end = month_text(role.end, language) if role.end else WORDS[language]["present"]
    duration = duration_text(role.start, role.end, language)
    return f"{month_text(role.start, language)} - {end} ({duration})"


def company_duration(company: Company, language: str) -> str:
    first = min(role.start for role in company.roles)
    ends = [role.end for role in company.roles]
    last = None if None in ends else max(end for end in ends if end is not None)
    return duration_text(first, last, language)


def degree_line(school: School, language: str) -> str | None:
    text = ", ".join(part for part in (school.degree, school.field_of_study) if part)
    if school.start and school.end:
        dates = f"({month_text(school.start, language)} - {month_text(school.end, language)})"
        text = f"{text} · {dates}" if text else dates
    return text or None


def linkedin_line(handle: str) -> str:
    return f"www.linkedin.com/in/{handle} (LinkedIn)"


# ---------------------------------------------------------------------------------------------
# The page

STYLE: Final = """
@page { margin: 0.45in 0 0.55in 0; }
* { box-sizing: border-box; }
html, body { margin: 0; padding: 0; }
body { font-family: "Liberation Sans", Arial, sans-serif; color: #181818;
       -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.shade { position: fixed; left: 0; top: -1in; bottom: -1in; width: 190pt;
         background: #f2f4f5; z-index: -1; }
.layout { display: flex; align-items: flex-start; }
.side { width: 190pt; flex: none; padding: 4pt 16pt 0 26pt; font-size: 10.5pt;
        line-height: 1.32; }
.side h3 { font-size: 13pt; font-weight: normal; color: #000; margin: 16pt 0 5pt; }
.side h3:first-child { margin-top: 0; }
.side p { margin: 0 0 4pt; }
.main { flex: 1; padding: 0 40pt 0 26pt; min-width: 0; }
.name { font-size: 26pt; color: #000; margin: 0 0 4pt; line-height: 1.15; }
.headline { font-size: 12pt; margin: 0 0 3pt; line-height: 1.3; }
.grey { color: #8c8c8c; }
.where { font-size: 10.5pt; margin: 0; }
h2 { font-size: 15.75pt; font-weight: normal; color: #000; margin: 20pt 0 8pt;
     break-after: avoid; }
.text { font-size: 10.5pt; line-height: 1.35; white-space: pre-wrap; margin: 0; }
.company { font-size: 12pt; font-weight: bold; margin: 14pt 0 1pt; break-after: avoid; }
.total { font-size: 10.5pt; margin: 0 0 2pt; }
.role { margin: 6pt 0 0; }
.role .head { break-inside: avoid; }
.title { font-size: 11.5pt; margin: 0 0 1pt; }
.when, .place { font-size: 10.5pt; margin: 0; }
.role .text { margin-top: 4pt; }
.school { font-size: 12pt; font-weight: bold; margin: 12pt 0 2pt; break-after: avoid; }
"""


def side_section(title: str, lines: Sequence[str]) -> str:
    if not lines:
        return ""
    items = "".join(f"<p>{escape(line)}</p>" for line in lines)
    return f"<h3>{escape(title)}</h3>{items}"


def page_html(persona: Persona) -> str:
    words = WORDS[persona.language]
    contact = [
        *persona.emails,
        *(f"{number} ({kind})" for number, kind in persona.phones),
        *([linkedin_line(persona.handle)] if persona.handle else []),
        *(f"{url} ({kind})" for url, kind in persona.websites),
    ]
    languages = [f"{name} ({level})" if level else name for name, level in persona.languages]
    side = "".join(
        (
            side_section(words["contact"], contact),
            side_section(words["skills"], persona.skills),
            side_section(words["languages"], languages),
            side_section(words["certifications"], persona.certifications),
            side_section(words["honors"], persona.honors),
            side_section(words["publications"], persona.publications),
        )
    )
    main = [
        f'<div class="name">{escape(persona.name)}</div>',
        f'<div class="headline">{escape(persona.headline)}</div>',
    ]
    if persona.location:
        main.append(f'<p class="where grey">{escape(persona.location)}</p>')
    if persona.summary:
        main.append(f"<h2>{escape(words['summary'])}</h2>")
        main.append(f'<p class="text">{escape(persona.summary)}</p>')
    if persona.companies:
        main.append(f"<h2>{escape(words['experience'])}</h2>")
        for company in persona.companies:
            main.append(f'<div class="company">{escape(company.name)}</div>')
            if len(company.roles) > 1:
                total = company_duration(company, persona.language)
                main.append(f'<p class="total grey">{escape(total)}</p>')
            for role in company.roles:
                main.append(role_html(role, persona.language))
    if persona.schools:
        main.append(f"<h2>{escape(words['education'])}</h2>")
        for school in persona.schools:
            main.append(f'<div class="school">{escape(school.name)}</div>')
            if (line := degree_line(school, persona.language)) is not None:
                main.append(f'<p class="text">{escape(line)}</p>')
    return (
        f'<!doctype html><html lang="{persona.language}"><head><meta charset="utf-8">'
        f"<style>{STYLE}</style></head><body>"
        f'<div class="shade"></div><div class="layout"><div class="side">{side}</div>'
        f'<div class="main">{"".join(main)}</div></div></body></html>'
    )


def role_html(role: Role, language: str) -> str:
    head = [
        f'<div class="title">{escape(role.title)}</div>',
        f'<p class="when grey">{escape(date_line(role, language))}</p>',
    ]
    if role.location:
        head.append(f'<p class="place grey">{escape(role.location)}</p>')
    body = f'<p class="text">{escape(role.description)}</p>' if role.description else ""
    return f'<div class="role"><div class="head">{"".join(head)}</div>{body}</div>'


def footer_html(language: str) -> str:
    page = escape(WORDS[language]["page"]).format(
        '<span class="pageNumber"></span>', '<span class="totalPages"></span>'
    )
    return (
        '<div style="width:100%;text-align:center;font-size:9pt;color:#9a9a9a;'
        "font-family:'Liberation Sans',Arial,sans-serif;-webkit-print-color-adjust:exact;\">"
        f"{page}</div>"
    )


# ---------------------------------------------------------------------------------------------
# What a reader should get


def expected_profile(persona: Persona) -> Profile:
    """The profile the PDF shows. Sections the PDF always prints when they have entries
    (experience, education, top skills, languages, certifications) are `[]` when absent."""
    language = persona.language
    contact: dict[str, Any] = {
        "emails": list(persona.emails) or None,
        "phones": [number for number, _ in persona.phones] or None,
        "websites": [url for url, _ in persona.websites] or None,
    }
    experience = [
        {
            "title": role.title,
            "organisation": company.name,
            "location": role.location,
            "start": month_value(role.start),
            "end": month_value(role.end) if role.end else None,
            "current": True if role.end is None else None,
            "duration_months": parse_duration_months(duration_text(role.start, role.end, language)),
            "description": role.description,
        }
        for company in persona.companies
        for role in company.roles
    ]
    education = [
        {
            "school": school.name,
            "degree": school.degree,
            "field_of_study": school.field_of_study,
            "start": month_value(school.start) if school.start else None,
            "end": month_value(school.end) if school.end else None,
        }
        for school in persona.schools
    ]
    return Profile.model_validate(
        {
            "platform": "linkedin",
            "url": f"https://www.linkedin.com/in/{persona.handle}" if persona.handle else None,
            "handle": persona.handle,
            "name": persona.name,
            "headline": persona.headline,
            "location": persona.location,
            "about": persona.summary,
            "experience": experience,
            "education": education,
            "skills": [{"name": skill} for skill in persona.skills],
            "languages": [
                {"name": name, "proficiency": level} for name, level in persona.languages
            ],
            "certifications": [{"name": name} for name in persona.certifications],
            "contact": contact if any(contact.values()) else None,
        }
    )


def month_value(month: Month) -> str:
    year, number = month
    return str(year) if number is None else f"{year:04d}-{number:02d}"


# ---------------------------------------------------------------------------------------------


def render(out: Path, personas: Sequence[Persona] = PERSONAS) -> Iterator[Path]:
    """Print each persona to OUT/SLUG.pdf and write OUT/SLUG.json beside it."""
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        try:
            for persona in personas:
                yield print_pdf(browser, persona, out / f"{persona.slug}.pdf")
                expected = expected_profile(persona).model_dump(mode="json", exclude_none=True)
                (out / f"{persona.slug}.json").write_text(
                    json.dumps(expected, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
        finally:
            browser.close()


def print_pdf(browser: Browser, persona: Persona, target: Path) -> Path:
    page = browser.new_page()
    try:
        page.set_content(page_html(persona))
        page.pdf(
            path=str(target),
            format=persona.paper,
            print_background=True,
            display_header_footer=True,
            header_template="<span></span>",
            footer_template=footer_html(persona.language),
            margin={"top": "0.45in", "bottom": "0.55in", "left": "0", "right": "0"},
        )
    finally:
        page.close()
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, nargs="?", default=FIXTURES, help="output folder")
    arguments = parser.parse_args()
    for written in render(arguments.out):
        print(written.relative_to(ROOT) if written.is_relative_to(ROOT) else written)


if __name__ == "__main__":
    main()
