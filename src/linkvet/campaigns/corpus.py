"""Synthetic batch files with planted campaigns, for benchmarks only.

`generate_corpus` writes a batch file (docs/batch-format.md) of varied, realistic-looking profiles,
a few of which belong to planted campaigns: persona farms whose members reuse a text template
(paraphrased), an employer nobody can check (spelt in several ways), an e-mail and user-name
pattern, a creation window of a few days and, optionally, a few photos (re-encoded, resized and
cropped). Beside it goes the ground truth, `<target>.truth.parquet`, which alone says who belongs
to which campaign, so that a benchmark can measure the recall and precision of planted campaigns,
the speed and the memory of campaign detection at any scale. It has one row per profile, in the
batch file's order: `id`, `campaign` (null for a genuine profile), `campaign_size`,
`obfuscation` (one of `OBFUSCATIONS`), and with photos `photo_base` (which of the campaign's base
photos the member's photo was made from) and `photo_transform` (how: crop, scale, encoding).

This is for benchmarks, never for training or for evaluating detection quality: the profiles are
assembled from small built-in word lists and sentence frames, not drawn from real people or real
fakes, and a detector tuned on them learns the generator, not the world. Detection quality is
measured on real labelled data (docs/evaluation.md).

Everything comes from seeded random choices taken row by row, so the same seed gives the same
files whatever `chunk_rows` is (with the same versions of Python, NumPy and Pillow). Rows are generated and written a chunk at a time, so memory follows
the chunk size, not the corpus size. The batch file, its truth and its photo folder are each
written beside their final name and renamed into place only when all rows are written; the batch
file is renamed last, so a batch file on disk always has its companions.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import io
import itertools
import json
import math
import os
import random
import re
import resource
import secrets
import shutil
import time
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Generic, Literal, NamedTuple, Self, TypeVar

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from PIL import Image, ImageDraw
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from linkvet._files import replace_folder
from linkvet.batch.fileformat import BatchWriter, detect_format

CorpusFormat = Literal["parquet", "jsonl", "csv"]
_T = TypeVar("_T")

# Every profile is seen on the same day; creation dates and messages are measured back from it.
OBSERVED_AT: Final = dt.date(2026, 6, 1)
# Campaign sizes: at least this many members, at most this many (when the corpus is big enough).
SMALLEST_CAMPAIGN: Final = 3
LARGEST_CAMPAIGN: Final = 500
# How campaign members' texts differ from their template: "names" (only the member's own name,
# role and employer spelling), "synonyms" (words swapped for synonyms), "reordered" (sentences
# shuffled), "edited" (fillers inserted, dispensable words and a sentence dropped) and
# "paraphrased" (all of these at once, the hardest to see).
OBFUSCATIONS: Final = ("names", "synonyms", "reordered", "edited", "paraphrased")

_COLUMNS: Final = (
    "id", "platform", "url", "handle", "name", "headline", "location", "about", "followers",
    "following", "connections", "posts", "joined", "observed_at", "has_photo", "has_url",
    "verified", "profile", "label", "group",
)  # fmt: skip
_TRUTH_SCHEMA: Final = pa.schema(
    [
        pa.field("id", pa.string(), nullable=False),
        pa.field("campaign", pa.string()),
        pa.field("campaign_size", pa.int32()),
        pa.field("obfuscation", pa.string()),
        pa.field("photo_base", pa.string()),
        pa.field("photo_transform", pa.string()),
    ]
)
_PHOTO_SIDE: Final = 256
_PHOTOS_PER_FOLDER: Final = 1000


@dataclass(frozen=True)
class CorpusSummary:
    """What `generate_corpus` wrote, and what it cost."""

    rows: int
    campaigns: int
    campaign_rows: int
    files: tuple[Path, ...]  # the batch file, its truth file and (with photos) the photo folder
    seconds: float
    peak_rss_bytes: int  # the process's peak resident memory, including what ran before
    photos: int = 0
    photo_seconds: float = 0.0  # of `seconds`, the time spent drawing and encoding photos


def truth_path(target: Path) -> Path:
    """Where the ground truth of the batch file `target` goes: `<target>.truth.parquet`."""
    return target.with_name(f"{target.name}.truth.parquet")


def default_photo_dir(target: Path) -> Path:
    """Where the photos of the batch file `target` go unless told: `<target>.photos/`."""
    return target.with_name(f"{target.name}.photos")


def generate_corpus(
    target: Path,
    *,
    profiles: int,
    campaigns: int,
    photos: bool = False,
    seed: int = 0,
    format: CorpusFormat = "parquet",
    chunk_rows: int = 100_000,
    photo_dir: Path | None = None,
    progress: bool = False,
) -> CorpusSummary:
    """Write `profiles` rows to the batch file `target`, `campaigns` planted campaigns among them,
    and the ground truth beside it (`truth_path(target)`).

    With `photos`, every profile showing a photo gets a PNG or JPEG file in `photo_dir` (default
    `<target>.photos/`), named in its `profile` JSON relative to the target's folder; campaign
    members share a few base photos, re-encoded, resized and cropped. Campaign membership is only
    in the truth file (and `label` is 1 for members); nothing a detector reads names it.
    Raises ValueError for arguments that cannot make a corpus.
    """
    started = time.perf_counter()
    target = Path(target)
    if photos and photo_dir is None:
        photo_dir = default_photo_dir(target)
    _check_arguments(target, profiles, campaigns, seed, format, chunk_rows, photos, photo_dir)
    plan = _plan(profiles, campaigns, seed)
    files = [target, truth_path(target)]
    target.parent.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        # Left in the reverse order: the truth file is renamed into place first, then the photo
        # folder, and the batch file last, so that a batch file on disk has its companions.
        writer = stack.enter_context(BatchWriter(target, file_format=format))
        photo_folder = None
        if photo_dir is not None:
            photo_folder = stack.enter_context(
                _PhotoFolder(Path(photo_dir), relative_to=target.parent)
            )
            files.append(Path(photo_dir))
        truth = stack.enter_context(_TruthWriter(truth_path(target)))
        maker = _RowMaker(plan, seed, photo_folder)
        advance = stack.enter_context(_progress_bar(progress, profiles))
        for start in range(0, profiles, chunk_rows):
            rows, truths = maker.chunk(start, min(chunk_rows, profiles - start))
            writer.write(dict(zip(_COLUMNS, map(list, zip(*rows, strict=True)), strict=True)))
            truth.write(truths)
            advance(len(rows))
    return CorpusSummary(
        rows=profiles,
        campaigns=campaigns,
        campaign_rows=sum(campaign.size for campaign in plan.campaigns),
        files=tuple(files),
        seconds=time.perf_counter() - started,
        peak_rss_bytes=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024,
        photos=maker.photos_written,
        photo_seconds=maker.photo_seconds,
    )


def _check_arguments(
    target: Path,
    profiles: int,
    campaigns: int,
    seed: int,
    file_format: str,
    chunk_rows: int,
    photos: bool,
    photo_dir: Path | None,
) -> None:
    if file_format not in ("parquet", "jsonl", "csv"):
        raise ValueError(f"unknown format {file_format!r}; expected parquet, jsonl or csv")
    named = detect_format(target)  # a BatchFormatError (a ValueError) for an unknown extension
    if named != file_format:
        raise ValueError(
            f"{target}: the extension says {named} but the format asked for is {file_format}; "
            "readers go by the extension, so make them agree"
        )
    if profiles < 1:
        raise ValueError(f"profiles must be at least 1, got {profiles}")
    if campaigns < 0:
        raise ValueError(f"campaigns must be 0 or more, got {campaigns}")
    if campaigns * SMALLEST_CAMPAIGN > profiles:
        raise ValueError(
            f"{campaigns} campaigns need at least {campaigns * SMALLEST_CAMPAIGN} profiles (a "
            f"campaign has {SMALLEST_CAMPAIGN} members or more); campaigns must be at most "
            f"profiles / {SMALLEST_CAMPAIGN} = {profiles // SMALLEST_CAMPAIGN}"
        )
    if seed < 0:
        raise ValueError(f"seed must be 0 or more, got {seed}")
    if chunk_rows < 1:
        raise ValueError(f"chunk_rows must be at least 1, got {chunk_rows}")
    if photo_dir is not None and not photos:
        raise ValueError("photo_dir is given but photos is false; ask for photos too")
    # Found now rather than at the final rename, after all the work.
    if target.is_dir() or truth_path(target).is_dir():
        raise ValueError(f"{target}: a folder stands where the batch file or its truth goes")
    if photo_dir is not None and Path(photo_dir).exists() and not Path(photo_dir).is_dir():
        raise ValueError(f"{photo_dir}: exists and is not a folder; photos need a folder")


@contextlib.contextmanager
def _progress_bar(enabled: bool, total: int) -> Iterator[Callable[[int], None]]:
    if not enabled:
        yield lambda rows: None
        return
    columns = (TextColumn("Generating"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, transient=True) as bar:
        task = bar.add_task("profiles", total=total)
        yield lambda rows: bar.advance(task, rows)


class _Weighted(Generic[_T]):
    """Options drawn by weight; what Random.choices does, without its per-call set-up."""

    def __init__(self, options: Sequence[_T], weights: Sequence[float]) -> None:
        self.options = tuple(options)
        self.cumulative = list(itertools.accumulate(weights))
        self.total = self.cumulative[-1]

    def draw(self, random: Callable[[], float]) -> _T:
        return self.options[bisect.bisect(self.cumulative, random() * self.total)]


# ---------------------------------------------------------------------------------------------
# Vocabulary. Small built-in lists; every name and employer is made up or common.


class _Names(NamedTuple):
    female: tuple[str, ...]
    male: tuple[str, ...]
    surnames: tuple[str, ...]
    places: tuple[str, ...]
    weight: float  # share of genuine profiles


def _names(female: str, male: str, surnames: str, places: str, weight: float) -> _Names:
    # Compound surnames are written with "_" ("van_Dijk"); places are separated by ";".
    return _Names(
        tuple(female.split()),
        tuple(male.split()),
        tuple(name.replace("_", " ") for name in surnames.split()),
        tuple(place.strip() for place in places.split(";")),
        weight,
    )


_CULTURES: Final = {
    "english": _names(
        "Emma Olivia Sophie Charlotte Amelia Grace Hannah Lucy Emily Chloe Jessica Rachel Laura "
        "Sarah Megan Abigail Katie Natalie",
        "James Oliver William Thomas Jack Harry George Daniel Samuel Matthew Andrew Michael "
        "David Christopher Benjamin Ryan Joseph Edward",
        "Smith Jones Taylor Brown Williams Wilson Johnson Davies Robinson Wright Thompson Evans "
        "Walker White Roberts Green Hall Wood Jackson Clarke Hughes Edwards Turner Cooper Harris "
        "Ward Morgan Baker Bennett Collins",
        "London, England, United Kingdom; Manchester, England, United Kingdom; Edinburgh, "
        "Scotland, United Kingdom; Bristol, England, United Kingdom; New York, New York, United "
        "States; San Francisco Bay Area; Chicago, Illinois, United States; Austin, Texas, United "
        "States; Boston, Massachusetts, United States; Seattle, Washington, United States; "
        "Toronto, Ontario, Canada; Sydney, New South Wales, Australia; Dublin, County Dublin, "
        "Ireland",
        0.22,
    ),
    "spanish": _names(
        "María Lucía Carmen Sofía Paula Elena Laura Marta Andrea Valentina Isabel Camila Daniela "
        "Alba",
        "José Antonio Manuel Javier David Carlos Miguel Alejandro Pablo Sergio Diego Andrés Luis "
        "Fernando",
        "García Martínez López Sánchez Pérez Gómez Martín Jiménez Ruiz Hernández Díaz Moreno "
        "Álvarez Romero Navarro Torres Domínguez Vázquez Ramos Castillo de_la_Cruz",
        "Madrid, Community of Madrid, Spain; Barcelona, Catalonia, Spain; Valencia, Valencian "
        "Community, Spain; Seville, Andalusia, Spain; Mexico City, Mexico; Buenos Aires, "
        "Argentina; Bogotá, Capital District, Colombia",
        0.07,
    ),
    "french": _names(
        "Camille Léa Manon Chloé Inès Julie Sarah Claire Élodie Mathilde Pauline Juliette Céline "
        "Aurélie",
        "Lucas Hugo Louis Thomas Nicolas Julien Antoine Maxime Pierre Mathieu Guillaume Baptiste "
        "Romain Théo",
        "Martin Bernard Dubois Thomas Robert Richard Petit Durand Leroy Moreau Simon Laurent "
        "Lefebvre Michel Garnier Faure Rousseau Blanc Fontaine Chevalier",
        "Paris, Île-de-France, France; Lyon, Auvergne-Rhône-Alpes, France; Toulouse, Occitanie, "
        "France; Marseille, Provence-Alpes-Côte d'Azur, France; Brussels, Brussels Region, "
        "Belgium; Montreal, Quebec, Canada",
        0.06,
    ),
    "german": _names(
        "Anna Lena Laura Julia Lea Hannah Katharina Sophie Johanna Miriam Franziska Charlotte "
        "Jana Sabine",
        "Lukas Jonas Felix Maximilian Leon Paul Tobias Jan Florian Sebastian Stefan Matthias "
        "Niklas Moritz",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Schulz Hoffmann Koch Richter "
        "Klein Wolf Schröder Neumann Schwarz Zimmermann Braun Krüger",
        "Berlin, Germany; Munich, Bavaria, Germany; Hamburg, Germany; Frankfurt, Hesse, Germany; "
        "Cologne, North Rhine-Westphalia, Germany; Vienna, Austria; Zurich, Switzerland",
        0.06,
    ),
    "italian": _names(
        "Giulia Chiara Francesca Sara Martina Alessia Federica Valentina Elisa Silvia Beatrice "
        "Giorgia",
        "Marco Luca Alessandro Andrea Matteo Francesco Lorenzo Davide Simone Riccardo Stefano "
        "Giovanni",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco Bruno Gallo "
        "Conti De_Luca Costa Giordano Mancini Rizzo Lombardi Moretti",
        "Milan, Lombardy, Italy; Rome, Lazio, Italy; Turin, Piedmont, Italy; Bologna, "
        "Emilia-Romagna, Italy; Naples, Campania, Italy",
        0.04,
    ),
    "polish": _names(
        "Anna Katarzyna Magdalena Agnieszka Joanna Aleksandra Natalia Zuzanna Monika Karolina "
        "Ewa Marta",
        "Piotr Krzysztof Tomasz Paweł Michał Marcin Jakub Kamil Łukasz Mateusz Adam Bartosz",
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński Szymański "
        "Woźniak Dąbrowski Kozłowski Jankowski Mazur Krawczyk",
        "Warsaw, Mazowieckie, Poland; Kraków, Małopolskie, Poland; Wrocław, Dolnośląskie, "
        "Poland; Gdańsk, Pomorskie, Poland",
        0.03,
    ),
    "russian": _names(
        "Anastasia Ekaterina Maria Olga Tatiana Natalia Irina Elena Daria Polina Svetlana Yulia",
        "Alexander Dmitry Sergey Andrey Alexey Ivan Mikhail Nikolai Pavel Artem Maxim Vladimir",
        "Ivanov Smirnov Kuznetsov Popov Vasiliev Petrov Sokolov Mikhailov Novikov Fedorov "
        "Morozov Volkov Alekseev Lebedev Semenov Egorov Pavlov Kozlov",
        "Moscow, Russia; Saint Petersburg, Russia; Almaty, Kazakhstan; Tbilisi, Georgia; "
        "Limassol, Cyprus",
        0.03,
    ),
    "turkish": _names(
        "Elif Zeynep Ayşe Fatma Merve Büşra Esra Selin Defne Ece Derya Gizem",
        "Mehmet Mustafa Ahmet Ali Hüseyin Emre Burak Murat Can Kerem Onur Serkan",
        "Yılmaz Kaya Demir Şahin Çelik Yıldız Yıldırım Öztürk Aydın Özdemir Arslan Doğan Kılıç "  # noqa: RUF001 - the dotless i of Turkish
        "Aslan Çetin Kara Koç Kurt",
        "Istanbul, Türkiye; Ankara, Türkiye; Izmir, Türkiye",
        0.03,
    ),
    "arabic": _names(
        "Fatima Aisha Mariam Layla Noor Huda Salma Yasmin Rania Leila Amira Dina",
        "Mohammed Ahmed Omar Ali Youssef Khaled Hassan Ibrahim Tariq Karim Faisal Samir",
        "Al-Sayed Haddad Khalil Mansour Nasser Hamdan Aziz Saleh Farouk Rahman Hussein Qureshi "
        "Abdullah Shaheen Barakat Darwish",
        "Dubai, United Arab Emirates; Riyadh, Saudi Arabia; Cairo, Egypt; Amman, Jordan; Doha, "
        "Qatar; Casablanca, Morocco",
        0.05,
    ),
    "indian": _names(
        "Priya Ananya Aishwarya Divya Kavya Neha Pooja Shreya Sneha Riya Meera Lakshmi Deepika "
        "Anjali",
        "Rahul Amit Arjun Vikram Rohan Sanjay Rajesh Aditya Karthik Suresh Nikhil Varun Anil "
        "Pranav",
        "Sharma Patel Singh Kumar Gupta Reddy Iyer Nair Rao Joshi Mehta Desai Chopra Banerjee "
        "Mukherjee Pillai Verma Agarwal Menon Kapoor",
        "Bengaluru, Karnataka, India; Mumbai, Maharashtra, India; Hyderabad, Telangana, India; "
        "Pune, Maharashtra, India; Chennai, Tamil Nadu, India; New Delhi, Delhi, India",
        0.10,
    ),
    "chinese": _names(
        "Wei Fang Jing Na Xiu Ying Mei Hui Yan Lin Xiaoling Yuqing Jiayi",
        "Wei Jun Hao Lei Tao Yong Qiang Jian Ming Chao Bo Zhiwei Haoran Yichen",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Sun Ma Zhu Hu Guo He Lin Gao Luo",
        "Shanghai, China; Beijing, China; Shenzhen, Guangdong, China; Hong Kong SAR; Singapore; "
        "Taipei City, Taiwan",
        0.07,
    ),
    "japanese": _names(
        "Yui Haruka Aoi Sakura Yuki Misaki Nanami Ayaka Mei Rina Saki Hina",
        "Haruto Yuto Sota Ren Takumi Kenta Daiki Shota Hiroshi Kazuki Ryota Yusuke",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato Yoshida "
        "Yamada Sasaki Yamaguchi Matsumoto Inoue Kimura Hayashi",
        "Tokyo, Japan; Osaka, Japan; Yokohama, Kanagawa, Japan; Fukuoka, Japan",
        0.03,
    ),
    "korean": _names(
        "Ji-woo Seo-yeon Min-seo Ha-eun Soo-ah Ye-jin Yuna Eun-ji Hye-jin Da-eun",
        "Min-jun Seo-jun Ji-ho Do-yoon Hyun-woo Jae-won Sung-min Dong-hyun Tae-yang Joon-ho",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim Han Oh Seo Shin Kwon Hwang",
        "Seoul, South Korea; Busan, South Korea; Incheon, South Korea",
        0.02,
    ),
    "nigerian": _names(
        "Chiamaka Ngozi Adaeze Funmilayo Oluwaseun Blessing Temitope Amaka Folake Yetunde "
        "Ifeoma Zainab",
        "Chinedu Emeka Tunde Babajide Chukwuemeka Obinna Ifeanyi Segun Adebayo Kelechi Ibrahim "
        "Olumide",
        "Okafor Adeyemi Okonkwo Eze Nwosu Balogun Ogunleye Adebayo Okeke Olawale Chukwu Afolabi "
        "Onyeka Bello Obi Ojo",
        "Lagos, Lagos State, Nigeria; Abuja, Federal Capital Territory, Nigeria; Port Harcourt, "
        "Rivers State, Nigeria; Accra, Greater Accra Region, Ghana; Nairobi, Kenya",
        0.05,
    ),
    "brazilian": _names(
        "Ana Beatriz Juliana Mariana Fernanda Gabriela Larissa Camila Letícia Bruna Aline Patrícia",
        "João Pedro Lucas Gabriel Rafael Gustavo Felipe Bruno Thiago Rodrigo Leonardo Vinícius",
        "Silva Santos Oliveira Souza Rodrigues Ferreira Alves Pereira Lima Gomes Costa Ribeiro "
        "Martins Carvalho Almeida Lopes Barbosa Rocha",
        "São Paulo, Brazil; Rio de Janeiro, Brazil; Belo Horizonte, Minas Gerais, Brazil; "
        "Curitiba, Paraná, Brazil; Lisbon, Portugal; Porto, Portugal",
        0.05,
    ),
    "dutch": _names(
        "Sanne Lotte Fleur Anouk Eva Iris Femke Marieke Lieke Noor",
        "Daan Bram Sem Thijs Ruben Jeroen Maarten Pieter Wouter Koen",
        "de_Jong Jansen de_Vries van_den_Berg van_Dijk Bakker Visser Smit Meijer de_Boer Mulder "
        "de_Groot Bos Vos Peters Hendriks",
        "Amsterdam, North Holland, Netherlands; Rotterdam, South Holland, Netherlands; Utrecht, "
        "Netherlands; Eindhoven, North Brabant, Netherlands",
        0.02,
    ),
    "vietnamese": _names(
        "Linh Trang Huong Lan Mai Thao Ngoc Anh Thu Hoa",
        "Minh Duc Huy Nam Quang Tuan Long Khanh Hieu Thanh",
        "Nguyen Tran Le Pham Hoang Phan Vu Vo Dang Bui Do Ho Ngo Duong",
        "Ho Chi Minh City, Vietnam; Hanoi, Vietnam; Da Nang, Vietnam",
        0.02,
    ),
    "nordic": _names(
        "Emma Maja Elsa Alice Ebba Linnea Klara Wilma Astrid Ingrid",
        "Erik Lars Karl Johan Anders Oskar Nils Gustav Henrik Axel",
        "Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson "
        "Gustafsson Lindberg Lindqvist Berg Hansen Jensen",
        "Stockholm, Sweden; Gothenburg, Västra Götaland County, Sweden; Malmö, Skåne County, "
        "Sweden; Oslo, Norway; Copenhagen, Capital Region of Denmark",
        0.02,
    ),
}
_CULTURE_NAMES: Final = tuple(_CULTURES)
_CULTURE_WEIGHTS: Final = tuple(names.weight for names in _CULTURES.values())
_CULTURE_DRAW: Final = _Weighted(_CULTURE_NAMES, _CULTURE_WEIGHTS)
_PLATFORM_DRAW: Final = _Weighted(("linkedin", "twitter", "facebook", "instagram"), (80, 10, 5, 5))
_JOBS_DRAW: Final = _Weighted((0, 1, 2, 3, 4, 5), (5, 30, 30, 20, 10, 5))
# Where people move for work: a quarter of profiles live in one of these, whatever their name.
_HUBS: Final = (
    "London, England, United Kingdom", "New York, New York, United States", "Toronto, Ontario, "
    "Canada", "Dubai, United Arab Emirates", "Singapore", "Berlin, Germany", "Amsterdam, North "
    "Holland, Netherlands", "San Francisco Bay Area", "Sydney, New South Wales, Australia",
)  # fmt: skip
_CITIES: Final = tuple(
    sorted({place.split(",")[0] for names in _CULTURES.values() for place in names.places})
)


class _Field(NamedTuple):
    titles: tuple[str, ...]
    topics: tuple[str, ...]
    skills: tuple[str, ...]
    sectors: tuple[str, ...]  # the second word of employers' names
    studies: tuple[str, ...]


def _field(titles: str, topics: str, skills: str, sectors: str, studies: str) -> _Field:
    def parts(text: str) -> tuple[str, ...]:
        return tuple(part.strip() for part in text.split("|"))

    return _Field(parts(titles), parts(topics), parts(skills), parts(sectors), parts(studies))


_FIELDS: Final = {
    "software": _field(
        "Software Engineer|Senior Software Engineer|Backend Developer|Frontend Engineer|"
        "Engineering Manager|Staff Engineer|DevOps Engineer|Mobile Developer|Site Reliability "
        "Engineer",
        "distributed systems|developer tooling|web performance|cloud infrastructure|payments "
        "platforms|mobile apps|API design|observability|open-source libraries",
        "Python|Go|TypeScript|Kubernetes|PostgreSQL|AWS|React|Rust|Java|Terraform|gRPC|Kafka",
        "Software|Technologies|Labs|Systems|Digital",
        "Computer Science|Software Engineering|Mathematics",
    ),
    "data": _field(
        "Data Scientist|Data Analyst|Machine Learning Engineer|Analytics Manager|Data Engineer|"
        "BI Developer|Head of Data",
        "forecasting|recommendation systems|customer analytics|experiment design|data "
        "pipelines|natural language processing|causal inference|fraud detection",
        "Python|SQL|Spark|dbt|PyTorch|scikit-learn|Tableau|Airflow|R|Snowflake|statistics|Looker",
        "Analytics|Data|Insights|AI",
        "Statistics|Mathematics|Physics|Econometrics",
    ),
    "finance": _field(
        "Financial Analyst|Accountant|Auditor|Investment Associate|Finance Manager|Risk Analyst|"
        "Financial Controller|Portfolio Manager|Tax Adviser",
        "corporate finance|audit|credit risk|private equity|treasury|financial reporting|"
        "mergers and acquisitions|tax compliance",
        "Excel|IFRS|financial modelling|SAP|valuation|budgeting|risk management|Bloomberg|VBA|"
        "forecasting",
        "Capital|Finance|Partners|Bank|Advisers",
        "Accounting|Finance|Economics",
    ),
    "health": _field(
        "Registered Nurse|Physiotherapist|Pharmacist|Clinical Research Associate|General "
        "Practitioner|Healthcare Administrator|Occupational Therapist|Midwife|Radiographer",
        "patient care|clinical trials|community health|rehabilitation|emergency medicine|mental "
        "health services|primary care|public health",
        "patient assessment|clinical governance|GCP|care planning|EMIS|phlebotomy|triage|health "
        "promotion",
        "Health|Healthcare|Medical|Clinic|Care",
        "Nursing|Medicine|Pharmacy|Physiotherapy|Public Health",
    ),
    "academia": _field(
        "Lecturer|PhD Candidate|Postdoctoral Researcher|Associate Professor|Research Fellow|"
        "Teaching Fellow|Lab Manager",
        "computational biology|medieval history|materials science|development economics|"
        "cognitive psychology|climate modelling|linguistics|urban studies",
        "research|teaching|grant writing|academic writing|MATLAB|qualitative methods|R|peer "
        "review|supervision",
        "University|Institute",
        "Biology|History|Chemistry|Economics|Psychology|Physics|Sociology",
    ),
    "marketing": _field(
        "Marketing Manager|Content Strategist|Brand Manager|SEO Specialist|Growth Marketer|"
        "Social Media Manager|Communications Officer|Product Marketing Manager",
        "brand strategy|content marketing|paid social|search engine optimisation|community "
        "building|product launches|email marketing|public relations",
        "Google Analytics|HubSpot|copywriting|SEO|campaign planning|Canva|Salesforce|social "
        "media|market research",
        "Media|Brands|Marketing|Creative|Communications",
        "Marketing|Communications|English|Business",
    ),
    "sales": _field(
        "Account Executive|Sales Manager|Business Development Manager|Key Account Manager|Sales "
        "Director|Customer Success Manager|Inside Sales Representative",
        "enterprise sales|partner programmes|customer retention|SaaS sales|channel sales|new "
        "markets",
        "negotiation|Salesforce|account management|lead generation|CRM|pipeline management|"
        "presentations",
        "Solutions|Group|Commercial|Trading|Supplies",
        "Business|Marketing|Economics",
    ),
    "people": _field(
        "HR Business Partner|Recruiter|Talent Acquisition Specialist|People Operations Manager|"
        "HR Generalist|Learning and Development Manager|Payroll Specialist",
        "employee relations|graduate recruitment|learning and development|workforce planning|"
        "diversity and inclusion|reward and benefits",
        "employment law|interviewing|Workday|coaching|onboarding|HR policy|payroll|talent "
        "management",
        "People|Recruitment|Staffing|Services",
        "Human Resources|Psychology|Business",
    ),
    "law": _field(
        "Solicitor|Associate|Paralegal|Legal Counsel|Barrister|Compliance Officer|Partner",
        "commercial contracts|employment law|intellectual property|data protection|litigation|"
        "regulatory compliance|real estate law",
        "contract drafting|legal research|GDPR|negotiation|due diligence|case management|advocacy",
        "Legal|Law|Chambers|LLP",
        "Law|Politics|History",
    ),
    "engineering": _field(
        "Mechanical Engineer|Civil Engineer|Electrical Engineer|Project Engineer|Structural "
        "Engineer|Quality Engineer|Manufacturing Engineer|Process Engineer",
        "bridge design|HVAC systems|lean manufacturing|power distribution|water infrastructure|"
        "automotive components|rail projects",
        "AutoCAD|SolidWorks|FEA|project management|Six Sigma|MATLAB|PLC programming|Revit",
        "Engineering|Industries|Manufacturing|Works|Infrastructure",
        "Mechanical Engineering|Civil Engineering|Electrical Engineering",
    ),
    "public": _field(
        "Policy Adviser|Civil Servant|Programme Manager|Policy Analyst|Caseworker|Council "
        "Officer|Project Officer",
        "housing policy|local government|transport planning|education policy|international "
        "development|public procurement|digital public services",
        "policy analysis|stakeholder engagement|briefing|programme management|evaluation|"
        "procurement|drafting",
        "Council|Housing Trust|Authority|Agency",
        "Politics|Public Policy|Economics|Geography",
    ),
    "energy": _field(
        "Energy Analyst|Project Developer|Field Engineer|Sustainability Manager|Grid Engineer|"
        "HSE Adviser",
        "offshore wind|solar development|grid integration|carbon accounting|battery storage|"
        "energy efficiency",
        "PVsyst|energy modelling|ESG reporting|project finance|HSE|power systems",
        "Energy|Renewables|Power|Utilities",
        "Environmental Science|Electrical Engineering|Geology",
    ),
    "logistics": _field(
        "Supply Chain Manager|Logistics Coordinator|Procurement Specialist|Warehouse Manager|"
        "Operations Manager|Buyer|Demand Planner",
        "supply chain resilience|last-mile delivery|inventory planning|freight|procurement|"
        "sales and operations planning",
        "SAP|inventory management|Excel|lean|forecasting|vendor management|WMS",
        "Logistics|Freight|Distribution|Supply",
        "Logistics|Business|Operations Management",
    ),
    "design": _field(
        "UX Designer|Product Designer|Graphic Designer|Architect|Interior Designer|UX "
        "Researcher|Art Director",
        "design systems|accessibility|user research|brand identity|sustainable buildings|"
        "service design",
        "Figma|Adobe Creative Suite|prototyping|user testing|Sketch|typography|Rhino|illustration",
        "Design|Studio|Architects|Creative",
        "Graphic Design|Architecture|Interaction Design|Fine Art",
    ),
    "media": _field(
        "Journalist|Editor|Producer|Reporter|Copy Editor|Photographer|Podcast Producer",
        "investigative reporting|business news|documentaries|local news|science journalism|"
        "audio storytelling",
        "writing|editing|interviewing|Adobe Premiere|fact-checking|photography|audio editing",
        "Media|News|Publishing|Press|Productions",
        "Journalism|English|History|Film Studies",
    ),
    "science": _field(
        "Research Scientist|Lab Technician|Bioinformatician|Process Chemist|Quality Control "
        "Analyst|Clinical Scientist",
        "drug discovery|genomics|protein engineering|analytical chemistry|vaccine development|"
        "microbiology",
        "HPLC|PCR|cell culture|flow cytometry|Python|mass spectrometry|GLP|CRISPR",
        "Biosciences|Therapeutics|Pharma|Laboratories|Bio",
        "Biochemistry|Chemistry|Molecular Biology|Microbiology",
    ),
}
_FIELD_NAMES: Final = tuple(_FIELDS)
# First words of genuine employers; campaign employers use other words (`_FRONT_WORDS`).
_EMPLOYER_WORDS: Final = tuple(
    "Northbridge Aldercrest Bluewater Kestrel Ironwood Harbourside Redfern Ashgrove Silverline "
    "Brightwell Oakfield Thornbury Westmoor Larkspur Copperleaf Fairhaven Granite Lakeshore "
    "Millbrook Riverstone Stonegate Willowbank Clearwater Greenhill Highgate Kingsley Mapleton "
    "Norwood Pemberton Quayside Rosewood Sandford Tidewell Upland Valecrest Whitfield Yarrow "
    "Brackenridge Cobalt Driftwood Elmstead Foxglove Glenmore Hawthorne Juniper Kelvin Linden "
    "Marlow Newhaven Orchard Pinecrest Ravenswood Saltire Tamarind Verity Wexford Birchwood "
    "Calder Fenwick Heron".split()
)
_EMPLOYERS_PER_FIELD: Final = 150
_EMPLOYER_ENDINGS: Final = ("", "", "", " Ltd", " Group", " Inc.", " GmbH", " & Co.")
_HOBBIES: Final = (
    "running", "climbing", "cooking for friends", "sailing", "cycling", "taking photographs",
    "playing chess", "gardening", "playing the piano", "birdwatching", "baking bread", "hiking",
    "reading science fiction", "playing five-a-side", "doing yoga", "woodworking",
    "coaching junior rugby", "painting", "travelling", "learning Spanish", "swimming",
    "restoring old bikes", "at a gig", "on the allotment", "trail running", "bouldering",
)  # fmt: skip
_VALUES: Final = (
    "clear communication", "mentoring", "doing things properly", "curiosity", "accessibility",
    "good documentation", "teamwork", "fairness", "sustainability", "honest feedback",
    "continuous learning", "simplicity", "kindness at work", "evidence over opinion",
)  # fmt: skip
_PARTNERS: Final = (
    "small businesses", "public sector teams", "start-ups", "hospitals", "local charities",
    "global brands", "research groups", "schools", "product teams", "family-owned firms",
    "NHS trusts", "retailers", "universities", "housing associations", "manufacturers",
)  # fmt: skip
_PROJECT_ADJECTIVES: Final = (
    "a regional", "a company-wide", "an open-source", "an award-winning", "a cross-border",
    "a multi-year", "a small but fun", "a long-overdue", "a greenfield", "a national",
)  # fmt: skip
_PROJECT_NOUNS: Final = (
    "migration", "rebrand", "pilot programme", "training scheme", "platform rewrite", "audit",
    "expansion", "reorganisation", "tender", "research study", "product launch", "merger",
)  # fmt: skip
_CHARITIES: Final = (
    "Code Club", "a local food bank", "the Samaritans", "a youth football club",
    "Habitat for Humanity", "a refugee support group", "parkrun", "an animal shelter",
    "a literacy charity", "St John Ambulance", "a hospice", "Scouts",
)  # fmt: skip
_LANGUAGES: Final = (
    "English", "French", "Spanish", "German", "Arabic", "Mandarin", "Hindi", "Portuguese",
    "Italian", "Japanese", "Polish", "Turkish", "Dutch", "Russian", "Korean", "Swahili",
)  # fmt: skip
_DEGREES: Final = ("BSc", "BA", "MSc", "MA", "PhD", "MBA", "BEng", "LLB", "MEng", "MPhil")
_EVENTS: Final = (
    "the {city} meetup", "last week's conference", "the {topic} workshop", "the alumni dinner",
    "the {city} summit", "the trade show", "the webinar on {topic}", "the hackathon",
)  # fmt: skip
_FREE_MAIL: Final = (
    "gmail.com", "outlook.com", "yahoo.com", "hotmail.com", "icloud.com", "proton.me",
    "gmx.de", "yandex.com", "163.com", "mail.com",
)  # fmt: skip

# Sentence frames of genuine About texts, by part. Slots are filled per profile (`_Slots`).
_ABOUT_INTROS: Final = (
    "I'm {title_a} based in {city}.",
    "{title} with {years} years of experience in {topic}.",
    "I work as {title_a} at {employer}.",
    "Currently {title_a} at {employer}, working mostly on {topic}.",
    "For the past {years} years I've worked in {topic}, most recently at {employer}.",
    "{title} at {employer}. Previously {employer2}.",
    "Hi, I'm {first}: {title_a} who loves {topic}.",
    "Experienced {title_lower} focused on {topic} and {topic2}.",
    "I help {partner} with {topic}.",
    "{title} | {topic} | {skill}",
    "{first} here. I've spent {years} years in {topic} and still enjoy it.",
    "My name is {first} and I'm {title_a} at {employer} in {city}.",
    "{title} in {city}, {years} years in and still learning.",
)
_ABOUT_WORK: Final = (
    "My work focuses on {topic}, mostly with {partner}.",
    "Before joining {employer} I spent {years2} years at {employer2}.",
    "I lead a small team working on {topic}.",
    "Recent projects include {project} and {project2}.",
    "I care about {value} and {value2}.",
    "Most of my days are spent on {topic}, with the odd detour into {topic2}.",
    "I started out in {topic2} and moved into {topic} after {years2} years.",
    "At {employer} I look after {topic} for {partner}.",
    "I'm particularly interested in how {topic} can help {partner}.",
    "I enjoy mentoring junior colleagues and believe in {value}.",
    "What I like most about my job is {value}.",
    "I've worked with {partner} in {country} and beyond.",
    "Lately I've been spending a lot of time on {project}.",
    "Along the way I picked up {skill} and a healthy respect for {value}.",
)
_ABOUT_SKILLS: Final = (
    "Skills: {skill}, {skill2}, {skill3}.",
    "Tools I use most: {skill}, {skill2} and {skill3}.",
    "Strong background in {skill} and {skill2}.",
    "Specialties: {skill} · {skill2} · {skill3} · {skill4}",
    "Comfortable with {skill}, {skill2} and a bit of {skill3}.",
)
_ABOUT_EDUCATION: Final = (
    "I studied {study} at {school}.",
    "{degree} in {study} from {school}.",
    "Graduated from {school} in {grad_year} with a degree in {study}.",
    "{degree}, {study} ({school}, {grad_year}).",
)
_ABOUT_PERSONAL: Final = (
    "Outside work you'll find me {hobby} or {hobby2}.",
    "When I'm not working I enjoy {hobby}.",
    "Based in {city}, originally from {home}.",
    "I volunteer with {charity}.",
    "Parent of two, usually {hobby} at weekends.",
    "I speak {language} and {language2}.",
    "Weekends: {hobby}, {hobby2}, and too much coffee.",
)
_ABOUT_CLOSINGS: Final = (
    "Always happy to talk about {topic}.",
    "Feel free to reach out about {topic} or {topic2}.",
    "Views are my own.",
    "Open to new opportunities in {topic}.",
    "Let's connect if you work in {topic}.",
    "We're hiring at {employer}: get in touch.",
)
_GENUINE_NOTES: Final = (
    "Hi {recipient}, great to meet you at {event}.",
    "Hi {recipient}, I enjoyed your post about {topic}. Would be good to connect.",
    "Hello {recipient}, we worked together at {employer2} years ago. Hope you're well!",
    "Hi {recipient}, I'm also in {topic} here in {city}; would love to stay in touch.",
    "Hi {recipient}, thanks for your talk on {topic} at {event}.",
    "{recipient}, good chatting earlier. Connecting as promised.",
    "Hi {recipient}, we were both on the {project} call last {weekday}; great points on {topic}.",
    "Hello {recipient}, I'm building a network of people in {topic} around {city}.",
    "Hi {recipient}, {recipient2} mentioned you're the person to ask about {skill}.",
    "Hi {recipient}, fellow {school} alumnus here, now {title_a} at {employer}.",
    "Dear {recipient}, I read your thread on {topic} and {topic2} and agreed with most of it.",
    "Hi {recipient}, a colleague at {employer} suggested we talk about {topic}.",
)

# A genuine person's own voice: every sentence they write may start its own way, end with a
# detail of their own and use their own words, so that strangers' texts share a frame's
# skeleton at most, never a whole sentence, as real people's do (a campaign's members copy one).
_GENUINE_OPENERS: Final = (
    "These days", "Day to day,", "In my current role", "For the last {years2} years", "Right now",
    "Mostly,", "At the moment", "In short,", "Since {grad_year}", "Lately", "On a good day",
    "In {city}", "Over the years", "Professionally,", "To be honest,", "As a rule",
)  # fmt: skip
_GENUINE_TAILS: Final = (
    " in {city}", " across {country}", " for {partner}", " alongside {team} colleagues",
    " since {grad_year}", " (mostly remotely)", " with a great team", ", on and off",
    " when time allows", " at {employer}", " with {charity} on the side", ", {years2} days a week",
    " for about {team} clients", " and I still learn something every week", " in {language}",
    " here and in {home}", ", which I love", " most weeks", " with help from {recipient}",
)  # fmt: skip
_GENUINE_SYNONYMS: Final = {
    "focuses": ("centres", "concentrates"), "mostly": ("largely", "mainly"),
    "small": ("tiny", "compact", "lean"), "team": ("group", "crew", "squad"),
    "projects": ("pieces of work", "assignments"), "enjoy": ("like", "love", "relish"),
    "colleagues": ("teammates", "co-workers", "peers"), "recent": ("latest", "newer"),
    "interested": ("keen", "curious"), "days": ("weeks", "hours"),
    "particularly": ("especially", "really"), "help": ("support", "serve"), "lead": ("run", "head"),
    "moved": ("switched", "shifted"), "great": ("lovely", "good"),
    "meet": ("see", "chat with"), "enjoyed": ("liked", "loved"), "post": ("article", "piece"),
    "connect": ("stay in touch", "keep in touch"), "together": ("side by side", "jointly"),
    "suggested": ("said", "thought"), "talk": ("chat", "speak"), "thanks": ("cheers", "thank you"),
    "happy": ("glad", "pleased"), "new": ("fresh", "other"),
    "experienced": ("seasoned", "practised"), "currently": ("presently", "now"), "like": ("love", "enjoy"),
    "weekends": ("Saturdays", "Sundays", "days off"), "usually": ("often", "mostly"),
}  # fmt: skip
# What a role was, in a genuine profile's own words (several slots each, so that two strangers'
# descriptions seldom read alike).
_ROLE_DUTIES: Final = (
    "Led {project} for {partner}, with a team of {team} and a lot of {skill}.",
    "Responsible for {topic} and {topic2} across {country}, reporting to the {title_lower} lead.",
    "Managed a budget of {budget} and a team of {team} working on {topic}.",
    "Delivered {project} and {project2}, both on time and one of them under budget.",
    "Worked on {topic} with {partner} in {city}; my main tools were {skill} and {skill2}.",
    "Set up the {topic} function from scratch and hired its first {team} people.",
    "Supported {partner} in {city} with {skill}, {skill2} and the occasional late night.",
    "Grew our {topic} work by {percent}% in {years2} years while keeping the same headcount.",
    "Trained {team} new starters in {skill} and wrote the guide we still use for {topic}.",
    "Built the {skill} reporting that {team} teams across {country} relied on every week.",
    "Split my time between {topic} and {topic2}, mostly for {partner}, mostly in {city}.",
    "Ran the {topic} side of {project}, from the first workshop to the final handover.",
)  # fmt: skip
_NOTE_SECOND_SENTENCES: Final = (
    "Hope {city} is treating you well.", "I'm at {employer} now, working on {topic}.",
    "Let me know if you're ever in {city}.", "Would be good to compare notes on {topic}.",
    "I've been meaning to ask about {project}.", "Say hello to the team at {employer2}.",
    "I'll be at {event} too, if you're going.", "No agenda, just keen to keep in touch.",
    "My colleague {recipient} speaks highly of you.", "I'm looking into {skill} at the moment.",
)  # fmt: skip
_WEEKDAYS: Final = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")
_NOTE_SIGN_OFFS: Final = ("{first}", "Cheers, {first}", "Best, {first}", "Thanks! {first}", "")

# Campaign personas: employers nobody can check, roles, and what they are after.
_FRONT_WORDS: Final = tuple(
    "Global Meridian Apex Sterling Pinnacle Horizon Atlas Vanguard Summit Crestview Orion "
    "Beacon Zenith Paragon Evergreen Keystone Nexus Sovereign Trident Aurora Capstone Lodestar "
    "Polaris Ascend Halcyon Regent Centurion Everest".split()
)
_MIDDLE_WORDS: Final = tuple(
    "Insight Strategic Talent Policy Research Advisory Intelligence Risk Consulting Analytics "
    "Executive Geopolitical Expert Futures".split()
)
_BACK_WORDS: Final = tuple(
    "Partners Group Consulting Advisory Institute Solutions Associates Network Council Agency "
    "Forum Foundation".split()
)
_REGIONS_SUFFIX: Final = (
    "", " Europe", " Asia", " International", " Middle East", " Americas", " UK", " Pacific",
)  # fmt: skip
_EMPLOYER_VARIANTS: Final[tuple[Callable[[str], str], ...]] = (
    lambda name: name,
    lambda name: f"{name} Ltd",
    lambda name: f"{name} Ltd.",
    lambda name: f"{name} Limited",
    lambda name: name.upper(),
    lambda name: name.lower(),
    lambda name: f"The {name}",
    lambda name: f"{name} LLC",
    lambda name: name.replace(" ", ""),
)
_PERSONA_ROLES: Final = (
    "Talent Acquisition Partner", "Senior Recruiter", "Executive Search Consultant",
    "Head of Research", "Research Director", "Geopolitical Analyst",
    "Director of Strategic Partnerships", "Client Relations Manager", "Senior Consultant",
    "Programme Director", "HR Manager", "Expert Network Manager", "Policy Fellow",
    "Investment Director",
)  # fmt: skip
_HEADLINES: Final = ("{role} at {employer}", "{role} | {employer}", "{role} - {employer}")
_CAMPAIGN_VALUES: Final = {
    "sector": (
        "defence", "aerospace", "semiconductor", "energy", "telecoms", "government", "biotech",
        "finance", "nuclear", "AI research", "space", "cyber security",
    ),
    "topic": (
        "export controls", "regulatory change", "emerging technology", "market entry",
        "security policy", "industrial strategy", "procurement trends", "technology transfer",
        "supply chain risk", "critical infrastructure",
    ),
    "clients": (
        "government clients", "private equity funds", "Asian investors", "Fortune 500 companies",
        "sovereign funds", "think tanks", "family offices", "institutional investors",
        "international organisations",
    ),
    "region": (
        "Europe", "Asia-Pacific", "the Middle East", "North America", "the Gulf", "East Asia",
        "the UK", "Central Asia",
    ),
    "fee": (
        "$500 an hour", "£400 per report", "up to $2,000 per paper", "€350 per call",
        "$1,500 per briefing", "£250 an hour",
    ),
    "venue": (
        "Singapore", "Dubai", "Hong Kong", "Shanghai", "Istanbul", "Geneva", "Vienna",
        "Kuala Lumpur",
    ),
}  # fmt: skip
# Campaign text frames. {first}, {name}, {role}, {role_a}, {employer}, {recipient}, {target_org}
# differ per member; the other slots are the campaign's own.
_PERSONA_INTROS: Final = (
    "I'm {first}, {role_a} at {employer}.",
    "{role} at {employer}, connecting {sector} experts with {clients}.",
    "My name is {first} and I head up research at {employer}.",
    "As {role_a} with {employer}, I work with senior professionals across {region}.",
    "I am {first}, {role_a} supporting {clients} in {region}.",
    "Hello! {first} here, {role_a} for {employer}.",
    "{first} - {role} - {employer}. Helping {clients} understand {topic}.",
)
_PERSONA_WHAT: Final = (
    "We advise {clients} on {topic} and emerging risks in {region}.",
    "Our firm delivers bespoke insight on {topic} for a select group of {clients}.",
    "We build expert networks for {clients} who need candid views on {topic}.",
    "Our team matches experienced {sector} professionals with short consulting projects.",
    "{employer} works discreetly with {clients} on {topic}.",
    "We are a boutique consultancy focused on {topic} in {region}.",
    "Our clients value first-hand knowledge of the {sector} industry above everything else.",
    "We research {topic} for decision makers who cannot find the answers in public sources.",
)
_PERSONA_OFFERS: Final = (
    "Experts in our network earn {fee} for short written reports.",
    "We offer flexible, fully remote projects paid at {fee}.",
    "Selected contributors are invited to all-expenses-paid roundtables in {venue}.",
    "This is a rare, exclusive opportunity for people with real insight into {topic}.",
    "Consultations take about an hour and are very well paid.",
    "We cover travel and accommodation for speakers at our annual summit in {venue}.",
    "Successful candidates can expect a generous retainer and complete flexibility.",
)
_PERSONA_ASKS: Final = (
    "If you have experience in {sector}, I would love to connect.",
    "Please accept my invitation so we can discuss a paid opportunity.",
    "Feel free to message me directly, or add me on WhatsApp for a quicker reply.",
    "Drop me a line and I will share the details privately.",
    "Let's connect and continue the conversation by email.",
    "I'm always keen to hear from people working on {topic}.",
)
# Every About is signed with the member's full name, so that no two members' texts are
# byte-identical by chance even when only names change.
_PERSONA_SIGN_OFFS: Final = ("Best regards, {name}.", "Thanks, {name}", "{name}", "- {name}")
_NOTE_GREETINGS: Final = ("Hi {recipient},", "Dear {recipient},", "Hello {recipient},")
_NOTE_FLATTERY: Final = (
    "I came across your profile and was really impressed by your work at {target_org}.",
    "Your background in {sector} stands out from everyone else I have spoken to.",
    "Your experience is exactly what our clients are looking for.",
    "I have read about your team at {target_org} and would value your perspective.",
    "Someone with your expertise in {topic} is very hard to find.",
)
_NOTE_ASKS: Final = (
    "Would you be open to a quick call this week?",
    "Could we continue on WhatsApp? It's easier for me.",
    "Please send me your CV and a short note on your current responsibilities.",
    "Can you share your personal email so I can send the details?",
    "Are you free to talk in the next few days? The project starts soon.",
)
_FOLLOW_UPS: Final = (
    "Following up on my note: the project pays {fee} and can be done from home.",
    "Could you share a few lines on your current responsibilities at {target_org}?",
    "It is easier to talk on WhatsApp or Telegram; could you send me your number?",
    "Our client would also like to know more about your colleagues and their areas of work.",
    "I can arrange a trip to {venue} with all expenses covered.",
    "There is no need to mention this to your employer at this stage.",
    "Our {clients} are preparing a report on {topic} in {region} and your view would help.",
    "The first paper is short: two pages on {topic} for {clients}, paid at {fee}.",
    "My manager will be in {venue} next month and would like to meet you about {topic}.",
    "We pay {fee}; many of our experts in {sector} started with one small paper.",
    "Please keep this between us; {clients} value discretion on {topic}.",
    "If {topic} is not your area, perhaps a colleague in {sector} would be interested?",
    "I have attached our terms; the rate is {fee} for work on {topic} in {region}.",
    "Happy to cover travel to {venue} for a workshop on {topic} with {clients}.",
)
_DESCRIPTIONS: Final = (
    "Leading {topic} projects for {clients} across {region}.",
    "Building a network of {sector} experts for confidential client work.",
    "Research and advisory work on {topic}.",
    "Managing relationships with {clients} and senior experts in {sector}.",
)
_HANDLE_PATTERNS: Final = (
    "{first}-{last}-{d4}", "{first}{last}{d4}", "{f}{last}{d3}", "{first}-{last}{d2}",
    "{last}-{first}-{d4}", "{first}{last}-{d4}",
)  # fmt: skip
_EMAIL_PATTERNS: Final = (
    "{first}.{last}{d4}", "{first}{last}{d2}", "{f}.{last}{d4}", "{first}_{last}{d3}",
    "{last}.{first}{d4}", "{first}.{last}",
)  # fmt: skip
_FAMOUS_SCHOOLS: Final = (
    "London School of Economics", "University of Cambridge", "Harvard University",
    "National University of Singapore", "Sciences Po", "Stanford University",
    "University of Oxford", "Peking University", "King's College London",
)  # fmt: skip

# The paraphraser's word lists.
_SYNONYMS: Final = {
    "opportunity": ("opening", "role", "position"), "exclusive": ("unique", "special"),
    "rare": ("unusual", "uncommon"), "discuss": ("talk about", "go over"),
    "clients": ("customers", "partners"), "senior": ("experienced", "high-level"),
    "professionals": ("experts", "specialists"), "experts": ("specialists", "professionals"),
    "insight": ("perspective", "expertise"), "bespoke": ("tailored", "custom"),
    "short": ("brief", "quick"), "reports": ("papers", "briefings"),
    "remote": ("home-based", "location-independent"), "paid": ("compensated", "remunerated"),
    "flexible": ("adaptable", "convenient"), "candid": ("honest", "frank"),
    "discreetly": ("confidentially", "quietly"), "emerging": ("new", "evolving"),
    "risks": ("threats", "challenges"), "connect": ("link up", "get in touch"),
    "love": ("like", "be glad"), "keen": ("eager", "happy"), "details": ("specifics", "particulars"),
    "privately": ("directly", "one to one"), "invitation": ("request", "invite"),
    "quick": ("short", "brief"), "projects": ("assignments", "engagements"),
    "consultancy": ("advisory firm", "consulting firm"), "network": ("community", "circle"),
    "summit": ("conference", "forum"), "annual": ("yearly",), "travel": ("flights",),
    "accommodation": ("hotels", "lodging"), "impressed": ("struck", "taken"),
    "background": ("experience", "track record"), "firm": ("company", "practice"),
    "team": ("group", "unit"), "cover": ("pay for", "fund"), "well": ("generously",),
    "hear": ("learn",), "message": ("contact", "write to"), "directly": ("personally",),
    "offer": ("provide",), "delivers": ("provides", "produces"), "select": ("small", "exclusive"),
    "value": ("prize", "appreciate"), "generous": ("substantial", "attractive"),
    "complete": ("total", "full"), "understand": ("make sense of", "navigate"),
    "valuable": ("useful", "important"), "looking": ("searching",), "hard": ("difficult",),
    "share": ("send", "pass on"), "easier": ("simpler", "quicker"), "arrange": ("organise", "book"),
    "candidates": ("applicants", "contributors"), "research": ("analysis", "study"),
    "expertise": ("knowledge", "experience"), "helping": ("assisting", "supporting"),
    "earn": ("receive", "make"), "spoken": ("talked",), "perspective": ("view", "opinion"),
}  # fmt: skip
_FILLERS: Final = ("really", "truly", "genuinely", "currently", "also", "very", "actually")
_DROPPABLE: Final = frozenset(
    "very really truly also currently fully quick short directly rare first-hand generous "
    "complete select senior".split()
)
_WORD: Final = re.compile(r"\{\w+\}|[A-Za-z][A-Za-z'-]*")
_ARTICLE: Final = re.compile(r"\b([Aa]n?) ([A-Za-z]+)")


# ---------------------------------------------------------------------------------------------
# The plan: how big each campaign is, which rows belong to it, and what its members share.


@dataclass(frozen=True, slots=True)
class _Text:
    """A text template: an opening, body sentences that may be reordered, and a closing."""

    opening: str
    body: tuple[str, ...]
    closing: str


@dataclass(frozen=True, slots=True)
class _Campaign:
    number: int
    id: str
    size: int
    obfuscation: str
    platform: str
    about: _Text
    note: _Text
    follow_ups: tuple[str, ...]
    description: str
    employers: tuple[str, ...]  # spellings of one employer
    roles: tuple[str, ...]
    headline: str
    cultures: tuple[str, ...]
    female_share: float
    places: tuple[str, ...]
    handle_pattern: str
    email_pattern: str
    email_domain: str
    joined_from: int  # ordinal day: members joined within `joined_days` of it
    joined_days: int
    photo_bases: int


@dataclass(frozen=True)
class _Plan:
    campaigns: tuple[_Campaign, ...]
    member_of: np.ndarray  # campaign number per row, -1 for genuine profiles


def _seeded(purpose: str, seed: int) -> random.Random:
    """An independent random stream per purpose, the same on every run."""
    return random.Random(f"linkvet-corpus-{purpose}:{seed}")  # noqa: S311 - not for security


def _plan(profiles: int, campaigns: int, seed: int) -> _Plan:
    rng = _seeded("plan", seed)
    sizes = _campaign_sizes(profiles, campaigns, rng)
    rows = rng.sample(range(profiles), sum(sizes))
    member_of = np.full(profiles, -1, dtype=np.int32)
    start = 0
    for number, size in enumerate(sizes):
        member_of[rows[start : start + size]] = number
        start += size
    names = _campaign_employers(campaigns, rng)
    planned = tuple(
        _campaign(number, size, names[number], rng) for number, size in enumerate(sizes)
    )
    return _Plan(planned, member_of)


def _campaign_sizes(profiles: int, campaigns: int, rng: random.Random) -> list[int]:
    """Heavy-tailed sizes: half of 3 to 5 members, one in sixteen of 50 or more, and one as
    large as the corpus allows (500 members from 10,000 profiles up)."""
    if campaigns == 0:
        return []
    # Campaigns stay a minority (a fifth of the rows) unless the caller asks for very many.
    budget = max(SMALLEST_CAMPAIGN * campaigns, profiles // 5)
    others = campaigns - 1
    largest = min(LARGEST_CAMPAIGN, profiles // 20, budget - SMALLEST_CAMPAIGN * others)
    largest = max(SMALLEST_CAMPAIGN, largest)
    # A Pareto tail: P(size >= s) = 3 / s.
    sizes = [min(largest, int(SMALLEST_CAMPAIGN / (1.0 - rng.random()))) for _ in range(others)]
    if sum(sizes) > budget - largest:  # cap the others, never below 3, to fit the budget
        low, high = SMALLEST_CAMPAIGN, largest
        while low < high:
            middle = (low + high + 1) // 2
            if sum(min(size, middle) for size in sizes) <= budget - largest:
                low = middle
            else:
                high = middle - 1
        sizes = [min(size, low) for size in sizes]
    sizes.append(largest)
    rng.shuffle(sizes)
    return sizes


def _campaign_employers(campaigns: int, rng: random.Random) -> list[str]:
    """A distinct made-up employer per campaign, from words no genuine employer uses."""
    parts = (_FRONT_WORDS, _MIDDLE_WORDS, _BACK_WORDS, _REGIONS_SUFFIX)
    space = math.prod(len(words) for words in parts)
    names = []
    for code in rng.sample(range(space), min(campaigns, space)):
        words = []
        for choices in parts:
            code, position = divmod(code, len(choices))
            words.append(choices[position])
        front, middle, back, region = words
        if middle == back:
            back = "Partners" if back != "Partners" else "Group"
        names.append(f"{front} {middle} {back}{region}")
    # Beyond the combinations: a number makes the name distinct.
    names += [f"{names[n % space]} {n // space + 1}" for n in range(space, campaigns)]
    return names


def _campaign(number: int, size: int, employer: str, rng: random.Random) -> _Campaign:
    values = {slot: rng.choice(options) for slot, options in _CAMPAIGN_VALUES.items()}

    def worded(text: str) -> str:
        # The campaign's own values in, and its own wording: campaigns that drew the same frame
        # should not read the same.
        return _swap_synonyms(_fill_known(text, values), rng, 0.3)

    def frame(options: Sequence[str]) -> str:
        return worded(rng.choice(options))

    def frames(options: Sequence[str], low: int, high: int) -> list[str]:
        return [worded(text) for text in rng.sample(options, rng.randint(low, high))]

    about = _Text(
        frame(_PERSONA_INTROS),
        (*frames(_PERSONA_WHAT, 1, 2), *frames(_PERSONA_OFFERS, 1, 2), frame(_PERSONA_ASKS)),
        rng.choice(_PERSONA_SIGN_OFFS),
    )
    note = _Text(
        rng.choice(_NOTE_GREETINGS),
        (frame(_NOTE_FLATTERY), frame(_PERSONA_OFFERS), frame(_NOTE_ASKS)),
        rng.choice(("{first}", "Best, {first}", "Regards", "")),
    )
    spellings = rng.sample(range(len(_EMPLOYER_VARIANTS)), rng.randint(2, 4))
    recent = rng.random() < 0.7  # most farms are young; some buy or age their accounts
    observed = OBSERVED_AT.toordinal()
    days_ago = rng.randint(30, 700) if recent else rng.randint(700, 6000)
    domain = rng.choice(_FREE_MAIL)
    if rng.random() < 0.4:  # a look-alike company domain
        domain = f"{_ascii(employer)[:24]}{rng.choice(('.com', '.co', '.net', '.org', '.io'))}"
    culture = rng.choices(_CULTURE_NAMES, weights=_CULTURE_WEIGHTS)[0]
    cultures = (culture, rng.choice(_CULTURE_NAMES)) if rng.random() < 0.3 else (culture,)
    places = rng.sample([*_HUBS, *_CULTURES[culture].places], rng.randint(1, 3))
    return _Campaign(
        number=number,
        id=f"campaign-{number + 1:05d}",
        size=size,
        obfuscation=rng.choices(OBFUSCATIONS, weights=(0.15, 0.25, 0.2, 0.2, 0.2))[0],
        platform="linkedin" if rng.random() < 0.9 else "facebook",
        about=about,
        note=note,
        follow_ups=tuple(frames(_FOLLOW_UPS, 2, 3)),
        description=_fill_known(rng.choice(_DESCRIPTIONS), values),
        employers=tuple(_EMPLOYER_VARIANTS[spelling](employer) for spelling in spellings),
        roles=tuple(rng.sample(_PERSONA_ROLES, rng.randint(1, 2))),
        headline=rng.choice(_HEADLINES),
        cultures=cultures,
        female_share=rng.choice((0.5, 0.7, 0.9)),
        places=tuple(places),
        handle_pattern=rng.choice(_HANDLE_PATTERNS),
        email_pattern=rng.choice(_EMAIL_PATTERNS),
        email_domain=domain,
        joined_from=observed - days_ago,
        joined_days=rng.randint(1, 7),
        photo_bases=min(3, 1 + size // 50),
    )


# ---------------------------------------------------------------------------------------------
# Text helpers.


class _Known(dict[str, str]):
    """Fills the slots it knows and leaves the others for later."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def _fill_known(text: str, values: Mapping[str, str]) -> str:
    return text.format_map(_Known(values))


