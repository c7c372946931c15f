"""Reading and validating the curated bank files in `questionbank/data/` (no database here)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from django.utils.translation import gettext as _
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DATA_DIR = Path(__file__).resolve().parent / "data"
# A question's suggested time in seconds, a minute to four hours (an interviewer's longest per question): the
# same range for the bank's files, imports and the admin.
SUGGESTED_SECONDS = (60, 4 * 3600)


class BankFileError(Exception):
    """A bank file that cannot be loaded; the message names the file and the problem."""


class TopicSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")
    name_zh: str = Field(min_length=1)
    name_en: str = Field(min_length=1)


def _as_text_list(items: object) -> object:
    # YAML reads a term like `320` or `1e-5` as a number; a term is always matched as text.
    if not isinstance(items, list):
        return items
    return [str(t).strip() for t in items if t is not None and str(t).strip()]


class CriterionSpec(BaseModel):
    """A rubric point; the `_en` fields are its English version (empty while the question has none)."""

    model_config = ConfigDict(extra="forbid")
    description: str = Field(min_length=1)
    description_en: str = ""
    points: int = Field(gt=0, le=100)
    terms: list[str] = Field(default_factory=list)
    terms_en: list[str] = Field(default_factory=list)

    @field_validator("terms", "terms_en", mode="before")
    @classmethod
    def _texts(cls, items: object) -> object:
        return _as_text_list(items)


class MisconceptionSpec(BaseModel):
    """A wrong claim, the phrasings that state it, and the rubric point (1-based) it contradicts."""

    model_config = ConfigDict(extra="forbid")
    claim: str = Field(min_length=1)
    claim_en: str = ""
    phrasings: list[str] = Field(min_length=1)
    phrasings_en: list[str] = Field(default_factory=list)
    contradicts: int = Field(ge=1)

    @field_validator("phrasings", "phrasings_en", mode="before")
    @classmethod
    def _texts(cls, items: object) -> object:
        return _as_text_list(items)


_NOT_WORD = re.compile(r"[\W_]+")


def _compact(text: str) -> str:
    """Lower case, full width folded, no spaces or punctuation: how terms are compared with the prompt."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())


