"""The bank's own YAML (one topic file), validated by bank_files: the one definition of the format."""

from __future__ import annotations

import yaml
from django.utils.translation import gettext as _
from pydantic import ValidationError

from questionbank.bank_files import BankFile
from questionbank.importers.types import Draft, DraftMisconception, DraftPoint, LineError, ParseResult


def parse_bank_yaml(text: str) -> ParseResult:
    result = ParseResult()
    try:
        root = yaml.compose(text)
        content = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        result.errors.append(
            LineError(
                mark.line + 1 if mark else 1,
                _("not YAML: %(problem)s") % {"problem": getattr(exc, "problem", exc)},
            )
        )
        return result
    try:
        bank_file = BankFile.model_validate(content)
    except ValidationError as exc:
        for error in exc.errors():
            result.errors.append(
                LineError(_line(root, error["loc"]), f"{_path(error['loc'])}: {error['msg']}")
            )
        return result
    for index, spec in enumerate(bank_file.questions):
        result.drafts.append(
            Draft(
                prompt=spec.prompt,
                reference_answer=spec.reference_answer,
                line=_line(root, ("questions", index)),
                slug=spec.slug,
                topics=[bank_file.topic, *[t for t in spec.topics if t != bank_file.topic]],
                difficulty=spec.difficulty,
                language=spec.language,
                suggested_seconds=spec.suggested_seconds,
                rubric=[DraftPoint(c.description, c.points, list(c.terms)) for c in spec.rubric],
                misconceptions=[
                    DraftMisconception(m.claim, list(m.phrasings), m.contradicts) for m in spec.misconceptions
                ],
                sources=list(spec.sources),
                status=spec.status,
                spec=spec,
            )
        )
    return result


def _line(node: yaml.Node | None, loc: tuple[int | str, ...]) -> int:
    """The line (1-based) of the deepest YAML node the error's location reaches."""
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            node = next((v for k, v in node.value if k.value == key), node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            break
    return node.start_mark.line + 1 if node is not None else 1


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "file"