def _swap_synonyms(
    text: str, rng: random.Random, share: float, synonyms: Mapping[str, tuple[str, ...]] = _SYNONYMS
) -> str:
    def swap(match: re.Match[str]) -> str:
        word = match.group()
        options = synonyms.get(word.lower())
        if options is None or rng.random() >= share:
            return word
        choice = rng.choice(options)
        return choice[0].upper() + choice[1:] if word[0].isupper() else choice

    return _fix_articles(_WORD.sub(swap, text))


def _edit_words(text: str, rng: random.Random) -> str:
    """Drop dispensable words now and then, and insert a filler."""
    words = [w for w in text.split(" ") if w.lower() not in _DROPPABLE or rng.random() < 0.5]
    if len(words) > 2 and rng.random() < 0.5:
        words.insert(rng.randrange(1, len(words)), rng.choice(_FILLERS))
    return _fix_articles(" ".join(words))


def _obfuscated(text: _Text, kind: str, rng: random.Random) -> list[str]:
    """One member's copy of a campaign template, paraphrased as the campaign's kind says."""
    body = list(text.body)
    if kind in ("reordered", "paraphrased"):
        rng.shuffle(body)
    if kind in ("edited", "paraphrased") and len(body) > 2 and rng.random() < 0.3:
        del body[rng.randrange(len(body))]
    sentences = [text.opening, *body, text.closing]
    if kind in ("edited", "paraphrased"):
        sentences = [_edit_words(sentence, rng) for sentence in sentences]
    if kind in ("synonyms", "paraphrased"):
        share = 0.35 if kind == "synonyms" else 0.4
        sentences = [_swap_synonyms(sentence, rng, share) for sentence in sentences]
    return [sentence for sentence in sentences if sentence]


