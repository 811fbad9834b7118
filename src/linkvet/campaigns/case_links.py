"""Fingerprints that link an organisation's cases: two reports about one persona, or about
personas from one campaign, share a photo, a face, a text template, an address, a name or a claimed
employer. The store keeps each case's fingerprints as (kind, value) strings of at most 600
characters and links cases from them; nothing here touches a database.

Why each kind:

- "photo": a persona kit reuses its photos, re-encoded, resized or cropped by the platform. A
  value is one region of the photo, "<region>:<64-bit pHash>:<256-bit pHash>" in hex, for each
  of the 16 regions of `linkvet.photo.index.REGIONS` (the whole, the middle 70%, and the crops
  persona makers often make). Two photos are the same when, paired as the photo index pairs
  them (whole with whole, middle with middle, the whole of one with each crop of the other),
  the 64-bit hashes lie within 10 bits and the 256-bit ones confirm it: 64 bits alone put
  studio headshots of different people 4 bits apart (the photo index's measurements).
- "face": another photo of the same stolen face, which no hash survives: the dlib 128-d
  embedding, as base64 float16 (344 characters; rounding moves a distance by under 0.001).
- "text_band" and "text_sig": one author's About, role descriptions and messages, reused with
  the name changed. Each text of at least `MIN_WORDS` words gets the MinHash signature of its
  word 3-grams (`linkvet.campaigns.text_index.fingerprint`). The low 16 bits of each of its 128
  values are kept as a "text_sig", "<field path>:<base64>" ("b-bit MinHash": two values agree
  by chance once in 65,536, and the Jaccard estimate is corrected for that). Its 32 bands of 4
  values are the "text_band" keys, "<band>:<hex>": texts of Jaccard similarity 0.6 share a
  band 99% of the time, 0.3 a quarter of the time, unrelated texts practically never. A shared
  band only makes a candidate; `link_reasons` verifies the similarity from the signatures.
- "sender_url": the same account reported twice, its address written differently (case, www,
  country or mobile host, trailing slash, tracking query).
- "sender_name": a persona renamed on one platform keeps its name on another; titles, accents,
  case and credentials are dropped, and one-word names (too common) are not kept.
- "employer": a campaign's personas claim the same front company, with or without "Ltd".

How to find related cases: "sender_url", "sender_name", "employer" and "text_band" values match
by exact equality, so an indexed join on (organisation, kind, value) finds the candidates
(`candidate_keys`). Photos and faces match by distance, not equality: load all of the
organisation's "photo" and "face" fingerprints and compare them in memory. Either way,
`link_reasons` says whether a candidate is related, and why.

Photo and face fingerprints need the `photo` extra; without it they are left out. Values
depend on the photo index's regions and on the MinHash scheme of `text_index`: when either
changes, recompute every case's fingerprints.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
import urllib.parse
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from linkvet.campaigns.text_index import DEFAULT_THRESHOLD, NUM_PERM, fingerprint, indexed_texts
from linkvet.model import Photo, Platform, Profile
from linkvet.text.fields import describe_field
from linkvet.text.normalise import normalise
from linkvet.text.phrases import tokenize

PHOTO: Final = "photo"
FACE: Final = "face"
TEXT_BAND: Final = "text_band"
TEXT_SIG: Final = "text_sig"
SENDER_URL: Final = "sender_url"
SENDER_NAME: Final = "sender_name"
EMPLOYER: Final = "employer"
CANDIDATE_KINDS: Final = frozenset({SENDER_URL, SENDER_NAME, EMPLOYER, TEXT_BAND})

MAX_VALUE_CHARS: Final = 600
# The photo index's defaults (PhotoIndex: max_hash_distance, max_embedding_distance).
MAX_PHOTO_DISTANCE: Final = 10
MAX_FACE_DISTANCE: Final = 0.4
MIN_TEXT_SIMILARITY: Final = DEFAULT_THRESHOLD
SIGNATURE_BITS: Final = 16
BANDS: Final = 32
ROWS: Final = NUM_PERM // BANDS
# Texts per case, first ones first (About, roles, then the approach in order): a report with
# 10,000 distinct messages must not cost 320,000 rows, and comparing signatures is then bounded.
MAX_TEXTS: Final = 100
_SIGNATURE_DTYPE: Final = np.dtype("<u2")
_EMBEDDING_DTYPE: Final = np.dtype("<f2")
_SIGNATURE_BYTES: Final = NUM_PERM * _SIGNATURE_DTYPE.itemsize
_EMBEDDING_BYTES: Final = 128 * _EMBEDDING_DTYPE.itemsize  # dlib's 128-d embedding
# "<region>:<64-bit pHash>:<256-bit pHash>", in hex.
_PHOTO_VALUE: Final = re.compile(
    r"(?P<region>[0-9]{1,3}):(?P<coarse>[0-9a-f]{16}):(?P<fine>[0-9a-f]{64})"
)
_CHANCE: Final = 2.0**-SIGNATURE_BITS


@dataclass(frozen=True, slots=True)
class Fingerprint:
    """One thing a case can share with another: its kind ("photo", "sender_url", ...) and a
    value of at most 600 characters."""

    kind: str
    value: str


def case_fingerprints(profile: Profile, pictures: Mapping[str, bytes]) -> list[Fingerprint]:
    """The fingerprints of a reported profile, without repeats. `pictures` maps sha256 to the
    bytes of pictures stored apart from the profile; a photo with inline `data` needs none.
    Never raises on what a profile holds: a photo that cannot be read gives no fingerprint."""
    found: list[Fingerprint] = []
    data = _photo_data(profile.photo, pictures)
    if data is not None:
        found.extend(_photo_fingerprints(data))
    found.extend(_text_fingerprints(profile))
    found.extend(Fingerprint(SENDER_URL, url) for url in _sender_urls(profile))
    if profile.name and (name := normalised_name(profile.name)) is not None:
        found.append(Fingerprint(SENDER_NAME, name))
    found.extend(Fingerprint(EMPLOYER, employer) for employer in _claimed_employers(profile))
    return list(dict.fromkeys(found))


def candidate_keys(fingerprints: Iterable[Fingerprint]) -> list[Fingerprint]:
    """The fingerprints another case must share exactly to be a candidate (a SQL join)."""
    return [found for found in fingerprints if found.kind in CANDIDATE_KINDS]


def link_reasons(mine: Sequence[Fingerprint], theirs: Sequence[Fingerprint]) -> list[str]:
    """Why two cases are related, strongest first, in plain words; empty when they are not.
    Every reason is verified: shared band keys alone are not one. Malformed values are ignored."""
    reasons: list[str] = []
    if _shared(mine, theirs, SENDER_URL):
        reasons.append("same profile URL")
    photo = _photo_reason(_values(mine, PHOTO), _values(theirs, PHOTO))
    if photo is not None:
        reasons.append(photo)
    else:  # the same photo shows the same face: saying so again adds nothing
        face = _face_distance(_values(mine, FACE), _values(theirs, FACE))
        if face is not None:
            reasons.append(f"same face (embedding distance {face:.2f})")
    text = _text_reason(_values(mine, TEXT_SIG), _values(theirs, TEXT_SIG))
    if text is not None:
        reasons.append(text)
    reasons.extend(_named("same name", name) for name in _shared(mine, theirs, SENDER_NAME))
    reasons.extend(
        _named("same claimed employer", employer) for employer in _shared(mine, theirs, EMPLOYER)
    )
    return reasons


# --- photo and face --------------------------------------------------------------------------


def _photo_data(photo: Photo | None, pictures: Mapping[str, bytes]) -> bytes | None:
    if photo is None:
        return None
    if photo.data is not None:
        return photo.data
    # The store keeps a photo's bytes apart and names them in the profile by their sha256.
    digest = getattr(photo, "sha256", None)
    return pictures.get(digest) if isinstance(digest, str) else None


def _photo_fingerprints(data: bytes) -> list[Fingerprint]:
    try:
        from linkvet.photo.analysis import analyse
        from linkvet.photo.faces import FaceModelsMissing
        from linkvet.photo.image import PhotoError, load_photo
        from linkvet.photo.index import REGIONS, region_fingerprint
    except ImportError:
        return []
    embedding = None
    try:
        # analyse() caches by digest: a photo just assessed is not decoded again.
        analysis = analyse(data)
        pixels, embedding = analysis.photo.pixels, analysis.embedding
    except FaceModelsMissing:
        try:
            pixels = load_photo(data).pixels
        except PhotoError:
            return []
    except PhotoError:
        return []
    hashes = region_fingerprint(pixels)
    found = [
        Fingerprint(
            PHOTO,
            f"{region}:{int(hashes.coarse[region]):016x}:{hashes.fine[region].tobytes().hex()}",
        )
        for region in range(len(REGIONS))
    ]
    if embedding is not None:
        vector = np.asarray(embedding, dtype=_EMBEDDING_DTYPE)
        found.append(Fingerprint(FACE, base64.b64encode(vector.tobytes()).decode("ascii")))
    return found


def _photo_reason(mine: list[str], theirs: list[str]) -> str | None:
    """The closest confirmed pairing of regions, as the photo index pairs them."""
    if not mine or not theirs:
        return None
    try:
        from linkvet.photo.index import FINE_MAX_DISTANCE, PAIRINGS
    except ImportError:
        return None
    own, other = _region_hashes(mine), _region_hashes(theirs)
    confirmed = [
        ((own[a][0] ^ other[b][0]).bit_count(), a != b)
        for a, b in {(pair.query_region, pair.indexed_region) for pair in PAIRINGS}
        if a in own and b in other and (own[a][1] ^ other[b][1]).bit_count() <= FINE_MAX_DISTANCE
    ]
    close = [pairing for pairing in confirmed if pairing[0] <= MAX_PHOTO_DISTANCE]
    if not close:
        return None
    distance, cropped = min(close)
    return f"same photo{', one cropped' if cropped else ''} (pHash {distance} bits apart)"


def _region_hashes(values: list[str]) -> dict[int, tuple[int, int]]:
    hashes = {}
    for value in values:
        if found := _PHOTO_VALUE.fullmatch(value):
            hashes[int(found["region"])] = (int(found["coarse"], 16), int(found["fine"], 16))
    return hashes


def _face_distance(mine: list[str], theirs: list[str]) -> float | None:
    own, other = _embeddings(mine), _embeddings(theirs)
    if not own or not other:
        return None
    distance = min(float(np.linalg.norm(a - b)) for a in own for b in other)
    return distance if distance <= MAX_FACE_DISTANCE else None


def _embeddings(values: list[str]) -> list[npt.NDArray[np.float32]]:
    vectors = []
    for value in values:
        raw = _base64(value, _EMBEDDING_BYTES)
        if raw is None:
            continue
        vector = np.frombuffer(raw, dtype=_EMBEDDING_DTYPE).astype(np.float32)
        if np.isfinite(vector).all():
            vectors.append(vector)
    return vectors


# --- texts -----------------------------------------------------------------------------------

_Signature = npt.NDArray[np.uint16]


def _text_fingerprints(profile: Profile) -> list[Fingerprint]:
    signatures: dict[bytes, tuple[str, _Signature]] = {}
    for text in indexed_texts(profile):
        signature = fingerprint(text.text)
        if signature is None:
            continue
        low_bits = (np.asarray(signature.hashvalues) & 0xFFFF).astype(_SIGNATURE_DTYPE)
        # A text sent many times is one template; the first place it appears names it.
        signatures.setdefault(low_bits.tobytes(), (text.path, low_bits))
        if len(signatures) == MAX_TEXTS:
            break
    sigs = [
        Fingerprint(TEXT_SIG, f"{path}:{base64.b64encode(raw).decode('ascii')}")
        for raw, (path, _) in signatures.items()
    ]
    bands = [
        Fingerprint(TEXT_BAND, key)
        for _, low_bits in signatures.values()
        for key in _bands(low_bits)
    ]
    return sigs + bands


def _bands(signature: _Signature) -> Iterator[str]:
    for band in range(BANDS):
        yield f"{band}:{signature[band * ROWS : (band + 1) * ROWS].tobytes().hex()}"


def _text_reason(mine: list[str], theirs: list[str]) -> str | None:
    own, other = _signatures(mine), _signatures(theirs)
    if not own or not other:
        return None
    own_matrix = np.stack([signature for _, signature in own])
    other_matrix = np.stack([signature for _, signature in other])
    agreeing = (own_matrix[:, None, :] == other_matrix[None, :, :]).mean(axis=2)
    # b-bit MinHash: values of different shingles still agree by chance, once in 2**bits.
    similarity = np.clip((agreeing - _CHANCE) / (1 - _CHANCE), 0.0, 1.0)
    matches = []
    for index, (path, _) in enumerate(own):
        best = int(similarity[index].argmax())
        if similarity[index, best] >= MIN_TEXT_SIMILARITY:
            matches.append((float(similarity[index, best]), path, other[best][0]))
    if not matches:
        return None
    # One reason for all the texts: a case page shows a few reasons, and other kinds matter too.
    # The most similar; of equals, the first in the profile (About before messages).
    value, path, other_path = max(matches, key=lambda match: match[0])
    reason = f"same text template in {_fields(path, other_path)} (similarity {value:.2f})"
    if len(matches) > 1:
        reason += f", and in {len(matches) - 1} more text{'s' if len(matches) > 2 else ''}"
    return reason


def _fields(path: str, other_path: str) -> str:
    if path == other_path:
        return describe_field(path)
    return f"{describe_field(path)} and {describe_field(other_path)}"


def _signatures(values: list[str]) -> list[tuple[str, _Signature]]:
    found = []
    for value in values[:MAX_TEXTS]:
        path, _, encoded = value.rpartition(":")
        raw = _base64(encoded, _SIGNATURE_BYTES)
        if path and raw is not None:
            found.append((path, np.frombuffer(raw, dtype=_SIGNATURE_DTYPE)))
    return found


# --- sender and employer ---------------------------------------------------------------------

# Sites whose profile addresses have a canonical form, by the domain their hosts end with.
_SITES: Final = {
    "linkedin.com": "linkedin.com",
    "twitter.com": "x.com",
    "x.com": "x.com",
    "instagram.com": "instagram.com",
    "facebook.com": "facebook.com",
    "fb.com": "facebook.com",
}
_HANDLE_FIRST: Final = frozenset({"x.com", "instagram.com"})
_HANDLE_URLS: Final = {
    Platform.LINKEDIN: "https://linkedin.com/in/",
    Platform.TWITTER: "https://x.com/",
    Platform.INSTAGRAM: "https://instagram.com/",
    Platform.FACEBOOK: "https://facebook.com/",
}
_WEB: Final = re.compile(r"(?:https?:)?//", re.IGNORECASE)
# "mailto:", "tel:": an address but not on the web; "host:8080" is a port, not a scheme.
_OTHER_SCHEME: Final = re.compile(r"[a-z][a-z0-9+.-]*:(?![0-9])", re.IGNORECASE)


def normalised_url(url: str) -> str | None:
    """A profile address in one form, or None when it names no profile ("linkedin.com").

    LinkedIn, X/Twitter, Instagram and Facebook addresses become "linkedin.com/in/<name>",
    "x.com/<handle>" and so on, in lower case, whatever host, path tail or query they came
    with. Other web addresses lose scheme, www, port, query, fragment and trailing slash, and
    keep the case of their path; addresses off the web are only case-folded.
    """
    text = url.strip()
    if not text:
        return None
    if not _WEB.match(text):
        if _OTHER_SCHEME.match(text):
            return _storable(text.casefold())
        text = "https://" + text
    try:
        parts = urllib.parse.urlsplit(text)
        host = (parts.hostname or "").rstrip(".").removeprefix("www.")
    except ValueError:  # an unclosed IPv6 bracket, a port that is not a number
        return _storable(text.casefold())
    if not host:
        return _storable(text.casefold())
    segments = [segment for segment in urllib.parse.unquote(parts.path).split("/") if segment]
    site = next(
        (
            canonical
            for domain, canonical in _SITES.items()
            if host == domain or host.endswith("." + domain)
        ),
        None,
    )
    if site is None:
        return _storable("/".join([host, *segments]))
    folded = [segment.casefold() for segment in segments]
    if site == "linkedin.com" and len(folded) >= 2 and folded[0] == "in":
        return _storable(f"linkedin.com/in/{folded[1]}")
    if site == "facebook.com" and folded == ["profile.php"]:
        # Numbered Facebook profiles differ only in their query.
        ids = urllib.parse.parse_qs(parts.query).get("id")
        return _storable(f"facebook.com/profile.php?id={ids[0].strip()}") if ids else None
    if not folded:
        return None  # the site's own root names nobody
    if site in _HANDLE_FIRST:
        folded = folded[:1]  # "x.com/anna/with_replies" is still Anna's profile
    return _storable(f"{site}/{'/'.join(folded)}")  # handles on these sites ignore case


def _sender_urls(profile: Profile) -> list[str]:
    urls = [profile.url] if profile.url else []
    handle = (profile.handle or "").strip().lstrip("@")
    prefix = _HANDLE_URLS.get(profile.platform) if profile.platform else None
    if prefix and handle and not re.search(r"[\s/?#]", handle):
        urls.append(prefix + handle)
    return list(dict.fromkeys(url for url in map(normalised_url, urls) if url is not None))


# Letters that NFKD does not take apart, and that a persona maker may leave out: ł ø đ ħ, the
# dotless i, æ œ þ ð.
_LATIN_LETTERS: Final = str.maketrans(
    {
        "\u0142": "l", "\u00f8": "o", "\u0111": "d", "\u0127": "h", "\u0131": "i",
        "\u00e6": "ae", "\u0153": "oe", "\u00fe": "th", "\u00f0": "d",
    }
)  # fmt: skip
_ASIDE: Final = re.compile(r"\([^)]*\)?")  # "(she/her)"; an unclosed "(" runs to the end
# Credentials or a tagline follow: a comma, a bar, a slash, a spaced dash or bullet.
_NAME_END: Final = re.compile(r",|\||/|\s[-\u2013\u2014\u2022\u00b7]\s")
_TITLES: Final = frozenset(
    "dr prof professor mr mrs ms miss mx sir dame rev hon ing dipl mag herr frau mme mlle "
    "dott".split()
)
_CREDENTIALS: Final = frozenset(
    "phd dphil md mba msc bsc llm jd cpa cfa pmp cissp frs obe mbe cbe esq".split()
)


def normalised_name(name: str) -> str | None:
    """A display name folded for comparison, or None for a name of fewer than two words."""
    plain = _ASIDE.sub(" ", name)
    words = _words(next((part for part in _NAME_END.split(plain) if part.strip()), ""))
    while words and words[0] in _TITLES:
        words.pop(0)
    while words and words[-1] in _CREDENTIALS:
        words.pop()
    return _storable(" ".join(words)) if len(words) >= 2 else None


# The claimed employer in a headline: "Partner at Northbridge Advisory | ...", "Recruiter @Acme".
_HEADLINE_EMPLOYER: Final = re.compile(r"(?:^|\s)(?:at\s+|@\s*)([^|•·,;/()]+)", re.IGNORECASE)
# Legal forms, as words after tokenising ("S.A." is "s a"), dropped from the end of a name.
_LEGAL_FORMS: Final = tuple(
    tuple(form.split())
    for form in (
        "ltd", "limited", "llc", "l l c", "llp", "lp", "pllc", "inc", "incorporated", "corp",
        "corporation", "co", "plc", "gmbh", "ag", "kg", "ug", "se", "sa", "s a", "sas", "s a s",
        "sarl", "srl", "s r l", "spa", "s p a", "bv", "b v", "nv", "n v", "pty", "pte", "oy",
        "oyj", "ab", "as", "a s", "asa", "kk", "sl", "lda", "ltda", "kft", "zrt", "sp z o o",
    )
)  # fmt: skip


def normalised_employer(organisation: str) -> str | None:
    """An organisation's name folded for comparison, without its legal form; None if empty."""
    words = _words(organisation)
    if words[:1] == ["the"]:
        words.pop(0)
    stripped = True
    while stripped:
        stripped = False
        for form in _LEGAL_FORMS:
            if len(words) > len(form) and tuple(words[-len(form) :]) == form:
                del words[-len(form) :]
                stripped = True
    return _storable(" ".join(words)) if words else None


