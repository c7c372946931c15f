"""The offline judge: grades an answer claim by claim against the rubric, with no network and no LLM.

For each rubric point, every statement of the answer (sentence or clause, see clauses.py) is scored for
support: lexical evidence (the point's accepted terms, the key words of its description) and meaning
(sentence-embedding similarity with the description and the reference statements it comes from, see
semantic.py and prepared.py). A statement earns nothing when it explains nothing (a bare list of terms, words
copied from the question), when it is word salad (fluency.py), when it addresses the grader (injection.py), or
when it contradicts the reference statement it matches or states a known misconception (statements.py,
contradiction.py): then the point cannot be met from it and the wrong claim is reported. A point's support is
its best statement's; calibration.py maps it onto the human scale and thresholds turn it into met / partial /
missed, whose points (types.points_for) add up to the total. An answer about another question meets nothing
and one padded with text off the question is flagged (topic.py). The knobs are global (knobs.py).

Several reference answers are alternatives: the answer is graded against each and the best-matching one is
kept. A judgement question ("判断以下叙述是否正确") has a reference that opens with its verdict (正确 /
错误): an answer opening with the opposite verdict gets its main claim wrong and meets no point, whatever it
explains next.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal

import numpy as np

from interviews.grading import semantic, statements, topic
from interviews.grading.calibration import Calibration
from interviews.grading.clauses import (
    Unit,
    explains,
    repeated_frames,
    units,
)
from interviews.grading.contradiction import (
    complexities,
    contradicts,
    denies_ability,
)
from interviews.grading.feedback import feedback
from interviews.grading.formulas import quantities, same_quantity
from interviews.grading.injection import find_injection, looks_injected
from interviews.grading.knobs import Knobs
from interviews.grading.misconceptions import states
from interviews.grading.prepared import Point, Prepared, prepare, reference_points
from interviews.grading.text import (
    compact,
    normalise,
    term_found,
    token_recall,
    tokens,
)
from interviews.grading.types import (
    CriterionInput,
    CriterionResult,
    Flag,
    GradeResult,
    JudgeInput,
    MisconceptionInput,
    Verdict,
    points_for,
)
from interviews.grading.verdicts import retracts, stated_verdict

ALGORITHM = "offline-54"


@dataclass
class _Support:
    value: float = 0.0
    lexical: float = 0.0
    semantic: float = 0.0
    evidence: str = ""
    contradicted_by: str = ""
    misconception: str = ""
    contradiction: float = field(default=0.0)
    # The point's best statement before each statement's share of points is capped: how far the answer is
    # about the point at all (the off-topic rule), whichever point that statement ends up supporting.
    found_lexical: float = 0.0
    found_semantic: float = 0.0


class OfflineJudge:
    name = "offline"

    def __init__(self, knobs: Knobs | None = None, calibration: Calibration | None = None) -> None:
        self.knobs = knobs or Knobs()
        self.calibration = calibration or Calibration.load()
        self.version = f"{ALGORITHM}+{self.calibration.version}"

    def grade(self, judge_input: JudgeInput) -> GradeResult:
        started = time.perf_counter()
        answer = judge_input.answer
        if not compact(answer):
            # Nothing to weigh: an empty answer earns nothing, beyond doubt.
            return self._result(
                judge_input, _all_missed(judge_input.criteria), [Flag.EMPTY], [], 1.0, started
            )
        injected = find_injection(answer)
        usable, vectors, scored, prepared, _ = self._best_alternative(judge_input, injected)
        flags: list[Flag] = []
        # An answer whose words and meaning support the points is about the question, however little of it
        # the encoder finds near the reference (a terse "错。只有……才成立" to a judgement question); one that
        # says next to nothing ("不太清楚。", "不会") is about nothing else either.
        if (
            usable
            and _evidence(scored, self.knobs) < self.knobs.off_topic_support
            and topic.characters(tokens(normalise(answer))) >= self.knobs.off_topic_least
            and topic.off_topic(judge_input, prepared, usable, vectors, self.knobs)
        ):
            flags.append(Flag.OFF_TOPIC)
            scored = [s.missed() for s in scored]
        elif topic.padded(prepared, usable, vectors, answer, self.knobs):
            flags.append(Flag.FILLER)
        if injected:
            flags.append(Flag.INJECTION)
        results = [s.result() for s in scored]
        misconceptions = list(
            dict.fromkeys(s.support.misconception for s in scored if s.support.misconception)
        )
        confidence = self._confidence(scored, answer, flags)
        return self._result(judge_input, results, flags, misconceptions, confidence, started)

    def support(self, judge_input: JudgeInput) -> float:
        """The answer's mean raw support over its points (best alternative): what calibration is fitted on."""
        if not compact(judge_input.answer):
            return 0.0
        _, _, scored, _, _ = self._best_alternative(judge_input, find_injection(judge_input.answer))
        return _support(scored)

    def _best_alternative(
        self, judge_input: JudgeInput, injected: list[str]
    ) -> tuple[list[Unit], np.ndarray, list[_Scored], Prepared, float]:
        """Grade against each reference answer (with its points); keep the one that gives most points."""
        usable = [
            u
            for u in units(judge_input.answer)
            if not looks_injected(u.text) and not _inside(u.text, injected)
        ]
        vectors = statements.unit_vectors(usable)
        alternatives = [
            (prepare(judge_input.question, reference, criteria), criteria)
            for reference, criteria in reference_points(judge_input)
        ]
        references = [prepared for prepared, _ in alternatives]
        salad = statements.salad(usable, references)
        wrong_units = statements.wrong_units(references, usable, vectors, self.knobs)
        best: tuple[list[Unit], np.ndarray, list[_Scored], Prepared, float] | None = None
        for prepared, criteria in alternatives:
            scored = self._score(prepared, usable, vectors, judge_input.misconceptions, salad, wrong_units)
            given = stated_verdict(judge_input.answer) if prepared.verdict is not None else None
            # Quoted: the sentence that closes with the verdict, or else the answer's first statement.
            giving = (given[1] if given else "") or (usable[0].text if usable else "")
            if given is not None and given[0] != prepared.verdict:
                # The answer's verdict is the reference's opposite: its main claim is wrong, whatever follows.
                wrong = _Support(misconception=giving, contradicted_by=giving)
                scored = [_Scored(s.point, wrong, 0.0, self.knobs) for s in scored]
            elif given is not None:
                # The same verdict meets a point that asks for nothing else ("错误"), however it is worded.
                right = _Support(value=1.0, lexical=1.0, semantic=1.0, evidence=giving)
                right.found_lexical = right.found_semantic = 1.0
                full = self.calibration(1.0)
                scored = [
                    replace(s, support=right, calibrated=full) if s.point.only_verdict else s for s in scored
                ]
            total = sum(s.share * s.point.criterion.points for s in scored) / max(
                1, sum(c.points for c in criteria)
            )
            if best is None or total > best[4]:
                best = (usable, vectors, scored, prepared, total)
        if best is None:
            raise ValueError("A judge input needs at least one rubric point.")
        return best

    def _score(
        self,
        prepared: Prepared,
        usable: list[Unit],
        vectors: np.ndarray,
        misconceptions: tuple[MisconceptionInput, ...],
        salad: statements.SaladUnits,
        wrong_units: set[int],
    ) -> list[_Scored]:
        k = self.knobs
        # Unrelated filler earns nothing: only a related statement that says something can support a point.
        unit_tokens = [frozenset(tokens(u.text)) for u in usable]
        unit_quantities = [quantities(u.text) - prepared.question_quantities for u in usable]
        # ... and one in nothing but the question's words ("所以需要位置编码") restates it; nor does salad.
        whole = [u for u in usable if u.whole]
        texts = [u.text for u in whole]
        says_nothing = set(salad.sentences)
        # ... and so is a list of terms dressed as sentences, one frame filled with each.
        says_nothing |= {whole[i].sentence for i in repeated_frames(texts, prepared.known_terms)}
        # What the answer takes back ("以上说法全部是错误的") states nothing; a judgement question's verdict
        # ("以上说法是错误的") speaks of the question's statement instead.
        if prepared.verdict is None:
            taken_back = max((u.sentence for u in whole if retracts(u.text)), default=-1)
            says_nothing |= {u.sentence for u in whole if u.sentence <= taken_back}
        counts = [
            related
            and explains(u.text, prepared.known_terms, prepared.vocabulary)
            and u.sentence not in says_nothing
            and i not in salad.clauses
            and not (
                said
                and said <= prepared.question_tokens
                and not new_quantities
                and not (denies_ability(u.text) and not prepared.question_denies)
            )
            for i, (u, said, new_quantities, related) in enumerate(
                zip(
                    usable,
                    unit_tokens,
                    unit_quantities,
                    topic.related(prepared, usable, vectors, k),
                    strict=True,
                )
            )
        ]
        unit_compact = [compact(u.text) for u in usable]
        unit_complexities = [complexities(u.text) for u in usable]
        unit_subjects = statements.subjects(usable, prepared.compared)
        stating = [[m for m in misconceptions if states(u.claim, m.phrasings)] for u in usable]
        stated = {
            m.criterion_id: (m.claim, u.text)
            for m in misconceptions
            for u, ms in zip(usable, stating, strict=True)
            if m in ms
        }
        # A sentence that states something wrong, or a known misconception, supports no point, whichever of
        # its clauses is right: "ZeRO-1 切分模型参数，ZeRO-2 切分优化器状态，ZeRO-3 切分梯度" meets no stage.
        tainted = {usable[i].sentence for i in wrong_units} | {
            u.sentence for u, ms in zip(usable, stating, strict=True) if ms
        }
        supports: list[_Support] = []
        misconception_of: list[tuple[str, str] | None] = []
        options: list[list[tuple[float, float, float, int]]] = []
        similarities = [
            vectors @ claim_vectors.T if len(usable) else np.zeros((0, 1))
            for claim_vectors in prepared.claim_vectors
        ]
        nearest = np.max([s.max(axis=1) for s in similarities], axis=0) if len(usable) else np.zeros(0)
        for point, similarity in zip(prepared.points, similarities, strict=True):
            support = _Support()
            right: list[tuple[float, float, float, int]] = []
            contradicted_sentences: set[int] = set()
            candidates = []
            for i, unit in enumerate(usable):
                if not counts[i]:
                    continue
                value, lexical, meaning = self._support_of(
                    point,
                    unit.text,
                    float(similarity[i].max()),
                    unit_tokens[i],
                    unit_compact[i],
                    unit_quantities[i],
                )
                claim = point.claims[int(similarity[i].argmax())]
                against = i in wrong_units or (value >= k.contradiction and contradicts(unit.claim, claim))
                if against and not unit.whole:
                    contradicted_sentences.add(unit.sentence)
                if unit.sentence in tainted and not against:
                    continue
                if not against and statements.about_something_else(
                    point, unit_complexities[i], unit_quantities[i], unit_subjects[i]
                ):
                    continue
                candidates.append((i, unit, value, lexical, meaning, against))
            misconception = stated.get(point.criterion.id)
            for i, unit, value, lexical, meaning, against in candidates:
                # A sentence with a clause that contradicts the point does not support it as a whole.
                wrong = against or (unit.whole and unit.sentence in contradicted_sentences)
                if misconception and misconception[1] == unit.text:
                    wrong = True
                if wrong:
                    # Only a statement about this point contradicts it.
                    if value >= k.about and value > support.contradiction:
                        support.contradiction, support.contradicted_by = value, unit.text
                elif (value, lexical) > (0.0, 0.0) and not self._rivalled(
                    point, unit.text, float(similarity[i].max()), float(nearest[i])
                ):
                    right.append((value, lexical, meaning, i))
            supports.append(support)
            misconception_of.append(misconception)
            options.append(right)
        # One statement makes a claim or two, not one per point: each supports at most `statement_points`
        # points, those it supports best; the others take their next best statement. Of two statements that
        # mean a point as well, the one that also names it is quoted.
        ranked = sorted(
            ((option, p) for p, right in enumerate(options) for option in right),
            key=lambda pair: pair[0][:2],
            reverse=True,
        )
        for support, right in zip(supports, options, strict=True):
            if right:
                _, support.found_lexical, support.found_semantic, _ = max(right, key=lambda o: o[:2])
        uses: Counter[int] = Counter()
        for (value, lexical, meaning, i), p in ranked:
            if supports[p].evidence or uses[i] >= k.statement_points:
                continue
            uses[i] += 1
            support = supports[p]
            support.value, support.lexical, support.semantic = value, lexical, meaning
            support.evidence = usable[i].text
        scored = []
        for point, support, misconception in zip(prepared.points, supports, misconception_of, strict=True):
            if misconception:
                support.misconception = misconception[0]
            elif support.contradiction > support.value:
                support.misconception = support.contradicted_by
            scored.append(_Scored(point, support, self.calibration(support.value), k))
        if _share_of_sentences(usable, tainted) >= k.unreliable:
            # So much of the answer is wrong that its right statements may be recited, not understood.
            scored = [replace(s, unreliable=True) for s in scored]
        return scored

    def _rivalled(self, point: Point, text: str, cosine: float, nearest: float) -> bool:
        """The statement states another point's claim, much nearer to it than to this one's, and none of this
        point's accepted terms: "当需要最少比较次数时" does not word the point on the most comparisons."""
        return nearest - cosine > self.knobs.rival and not any(term_found(t, text) for t in point.terms)

    def _support_of(
        self,
        point: Point,
        text: str,
        cosine: float,
        text_tokens: frozenset[str],
        text_compact: str,
        text_quantities: frozenset[str],
    ) -> tuple[float, float, float]:
        """A statement's support for a point (value, lexical, meaning): its accepted terms or description's
        key words, and its cosine with the point's claims. A derived point's result stated as its value (any
        writing: "(n+1)/2", "1.n/2") counts as the point's accepted term, however few words come with it."""
        k = self.knobs
        meaning = min(1.0, max(0.0, (cosine - k.semantic_low) / (k.semantic_high - k.semantic_low)))
        if any(same_quantity(w, q, whole=True) for w in point.quantities for q in text_quantities):
            return max(meaning, _mixed(k, meaning, k.term)), k.term, meaning
        # Words count only in a statement about the point: an accepted term said about something else
        # ("对称量化" for "对称的 InfoNCE") is chance.
        about = min(1.0, max(0.0, (cosine - k.words_about_low) / (k.words_about_high - k.words_about_low)))
        if not about and not point.terms:  # most statements are about another point: no words to look for
            return meaning, 0.0, meaning
        recall = token_recall(point.key_tokens, text_tokens, text_compact)
        named = (about or recall >= k.named_recall) and any(term_found(t, text) for t in point.terms)
        if named and recall >= k.named_recall and len(text_compact) <= k.named_length * point.length:
            # One of the point's own terms amid its description's words, in a statement of a point's length:
            # about the point, however far the encoder puts it ("…从某一步开始做多次 rollout，看能走到
            # 正确答案的比例…像 Math-Shepherd"). A run of words as long as a whole answer holds any point's.
            about = 1.0
        if not about:
            return meaning, 0.0, meaning
        lexical = about * max(
            k.term * named,
            max(0.0, (recall - k.recall_floor) / (1 - k.recall_floor)),
        )
        # The right words add to the meaning; the meaning alone supports the point in any words (a paraphrase,
        # another language).
        return max(meaning, _mixed(k, meaning, lexical)), lexical, meaning

    def quote_supports(self, judge_input: JudgeInput, quotes: Sequence[str]) -> list[dict[str, float]]:
        """How well each quote supports each rubric point, by id (0..1, the same measure as a statement of an
        answer): what the LLM judge checks its evidence with. The quotes are embedded in one call."""
        vectors = semantic.embed(quotes)
        alternatives = [prepare(judge_input.question, r, c) for r, c in reference_points(judge_input)]
        return [
            self._quote_support(alternatives, quote, vector)
            for quote, vector in zip(quotes, vectors, strict=True)
        ]

    def _quote_support(
        self, alternatives: list[Prepared], quote: str, vector: np.ndarray
    ) -> dict[str, float]:
        quote_tokens, quote_compact = frozenset(tokens(quote)), compact(quote)
        quote_quantities = quantities(quote)
        found: dict[str, float] = {}
        for prepared in alternatives:
            for point, claim_vectors in zip(prepared.points, prepared.claim_vectors, strict=True):
                cosine = float((claim_vectors @ vector).max())
                value, _, _ = self._support_of(
                    point, quote, cosine, quote_tokens, quote_compact, quote_quantities
                )
                found[point.criterion.id] = max(value, found.get(point.criterion.id, 0.0))
        return found

    def _confidence(self, scored: list[_Scored], answer: str, flags: list[Flag]) -> float:
        """Far from the verdict thresholds, lexical and semantic evidence agreeing, and not a very short
        answer."""
        if not scored:
            return 0.0
        weight = sum(s.point.criterion.points for s in scored) or 1
        margin = sum(s.point.criterion.points * s.margin for s in scored) / weight
        agreement = 1 - sum(s.point.criterion.points * s.disagreement for s in scored) / weight
        length = min(1.0, len(compact(answer)) / 40)
        confidence = margin * agreement * (0.5 + 0.5 * length)
        if Flag.INJECTION in flags:
            confidence = min(confidence, 0.3)
        return round(confidence, 3)

    def _result(
        self,
        judge_input: JudgeInput,
        results: list[CriterionResult],
        flags: list[Flag],
        misconceptions: list[str],
        confidence: float,
        started: float,
    ) -> GradeResult:
        return GradeResult(
            criteria=tuple(results),
            judge="offline",
            model=self.version,
            judge_version=self.version,
            feedback=feedback(judge_input, results, flags, misconceptions),
            misconceptions=tuple(misconceptions),
            flags=tuple(str(f) for f in flags),
            confidence=confidence,
            uncertain=confidence < self.knobs.uncertain or Flag.INJECTION in flags,
            latency_ms=round((time.perf_counter() - started) * 1000),
        )