def _takes_an(word: str) -> bool:
    lowered = word.lower()
    return lowered[:1] in "aeiou" and not lowered.startswith(("uni", "use", "usu", "one", "eu"))


def _tidy(text: str) -> str:
    """Filled frames end in "Inc.." when a name ends in a full stop; one is enough."""
    return text.replace("..", ".")


def _article(words: str) -> str:
    return f"{'an' if _takes_an(words) else 'a'} {words}"


def _fix_articles(text: str) -> str:
    """ "a" or "an" as the next word needs, after a swap or an insertion changed it."""

    def fixed(match: re.Match[str]) -> str:
        article, word = match.groups()
        wanted = "an" if _takes_an(word) else "a"
        return f"{wanted.capitalize() if article[0] == 'A' else wanted} {word}"

    return _ARTICLE.sub(fixed, text)


# Letters that Unicode does not decompose into an ASCII letter and a mark.
_ASCII: Final = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "ß": "ss", "ı": "i", "đ": "d"})  # noqa: RUF001


@lru_cache(maxsize=4096)
def _ascii(text: str) -> str:
    """Lower-case ASCII letters and digits only, as handles and e-mail addresses spell names."""
    decomposed = unicodedata.normalize("NFKD", text.translate(_ASCII))
    return "".join(c for c in decomposed.lower() if c.isascii() and c.isalnum())


