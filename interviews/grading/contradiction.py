"""Whether a statement of the answer says the opposite of the reference statement it matches.

Two general signs, not tuned to any question: a negation the reference statement does not have (or the
other way round), and a word swapped for its antonym. A negation the matching reference statement also
contains is agreement. Each question's own misconceptions are matched by their phrasings (misconceptions.py).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

from interviews.grading.formulas import quantities, same_quantity, without_list_markers
from interviews.grading.text import (
    ASCII_WORD,
    STOPWORDS,
    compact,
    normalise,
    stem,
    words,
)
from interviews.grading.verdicts import only_verdict, verdict

# Negation cues, matched as whole jieba words: "不同" or "无论" start with a negation character but are not
# negations (see _NOT_NEGATIONS); the compounds listed here are.
_NEGATION_WORDS_ZH = """
不 没 没有 并不 并没有 并未 并非 并不是 不是 无法 不能 不会 不可 不用 不要 不需
不需要 无需 无须 不必 非 未 未必 别
勿 毫无 不再 不变 不影响 不支持 不存在 不依赖 不够 绝不 从不 从未 无关
"""
_NEGATIONS_ZH = frozenset(_NEGATION_WORDS_ZH.split())
_NEGATION_WORDS_EN = """
not no never none nor neither cannot can't doesn't don't isn't aren't won't without
"""
_NEGATIONS_EN = frozenset(_NEGATION_WORDS_EN.split())
_ENGLISH_NEGATION = re.compile(
    r"\b(?:" + "|".join(re.escape(w) for w in sorted(_NEGATIONS_EN, key=len, reverse=True)) + r")\b|n't\b"
)
# Lexicalised compounds that hold a negation character but negate nothing in the sentence: adverbs and
# conjunctions (不断, 不仅, 非常), quantities and degrees (不少, 不足, 不止), and technical terms naming a
# property or a class (无偏, 无损, 非负, 非线性). A term whose opposite an answer may use instead is an
# antonym pair below (无损/有损, 不足/充足).
_NOT_NEGATION_WORDS = """
不同 不断 不仅 不少 不过 不管 不论 无论 非常 并且 不错 未来 无穷 无限 不久 不久前 非得 无非
差不多 不得不 了不起 不得了 不但 不光 无不 莫不 未尝不 不止 不停 不时 不妨 不禁 无疑 不足
非线性 无监督 非对称 不对称 无偏 无损 非负 非零 非凸 无向 无放回
"""
_NOT_NEGATIONS = frozenset(_NOT_NEGATION_WORDS.split())
_NEGATION_CHARACTERS = frozenset("不没未无非")

# Antonym pairs common in technical Chinese and English. Either side may appear in the answer or the
# reference.
_ANTONYM_PAIRS = """
增大/减小 增加/减少 变大/变小 提高/降低 提升/下降 上升/下降 升高/降低 加快/减慢 加速/减速 扩大/缩小
放大/缩小 更多/更少 更大/更小 更高/更低 更快/更慢 更长/更短 较大/较小 较高/较低 大于/小于 多于/少于
高于/低于 最大/最小 最多/最少 最高/最低 乘以/除以 加上/减去 正比/反比 正相关/负相关 独立/共享
私有/共享 之前/之后 以前/以后 前面/后面 先/后 开始/结束 串行/并行 同步/异步 静态/动态 显式/隐式
连续/离散 线性/非线性 可以/不能 能够/无法 允许/禁止 支持/不支持 需要/不需要 必须/不必 有/没有
存在/不存在 包含/不包含 相同/不同 一致/不一致 相等/不等 稳定/不稳定 正确/错误 有效/无效 有损/无损
有序/无序 有监督/无监督 冻结/更新 固定/可变 全局/局部 稠密/稀疏 密集/稀疏 绝对/相对 上界/下界
不足/充足 不足/足够 不足/充分 上限/下限 开启/关闭 打开/关闭 正向/反向 前向/反向 单向/双向 左/右 头部/尾部
表头/表尾 随机/顺序 简单/复杂 快/慢 多/少 大/小 高/低 长/短 成功/失败 优势/劣势 主动/被动 集中/分散
耦合/解耦 编码/解码 加密/解密 积极/消极 乐观/悲观 公开/私有 开放/封闭 合并/拆分
increase/decrease increases/decreases
larger/smaller more/fewer higher/lower faster/slower longer/shorter before/after shared/separate
share/separate independent/shared serial/parallel sequential/parallel multiply/divide multiplied/divided
static/dynamic explicit/implicit global/local dense/sparse absolute/relative frozen/trained
can/cannot maximum/minimum max/min upper/lower forward/backward same/different stable/unstable
"""
ANTONYMS: tuple[tuple[str, str], ...] = tuple(
    (a, b) for a, _, b in (pair.partition("/") for pair in _ANTONYM_PAIRS.split())
)
_OPPOSITE: dict[str, set[str]] = {}
for _a, _b in ANTONYMS:
    _OPPOSITE.setdefault(_a, set()).add(_b)
    _OPPOSITE.setdefault(_b, set()).add(_a)

# Opposite morphemes. Chinese builds most of its antonyms from them, one or both characters swapped
# (变长/变短, 上游/下游, 增大/减小, 过拟合/欠拟合), so a word pair no list holds is still recognised. Pairs
# whose one side is a negation (有/无, 是/非) are left to the count of negations.
_MORPHEME_PAIRS = """
大小 多少 高低 长短 快慢 增减 升降 上下 前后 左右 内外 入出 开关 加减 先后 强弱 正负 正反 新旧 好坏
优劣 真假 显隐 静动 单双 密疏 粗细 深浅 宽窄 远近 早晚 轻重 厚薄 涨跌 进退 收放 始终 首尾 同异 聚散
扩缩 难易 冷热 松紧 主从 过欠 提降 升跌 增删 盈亏 顺逆 攻守 明暗 简繁
"""
_MORPHEME_OPPOSITES: dict[str, set[str]] = {}
for _pair in _MORPHEME_PAIRS.split():
    _MORPHEME_OPPOSITES.setdefault(_pair[0], set()).add(_pair[1])
    _MORPHEME_OPPOSITES.setdefault(_pair[1], set()).add(_pair[0])


def swapped_morpheme(statement: str, reference: str) -> tuple[str, str] | None:
    """Characters of the statement put in place of their opposites in the reference statement ("变短" where
    it says "变长", "欠拟合" for "过拟合"), found on the characters, whatever the word segmentation."""
    said, meant = compact(normalise(statement)), compact(normalise(reference))
    in_reference = set(meant)
    if not any(_MORPHEME_OPPOSITES.get(c, set()) & in_reference for c in set(said)):
        return None  # most statements: no character of one has its opposite in the other
    matcher = SequenceMatcher(None, said, meant, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "replace" and i2 - i1 == j2 - j1 <= 2:
            pairs = zip(said[i1:i2], meant[j1:j2], strict=True)
            if all(y in _MORPHEME_OPPOSITES.get(x, ()) for x, y in pairs):
                return said[i1:i2], meant[j1:j2]
    return None


# A conditional's condition ("如果不做负载均衡，…", "if it is not …, …"), up to a clause break, a space
# between two Chinese words, the consequence's connective or the sentence end: a negation in it is the
# condition's, not the claim's.
_CONDITION = re.compile(
    r"(?:如果|假如|假设|倘若|要是|若是|如若|一旦|\b(?:if|unless)\b)[^。！？!?；;]*?"
    r"(?:[，,；;：:]|(?<=[^\x00-\x7f])\s+(?=[^\x00-\x7f])|(?=就|则|那么|\bthen\b|[。！？!?]|$))",
    re.IGNORECASE,
)


def _claim(text: str) -> str:
    """The text without its conditions, when it says something beyond them."""
    claim = _CONDITION.sub(" ", text)
    return claim if compact(claim) else text


@lru_cache(maxsize=16384)
def negations(text: str) -> int:
    """How many negation cues a statement holds (Chinese words holding one, English words), a condition's
    own left out. Remembered: each answer statement is checked against many reference statements."""
    norm = normalise(_claim(text))
    chinese = sum(_negates(w) for w in words(norm) if not w.isascii())
    return chinese + len(_ENGLISH_NEGATION.findall(norm))


# What a yes-or-no question ("能否…", "若可以…") asks about: denied, it answers the question.
_ABLE = frozenset({"可以", "能", "能够", "行", "可"})
_CANNOT = frozenset({"不能", "不行", "无法", "不可", "不可以", "不能够"})
_BARE_ANSWERS = _ABLE | _CANNOT | {"是", "不是", "否", "不对", "yes", "no"}


def bare_answer(text: str) -> bool:
    """A yes or no and nothing else: "不可以", "可以", "无法", "否", or a verdict on a statement ("错误")."""
    return compact(text) in _BARE_ANSWERS or only_verdict(text)


@lru_cache(maxsize=16384)
def denies_ability(text: str) -> bool:
    """The text says something cannot be done ("单链表：不可以", "不行", "无法删除"): in the question's own
    words it still answers it, where "单链表可以" would only echo "若可以"."""
    said = words(normalise(_claim(text)))
    return any(
        w in _CANNOT or (_negates(w) and i + 1 < len(said) and said[i + 1] in _ABLE)
        for i, w in enumerate(said)
    )


def _negates(word: str) -> bool:
    """A negation cue, or a Chinese word holding one ("并不是说", "无需") that is no known exception."""
    if word in _NOT_NEGATIONS:
        return False
    return (
        word in _NEGATIONS_ZH
        or word in _NEGATIONS_EN
        or word.endswith("n't")
        or any(character in _NEGATION_CHARACTERS for character in word)
    )


# Adverbs a sentence-wide negation may follow.
_OPENERS = frozenset(
    [
        "并",
        "其实",
        "也",
        "但",
        "但是",
        "而",
        "可",
        "可是",
        "却",
        "还",
        "然而",
        "事实上",
        "实际上",
        "当然",
        "根本",
        "绝对",
        "完全",
        "and",
        "but",
    ]
)


def opening_negation(sentence: str) -> str:
    """The negation a sentence opens with ("并不是…", "Not …"): its scope is the whole sentence. A sentence
    opening with a condition ("如果不…") has none: that negation is the condition's; nor has one opening
    with a verdict ("不正确，…", "不，…"): that negation is the verdict on the question's statement."""
    if _CONDITION.match(sentence.strip()) or verdict(sentence) is not None:
        return ""
    said = words(normalise(sentence))
    if said and _negates(said[0]):
        return said[0]
    # "并不是", "其实不是": an adverb before it. After a noun ("单链表不可以", cut 单链/表不/可以 by jieba;
    # "MQA 不会…") the negation is its clause's predicate, not the sentence's.
    if len(said) > 1 and said[0] in _OPENERS and _negates(said[1]):
        return said[1]
    return ""


