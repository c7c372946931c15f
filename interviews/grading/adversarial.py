"""Adversarial answers for the offline judge, and the thresholds it must hold on them.

A judge that counts shared words gives marks to a bare list of terms, to the reference with its facts
swapped or negated, to shuffled words and to padding. These generators build such answers for every bank
question (plus hand-written paraphrases and English translations from tests/data/) so that
`evaluate_judge --adversarial` and a test can show, per kind, whether the judge grades meaning. Everything is
deterministic (seeded per question and kind) so a rerun measures the judge, not the dice.

The swap and negation tables live here only: the judge's authors do not read this module, so the judge cannot
be tuned to these exact words, and passing measures meaning rather than knowledge of the test.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

import jieba
import yaml

from interviews.grading.bank_input import QuestionLike, judge_input
from interviews.grading.types import Flag, GradeResult, JudgeInput

jieba.setLogLevel(60)

DATA_DIR = Path(__file__).resolve().parents[2] / "tests" / "data"
SEED = 20260

# "chinese" is the Chinese original of each English translation: the English score is measured against it.
KINDS: tuple[str, ...] = (
    "reference",
    "keywords",
    "swapped",
    "negated",
    "negated_once",
    "half_wrong",
    "numbers",
    "shuffled",
    "shuffled_in_sentences",
    "filler",
    "field_filler",
    "other",
    "paraphrase",
    "chinese",
    "english",
)
CHECKS: dict[str, str] = {
    "reference": "the reference answer earns (nearly) full marks",
    "keywords": "a bare list of the accepted terms, no sentences, earns little",
    "swapped": "the reference with its facts swapped to wrong ones earns little",
    "negated": "the reference with every sentence negated earns little",
    "negated_once": "the reference with one negation per sentence, reaching to its full stop, earns little",
    "half_wrong": "half right, half swapped: at most about half the marks",
    "numbers": "the reference with every number doubled (6ND as 12ND, 16 bytes as 32) earns less",
    "shuffled": "the reference's words in random order earn nothing",
    "shuffled_in_sentences": "each sentence's words in random order, full stops kept, earn nothing",
    "filler": "unrelated padding (3x the reference) gains nothing and is flagged",
    "field_filler": "padding from the same field (other topics' references, 3x) gains nothing and is flagged",
    "other": "another topic's reference earns nothing and is flagged off topic",
    "paraphrase": "a correct answer in other words, none of the accepted terms, earns most marks",
    "chinese": "the Chinese original of an English translation (the base of the english kind)",
    "english": "the English translation of a good Chinese answer scores about as well as the Chinese",
}


class JudgeLike(Protocol):
    def grade(self, judge_input: JudgeInput) -> GradeResult: ...


@dataclass(frozen=True)
class Case:
    """One adversarial answer to one bank question, and what its grade is meant to show."""

    kind: str
    slug: str
    answer: str
    checks: str
    language: str = "zh"


# ---------------------------------------------------------------------------------------------------------
# Tables. Each pair is swapped both ways; every word is in one pair only, so a swap is a bijection.

_ZH_PAIRS = """
增大 减小|增加 减少|提高 降低|上升 下降|扩大 缩小|增强 减弱|加快 减慢|加速 减速|独立 共享|乘以 除以
之前 之后|串行 并行|稀疏 稠密|可以 不能|需要 不需要|最大 最小|更多 更少|较大 较小|较高 较低|增长 衰减
正确 错误|有效 无效|显式 隐式|静态 动态|离线 在线|冻结 更新|输入 输出|训练 推理|编码器 解码器|双向 单向
全局 局部|线性 非线性|连续 离散|绝对 相对|前向 反向|上界 下界|监督 无监督|确定性 随机性|必须 不必|能够 无法
支持 不支持|相同 不同|一致 不一致|简单 复杂|稳定 不稳定|高效 低效|开源 闭源|精确 近似|保留 丢弃|同时 依次
优点 缺点|上限 下限|相关 无关|容易 困难|节省 浪费|缓解 加剧|避免 导致|过拟合 欠拟合|收敛 发散|越多 越少
变长 变短|变大 变小|提升 损害|充分 不足|多数 少数|更快 更慢|更高 更低|更大 更小|更好 更差|总是 从不
"""
# Single characters swap only as whole jieba words: "大" in "大家" or "多" in "多头" must stay.
_ZH_CHAR_PAIRS = "大 小|多 少|快 慢|高 低|长 短|前 后|强 弱|早 晚|新 旧|正 负|好 坏|宽 窄|深 浅|粗 细"
_EN_PAIRS = """
increase decrease|increases decreases|increased decreased|increasing decreasing|higher lower|larger smaller
more fewer|faster slower|before after|serial parallel|sparse dense|independent shared|multiply divide
multiplied divided|maximum minimum|maximize minimize|encoder decoder|input output|training inference
global local|linear nonlinear|static dynamic|offline online|explicit implicit|absolute relative|always never
better worse|improves degrades|improve degrade|frozen updated|correct wrong|easy hard|long short
longer shorter|high low|large small|fast slow|first last|bidirectional unidirectional|supervised unsupervised
reduces raises|reduce raise|stable unstable|efficient inefficient|with without
"""


def _pairs(table: str) -> dict[str, str]:
    swaps: dict[str, str] = {}
    for pair in re.split(r"[|\n]", table):
        if pair.strip():
            a, b = pair.split()
            if a in swaps or b in swaps:
                raise ValueError(f"{a}/{b}: a word may be in one swap pair only")
            swaps[a], swaps[b] = b, a
    return swaps


ZH_SWAPS = _pairs(_ZH_PAIRS)
ZH_CHAR_SWAPS = _pairs(_ZH_CHAR_PAIRS)
EN_SWAPS = _pairs(_EN_PAIRS)


def _alternation(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_SWAP = re.compile(
    rf"(?<![A-Za-z])(?:{_alternation(EN_SWAPS)})(?![A-Za-z])|{_alternation(ZH_SWAPS)}", re.IGNORECASE
)

# Negation: the first verb form of a clause flips (a negative one turns positive, which negates it too).
# The look-arounds keep 是 in 但是/于是, 会 in 社会, 能 in 性能, 有 in 所有/有限 from being touched.
_ZH_NEGATIONS: tuple[tuple[str, str, str], ...] = (
    ("并不是", "", "就是"),
    ("不是", "", "是"),
    ("并非", "", "就是"),
    ("没有", "", "有"),
    ("不会", "", "会"),
    ("不可以", "", "可以"),
    ("不能够", "", "能够"),
    ("不能", "", "能"),
    ("无法", "", "能够"),
    ("不需要", "", "需要"),
    ("不应该", "", "应该"),
    ("不必", "", "必须"),
    ("不用", "", "要用"),
    ("可以", "", "不可以"),
    ("能够", "", "不能够"),
    ("需要", "", "不需要"),
    ("应该", "", "不应该"),
    ("必须", "", "不必"),
    ("使用", "(?<![可被])", "不使用"),
    ("采用", "", "不采用"),
    ("依赖", "", "不依赖"),
    ("是", "(?<![但于还或总可要凡若真像只倒正])", "不是"),
    ("会", "(?<![社机体误学领理开聚])(?![话议])", "不会"),
    ("能", "(?<![性功智可技本效潜动体才])(?![力量源耗])", "不能"),
    ("有", "(?<![所具拥含只持固占享没特])(?![效限些时关助])", "没有"),
)
_ZH_NEGATION = re.compile(
    "|".join(f"(?P<n{i}>{guard}{re.escape(word)})" for i, (word, guard, _) in enumerate(_ZH_NEGATIONS))
)
_ZH_NEGATOR = re.compile("不|没|无|非|未")
_EN_NEGATION = re.compile(
    r"\b(?P<aux>is|are|was|were|can|could|will|would|should|must|may|might|does|do|did|has|have)"
    r"(?P<neg>\s+not\b|n't)?\b|\bcannot\b",
    re.IGNORECASE,
)
_EN_NEGATOR = re.compile(r"\bnot\b|n't\b|\bcannot\b|\bnever\b|\bno\b", re.IGNORECASE)
ZH_NOT_SO = "并不是说"
EN_NOT_SO = "It is not true that "

_SENTENCE = re.compile(r"([。！？；!?;\n]+|(?<=[.!?;])\s+)")
_PERIOD = re.compile(r"([。！？!?\n]+|(?<=[.!?])\s+)")  # a sentence up to its full stop, "；" inside it
_ZH_CLAUSE = re.compile(r"([，,：。！？；!?;\n]+)")
_WORD = re.compile(r"\w")
_NON_WORD = re.compile(r"[\W_]+")
_LEAD = re.compile(r"^\s*(?:[-*+>#]+\s*|\d+[.)]\s*)?")
_SENTENCE_PUNCTUATION = "。！？；!?;\n"

# Filler: everyday text from other domains, nothing about models or computing. Appended to pad an answer.
FILLER_ZH = (
    "红烧肉要选肥瘦相间的五花肉，切成三厘米见方的块，冷水下锅焯去血沫。锅里放少许油和冰糖，小火炒到枣红色再下肉块翻炒上色，"
    "加姜片、葱段、八角和桂皮，倒入料酒和生抽，添热水没过肉，盖上锅盖炖一个小时，最后开大火收汁。",
    "去云南旅行最好避开春节和国庆。昆明四季如春，适合第一站适应海拔；大理可以骑车环洱海，傍晚在双廊看日落；丽江古城夜里很热闹，"
    "想清静可以住到束河。从丽江坐车去泸沽湖要六七个小时，山路弯多，容易晕车的人记得提前吃药。",
    "北宋定都开封，城市没有宵禁，夜市一直开到三更。张择端的《清明上河图》画的就是汴河两岸的街市、虹桥和往来的漕船。"
    "靖康二年金兵攻破开封，徽宗、钦宗被掳北去，赵构在应天府即位，后来南迁临安，史称南宋。",
    "阳台种番茄，花盆至少要二十升，土里拌一些腐熟的羊粪做底肥。幼苗长到二十厘米时插竹竿绑蔓，侧芽要及时掰掉，只留主干。"
    "开花后每周追一次钾肥，夏天早晚各浇一次水，果实转红后两三天就可以摘了。",
    "马拉松前三个月要逐步把周跑量提到五十公里以上，每周安排一次长距离慢跑。比赛前一周减量，多吃米饭面条储存糖原。"
    "比赛当天不要穿新鞋，起跑别跟着人群冲太快，每隔五公里补一次水，三十公里后靠能量胶撑过撞墙期。",
    "古琴有七根弦，十三个徽位标出泛音的位置。弹奏时右手拨弦，左手按弦取音，散音、按音、泛音三种音色各有味道。"
    "《流水》《广陵散》《平沙落雁》都是名曲，初学者一般从《仙翁操》入门，先练坐姿和指法。",
    "包饺子的面要提前半小时和好醒着，馅用猪肉白菜最常见：白菜剁碎后撒盐杀出水，攥干再拌进肉馅，顺着一个方向搅上劲。"
    "擀皮中间厚边缘薄，捏的时候把边压紧，水开下锅，点三次凉水，饺子浮起来鼓肚就熟了。",
    "敦煌莫高窟开凿于十六国时期，历经北魏、隋、唐直到元代，现存洞窟七百多个，壁画四万五千多平方米。"
    "藏经洞在清末被道士王圆箓发现，大批文书流散海外。参观要提前预约，洞内不许拍照，讲解员会打手电介绍壁画。",
)
FILLER_EN = (
    "To make a good risotto, warm the stock first and keep it at a simmer. Toast the rice in butter "
    "with a chopped shallot until the grains turn translucent at the edges, add a glass of white wine, "
    "then ladle in the stock a little at a time, stirring, for about eighteen minutes. Finish with "
    "parmesan and cold butter.",
    "The train from Lisbon to Porto takes about three hours and follows the coast for part of the way. "
    "Porto is steep, so wear comfortable shoes; cross the Dom Luis bridge on the upper deck at sunset "
    "and visit one of the port cellars in Gaia, where most tours end with a tasting of a tawny and a "
    "ruby.",
    "The Hanseatic League linked trading towns around the Baltic and North Sea from the thirteenth "
    "century. Lubeck was its leading city; merchants shipped grain, timber, furs and salted herring, "
    "and the league kept offices in London, Bruges, Bergen and Novgorod until its trade faded in the "
    "seventeenth century.",
    "Tomatoes on a balcony need a large pot, full sun and steady watering. Tie the stem to a cane as it"
    " grows, pinch out the side shoots, and feed with a potash fertiliser once the first flowers set.",
)


# ---------------------------------------------------------------------------------------------------------
# Text pieces


def _pieces(text: str, splitter: re.Pattern[str]) -> list[tuple[str, bool]]:
    """The text cut by `splitter`, each piece with whether it has content to change (delimiters kept)."""
    return [(p, bool(_WORD.search(p)) and not splitter.fullmatch(p)) for p in splitter.split(text) if p]


def sentences(text: str) -> list[str]:
    """The sentences of a text, as written, without their end punctuation."""
    return [p.strip() for p, content in _pieces(text, _SENTENCE) if content]


def clauses(text: str) -> list[str]:
    """The clauses of a Chinese text (sentences of an English one): what negation and swaps change."""
    splitter = _SENTENCE if _is_english(text) else _ZH_CLAUSE
    return [p.strip() for p, content in _pieces(text, splitter) if content]


def _is_english(text: str) -> bool:
    return not re.search(r"[\u4e00-\u9fff]", text)


def _map_clauses(text: str, change: Callable[[str, bool], str], english: bool | None) -> str:
    """Apply `change` to every clause (Chinese) or sentence (English) with content; punctuation stays."""
    english = _is_english(text) if english is None else english
    splitter = _SENTENCE if english else _ZH_CLAUSE
    return "".join(change(p, english) if content else p for p, content in _pieces(text, splitter))


def _prefix(clause: str, words: str) -> str:
    lead = _LEAD.match(clause)
    at = lead.end() if lead else 0
    rest = clause[at:]
    if words == EN_NOT_SO and rest[:1].isupper() and not rest[1:2].isupper():
        rest = rest[0].lower() + rest[1:]
    return clause[:at] + words + rest


def negate_clause(clause: str, english: bool | None = None) -> str:
    """One clause negated: its first verb form flipped (是→不是, 不能→能), else "并不是说" before it.

    `english` says which language's rules apply (a formula inside Chinese text gets the Chinese prefix);
    None: English if the clause has no Chinese character.
    """
    if _is_english(clause) if english is None else english:
        match = _EN_NEGATION.search(clause)
        if not match:
            return _prefix(clause, EN_NOT_SO)
        if match.group(0).lower() == "cannot":
            replacement = match.group(0)[:3]
        elif match.group("neg"):
            replacement = match.group("aux")
        else:
            aux = match.group("aux")
            replacement = aux + ("not" if aux.lower() == "can" else " not")
        return clause[: match.start()] + replacement + clause[match.end() :]
    match = _ZH_NEGATION.search(clause)
    if not match:
        return _prefix(clause, ZH_NOT_SO)
    index = int(next(name for name, value in match.groupdict().items() if value is not None)[1:])
    return clause[: match.start()] + _ZH_NEGATIONS[index][2] + clause[match.end() :]


def negated(text: str, english: bool | None = None) -> str:
    """Every clause of the text negated: the whole answer now says the opposite of the reference."""
    return _map_clauses(text, negate_clause, english)


def negated_once(text: str) -> str:
    """Every sentence negated once, up to its full stop, as a quick editor would (its first 是 made 不是, or
    "并不是说" in front): the negation's scope is the whole sentence, its clauses after "；" included."""
    english = _is_english(text)
    return "".join(negate_clause(p, english) if content else p for p, content in _pieces(text, _PERIOD))