class QuestionSpec(BaseModel):
    model_config = ConfigDict(extra="forbid")
    slug: str = Field(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$", max_length=120)
    sources: list[str] = Field(default_factory=list)
    # Why a question has no seed (required when `sources` is empty).
    sources_note: str = ""
    topics: list[str] = Field(default_factory=list)
    difficulty: Literal["easy", "medium", "hard"]
    suggested_seconds: int = Field(ge=SUGGESTED_SECONDS[0], le=SUGGESTED_SECONDS[1])
    language: Literal["zh", "en"] = "zh"
    status: Literal["draft", "published", "retired"] = "published"
    prompt: str = Field(min_length=1)
    prompt_en: str = ""
    reference_answer: str = Field(min_length=1)
    reference_answer_en: str = ""
    rubric: list[CriterionSpec] = Field(min_length=3, max_length=8)
    misconceptions: list[MisconceptionSpec] = Field(min_length=1, max_length=4)

    @model_validator(mode="after")
    def _strip_text(self) -> QuestionSpec:
        self.prompt = self.prompt.strip()
        self.prompt_en = self.prompt_en.strip()
        self.reference_answer = self.reference_answer.strip()
        self.reference_answer_en = self.reference_answer_en.strip()
        return self

    @property
    def is_bilingual(self) -> bool:
        return bool(self.prompt_en)

    @model_validator(mode="after")
    def _sources_or_reason(self) -> QuestionSpec:
        if not self.sources and not self.sources_note.strip():
            raise ValueError(_("no sources: name the seed ids, or say in `sources_note` why there is none"))
        return self

    @model_validator(mode="after")
    def _english_complete(self) -> QuestionSpec:
        """An English version is all or nothing: a half-translated question would grade English answers
        against Chinese points."""
        if not self.prompt_en:
            stray = [n for n, c in enumerate(self.rubric, 1) if c.description_en or c.terms_en]
            stray += [n for n, m in enumerate(self.misconceptions, 1) if m.claim_en or m.phrasings_en]
            if self.reference_answer_en or stray:
                raise ValueError(
                    _("English text without `prompt_en`: give the whole English version or none")
                )
            return self
        missing = ["reference_answer_en"] if not self.reference_answer_en else []
        missing += [
            _("rubric point %(n)d: description_en") % {"n": n}
            for n, c in enumerate(self.rubric, 1)
            if not c.description_en
        ]
        missing += [
            _("misconception %(n)d: claim_en and phrasings_en") % {"n": n}
            for n, m in enumerate(self.misconceptions, 1)
            if not (m.claim_en and m.phrasings_en)
        ]
        if missing:
            raise ValueError(_("incomplete English version: %(missing)s") % {"missing": ", ".join(missing)})
        return self

    @model_validator(mode="after")
    def _terms_name_claims(self) -> QuestionSpec:
        """A term earns credit only if it says something the prompt does not, in words a candidate types."""
        prompt = _compact(self.prompt)
        prompt_en = _compact(self.prompt_en)
        for number, criterion in enumerate(self.rubric, 1):
            typed = [(t, prompt) for t in criterion.terms] + [(t, prompt_en) for t in criterion.terms_en]
            for term, asked in typed:
                if "\\" in term or "{" in term:
                    raise ValueError(
                        _("rubric point %(n)d: term %(term)r is LaTeX; write it as typed text")
                        % {"n": number, "term": term}
                    )
                if _compact(term) and _compact(term) in asked:
                    raise ValueError(
                        _("rubric point %(n)d: term %(term)r occurs in the prompt")
                        % {"n": number, "term": term}
                    )
        for misconception in self.misconceptions:
            if misconception.contradicts > len(self.rubric):
                raise ValueError(
                    _("misconception %(claim)r contradicts point %(n)d, but the rubric has %(total)d points")
                    % {
                        "claim": misconception.claim,
                        "n": misconception.contradicts,
                        "total": len(self.rubric),
                    }
                )
        return self


class BankFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    topic: str
    questions: list[QuestionSpec]


@dataclass(frozen=True)
class Bank:
    topics: list[TopicSpec]
    questions: list[QuestionSpec]
    # slug -> topic slugs, the file's topic first
    question_topics: dict[str, list[str]]


def read_topics(data_dir: Path = DATA_DIR) -> list[TopicSpec]:
    path = data_dir / "topics.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
        return [TopicSpec.model_validate(item) for item in raw["topics"]]
    except (OSError, yaml.YAMLError, KeyError, TypeError, ValidationError) as exc:
        raise BankFileError(f"{path.name}: {exc}") from exc


def read_bank(data_dir: Path = DATA_DIR) -> Bank:
    """Read and check every bank file; raise BankFileError before anything is written if one is wrong."""
    topics = read_topics(data_dir)
    known = {t.slug for t in topics}
    questions: list[QuestionSpec] = []
    question_topics: dict[str, list[str]] = {}
    files = _question_files(data_dir)
    if not files:
        raise BankFileError(f"No question files in {data_dir}.")
    for path in files:
        try:
            bank_file = BankFile.model_validate(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError) as exc:
            raise BankFileError(f"{path.name}: cannot read YAML: {exc}") from exc
        except ValidationError as exc:
            raise BankFileError(f"{path.name}: {exc}") from exc
        for question in bank_file.questions:
            slugs = [bank_file.topic, *[t for t in question.topics if t != bank_file.topic]]
            unknown = [t for t in slugs if t not in known]
            if unknown:
                raise BankFileError(f"{path.name}: question {question.slug}: unknown topics {unknown}")
            if question.slug in question_topics:
                raise BankFileError(f"{path.name}: question slug {question.slug} is used twice")
            question_topics[question.slug] = slugs
            questions.append(question)
    return Bank(topics=topics, questions=questions, question_topics=question_topics)


def question_file_order(data_dir: Path = DATA_DIR) -> dict[str, tuple[str, int]]:
    """Where each question stands in the files: slug -> (the file's topic, its place across all files)."""
    placed: dict[str, tuple[str, int]] = {}
    for path in _question_files(data_dir):
        content = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for question in content.get("questions") or []:
            placed.setdefault(question["slug"], (content["topic"], len(placed)))
    return placed


def write_question_files(data_dir: Path, questions_by_topic: dict[str, list[QuestionSpec]]) -> None:
    """Write one `<topic>.yaml` per topic in the hand-written layout: block text, short lists inline."""
    data_dir.mkdir(parents=True, exist_ok=True)
    for topic, questions in questions_by_topic.items():
        content = {"topic": topic, "questions": [_as_written(q) for q in questions]}
        text = yaml.dump(content, Dumper=_BankDumper, allow_unicode=True, sort_keys=False, width=120)
        (data_dir / f"{topic}.yaml").write_text(text, encoding="utf-8")


def write_topics(data_dir: Path, topics: list[TopicSpec]) -> None:
    """Write topics.yaml: the topics in display order."""
    data_dir.mkdir(parents=True, exist_ok=True)
    content = {"topics": [t.model_dump() for t in topics]}
    text = yaml.dump(content, Dumper=_BankDumper, allow_unicode=True, sort_keys=False, width=120)
    (data_dir / "topics.yaml").write_text(text, encoding="utf-8")


NOT_QUESTION_FILES = frozenset({"topics.yaml", "glossary.yaml"})


def _question_files(data_dir: Path) -> list[Path]:
    return sorted(p for p in data_dir.glob("*.yaml") if p.name not in NOT_QUESTION_FILES)


def _as_written(spec: QuestionSpec) -> dict[str, object]:
    """The spec as a file holds it: fields in the usual order, defaults left out."""
    data = spec.model_dump()
    for name in ("topics", "sources_note", "prompt_en", "reference_answer_en"):
        if not data[name]:
            del data[name]
    if data["status"] == "published":
        del data["status"]
    if not data["misconceptions"]:
        del data["misconceptions"]
    for criterion in data["rubric"]:
        for name in ("terms", "description_en", "terms_en"):
            if not criterion[name]:
                del criterion[name]
    for misconception in data["misconceptions"]:
        for name in ("claim_en", "phrasings_en"):
            if not misconception[name]:
                del misconception[name]
    return data


class _BankDumper(yaml.SafeDumper):
    pass


def _represent_text(dumper: yaml.SafeDumper, text: str) -> yaml.Node:
    style = "|" if "\n" in text else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", text + ("\n" if style else ""), style=style)


def _represent_list(dumper: yaml.SafeDumper, items: list[object]) -> yaml.Node:
    inline = all(isinstance(item, str | int) and "\n" not in str(item) for item in items)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", items, flow_style=inline and bool(items))


_BankDumper.add_representer(str, _represent_text)
_BankDumper.add_representer(list, _represent_list)
