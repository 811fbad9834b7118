"""Per-detector case tables for the career-timeline family (`linkvet.detectors.timeline`).

In the style of Presidio's per-recognizer tests: each detector has a table of positive cases
(profile -> the exact signals expected, each with the field paths its evidence names) and a table
of negative cases (profile -> no risk signal, or the detector skipped because a field it needs is
unknown). Inputs are realistic careers: year-only dates, "Present", promotions with overlapping
dates, board seats beside a job, part-time MBAs, mature students, degrees still under way.

Every case runs against the real rule files and a fixed reference date, so results never depend on
today's date. The detectors are called directly (an exception fails the test instead of being
recorded as a skip), and a final test checks that the engine reports the same signals.
"""

from __future__ import annotations

from typing import Any, Final

import pytest

from tests.detectors.cases import (
    NONE,
    SKIPPED,
    Allowed,
    Expected,
    assert_engine_agrees,
    assert_negative,
    assert_positive,
    engine_cases,
)


def job(
    title: str,
    organisation: str,
    start: str | int | None,
    end: str | int | None = "Present",
    **more: Any,
) -> dict[str, Any]:
    """An experience entry as a profile shows it; `end` is "Present" unless given."""
    entry: dict[str, Any] = {"title": title, "organisation": organisation, **more}
    if start is not None:
        entry["start"] = start
    if end is not None:
        entry["end"] = end
    return entry


def school(
    name: str, degree: str, start: str | int | None, end: str | int | None, **more: Any
) -> dict[str, Any]:
    entry: dict[str, Any] = {"school": name, "degree": degree, **more}
    if start is not None:
        entry["start"] = start
    if end is not None:
        entry["end"] = end
    return entry


# ---------------------------------------------------------------------------------------------
# timeline.dates (seen on 2026-11-20; durations may be 2 months off)

END_BEFORE_START = "timeline.end_before_start"
FUTURE = "timeline.future_date"
DURATION = "timeline.duration_mismatch"

DATES_POSITIVE = [
    pytest.param(
        {"experience": [job("Analyst", "Barclays", "Mar 2021", "Jan 2020")]},
        [(END_BEFORE_START, ("experience[0].start", "experience[0].end"))],
        id="ends-ten-months-before-it-starts",
    ),
    pytest.param(
        {
            "experience": [
                job("Data Engineer", "Monzo", "2020"),
                job("Developer", "Sage", 2019, 2018),
            ]
        },
        [(END_BEFORE_START, ("experience[1].start", "experience[1].end"))],
        id="year-only-2019-to-2018",
    ),
    pytest.param(
        {"education": [school("University of Bristol", "BSc Physics", "Sep 2016", "Jun 2015")]},
        [(END_BEFORE_START, ("education[0].start", "education[0].end"))],
        id="degree-ends-before-it-starts",
    ),
    pytest.param(
        {"experience": [job("Policy Adviser", "Cabinet Office", "2027-03")]},
        [(FUTURE, ("experience[0].start",))],
        id="job-starts-after-the-day-seen",
    ),
    pytest.param(
        {"experience": [job("Research Fellow", "Imperial College London", "Jan 2025", "Jun 2027")]},
        [(FUTURE, ("experience[0].end",))],
        id="job-ends-after-the-day-seen",
    ),
    pytest.param(
        {"experience": [job("Consultant", "KPMG", "2027-01", "2027-06")]},
        [(FUTURE, ("experience[0].start",)), (FUTURE, ("experience[0].end",))],
        id="job-entirely-in-the-future",
    ),
    pytest.param(
        {"education": [school("University of Oxford", "DPhil", 2028, 2031)]},
        [(FUTURE, ("education[0].start",))],
        id="degree-starts-after-the-day-seen",
    ),
    pytest.param(
        {
            "experience": [
                job(
                    "Sales Executive",
                    "Oracle",
                    "Jan 2020",
                    "Dec 2020",
                    duration_months="3 yrs 2 mos",
                )
            ]
        },
        [(DURATION, ("experience[0].duration_months", "experience[0].start"))],
        id="one-year-shown-as-3-yrs-2-mos",
    ),
    pytest.param(
        {"experience": [job("Account Director", "WPP", "Jan 2024", duration_months="6 mos")]},
        [(DURATION, ("experience[0].duration_months", "experience[0].start"))],
        id="current-role-shown-as-6-mos",
    ),
    pytest.param(
        {
            "experience": [
                job("Buyer", "Tesco", "Jan 2021", "Dec 2023", duration_months="less than a year")
            ]
        },
        [(DURATION, ("experience[0].duration_months", "experience[0].start"))],
        id="three-years-shown-as-less-than-a-year",
    ),
]