def _same_case(word: str, like: str) -> str:
    if like.isupper() and len(like) > 1:
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def swap_fact(clause: str) -> str:
    """The clause with its first swap-table word replaced by the opposite one (unchanged if it has none).

    One swap only: swapping every pair of a clause can restore its meaning ("增大 batch 会降低噪声" with both
    words swapped says the same thing again), while one swapped fact always makes it wrong.
    """
    match = _SWAP.search(clause)
    at = 0
    for word in jieba.lcut(clause[: match.start()] if match else clause):
        if word in ZH_CHAR_SWAPS:
            return clause[:at] + ZH_CHAR_SWAPS[word] + clause[at + len(word) :]
        at += len(word)
    if not match:
        return clause
    word = match.group(0)
    opposite = _same_case(ZH_SWAPS.get(word) or EN_SWAPS[word.lower()], word)
    return clause[: match.start()] + opposite + clause[match.end() :]


def swap_clause(clause: str, english: bool | None = None) -> str:
    """A clause with its facts swapped; a clause without a swappable word is negated, so it is wrong too."""
    changed = swap_fact(clause)
    return changed if changed != clause else negate_clause(clause, english)


def swapped(text: str, english: bool | None = None) -> str:
    """The text with the facts of every clause swapped to wrong ones (or negated where no swap exists)."""
    return _map_clauses(text, swap_clause, english)