def _feminine(culture: str, surname: str) -> str:
    """Polish and Russian surnames take a feminine ending."""
    if culture == "polish" and surname.endswith("ki"):
        return surname[:-1] + "a"
    if culture == "russian" and surname.endswith(("ov", "ev", "in")):
        return surname + "a"
    return surname


def _month(months_ago: int) -> str:
    total = OBSERVED_AT.year * 12 + OBSERVED_AT.month - 1 - months_ago
    return f"{total // 12}-{total % 12 + 1:02d}"


def _shown_count(count: int) -> int | str:
    """LinkedIn shows "500+" for any number of connections above 500."""
    return "500+" if count > 500 else count


# ---------------------------------------------------------------------------------------------
# Rows.


class _Slots(dict[str, str]):
    """The values of one profile's sentence frames, each drawn when a frame first asks for it,
    so that a slot used twice reads the same both times."""

    def __init__(self, maker: _RowMaker, person: _Person) -> None:
        super().__init__()
        self.maker = maker
        self.person = person

    def __missing__(self, key: str) -> str:
        value = self.maker.slot(key, self.person, self)
        self[key] = value
        return value


@dataclass(slots=True)
class _Person:
    culture: str
    first: str
    last: str
    field: str
    title: str
    employer: str
    place: str


class _RowMaker:
    """Generates rows in order from one random stream, so the output does not depend on how the
    rows are chunked."""

    def __init__(self, plan: _Plan, seed: int, photos: _PhotoFolder | None) -> None:
        self.plan = plan
        self.seed = seed
        self.rng = _seeded("rows", seed)
        self.random = self.rng.random
        self.photo_folder = photos
        self.photos_written = 0
        self.photo_seconds = 0.0
        self.handles: set[str] = set()  # handles that are not unique by construction
        self.observed = OBSERVED_AT.toordinal()
        self.observed_text = OBSERVED_AT.isoformat()
        self.group = f"linkvet-bench-{seed}"
        # LinkedIn's random vanity suffix: a permutation of the row number, unique by design.
        self.suffix_offset = _seeded("suffix", seed).getrandbits(32)
        self.employers = self._employers(_seeded("employers", seed))

    @staticmethod
    def _employers(rng: random.Random) -> dict[str, _Weighted[str]]:
        """Per field, employers with Zipf-like popularity: a few big ones, many small ones."""
        employers = {}
        for name, field in _FIELDS.items():
            if name == "academia":
                names = [f"University of {city}" for city in _CITIES]
                names += [f"{city} Institute of Technology" for city in _CITIES]
            elif name == "public":
                names = [f"{city} City Council" for city in _CITIES]
                names += [
                    f"{word} {sector}" for word in _EMPLOYER_WORDS for sector in field.sectors[1:]
                ]
            else:
                names = [
                    f"{word} {sector}{rng.choice(_EMPLOYER_ENDINGS)}"
                    for word in _EMPLOYER_WORDS
                    for sector in field.sectors
                ]
            rng.shuffle(names)
            names = names[:_EMPLOYERS_PER_FIELD]
            employers[name] = _Weighted(
                names, [1 / (rank + 1) ** 0.9 for rank in range(len(names))]
            )
        return employers

    # Faster than Random.choice and Random.randint, which matters at a million rows.
    def pick(self, options: Sequence[_T]) -> _T:
        return options[int(self.random() * len(options))]

    def between(self, low: int, high: int) -> int:
        """A whole number from `low` to `high`, both included."""
        return low + int(self.random() * (high - low + 1))

    def employer(self, field: str) -> str:
        return self.employers[field].draw(self.random)

    def chunk(self, start: int, rows: int) -> tuple[list[tuple[Any, ...]], dict[str, list[Any]]]:
        out = []
        truth: dict[str, list[Any]] = {name: [] for name in _TRUTH_SCHEMA.names}
        for index in range(start, start + rows):
            number = int(self.plan.member_of[index])
            campaign = self.plan.campaigns[number] if number >= 0 else None
            row, photo_base, photo_transform = (
                self.genuine(index) if campaign is None else self.member(index, campaign)
            )
            out.append(row)
            truth["id"].append(row[0])
            truth["campaign"].append(None if campaign is None else campaign.id)
            truth["campaign_size"].append(None if campaign is None else campaign.size)
            truth["obfuscation"].append(None if campaign is None else campaign.obfuscation)
            truth["photo_base"].append(photo_base)
            truth["photo_transform"].append(photo_transform)
        return out, truth

    # -- people

    def person(self, cultures: Sequence[str] | None = None, female_share: float = 0.5) -> _Person:
        rng = self.rng
        culture = _CULTURE_DRAW.draw(self.random) if cultures is None else self.pick(cultures)
        names = _CULTURES[culture]
        female = rng.random() < female_share
        first = self.pick(names.female if female else names.male)
        last = self.pick(names.surnames)
        if female:
            last = _feminine(culture, last)
        field = self.pick(_FIELD_NAMES)
        place = self.pick(_HUBS) if rng.random() < 0.25 else self.pick(names.places)
        title = self.pick(_FIELDS[field].titles)
        return _Person(culture, first, last, field, title, self.employer(field), place)

    def slot(self, key: str, person: _Person, slots: _Slots) -> str:
        """The value of a frame's slot for `person`. A numbered slot ("topic2") draws again,
        avoiding the values its siblings already have."""
        draw = _SLOT_VALUES.get(key)
        if draw is not None:
            return draw(self, person, slots)
        base = key.rstrip("0123456789")
        taken = {
            slots[name] for name in (base, *(f"{base}{n}" for n in range(2, 5))) if name in slots
        }
        value = _SLOT_VALUES[base](self, person, slots)
        for _ in range(3):
            if value not in taken:
                break
            value = _SLOT_VALUES[base](self, person, slots)
        return value

    def first_name(self) -> str:
        names = _CULTURES[_CULTURE_DRAW.draw(self.random)]
        return self.pick(names.female if self.rng.random() < 0.5 else names.male)

    def home_city(self, person: _Person) -> str:
        return self.pick(_CULTURES[person.culture].places).split(",")[0]

    def school(self, person: _Person) -> str:
        city = self.home_city(person)
        return self.pick(
            (f"University of {city}", f"{city} Technical University", f"{city} Business School")
        )

    # -- genuine profiles

    def genuine(self, index: int) -> tuple[tuple[Any, ...], None, None]:
        rng = self.rng
        person = self.person()
        slots = _Slots(self, person)
        platform = _PLATFORM_DRAW.draw(self.random)
        first, last = _ascii(person.first), _ascii(person.last)
        if platform == "linkedin":
            style = self.pick(("{first}-{last}", "{first}{last}", "{f}{last}", "{first}-{f2}"))
            base = style.format(first=first, last=last, f=first[:1], f2=last[:1])
            code = (index * 0x9E3779B1 + self.suffix_offset) % (1 << 32)
            handle = f"{base}-{code:08x}"
        else:
            handle = self.unique_handle(first, last, platform)
        name = f"{person.first} {person.last}"
        if rng.random() < 0.05:
            name += self.pick((", PhD", " MBA", " CFA", ", MSc"))
        about = self.genuine_about(platform, slots)
        if platform == "linkedin":
            headline: str | None = self.pick(
                (f"{person.title} at {person.employer}", f"{person.title} | {slots['topic']}",
                 person.title, f"{person.title} at {person.employer} | {slots['topic2']}")
            )  # fmt: skip
            connections = int(min(30_000, rng.lognormvariate(math.log(280), 1.1)))
            followers: int | None = int(connections * rng.uniform(0.8, 1.6)) + int(
                rng.expovariate(0.02)
            )
            following: int | None = None
            shown: int | str | None = _shown_count(connections)
            posts = 0 if rng.random() < 0.4 else int(rng.lognormvariate(2.5, 1.3))
        else:
            headline = f"{person.title} at {person.employer}" if platform == "facebook" else None
            followers = int(rng.lognormvariate(5.0, 1.8))
            following = int(rng.lognormvariate(5.5, 1.1))
            shown = int(rng.lognormvariate(5.6, 0.9)) if platform == "facebook" else None
            posts = int(rng.lognormvariate(5.0, 1.8))
        days_ago = 30 + int((self.observed - dt.date(2004, 1, 1).toordinal()) * rng.random() ** 1.6)
        has_photo = rng.random() < 0.85
        profile: dict[str, Any] = {}
        if platform in ("linkedin", "facebook"):
            self.genuine_career(person, profile, slots)
        if rng.random() < 0.25:
            profile["contact"] = {"emails": [self.genuine_email(person)]}
        if rng.random() < 0.15:
            note = self.genuine_note(slots)
            profile["invitation"] = {"text": note, "sent_at": self.sent_at(60), "channel": platform}
        if has_photo and self.photo_folder is not None:
            profile["photo"] = {"path": self.genuine_photo(index)}
        row = (
            f"acct-{index:07d}", platform, _url(platform, handle), handle, name, headline,
            person.place, about, followers, following, shown, posts,
            dt.date.fromordinal(self.observed - days_ago).isoformat(), self.observed_text,
            has_photo, rng.random() < 0.15, rng.random() < 0.2, _json(profile), 0, self.group,
        )  # fmt: skip
        return row, None, None

    def genuine_about(self, platform: str, slots: _Slots) -> str | None:
        """Sentence frames in a random order and number, filled with this profile's values. An
        About has two sentences at least: one-liners ("I work as a Buyer at ...") would repeat by
        the thousand in a million profiles."""
        rng = self.rng
        if rng.random() < (0.2 if platform == "linkedin" else 0.1):
            return None
        if platform != "linkedin":  # a short bio
            parts = [self.pick(_ABOUT_INTROS)]
            if rng.random() < 0.8:
                parts.append(self.pick(_ABOUT_PERSONAL))
            bio = _tidy(" ".join(self.voiced(part, slots) for part in parts))
            return bio if len(bio) <= 160 else bio[: bio.rindex(" ", 0, 160)]
        body = rng.sample(_ABOUT_WORK, self.pick((1, 1, 2, 2, 3)))
        voiced = set(body)
        for frames, chance in (
            (_ABOUT_SKILLS, 0.4), (_ABOUT_EDUCATION, 0.3), (_ABOUT_PERSONAL, 0.5),
            (_ABOUT_PERSONAL, 0.15),
        ):  # fmt: skip
            if rng.random() < chance:
                body.append(self.pick(frames))
        rng.shuffle(body)
        if rng.random() < 0.4:
            body.append(self.pick(_ABOUT_CLOSINGS))
        intro, *rest = (
            self.voiced(frame, slots) if frame in voiced else frame.format_map(slots)
            for frame in [self.pick(_ABOUT_INTROS), *dict.fromkeys(body)]
        )
        gap = "\n\n" if rng.random() < 0.3 else " "  # a paragraph break after the intro
        return _tidy(intro + gap + " ".join(rest))

    def genuine_note(self, slots: _Slots) -> str:
        """An invitation note in this person's words: a frame, perhaps a second sentence, a
        sign-off."""
        rng = self.rng
        sentences = [self.voiced(self.pick(_GENUINE_NOTES), slots)]
        seconds = rng.sample(_NOTE_SECOND_SENTENCES, 1 if rng.random() < 0.5 else 2)
        sentences += [self.voiced(sentence, slots) for sentence in seconds]
        sentences.append(self.pick(_NOTE_SIGN_OFFS).format_map(slots))
        return _tidy(" ".join(sentence for sentence in sentences if sentence))

    def role_description(self, slots: _Slots) -> str:
        """A role in a few sentences of the person's own, or a bare list of skills. One sentence
        alone would be a frame that strangers share; a person's several, drawn independently,
        seldom are."""
        rng = self.rng
        if rng.random() < 0.3:
            return ", ".join(slots[name] for name in ("skill", "skill2", "skill3"))
        frames = rng.sample(_ROLE_DUTIES, self.pick((2, 2, 3)))
        return " ".join(self.voiced(frame, slots) for frame in frames)

    def voiced(self, frame: str, slots: _Slots) -> str:
        """`frame` filled with this person's values and said their way: perhaps opened with a
        phrase of their own, ended with a detail of their own, some words their own."""
        rng = self.rng
        text = frame.format_map(slots)
        if rng.random() < 0.4 and text.startswith(("I ", "I'", "My ", "Most ", "What ")):
            opener = self.pick(_GENUINE_OPENERS).format_map(slots)
            text = f"{opener} {text if text.startswith('I') else text[0].lower() + text[1:]}"
        if rng.random() < 0.6 and text.endswith("."):
            text = text[:-1] + self.pick(_GENUINE_TAILS).format_map(slots) + "."
        return _swap_synonyms(text, rng, 0.35, _GENUINE_SYNONYMS)

    def genuine_career(self, person: _Person, profile: dict[str, Any], slots: _Slots) -> None:
        rng = self.rng
        field = _FIELDS[person.field]
        jobs = []
        start_ago, end_ago = self.between(1, 96), 0
        for number in range(_JOBS_DRAW.draw(self.random)):
            job: dict[str, Any] = {
                "title": person.title if number == 0 else self.pick(field.titles),
                "organisation": person.employer if number == 0 else self.employer(person.field),
                "start": _month(start_ago),
            }
            if number == 0:
                job["current"] = True
            else:
                job["end"] = _month(end_ago)
            if rng.random() < 0.5:
                job["location"] = person.place
            if rng.random() < 0.1:
                job["employment_type"] = self.pick(("contract", "part-time", "freelance"))
            if rng.random() < 0.25:
                job["description"] = self.role_description(slots)
            jobs.append(job)
            # The job before this one ended a little before it started.
            end_ago = start_ago + self.between(0, 3)
            start_ago = end_ago + self.between(6, 72)
        if jobs or rng.random() < 0.5:
            profile["experience"] = jobs
        if rng.random() < 0.65:
            graduated = self.between(1985, 2025)
            profile["education"] = [
                {
                    "school": self.school(person),
                    "degree": self.pick(_DEGREES),
                    "field_of_study": self.pick(field.studies),
                    "start": str(graduated - self.between(1, 4)),
                    "end": str(graduated),
                }
            ]
        if rng.random() < 0.6:
            skills = rng.sample(field.skills, self.between(2, min(8, len(field.skills))))
            profile["skills"] = [{"name": skill} for skill in skills]
        if rng.random() < 0.2:
            languages = rng.sample(_LANGUAGES, self.between(1, 3))
            profile["languages"] = [{"name": language} for language in languages]

    def genuine_email(self, person: _Person) -> str:
        rng = self.rng
        first, last = _ascii(person.first), _ascii(person.last)
        local = self.pick(
            (f"{first}.{last}", f"{first}{last}{self.between(60, 99)}", f"{first[:1]}{last}",
             f"{first}_{last}", f"{first}.{last}{self.between(1, 99)}", f"{last}.{first}")
        )  # fmt: skip
        if rng.random() < 0.3:
            domain = f"{_ascii(person.employer.split(' ')[0])}.com"
        else:
            domain = self.pick(_FREE_MAIL[:6])
        return f"{local}@{domain}"

    def unique_handle(self, first: str, last: str, platform: str) -> str:
        rng = self.rng
        separator = "." if platform in ("facebook", "instagram") else "_"
        base = self.pick(
            (f"{first}{last}", f"{first}{separator}{last}", f"{first[:1]}{last}",
             f"{first}{last[:1]}", f"the{first}{last}", f"{last}{first[:1]}")
        )[:11]  # fmt: skip
        handle = base if rng.random() < 0.3 else f"{base}{self.between(1, 99)}"
        while handle in self.handles:
            handle = f"{base}{self.between(1, 9999)}"
        self.handles.add(handle)
        return handle

    # -- campaign members

    def member(
        self, index: int, campaign: _Campaign
    ) -> tuple[tuple[Any, ...], str | None, str | None]:
        rng = self.rng
        person = self.person(campaign.cultures, campaign.female_share)
        first, last = _ascii(person.first), _ascii(person.last)
        role = self.pick(campaign.roles)
        employer = self.pick(campaign.employers)
        values = {
            "first": person.first,
            "name": f"{person.first} {person.last}",
            "role": role,
            "role_a": _article(role),
            "employer": employer,
            "recipient": self.first_name(),
            "target_org": self.employer(self.pick(_FIELD_NAMES)),
        }
        digits = str(self.between(1000, 9999))
        parts = {"first": first, "last": last, "f": first[:1], "d2": digits[:2], "d3": digits[:3]}
        handle = self.member_handle(campaign.handle_pattern, {**parts, "d4": digits})
        kind = campaign.obfuscation
        about = _tidy(" ".join(_obfuscated(campaign.about, kind, rng)).format_map(values))
        joined = campaign.joined_from + rng.randrange(campaign.joined_days)
        connections = int(min(5000, rng.lognormvariate(math.log(90), 0.9)))
        profile: dict[str, Any] = {
            "experience": [
                {
                    "title": role,
                    "organisation": employer,
                    "start": dt.date.fromordinal(joined - self.between(0, 2000)).strftime("%Y-%m"),
                    "current": True,
                }
            ]
        }
        if rng.random() < 0.5:
            description = _swap_synonyms(campaign.description, rng, 0.3 if kind != "names" else 0)
            profile["experience"][0]["description"] = description
        if rng.random() < 0.4:
            profile["experience"].append(
                {
                    "title": self.pick(("Consultant", "Analyst", "Adviser", "Associate")),
                    "organisation": self.employer(self.pick(_FIELD_NAMES)),
                    "start": _month(self.between(60, 160)),
                    "end": _month(self.between(30, 59)),
                }
            )
        if rng.random() < 0.5:
            profile["education"] = [{"school": self.pick(_FAMOUS_SCHOOLS), "degree": "MA"}]
        if rng.random() < 0.7:
            local = campaign.email_pattern.format(**parts, d4=digits)
            profile["contact"] = {"emails": [f"{local}@{campaign.email_domain}"]}
        if rng.random() < 0.9:
            note = _tidy("\n".join(_obfuscated(campaign.note, kind, rng)).format_map(values))
            profile["invitation"] = {
                "text": note,
                "sent_at": self.sent_at(30),
                "channel": campaign.platform,
            }
            if rng.random() < 0.4:
                follow_up = " ".join(campaign.follow_ups).format_map(values)
                profile["messages"] = [
                    {"text": follow_up, "sent_at": self.sent_at(10), "channel": campaign.platform}
                ]
        photo_base = photo_transform = None
        if self.photo_folder is not None:
            base = rng.randrange(campaign.photo_bases)
            path, photo_transform = self.member_photo(index, campaign, base)
            profile["photo"] = {"path": path}
            photo_base = f"{campaign.id}/{base + 1}"
        row = (
            f"acct-{index:07d}", campaign.platform, _url(campaign.platform, handle), handle,
            values["name"],
            campaign.headline.format(role=role, employer=employer),
            self.pick(campaign.places), about, int(connections * rng.uniform(0.9, 1.3)), None,
            _shown_count(connections), self.pick((0, 0, 0, 1, 2, 3)),
            dt.date.fromordinal(joined).isoformat(), self.observed_text, True,
            rng.random() < 0.3, rng.random() < 0.02, _json(profile), 1, self.group,
        )  # fmt: skip
        return row, photo_base, photo_transform

    def member_handle(self, pattern: str, parts: Mapping[str, str]) -> str:
        handle = pattern.format(**parts)
        while handle in self.handles:
            handle = f"{handle}{self.between(0, 9)}"
        self.handles.add(handle)
        return handle

    def sent_at(self, within_days: int) -> str:
        moment = dt.datetime.combine(OBSERVED_AT, dt.time(), tzinfo=dt.UTC) - dt.timedelta(
            seconds=self.rng.randrange(1, within_days * 86_400)
        )
        return moment.strftime("%Y-%m-%dT%H:%M:%SZ")

    # -- photos

    def genuine_photo(self, index: int) -> str:
        """A photo of this profile's own, in one of the sizes platforms show."""
        started = time.perf_counter()
        image = _portrait(np.random.default_rng((self.seed, 0, index)))
        side = self.pick((200, 256, 320, 400))
        if side != _PHOTO_SIDE:
            image = image.resize((side, side), Image.Resampling.BICUBIC)
        quality = self.between(78, 95) if self.random() < 0.95 else None
        path = self.store_photo(index, image, quality)
        self.photo_seconds += time.perf_counter() - started
        return path

    def member_photo(self, index: int, campaign: _Campaign, base: int) -> tuple[str, str]:
        """A cropped, resized and re-encoded copy of one of the campaign's base photos, and
        what was done to it."""
        started = time.perf_counter()
        image = _portrait(np.random.default_rng((self.seed, 1, campaign.number, base)))
        crop = [round(self.random() * 0.1, 3) for _ in range(4)]  # left, top, right, bottom
        side = image.width
        image = image.crop(
            (
                round(side * crop[0]),
                round(side * crop[1]),
                side - round(side * crop[2]),
                side - round(side * crop[3]),
            )
        )
        scale = round(0.55 + 0.45 * self.random(), 2)
        width, height = (max(16, round(length * scale)) for length in image.size)
        image = image.resize((width, height), Image.Resampling.BICUBIC)
        quality = self.between(55, 92) if self.random() < 0.85 else None
        path = self.store_photo(index, image, quality)
        codec = "png" if quality is None else f"jpeg q{quality}"
        transform = f"crop {','.join(f'{c:.3f}' for c in crop)}; scale {scale:.2f}; {codec}"
        self.photo_seconds += time.perf_counter() - started
        return path, transform

    def store_photo(self, index: int, image: Image.Image, jpeg_quality: int | None) -> str:
        """Encode (JPEG at this quality, or PNG), write, and return the path profiles name."""
        assert self.photo_folder is not None
        if jpeg_quality is None:
            # Fast compression: the grain makes PNGs big whatever the level, and slow at 6.
            data, extension = _encoded(image, "PNG", compress_level=1), "png"
        else:
            data, extension = _encoded(image, "JPEG", quality=jpeg_quality), "jpg"
        self.photos_written += 1
        return self.photo_folder.write(index, f"acct-{index:07d}.{extension}", data)