DATES_NEGATIVE = [
    pytest.param(
        {"experience": [job("Teaching Assistant", "St Mary's School", 2019, 2019)]},
        NONE,
        id="year-only-same-year",
    ),
    pytest.param(
        {"experience": [job("Intern", "Rolls-Royce", "2019", "Jan 2019")]},
        NONE,
        id="year-only-start-month-end-same-year",
    ),
    pytest.param(
        {"experience": [job("Nurse", "NHS Lothian", "Jan 2018", "Present")]}, NONE, id="present"
    ),
    pytest.param(
        {"experience": [job("Nurse", "NHS Lothian", "Jan 2018", "heute")]},
        NONE,
        id="present-in-german",
    ),
    pytest.param(
        {"education": [school("University of Leeds", "BSc Computer Science", 2024, 2028)]},
        NONE,
        id="degree-under-way-future-end",
    ),
    pytest.param(
        {"education": [school("ETH Zürich", "PhD", "Sep 2023", "Present")]},
        NONE,
        id="doctorate-ongoing",
    ),
    pytest.param(
        {
            "experience": [
                job(
                    "Engineer", "BAE Systems", "Jan 2020", "Mar 2023", duration_months="3 yrs 3 mos"
                )
            ]
        },
        NONE,
        id="duration-as-linkedin-counts-it",
    ),
    pytest.param(
        {
            "experience": [
                job("Engineer", "Thales", "Jun 2022", "May 2023", duration_months="11 mos")
            ]
        },
        NONE,
        id="duration-one-month-off",
    ),
    pytest.param(
        {"experience": [job("Engineer", "Thales", "2015", "2018", duration_months="3 yrs")]},
        NONE,
        id="duration-with-year-only-dates",
    ),
    pytest.param(
        {
            "experience": [
                job("Analyste", "BNP Paribas", "janv. 2020", "déc. 2021", duration_months="2 ans")
            ]
        },
        NONE,
        id="french-dates-and-duration",
    ),
    pytest.param(
        {
            "experience": [
                job(
                    "Barista",
                    "Pret A Manger",
                    "Mar 2026",
                    "Jun 2026",
                    duration_months="less than a year",
                )
            ]
        },
        NONE,
        id="four-months-shown-as-less-than-a-year",
    ),
    pytest.param(
        {"experience": [job("Graduate Engineer", "Arup", "Nov 2026", duration_months="1 mo")]},
        NONE,
        id="started-this-month",
    ),
    pytest.param(
        {"experience": [job("Engineer", "Arup", "2026")]}, NONE, id="year-only-start-this-year"
    ),
    pytest.param(
        {"experience": [job("Engineer", "Arup", "2026-11-20")]}, NONE, id="starts-the-day-seen"
    ),
    pytest.param(
        {"name": "Tom Reed", "skills": [{"name": "Python"}]},
        SKIPPED,
        id="no-experience-or-education",
    ),
]


@pytest.mark.parametrize(("profile", "expected"), DATES_POSITIVE)
def test_dates_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive("timeline.dates", profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), DATES_NEGATIVE)
def test_dates_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative("timeline.dates", profile, allowed)


# ---------------------------------------------------------------------------------------------
# timeline.overlap (full-time roles >= 3 months; roles of unknown type >= 12 months)