_NUMBER = re.compile(r"(?<![\d.])\d+(?![\d.])")


def numbers_changed(text: str) -> str | None:
    """The text with every whole number doubled (1 becomes 3); None for a text without numbers."""
    if not _NUMBER.search(text):
        return None
    return _NUMBER.sub(lambda m: str(_doubled(int(m.group()))), text)


def _doubled(number: int) -> int:
    return number * 2 if number > 1 else 3  # 0 and 1 doubled would stay 0 or read as a count


def half_wrong(text: str) -> str:
    """The first half of the sentences as written, the second half swapped to wrong facts."""
    english = _is_english(text)
    pieces = _pieces(text, _SENTENCE)
    total = sum(content for _, content in pieces)
    seen = 0
    out = []
    for piece, content in pieces:
        if content:
            seen += 1
            if seen > total // 2:
                piece = swapped(piece, english)
        out.append(piece)
    return "".join(out)


def words(text: str) -> list[str]:
    """The jieba words of a text without punctuation or spaces: what "shuffled" rearranges."""
    return [w for w in (w.strip() for w in jieba.lcut(text)) if w and not _NON_WORD.fullmatch(w)]


def shuffled(text: str, rng: random.Random) -> str:
    """The text's words in random order, space separated, no punctuation: the vocabulary with no meaning."""
    shuffled_words = words(text)
    rng.shuffle(shuffled_words)
    return " ".join(shuffled_words)


