"""The campaign view: what `linkvet batch --campaigns` found, for a security team.

- `open_campaigns(path)` reads a campaign folder (`OUT.campaigns/`, or the output `OUT` beside it).
- `ranked(found, by=..., top=...)` gives the largest or riskiest campaigns, `summary_table` shows
  them in the terminal with their evidence, and `as_json` gives them to other tools.
- `draw_graph(found, numbers, target)` draws campaigns as a picture (PNG or SVG): profiles as
  nodes, what links them (a shared text template, photo, or employer, e-mail domain or handle
  shape made in one week) as coloured edges. Links are as stored: each member is linked to the
  first member of its block, not to every other, so a template shows as a star.

Everything shown comes from the batch's own rows: ids, employers and evidence are escaped for the
terminal and drawn as plain text in pictures. A campaign is a cluster of profiles that have
something unusual in common; it is evidence for a person to weigh, not proof that anyone is fake.
"""

from __future__ import annotations

import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from rich.table import Table
from rich.text import Text

from linkvet._files import write_atomically
from linkvet.batch.campaign_output import SUMMARY, TABLES, campaign_folder
from linkvet.errors import LinkvetError

# Link kinds and how they are drawn; attribute links ("employer+window", ...) share a style.
KIND_COLOURS: Final = {"text": "#d95f02", "photo": "#1b9e77", "attribute": "#7570b3"}
KIND_NAMES: Final = {
    "text": "shared text template",
    "photo": "shared photo",
    "attribute": "employer, e-mail domain or handle shape, made together",
}
# A panel draws at most this many members of a campaign (the first ones, by row).
MAX_NODES: Final = 300
MAX_PANELS: Final = 6
ORDERS: Final = ("score", "size")


class CampaignFolderError(LinkvetError, ValueError):
    """A path that is not a campaign folder written by `linkvet batch --campaigns`, or one that
    cannot be read."""


@dataclass(frozen=True, eq=False)
class FoundCampaigns:
    """A campaign folder's tables (pyarrow) and summary."""

    folder: Path
    campaigns: Any
    members: Any
    edges: Any
    oversized: Any
    summary: dict[str, Any]


def open_campaigns(path: Path) -> FoundCampaigns:
    """The campaign folder at `path`, or beside the batch output `path`."""
    path = Path(path)
    folder = path if path.is_dir() else campaign_folder(path)
    if not folder.is_dir():
        raise CampaignFolderError(
            f"{path}: no campaign folder here or at {folder}; run linkvet batch with --campaigns"
        )
    try:
        tables = {name: pq.read_table(folder / f"{name}.parquet") for name in TABLES}
        summary = json.loads((folder / SUMMARY).read_text(encoding="utf-8"))
    except (OSError, ValueError, pa.ArrowException) as error:
        raise CampaignFolderError(
            f"{folder}: not a readable campaign folder ({error}); run linkvet batch with "
            "--campaigns again"
        ) from None
    if not isinstance(summary, dict) or "campaign" not in tables["campaigns"].column_names:
        raise CampaignFolderError(f"{folder}: not a campaign folder written by linkvet batch")
    return FoundCampaigns(folder=folder, summary=summary, **tables)


def ranked(
    found: FoundCampaigns, *, by: Literal["score", "size"] = "score", top: int = 10
) -> list[dict[str, Any]]:
    """The `top` campaigns with the highest score (then size) or size (then score)."""
    if by not in ORDERS:
        raise ValueError(f"order by {by!r}? expected one of {', '.join(ORDERS)}")
    keys = [("score", "descending"), ("size", "descending")]
    if by == "size":
        keys.reverse()
    order = pc.sort_indices(found.campaigns, sort_keys=[*keys, ("campaign", "ascending")])
    rows: list[dict[str, Any]] = found.campaigns.take(order[:top]).to_pylist()
    return rows


def summary_table(found: FoundCampaigns, campaigns: Sequence[dict[str, Any]], title: str) -> Table:
    """The campaigns as a terminal table: number, size, score, when made, what they share."""
    table = Table(title=title, show_lines=True)
    for name, justify in (("#", "right"), ("profiles", "right"), ("score", "right")):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    table.add_column("made", no_wrap=True)
    table.add_column("evidence")
    for campaign in campaigns:
        made = "—"
        if campaign["created_from"]:
            made = f"{campaign['created_from']}\nto {campaign['created_to']}"
        evidence = "\n".join(campaign["evidence"] or []) or "—"
        table.add_row(
            str(campaign["campaign"]),
            f"{campaign['size']:,}",
            f"{campaign['score']:.2f}",
            Text(made),
            Text(
                f"{evidence}\nfirst member: {campaign['first_id'] or 'row ' + str(campaign['first_row'])}"
            ),
        )
    return table


def overview(found: FoundCampaigns) -> list[str]:
    """Sentences about the whole batch: rows, campaigns, members, what was too large."""
    summary = found.summary
    lines = [
        f"{summary.get('campaigns', 0):,} campaign(s) with {summary.get('members', 0):,} "
        f"member rows among {summary.get('rows', 0):,} rows."
    ]
    if summary.get("duplicate_rows"):
        lines.append(f"{summary['duplicate_rows']:,} rows repeat an earlier row's id.")
    if found.oversized.num_rows:
        lines.append(
            f"{found.oversized.num_rows:,} value(s) were shared too widely to link "
            f"(a stock photo, a boilerplate text, a burst): policy '{summary.get('oversized_blocks')}'."
        )
    lines.append(
        "A campaign is a group of profiles with something unusual in common. It is evidence to "
        "weigh, not proof: colleagues share employers, and the checks cannot see who is behind "
        "an account."
    )
    return lines