@dataclass
class _Scored:
    point: Point
    support: _Support
    calibrated: float
    knobs: Knobs
    unreliable: bool = False

    @property
    def verdict(self) -> Verdict:
        if self.support.misconception:
            # The answer states a known misconception against the point, or contradicts it more firmly than
            # it supports it: whatever else it says, the point is not made.
            return "missed"
        # A point the answer also contradicts is never met.
        contradicted = self.support.contradicted_by or self.unreliable
        if self.calibrated >= self.knobs.met and not contradicted:
            return "met"
        return "partial" if self.calibrated >= self.knobs.partial else "missed"

    @property
    def share(self) -> float:
        return {"met": 1.0, "partial": 0.5, "missed": 0.0}[self.verdict]

    @property
    def margin(self) -> float:
        distance = min(abs(self.calibrated - self.knobs.met), abs(self.calibrated - self.knobs.partial))
        return min(1.0, distance / 0.15)

    @property
    def disagreement(self) -> float:
        return abs(self.support.lexical - self.support.semantic) / 2

    def missed(self) -> _Scored:
        return _Scored(self.point, _Support(), 0.0, self.knobs)

    def result(self) -> CriterionResult:
        verdict = self.verdict
        criterion = self.point.criterion
        return CriterionResult(
            id=criterion.id,
            verdict=verdict,
            points=points_for(verdict, criterion.points),
            max_points=Decimal(criterion.points),
            evidence=self.support.evidence if verdict != "missed" else "",
            comment=self.support.contradicted_by if self.support.misconception else "",
        )


