"""Learning the signs: modules and case studies, the "Spot the fake" quiz, and certificates.

The content is data (YAML in `modules/` and `quiz/` beside this file), validated on loading; a
security team adds or replaces modules and quiz items with files of its own (see `loading`).

    modules = load_modules()                  # built-in, plus LINKVET_LEARN_DIR if set
    quiz = load_quiz(Path("/etc/linkvet/learn"))
    result = score_quiz(quiz, {"consultancy-fee": "likely_fake", ...})
    pdf = certificate_pdf(name="Sam Taylor", result=result, issued=date.today())

Certificates need the `web` extra (Jinja2, WeasyPrint); the rest needs only the core.
"""

from linkvet.learn.certificate import CertificateError, certificate_id, certificate_pdf
from linkvet.learn.content import (
    Module,
    ProfileCard,
    Quiz,
    QuizItem,
    Section,
    Source,
)
from linkvet.learn.loading import LEARN_DIR_ENV, LearnContentError, load_modules, load_quiz
from linkvet.learn.results import PASS_MARK, ItemResult, QuizResult, score_quiz

__all__ = [
    "LEARN_DIR_ENV",
    "PASS_MARK",
    "CertificateError",
    "ItemResult",
    "LearnContentError",
    "Module",
    "ProfileCard",
    "Quiz",
    "QuizItem",
    "QuizResult",
    "Section",
    "Source",
    "certificate_id",
    "certificate_pdf",
    "load_modules",
    "load_quiz",
    "score_quiz",
]
