"""The benchmark corpus generator: files the project's own reader takes back, the same files for
the same seed, a truth file that adds up, campaigns that share a template without being copies,
genuine profiles that do not look like one, photos that are re-encoded variants, and no partial
file when something fails. Real files throughout; a few thousand rows each."""

from __future__ import annotations

import collections
import datetime as dt
import errno
import itertools
import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import imagehash
import pyarrow.parquet as pq
import pytest
from PIL import Image

from linkvet.batch.fileformat import read_batches
from linkvet.batch.scoring import row_profile
from linkvet.campaigns.corpus import (
    OBFUSCATIONS,
    CorpusFormat,
    CorpusSummary,
    default_photo_dir,
    generate_corpus,
    truth_path,
)

FORMATS: tuple[CorpusFormat, ...] = ("parquet", "jsonl", "csv")


def rows_of(target: Path) -> list[dict[str, Any]]:
    """Every row of a batch file as the project's reader gives it."""
    rows: list[dict[str, Any]] = []
    for chunk in read_batches(target, chunk_rows=1000):
        names = list(chunk.columns)
        cells = zip(*chunk.columns.values(), strict=True)
        rows += [dict(zip(names, values, strict=True)) for values in cells]
    return rows


def truth_of(target: Path) -> list[dict[str, Any]]:
    truth: list[dict[str, Any]] = pq.read_table(truth_path(target)).to_pylist()
    return truth


def trigrams(text: str) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / max(1, len(a | b))


def mean(values: Sequence[float]) -> float:
    return sum(values) / len(values)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, CorpusSummary]:
    target = tmp_path_factory.mktemp("corpus") / "profiles.parquet"
    return target, generate_corpus(target, profiles=4000, campaigns=40, seed=7, chunk_rows=900)


def campaigns_of(target: Path) -> dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]:
    members: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = collections.defaultdict(list)
    for row, truth in zip(rows_of(target), truth_of(target), strict=True):
        if truth["campaign"] is not None:
            members[truth["campaign"]].append((row, truth))
    return members


@pytest.mark.parametrize("file_format", FORMATS)
def test_the_projects_reader_takes_every_format_back(
    tmp_path: Path, file_format: CorpusFormat
) -> None:
    target = tmp_path / f"corpus.{file_format}"
    summary = generate_corpus(
        target, profiles=2000, campaigns=12, seed=1, format=file_format, chunk_rows=700
    )
    rows = rows_of(target)
    assert len(rows) == summary.rows == 2000
    assert len({row["id"] for row in rows}) == 2000
    assert len({row["handle"] for row in rows}) == 2000
    names = []
    for chunk in read_batches(target, chunk_rows=512):
        # Every row is a valid Profile, nested parts (experience, messages, ...) included.
        names += [row_profile(chunk.columns, index).name for index in range(len(chunk))]
    assert names == [row["name"] for row in rows]
    assert summary.files == (target, truth_path(target))
    assert summary.campaign_rows == sum(row["label"] == 1 for row in rows)
    assert summary.peak_rss_bytes > 0
    assert summary.seconds > 0


def test_the_same_seed_gives_the_same_corpus_whatever_the_chunks(tmp_path: Path) -> None:
    first = tmp_path / "first.jsonl"
    second = tmp_path / "second.jsonl"
    other = tmp_path / "other.jsonl"
    generate_corpus(first, profiles=1500, campaigns=10, seed=3, format="jsonl", chunk_rows=1500)
    generate_corpus(
        second, profiles=1500, campaigns=10, seed=3, format="jsonl", chunk_rows=128, progress=True
    )
    generate_corpus(other, profiles=1500, campaigns=10, seed=4, format="jsonl")
    assert first.read_bytes() == second.read_bytes()
    assert pq.read_table(truth_path(first)).equals(pq.read_table(truth_path(second)))
    assert first.read_bytes() != other.read_bytes()
    assert truth_of(first) != truth_of(other)


def test_the_truth_file_adds_up(corpus: tuple[Path, CorpusSummary]) -> None:
    target, summary = corpus
    rows, truth = rows_of(target), truth_of(target)
    assert [row["id"] for row in rows] == [entry["id"] for entry in truth]
    sizes = collections.Counter(entry["campaign"] for entry in truth if entry["campaign"])
    assert len(sizes) == summary.campaigns == 40
    assert sum(sizes.values()) == summary.campaign_rows
    for entry in truth:
        if entry["campaign"] is None:
            assert entry["campaign_size"] is None
            assert entry["obfuscation"] is None
        else:
            assert entry["campaign_size"] == sizes[entry["campaign"]]
            assert entry["obfuscation"] in OBFUSCATIONS
    for row, entry in zip(rows, truth, strict=True):
        assert row["label"] == (0 if entry["campaign"] is None else 1)
    # Heavy-tailed sizes: many of 3 to 5, at least one large, none below 3.
    assert min(sizes.values()) >= 3
    assert max(sizes.values()) >= 150  # the largest is profiles / 20 at this size
    assert sum(size <= 5 for size in sizes.values()) >= len(sizes) // 4
    assert summary.campaign_rows <= summary.rows // 5
    # Campaign members are scattered through the file, not in a block.
    positions = [index for index, entry in enumerate(truth) if entry["campaign"]]
    assert positions[0] < 1000
    assert positions[-1] > 3000