FULL_TIME = "timeline.overlap_full_time"
UNKNOWN_TYPE = "timeline.overlap_unknown_type"
FT: Final = {"employment_type": "Full-time"}

OVERLAP_POSITIVE = [
    pytest.param(
        {
            "experience": [
                job("Cloud Architect", "Accenture", "Jan 2020", **FT),
                job("Solutions Architect", "IBM", "Jan 2018", "Jun 2020", **FT),
            ]
        },
        [(FULL_TIME, ("experience[0]", "experience[1]"))],
        id="two-full-time-jobs-six-months",
    ),
    pytest.param(
        {
            "experience": [
                job("Security Analyst", "Darktrace", "Jan 2023", **FT),
                job("Threat Intelligence Lead", "Mandiant", "Mar 2023", **FT),
            ]
        },
        [(FULL_TIME, ("experience[0]", "experience[1]"))],
        id="two-current-full-time-jobs",
    ),
    pytest.param(
        {
            "experience": [
                job("Software Engineer", "Acme", "Mar 2019", "Feb 2022"),
                job("Data Scientist", "Globex", "Jan 2020", "Dec 2023"),
            ]
        },
        [(UNKNOWN_TYPE, ("experience[0]", "experience[1]"))],
        id="unknown-types-two-years",
    ),
    pytest.param(
        {
            "experience": [
                job("Operations Manager", "DHL", "Jan 2021", **FT),
                job("Logistics Coordinator", "Maersk", "Jun 2019", "Jun 2022"),
            ]
        },
        [(UNKNOWN_TYPE, ("experience[0]", "experience[1]"))],
        id="full-time-and-unknown-type-18-months",
    ),
    pytest.param(
        {
            "experience": [
                job("Engineer", "Siemens", 2015, 2018),
                job("Engineer", "ABB", 2016, 2019),
            ]
        },
        [(UNKNOWN_TYPE, ("experience[0]", "experience[1]"))],
        id="year-only-dates-at-least-14-months",
    ),
    pytest.param(
        {
            "experience": [
                job("Consultant", "Deloitte", "Jan 2021", **FT),
                job("Senior Consultant", "EY", "Jun 2021", **FT),
            ]
        },
        [(FULL_TIME, ("experience[0]", "experience[1]"))],
        id="side-role-word-in-title-but-stated-full-time",
    ),
    pytest.param(
        {
            "experience": [
                job("Director", "Alpha Ltd", "Jan 2022", **FT),
                job("Director", "Beta Ltd", "Feb 2022", **FT),
                job("Director", "Gamma Ltd", "Mar 2022", **FT),
            ]
        },
        [
            (FULL_TIME, ("experience[0]", "experience[1]")),
            (FULL_TIME, ("experience[0]", "experience[2]")),
            (FULL_TIME, ("experience[1]", "experience[2]")),
        ],
        id="three-full-time-jobs-at-once",
    ),
]

