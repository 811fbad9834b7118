"""Render the test screenshots: HTML pages made to look like LinkedIn profiles, in Chromium.

Each persona is drawn in four layouts (desktop and phone, light and dark) in its own language,
and written to tests/fixtures/screenshots/ as a PNG with a JSON file of what a person can read in
it: only the fields that are actually inside the captured area count as ground truth. The
"dev" set was used while writing the reader; the "held-out" set (other people, window sizes and
zooms) was written afterwards and never used to tune it.

    .venv/bin/python -m scripts.render_screenshot_fixtures OUT_DIR [--set dev|held-out]

Needs Debian's chromium (`make browser-packages`). The personas are invented; the one photo is
public domain (examples/photos/SOURCES.md).
"""

from __future__ import annotations

import argparse
import base64
import json
from dataclasses import dataclass
from html import escape
from pathlib import Path
from typing import Any, Final

from playwright.sync_api import Page, sync_playwright

from scripts.chromium import launch_chromium

ROOT: Final = Path(__file__).resolve().parent.parent
PHOTO: Final = ROOT / "examples" / "photos" / "eileen-collins-nasa.jpg"

# The words LinkedIn shows around the fields, per interface language.
WORDS: Final[dict[str, dict[str, str]]] = {
    "en": {"contact": "Contact info", "followers": "{} followers", "connections": "{} connections",
           "many": "500+", "about": "About", "experience": "Experience", "education": "Education",
           "connect": "Connect", "message": "Message", "more": "More", "activity": "Activity",
           "present": "Present", "full_time": "Full-time", "see_more": "…see more",
           "home": "Home", "network": "My Network", "jobs": "Jobs", "messaging": "Messaging",
           "search": "Search", "also": "People also viewed"},
    "de": {"contact": "Kontaktinfo", "followers": "{} Follower:innen", "connections": "{} Kontakte",
           "many": "500+", "about": "Info", "experience": "Berufserfahrung", "education": "Ausbildung",
           "connect": "Vernetzen", "message": "Nachricht", "more": "Mehr", "activity": "Aktivitäten",
           "present": "Heute", "full_time": "Vollzeit", "see_more": "…mehr anzeigen",
           "home": "Startseite", "network": "Netzwerk", "jobs": "Jobs", "messaging": "Nachrichten",
           "search": "Suchen", "also": "Mitglieder haben sich auch angesehen"},
    "fr": {"contact": "Coordonnées", "followers": "{} abonnés", "connections": "{} relations",
           "many": "+ de 500", "about": "Infos", "experience": "Expérience", "education": "Formation",
           "connect": "Se connecter", "message": "Message", "more": "Plus", "activity": "Activité",
           "present": "aujourd’hui", "full_time": "Temps plein", "see_more": "…voir plus",
           "home": "Accueil", "network": "Réseau", "jobs": "Emplois", "messaging": "Messagerie",
           "search": "Recherche", "also": "Autres profils consultés"},
    "es": {"contact": "Información de contacto", "followers": "{} seguidores",
           "connections": "{} contactos", "many": "Más de 500", "about": "Acerca de",
           "experience": "Experiencia", "education": "Educación", "connect": "Conectar",
           "message": "Enviar mensaje", "more": "Más", "activity": "Actividad",
           "present": "actualidad", "full_time": "Jornada completa", "see_more": "…ver más",
           "home": "Inicio", "network": "Mi red", "jobs": "Empleos", "messaging": "Mensajes",
           "search": "Buscar", "also": "Otros perfiles vistos"},
}  # fmt: skip


@dataclass(frozen=True)
class Role:
    title: str
    organisation: str
    dates: str  # as LinkedIn shows them, in the persona's language
    location: str | None = None


@dataclass(frozen=True)
class Persona:
    key: str
    language: str
    name: str
    headline: str
    location: str
    followers: str  # as shown, e.g. "2,341"
    connections: str  # as shown; "many" means LinkedIn's capped 500+
    about: str
    roles: tuple[Role, ...]
    school: str
    photo: bool
    pronouns: str | None = None