def shuffled_in_sentences(text: str, rng: random.Random) -> str:
    """Each sentence's words (punctuation and formula marks included) in random order, sentence ends kept: the
    salad a tester makes by scrambling sentence by sentence, which keeps some commas and every full stop."""
    out = []
    for piece, content in _pieces(text, _PERIOD):
        if content:
            tokens_of = jieba.lcut(piece)
            rng.shuffle(tokens_of)
            piece = "".join(tokens_of)
        out.append(piece)
    return "".join(out)


def filler(length: int, rng: random.Random, language: str = "zh") -> str:
    """At least `length` characters of unrelated everyday text, paragraphs in a seeded order."""
    paragraphs = FILLER_EN if language == "en" else FILLER_ZH
    out: list[str] = []
    size = 0
    while size < length:
        batch = list(paragraphs)
        rng.shuffle(batch)
        for paragraph in batch:
            out.append(paragraph)
            size += len(paragraph) + 2
            if size >= length:
                break
    return "\n\n".join(out)


def padded(text: str, rng: random.Random, language: str = "zh") -> str:
    """The text followed by three times its length of filler."""
    return text + "\n\n" + filler(3 * len(text), rng, language)


def keyword_list(terms: Iterable[str], language: str = "zh") -> str:
    """All accepted terms once each, in rubric order, as a bare list: "、" (Chinese) or ", " (English)."""
    unique = list(dict.fromkeys(t.strip() for t in terms if t.strip()))
    cleaned = [t.translate({ord(c): " " for c in _SENTENCE_PUNCTUATION}).strip() for t in unique]
    return ("、" if language == "zh" else ", ").join(t for t in cleaned if t)