OVERLAP_NEGATIVE = [
    pytest.param(
        {
            "experience": [
                job("Senior Engineer", "Arm", "2018", **FT),
                job("Technical Advisor", "Quantum Startup Ltd", "2021"),
            ]
        },
        NONE,
        id="advisor-beside-full-time-job",
    ),
    pytest.param(
        {
            "experience": [
                job("Head of Finance", "Unilever", "2016", **FT),
                job("Board Member", "Shelter", "2019"),
            ]
        },
        NONE,
        id="board-member-beside-full-time-job",
    ),
    pytest.param(
        {
            "experience": [
                job("Principal Engineer", "Rolls-Royce", "2014", **FT),
                job("Co-Founder", "Drone Labs", "2020"),
            ]
        },
        NONE,
        id="co-founder-side-venture",
    ),
    pytest.param(
        {
            "experience": [
                job("Engineering Manager", "Acme Corp", "May 2021", **FT),
                job("Senior Software Engineer", "ACME Corp", "Jan 2019", "Aug 2021", **FT),
            ]
        },
        NONE,
        id="promotion-same-company-overlapping-dates",
    ),
    pytest.param(
        {
            "experience": [
                job("Pharmacist", "Boots", "2019", **FT),
                job("Locum Pharmacist", "Lloyds", "2020", employment_type="part-time"),
            ]
        },
        NONE,
        id="part-time-beside-full-time",
    ),
    pytest.param(
        {
            "experience": [
                job("Designer", "BBC", "2018", **FT),
                job("Illustrator", "Self", "2019", employment_type="freelance"),
            ]
        },
        NONE,
        id="freelance-beside-full-time",
    ),
    pytest.param(
        {
            "experience": [
                job("Teacher", "Harris Academy", "2017", **FT),
                job("Youth Leader", "Scouts", "2017", employment_type="volunteer"),
            ]
        },
        NONE,
        id="volunteering-beside-full-time",
    ),
    pytest.param(
        {
            "experience": [
                job("Engineer", "Siemens", 2015, 2017),
                job("Engineer", "ABB", 2017, 2020),
            ]
        },
        NONE,
        id="year-only-back-to-back",
    ),
    pytest.param(
        {
            "experience": [
                job("Analyst", "Aviva", "Jan 2019", "Mar 2020", **FT),
                job("Analyst", "Legal & General", "Mar 2020", **FT),
            ]
        },
        NONE,
        id="one-month-handover-full-time",
    ),
    pytest.param(
        {
            "experience": [
                job("Developer", "Sky", "Jan 2019", "Jun 2021"),
                job("Developer", "BT", "Jan 2021", "Dec 2022"),
            ]
        },
        NONE,
        id="unknown-types-six-months",
    ),
    pytest.param(
        {
            "experience": [
                job("Analyst", "Aviva", "2015", None, **FT),
                job("Analyst", "Zurich", "2016", **FT),
            ]
        },
        NONE,
        id="end-unknown-and-not-current",
    ),
    pytest.param({"name": "Tom Reed"}, SKIPPED, id="experience-unknown"),
]


@pytest.mark.parametrize(("profile", "expected"), OVERLAP_POSITIVE)
def test_overlap_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive("timeline.overlap", profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), OVERLAP_NEGATIVE)
def test_overlap_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative("timeline.overlap", profile, allowed)


# ---------------------------------------------------------------------------------------------
# timeline.seniority (a jump of 3+ levels within 24 months; director or above with < 4 years)

JUMP = "timeline.seniority_jump"
THIN = "timeline.senior_without_history"

SENIORITY_POSITIVE = [
    pytest.param(
        {
            "experience": [
                job("Engineering Manager", "Revolut", "Mar 2023"),
                job(
                    "Software Engineering Intern",
                    "Revolut",
                    "Jun 2022",
                    "Sep 2022",
                    employment_type="internship",
                ),
            ]
        },
        [(JUMP, ("experience[1].title", "experience[0].title"))],
        id="intern-to-manager-in-nine-months",
    ),
    pytest.param(
        {
            "experience": [
                job("Director of Strategy", "Helix Defence Systems", "Jul 2022"),
                job("Analyst", "Capita", "Jan 2021", "Jun 2022"),
            ]
        },
        [(JUMP, ("experience[1].title", "experience[0].title"))],
        id="analyst-to-director-in-18-months",
    ),
    pytest.param(
        {"headline": "CEO & Founder | Investor", "experience": []},
        [(THIN, ("headline", "experience"))],
        id="ceo-headline-no-history",
    ),
    pytest.param(
        {"experience": [job("Director of Strategy", "Helix Defence Systems", "Jan 2024")]},
        [(THIN, ("experience[0].title", "experience"))],
        id="director-with-under-three-years-of-history",
    ),
    pytest.param(
        {
            "experience": [
                job("Managing Director", "Orion Partners Ltd", "Jan 2026"),
                job("Graduate Trainee", "Lloyds Banking Group", "Sep 2025", "Dec 2025"),
            ]
        },
        [
            (JUMP, ("experience[1].title", "experience[0].title")),
            (THIN, ("experience[0].title", "experience")),
        ],
        id="graduate-trainee-to-managing-director",
    ),
    pytest.param(
        {
            "experience": [
                job("VP Engineering", "Nimbus AI", 2024),
                job("Junior Developer", "Nimbus AI", 2023, 2024),
            ]
        },
        [
            (JUMP, ("experience[1].title", "experience[0].title")),
            (THIN, ("experience[0].title", "experience")),
        ],
        id="year-only-junior-to-vp",
    ),
    pytest.param(
        {
            "headline": "Partner at Sequoia Capital",
            "experience": [{"title": "Partner", "organisation": "Sequoia Capital"}],
        },
        [(THIN, ("headline", "experience"))],
        id="undated-single-role-partner",
    ),
]

