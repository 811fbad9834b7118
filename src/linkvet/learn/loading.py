"""Reading the learning content: the modules and quiz shipped inside the package, then a security
team's own files laid over them.

A team keeps its files in one folder (`extra_dir`, or the folder named by LINKVET_LEARN_DIR),
laid out like the package's own:

    modules/*.yaml   one module per file; a module with the id of a built-in one replaces it
    quiz/*.yaml      quiz items, and optionally the quiz's title and summary; an item with the id
                     of a built-in one replaces it where it stands, new items come at the end

Every file is read with limits (size, number of files) and validated; anything wrong is a
`LearnContentError` naming the file and the field, never a traceback.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any, Final, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from linkvet.errors import LinkvetError, describe_validation_error
from linkvet.learn.content import Module, Quiz, QuizFile, QuizItem

LEARN_DIR_ENV: Final = "LINKVET_LEARN_DIR"
MODULES_FOLDER: Final = "modules"
QUIZ_FOLDER: Final = "quiz"
SUFFIXES: Final = (".yaml", ".yml")
# Generous for prose (the longest built-in module is about 12 kB), small enough that a stray
# export or a hostile file cannot tie up the web app.
MAX_FILE_BYTES: Final = 256 * 1024
MAX_FILES: Final = 100  # per folder

_Model = TypeVar("_Model", bound=BaseModel)


class LearnContentError(LinkvetError):
    """A learning-content file or folder cannot be used; the message names it and the field."""

    def __init__(self, source: str, message: str) -> None:
        self.source = source
        self.detail = message
        super().__init__(f"{source}: {message}")


@dataclass(frozen=True)
class _File:
    source: str  # how messages name the file
    text: str


def load_modules(extra_dir: Path | None = None) -> list[Module]:
    """The built-in modules with a team's own laid over them, in display order."""
    modules = dict(_builtin_modules())
    team = _team_folder(extra_dir)
    if team is not None:
        modules.update(_modules_by_id(_read_folder(team / MODULES_FOLDER)))
    return sorted(modules.values(), key=lambda module: (module.order, module.id))


def load_quiz(extra_dir: Path | None = None) -> Quiz:
    """The built-in "Spot the fake" quiz with a team's own items laid over it."""
    team = _team_folder(extra_dir)
    if team is None:
        return _builtin_quiz()
    parts = _builtin_quiz_parts() + _quiz_parts(_read_folder(team / QUIZ_FOLDER))
    return _merge_quiz(parts, source=str(team / QUIZ_FOLDER))


# ---------------------------------------------------------------------------------------------
# Built-in content (package data, read once).


@cache
def _builtin_modules() -> dict[str, Module]:
    return _modules_by_id(_package_files(MODULES_FOLDER))


@cache
def _builtin_quiz_parts() -> tuple[tuple[str, QuizFile], ...]:
    return _quiz_parts(_package_files(QUIZ_FOLDER))


@cache
def _builtin_quiz() -> Quiz:
    return _merge_quiz(_builtin_quiz_parts(), source=f"linkvet/learn/{QUIZ_FOLDER}")


def _package_files(folder: str) -> list[_File]:
    root: Traversable = resources.files("linkvet.learn") / folder
    entries = sorted(
        (entry for entry in root.iterdir() if entry.name.endswith(SUFFIXES)),
        key=lambda entry: entry.name,
    )
    return [
        _File(f"linkvet/learn/{folder}/{entry.name}", entry.read_text(encoding="utf-8"))
        for entry in entries
    ]


# ---------------------------------------------------------------------------------------------
# A team's folder.


def _team_folder(extra_dir: Path | None) -> Path | None:
    chosen = extra_dir if extra_dir is not None else os.environ.get(LEARN_DIR_ENV) or None
    if chosen is None:
        return None
    folder = Path(chosen)
    if not folder.is_dir():
        raise LearnContentError(str(folder), "the learning content folder does not exist")
    known = (folder / MODULES_FOLDER).is_dir() or (folder / QUIZ_FOLDER).is_dir()
    stray = next(_content_paths(folder), None)
    if stray is not None or not known:
        raise LearnContentError(
            str(folder),
            f"put modules in a '{MODULES_FOLDER}' folder and quiz items in a '{QUIZ_FOLDER}' "
            "folder inside it",
        )
    return folder