def test_nothing_a_detector_reads_names_the_campaign(corpus: tuple[Path, CorpusSummary]) -> None:
    target, _ = corpus
    rows = rows_of(target)
    assert {row["group"] for row in rows} == {"linkvet-bench-7"}
    for row in rows:
        for name, value in row.items():
            assert "campaign-" not in str(value), (row["id"], name)


def test_campaign_members_share_a_template_but_are_not_copies(
    corpus: tuple[Path, CorpusSummary],
) -> None:
    target, _ = corpus
    genuine_abouts = [
        trigrams(row["about"])
        for row, truth in zip(rows_of(target), truth_of(target), strict=True)
        if truth["campaign"] is None and row["about"]
    ]
    genuine_pairs = list(itertools.pairwise(genuine_abouts[:400]))
    genuine_similarity = mean([jaccard(a, b) for a, b in genuine_pairs])
    assert genuine_similarity < 0.03
    by_kind: dict[str, list[float]] = collections.defaultdict(list)
    for members in campaigns_of(target).values():
        rows = [row for row, _ in members]
        kind = members[0][1]["obfuscation"]
        abouts = [row["about"] for row in rows]
        similarities = [
            jaccard(trigrams(a), trigrams(b)) for a, b in itertools.combinations(abouts[:25], 2)
        ]
        by_kind[kind].append(mean(similarities))
        # A template is shared, far beyond what genuine profiles share ...
        assert mean(similarities) > 0.15, (kind, abouts[:2])
        # ... but obfuscation happened: the texts are not byte-identical copies (when only names
        # change, two members of a large campaign may draw the same name, role and spelling).
        distinct = len(set(abouts)) / len(abouts)
        assert distinct >= (0.8 if kind == "names" else 0.95), (kind, distinct)
        # The other things a persona farm reuses: one employer (spelt in several ways), one
        # e-mail domain, one creation window of a few days.
        nested = [json.loads(row["profile"]) for row in rows]
        employers = {
            _plain_employer(profile["experience"][0]["organisation"]) for profile in nested
        }
        assert len(employers) == 1, employers
        joined = sorted(dt.date.fromisoformat(row["joined"]) for row in rows)
        assert (joined[-1] - joined[0]).days < 7
        domains = {
            email.split("@")[1]
            for profile in nested
            for email in profile.get("contact", {}).get("emails", [])
        }
        assert len(domains) <= 1
    # Harder kinds are harder: names only < ... < paraphrased.
    assert mean(by_kind["names"]) > mean(by_kind["synonyms"]) > mean(by_kind["paraphrased"])


def _plain_employer(name: str) -> str:
    """The employer's name without case, spaces, punctuation and legal form."""
    letters = re.sub(r"[^a-z]", "", name.lower())
    return re.sub(r"^the|(?:ltd|limited|llc)$", "", letters)


def test_genuine_about_texts_are_mostly_unique(corpus: tuple[Path, CorpusSummary]) -> None:
    target, _ = corpus
    abouts = [
        row["about"]
        for row, truth in zip(rows_of(target), truth_of(target), strict=True)
        if truth["campaign"] is None and row["about"]
    ]
    assert len(abouts) > 2500
    assert len(set(abouts)) / len(abouts) > 0.99
    # Near-copies (word 3-gram Jaccard of 0.6 or more, what text blocking looks for) are rare.
    sample = [trigrams(text) for text in abouts[:600] if len(text.split()) >= 12]
    near = sum(
        any(jaccard(grams, other) >= 0.6 for other in sample[:index] + sample[index + 1 :])
        for index, grams in enumerate(sample)
    )
    assert near / len(sample) < 0.01