# ---------------------------------------------------------------------------------------------------------
# Cases


def _rng(slug: str, kind: str) -> random.Random:
    return random.Random(f"{SEED}:{slug}:{kind}")


def _other_topics(
    question: QuestionLike, questions: Sequence[QuestionLike], topics_of: Mapping[str, Collection[str]]
) -> list[QuestionLike]:
    """The questions sharing no topic with this one, by slug."""
    topics = set(topics_of.get(question.slug, ()))
    others = (q for q in questions if q.slug != question.slug and not topics & set(topics_of.get(q.slug, ())))
    return sorted(others, key=lambda q: q.slug)


def other_question(
    question: QuestionLike, questions: Sequence[QuestionLike], topics_of: Mapping[str, Collection[str]]
) -> str:
    """The slug of a question that shares no topic with this one, picked by a seeded draw (same pick on every
    run). A question of a neighbouring topic is no test of "off topic": the transformer overview's rubric asks
    for position encodings, which the position-encoding question's reference rightly meets."""
    candidates = [q.slug for q in _other_topics(question, questions, topics_of)]
    if not candidates:
        raise ValueError(f"{question.slug}: no question of another topic to take a reference from")
    return _rng(question.slug, "other").choice(candidates)


def field_filler(
    question: QuestionLike, questions: Sequence[QuestionLike], topics_of: Mapping[str, Collection[str]]
) -> str:
    """Whole references of questions sharing no topic with this one, in a seeded order, until they are three
    times as long as its reference: padding an encoder finds near the question, being of the same field."""
    others = _other_topics(question, questions, topics_of)
    _rng(question.slug, "field_filler").shuffle(others)
    taken: list[str] = []
    for other in others:
        if sum(map(len, taken)) >= 3 * len(question.reference_answer):
            break
        taken.append(other.reference_answer)
    return "\n\n".join(taken)


