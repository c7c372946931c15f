"""The feedback a candidate reads, in the question's language; it agrees with the verdicts it sums up.

Met points are never listed; partial ones are listed as incomplete with what to add; missed ones as missing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from interviews.grading.types import CriterionResult, Flag, JudgeInput

_TEXT = {
    "zh": {
        "empty": "没有作答。",
        "covered": "答到了 {met}/{total} 个要点。",
        "partial": "不完整，请补充：{items}。",
        "missed": "还缺少：{items}。",
        "all": "要点齐全。",
        "wrong": "与参考答案相反的说法：{items}。",
        "off_topic": "回答与题目关系不大。",
        "filler": "回答中有与题目无关的内容，不计分。",
        "injection": "回答中有对评分者的指令，这些内容不计分，本次评分将由人工复核。",
        "sep": "；",
        "join": "",
    },
    "en": {
        "empty": "No answer was given.",
        "covered": "Covered {met} of {total} key points.",
        "partial": "Incomplete, add: {items}.",
        "missed": "Missing: {items}.",
        "all": "All key points are there.",
        "wrong": "Statements that contradict the reference: {items}.",
        "off_topic": "The answer has little to do with the question.",
        "filler": "Parts of the answer are unrelated to the question and earn nothing.",
        "injection": (
            "Instructions to the grader inside the answer earn nothing; a person will review this grade."
        ),
        "sep": "; ",
        "join": " ",
    },
}


# Markdown's inline syntax. The feedback is shown as Markdown, while rubric points are plain
# text: "n_heads*head_dim，n_kv_heads*head_dim" would otherwise turn half of a point into italics.
_MARKDOWN_SYNTAX = re.compile(r"([\\`*_\[\]<>~|$])")


def _plain(text: str) -> str:
    """Plain text quoted into Markdown: every character Markdown would read as syntax is escaped."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", text)


def feedback(
    judge_input: JudgeInput,
    results: Sequence[CriterionResult],
    flags: Sequence[str],
    misconceptions: Sequence[str] = (),
) -> str:
    text = _TEXT["en" if judge_input.language.startswith("en") else "zh"]
    if Flag.EMPTY in flags:
        return text["empty"]
    descriptions = {c.id: _plain(c.description) for c in judge_input.criteria}
    parts = [text["off_topic"]] if Flag.OFF_TOPIC in flags else []
    parts.append(text["covered"].format(met=sum(r.verdict == "met" for r in results), total=len(results)))
    partial = [descriptions[r.id] for r in results if r.verdict == "partial"]
    missed = [descriptions[r.id] for r in results if r.verdict == "missed"]
    if partial:
        parts.append(text["partial"].format(items=text["sep"].join(partial)))
    if missed:
        parts.append(text["missed"].format(items=text["sep"].join(missed)))
    if not partial and not missed:
        parts.append(text["all"])
    if misconceptions:
        claims = [m.strip().rstrip("。.；;，,") for m in misconceptions]
        parts.append(text["wrong"].format(items=text["sep"].join(claims)))
    if Flag.FILLER in flags:
        parts.append(text["filler"])
    if Flag.INJECTION in flags:
        parts.append(text["injection"])
    return text["join"].join(parts)