def as_json(found: FoundCampaigns, campaigns: Sequence[dict[str, Any]]) -> dict[str, Any]:
    return {
        "folder": str(found.folder),
        "summary": found.summary,
        "campaigns": list(campaigns),
        "oversized": found.oversized.to_pylist(),
    }


def draw_graph(found: FoundCampaigns, numbers: Sequence[int], target: Path) -> Path:
    """The campaigns `numbers` (at most MAX_PANELS) as a picture at `target` (.png or .svg),
    one panel each, written aside and renamed when whole."""
    suffix = target.suffix.lower()
    if suffix not in (".png", ".svg"):
        raise ValueError(f"{target}: the picture's name must end in .png or .svg")
    if not numbers:
        raise ValueError("no campaign to draw")
    if len(numbers) > MAX_PANELS:
        raise ValueError(f"at most {MAX_PANELS} campaigns fit one picture, not {len(numbers)}")
    known = set(found.campaigns.column("campaign").to_pylist())
    unknown = [number for number in numbers if number not in known]
    if unknown:
        raise ValueError(f"no campaign numbered {', '.join(map(str, unknown))} in {found.folder}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D

    columns = min(len(numbers), 3)
    rows = (len(numbers) + columns - 1) // columns
    figure, axes = plt.subplots(rows, columns, figsize=(5.2 * columns, 5.2 * rows), squeeze=False)
    for panel, number in zip(axes.flat, numbers, strict=False):
        _draw_campaign(panel, found, number)
    for panel in list(axes.flat)[len(numbers) :]:
        panel.axis("off")
    handles = [
        Line2D([0], [0], color=colour, linewidth=2, label=KIND_NAMES[kind])
        for kind, colour in KIND_COLOURS.items()
    ]
    figure.legend(handles=handles, loc="lower center", ncol=3, frameon=False)
    figure.tight_layout(rect=(0, 0.06, 1, 1))
    picture = io.BytesIO()
    try:
        figure.savefig(picture, format=suffix[1:], dpi=110)
    finally:
        plt.close(figure)
    return write_atomically(target, picture.getvalue())


def _draw_campaign(panel: Any, found: FoundCampaigns, number: int) -> None:
    import networkx as nx  # type: ignore[import-untyped]

    campaign = found.campaigns.filter(pc.equal(found.campaigns.column("campaign"), number))
    about = campaign.to_pylist()[0]
    members = found.members.filter(pc.equal(found.members.column("campaign"), number))
    members = members.filter(pc.is_null(members.column("duplicate_of")))
    shown = members.slice(0, MAX_NODES)
    rows = shown.column("row").to_pylist()
    ids = shown.column("id").to_pylist()
    graph = nx.Graph()
    graph.add_nodes_from(rows)
    inside = pc.and_(
        pc.is_in(found.edges.column("first_row"), pa.array(rows, pa.int64())),
        pc.is_in(found.edges.column("second_row"), pa.array(rows, pa.int64())),
    )
    by_kind: dict[str, list[tuple[int, int]]] = {kind: [] for kind in KIND_COLOURS}
    for edge in found.edges.filter(inside).to_pylist():
        pair = (edge["first_row"], edge["second_row"])
        by_kind[_style(edge["kind"])].append(pair)
        graph.add_edge(*pair)
    layout = nx.spring_layout(graph, seed=7, k=1.5 / max(len(rows), 1) ** 0.5)
    # Two members may be linked in several ways: the wider lines go underneath.
    for kind, width in (("attribute", 3.0), ("photo", 2.0), ("text", 1.0)):
        nx.draw_networkx_edges(
            graph, layout, edgelist=by_kind[kind], edge_color=KIND_COLOURS[kind], width=width,
            alpha=0.75, ax=panel,
        )  # fmt: skip
    nx.draw_networkx_nodes(
        graph, layout, node_size=60 if len(rows) <= 60 else 18, node_color="#444444", ax=panel
    )
    if len(rows) <= 25:  # ids are legible only on small campaigns
        labels = {
            row: _plain(str(ident or f"row {row}")[:24])
            for row, ident in zip(rows, ids, strict=True)
        }
        above = {row: (x, y + 0.07) for row, (x, y) in layout.items()}
        nx.draw_networkx_labels(graph, above, labels=labels, font_size=7, ax=panel)
    more = f", {len(rows)} of {members.num_rows} drawn" if members.num_rows > len(rows) else ""
    panel.set_title(
        f"Campaign {number}: {about['size']} profiles, score {about['score']:.2f}{more}",
        fontsize=10,
    )
    panel.axis("off")


def _style(kind: str) -> str:
    return kind if kind in ("text", "photo") else "attribute"


def _plain(text: str) -> str:
    """`text` as matplotlib draws it literally: a "$" would start mathematics."""
    return text.replace("$", r"\$")