SENIORITY_NEGATIVE = [
    pytest.param(
        {
            "experience": [
                job("Engineering Manager", "Arm", "2020"),
                job("Senior Software Engineer", "Arm", "2016", "2020"),
                job("Software Engineer", "Arm", "2013", "2016"),
                job("Intern", "Arm", "2012", "2012", employment_type="internship"),
            ]
        },
        NONE,
        id="intern-to-manager-over-eight-years",
    ),
    pytest.param(
        {
            "experience": [
                job("Director, Public Policy", "Meta", "Mar 2018"),
                job("Policy Manager", "Ofcom", "Jan 2013", "Feb 2018"),
                job("Policy Analyst", "HM Treasury", "Sep 2008", "Dec 2012"),
            ]
        },
        NONE,
        id="director-after-ten-years",
    ),
    pytest.param(
        {
            "headline": "Managing Director at Northwind",
            "experience": [
                job("Associate", "Goldman Sachs", 2005, 2010),
                job("Vice President", "Goldman Sachs", 2010, 2016),
            ],
        },
        NONE,
        id="managing-director-headline-long-history",
    ),
    pytest.param(
        {
            "experience": [
                job("Software Engineer", "Sky", "Jan 2022"),
                job("Board Member", "Leeds Food Bank", "Jun 2023"),
            ]
        },
        NONE,
        id="board-seat-beside-an-engineering-job",
    ),
    pytest.param(
        {
            "experience": [
                job("Junior Accountant", "PwC", "Jan 2024", **FT),
                job(
                    "Chairperson",
                    "Hackney Parents Association",
                    "Mar 2025",
                    employment_type="volunteer",
                ),
            ]
        },
        NONE,
        id="volunteer-chair-beside-a-junior-job",
    ),
    pytest.param(
        {
            "experience": [
                job("Engineering Manager", "Monzo", "May 2021"),
                job("Senior Engineer", "Monzo", "Jan 2019", "Jun 2021"),
            ]
        },
        NONE,
        id="promotion-with-overlapping-dates",
    ),
    pytest.param(
        {"experience": [job("Store Manager", "Aldi", "2025")]},
        NONE,
        id="manager-is-not-senior-enough-to-need-history",
    ),
    pytest.param(
        {"headline": "Aspiring Director | MSc student", "experience": []},
        NONE,
        id="aspiring-director-student",
    ),
    pytest.param(
        {
            "experience": [
                job("Senior Software Engineer", "Ocado", "2021"),
                job("Teacher", "Harris Academy", "2010", "2020"),
            ]
        },
        NONE,
        id="career-changer-teacher-to-senior-engineer",
    ),
    pytest.param(
        {
            "experience": [
                job("Head of Sales", "HubSpot", "Mar 2022"),
                job("Junior Analyst", "HubSpot", "Jan 2020", "Feb 2022"),
            ]
        },
        NONE,
        id="three-levels-in-26-months",
    ),
    pytest.param({"headline": "CEO"}, SKIPPED, id="experience-unknown"),
]


