"""Rewrites of a reference answer that a judge grading meaning must not reward: facts swapped for their
opposites, sentences negated, words shuffled, unrelated padding, a bare list of terms. Deterministic given the
random generator the caller seeds (adversarial.py seeds one per question and kind).

The swap and negation tables live here only: the judge's authors do not read this module, so the judge cannot
be tuned to these exact words, and passing measures meaning rather than knowledge of the test.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Iterable

import jieba

jieba.setLogLevel(60)


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