def build_cases(
    questions: Sequence[QuestionLike],
    paraphrases: Mapping[str, str],
    translations: Mapping[str, tuple[str, str]],
    *,
    topics_of: Mapping[str, Collection[str]] | None = None,
    kinds: Iterable[str] = KINDS,
) -> list[Case]:
    """Every kind of answer for every question (paraphrase, chinese, english where tests/data has one).

    `topics_of` maps a slug to its topics so that "other" takes a reference from a question sharing none;
    without it any other question will do. Unknown kinds raise ValueError.
    """
    wanted = list(kinds)
    unknown = [k for k in wanted if k not in KINDS]
    if unknown:
        raise ValueError(f"unknown kinds {unknown}; known: {', '.join(KINDS)}")
    topics = topics_of or {}
    by_slug = {q.slug: q for q in questions}
    cases: list[Case] = []
    for question in questions:
        for kind in KINDS:
            if kind in wanted:
                answer = _answer(kind, question, by_slug, paraphrases, translations, topics)
                if answer is not None:
                    language = "en" if kind == "english" else question.language
                    cases.append(Case(kind, question.slug, answer, CHECKS[kind], language))
    return cases


def _answer(
    kind: str,
    question: QuestionLike,
    by_slug: Mapping[str, QuestionLike],
    paraphrases: Mapping[str, str],
    translations: Mapping[str, tuple[str, str]],
    topics_of: Mapping[str, Collection[str]],
) -> str | None:
    """The answer of one kind to one question; None where tests/data has none for it, or where the reference
    has no number to change."""
    slug, reference = question.slug, question.reference_answer
    if kind == "reference":
        return reference
    if kind == "keywords":
        return keyword_list((t for c in question.rubric for t in c.terms), question.language)
    if kind in REWRITTEN_KINDS:
        return rewritten(kind, reference, _rng(slug, kind), question.language)
    if kind == "field_filler":
        return reference + "\n\n" + field_filler(question, list(by_slug.values()), topics_of)
    if kind == "other":
        return by_slug[other_question(question, list(by_slug.values()), topics_of)].reference_answer
    if kind == "paraphrase":
        return paraphrases.get(slug)
    if slug not in translations:
        return None
    return translations[slug][0] if kind == "chinese" else translations[slug][1]


# The kinds made from the reference alone, (reference, rng, language) -> answer: the random ones draw
# from rng; "numbers" gives None for a reference without a number to change.
_REWRITES: dict[str, Callable[[str, random.Random, str], str | None]] = {
    "swapped": lambda text, _rng, _language: swapped(text),
    "negated": lambda text, _rng, _language: negated(text),
    "negated_once": lambda text, _rng, _language: negated_once(text),
    "half_wrong": lambda text, _rng, _language: half_wrong(text),
    "numbers": lambda text, _rng, _language: numbers_changed(text),
    "shuffled": lambda text, rng, _language: shuffled(text, rng),
    "shuffled_in_sentences": lambda text, rng, _language: shuffled_in_sentences(text, rng),
    "filler": padded,
}
REWRITTEN_KINDS = frozenset(_REWRITES)