def test_photos_are_decodable_and_campaigns_reuse_re_encoded_bases(tmp_path: Path) -> None:
    target = tmp_path / "out" / "photos.parquet"
    folder = tmp_path / "pictures"
    summary = generate_corpus(
        target, profiles=300, campaigns=6, seed=2, photos=True, photo_dir=folder
    )
    assert summary.files == (target, truth_path(target), folder)
    assert 0 < summary.photo_seconds <= summary.seconds
    hashes: dict[str, tuple[imagehash.ImageHash, bytes]] = {}
    bases: dict[str, list[str]] = collections.defaultdict(list)
    genuine_ids = []
    for row, truth in zip(rows_of(target), truth_of(target), strict=True):
        nested = json.loads(row["profile"] or "{}")
        if "photo" not in nested:
            assert row["has_photo"] == 0
            assert truth["photo_base"] is None
            continue
        assert row["has_photo"] == 1
        path = target.parent / nested["photo"]["path"]  # relative to the batch file's folder
        assert path.resolve().is_relative_to(folder.resolve())
        data = path.read_bytes()
        with Image.open(path) as image:
            image.load()
            hashes[row["id"]] = (imagehash.phash(image), data)
        if truth["photo_base"] is None:
            genuine_ids.append(row["id"])
        else:
            assert truth["photo_transform"].startswith("crop ")
            bases[truth["photo_base"]].append(row["id"])
    assert summary.photos == len(hashes)
    assert len({data for _, data in hashes.values()}) == len(hashes)  # no two files the same
    shared = [
        hashes[a][0] - hashes[b][0]
        for ids in bases.values()
        for a, b in itertools.combinations(ids, 2)
    ]
    genuine = [hashes[a][0] - hashes[b][0] for a, b in itertools.combinations(genuine_ids[:60], 2)]
    assert len(shared) > 20
    assert mean(shared) < 16 < mean(genuine)


def test_photos_are_deterministic_too(tmp_path: Path) -> None:
    def photos(name: str) -> dict[str, bytes]:
        target = tmp_path / f"{name}.csv"
        generate_corpus(target, profiles=40, campaigns=3, seed=9, format="csv", photos=True)
        folder = default_photo_dir(target)
        return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*.*")}

    assert photos("a") == photos("b")


@pytest.fixture
def disk_fills_up(monkeypatch: pytest.MonkeyPatch) -> None:
    """Parquet writes fail with "no space left on device" from the third one on."""
    write_table = pq.ParquetWriter.write_table
    calls = itertools.count()

    def failing(self: pq.ParquetWriter, *args: Any, **kwargs: Any) -> None:
        if next(calls) >= 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        write_table(self, *args, **kwargs)

    monkeypatch.setattr(pq.ParquetWriter, "write_table", failing)


@pytest.mark.usefixtures("disk_fills_up")
def test_a_failure_leaves_no_partial_files_and_the_old_corpus_intact(tmp_path: Path) -> None:
    target = tmp_path / "corpus.parquet"
    target.write_bytes(b"the previous corpus")
    with pytest.raises(OSError, match="No space left"):
        generate_corpus(target, profiles=500, campaigns=5, seed=1, photos=True, chunk_rows=100)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["corpus.parquet"]
    assert target.read_bytes() == b"the previous corpus"


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"profiles": 0, "campaigns": 0}, "profiles must be at least 1"),
        ({"profiles": 10, "campaigns": 4}, r"campaigns must be at most profiles / 3 = 3"),
        ({"profiles": 10, "campaigns": -1}, "campaigns must be 0 or more"),
        ({"profiles": 10, "campaigns": 1, "format": "xml"}, "unknown format 'xml'"),
        ({"profiles": 10, "campaigns": 1, "format": "csv"}, "the extension says parquet"),
        ({"profiles": 10, "campaigns": 1, "chunk_rows": 0}, "chunk_rows must be at least 1"),
        ({"profiles": 10, "campaigns": 1, "seed": -2}, "seed must be 0 or more"),
        ({"profiles": 10, "campaigns": 1, "photo_dir": Path("x")}, "photos is false"),
    ],
)
def test_bad_arguments_are_clear_value_errors(
    tmp_path: Path, arguments: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        generate_corpus(tmp_path / "corpus.parquet", **arguments)
    assert list(tmp_path.iterdir()) == []


def test_a_target_without_a_batch_extension_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="cannot tell the format"):
        generate_corpus(tmp_path / "corpus.txt", profiles=10, campaigns=1)


def test_the_command_writes_a_corpus_and_its_truth(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from linkvet.cli import cli

    target = tmp_path / "corpus.jsonl"
    result = CliRunner().invoke(
        cli, ["bench", "generate", "--profiles", "300", "--campaigns", "5", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    assert "300 profiles" in result.output
    assert target.is_file()
    assert truth_path(target).is_file()
    wrong = CliRunner().invoke(
        cli, ["bench", "generate", "--profiles", "30", "-o", str(tmp_path / "corpus.xlsx")]
    )
    assert wrong.exit_code != 0
    assert "must end in .parquet, .jsonl or .csv" in wrong.output