@pytest.mark.parametrize(("profile", "expected"), SENIORITY_POSITIVE)
def test_seniority_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive("timeline.seniority", profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), SENIORITY_NEGATIVE)
def test_seniority_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative("timeline.seniority", profile, allowed)


# ---------------------------------------------------------------------------------------------
# timeline.education (higher degree before the bachelor's; manager or above during a first degree)

ORDER = "timeline.degree_order"
DURING = "timeline.senior_role_during_undergraduate"

EDUCATION_POSITIVE = [
    pytest.param(
        {
            "experience": [],
            "education": [
                school("Imperial College London", "MSc Data Science", 2014, 2015),
                school("University of Kent", "BSc Mathematics", 2017, 2020),
            ],
        },
        [(ORDER, ("education[0].end", "education[1].start"))],
        id="masters-before-only-bachelors",
    ),
    pytest.param(
        {
            "experience": [],
            "education": [
                school("University of Cambridge", "PhD", 2008, 2012),
                school("University of York", "BA (Hons)", 2014, 2017),
            ],
        },
        [(ORDER, ("education[0].end", "education[1].start"))],
        id="doctorate-before-bachelors",
    ),
    pytest.param(
        {
            "experience": [
                job("Director of Operations", "Helix Defence Systems", "Jan 2019", "Jun 2022", **FT)
            ],
            "education": [school("University of Warwick", "BSc Economics", 2018, 2022)],
        },
        [(DURING, ("experience[0]", "education[0]"))],
        id="full-time-director-during-bachelors",
    ),
    pytest.param(
        {
            "experience": [job("Head of Marketing", "Brightwave", "Sep 2020")],
            "education": [
                school("University of Glasgow", "BA (Hons)", 2019, 2023, field_of_study="Business")
            ],
        },
        [(DURING, ("experience[0]", "education[0]"))],
        id="head-of-marketing-unknown-type-during-bachelors",
    ),
    pytest.param(
        {
            "experience": [job("Gerente General", "Grupo Andino", 2017, 2020)],
            "education": [school("Universidad de Chile", "Licenciatura en Derecho", 2016, 2020)],
        },
        [(DURING, ("experience[0]", "education[0]"))],
        id="spanish-manager-during-licenciatura-year-only",
    ),
    pytest.param(
        {
            "experience": [job("CEO", "Stratos Holdings", 2015, **FT)],
            "education": [
                school("INSEAD", "MBA", 2012, 2013),
                school("Boston University", "Bachelor of Science", 2014, 2018),
            ],
        },
        [
            (ORDER, ("education[0].end", "education[1].start")),
            (DURING, ("experience[0]", "education[1]")),
        ],
        id="mba-before-bachelors-and-ceo-during-it",
    ),
]