def _vocabulary(text: str) -> frozenset[str]:
    norm = normalise(text)
    return frozenset(words(norm)) | frozenset(ASCII_WORD.findall(norm))


def swapped_antonym(statement: str, reference: str) -> tuple[str, str] | None:
    """A word of the statement whose antonym the reference uses instead (and not the word itself).

    A pair whose one side is the other negated (有序/无序, 支持/不支持) is left to the count of negations,
    which also sees "无序" agree with "不一定有序".
    """
    said, meant = _vocabulary(statement), _vocabulary(reference)
    for word in said - meant:
        for opposite in _OPPOSITE.get(word, ()):
            if opposite in meant and opposite not in said and not (_negates(word) or _negates(opposite)):
                return word, opposite
    return swapped_morpheme(statement, reference)


def contradicts(statement: str, reference: str) -> bool:
    """The statement negates the reference statement it matches, or swaps one of its words for the antonym."""
    if negations(statement) % 2 != negations(reference) % 2:
        return True
    return swapped_antonym(statement, reference) is not None


def swapped_concept(statement: str, reference: str, vocabulary: frozenset[str], subject: str = "") -> bool:
    """The statement repeats the reference statement with one concept put in another's place: a word the
    reference uses elsewhere (its vocabulary) where this statement of the reference has a different word.

    Confusing two concepts of the same answer (encoder for decoder, K for V) is the typical wrong fact; a
    synonym a candidate brings in is rarely a word the reference itself uses for something else. The
    `subject` its sentence's label names is not lost: under "GQA：", "KV cache 缩小 h/g 倍" says
    "GQA 缩小 h/g 倍".
    """
    said, meant = _statement_words(statement), _statement_words(reference)
    labelled = frozenset(_statement_words(subject)) if subject else frozenset()
    if len(said) < 3 or len(meant) < 3:
        return False
    matcher = SequenceMatcher(None, said, meant, autojunk=False)
    if matcher.ratio() < _ALIGNED:
        return False
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "replace" or i2 - i1 > 2 or j2 - j1 > 2:
            continue
        if _swapped_quantity(said[i1:i2], meant[j1:j2]) and not _same_values(statement, reference):
            return True
        put = [w for w in said[i1:i2] if _concept(w) and w in vocabulary and w not in meant[j1:j2]]
        lost = [w for w in meant[j1:j2] if _concept(w) and w not in said[i1:i2] and w not in labelled]
        if any(_other_concept(a, b, said[i1:i2], meant[j1:j2]) for a in put for b in lost):
            return True
    return False