def _claimed_employers(profile: Profile) -> list[str]:
    claimed = [
        entry.organisation
        for entry in profile.experience or []
        if entry.current and entry.organisation
    ]
    if profile.headline and (found := _HEADLINE_EMPLOYER.search(profile.headline)):
        employer = found.group(1).strip()
        # "looking at new opportunities" names no employer; an organisation is capitalised.
        if employer and not employer[0].islower():
            claimed.append(employer)
    return list(
        dict.fromkeys(name for name in map(normalised_employer, claimed) if name is not None)
    )


def _words(text: str) -> list[str]:
    folded = normalise(text).text.translate(_LATIN_LETTERS)
    return [token.text for token in tokenize(folded)]


# --- shared helpers --------------------------------------------------------------------------


def _storable(value: str) -> str:
    """The value, or its digest when the store cannot keep it as it is (too long, or with a NUL
    or a lone surrogate, which PostgreSQL and UTF-8 refuse): equality still holds."""
    if len(value) <= MAX_VALUE_CHARS and "\x00" not in value and _encodable(value):
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()


def _encodable(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _named(reason: str, value: str) -> str:
    return reason if value.startswith("sha256:") else f"{reason}: {value}"


def _values(fingerprints: Sequence[Fingerprint], kind: str) -> list[str]:
    return [found.value for found in fingerprints if found.kind == kind]


def _shared(mine: Sequence[Fingerprint], theirs: Sequence[Fingerprint], kind: str) -> list[str]:
    other = set(_values(theirs, kind))
    return [value for value in dict.fromkeys(_values(mine, kind)) if value in other]


def _base64(text: str, size: int) -> bytes | None:
    if len(text) != 4 * -(-size // 3):  # what base64 makes of `size` bytes, padding included
        return None
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError):
        return None
    return raw if len(raw) == size else None