PERSONAS: Final = (
    Persona(
        key="consultant-en", language="en", name="Dr. Elodie Marchand",
        headline="Senior Partner at Horizon Strategic Consulting | Geopolitical Risk | Ex-Government",
        location="Singapore", followers="2,341", connections="many",
        about=("I help governments and private clients understand policy in the Asia-Pacific "
               "region. Always happy to connect with experts for paid consulting opportunities."),
        roles=(Role("Senior Partner", "Horizon Strategic Consulting", "Jan 2021 - Present · 4 yrs 11 mos", "Singapore"),
               Role("Policy Adviser", "Ministry of Trade", "Mar 2015 - Dec 2020 · 5 yrs 10 mos")),
        school="London School of Economics", photo=True, pronouns="She/Her",
    ),
    Persona(
        key="engineer-en", language="en", name="Tom Okafor",
        headline="Embedded Software Engineer at Northwind Avionics",
        location="Bristol, England, United Kingdom", followers="412", connections="388",
        about=("Firmware for flight control computers, mostly C and Rust. I run the local "
               "embedded meetup and write about testing safety-critical code."),
        roles=(Role("Embedded Software Engineer", "Northwind Avionics", "Sep 2019 - Present · 6 yrs 3 mos", "Bristol, England"),
               Role("Graduate Engineer", "Severn Controls", "Jul 2017 - Aug 2019 · 2 yrs 2 mos")),
        school="University of Bath", photo=False,
    ),
    Persona(
        key="recruiter-de", language="de", name="Katrin Bäumer",
        headline="Senior Recruiterin bei Vantor Systems GmbH | Wir stellen ein!",
        location="München, Bayern, Deutschland", followers="8.210", connections="many",
        about=("Ich verbinde Ingenieurinnen und Ingenieure mit spannenden Aufgaben in der "
               "Luft- und Raumfahrt. Schreiben Sie mir gern zu offenen Stellen."),
        roles=(Role("Senior Recruiterin", "Vantor Systems GmbH", "Feb. 2020 – Heute · 5 Jahre 10 Monate", "München"),
               Role("Recruiterin", "Talentwerk AG", "Apr. 2016 – Jan. 2020 · 3 Jahre 10 Monate")),
        school="Universität Mannheim", photo=True,
    ),
    Persona(
        key="researcher-fr", language="fr", name="Julien Lefèvre",
        headline="Chercheur en cybersécurité chez Institut Delta",
        location="Lyon, Auvergne-Rhône-Alpes, France", followers="1 204", connections="many",
        about=("Je travaille sur la sécurité des systèmes industriels et la détection "
               "d’intrusions. Ancien doctorant de l’INSA Lyon."),
        roles=(Role("Chercheur en cybersécurité", "Institut Delta", "oct. 2020 - aujourd’hui · 5 ans 2 mois", "Lyon"),
               Role("Doctorant", "INSA Lyon", "sept. 2016 - sept. 2020 · 4 ans 1 mois")),
        school="INSA Lyon", photo=False,
    ),
    Persona(
        key="analyst-es", language="es", name="Lucía Fernández Ortega",
        headline="Analista de inteligencia de mercado en Grupo Meridiano",
        location="Madrid, Comunidad de Madrid, España", followers="967", connections="531",
        about=("Analizo tendencias del sector energético para clientes institucionales. "
               "Busco colaboraciones con expertos en política europea."),
        roles=(Role("Analista de inteligencia de mercado", "Grupo Meridiano", "ene. 2022 - actualidad · 3 años 11 meses", "Madrid"),
               Role("Consultora junior", "Iberconsult", "jun. 2019 - dic. 2021 · 2 años 7 meses")),
        school="Universidad Complutense de Madrid", photo=True,
    ),
    Persona(
        key="thinktank-en", language="en", name="Michael Chen",
        headline="Research Director, Global Policy Dialogue Institute",
        location="Washington DC-Baltimore Area", followers="96", connections="142",
        about=("Our institute brings together senior practitioners for closed-door dialogue. "
               "We commission short papers from experts and cover all travel costs."),
        roles=(Role("Research Director", "Global Policy Dialogue Institute", "May 2024 - Present · 1 yr 7 mos"),),
        school="Georgetown University", photo=True,
    ),
)  # fmt: skip


