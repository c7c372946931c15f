"""Prompt-injection signs in an answer: instructions to the grader, fake grader output, fake delimiters.

The answer is data: segments that address the grader are flagged and never count as evidence.
"""

from __future__ import annotations

import re

from interviews.grading.text import normalise, sentences

_PATTERNS = [
    # Chinese: "ignore the rubric / the instructions above", "give full marks", "you are now the grader".
    r"(忽略|无视|忘记|忘掉|不要理会|不用管|不要管)掉?(以上|上面|之前|前面|先前|所有|全部|你的|这些)?的?.{0,4}"
    r"(指令|指示|提示词|评分标准|评分规则|评分要求|评分细则|规则)",
    r"(给|打|评|判|记)(我|这个回答|本回答|该回答|此回答|这道题)?(打|评为|判为|记为)?(满分|最高分|全部分数|全对)",
    r"(你|您)现在(是|作为|扮演|充当)",
    r"(你|您)(是|作为|扮演|充当)(一个|一名)?(评分|阅卷)",
    r"(以下|下面)是?(新的|更新的)(指令|评分标准|规则)",
    # English.
    r"\b(ignore|disregard|forget|override|bypass)\b.{0,30}\b(instructions?|rubric|grading|criteria)\b",
    r"\b(award|give|assign|grant)\b.{0,20}"
    r"(full (marks|score|points|credit)|max(imum)? (marks|score|points)|perfect score|all (the )?points"
    r"|10/10|100%)",
    r"\byou are (now )?(a|an|the) \w*\s*(grader|judge|examiner)\b",
    r"\b(end|begin|start) of (the )?(answer|candidate answer|response)\b",
    # Fake grader output and fake delimiters.
    r"[\"'](verdict|score|criteria|evidence|injection_suspected)[\"']\s*:",
    r"<{3,}|>{3,}|</?\s*(answer|candidate|rubric|instructions?|untrusted)\s*>|\[/?(answer|inst)\]",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
_JSON_BLOCK = re.compile(r"\{[^{}]*(\{[^{}]*\}[^{}]*)*\}", re.DOTALL)


def looks_injected(segment: str) -> bool:
    return _INJECTION.search(normalise(segment)) is not None


def strip_injection(answer: str) -> tuple[str, bool]:
    """The answer without the segments that address the grader, and whether there were any."""
    found = False

    def drop_json(match: re.Match[str]) -> str:
        nonlocal found
        if looks_injected(match.group(0)):
            found = True
            return "\n"
        return match.group(0)

    text = _JSON_BLOCK.sub(drop_json, answer)
    kept = []
    for sentence in sentences(text):
        if looks_injected(sentence):
            found = True
        else:
            kept.append(sentence)
    return "\n".join(kept), found
