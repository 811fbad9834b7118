"""The campaign view (issue 9): `linkvet campaigns show` and `linkvet campaigns graph` over what
`linkvet batch --campaigns` wrote, bad folders and numbers refused, and text from the rows
shown literally in the terminal and in pictures."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner
from PIL import Image

from linkvet.batch.campaign_output import campaign_folder
from linkvet.batch.fileformat import BatchWriter
from linkvet.batch.runner import score_file
from linkvet.batch.scoring import Scorer
from linkvet.campaigns.clustering import CampaignConfig
from linkvet.campaigns.corpus import generate_corpus
from linkvet.campaigns.view import draw_graph, open_campaigns, ranked
from linkvet.cli import cli

TEMPLATE = (
    "We connect senior experts in {} with clients who value candid insight on export controls "
    "and pay well for short reports, all done remotely and discreetly."
)


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("view")
    corpus = folder / "profiles.parquet"
    generate_corpus(corpus, profiles=1500, campaigns=6, seed=5)
    target = folder / "scores.parquet"
    score_file(
        corpus, target, Scorer(("account.model",)), campaigns=CampaignConfig(), progress=False
    )
    return target


def invoke(*arguments: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(arguments))
    return result.exit_code, result.output


def test_show_ranks_the_riskiest_and_the_largest(output: Path) -> None:
    code, text = invoke("campaigns", "show", str(output), "--top", "3")
    assert code == 0, text
    assert "The 3 riskiest campaign(s)" in text
    assert "share text templates" in text
    assert "not proof" in text  # what a campaign is, and is not
    code, text = invoke("campaigns", "show", str(campaign_folder(output)), "--by", "size",
                        "--format", "json")  # fmt: skip
    assert code == 0, text
    shown = json.loads(text)
    sizes = [campaign["size"] for campaign in shown["campaigns"]]
    assert sizes == sorted(sizes, reverse=True)
    assert len(sizes) == min(10, shown["summary"]["campaigns"])
    scores = [campaign["score"] for campaign in ranked(open_campaigns(output), top=100)]
    assert scores == sorted(scores, reverse=True)


@pytest.mark.parametrize("suffix", [".png", ".svg"])
def test_graph_draws_the_chosen_campaigns(output: Path, tmp_path: Path, suffix: str) -> None:
    picture = tmp_path / f"campaigns{suffix}"
    code, text = invoke("campaigns", "graph", str(output), "-o", str(picture), "--top", "2")
    assert code == 0, text
    assert [path.name for path in tmp_path.iterdir()] == [picture.name]  # no temporary left
    if suffix == ".png":
        with Image.open(picture) as image:
            assert image.width > 800
            assert image.height > 400
    else:
        assert "<svg" in picture.read_text()[:500]


def test_bad_folders_and_numbers_are_refused(output: Path, tmp_path: Path) -> None:
    code, text = invoke("campaigns", "show", str(tmp_path))
    assert code == 5
    assert "not a readable campaign folder" in text
    lone = tmp_path / "scores.csv"
    lone.write_text("id\n1\n")
    code, text = invoke("campaigns", "show", str(lone))
    assert code == 5
    assert "run linkvet batch with --campaigns" in " ".join(text.split())
    code, text = invoke("campaigns", "graph", str(output), "-o", str(tmp_path / "g.png"),
                        "--campaign", "9999")  # fmt: skip
    assert code == 5
    assert "no campaign numbered 9999" in text
    code, text = invoke("campaigns", "graph", str(output), "-o", str(tmp_path / "g.pdf"))
    assert code == 5
    assert "must end in .png or .svg" in text
    broken = tmp_path / "broken.campaigns"
    broken.mkdir()
    for path in campaign_folder(output).iterdir():
        (broken / path.name).write_bytes(path.read_bytes()[:40])
    code, text = invoke("campaigns", "show", str(broken))
    assert code == 5
    assert "not a readable campaign folder" in text


def test_text_from_the_rows_is_shown_literally(tmp_path: Path) -> None:
    """Ids with terminal markup and with matplotlib's mathematics are shown as written."""
    source = tmp_path / "few.csv"
    ids = ["[bold red]boss[/]", "$x^2$", "back\\slash"]
    with BatchWriter(source) as writer:
        writer.write({"id": ids, "about": [TEMPLATE.format(s) for s in ("energy", "space", "AI")]})
    target = tmp_path / "out.csv"
    score_file(source, target, Scorer(("account.model",)), campaigns=CampaignConfig(),
               progress=False)  # fmt: skip
    code, text = invoke("campaigns", "show", str(target))
    assert code == 0, text
    assert "first member: [bold red]boss[/]" in text
    found = open_campaigns(target)
    assert pq.read_table(campaign_folder(target) / "members.parquet").num_rows == 3
    picture = draw_graph(found, [1], tmp_path / "g.png")
    assert picture.stat().st_size > 1000