_SlotValue = Callable[[_RowMaker, _Person, _Slots], str]
_SLOT_VALUES: Final[dict[str, _SlotValue]] = {
    "first": lambda maker, person, slots: person.first,
    "title": lambda maker, person, slots: person.title,
    "title_a": lambda maker, person, slots: _article(person.title),
    "title_lower": lambda maker, person, slots: person.title.lower(),
    "employer": lambda maker, person, slots: person.employer,
    "employer2": lambda maker, person, slots: maker.employer(person.field),
    "city": lambda maker, person, slots: person.place.split(",")[0],
    "country": lambda maker, person, slots: person.place.rsplit(", ", 1)[-1],
    "home": lambda maker, person, slots: maker.home_city(person),
    "years": lambda maker, person, slots: str(maker.between(2, 25)),
    "years2": lambda maker, person, slots: str(maker.between(1, 9)),
    "topic": lambda maker, person, slots: maker.pick(_FIELDS[person.field].topics),
    "skill": lambda maker, person, slots: maker.pick(_FIELDS[person.field].skills),
    "study": lambda maker, person, slots: maker.pick(_FIELDS[person.field].studies),
    "partner": lambda maker, person, slots: maker.pick(_PARTNERS),
    "project": lambda maker, person, slots: (
        f"{maker.pick(_PROJECT_ADJECTIVES)} {maker.pick(_PROJECT_NOUNS)}"
    ),
    "value": lambda maker, person, slots: maker.pick(_VALUES),
    "hobby": lambda maker, person, slots: maker.pick(_HOBBIES),
    "charity": lambda maker, person, slots: maker.pick(_CHARITIES),
    "language": lambda maker, person, slots: maker.pick(_LANGUAGES),
    "school": lambda maker, person, slots: maker.school(person),
    "degree": lambda maker, person, slots: maker.pick(_DEGREES),
    "grad_year": lambda maker, person, slots: str(maker.between(1985, 2024)),
    "recipient": lambda maker, person, slots: maker.first_name(),
    "event": lambda maker, person, slots: maker.pick(_EVENTS).format_map(slots),
    "team": lambda maker, person, slots: str(maker.between(3, 40)),
    "budget": lambda maker, person, slots: f"£{maker.between(1, 90) * 50}k",
    "percent": lambda maker, person, slots: str(maker.between(5, 300)),
    "weekday": lambda maker, person, slots: maker.pick(_WEEKDAYS),
}