def _other_concept(put: str, lost: str, put_span: tuple[str, ...], lost_span: tuple[str, ...]) -> bool:
    """`put` names another concept than `lost`: two words of one script ("查询" for "Q" is a translation),
    neither part of the other, and, in Chinese, not the same count ("两路", "二者") and neither made of the
    other side's characters: "分组" for "分成若干组" says it shorter, while "解码器" for "编码器" brings a
    character of its own. English words of one stem ("scale" for "scaling") are one concept."""
    if put.isascii() != lost.isascii() or put in lost or lost in put:
        return False
    if put.isascii():
        return stem(put) != stem(lost)
    if _count(put) is not None and _count(put) == _count(lost):
        return False  # "两路" for "二者": the same two things, counted another way
    return not (set(put) <= set("".join(lost_span)) or set(lost) <= set("".join(put_span)))


_NUMERALS = dict(zip("一二两俩三四五六七八九", (1, 2, 2, 2, 3, 4, 5, 6, 7, 8, 9), strict=True))


def _count(word: str) -> int | None:
    """The number a two-character count word says ("两路", "二者", "三种"), else None."""
    return _NUMERALS.get(word[0]) if len(word) == 2 else None


# A complexity in big-O notation, "O(n log n)", "O（1）": one word, "bigo" and its letters and digits run
# together ("bigonlogn"), so that "O(n)" for "O(1)" is one word in another's place.
_BIG_O = re.compile(r"(?<![a-z0-9_])o\s*[(（]([^()（）]{1,24})[)）]")
_BIG_O_WORD = "bigo"


