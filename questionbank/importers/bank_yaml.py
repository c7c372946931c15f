"""The bank's own YAML (one topic file), validated by bank_files: the one definition of the format."""

from __future__ import annotations

import re

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from pydantic import ValidationError
from pydantic_core import ErrorDetails

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
                LineError(_line(root, error["loc"]), f"{_path(error['loc'])}: {_message(error)}")
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


def _message(error: ErrorDetails) -> str:
    """The problem in the admin's language: pydantic's own messages are English only."""
    kind, context = error["type"], error.get("ctx", {})
    if kind == "value_error":  # bank_files' own checks: their message, already translated
        return str(context.get("error", error["msg"]))
    limit = {"limit": next((context[k] for k in ("gt", "ge", "lt", "le") if k in context), "")}
    messages = {
        "missing": _("required"),
        "extra_forbidden": _("not a field of this format"),
        "string_type": _("must be text"),
        "string_too_short": _("must not be empty"),
        "string_too_long": _("too long"),
        "string_pattern_mismatch": _("only lower-case letters, digits and single hyphens"),
        "int_type": _("must be a whole number"),
        "int_parsing": _("must be a whole number"),
        "int_from_float": _("must be a whole number"),
        "greater_than": _("must be more than %(limit)s") % limit,
        "greater_than_equal": _("must be at least %(limit)s") % limit,
        "less_than": _("must be less than %(limit)s") % limit,
        "less_than_equal": _("must be at most %(limit)s") % limit,
        "list_type": _("must be a list"),
        "dict_type": _("must be a mapping of fields"),
        "model_type": _("must be a mapping of fields"),
        # pydantic's list ends in an English "or": "'easy', 'medium' or 'hard'".
        "literal_error": _("must be one of %(choices)s")
        % {"choices": ", ".join(re.findall(r"'[^']*'", str(context.get("expected", ""))))},
    }
    if kind in ("too_short", "too_long"):
        n = int(context.get("min_length" if kind == "too_short" else "max_length", 0))
        if kind == "too_short":
            return ngettext("needs at least %(n)d item", "needs at least %(n)d items", n) % {"n": n}
        return ngettext("at most %(n)d item", "at most %(n)d items", n) % {"n": n}
    return messages.get(kind, error["msg"])


def _path(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "file"
