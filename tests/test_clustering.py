"""Campaign detection over a batch: personas sharing a text template (paraphrased or not), a
photo, or an employer, e-mail domain and handle shape together with their creation week are
clustered with the right reasons and scored; unrelated profiles are not; giant shared values
are capped and reported; duplicate ids, missing columns and unreadable JSON raise nothing; the
result is the same however the rows are chunked, run after run.

The batches are made by hand here: a background of unrelated profiles (texts drawn from a word
list, employers and creation dates spread over years) with planted groups in it.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any, Final

import numpy as np
import pyarrow as pa
import pytest
from PIL import Image

from linkvet.campaigns.blocking import (
    EMPTY,
    NUM_BINS,
    PHOTO_WORDS,
    hash_photo,
    hash_strings,
    row_signatures,
    text_signatures,
    text_similarity,
)
from linkvet.campaigns.clustering import CampaignConfig, CampaignFinder, CampaignResult
from linkvet.campaigns.text_index import PLATFORM_DEFAULTS
from tests.test_photo_index import encoded, textured_image

WORDS: Final = (
    "account action advice agency answer area army article artist audience author award "
    "balance bank basis battle beach bed bird blood board boat body bone book border bottle "
    "bread bridge budget building bus business cabinet camera campaign cancer capital captain "
    "card career case cash cat cell chair chance change chapter character chart cheese chicken "
    "child church circle city claim class climate clock coach coast coffee college colour "
    "column comfort company computer concert contract corner cost cotton council country couple "
    "course court cousin crew crime crowd culture cup currency customer cycle damage dance "
    "danger data daughter deal debate decade degree delivery design desk detail device diet "
    "dinner disease doctor dog door dream dress drink driver economy edge editor effect egg "
    "election energy engine entry error estate event evidence exam exercise factory family farm "
    "father feature field figure film finger fire fish flight floor flower focus food forest "
    "fortune frame friend fruit fuel garden gate gift glass goal gold government grass group "
    "guest guitar hair hall hand harbour hat health heart height hero highway hill history "
    "holiday horse hospital hotel hour house husband idea image income index industry island "
    "item jacket job journey judge key kitchen knife label lake land language lawyer leader "
    "letter level library licence light line lion list loan lunch machine magazine manager "
    "map market meal meat member memory metal method middle milk mind minute mirror model "
    "moment money month morning mother motor mountain mouse movie music nation nature "
    "neighbour network news night noise north novel number nurse object ocean office oil "
    "opinion orange owner page painting paper parent park party passenger path patient "
    "pattern payment peace pencil pepper period person phone piano picture piece pilot plane "
    "planet plant plate player pocket poem police policy pool population port pound power "
    "present press price prince prison prize problem product profit project property "
    "purpose quality quarter queen question radio rain range rate reader reason recipe record "
    "region rent report resort result river road rock roof room rule salad salt sample school "
    "science screen sea season seat secret sector seed sense series service shape share ship "
    "shirt shoe shop shoulder signal silver singer sister site skill sky snow society soldier "
    "song sound source space speech sport spring square staff stage station steel stone store "
    "storm story street student studio style sugar summer sun supply surface system table "
    "target task taste teacher team temple tennis theatre theory ticket time title tool tooth "
    "topic tower town track trade traffic train travel tree trip truck union unit valley "
    "value van version video view village visitor voice volume wall war watch water wave "
    "weather week weight wheel window wine winter woman wood word worker world writer yard"
).split()
FIRST_NAMES: Final = (
    "Anna Ben Chloe David Elena Farid Grace Hugo Ines Jonas Kira Liam Maya Noah Olga Pavel "
    "Quinn Rosa Sami Tara Umar Vera Wen Xavier Yara Zoe"
).split()
LAST_NAMES: Final = (
    "Adler Brandt Costa Dubois Evans Fischer Garcia Hansen Ivanova Jensen Kowalski Laurent "
    "Moreau Novak Olsen Petrov Quint Rossi Schmidt Tanaka Ueda Vargas Weber Young Zimmer"
).split()
TEMPLATE: Final = (
    "My name is {first} and I lead research partnerships at a boutique advisory firm that "
    "connects senior specialists in aerospace, energy and export controls with a select group "
    "of institutional investors across Asia. Experts in our network earn five hundred dollars "
    "an hour for short written reports, and all travel to our annual roundtable in Singapore "
    "is covered. Please accept my invitation so we can discuss a paid opportunity in private."
)
RECRUITER: Final = (
    "Hi, I am {first}, senior talent partner for a fast growing defence technology group that "
    "is quietly hiring engineers with security clearance for fully remote contract roles. The "
    "day rate is far above the market, the hours are flexible and the first interview takes "
    "ten minutes on Telegram. Send me your CV and a few lines on your current programme."
)
NOTE: Final = (
    "Hello {recipient}, your background in satellite communications stands out from everyone "
    "else I have spoken to this month. Could we continue on WhatsApp, it is quicker for me, "
    "and I can share the details of a well paid consulting project there."
)
OBSERVED: Final = dt.date(2026, 6, 1)


def genuine_text(rng: random.Random, words: int = 40) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


class Batch:
    """Rows of a batch built one profile at a time, given out as columns."""

    def __init__(self) -> None:
        self.rows: list[dict[str, Any]] = []

    def add(self, **row: Any) -> int:
        self.rows.append(row)
        return len(self.rows) - 1

    def columns(self, names: Sequence[str] | None = None) -> dict[str, np.ndarray]:
        """Columns as `read_batches` gives them: object arrays, None where a value is missing."""
        names = names or sorted({name for row in self.rows for name in row})
        columns = {}
        for name in names:
            values = [row.get(name) for row in self.rows]
            if name == "has_photo":
                columns[name] = np.array(
                    [np.nan if value is None else float(value) for value in values]
                )
            else:
                columns[name] = np.array(values, dtype=object)
        return columns


def background(batch: Batch, count: int, seed: int = 7) -> list[int]:
    """Unrelated profiles: own texts, employers and dates spread over years, plain handles."""
    rng = random.Random(seed)
    employers = [f"{word.capitalize()} {rng.choice(WORDS).capitalize()} Ltd" for word in WORDS[:60]]
    rows = []
    for index in range(count):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        joined = OBSERVED - dt.timedelta(days=rng.randrange(30, 3650))
        profile = {
            "experience": [
                {
                    "organisation": rng.choice(employers),
                    "current": True,
                    "description": genuine_text(rng, 20),
                }
            ],
            "contact": {"emails": [f"{first}.{last}{index}@gmail.com".lower()]},
        }
        if rng.random() < 0.3:
            profile["invitation"] = {"text": genuine_text(rng, 25)}
        rows.append(
            batch.add(
                id=f"g-{index}",
                name=f"{first} {last}",
                handle=f"{first}{last}{index}".lower(),
                about=genuine_text(rng),
                joined=joined.isoformat(),
                has_photo=1.0,
                profile=json.dumps(profile),
            )
        )
    return rows


def persona(
    batch: Batch,
    key: str,
    *,
    about: str | None = None,
    employer: str | None = None,
    joined: dt.date | None = None,
    handle: str | None = None,
    email: str | None = None,
    note: str | None = None,
    seed: int = 0,
) -> int:
    rng = random.Random(f"{key}-{seed}")
    profile: dict[str, Any] = {}
    if employer:
        profile["experience"] = [{"organisation": employer, "current": True}]
    if email:
        profile["contact"] = {"emails": [email]}
    if note:
        profile["invitation"] = {"text": note}
    return batch.add(
        id=key,
        name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
        handle=handle or f"{key}-{rng.randrange(10**6)}",
        about=about if about is not None else genuine_text(rng),
        joined=(joined or OBSERVED - dt.timedelta(days=rng.randrange(30, 3650))).isoformat(),
        has_photo=1.0,
        profile=json.dumps(profile),
    )


def paraphrased(text: str, changes: int, seed: int) -> str:
    """The text with a few words swapped for others."""
    rng = random.Random(seed)
    words = text.split()
    for position in rng.sample(range(len(words)), changes):
        words[position] = rng.choice(WORDS)
    return " ".join(words)


def find(
    batch: Batch, config: CampaignConfig | None = None, chunk: int | None = None
) -> CampaignResult:
    finder = CampaignFinder(config)
    for part in chunks(batch, chunk or len(batch.rows)):
        finder.add(part)
    return finder.clusters()


def chunks(batch: Batch, size: int) -> Iterator[dict[str, np.ndarray]]:
    columns = batch.columns()
    for start in range(0, len(batch.rows), size):
        yield {name: values[start : start + size] for name, values in columns.items()}


def campaign_of(result: CampaignResult) -> dict[int, int]:
    return dict(
        zip(
            result.members.column("row").to_pylist(),
            result.members.column("campaign").to_pylist(),
            strict=True,
        )
    )


def reasons_of(result: CampaignResult) -> dict[int, set[str]]:
    return {
        row: set(reasons.split("; "))
        for row, reasons in zip(
            result.members.column("row").to_pylist(),
            result.members.column("campaign_reasons").to_pylist(),
            strict=True,
        )
    }


def same_group(result: CampaignResult, rows: Sequence[int]) -> bool:
    campaigns = campaign_of(result)
    return all(row in campaigns for row in rows) and len({campaigns[row] for row in rows}) == 1


def tables(result: CampaignResult) -> list[Any]:
    return [
        result.members.to_pylist(),
        result.campaigns.to_pylist(),
        result.edges.to_pylist(),
        result.oversized.to_pylist(),
        result.columns_for_rows(0, result.rows),
    ]


@pytest.fixture(scope="module")
def planted() -> tuple[Batch, dict[str, list[int]]]:
    """A background of 300 unrelated profiles with four planted groups among them."""
    batch = Batch()
    groups: dict[str, list[int]] = {"background": background(batch, 150)}
    groups["template"] = [
        persona(
            batch,
            f"t-{index}",
            about=TEMPLATE.format(first=first),
            note=NOTE.format(recipient=first),
        )
        for index, first in enumerate(["Anna", "Ben", "Chloe", "David", "Elena"])
    ]
    groups["paraphrased"] = [
        persona(
            batch,
            f"p-{index}",
            about=paraphrased(RECRUITER.format(first="Grace"), 3, index),
        )
        for index in range(4)
    ]
    start = dt.date(2026, 3, 2)
    spellings = [
        "Northbridge Advisory Ltd",
        "NORTHBRIDGE ADVISORY",
        "NorthbridgeAdvisory",
        "The Northbridge Advisory",
    ]
    groups["attributes"] = [
        persona(
            batch,
            f"a-{index}",
            employer=spellings[index % len(spellings)],
            joined=start + dt.timedelta(days=index % 4),
            handle=f"{first}-{last}-{4821 + index}".lower(),
            email=f"{first}.{last}@northbridge-advisory.com".lower(),
        )
        for index, (first, last) in enumerate(zip(FIRST_NAMES[10:16], LAST_NAMES[3:9], strict=True))
    ]
    groups["background"] += background(batch, 150, seed=8)
    return batch, groups


def test_template_personas_are_clustered_together_with_their_reasons(
    planted: tuple[Batch, dict[str, list[int]]],
) -> None:
    batch, groups = planted
    result = find(batch)
    assert same_group(result, groups["template"])
    reasons = reasons_of(result)
    assert all(reasons[row] == {"text"} for row in groups["template"])
    number = campaign_of(result)[groups["template"][0]]
    campaign = result.campaigns.filter(
        pa.compute.equal(result.campaigns.column("campaign"), number)
    ).to_pylist()[0]
    assert campaign["size"] == 5
    assert campaign["text_share"] == 1.0
    assert campaign["mean_text_similarity"] > 0.8
    assert 0.7 < campaign["score"] <= 1
    assert any("5 of 5 share text templates" in line for line in campaign["evidence"])
    edges = result.edges.filter(pa.compute.equal(result.edges.column("kind"), "text")).to_pylist()
    assert {edge["value"] for edge in edges if edge["first_row"] in groups["template"]} <= {
        "about",
        "invitation",
    }


def test_paraphrased_templates_still_link(planted: tuple[Batch, dict[str, list[int]]]) -> None:
    batch, groups = planted
    result = find(batch)
    assert same_group(result, groups["paraphrased"])
    similarities = result.edges.filter(
        pa.compute.is_in(result.edges.column("first_row"), pa.array(groups["paraphrased"]))
    ).column("similarity")
    assert 0.5 <= pa.compute.min(similarities).as_py() < 1


def test_shared_employer_domain_and_handle_shape_made_together_link(
    planted: tuple[Batch, dict[str, list[int]]],
) -> None:
    batch, groups = planted
    links = ("employer+window", "email_domain+window", "pattern+window")
    result = find(batch, CampaignConfig(attribute_links=links))
    assert same_group(result, groups["attributes"])
    assert same_group(find(batch), groups["attributes"])  # by default without the shape link
    reasons = reasons_of(result)
    expected = set(links)
    assert all(reasons[row] == expected for row in groups["attributes"])
    number = campaign_of(result)[groups["attributes"][0]]
    campaign = result.campaigns.to_pylist()[number - 1]
    assert campaign["employer"] == "northbridge advisory"  # one employer, however spelled
    assert campaign["employer_share"] == 1.0
    assert campaign["email_domain"] == "northbridge-advisory.com"
    assert campaign["pattern"] == "a-a-####"
    assert campaign["created_together_share"] == 1.0
    assert (campaign["created_from"], campaign["created_to"]) == ("2026-03-02", "2026-03-05")
    assert "6 of 6 claim the same employer: northbridge advisory" in campaign["evidence"]


def test_unrelated_profiles_are_not_clustered(planted: tuple[Batch, dict[str, list[int]]]) -> None:
    batch, groups = planted
    result = find(batch)
    clustered = set(campaign_of(result))
    assert not clustered & set(groups["background"])
    assert result.campaigns.num_rows == 3
    assert result.oversized.num_rows == 0
    columns = result.columns_for_rows(0, result.rows)
    for row in groups["background"]:
        assert columns["campaign"][row] is None
        assert columns["campaign_score"][row] is None
        assert columns["campaign_reasons"][row] is None


def test_a_shared_employer_alone_links_nobody() -> None:
    """Colleagues share an employer; without a creation burst, or on their own, they stay apart."""
    batch = Batch()
    background(batch, 200)
    colleagues = [
        persona(batch, f"c-{index}", employer="Meridian Health", seed=index) for index in range(6)
    ]
    result = find(batch)
    assert not set(campaign_of(result)) & set(colleagues)


def test_columns_for_rows_line_up_with_the_input(
    planted: tuple[Batch, dict[str, list[int]]],
) -> None:
    batch, groups = planted
    result = find(batch)
    row = groups["template"][2]
    columns = result.columns_for_rows(row - 1, row + 2)
    assert set(columns) == {
        "campaign",
        "campaign_size",
        "campaign_score",
        "campaign_reasons",
        "campaign_evidence",
    }
    assert columns["campaign_evidence"][1].startswith("5 of 5 share text templates")
    assert columns["campaign"][1] == campaign_of(result)[row]
    assert columns["campaign_size"][1] == 5
    assert columns["campaign_reasons"][1] == "text"
    assert len(columns["campaign"]) == 3
    with pytest.raises(ValueError):
        result.columns_for_rows(0, result.rows + 1)


def test_a_giant_shared_value_is_reported_and_skipped() -> None:
    batch = Batch()
    background(batch, 200)
    day = dt.date(2026, 1, 5)
    stock = [
        persona(batch, f"s-{index}", employer="Acme Global", joined=day, seed=index)
        for index in range(12)
    ]
    boilerplate = "Results-driven professional with a demonstrated history of working in the {} industry, skilled in negotiation, budgeting and team leadership."
    copies = [
        persona(batch, f"b-{index}", about=boilerplate.format("energy"), seed=index)
        for index in range(12)
    ]
    result = find(batch, CampaignConfig(max_block=10))
    assert not set(campaign_of(result)) & {*stock, *copies}
    oversized = result.oversized.to_pylist()
    assert {
        "kind": "employer+window",
        "value": "acme global, joined around 2026-01-05",
        "size": 12,
        "first_row": stock[0],
        "action": "skipped",
    } in oversized
    assert {
        (entry["kind"], entry["first_row"], entry["size"])
        for entry in oversized
        if entry["kind"] == "text"
    } == {("text", copies[0], 12)}
    assert result.oversized_blocks == "skip"


def test_a_giant_shared_value_can_be_linked_through_one_member() -> None:
    batch = Batch()
    background(batch, 200)
    day = dt.date(2026, 1, 5)
    stock = [
        persona(batch, f"s-{index}", employer="Acme Global", joined=day, seed=index)
        for index in range(12)
    ]
    result = find(batch, CampaignConfig(max_block=10, oversized_blocks="star"))
    assert same_group(result, stock)
    edges = result.edges.filter(
        pa.compute.is_in(result.edges.column("second_row"), pa.array(stock))
    ).to_pylist()
    assert {edge["first_row"] for edge in edges} == {stock[0]}  # a star around the first member
    assert result.oversized.to_pylist()[0]["action"] == "linked through first row"


def test_a_cluster_over_the_cap_is_split_at_its_weakest_text_links() -> None:
    """Two tight groups joined by a looser likeness: over the cap, the loose links give way."""
    batch = Batch()
    background(batch, 100)
    template = TEMPLATE.format(first="Anna")
    variant = paraphrased(template, 6, 0)
    _, signatures = text_signatures(pa.array([template, variant]))
    assert 0.5 <= text_similarity(signatures, np.array([0]), np.array([1]))[0] < 0.6
    tight = [persona(batch, f"t-{index}", about=template, seed=index) for index in range(4)]
    loose = [persona(batch, f"v-{index}", about=variant, seed=index) for index in range(4)]
    assert same_group(find(batch), tight + loose)
    result = find(batch, CampaignConfig(max_cluster=5))
    assert same_group(result, tight)
    assert same_group(result, loose)
    assert campaign_of(result)[tight[0]] != campaign_of(result)[loose[0]]
    assert result.oversized.to_pylist() == [
        {
            "kind": "cluster",
            "value": "8 linked profiles",
            "size": 8,
            "first_row": tight[0],
            "action": "split: text links need similarity 0.60",
        }
    ]


def test_a_cluster_still_over_the_cap_is_reported_not_scored() -> None:
    batch = Batch()
    background(batch, 100)
    group = [
        persona(batch, f"t-{index}", about=TEMPLATE.format(first="Anna"), seed=index)
        for index in range(8)
    ]
    result = find(batch, CampaignConfig(max_cluster=5))
    assert not set(campaign_of(result)) & set(group)
    assert result.oversized.to_pylist() == [
        {
            "kind": "cluster",
            "value": "8 linked profiles",
            "size": 8,
            "first_row": group[0],
            "action": "not scored",
        }
    ]


def test_duplicate_ids_are_one_profile() -> None:
    batch = Batch()
    background(batch, 100)
    group = [
        persona(batch, f"t-{index}", about=TEMPLATE.format(first="Anna"), seed=index)
        for index in range(3)
    ]
    again = batch.add(**batch.rows[group[0]])  # the same row sent twice
    lone = persona(batch, "solo", about=TEMPLATE.format(first="Zoe").replace("Singapore", "Doha"))
    twice = batch.add(**{**batch.rows[lone], "about": "changed"})  # same id, other content
    result = find(batch)
    assert result.duplicate_rows == 2
    campaigns = campaign_of(result)
    assert campaigns[again] == campaigns[group[0]]
    members = {row["row"]: row for row in result.members.to_pylist()}
    assert members[again]["duplicate_of"] == group[0]
    assert members[group[0]]["duplicate_of"] is None
    assert members[again]["campaign_size"] == 4  # three personas and the lone one, not five
    assert campaigns[twice] == campaigns[lone]  # its own content is not read
    assert members[twice]["duplicate_of"] == lone


def test_rows_without_ids_or_other_columns_still_cluster() -> None:
    batch = Batch()
    background(batch, 50)
    group = [
        persona(batch, f"t-{index}", about=TEMPLATE.format(first="Anna"), seed=index)
        for index in range(3)
    ]
    result = find_columns({"about": batch.columns()["about"]})
    assert same_group(result, group)
    assert result.members.column("id").null_count == len(group)
    result = find_columns({"id": batch.columns()["id"]})  # nothing to compare
    assert result.members.num_rows == 0
    assert result.rows == len(batch.rows)


def find_columns(columns: dict[str, Any]) -> CampaignResult:
    finder = CampaignFinder()
    finder.add(columns)
    return finder.clusters()


def test_an_empty_batch_has_no_campaigns() -> None:
    finder = CampaignFinder()
    finder.add({})
    result = finder.clusters()
    assert (result.rows, result.members.num_rows, result.campaigns.num_rows) == (0, 0, 0)
    assert result.columns_for_rows(0, 0) == {
        "campaign": [],
        "campaign_size": [],
        "campaign_score": [],
        "campaign_reasons": [],
        "campaign_evidence": [],
    }


def test_missing_values_and_unreadable_json_are_left_out() -> None:
    batch = Batch()
    background(batch, 50)
    group = [
        persona(batch, f"t-{index}", about=TEMPLATE.format(first="Anna"), seed=index)
        for index in range(3)
    ]
    odd = [
        batch.add(id="x-1", about=None, profile="{not json"),
        batch.add(id="x-2", about="", profile="[1, 2]"),
        batch.add(id="x-3", profile='{"experience": "none", "contact": {"emails": "a@b.c"}}'),
        batch.add(
            id="x-4", profile=json.dumps({"experience": [{"organisation": 7, "current": "yes"}]})
        ),
        batch.add(id=None, joined="2019", handle="@", profile="   "),
        batch.add(id="x-6", joined="sometime", about=12345),
    ]
    result = find(batch)
    assert same_group(result, group)
    assert not set(campaign_of(result)) & set(odd)
    assert result.unreadable_profiles == 2  # "{not json" and "[1, 2]"


def test_the_profile_json_gives_texts_when_columns_do_not() -> None:
    batch = Batch()
    background(batch, 50)
    group = [
        batch.add(
            id=f"j-{index}",
            profile=json.dumps({"about": TEMPLATE.format(first="Ben"), "handle": f"h{index}"}),
        )
        for index in range(3)
    ]
    messages = [
        batch.add(
            id=f"m-{index}",
            profile=json.dumps(
                {
                    "messages": [
                        {
                            "text": "Thanks, and good luck with the project.",
                            "direction": "incoming",
                        },
                        {"text": NOTE.format(recipient="Sam"), "direction": "outgoing"},
                        {"text": NOTE.format(recipient=name)},
                    ]
                }
            ),
        )
        for index, name in enumerate(["Ana", "Bo"])
    ]
    result = find(batch)
    assert same_group(result, group)
    assert same_group(result, messages)
    assert reasons_of(result)[messages[0]] == {"text"}


def test_same_input_same_result(planted: tuple[Batch, dict[str, list[int]]]) -> None:
    batch, _ = planted
    assert tables(find(batch)) == tables(find(batch))


@pytest.mark.parametrize("size", [1, 7, 64])
def test_streaming_in_chunks_gives_the_same_result(
    planted: tuple[Batch, dict[str, list[int]]], size: int
) -> None:
    batch, _ = planted
    assert tables(find(batch, chunk=size)) == tables(find(batch))


def test_signatures_can_be_made_elsewhere_and_added_in_order(
    planted: tuple[Batch, dict[str, list[int]]],
) -> None:
    batch, _ = planted
    finder = CampaignFinder()
    for part in chunks(batch, 50):
        finder.add_signatures(row_signatures(part))
    assert tables(finder.clusters()) == tables(find(batch))
    assert finder.rows == len(batch.rows)


def test_clusters_can_be_asked_for_again_after_more_rows(
    planted: tuple[Batch, dict[str, list[int]]],
) -> None:
    batch, _ = planted
    parts = list(chunks(batch, 100))
    finder = CampaignFinder()
    finder.add(parts[0])
    finder.clusters()
    for part in parts[1:]:
        finder.add(part)
    assert tables(finder.clusters()) == tables(find(batch))


def test_the_same_photo_links_personas() -> None:
    batch = Batch()
    background(batch, 30)
    group = [persona(batch, f"f-{index}", seed=index) for index in range(3)]
    other = persona(batch, "other", seed=99)
    image = textured_image(3)
    hashes = np.zeros((len(batch.rows), PHOTO_WORDS), dtype=np.uint64)
    photos = [
        encoded(image),
        encoded(image, "JPEG", quality=60),
        encoded(image.resize((180, 225), Image.Resampling.LANCZOS)),
    ]
    for row, data in zip(group, photos, strict=True):
        hashed = hash_photo(data)
        assert hashed is not None
        hashes[row] = hashed
    hashed = hash_photo(encoded(textured_image(4)))
    assert hashed is not None
    hashes[other] = hashed
    finder = CampaignFinder()
    finder.add(batch.columns(), photo_hashes=hashes)
    result = finder.clusters()
    assert same_group(result, group)
    assert other not in campaign_of(result)
    assert reasons_of(result)[group[0]] == {"photo"}
    assert hash_photo(b"not a photo") is None


def test_photos_are_read_from_the_paths_in_the_profile(tmp_path: Path) -> None:
    batch = Batch()
    background(batch, 30)
    image = textured_image(5)
    folder = tmp_path / "batch"
    folder.mkdir()
    (folder / "a.png").write_bytes(encoded(image))
    (folder / "b.jpg").write_bytes(encoded(image, "JPEG", quality=70))
    (folder / "c.png").write_bytes(encoded(textured_image(6)))
    (tmp_path / "outside.png").write_bytes(encoded(image))  # the same photo, out of bounds
    named = [
        batch.add(id=path, profile=json.dumps({"photo": {"path": path}}))
        for path in ["a.png", "b.jpg", "c.png", "missing.png", "../outside.png"]
    ]
    finder = CampaignFinder()
    finder.add(batch.columns(), photo_folder=folder)
    result = finder.clusters()
    assert same_group(result, named[:2])
    assert set(campaign_of(result)) == set(named[:2])


def test_config_is_checked() -> None:
    for bad in (
        {"text_similarity": 0},
        {"window_days": -1},
        {"max_block": 1},
        {"max_chance": 0},
        {"oversized_blocks": "drop"},
        {"attribute_links": ("window",)},
        {"attribute_links": ("employer+employer",)},
        {"attribute_links": ("colour+window",)},
    ):
        with pytest.raises(ValueError):
            CampaignConfig(**bad)
    CampaignConfig(attribute_links=("employer", "email_domain+pattern"))


def test_other_attribute_links_can_be_chosen() -> None:
    batch = Batch()
    background(batch, 100)
    spread = [
        persona(
            batch,
            f"e-{index}",
            employer="Kestrel Partners",
            handle=f"ab-cd-{9000 + index}",
            seed=index,
        )
        for index in range(3)
    ]
    assert not set(campaign_of(find(batch))) & set(spread)
    result = find(batch, CampaignConfig(attribute_links=("employer+pattern",)))
    assert same_group(result, spread)
    assert reasons_of(result)[spread[0]] == {"employer+pattern"}


# --- signatures ---------------------------------------------------------------------------------


def shingles(text: str) -> set[str]:
    from linkvet.campaigns.text_index import _words

    words = _words(text)
    return {" ".join(words[index : index + 3]) for index in range(len(words) - 2)}


def test_estimated_similarity_follows_the_jaccard_similarity() -> None:
    rng = random.Random(1)
    base = genuine_text(rng, 60)
    texts = [base] + [paraphrased(base, changes, changes) for changes in (0, 2, 5, 10, 20, 40)]
    kept, signatures = text_signatures(pa.array(texts))
    assert list(kept) == list(range(len(texts)))
    first = np.zeros(len(texts) - 1, dtype=np.int64)
    estimated = text_similarity(signatures, first, np.arange(1, len(texts)))
    exact = [
        len(shingles(base) & shingles(text)) / len(shingles(base) | shingles(text))
        for text in texts[1:]
    ]
    assert estimated[0] == 1.0
    assert np.abs(estimated - exact).max() < 0.15


def test_words_are_normalised_as_the_text_index_does() -> None:
    plain = "Please send me your CV and a short note on your current responsibilities at work today"
    disguised = "PLEASE se\u200bnd me your CV and a short note on your \u0441urrent respon\u00adsibilities at work today!!"
    _, signatures = text_signatures(pa.array([plain, disguised]))
    assert text_similarity(signatures, np.array([0]), np.array([1]))[0] == 1.0


def test_short_texts_and_platform_defaults_are_not_signed() -> None:
    default = " ".join(PLATFORM_DEFAULTS[0])
    texts = ["Thanks for connecting!", default + " " + default, None, "", "word " * 11]
    kept, signatures = text_signatures(pa.array(texts, pa.string()))
    assert len(kept) == 0
    assert signatures.shape == (0, NUM_BINS)


def test_a_signature_marks_its_empty_bins() -> None:
    _, signatures = text_signatures(pa.array([genuine_text(random.Random(2), 14)]))
    filled = int((signatures != EMPTY).sum())
    assert 1 <= filled <= 12  # 12 three-word shingles in at most 12 bins


def test_string_hashes_are_stable_and_zero_only_for_null() -> None:
    hashes = hash_strings(pa.array(["", "a", "b", None, "ab", "ba", "a"]))
    assert hashes[3] == 0
    assert len(set(hashes[[0, 1, 2, 4, 5]].tolist())) == 5
    assert 0 not in hashes[[0, 1, 2, 4, 5]]
    assert hashes[1] == hashes[6]
    assert int(hash_strings(pa.array(["campaign"]))[0]) == int(
        hash_strings(pa.array(["campaign"]))[0]
    )