# Words that say the same count ("a single K/V head" is "one K/V head"): no concept put in another's place.
_SAME_COUNT = {"single": "one", "sole": "one"}


def _statement_words(text: str) -> tuple[str, ...]:
    text = normalise(without_list_markers(text))
    said = words(_BIG_O.sub(lambda m: f" {_BIG_O_WORD}{compact(m.group(1))} ", text))
    return tuple(_SAME_COUNT.get(w, w) for w in said)


def complexities(text: str) -> frozenset[str]:
    """The big-O complexities the text states, each run together ("O(n log n)" as "nlogn")."""
    return frozenset(compact(m.group(1)) for m in _BIG_O.finditer(normalise(text)))


def _swapped_quantity(put: tuple[str, ...], lost: tuple[str, ...]) -> bool:
    """Another number, formula or complexity where the reference has one ("2ND" for "6ND", "4 字节" for
    "16 字节", "O(n)" for "O(1)"): every word on both sides is a quantity, and they differ once run together
    ("2的n-1次方" and "2^(n-1)" do not)."""
    if not all(_quantity(w) for w in (*put, *lost)):
        return False
    return "".join(put) != "".join(lost)


def _same_values(statement: str, reference: str) -> bool:
    """Every quantity of the reference statement has its value in the statement, however written: "3(n-1)/6"
    for "(n-1)/2" is no other number."""
    wanted, given = quantities(reference), quantities(statement)
    return bool(wanted) and all(any(same_quantity(w, g) for g in given) for w in wanted)


def _quantity(word: str) -> bool:
    return word.startswith(_BIG_O_WORD) or any(c.isdigit() for c in word)


# Share of words a statement has in common, in order, with a reference statement for it to be a rewording.
_ALIGNED = 0.6


def _concept(word: str) -> bool:
    """A word that can name a concept: no function word, and not a lone letter ("q" may be "query")."""
    return word not in STOPWORDS and len(word) >= 2 and not word.isdigit()
