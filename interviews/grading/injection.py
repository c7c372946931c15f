"""Prompt-injection signs in an answer: instructions to the grader, fake grader output, fake system turns.

The answer is data. Nothing is removed from it: segments that address the grader are reported so that a
judge can
flag the grade (and send it to a person) while still grading the whole answer; such segments are no
technical claim
and support no rubric point. Text is normalised first: full width to half width, zero-width characters
dropped,
letters spaced out to dodge a pattern ("忽 略 以 上", "i g n o r e") joined again.
"""

from __future__ import annotations

import re
from functools import lru_cache

from interviews.grading.clauses import units
from interviews.grading.text import normalise

_PATTERNS = [
    # Chinese: "ignore / forget the rubric, the rules above", "give full marks", "you are now the grader".
    r"(忽略|无视|忘记|忘掉|不要理会|不用管|不要管|别管|跳过|抛开|绕过)掉?(以上|上面|之前|前面|先前|所有|全部|你的|这些|上述)?"
    r".{0,6}(指令|指示|提示|提示词|评分标准|评分规则|评分要求|评分细则|规则|要求|设定|限制)",
    r"(给|打|评|判|记|得|拿)(我|这个回答|本回答|该回答|此回答|这道题|本题|它)?(打|评为|判为|记为|个|一个)?"
    r"(满分|最高分|全部分数|全对|10分|十分|100分)",
    r"(应该|应当|必须|直接|请)(得|给|评|判|打).{0,4}(满分|高分|最高分|全部要点)",
    r"(所有|全部|每个)(要点|评分点|得分点).{0,4}(都|均)?(已|算|视为|判为|标记为)?(达到|满足|通过|met)",
    r"(你|您)现在(是|作为|扮演|充当)",
    r"(你|您)(是|作为|扮演|充当)(一个|一名)?(评分|阅卷|评委|考官)",
    r"(以下|下面|接下来)是?(新的|更新的|真正的)(指令|评分标准|规则|要求)",
    r"(系统|管理员|开发者)(消息|指令|提示|通知)\s*[:：]",
    # English.
    r"\b(ignore|disregard|forget|override|bypass|skip)\b.{0,40}\b(instructions?|rubric|grading|criteria|rules|prompt)\b",
    r"\b(award|give|assign|grant|score)\b.{0,25}"
    r"(full (marks|score|points|credit)|max(imum)? (marks|score|points)|perfect score|all (the )?points"
    r"|10/10|100%|10 points)",
    r"\b(deserves?|earns?|should (get|receive|score))\b.{0,15}(full|perfect|maximum|10/10|top)",
    r"\bevery (point|criterion) is met\b",
    r"\byou are (now )?(a|an|the) \w*\s*(grader|judge|examiner|assistant)\b",
    r"\b(end|begin|start) of (the )?(answer|candidate answer|response|prompt)\b",
    # Fake turns, fake grader output and fake delimiters.
    r"(^|\s)(system|assistant|user|developer)\s*:",
    r"#{2,}\s*(instruction|system|response|new instruction)s?\b",
    r"<\|?\s*(im_start|im_end|system|endoftext)\s*\|?>|\[/?(inst|sys|system)\]",
    r"[\"'](verdict|score|criteria|evidence|injection_suspected|points)[\"']\s*:",
    r"<{3,}|>{3,}|</?\s*(answer|candidate|rubric|instructions?|untrusted)\s*>|\[/?answer\]",
]
_INJECTION = re.compile("|".join(f"(?:{p})" for p in _PATTERNS), re.IGNORECASE)
_JSON_BLOCK = re.compile(r"\{[^{}]*(\{[^{}]*\}[^{}]*)*\}", re.DOTALL)
_INLINE_CODE = re.compile(r"`[^`\n]+`")
_ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060\ufeff\u00ad]")
# A space between two CJK characters, or between single letters spelled out one by one.
_CJK_GAP = re.compile(r"(?<=[\u3000-\u9fff\uff00-\uffef])\s+(?=[\u3000-\u9fff\uff00-\uffef])")
_SPELLED = re.compile(r"\b(?:[a-z] ){3,}[a-z]\b")


def _normalised(segment: str) -> str:
    text = normalise(_ZERO_WIDTH.sub("", segment))
    text = _CJK_GAP.sub("", text)
    return _SPELLED.sub(lambda m: m.group(0).replace(" ", ""), text)


@lru_cache(maxsize=1024)
def looks_injected(segment: str) -> bool:
    """Whether a piece of text addresses the grader instead of answering the question.

    Inline code is left out: an answer about chat templates quotes `<|im_start|>system` as an example.
    Remembered: a grade asks it of each sentence twice (`find_injection`, then the judge's units).
    """
    return _INJECTION.search(_normalised(_INLINE_CODE.sub(" ", segment))) is not None


def find_injection(answer: str) -> list[str]:
    """The segments of the answer (JSON blocks, sentences) that address the grader, verbatim."""
    found = [m.group(0) for m in _JSON_BLOCK.finditer(answer) if looks_injected(m.group(0))]
    rest = _JSON_BLOCK.sub("\n", answer)
    found += [u.text for u in units(rest) if u.whole and looks_injected(u.text)]
    return found