def _content_paths(folder: Path) -> Iterator[Path]:
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(SUFFIXES) and not entry.name.startswith("."):
                yield Path(entry.path)


def _read_folder(folder: Path) -> list[_File]:
    if not folder.is_dir():
        return []
    paths: list[Path] = []
    for path in _content_paths(folder):
        paths.append(path)
        if len(paths) > MAX_FILES:
            raise LearnContentError(str(folder), f"more than {MAX_FILES} content files")
    return [_read_file(path) for path in sorted(paths)]


def _read_file(path: Path) -> _File:
    source = str(path)
    if not path.is_file():  # a folder or a pipe named *.yaml: opening a pipe would block
        raise LearnContentError(source, "not a regular file")
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as error:
        raise LearnContentError(source, f"cannot read the file ({error.strerror})") from None
    if len(data) > MAX_FILE_BYTES:
        raise LearnContentError(source, f"file larger than {MAX_FILE_BYTES:,} bytes")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LearnContentError(source, "not UTF-8 text") from None
    return _File(source, text)


# ---------------------------------------------------------------------------------------------
# Parsing and validating.


def _modules_by_id(files: Iterable[_File]) -> dict[str, Module]:
    found: dict[str, tuple[Module, str]] = {}
    for file in files:
        module = _validated(Module, file)
        if module.id in found:
            raise LearnContentError(
                file.source, f"id: module '{module.id}' is also defined in {found[module.id][1]}"
            )
        found[module.id] = (module, file.source)
    return {module_id: module for module_id, (module, _) in found.items()}


def _quiz_parts(files: Iterable[_File]) -> tuple[tuple[str, QuizFile], ...]:
    parts = tuple((file.source, _validated(QuizFile, file)) for file in files)
    defined: dict[str, str] = {}
    for source, part in parts:
        for index, item in enumerate(part.items):
            if item.id in defined:
                raise LearnContentError(
                    source,
                    f"items[{index}].id: quiz item '{item.id}' is also defined in "
                    f"{defined[item.id]}",
                )
            defined[item.id] = source
    return parts


def _merge_quiz(parts: Iterable[tuple[str, QuizFile]], *, source: str) -> Quiz:
    title = summary = None
    items: dict[str, QuizItem] = {}  # a replaced item keeps its place
    for _, part in parts:
        title = part.title or title
        summary = part.summary or summary
        items.update((item.id, item) for item in part.items)
    try:
        return Quiz.model_validate(
            {"title": title, "summary": summary, "items": tuple(items.values())}
        )
    except ValidationError as error:
        raise LearnContentError(source, describe_validation_error(error)) from None


def _validated(model: type[_Model], file: _File) -> _Model:
    data = _parse_yaml(file)
    if not isinstance(data, dict):
        raise LearnContentError(file.source, "expected a mapping of fields at the top level")
    try:
        return model.model_validate(data)
    except ValidationError as error:
        raise LearnContentError(file.source, describe_validation_error(error)) from None


def _parse_yaml(file: _File) -> Any:
    try:
        return yaml.load(file.text, Loader=_ContentLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise LearnContentError(
            file.source, f"not valid YAML ({error.problem or error.context}{where})"
        ) from None
    except yaml.YAMLError as error:
        raise LearnContentError(file.source, f"not valid YAML ({error})") from None


class _ContentLoader(yaml.SafeLoader):
    """Safe YAML, stricter still: no aliases (content needs none, and a few nested aliases
    expand into a document far larger than the file) and no key given twice in a mapping (the
    second would silently win)."""

    def compose_node(self, parent: yaml.Node | None, index: Any) -> yaml.Node | None:
        if self.check_event(yaml.AliasEvent):
            mark: yaml.Mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(None, None, "aliases (*name) are not allowed", mark)
        return super().compose_node(parent, index)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        counts = Counter(key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode))
        for key_node, _ in node.value:
            if isinstance(key_node, yaml.ScalarNode) and counts[key_node.value] > 1:
                raise yaml.constructor.ConstructorError(
                    None, None, f"the key '{key_node.value}' is given twice", key_node.start_mark
                )
        return super().construct_mapping(node, deep=deep)