def rewritten(kind: str, reference: str, rng: random.Random, language: str = "zh") -> str | None:
    """The answer of a kind made from the reference alone (REWRITTEN_KINDS)."""
    return _REWRITES[kind](reference, rng, language)


def needed_kinds(kinds: Iterable[str]) -> list[str]:
    """The kinds asked for (all if none) plus those they are measured against: filler needs reference,
    english needs chinese. Blank names are ignored; unknown ones are kept for build_cases to refuse."""
    wanted = {k.strip() for k in kinds if k.strip()} or set(KINDS)
    if wanted & {"filler", "field_filler"}:
        wanted.add("reference")
    if "english" in wanted:
        wanted.add("chinese")
    return [k for k in KINDS if k in wanted] + sorted(wanted - set(KINDS))


# ---------------------------------------------------------------------------------------------------------
# Data files (tests/data/): hand-written answers


def _read_list(path: Path, keys: tuple[str, ...]) -> list[dict[str, str]]:
    rows = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(rows, list):
        raise ValueError(f"{path.name}: expected a list of {{{', '.join(keys)}}}")
    out = []
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict) or set(row) != set(keys) or not all(str(row[k]).strip() for k in keys):
            raise ValueError(f"{path.name}, item {number}: expected exactly the keys {', '.join(keys)}")
        out.append({k: str(row[k]).strip() for k in keys})
    slugs = [row["slug"] for row in out]
    duplicates = sorted({s for s in slugs if slugs.count(s) > 1})
    if duplicates:
        raise ValueError(f"{path.name}: slugs given twice: {duplicates}")
    return out


def read_paraphrases(path: Path = DATA_DIR / "paraphrases.yaml") -> dict[str, str]:
    """slug → a correct answer in the candidate's own words, without the question's accepted terms."""
    return {row["slug"]: row["answer"] for row in _read_list(path, ("slug", "answer"))}


def read_translations(path: Path = DATA_DIR / "translations.yaml") -> dict[str, tuple[str, str]]:
    """slug → (a good Chinese answer, its English translation)."""
    return {row["slug"]: (row["zh"], row["en"]) for row in _read_list(path, ("slug", "zh", "en"))}


# ---------------------------------------------------------------------------------------------------------
# Grading and the report


@dataclass(frozen=True)
class Graded:
    case: Case
    percent: float  # of the question's maximum
    flags: tuple[str, ...]
    judge_version: str = ""


def grade_cases(cases: Iterable[Case], questions: Sequence[QuestionLike], judge: JudgeLike) -> list[Graded]:
    """Each case graded by `judge` against its question's rubric."""
    by_slug = {q.slug: q for q in questions}
    graded = []
    for case in cases:
        result = judge.grade(judge_input(by_slug[case.slug], case.answer))
        version = result.judge_version or result.model
        graded.append(Graded(case, 100 * result.fraction, tuple(str(f) for f in result.flags), version))
    return graded


@dataclass(frozen=True)
class Threshold:
    """A bound on a kind's mean % of max; `relative_to` makes it a multiple of another kind's mean."""

    kind: str
    bound: Literal["min", "max"]
    value: float
    relative_to: str = ""


THRESHOLDS: tuple[Threshold, ...] = (
    Threshold("reference", "min", 85),
    Threshold("keywords", "max", 20),
    Threshold("swapped", "max", 35),
    Threshold("negated", "max", 35),
    Threshold("negated_once", "max", 35),
    Threshold("half_wrong", "max", 60),
    Threshold("shuffled", "max", 20),
    Threshold("shuffled_in_sentences", "max", 20),
    Threshold("filler", "max", 1.0, relative_to="reference"),
    Threshold("field_filler", "max", 1.0, relative_to="reference"),
    Threshold("other", "max", 10),
    Threshold("paraphrase", "min", 60),
    Threshold("english", "min", 0.8, relative_to="chinese"),
)
# Every filler answer must carry a flag its reference's grade lacks; every "other" answer the off-topic flag.
FLAGGED_SHARE = 1.0


