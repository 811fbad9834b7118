"""Campaign detection over a batch: personas that share a text template, a photo, or an employer,
an e-mail domain or a handle shape together with their creation week, grouped into clusters that
are described and scored as a whole (Xiao, Freeman and Hwa 2015: fake accounts are made in
batches, and a batch gives itself away by what its accounts have in common).

Use::

    finder = CampaignFinder(CampaignConfig())
    for chunk in read_batches(path):
        finder.add(chunk.columns)  # keeps a few hundred bytes per row, not the text
    result = finder.clusters()
    result.columns_for_rows(0, 1000)  # campaign, size, score and reasons of rows 0 to 999

How it works:

1. Each chunk is signed (`blocking.row_signatures`, a pure function: chunks may be signed in
   worker processes and given to `add_signatures` in order). Only signatures are kept.
2. Blocks of equal keys give candidates, verified into edges that carry their reason (kind and
   value). "text": texts (About, roles, invitation, messages, in any pairing) whose estimated
   Jaccard similarity of word 3-grams is at least `text_similarity`, from LSH bands. "photo":
   64-bit pHashes within `photo_distance` bits, confirmed by the 256-bit ones. The attribute
   links of `attribute_links`: two attributes shared exactly, "window" meaning accounts made
   within `window_days` of each other. A shared attribute alone links nobody by default
   (colleagues share an employer, strangers a handle shape), nor does a handle shape made
   together (see DEFAULT_LINKS); an employer or e-mail domain made together links a group
   only when that many of the value's holders in one window would arise by chance with
   probability below `max_chance`, were they made when everybody else was (Poisson, with the
   value's share of dated accounts): a burst, not the steady trickle of a large employer.
   Within a block, members are verified against a leader, round after round
   (`blocking.leader_links`), not pair by pair: the work and the edges grow with the rows, not
   with their square, and rows already joined by text are not compared again.
3. A block larger than `max_block` (a stock photo, a boilerplate text, a burst of thousands) is
   reported in `oversized` and, as `oversized_blocks` says, skipped or linked through a star to
   its first member (verified, for texts and photos). When skipped, a text in such a block is a
   common template and links through no band.
4. Connected components of the edges are the clusters. A component over `max_cluster` members
   is split by asking more of its text links (similarity 0.6, 0.7, ... 1.0) until its parts fit;
   each split, and any part still too large (its rows get no campaign), is reported.
5. Each cluster gets features in the manner of Xiao et al.: its size; the share of members made
   within `window_days` of each other; the shares with the most common employer, e-mail domain
   and distinctive handle shape, and how many shapes there are; the shares linked by text and
   by photo, and the mean similarity of its text links; the share showing a photo (reported,
   not scored: it points both ways). Its score is a noisy-OR of the evidence, weighted by hand, not trained::

       evidence = 1 - (1 - 0.9 text) (1 - 0.9 photo) (1 - 0.5 window) (1 - 0.35 employer)
                    (1 - 0.35 e-mail domain) (1 - 0.25 handle shape)
       score = evidence * (1 - 0.5 ** (size - 1))

   where text is the share linked by text times their mean similarity, photo the share linked by
   photo, and the others the shares above. Every term only raises the score, and so does size: two accounts are a weak campaign, five a strong
   one. Evidence strings say the same in words.

Rows are identified by position (0-based, over all chunks in order). Rows that share an id are
one profile: the first stands for it, the later ones take its result (`duplicate_of`) and add
nothing. A row without an id is a profile of its own. A missing column, a missing value and a
`profile` JSON that cannot be read (counted in `unreadable_profiles`) only leave out what they
would have given. The same rows in the same order give the same clusters, numbered from 1 by
their first row, however they are split into chunks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, Literal

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from linkvet.campaigns.blocking import (
    BANDS,
    I64,
    NO_DAY,
    PHOTO_BANDS,
    TEXT_FIELDS,
    U64,
    Blocks,
    RowSignatures,
    band_columns,
    band_keys,
    group_blocks,
    hash_strings,
    leader_links,
    mix64,
    photo_band_keys,
    photo_distances,
    row_signatures,
    text_similarity,
)

F64 = npt.NDArray[np.float64]

TEXT: Final = "text"
PHOTO: Final = "photo"
WINDOW: Final = "window"
ATTRIBUTES: Final = ("employer", "email_domain", "pattern")
# Not "pattern+window" by default: handle shapes are few ("a-a-####"), and where thousands of
# farms are at work, several make accounts of one shape in the same week. On a generated
# 1,000,000-profile batch with 3,003 campaigns that link merged unrelated campaigns into one
# component of 52,120 profiles, too large to score; the shape still counts as a feature.
DEFAULT_LINKS: Final = ("employer+window", "email_domain+window")
# Weights of the score's noisy-OR (see the module's docstring).
WEIGHTS: Final = {
    "text": 0.9,
    "photo": 0.9,
    "window": 0.5,
    "employer": 0.35,
    "email_domain": 0.35,
    "pattern": 0.25,
}
_EPOCH: Final = dt.date(1970, 1, 1)
# Leader rounds per block (`blocking.leader_links`): a block holding more distinct groups than
# this leaves the rest to the other bands.
_MAX_ROUNDS: Final = 4
# The text similarities asked of the links of a cluster over `max_cluster`, in turn.
_SPLIT_SIMILARITIES: Final = (0.6, 0.7, 0.8, 0.9, 1.0)


@dataclass(frozen=True, kw_only=True)
class CampaignConfig:
    """Settings of campaign detection; the defaults suit batches of any size."""

    text_similarity: float = 0.5  # estimated Jaccard similarity of word 3-grams for a text link
    window_days: int = 7  # accounts made this many days apart or fewer were made together
    attribute_links: tuple[str, ...] = DEFAULT_LINKS  # "a+b" (or "a") of ATTRIBUTES and window
    photo_distance: int = 10  # bits between 64-bit pHashes ...
    photo_fine_distance: int = 32  # ... and between 256-bit ones, for a photo link
    max_chance: float = 1e-4  # how unlikely by chance a group made within the window must be
    max_block: int = 1000  # members of a block linked in full
    oversized_blocks: Literal["skip", "star"] = "skip"
    max_cluster: int = 10_000  # members of a cluster that is scored
    max_messages: int = 3  # incoming messages read per profile (the first ones)

    def __post_init__(self) -> None:
        if not 0 < self.text_similarity <= 1:
            raise ValueError(
                f"text_similarity must be above 0 and at most 1, not {self.text_similarity}"
            )
        if self.window_days < 0:
            raise ValueError(f"window_days must be 0 or more, not {self.window_days}")
        if not 0 <= self.photo_distance <= 64 or not 0 <= self.photo_fine_distance <= 256:
            raise ValueError("photo_distance must be 0 to 64 bits, photo_fine_distance 0 to 256")
        if not 0 < self.max_chance <= 1:
            raise ValueError(f"max_chance must be above 0 and at most 1, not {self.max_chance}")
        if self.max_block < 2 or self.max_cluster < 2:
            raise ValueError("max_block and max_cluster must be at least 2")
        if self.oversized_blocks not in ("skip", "star"):
            raise ValueError(
                f"oversized_blocks must be 'skip' or 'star', not {self.oversized_blocks!r}"
            )
        if self.max_messages < 0:
            raise ValueError(f"max_messages must be 0 or more, not {self.max_messages}")
        for link in self.attribute_links:
            _link_parts(link)


def _link_parts(link: str) -> tuple[str, str | None]:
    parts = link.split("+")
    known = (*ATTRIBUTES, WINDOW)
    if (
        not 1 <= len(parts) <= 2
        or any(part not in known for part in parts)
        or len(set(parts)) != len(parts)
        or parts[0] == WINDOW
    ):
        raise ValueError(
            f"unknown attribute link {link!r}: expected an attribute ({', '.join(ATTRIBUTES)}), "
            f"optionally '+' another one or '+window'"
        )
    return parts[0], parts[1] if len(parts) == 2 else None


class CampaignFinder:
    """Collects the signatures of a batch, chunk by chunk, then finds its campaigns."""

    def __init__(self, config: CampaignConfig | None = None) -> None:
        self.config = config or CampaignConfig()
        self._chunks: list[RowSignatures] = []
        self._rows = 0

    @property
    def rows(self) -> int:
        """Rows added so far."""
        return self._rows

    def add(
        self,
        columns: Mapping[str, Any],
        *,
        photo_hashes: U64 | None = None,
        photo_folder: Path | None = None,
    ) -> None:
        """Add the next rows, as columns (see `blocking.row_signatures`)."""
        self.add_signatures(
            row_signatures(
                columns,
                photo_hashes=photo_hashes,
                photo_folder=photo_folder,
                max_messages=self.config.max_messages,
            )
        )

    def add_signatures(self, signatures: RowSignatures) -> None:
        """Add the next rows, signed elsewhere (a worker process) with `row_signatures`."""
        if signatures.rows:
            self._chunks.append(signatures)
            self._rows += signatures.rows

    def clusters(self) -> CampaignResult:
        """The campaigns among all rows added so far."""
        if len(self._chunks) > 1:  # kept joined, so that memory holds one copy
            self._chunks = [_concatenated(self._chunks)]
        rows = self._chunks[0] if self._chunks else _concatenated([])
        return _Clustering(rows, self.config).result()


@dataclass(frozen=True, eq=False)
class CampaignResult:
    """Campaigns found in a batch (tables are pyarrow Tables).

    - `members`: one row per input row in a campaign (duplicates of such rows included): `row`,
      `id`, `campaign`, `campaign_size`, `campaign_score`, `campaign_reasons` (the kinds of the
      row's own links, "; "-separated) and `duplicate_of` (the row standing for its id, or null).
    - `campaigns`: one row per campaign, numbered from 1: size, score, first row and id, the
      features and `evidence` (a list of sentences).
    - `edges`: the links within campaigns: `first_row`, `second_row`, `kind`, `value` (the
      texts' fields, the shared value or the photo distance), `similarity` (texts and photos)
      and `days_apart` (window links). Links are sparse: a member links to its block's leader,
      not to every other member.
    - `oversized`: what was too large: `kind` (a link kind, or "cluster"), `value`, `size`,
      `first_row` and `action` ("skipped", "linked through first row", "split: ...", "not
      scored").
    - `columns_for_rows(start, stop)`: campaign columns aligned with input rows, to merge into
      each row's output.
    """

    rows: int
    members: Any  # pa.Table
    campaigns: Any  # pa.Table
    edges: Any  # pa.Table
    oversized: Any  # pa.Table
    oversized_blocks: str  # the policy applied: "skip" or "star"
    duplicate_rows: int
    unreadable_profiles: int
    # Per row and per campaign number, for `columns_for_rows`.
    _campaign_of_row: I64 = field(repr=False)  # 0: in no campaign
    _reasons_of_row: I64 = field(repr=False)  # index into _reason_texts
    _reason_texts: tuple[str | None, ...] = field(repr=False)
    _sizes: I64 = field(repr=False)  # index 0 unused
    _scores: F64 = field(repr=False)
    _evidence: tuple[str | None, ...] = field(repr=False)  # index 0: None

    def columns_for_rows(self, start: int, stop: int) -> dict[str, list[Any]]:
        """Campaign columns for input rows start to stop - 1, to write beside them: `campaign`,
        `campaign_size`, `campaign_score`, `campaign_reasons` (the row's own links) and
        `campaign_evidence` (its campaign's, "; "-separated); null outside campaigns."""
        if not 0 <= start <= stop <= self.rows:
            raise ValueError(f"rows {start} to {stop} are outside 0 to {self.rows}")
        campaign = self._campaign_of_row[start:stop]
        inside = campaign > 0
        reasons = [self._reason_texts[index] for index in self._reasons_of_row[start:stop]]
        return {
            "campaign": [int(value) if value else None for value in campaign],
            "campaign_size": _where(inside, self._sizes[campaign]),
            "campaign_score": _where(inside, np.round(self._scores[campaign], 4)),
            "campaign_reasons": reasons,
            "campaign_evidence": [self._evidence[number] for number in campaign.tolist()],
        }


def _where(inside: npt.NDArray[np.bool_], values: npt.NDArray[Any]) -> list[Any]:
    return [
        value if keep else None
        for keep, value in zip(inside.tolist(), values.tolist(), strict=True)
    ]


# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Edges:
    first: I64
    second: I64
    kind: I64  # index into the kinds
    value: I64  # index into the values (what links them)
    similarity: F64  # NaN when not measured
    days_apart: I64  # -1 when not a window link


def _concatenated(chunks: list[RowSignatures]) -> RowSignatures:
    if not chunks:
        return row_signatures({})
    offsets = np.cumsum([0, *(chunk.rows for chunk in chunks)])
    names: dict[str, dict[int, str]] = {}
    for chunk in chunks:
        for kind, values in chunk.names.items():
            target = names.setdefault(kind, {})
            for key, value in values.items():
                target.setdefault(key, value)
    return RowSignatures(
        rows=int(offsets[-1]),
        ids=pa.concat_arrays([chunk.ids for chunk in chunks]),
        id_hash=np.concatenate([chunk.id_hash for chunk in chunks]),
        joined_day=np.concatenate([chunk.joined_day for chunk in chunks]),
        employer=np.concatenate([chunk.employer for chunk in chunks]),
        email_domain=np.concatenate([chunk.email_domain for chunk in chunks]),
        pattern=np.concatenate([chunk.pattern for chunk in chunks]),
        distinctive_pattern=np.concatenate([chunk.distinctive_pattern for chunk in chunks]),
        has_photo=np.concatenate([chunk.has_photo for chunk in chunks]),
        photo=np.concatenate([chunk.photo for chunk in chunks]),
        text_row=np.concatenate(
            [
                chunk.text_row.astype(np.int64) + offset
                for chunk, offset in zip(chunks, offsets[:-1].tolist(), strict=True)
            ]
        ),
        text_field=np.concatenate([chunk.text_field for chunk in chunks]),
        text_signature=np.concatenate([chunk.text_signature for chunk in chunks]),
        names=names,
        unreadable=sum(chunk.unreadable for chunk in chunks),
    )


class _Clustering:
    """One run of `CampaignFinder.clusters`: edges, components, features, score, tables."""

    def __init__(self, rows: RowSignatures, config: CampaignConfig) -> None:
        self.rows = rows
        self.config = config
        self.kinds = [TEXT, PHOTO, *dict.fromkeys(config.attribute_links)]
        self.values: dict[str, int] = {}
        self.first_of_id = _first_of_id(rows.id_hash)
        self.canonical = self.first_of_id == np.arange(rows.rows)
        self.edges: list[_Edges] = []
        self.oversized: dict[tuple[str, str, int], dict[str, Any]] = {}

    def result(self) -> CampaignResult:
        self._text_edges()
        self._photo_edges()
        for link in dict.fromkeys(self.config.attribute_links):
            self._attribute_edges(link)
        return self._clustered(_joined_edges(self.edges))

    # -- edges ----------------------------------------------------------------------------

    def _text_edges(self) -> None:
        rows = self.rows
        alive = self.canonical[rows.text_row]
        signatures = rows.text_signature if alive.all() else rows.text_signature[alive]
        text_row = rows.text_row[alive].astype(np.int64)
        text_field = rows.text_field[alive].astype(np.int64)
        threshold = self.config.text_similarity

        # Rows already joined by text (through earlier bands or rounds) need no more checks:
        # templates repeat in every band, and checking them again would cost 20 times over.
        joined = np.arange(rows.rows, dtype=np.int64)

        def similar(first: I64, second: I64) -> npt.NDArray[np.bool_]:
            settled: npt.NDArray[np.bool_] = joined[text_row[first]] == joined[text_row[second]]
            check = np.flatnonzero(~settled)
            settled[check] = text_similarity(signatures, first[check], second[check]) >= threshold
            return settled

        columns = band_columns(signatures)
        usable = np.arange(len(text_row))
        if self.config.oversized_blocks == "skip":
            # A text in a block too large to expand is a common template (boilerplate, or a
            # campaign too large to expand): it is reported, and links through no band.
            common = np.zeros(len(text_row), dtype=np.bool_)
            for band in range(BANDS):
                blocks = group_blocks(band_keys(columns, band))
                self._bounded(blocks, text_row, TEXT, text_field)
                common[blocks.subset(blocks.sizes > self.config.max_block).entries] = True
            if common.any():
                usable = np.flatnonzero(~common)
                columns = columns[:, usable]
        found = []
        for band in range(BANDS):
            blocks = group_blocks(band_keys(columns, band))
            blocks = self._bounded(blocks, text_row[usable], TEXT, text_field[usable])
            first, second = self._links(blocks, usable, similar)
            new = joined[text_row[first]] != joined[text_row[second]]
            found.append((first[new], second[new]))
            joined = _merged(joined, text_row[first[new]], text_row[second[new]])
        del columns
        first, second = _unique_pairs(
            np.concatenate([pair[0] for pair in found]), np.concatenate([pair[1] for pair in found])
        )
        if not len(first):
            return
        similarity = text_similarity(signatures, first, second)
        # One edge per pair of rows: the most similar of their texts.
        swap = text_row[first] > text_row[second]
        first, second = np.where(swap, second, first), np.where(swap, first, second)
        row_a, row_b = text_row[first], text_row[second]
        order = np.lexsort((second, first, -similarity, row_b, row_a))
        keep = np.ones(len(order), dtype=np.bool_)
        keep[1:] = (row_a[order][1:] != row_a[order][:-1]) | (row_b[order][1:] != row_b[order][:-1])
        chosen = order[keep]
        pair_code = text_field[first[chosen]] * len(TEXT_FIELDS) + text_field[second[chosen]]
        names = [
            _fields(TEXT_FIELDS[code // len(TEXT_FIELDS)], TEXT_FIELDS[code % len(TEXT_FIELDS)])
            for code in range(len(TEXT_FIELDS) ** 2)
        ]
        self._add(
            row_a[chosen], row_b[chosen], TEXT, self._codes(names)[pair_code], similarity[chosen]
        )

    def _photo_edges(self) -> None:
        photos = self.rows.photo
        hashed = np.flatnonzero(self.canonical & photos.any(axis=1))
        config = self.config

        def same(first: I64, second: I64) -> npt.NDArray[np.bool_]:
            coarse, fine = photo_distances(photos, first, second)
            return (coarse <= config.photo_distance) & (fine <= config.photo_fine_distance)

        found = []
        for band in range(PHOTO_BANDS):
            blocks = self._bounded(
                group_blocks(photo_band_keys(photos[hashed], band)), hashed, PHOTO
            )
            found.append(self._links(blocks, hashed, same))
        first, second = _unique_pairs(
            np.concatenate([pair[0] for pair in found]), np.concatenate([pair[1] for pair in found])
        )
        coarse, _ = photo_distances(photos, first, second)
        names = [f"pHash {distance} bits apart" for distance in range(65)]
        self._add(first, second, PHOTO, self._codes(names)[coarse], 1 - coarse / 64)

    def _attribute_edges(self, link: str) -> None:
        attribute, other = _link_parts(link)
        rows = self.rows
        values = self._given(attribute)
        eligible = self.canonical & (values != 0)
        if other == WINDOW:
            eligible &= rows.joined_day != NO_DAY
        elif other is not None:
            eligible &= self._given(other) != 0
        members = np.flatnonzero(eligible)
        # The link's name goes into its keys, so that its blocks never meet another link's.
        base = mix64(values[members] ^ hash_strings(pa.array([link]))[0])
        if other == WINDOW:
            self._window_edges(link, attribute, values, members, base)
            return
        if other is not None:
            base = mix64(base ^ self._given(other)[members])
        blocks = self._bounded(group_blocks(base), members, link, attribute=values)
        first, second = self._links(blocks, members, lambda a, b: np.ones(len(a), dtype=np.bool_))
        first, second = _unique_pairs(first, second)
        self._add(
            first,
            second,
            link,
            self._value_codes(attribute, values[first]),
            np.full(len(first), np.nan),
        )

    def _window_edges(
        self, link: str, attribute: str, values: U64, members: I64, base: U64
    ) -> None:
        """Links of an attribute shared by accounts made within `window_days` of each other, in
        groups too large to be chance (see `max_chance`)."""
        rows = self.rows
        days = rows.joined_day.astype(np.int64)
        window = self.config.window_days
        # Two bucketings of width 2N, offset by N: days at most N apart share a bucket in one of
        # them (pairs found twice are kept once).
        width = 2 * max(window, 1)
        dated = np.flatnonzero(self.canonical & (days != NO_DAY))
        entries = np.concatenate([members, members])
        buckets = np.concatenate(
            [
                (days[members] + shift) // width * 2 + index
                for index, shift in enumerate((0, width // 2))
            ]
        )
        all_buckets = np.concatenate(
            [
                (days[dated] + shift) // width * 2 + index
                for index, shift in enumerate((0, width // 2))
            ]
        )
        blocks = group_blocks(
            mix64(np.concatenate([base, base]) ^ mix64(buckets.astype(np.uint64)))
        )
        # How many accounts with this value a bucket holds by chance: the value's share of dated
        # accounts times the accounts made in that bucket (Poisson).
        first = blocks.first()
        bucket_of_block = buckets[first]
        distinct_buckets, bucket_counts = np.unique(all_buckets, return_counts=True)
        made = bucket_counts[np.searchsorted(distinct_buckets, bucket_of_block)]
        value_of_block = values[entries[first]]
        distinct_values, value_counts = np.unique(values[dated], return_counts=True)
        held = value_counts[np.searchsorted(distinct_values, value_of_block)]
        expected = made * held / max(len(dated), 1)
        chance = _poisson_tail(blocks.sizes, expected)
        blocks = self._bounded(
            blocks.subset(chance < self.config.max_chance),
            entries,
            link,
            attribute=values,
            days=days,
        )
        first, second = self._links(
            blocks, entries, lambda a, b: np.abs(days[a] - days[b]) <= window
        )
        first, second = _unique_pairs(first, second)
        apart = np.abs(days[first] - days[second])
        self._add(
            first,
            second,
            link,
            self._value_codes(attribute, values[first]),
            np.full(len(first), np.nan),
            apart,
        )

    def _given(self, attribute: str) -> U64:
        """An attribute's hashes, 0 where absent (and, for handle shapes, not distinctive)."""
        values: U64 = getattr(self.rows, attribute)
        if attribute == "pattern":
            values = np.where(self.rows.distinctive_pattern, values, np.uint64(0))
        return values

    def _bounded(
        self,
        blocks: Blocks,
        members: I64,
        kind: str,
        text_field: I64 | None = None,
        *,
        attribute: U64 | None = None,
        days: I64 | None = None,
    ) -> Blocks:
        """The blocks, without those over `max_block` members unless linked through a star;
        those are reported (by their first member's row and what it shares)."""
        big = blocks.sizes > self.config.max_block
        for entry, size in zip(
            blocks.first()[big].tolist(), blocks.sizes[big].tolist(), strict=True
        ):
            row = int(members[entry])
            if text_field is not None:
                shown = f"{TEXT_FIELDS[text_field[entry]]} of row {row}"
            elif attribute is not None:
                shown = self.rows.names.get(_link_parts(kind)[0], {}).get(int(attribute[row]), "?")
                if days is not None:
                    shown += f", joined around {_date(int(days[row]))}"
            else:
                shown = f"photo of row {row}"
            self._report(kind, shown, size, row)
        if self.config.oversized_blocks == "star":
            return blocks
        return blocks.subset(~big)

    def _links(
        self, blocks: Blocks, members: I64, verify: Callable[[I64, I64], npt.NDArray[np.bool_]]
    ) -> tuple[I64, I64]:
        oversized = blocks.sizes > self.config.max_block
        rounds = np.where(oversized, 1, _MAX_ROUNDS).astype(np.int64)
        return leader_links(blocks, members.astype(np.int64), verify, rounds=rounds)

    def _codes(self, names: list[str]) -> I64:
        return np.array(
            [self.values.setdefault(name, len(self.values)) for name in names], dtype=np.int64
        )

    def _value_codes(self, attribute: str, values: U64) -> I64:
        distinct, inverse = np.unique(values, return_inverse=True)
        names = self.rows.names.get(attribute, {})
        codes = self._codes([names.get(value, "?") for value in distinct.tolist()])
        result: I64 = codes[inverse.ravel()]
        return result

    def _add(
        self,
        first: I64,
        second: I64,
        kind: str,
        values: I64,
        similarity: F64,
        days_apart: I64 | None = None,
    ) -> None:
        if len(first):
            self.edges.append(
                _Edges(
                    first.astype(np.int64),
                    second.astype(np.int64),
                    np.full(len(first), self.kinds.index(kind), dtype=np.int64),
                    values,
                    similarity.astype(np.float64),
                    np.full(len(first), -1, np.int64) if days_apart is None else days_apart,
                )
            )

    def _report(
        self, kind: str, value: str, size: int, row: int, action: str | None = None
    ) -> None:
        if action is None:
            star = self.config.oversized_blocks == "star"
            action = "linked through first row" if star else "skipped"
        # The same group seen in another band is reported once, at its largest.
        entry = self.oversized.setdefault(
            (kind, value, row),
            {"kind": kind, "value": value, "size": 0, "first_row": row, "action": action},
        )
        entry["size"] = max(entry["size"], size)

    # -- clusters -------------------------------------------------------------------------

    def _clustered(self, edges: _Edges) -> CampaignResult:
        edges, labels = self._split_oversized(edges)
        sizes = np.bincount(labels)
        size = sizes[labels]
        for label in np.unique(labels[size > self.config.max_cluster]).tolist():
            count = int(sizes[label])
            self._report("cluster", f"{count} linked profiles", count, label, "not scored")
        clustered = (size >= 2) & (size <= self.config.max_cluster)
        # Campaigns are numbered from 1 in the order of their first row (which labels them).
        campaign = np.zeros(self.rows.rows, dtype=np.int64)
        firsts = np.unique(labels[clustered])
        number = np.zeros(len(sizes), dtype=np.int64)
        number[firsts] = np.arange(1, len(firsts) + 1)
        campaign[clustered] = number[labels[clustered]]
        features = _Features(self.rows, campaign, edges, self.kinds, self.config)
        inner = campaign[edges.first] > 0
        return self._result(campaign, features, _subset(edges, inner))

    def _split_oversized(self, edges: _Edges) -> tuple[_Edges, I64]:
        """The edges and the component of each row. A component over `max_cluster` members is
        split by asking more of its text links, step by step (`_SPLIT_SIMILARITIES`), until its
        parts fit or the steps run out; each split is reported."""
        labels = _components(self.rows.rows, edges)
        text = self.kinds.index(TEXT)
        for threshold in _SPLIT_SIMILARITIES:
            sizes = np.bincount(labels)
            over = sizes[labels] > self.config.max_cluster
            if not over.any() or threshold <= self.config.text_similarity:
                continue
            weak = over[edges.first] & (edges.kind == text) & (edges.similarity < threshold)
            if not weak.any():
                continue
            for label in np.unique(labels[over]).tolist():
                count = int(sizes[label])
                action = f"split: text links need similarity {threshold:.2f}"
                self._report("cluster", f"{count} linked profiles", count, label, action)
            edges = _subset(edges, ~weak)
            labels = _components(self.rows.rows, edges)
        return edges, labels

    def _result(self, campaign: I64, features: _Features, edges: _Edges) -> CampaignResult:
        rows = self.rows
        own = campaign.copy()
        campaign = campaign[self.first_of_id]  # duplicates take the campaign of their first row
        reason_mask = np.zeros(rows.rows, dtype=np.int64)
        bits = np.left_shift(1, edges.kind)
        np.bitwise_or.at(reason_mask, edges.first, bits)
        np.bitwise_or.at(reason_mask, edges.second, bits)
        reason_mask = reason_mask[self.first_of_id]
        masks, reason_index = np.unique(reason_mask, return_inverse=True)
        reason_texts = tuple(
            "; ".join(kind for bit, kind in enumerate(self.kinds) if mask >> bit & 1) or None
            for mask in masks.tolist()
        )
        member_rows = np.flatnonzero(campaign > 0)
        duplicate_of = np.where(own[member_rows] > 0, -1, self.first_of_id[member_rows])
        members = pa.table(
            {
                "row": pa.array(member_rows, pa.int64()),
                "id": rows.ids.take(pa.array(member_rows)),
                "campaign": pa.array(campaign[member_rows], pa.int64()),
                "campaign_size": pa.array(features.size[campaign[member_rows]], pa.int64()),
                "campaign_score": pa.array(
                    np.round(features.score[campaign[member_rows]], 4), pa.float64()
                ),
                "campaign_reasons": pa.array(
                    [reason_texts[index] for index in reason_index[member_rows].tolist()],
                    pa.string(),
                ),
                "duplicate_of": pa.array(duplicate_of, pa.int64(), mask=duplicate_of < 0),
            }
        )
        return CampaignResult(
            rows=rows.rows,
            members=members,
            campaigns=features.table(),
            edges=self._edge_table(edges),
            oversized=pa.Table.from_pylist(
                list(self.oversized.values()),
                schema=pa.schema(
                    [
                        ("kind", pa.string()),
                        ("value", pa.string()),
                        ("size", pa.int64()),
                        ("first_row", pa.int64()),
                        ("action", pa.string()),
                    ]
                ),
            ),
            oversized_blocks=self.config.oversized_blocks,
            duplicate_rows=int((~self.canonical).sum()),
            unreadable_profiles=rows.unreadable,
            _campaign_of_row=campaign,
            _reasons_of_row=reason_index.astype(np.int64),
            _reason_texts=reason_texts,
            _sizes=features.size,
            _scores=features.score,
            _evidence=(None, *("; ".join(lines) for lines in features.evidence)),
        )

    def _edge_table(self, edges: _Edges) -> Any:
        kinds = pa.DictionaryArray.from_arrays(
            pa.array(edges.kind, pa.int32()), pa.array(self.kinds)
        )
        values = pa.DictionaryArray.from_arrays(
            pa.array(edges.value, pa.int32()), pa.array(list(self.values), pa.string())
        )
        return pa.table(
            {
                "first_row": pa.array(edges.first, pa.int64()),
                "second_row": pa.array(edges.second, pa.int64()),
                "kind": kinds,
                "value": values,
                "similarity": pa.array(edges.similarity, pa.float64(), from_pandas=True),
                "days_apart": pa.array(edges.days_apart, pa.int64(), mask=edges.days_apart < 0),
            }
        )


class _Features:
    """Cluster features, score and evidence, indexed by campaign number (index 0 unused)."""

    def __init__(
        self,
        rows: RowSignatures,
        campaign: I64,
        edges: _Edges,
        kinds: list[str],
        config: CampaignConfig,
    ) -> None:
        self.rows = rows
        self.config = config
        self.count = int(campaign.max()) if len(campaign) else 0
        members = np.flatnonzero(campaign > 0)
        self.members = members
        self.campaign = campaign[members]
        self.size = np.bincount(self.campaign, minlength=self.count + 1).astype(np.int64)
        self.first_row = np.full(self.count + 1, -1, dtype=np.int64)
        numbers, first = np.unique(self.campaign, return_index=True)  # members are in row order
        self.first_row[numbers] = members[first]
        self.window, self.window_from, self.window_to = self._created_together()
        self.employer, self.employer_value = self._top("employer")
        self.email_domain, self.email_domain_value = self._top("email_domain")
        self.pattern, self.pattern_value = self._top("pattern")
        self.distinct_patterns = self._distinct("pattern")
        self.shown_photo = self._count(rows.has_photo[members] == 1)
        inner = campaign[edges.first] > 0
        self.linked: dict[str, I64] = {}
        self.mean_similarity = np.full(self.count + 1, np.nan)
        for kind in (TEXT, PHOTO):
            chosen = inner & (edges.kind == kinds.index(kind))
            touched = np.zeros(len(campaign), dtype=np.bool_)
            touched[edges.first[chosen]] = True
            touched[edges.second[chosen]] = True
            self.linked[kind] = self._count(touched[members])
            if kind == TEXT and chosen.any():
                owner = campaign[edges.first[chosen]]
                total = np.bincount(
                    owner, weights=edges.similarity[chosen], minlength=self.count + 1
                )
                number = np.bincount(owner, minlength=self.count + 1)
                with np.errstate(invalid="ignore", divide="ignore"):
                    self.mean_similarity = total / number
        self.score = self._score()
        self.evidence = [self._evidence(number) for number in range(1, self.count + 1)]

    def _count(self, flags: npt.NDArray[np.bool_]) -> I64:
        return np.bincount(self.campaign, weights=flags, minlength=self.count + 1).astype(np.int64)

    def _share(self, counts: I64) -> F64:
        share: F64 = counts / np.maximum(self.size, 1)
        return share

    def _created_together(self) -> tuple[I64, I64, I64]:
        """Per campaign: the most members made within `window_days` of each other, and the
        first and last day of that window."""
        days = self.rows.joined_day[self.members].astype(np.int64)
        known = days != NO_DAY
        campaign, days = self.campaign[known], days[known]
        best = np.zeros(self.count + 1, dtype=np.int64)
        start = np.full(self.count + 1, NO_DAY, dtype=np.int64)
        end = np.full(self.count + 1, NO_DAY, dtype=np.int64)
        if not len(days):
            return best, start, end
        key = (campaign << 33) + (days + (1 << 32))
        order = np.argsort(key, kind="stable")
        key, campaign, days = key[order], campaign[order], days[order]
        within = np.searchsorted(key, key + self.config.window_days, side="right") - np.arange(
            len(key)
        )
        np.maximum.at(best, campaign, within)
        top = np.flatnonzero(within == best[campaign])
        chosen, first = np.unique(campaign[top], return_index=True)
        position = top[first]
        start[chosen] = days[position]
        end[chosen] = days[position + within[position] - 1]
        alone = best < 2  # one account alone is no window
        best[alone], start[alone], end[alone] = 0, NO_DAY, NO_DAY
        return best, start, end

    def _top(self, attribute: str) -> tuple[I64, U64]:
        """Per campaign: how many members share its most common value of an attribute (of
        handle shapes, the distinctive ones), and that value (0 if none is shared)."""
        values = getattr(self.rows, attribute)[self.members]
        if attribute == "pattern":
            values = np.where(self.rows.distinctive_pattern[self.members], values, np.uint64(0))
        given = values != 0
        campaign, values = self.campaign[given], values[given]
        count = np.zeros(self.count + 1, dtype=np.int64)
        value = np.zeros(self.count + 1, dtype=np.uint64)
        if not len(values):
            return count, value
        order = np.lexsort((values, campaign))
        campaign, values = campaign[order], values[order]
        run = np.ones(len(values), dtype=np.bool_)
        run[1:] = (campaign[1:] != campaign[:-1]) | (values[1:] != values[:-1])
        starts = np.flatnonzero(run)
        lengths = np.diff(np.append(starts, len(values)))
        run_campaign, run_value = campaign[starts], values[starts]
        best = np.lexsort((run_value, -lengths, run_campaign))
        first = np.ones(len(best), dtype=np.bool_)
        first[1:] = run_campaign[best][1:] != run_campaign[best][:-1]
        chosen = best[first]
        count[run_campaign[chosen]] = lengths[chosen]
        value[run_campaign[chosen]] = run_value[chosen]
        shared = count >= 2
        return np.where(shared, count, 0), np.where(shared, value, np.uint64(0))

    def _distinct(self, attribute: str) -> I64:
        values = getattr(self.rows, attribute)[self.members]
        given = values != 0
        pairs = np.unique(np.stack([self.campaign[given].astype(np.uint64), values[given]]), axis=1)
        return np.bincount(pairs[0].astype(np.int64), minlength=self.count + 1).astype(np.int64)

    def _score(self) -> F64:
        similarity = np.nan_to_num(self.mean_similarity)
        terms = {
            "text": self._share(self.linked[TEXT]) * similarity,
            "photo": self._share(self.linked[PHOTO]),
            "window": self._share(self.window),
            "employer": self._share(self.employer),
            "email_domain": self._share(self.email_domain),
            "pattern": self._share(self.pattern),
        }
        doubt = np.ones(self.count + 1)
        for name, term in terms.items():
            doubt *= 1 - WEIGHTS[name] * np.clip(term, 0, 1)
        score: F64 = (1 - doubt) * (1 - 0.5 ** np.maximum(self.size - 1, 0))
        score[0] = np.nan
        return score

    def table(self) -> Any:
        numbers = np.arange(1, self.count + 1)
        names = self.rows.names
        ids = self.rows.ids.take(pa.array(self.first_row[1:])) if self.count else pa.nulls(0)
        return pa.table(
            {
                "campaign": pa.array(numbers, pa.int64()),
                "size": pa.array(self.size[1:], pa.int64()),
                "score": pa.array(np.round(self.score[1:], 4), pa.float64()),
                "first_row": pa.array(self.first_row[1:], pa.int64()),
                "first_id": pa.array(ids, pa.string()),
                "text_share": self._shares(self.linked[TEXT]),
                "mean_text_similarity": pa.array(
                    np.round(self.mean_similarity[1:], 4), pa.float64(), from_pandas=True
                ),
                "photo_share": self._shares(self.linked[PHOTO]),
                "created_together_share": self._shares(self.window),
                "created_from": self._dates(self.window_from),
                "created_to": self._dates(self.window_to),
                "employer_share": self._shares(self.employer),
                "employer": self._names(self.employer_value, names.get("employer", {})),
                "email_domain_share": self._shares(self.email_domain),
                "email_domain": self._names(self.email_domain_value, names.get("email_domain", {})),
                "pattern_share": self._shares(self.pattern),
                "pattern": self._names(self.pattern_value, names.get("pattern", {})),
                "distinct_patterns": pa.array(self.distinct_patterns[1:], pa.int64()),
                "shown_photo_share": self._shares(self.shown_photo),
                "evidence": pa.array(self.evidence, pa.list_(pa.string())),
            }
        )

    def _shares(self, counts: I64) -> Any:
        return pa.array(np.round(self._share(counts)[1:], 4), pa.float64())

    @staticmethod
    def _dates(days: I64) -> Any:
        return pa.array(
            [None if day == NO_DAY else _date(day) for day in days[1:].tolist()], pa.string()
        )

    @staticmethod
    def _names(values: U64, names: dict[int, str]) -> Any:
        return pa.array(
            [names.get(value) if value else None for value in values[1:].tolist()], pa.string()
        )

    def _evidence(self, number: int) -> list[str]:
        size = int(self.size[number])
        names = self.rows.names
        found = []

        def of(count: int) -> str:
            return f"{count} of {size}"

        if self.linked[TEXT][number]:
            found.append(
                f"{of(int(self.linked[TEXT][number]))} share text templates "
                f"(mean similarity {self.mean_similarity[number]:.2f})"
            )
        if self.linked[PHOTO][number]:
            found.append(f"{of(int(self.linked[PHOTO][number]))} share a photo")
        if self.window[number]:
            found.append(
                f"{of(int(self.window[number]))} were created within {self.config.window_days} days "
                f"({_date(int(self.window_from[number]))} to {_date(int(self.window_to[number]))})"
            )
        for attribute, wording in (
            ("employer", "claim the same employer"),
            ("email_domain", "give e-mail addresses at"),
            ("pattern", "have handles shaped"),
        ):
            count = int(getattr(self, attribute)[number])
            if count:
                value = names.get(attribute, {}).get(
                    int(getattr(self, f"{attribute}_value")[number]), "?"
                )
                separator = ":" if attribute == "employer" else ""
                found.append(f"{of(count)} {wording}{separator} {value}")
        return found


def _merged(labels: I64, first: I64, second: I64) -> I64:
    """Component labels (each the smallest member) after joining each first with its second:
    roots hooked onto smaller roots, then paths halved until every label is a root."""
    while True:
        one, other = labels[first], labels[second]
        apart = one != other
        if not apart.any():
            return labels
        labels = labels.copy()
        np.minimum.at(
            labels, np.maximum(one[apart], other[apart]), np.minimum(one[apart], other[apart])
        )
        while not np.array_equal(parents := labels[labels], labels):
            labels = parents


def _components(count: int, edges: _Edges) -> I64:
    """The component of each row, named by its smallest row."""
    return _merged(np.arange(count, dtype=np.int64), edges.first, edges.second)


def _poisson_tail(count: I64, expected: F64) -> F64:
    """P(a Poisson count with mean `expected` >= `count`), from above: the probability of
    `count` itself over 1 - expected / (count + 1), the sum of a geometric series that bounds
    the tail; 1 where the count is not above the mean. Tight where it matters, far out."""
    log_factorial = np.concatenate(
        [[0.0], np.cumsum(np.log(np.arange(1, int(count.max(initial=0)) + 1)))]
    )
    mean = np.maximum(expected, 1e-300)
    log_probability = -mean + count * np.log(mean) - log_factorial[count]
    ratio = mean / (count + 1)
    with np.errstate(divide="ignore"):
        bound = np.exp(log_probability) / np.maximum(1 - ratio, 0)
    tail: F64 = np.where(ratio < 1, np.minimum(bound, 1.0), 1.0)
    return tail


def _first_of_id(id_hash: U64) -> I64:
    """For each row, the first row with its id (itself when it has none or is the first)."""
    rows = np.arange(len(id_hash), dtype=np.int64)
    first = rows.copy()
    named = np.flatnonzero(id_hash != 0)
    order = named[np.argsort(id_hash[named], kind="stable")]
    hashes = id_hash[order]
    start = np.ones(len(order), dtype=np.bool_)
    start[1:] = hashes[1:] != hashes[:-1]
    group = np.cumsum(start) - 1
    first[order] = order[np.flatnonzero(start)][group]
    return first


def _unique_pairs(first: I64, second: I64) -> tuple[I64, I64]:
    """Pairs as (smaller, larger), each once, in order (members below 2**32)."""
    low, high = np.minimum(first, second), np.maximum(first, second)
    packed = np.unique((low << 32) | high)
    low, high = packed >> 32, packed & 0xFFFFFFFF
    apart = low != high
    return low[apart], high[apart]


def _joined_edges(parts: list[_Edges]) -> _Edges:
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return _Edges(empty, empty, empty, empty, np.zeros(0), empty)
    return _Edges(
        np.concatenate([part.first for part in parts]),
        np.concatenate([part.second for part in parts]),
        np.concatenate([part.kind for part in parts]),
        np.concatenate([part.value for part in parts]),
        np.concatenate([part.similarity for part in parts]),
        np.concatenate([part.days_apart for part in parts]),
    )


def _subset(edges: _Edges, keep: npt.NDArray[np.bool_]) -> _Edges:
    return _Edges(
        edges.first[keep],
        edges.second[keep],
        edges.kind[keep],
        edges.value[keep],
        edges.similarity[keep],
        edges.days_apart[keep],
    )


def _fields(first: str, second: str) -> str:
    return first if first == second else f"{first} ~ {second}"


def _date(day: int) -> str:
    return (_EPOCH + dt.timedelta(days=day)).isoformat()