def _url(platform: str, handle: str) -> str:
    return {
        "linkedin": f"https://www.linkedin.com/in/{handle}",
        "twitter": f"https://x.com/{handle}",
        "facebook": f"https://www.facebook.com/{handle}",
        "instagram": f"https://www.instagram.com/{handle}/",
    }[platform]


def _json(profile: Mapping[str, Any]) -> str | None:
    if not profile:
        return None
    return json.dumps(profile, ensure_ascii=False, separators=(",", ":"))


# ---------------------------------------------------------------------------------------------
# Photos: synthetic head-and-shoulders pictures with structure at every scale.

_SKIN: Final = ((241, 194, 167), (224, 172, 138), (198, 134, 94), (141, 85, 54), (92, 56, 38))


def _portrait(rng: np.random.Generator) -> Image.Image:
    """A made-up portrait: a smooth background with furniture-like shapes, shoulders, a head
    with hair, eyes and mouth, and grain; every seed gives a different picture."""
    side = _PHOTO_SIDE

    def colour() -> tuple[int, int, int]:
        red, green, blue = rng.integers(0, 256, 3)
        return int(red), int(green), int(blue)

    background = Image.fromarray((rng.random((4, 4, 3)) * 255).astype(np.uint8))
    image = background.resize((side, side), Image.Resampling.BICUBIC)
    draw = ImageDraw.Draw(image)
    for _ in range(int(rng.integers(2, 7))):
        left, top = (int(v) for v in rng.integers(0, side, 2))
        width, height = (int(v) for v in rng.integers(side // 10, side // 2, 2))
        draw.rectangle((left, top, left + width, top + height), fill=colour())
    centre = side // 2 + int(rng.integers(-side // 6, side // 6))
    head = int(side * rng.uniform(0.16, 0.24))
    head_top = int(side * rng.uniform(0.12, 0.3))
    draw.ellipse(
        (centre - 2 * head, head_top + 2 * head, centre + 2 * head, side + head), fill=colour()
    )
    tone = _SKIN[int(rng.integers(len(_SKIN)))]
    skin = tuple(int(np.clip(c + rng.integers(-12, 13), 0, 255)) for c in tone)
    neck = head // 2
    draw.rectangle(
        (centre - neck, head_top + head, centre + neck, head_top + 2 * head + neck), fill=skin
    )
    hair = colour() if rng.random() < 0.2 else tuple(int(c) for c in rng.integers(10, 90, 3))
    draw.ellipse(
        (centre - head - 6, head_top - 8, centre + head + 6, head_top + head * 2 - 10), fill=hair
    )
    draw.ellipse((centre - head, head_top, centre + head, head_top + int(head * 2.4)), fill=skin)
    eyes = head_top + int(head * 1.0)
    for side_x in (-1, 1):
        x = centre + side_x * head // 2
        draw.ellipse((x - 5, eyes - 3, x + 5, eyes + 3), fill=(40, 30, 30))
    mouth = head_top + int(head * 1.75)
    draw.line((centre - head // 3, mouth, centre + head // 3, mouth), fill=(150, 60, 60), width=3)
    grain = rng.integers(-10, 11, (side, side, 3), dtype=np.int16)
    pixels = np.asarray(image, dtype=np.int16) + grain
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))


def _encoded(image: Image.Image, image_format: str, **options: int) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, image_format, **options)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# The companions of the batch file, written aside and renamed into place.


class _TruthWriter:
    """The ground truth as Parquet, beside its final name until `__exit__` without an error."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        self.sink: Any = None

    def __enter__(self) -> Self:
        self.temporary.open("xb").close()  # claim the name; fails early in a read-only folder
        try:
            self.sink = pq.ParquetWriter(str(self.temporary), _TRUTH_SCHEMA)
        except BaseException:
            self.temporary.unlink(missing_ok=True)
            raise
        return self

    def write(self, columns: Mapping[str, list[Any]]) -> None:
        self.sink.write_table(pa.table(dict(columns), schema=_TRUTH_SCHEMA))

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        try:
            if kind is not None:
                # The file is thrown away: the error that got us here is the one worth seeing.
                with contextlib.suppress(Exception):
                    self.sink.close()
                return
            self.sink.close()
            with self.temporary.open("rb") as written:
                os.fsync(written.fileno())  # the rename must not publish a half-written file
            os.replace(self.temporary, self.path)
        finally:
            self.temporary.unlink(missing_ok=True)


class _PhotoFolder:
    """Photos go into a temporary folder beside `path`, which replaces `path` on success."""

    def __init__(self, path: Path, *, relative_to: Path) -> None:
        self.path = path
        self.temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
        # Paths in the profiles are relative to the batch file's folder, pointing at `path`.
        self.prefix = Path(os.path.relpath(path.absolute(), relative_to.absolute())).as_posix()
        self.folders: set[int] = set()

    def __enter__(self) -> Self:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.temporary.mkdir()
        return self

    def write(self, index: int, name: str, data: bytes) -> str:
        """Write one photo; return its path as the profile names it."""
        folder = index // _PHOTOS_PER_FOLDER
        if folder not in self.folders:
            (self.temporary / f"{folder:04d}").mkdir()
            self.folders.add(folder)
        (self.temporary / f"{folder:04d}" / name).write_bytes(data)
        return f"{self.prefix}/{folder:04d}/{name}"

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        if kind is not None:
            shutil.rmtree(self.temporary, ignore_errors=True)
            return
        replace_folder(self.temporary, self.path)