EDUCATION_NEGATIVE = [
    pytest.param(
        {
            "experience": [job("Product Manager", "Spotify", "2019", **FT)],
            "education": [
                school("London Business School", "Part-time MBA", 2021, 2023),
                school("University of Nottingham", "BSc Economics", 2010, 2013),
            ],
        },
        NONE,
        id="part-time-mba-during-manager-job",
    ),
    pytest.param(
        {
            "experience": [job("Operations Manager", "Tesco", "2012", **FT)],
            "education": [
                school(
                    "The Open University",
                    "BSc (Hons)",
                    2019,
                    2023,
                    field_of_study="Business Management",
                )
            ],
        },
        NONE,
        id="mature-student-manager-throughout",
    ),
    pytest.param(
        {
            "experience": [
                job("Operations Manager", "Tesco", "2020", **FT),
                job("Team Leader", "Tesco", "2012", "2020", **FT),
            ],
            "education": [school("The Open University", "BSc (Hons)", 2019, 2023)],
        },
        NONE,
        id="mature-student-promoted-during-degree",
    ),
    pytest.param(
        {
            "experience": [job("Staff Nurse", "Guy's and St Thomas'", 2021)],
            "education": [
                school("King's College London", "BSc Nursing", 2018, 2021),
                school("UCL", "MSc Physics", 2009, 2010),
                school("University of Bristol", "BSc Physics", 2005, 2008),
            ],
        },
        NONE,
        id="second-bachelors-after-a-masters-career-change",
    ),
    pytest.param(
        {
            "experience": [job("Barista", "Costa Coffee", "2025", employment_type="part-time")],
            "education": [school("University of Leeds", "BSc Computer Science", 2024, 2028)],
        },
        NONE,
        id="degree-under-way-with-future-end",
    ),
    pytest.param(
        {
            "experience": [
                job("Student Ambassador", "University of Leeds", "Oct 2019", "Jun 2022")
            ],
            "education": [school("University of Leeds", "BA (Hons)", 2019, 2022)],
        },
        NONE,
        id="student-ambassador-during-degree",
    ),
    pytest.param(
        {
            "experience": [
                job(
                    "Summer Intern",
                    "J.P. Morgan",
                    "Jun 2021",
                    "Aug 2021",
                    employment_type="internship",
                )
            ],
            "education": [school("LSE", "BSc Finance", 2019, 2022)],
        },
        NONE,
        id="internship-during-degree",
    ),
    pytest.param(
        {
            "experience": [
                job("Shift Manager", "McDonald's", "2019", "2022", employment_type="part-time")
            ],
            "education": [school("University of Sheffield", "BA History", 2019, 2022)],
        },
        NONE,
        id="part-time-shift-manager-during-degree",
    ),
    pytest.param(
        {
            "experience": [job("Account Manager", "Salesforce", "Feb 2020", **FT)],
            "education": [school("University of Exeter", "BSc Business", "Sep 2016", "Jun 2020")],
        },
        NONE,
        id="manager-job-begun-in-final-semester",
    ),
    pytest.param(
        {
            "experience": [job("Marketing Manager", "Unilever", 2018)],
            "education": [school("Durham University", "BA", 2014, 2018)],
        },
        NONE,
        id="year-only-degree-then-job-same-year",
    ),
    pytest.param(
        {
            "experience": [job("Research Scientist", "DeepMind", 2018)],
            "education": [
                school("University of Edinburgh", "BSc", 2010, 2013),
                school("University of Edinburgh", "MSc", 2013, 2014),
                school("University of Edinburgh", "PhD", 2014, 2018),
            ],
        },
        NONE,
        id="bachelors-masters-doctorate-in-order",
    ),
    pytest.param(
        {
            "experience": [job("Finance Director", "Kingfisher", "2015")],
            "education": [{"school": "University of Manchester", "degree": "BA Accounting"}],
        },
        NONE,
        id="undated-degree",
    ),
    pytest.param(
        {"experience": [job("Director", "Acme", "2020")], "name": "Tom Reed"},
        SKIPPED,
        id="education-unknown",
    ),
]


@pytest.mark.parametrize(("profile", "expected"), EDUCATION_POSITIVE)
def test_education_positive(profile: dict[str, Any], expected: Expected) -> None:
    assert_positive("timeline.education", profile, expected)


@pytest.mark.parametrize(("profile", "allowed"), EDUCATION_NEGATIVE)
def test_education_negative(profile: dict[str, Any], allowed: Allowed) -> None:
    assert_negative("timeline.education", profile, allowed)


# ---------------------------------------------------------------------------------------------
# The engine reports exactly what the detector found.

ENGINE_CASES = engine_cases(
    {
        "timeline.dates": DATES_POSITIVE,
        "timeline.overlap": OVERLAP_POSITIVE,
        "timeline.seniority": SENIORITY_POSITIVE,
        "timeline.education": EDUCATION_POSITIVE,
    }
)


@pytest.mark.parametrize(("detector_id", "profile"), ENGINE_CASES)
def test_engine_reports_the_same_signals(detector_id: str, profile: dict[str, Any]) -> None:
    assert_engine_agrees(detector_id, profile)