# Written after the reader was finished and never used to tune it: the honest figures.
HELD_OUT_PERSONAS: Final = (
    Persona(
        key="procurement-en", language="en", name="Sarah-Jane O'Neill",
        headline="Head of Procurement | Defence & Security Supply Chains | CIPS Fellow",
        location="Greater Manchester, England, United Kingdom", followers="1,087", connections="many",
        about=("Twenty years buying complex equipment for the public sector. Mentor, school "
               "governor and occasional marathon runner."),
        roles=(Role("Head of Procurement", "Castlegate Engineering Ltd", "Jun 2018 - Present · 7 yrs 6 mos", "Manchester"),
               Role("Category Manager", "Pennine Rail", "Jan 2012 - May 2018 · 6 yrs 5 mos", "Leeds")),
        school="Lancaster University", photo=True,
    ),
    Persona(
        key="diplomat-de", language="de", name="Dr. Friedrich Oßwald",
        headline="Berater für internationale Beziehungen | ehem. Auswärtiger Dienst",
        location="Berlin, Deutschland", followers="3.402", connections="many",
        about=("Ich unterstütze Unternehmen bei Fragen zu Exportkontrolle und Sanktionen. "
               "Vorträge und Gutachten auf Anfrage."),
        roles=(Role("Selbstständiger Berater", "Oßwald Consulting", "März 2021 – Heute · 4 Jahre 9 Monate", "Berlin"),
               Role("Referent", "Auswärtiges Amt", "Sept. 2005 – Feb. 2021 · 15 Jahre 6 Monate")),
        school="Freie Universität Berlin", photo=False,
    ),
    Persona(
        key="student-es", language="es", name="Andrés Gómez",
        headline="Estudiante de Ingeniería Aeroespacial | Buscando prácticas",
        location="Sevilla, Andalucía, España", followers="214", connections="198",
        about="Me interesan los sistemas de propulsión y los satélites pequeños.",
        roles=(Role("Becario de investigación", "Universidad de Sevilla", "sept. 2024 - actualidad · 1 año 3 meses"),),
        school="Universidad de Sevilla", photo=True,
    ),
)  # fmt: skip


@dataclass(frozen=True)
class Layout:
    key: str
    width: int
    height: int
    scale: float
    dark: bool
    phone: bool
    full_page: bool


LAYOUTS: Final = (
    Layout("desktop-light", 1280, 1500, 1, dark=False, phone=False, full_page=True),
    Layout("desktop-dark", 1440, 900, 1, dark=True, phone=False, full_page=False),
    Layout("phone-light", 390, 844, 3, dark=False, phone=True, full_page=False),
    Layout("phone-dark", 412, 915, 2.625, dark=True, phone=True, full_page=True),
)
# Window sizes and zooms the reader was not developed on.
HELD_OUT_LAYOUTS: Final = (
    Layout("laptop-light", 1366, 768, 1.25, dark=False, phone=False, full_page=False),
    Layout("desktop-dark-wide", 1920, 1080, 1, dark=True, phone=False, full_page=False),
    Layout("phone-light-small", 360, 800, 3, dark=False, phone=True, full_page=True),
    Layout("phone-dark", 412, 915, 2.625, dark=True, phone=True, full_page=False),
)
SETS: Final = {"dev": (PERSONAS, LAYOUTS), "held-out": (HELD_OUT_PERSONAS, HELD_OUT_LAYOUTS)}

LIGHT: Final = {"page": "#f4f2ee", "card": "#ffffff", "text": "rgba(0,0,0,0.9)",
                "muted": "rgba(0,0,0,0.6)", "link": "#0a66c2", "line": "#e8e8e8",
                "banner": "linear-gradient(135deg,#8fb3d9,#40617f)", "button": "#0a66c2",
                "nav": "#ffffff"}  # fmt: skip
DARK: Final = {"page": "#000000", "card": "#1b1f23", "text": "rgba(255,255,255,0.9)",
               "muted": "rgba(255,255,255,0.6)", "link": "#71b7fb", "line": "#38434f",
               "banner": "linear-gradient(135deg,#2d4257,#0d1b2a)", "button": "#71b7fb",
               "nav": "#1d2226"}  # fmt: skip


def _photo_data_url() -> str:
    return "data:image/jpeg;base64," + base64.b64encode(PHOTO.read_bytes()).decode()


GHOST_AVATAR: Final = (
    "data:image/svg+xml;base64,"
    + base64.b64encode(
        b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><rect width="100" '
        b'height="100" fill="#9db3c8"/><circle cx="50" cy="38" r="18" fill="#dbe4ee"/>'
        b'<ellipse cx="50" cy="92" rx="34" ry="26" fill="#dbe4ee"/></svg>'
    ).decode()
)


def _count_text(persona: Persona, words: dict[str, str]) -> tuple[str, str]:
    connections = words["many"] if persona.connections == "many" else persona.connections
    return (
        words["followers"].format(persona.followers),
        words["connections"].format(connections),
    )


