"""Judgement questions ("判断以下叙述是否正确"): the verdict an answer gives (正确 / 错误), a statement that
gives nothing else, and a sentence that takes back what the answer said before it."""

from __future__ import annotations

import re

from interviews.grading.text import compact, normalise, sentences

# The verdict a judgement question ("判断以下叙述是否正确") is answered with, when the answer opens with it:
# an optional label ("答：", "第一点答案："), an optional subject ("这种叙述是"), the verdict word, and then a
# break, so that "对于…" or "是一种…" are no verdicts.
_VERDICT = re.compile(
    r"^[\s*#>\-\d.、()（）]*(?:答|答案|[^\s:：。，,]{0,6}答案)?\s*[:：]?\s*"
    r"(?:这种|这个|这句|这|该|此|上述|以上|原)?(?:叙述|说法|描述|表述|命题|观点|结论|话|答案|解释|题目)?\s*"
    r"(?:是|为)?\s*"
    r"(没有错|没错|不正确|不对|不一定|错误|错|否|不是|不|正确|对|是的|是|true|false|correct|incorrect|wrong|right|yes|no)"
    r"(?:的)?\s*(?=[。，,.!！;；：:\n]|$)",
    re.IGNORECASE,
)
_TRUE_VERDICTS = frozenset(
    {"正确", "对", "是的", "是", "没错", "没有错", "无误", "true", "correct", "right", "yes"}
)
# ... or closes with it, in a sentence of its own: "所以没有错。", "因此该说法是错误的。", "综上，正确。"
_CLOSING_VERDICT = re.compile(
    r"^(?:所以|因此|因而|故|综上所述|综上|总之)?\s*[，,]?\s*(?:这种|这个|这句|该|此|上述|以上|原)?"
    r"(?:叙述|说法|描述|表述|命题|观点|结论|题目|话)?\s*(?:是|为)?\s*(?:并)?"
    r"(没有错|没错|无误|不正确|不对|错误|错|正确|对)(?:的)?\s*[。.!！]*$"
)


def verdict(text: str) -> bool | None:
    """True or False when the text opens with a verdict on a statement (正确 / 错误, true / false), or closes
    with one in a sentence of its own ("……所以没有错。"); else None."""
    given = stated_verdict(text)
    return given[0] if given else None


def stated_verdict(text: str) -> tuple[bool, str] | None:
    """The verdict and the sentence that closes with it ("" when the text opens with it)."""
    found = _VERDICT.match(text.strip())
    if found:
        return found.group(1).lower() in _TRUE_VERDICTS, ""
    said = sentences(text)
    closing = _CLOSING_VERDICT.match(said[-1]) if len(said) > 1 else None
    return (closing.group(1) in _TRUE_VERDICTS, said[-1]) if closing else None


# A statement that gives the verdict and nothing more: "错误", "判断叙述错误", "说法正确".
_ONLY_VERDICT = re.compile(
    r"(?:判断|判定|指出|回答)?(?:该|此|这个|原)?(?:叙述|说法|描述|命题|观点|结论)?(?:是|为)?"
    r"(?:正确|错误|不正确|对|错)的?"
)


def only_verdict(text: str) -> bool:
    """Whether the text is a verdict on a statement and says nothing else."""
    return _ONLY_VERDICT.fullmatch(compact(text)) is not None


# A sentence that takes back what came before it ("以上说法全部是错误的", "All of the above is wrong").
_RETRACTION = re.compile(
    r"^(?:但是?|不过|其实|然而)?\s*(?:以上|上面|上述|前面)(?:所说|说|讲|写)?的?(?:说法|内容|观点|回答|这些|话)?"
    r"(?:全部|全都|都|均|全|统统)?(?:是|为)?(?:错误|错|不对|不正确|不成立|胡说|瞎说|瞎编)的?\s*[。！!.]*$"
    r"|^(?:but\s+)?(?:all\s+of\s+|everything\s+)?(?:the\s+above|what\s+i\s+(?:wrote|said)(?:\s+above)?)\s+"
    r"(?:is|are|was|were)\s+(?:all\s+)?(?:wrong|false|incorrect|nonsense)\s*[.!]*$",
    re.IGNORECASE,
)


def retracts(sentence: str) -> bool:
    """Whether a sentence takes back all the answer said before it."""
    return _RETRACTION.match(normalise(sentence).strip()) is not None
