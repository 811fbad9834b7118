"""The HTML report of many assessments: ranked, self-contained, and safe from hostile text."""

from __future__ import annotations

import json
from html.parser import HTMLParser

from linkvet import assess
from linkvet.report.html_report import render_html_report
from tests.conftest import AS_OF, EXAMPLES

HOSTILE = {
    "name": '<script>alert("x")</script> Eve',
    "url": 'javascript:alert(1)" onmouseover="alert(2)',
    "headline": '=HYPERLINK("http://evil.example","click")',
    "invitation": {
        "text": "Our client pays a generous fee for short reports. <img src=x onerror=alert(3)>"
    },
}


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attributes: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self.attributes.extend(name for name, _ in attrs)


def test_hostile_text_is_shown_never_run() -> None:
    page = render_html_report([assess(HOSTILE, as_of=AS_OF)], title="Export of <b>me</b>")
    parser = _Tags()
    parser.feed(page)
    assert "script" not in parser.tags
    assert "img" not in parser.tags
    assert "a" not in parser.tags  # contact addresses are shown, never linked
    assert not [name for name in parser.attributes if name.startswith("on")]
    assert "&lt;script&gt;" in page
    assert "default-src 'none'" in page  # and the browser would refuse to load anything anyway


def test_contacts_are_listed_in_the_order_given_with_their_band() -> None:
    fake = assess(EXAMPLES / "case-study-consultancy.json", as_of=AS_OF)
    genuine = assess(json.loads((EXAMPLES / "genuine-contact.json").read_text()), as_of=AS_OF)
    page = render_html_report([fake, genuine], title="Scan", notes=["messages.csv missing"])
    assert page.index("Li Wen") < page.index("Priya Raman")
    assert ">high<" in page
    assert ">low<" in page
    assert "messages.csv missing" in page
    assert "1 high, 0 medium, 1 low" in page