def _all_missed(criteria: tuple[CriterionInput, ...]) -> list[CriterionResult]:
    chosen = _alternatives_of_first(criteria)
    return [
        CriterionResult(id=c.id, verdict="missed", points=Decimal(0), max_points=Decimal(c.points))
        for c in chosen
    ]


def _alternatives_of_first(criteria: tuple[CriterionInput, ...]) -> tuple[CriterionInput, ...]:
    first = min((c.alternative for c in criteria if c.alternative), default=0)
    return tuple(c for c in criteria if c.alternative in (0, first))


def _share_of_sentences(usable: list[Unit], chosen: set[int]) -> float:
    """Share of the answer's sentences (by characters) among `chosen` sentence indices."""
    sizes = {u.sentence: len(compact(u.text)) for u in usable if u.whole}
    return sum(size for index, size in sizes.items() if index in chosen) / max(1, sum(sizes.values()))


def _inside(text: str, segments: list[str]) -> bool:
    return any(text in segment for segment in segments)


def _support(scored: list[_Scored]) -> float:
    """Mean raw support over the points (before calibration)."""
    return sum(s.support.value for s in scored) / max(1, len(scored))


def _evidence(scored: list[_Scored], knobs: Knobs) -> float:
    """Mean over the points of their words and meaning weighed together, where meaning alone counts half: an
    answer about another question of the field comes near in meaning, seldom in words."""
    values = [_mixed(knobs, s.support.found_semantic, s.support.found_lexical) for s in scored]
    return sum(values) / max(1, len(values))


def _mixed(knobs: Knobs, meaning: float, lexical: float) -> float:
    """Words and meaning weighed together."""
    return (1 - knobs.lexical) * meaning + knobs.lexical * lexical