def profile_html(persona: Persona, layout: Layout) -> str:
    """The page for one persona in one layout; every value is HTML-escaped."""
    words = WORDS[persona.language]
    colours = DARK if layout.dark else LIGHT
    followers, connections = _count_text(persona, words)
    avatar = _photo_data_url() if persona.photo else GHOST_AVATAR
    font = "'DejaVu Sans', sans-serif" if layout.phone else "'Liberation Sans', Arial, sans-serif"
    photo_size = 96 if layout.phone else 152
    current = persona.roles[0]
    pronouns = (
        f' <span class="pronouns">{escape(persona.pronouns)}</span>' if persona.pronouns else ""
    )
    roles = "".join(
        f'<li class="role"><div class="logo"></div><div><div class="title" data-field="role-title">'
        f"{escape(role.title)}</div>"
        f'<div class="org"><span data-field="role-org">{escape(role.organisation)}</span> · '
        f"{escape(words['full_time'])}</div>"
        f'<div class="muted">{escape(role.dates)}</div>'
        + (f'<div class="muted">{escape(role.location)}</div>' if role.location else "")
        + "</div></li>"
        for role in persona.roles
    )
    side_column = (
        ""
        if layout.phone
        else f'<div class="side"><div data-field="employer-side">{escape(current.organisation)}</div>'
        f"<div>{escape(persona.school)}</div></div>"
    )
    phone_employer = (
        f'<div class="muted small">{escape(current.organisation)} · {escape(persona.school)}</div>'
        if layout.phone
        else ""
    )
    nav = (
        f'<div class="nav"><span class="in">in</span><span class="search">{escape(words["search"])}</span></div>'
        if layout.phone
        else f'<div class="nav"><span class="in">in</span><span class="search">{escape(words["search"])}</span>'
        + "".join(
            f'<span class="navitem">{escape(words[k])}</span>'
            for k in ("home", "network", "jobs", "messaging")
        )
        + "</div>"
    )
    aside = (
        ""
        if layout.phone
        else f'<aside class="card aside"><h2>{escape(words["also"])}</h2>'
        '<div class="muted">Priya Raman · 2nd</div><div class="muted">Jonas Weber · 3rd+</div></aside>'
    )
    return f"""<!doctype html><html lang="{persona.language}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><style>
body {{ margin:0; background:{colours["page"]}; color:{colours["text"]}; font-family:{font}; }}
.nav {{ background:{colours["nav"]}; height:52px; display:flex; align-items:center; gap:28px;
  padding:0 16px; border-bottom:1px solid {colours["line"]}; font-size:12px; color:{colours["muted"]}; }}
.in {{ background:{colours["link"]}; color:{colours["card"]}; font-weight:700; border-radius:4px;
  padding:2px 6px; font-size:20px; }}
.search {{ background:{colours["line"]}; border-radius:4px; padding:8px 40px 8px 12px; font-size:14px; }}
.wrap {{ display:flex; gap:24px; justify-content:center; padding:{"0" if layout.phone else "24px"}; }}
.main {{ width:{"100%" if layout.phone else "804px"}; }}
.card {{ background:{colours["card"]}; border-radius:{"0" if layout.phone else "8px"};
  margin-bottom:8px; border:1px solid {colours["line"]}; overflow:hidden; }}
.banner {{ height:{"100px" if layout.phone else "200px"}; background:{colours["banner"]}; }}
.top {{ padding:0 24px 24px; position:relative; display:flow-root; }}
.avatar {{ width:{photo_size}px; height:{photo_size}px; border-radius:50%; object-fit:cover;
  border:4px solid {colours["card"]}; margin-top:-{photo_size * 2 // 3}px; display:block; }}
h1 {{ font-size:{"20px" if layout.phone else "24px"}; font-weight:600; margin:8px 0 0; }}
.pronouns {{ font-size:14px; font-weight:400; color:{colours["muted"]}; }}
.headline {{ font-size:{"14px" if layout.phone else "16px"}; margin-top:4px; max-width:560px; }}
.muted {{ color:{colours["muted"]}; font-size:14px; }}
.small {{ margin-top:4px; }}
.loc {{ font-size:14px; color:{colours["muted"]}; margin-top:8px; }}
.loc a, .counts {{ color:{colours["link"]}; font-weight:600; text-decoration:none; }}
.counts {{ font-size:14px; margin-top:8px; }}
.buttons {{ margin-top:12px; display:flex; gap:8px; }}
.btn {{ border-radius:16px; padding:6px 16px; font-weight:600; font-size:16px;
  border:1px solid {colours["button"]}; color:{colours["button"]}; }}
.btn.primary {{ background:{colours["button"]}; color:{colours["card"]}; }}
.side {{ position:absolute; right:24px; top:16px; width:230px; font-size:14px; font-weight:600; }}
.side div {{ margin-bottom:10px; }}
section {{ padding:16px 24px; }}
h2 {{ font-size:20px; font-weight:600; margin:0 0 12px; }}
.about {{ font-size:14px; line-height:20px; }}
ul {{ list-style:none; margin:0; padding:0; }}
.role {{ display:flex; gap:12px; margin-bottom:16px; }}
.logo {{ width:48px; height:48px; background:{colours["line"]}; flex:none; }}
.title {{ font-weight:600; font-size:16px; }}
.org {{ font-size:14px; }}
.aside {{ width:300px; align-self:flex-start; padding:16px; }}
</style></head><body>
{nav}
<div class="wrap"><div class="main">
<div class="card"><div class="banner"></div><div class="top">
<img class="avatar" data-field="photo" src="{avatar}" alt="">
{side_column}
<h1><span data-field="name">{escape(persona.name)}</span>{pronouns}</h1>
<div class="headline" data-field="headline">{escape(persona.headline)}</div>
{phone_employer}
<div class="loc"><span data-field="location">{escape(persona.location)}</span> · <a>{escape(words["contact"])}</a></div>
<div class="counts"><span data-field="followers">{escape(followers)}</span> · <span data-field="connections">{escape(connections)}</span></div>
<div class="buttons"><span class="btn primary">{escape(words["connect"])}</span>
<span class="btn">{escape(words["message"])}</span><span class="btn">{escape(words["more"])}</span></div>
</div></div>
<div class="card"><section><h2>{escape(words["about"])}</h2>
<div class="about" data-field="about">{escape(persona.about)}</div></section></div>
<div class="card"><section><h2>{escape(words["experience"])}</h2><ul>{roles}</ul></section></div>
<div class="card"><section><h2>{escape(words["education"])}</h2>
<div class="title">{escape(persona.school)}</div></section></div>
</div>{aside}</div></body></html>"""