@dataclass(frozen=True)
class Check:
    name: str
    passed: bool
    text: str


@dataclass
class Report:
    kinds: list[str]
    table: dict[str, dict[str, float]]  # slug → kind → % of max
    means: dict[str, float]
    checks: list[Check] = field(default_factory=list)

    @property
    def failures(self) -> list[str]:
        return [c.text for c in self.checks if not c.passed]


def _mean(values: Sequence[float]) -> float:
    return sum(values) / len(values) if values else float("nan")


def report(graded: Sequence[Graded]) -> Report:
    """Per question and kind the % of max, the mean per kind over questions, and each threshold checked."""
    table: dict[str, dict[str, float]] = defaultdict(dict)
    flags: dict[tuple[str, str], tuple[str, ...]] = {}
    for g in graded:
        table[g.case.slug][g.case.kind] = g.percent
        flags[(g.case.slug, g.case.kind)] = g.flags
    kinds = [k for k in KINDS if any(k in row for row in table.values())]
    means = {k: _mean([row[k] for row in table.values() if k in row]) for k in kinds}
    checks = []
    for t in THRESHOLDS:
        if t.kind not in means or (t.relative_to and t.relative_to not in means):
            continue
        limit = t.value * means[t.relative_to] if t.relative_to else t.value
        mean = means[t.kind]
        passed = mean >= limit if t.bound == "min" else mean <= limit
        sign = "≥" if t.bound == "min" else "≤"
        if t.relative_to:
            factor = "" if t.value == 1 else f"{t.value:g} × "
            wanted = f"{sign} {factor}{t.relative_to} {means[t.relative_to]:.1f} = {limit:.1f}"
        else:
            wanted = f"{sign} {limit:g}"
        checks.append(
            Check(t.kind, passed, f"{'PASS' if passed else 'FAIL'} {t.kind}: mean {mean:.1f} ({wanted})")
        )
    for padding in ("filler", "field_filler"):
        if padding in kinds:
            slugs = [s for s, row in table.items() if padding in row]
            flagged = [s for s in slugs if set(flags[(s, padding)]) - set(flags.get((s, "reference"), ()))]
            gained = [s for s in slugs if table[s][padding] > table[s].get("reference", 100.0)]
            checks.append(
                _share_check(f"{padding} flagged", len(flagged), len(slugs), f"; gains on {len(gained)}")
            )
    if "other" in kinds:
        slugs = [s for s, row in table.items() if "other" in row]
        flagged = [s for s in slugs if str(Flag.OFF_TOPIC) in flags[(s, "other")]]
        checks.append(_share_check("other flagged off topic", len(flagged), len(slugs), ""))
    return Report(kinds=kinds, table=dict(table), means=means, checks=checks)


def _share_check(name: str, flagged: int, total: int, extra: str) -> Check:
    share = flagged / total if total else 0.0
    passed = share >= FLAGGED_SHARE
    text = f"{'PASS' if passed else 'FAIL'} {name}: {flagged}/{total} ({share:.0%}; wanted all){extra}"
    return Check(name, passed, text)


def report_lines(result: Report, width: int = 34) -> list[str]:
    """The report as text: a row per question, a column per kind (blank where no case), means, checks."""
    columns = [max(len(k), 5) + 1 for k in result.kinds]
    lines = [
        f"{'question':<{width}}" + "".join(f"{k:>{w}}" for k, w in zip(result.kinds, columns, strict=True))
    ]
    for slug in sorted(result.table):
        row = result.table[slug]
        cells = (
            f"{row[k]:>{w}.0f}" if k in row else " " * w for k, w in zip(result.kinds, columns, strict=True)
        )
        lines.append(f"{slug[: width - 1]:<{width}}" + "".join(cells))
    means = (f"{result.means[k]:>{w}.1f}" for k, w in zip(result.kinds, columns, strict=True))
    lines.append(f"{'mean':<{width}}" + "".join(means))
    lines += [c.text for c in result.checks]
    return lines