def _visible(page: Page, selector: str, bottom: float) -> list[str]:
    """The texts of the elements matching `selector` that lie wholly inside the capture."""
    texts: list[str] = page.eval_on_selector_all(
        selector,
        "(els, bottom) => els.filter(e => e.getBoundingClientRect().bottom <= bottom)"
        ".map(e => e.innerText.trim())",
        bottom,
    )
    return texts


def truth_for(persona: Persona, layout: Layout, page: Page) -> dict[str, Any]:
    """What a reader of this capture can see, field by field."""
    bottom = (
        page.evaluate("document.documentElement.scrollHeight")
        if layout.full_page
        else layout.height
    )
    seen = {
        field: _visible(page, f'[data-field="{field}"]', bottom)
        for field in ("name", "headline", "location", "followers", "connections", "about",
                      "role-title", "role-org", "photo")
    }  # fmt: skip
    first = {field: values[0] if values else None for field, values in seen.items()}
    return {
        "persona": persona.key,
        "layout": layout.key,
        "language": persona.language,
        "name": first["name"],
        "headline": first["headline"],
        "location": first["location"],
        # Shown near the top in every layout: beside the name on a desktop, under it on a phone.
        "employer": persona.roles[0].organisation,
        "followers": _shown_number(persona.followers) if first["followers"] else None,
        "connections": (
            None
            if not first["connections"]
            else {"value": 500, "at_least": True}
            if persona.connections == "many"
            else {"value": _shown_number(persona.connections), "at_least": False}
        ),
        "about": first["about"],
        "experience": [
            {"title": title, "organisation": organisation}
            for title, organisation in zip(seen["role-title"], seen["role-org"], strict=False)
        ],
        "has_photo": persona.photo and bool(seen["photo"]),
    }


def _shown_number(text: str) -> int:
    return int("".join(character for character in text if character.isdigit()))


def render(out: Path, *, which: str = "dev") -> list[Path]:
    """Render one set ("dev" or "held-out") into `out`; returns the PNG paths."""
    personas, layouts = SETS[which]
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        for persona in personas:
            for layout in layouts:
                page = browser.new_page(
                    viewport={"width": layout.width, "height": layout.height},
                    device_scale_factor=layout.scale,
                    is_mobile=layout.phone,
                )
                page.set_content(profile_html(persona, layout), wait_until="load")
                stem = f"{persona.key}.{layout.key}"
                image = out / f"{stem}.png"
                page.screenshot(path=str(image), full_page=layout.full_page)
                truth = truth_for(persona, layout, page)
                (out / f"{stem}.json").write_text(
                    json.dumps(truth, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
                )
                page.close()
                written.append(image)
        browser.close()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path, help="folder for the PNG and JSON files")
    parser.add_argument("--set", dest="which", choices=sorted(SETS), default="dev")
    arguments = parser.parse_args()
    for image in render(arguments.out, which=arguments.which):
        print(image.relative_to(ROOT) if image.is_relative_to(ROOT) else image)


if __name__ == "__main__":
    main()
