"""The offline judge: grades an answer claim by claim against the rubric, with no network and no LLM.

For each rubric point, every statement of the answer (sentence or clause, see clauses.py) is scored for
support:
lexical evidence (the point's accepted terms, the key words of its description) and meaning (sentence-
embedding
similarity with the description and the reference statements it comes from, see semantic.py). A statement
earns
nothing when it explains nothing (a bare list of terms, words copied from the question), when it is word salad
(fluency.py), when it addresses the grader (injection.py), or when it contradicts the reference statement it
matches or states a known misconception (contradiction.py): then the point cannot be met from it and the wrong
claim is reported. A point's support is its best statement's; calibration.py maps it onto the human scale and
thresholds turn it into met / partial / missed, whose points (types.points_for) add up to the total.

Several reference answers are alternatives: the answer is graded against each and the best-matching one is
kept. A judgement question ("判断以下叙述是否正确") has a reference that opens with its verdict (正确 /
错误): an answer opening with the opposite verdict gets its main claim wrong and meets no point, whatever it
explains next.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from difflib import SequenceMatcher
from functools import lru_cache

import numpy as np

from interviews.grading import semantic
from interviews.grading.calibration import Calibration
from interviews.grading.clauses import (
    Unit,
    explains,
    repeated_frames,
    sentence_label,
    statement_units,
    units,
)
from interviews.grading.compared import compared_items, named, point_subjects
from interviews.grading.contradiction import (
    complexities,
    contradicts,
    denies_ability,
    only_verdict,
    retracts,
    stated_verdict,
    states,
    swapped_concept,
    verdict,
)
from interviews.grading.feedback import feedback
from interviews.grading.fluency import ReferenceText
from interviews.grading.formulas import quantities, same_quantity
from interviews.grading.injection import find_injection, looks_injected
from interviews.grading.text import (
    compact,
    is_chinese,
    normalise,
    sentences,
    term_found,
    token_recall,
    tokens,
    words,
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

ALGORITHM = "offline-52"


@dataclass(frozen=True)
class Knobs:
    """The global knobs, set on the ADS development set as a whole (never per question)."""

    semantic_low: float = 0.25  # cosine at which meaning starts to count as support
    semantic_high: float = 0.8  # cosine of a statement that says the same thing
    lexical: float = 0.5  # weight of lexical evidence in a statement's support (the rest is meaning)
    term: float = 0.9  # lexical evidence of one accepted term of the point
    recall_floor: float = 0.1  # description key-word recall below this is chance overlap
    words_about_low: float = 0.3  # lexical evidence counts nothing in a statement below this cosine with the
    words_about_high: float = 0.45  # point's claims (a term said about something else), fully from this one
    named_recall: float = 0.4  # ... or with one of its terms and this recall of its description's key words
    named_length: int = 3  # ... in a statement at most this many times as long as the description
    met: float = 0.7  # calibrated support from which a point is met
    partial: float = 0.5  # ... partly met
    reworded: float = 0.8  # cosine from which a statement rewords the reference statement nearest to it
    aligned_cosine: float = 0.5  # ... or, from this cosine, if it shares this share of its words in order:
    aligned_words: float = 0.7
    contradiction: float = 1.01  # (off) support from which a statement loosely about the point contradicts it
    about: float = 0.6  # support from which a wrong statement is about the point (and so contradicts it)
    related: float = 0.3  # a statement below this cosine with everything the question is about is unrelated
    filler_share: float = 0.2  # text not on the question above this share of the answer is flagged filler
    filler_related: float = 0.35  # on the question: from this cosine with it, or with a word of its prompt
    filler_far: float = 0.4  # ... and padding of the same field: text below this cosine with every statement
    filler_chars: int = 150  # of the reference and every point, over `filler_share` and this many characters
    off_topic_related: float = 0.5  # an answer with less than this share of its text related,
    off_topic_close: float = (
        0.62  # ... and that related text below this cosine with the reference, is off topic;
    )
    off_topic: float = 0.45  # and so is one whose related sentences are below this cosine with the reference
    off_topic_mixed: float = 0.75  # ... while less than this share of its text is related
    off_topic_vocabulary: float = 0.3  # an answer with less of its words (by length) in the question's is
    off_topic_words: int = 20  # off topic, once it has this many characters of content words,
    off_topic_support: float = 0.3  # never off topic with mean evidence from this (raw, see _evidence)
    off_topic_least: int = 6  # ... nor with fewer characters of content words than this ("不太清楚。")
    uncertain: float = 0.45  # confidence below this marks the grade uncertain
    unreliable: float = 0.25  # share of the answer's sentences that are wrong from which no point is met
    statement_points: int = 3  # points one statement can support
    other_sentence: float = 0.05  # a clause's sentence this much nearer another reference sentence: no denial
    rival: float = 0.2  # a statement this much nearer another point's claims states that one, not this


@dataclass(frozen=True)
class _Point:
    criterion: CriterionInput
    key_tokens: tuple[str, ...]
    terms: tuple[str, ...]  # accepted terms that the question itself does not already contain
    claims: tuple[str, ...]  # its description and the reference statements closest to it
    only_verdict: bool  # it asks for the verdict and nothing more ("错误"): the same verdict meets it
    complexities: frozenset[str]  # the big-O complexities its description states ("O(1)")
    subjects: frozenset[str]  # the things the question compares that its description names ("双链表")
    quantities: frozenset[str]  # a derived point's result, a quantity the question does not state ("n/2")
    length: int  # its description's characters (compact)


@dataclass
class _Prepared:
    """What one question, one reference and its points give, computed once and reused for every answer."""

    points: list[_Point]
    claim_vectors: list[np.ndarray]  # per point, the vectors of its claims
    context_vectors: (
        np.ndarray
    )  # question, reference statements, descriptions: what the answer should be about
    reference_vector: np.ndarray
    length: int  # the reference's characters (compact): how long a whole answer is
    statements: list[str]  # the reference's statements: what an answer's statement is checked against
    statement_claims: list[str]  # ... and what each asserts (`Unit.claim`)
    statement_vectors: np.ndarray
    statement_sentences: list[int]  # ... and the sentence of the reference each is part of
    sentence_vectors: np.ndarray  # the reference's whole sentences
    said_vectors: np.ndarray  # the reference's statements and every point's claims
    reference_text: ReferenceText
    known_terms: tuple[str, ...]
    compared: frozenset[str]  # the things the question compares (compared.py)
    question_tokens: frozenset[str]  # a statement in no other words than these restates the question,
    question_quantities: frozenset[str]  # ... unless it states a quantity the question does not ("n/2")
    question_denies: bool  # ... or says "cannot" where the question does not ("能否…" → "单链表：不可以")
    vocabulary: frozenset[str]
    verdict: bool | None  # the reference opens with a verdict (正确 / 错误): a judgement question


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


@lru_cache(maxsize=256)
def _prepare(question: str, reference: str, criteria: tuple[CriterionInput, ...]) -> _Prepared:
    prompt = compact(question)
    prompt_tokens = frozenset(tokens(question))
    compared = compared_items(question)
    question_quantities = quantities(question)
    derived = _derived(reference, criteria)
    said = statement_units(reference)
    statements = [u.text for u in said] or [reference]
    # What each statement asserts, with the negation its sentence opened with: what contradiction reads.
    statement_claims = [u.claim for u in said] or [reference]
    statement_vectors = semantic.embed_cached(statements)
    sentence_vectors = semantic.embed_cached([u.text for u in units(reference) if u.whole] or [reference])
    descriptions = [c.description for c in criteria]
    description_vectors = semantic.embed_cached(descriptions)
    points, claim_vectors = [], []
    claim_texts = statements if derived else _claim_sentences(reference)
    claim_text_vectors = semantic.embed_cached(claim_texts)
    # Each reference sentence states the claim of the point it is closest to, and of no other: the sentence
    # on MQA is not a wording of the point on GQA, however near the two are.
    similarity = claim_text_vectors @ description_vectors.T
    closest_point = similarity.argmax(axis=1)
    for index, (criterion, vector) in enumerate(zip(criteria, description_vectors, strict=True)):
        nearest = [i for i in np.argsort(-similarity[:, index]) if closest_point[i] == index][:2]
        claims = (criterion.description, *(claim_texts[i] for i in nearest))
        points.append(
            _Point(
                criterion=criterion,
                key_tokens=tuple(t for t in tokens(criterion.description) if t not in prompt_tokens),
                terms=tuple(t for t in criterion.terms if compact(t) and compact(t) not in prompt),
                claims=claims,
                only_verdict=only_verdict(criterion.description),
                complexities=complexities(criterion.description),
                subjects=point_subjects(criterion.description, compared),
                # A derived point is one clause, and a quantity in it is its result ("…是 n/2"); a rubric's
                # point may name several, written otherwise than the answers that state them ("1/8/23").
                quantities=quantities(criterion.description) - question_quantities
                if derived
                else frozenset(),
                length=len(compact(criterion.description)),
            )
        )
        claim_vectors.append(np.vstack([vector[None, :], claim_text_vectors[nearest]]))
    context = semantic.embed_cached([question, *statements, *descriptions])
    reference_vector = statement_vectors.sum(axis=0)
    known = {t for c in criteria for t in c.terms}
    return _Prepared(
        points=points,
        claim_vectors=claim_vectors,
        context_vectors=context,
        reference_vector=reference_vector / (np.linalg.norm(reference_vector) or 1.0),
        length=len(compact(reference)),
        statements=statements,
        statement_claims=statement_claims,
        statement_vectors=statement_vectors,
        statement_sentences=[u.sentence for u in said] or [0],
        sentence_vectors=sentence_vectors,
        said_vectors=np.vstack([statement_vectors, *claim_vectors]),
        reference_text=ReferenceText([*statements, *descriptions], sentences(reference)),
        known_terms=tuple(known),
        compared=compared,
        question_tokens=prompt_tokens,
        question_quantities=question_quantities,
        question_denies=denies_ability(question),
        vocabulary=frozenset(tokens(reference))
        | frozenset(tokens(question))
        | frozenset(t for d in descriptions for t in tokens(d)),
        verdict=verdict(reference),
    )


def _derived(reference: str, criteria: tuple[CriterionInput, ...]) -> bool:
    """The points are the reference's own clauses (derived.py, no rubric), not written apart from it."""
    whole = compact(reference)
    return all(compact(c.description) in whole for c in criteria)


def _claim_sentences(reference: str) -> list[str]:
    """The reference's units that word points written apart from it (a rubric): its whole sentences that
    state something. A clause or a heading alone ("每个 token 的输出只是跟着换了位置", "相对位置编码：") is
    close to much of what is said in the field, and as the wording of a point it lets unrelated statements
    meet it. Points taken from the reference's own clauses (derived, no rubric) are worded by its clauses."""
    return [s for s in sentences(reference) if explains(s, ())]


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
        unrelated = _share(usable, self._related(prepared, usable, vectors), answer)
        # An answer whose words and meaning support the points is about the question, however little of it
        # the encoder finds near the reference (a terse "错。只有……才成立" to a judgement question); one that
        # says next to nothing ("不太清楚。", "不会") is about nothing else either.
        if (
            usable
            and _evidence(scored, self.knobs) < self.knobs.off_topic_support
            and _characters(tokens(normalise(answer))) >= self.knobs.off_topic_least
            and (
                self._off_topic(prepared, usable, vectors, 1 - unrelated)
                or self._off_vocabulary(judge_input, answer)
            )
        ):
            flags.append(Flag.OFF_TOPIC)
            scored = [s.missed() for s in scored]
        elif self._padded(prepared, usable, vectors, answer):
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
    ) -> tuple[list[Unit], np.ndarray, list[_Scored], _Prepared, float]:
        """Grade against each reference answer (with its points); keep the one that gives most points."""
        usable = [
            u
            for u in units(judge_input.answer)
            if not looks_injected(u.text) and not _inside(u.text, injected)
        ]
        vectors = _unit_vectors(usable)
        alternatives = [
            (_prepare(judge_input.question, reference, criteria), criteria)
            for reference, criteria in _alternatives(judge_input)
        ]
        references = [prepared for prepared, _ in alternatives]
        salad = _salad(usable, references)
        wrong_units = self._wrong_units(references, usable, vectors)
        best: tuple[list[Unit], np.ndarray, list[_Scored], _Prepared, float] | None = None
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
        prepared: _Prepared,
        usable: list[Unit],
        vectors: np.ndarray,
        misconceptions: tuple[MisconceptionInput, ...],
        salad: _SaladUnits,
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
                    self._related(prepared, usable, vectors),
                    strict=True,
                )
            )
        ]
        unit_compact = [compact(u.text) for u in usable]
        unit_complexities = [complexities(u.text) for u in usable]
        unit_subjects = _subjects(usable, prepared.compared)
        stating = [[m for m in misconceptions if states(u.text, m.phrasings)] for u in usable]
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
                if not against and _about_something_else(
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

    def _rivalled(self, point: _Point, text: str, cosine: float, nearest: float) -> bool:
        """The statement states another point's claim, much nearer to it than to this one's, and none of this
        point's accepted terms: "当需要最少比较次数时" does not word the point on the most comparisons."""
        return nearest - cosine > self.knobs.rival and not any(term_found(t, text) for t in point.terms)

    def _support_of(
        self,
        point: _Point,
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
        alternatives = [_prepare(judge_input.question, r, c) for r, c in _alternatives(judge_input)]
        return [
            self._quote_support(alternatives, quote, vector)
            for quote, vector in zip(quotes, vectors, strict=True)
        ]

    def _quote_support(
        self, alternatives: list[_Prepared], quote: str, vector: np.ndarray
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

    def _wrong_units(
        self, alternatives: list[_Prepared], usable: list[Unit], vectors: np.ndarray
    ) -> set[int]:
        """Statements that reword a reference statement and contradict it: a negation it does not have, an
        antonym, or another concept of the reference put in place of the right one.

        Judged against every reference answer: a fact one of them states holds whichever wording the answer
        is graded against, so a statement reversing it is wrong against the others too.
        """
        if not usable:
            return set()
        similarities = [vectors @ prepared.statement_vectors.T for prepared in alternatives]
        split = {u.sentence for u in usable if not u.whole}
        sentence_of = {u.sentence: i for i, u in enumerate(usable) if u.whole}
        labels = {u.sentence: sentence_label(u.text) for u in usable if u.whole}
        compared = alternatives[0].compared  # the question's, the same for every reference
        wrong = set()
        for i, unit in enumerate(usable):
            if unit.whole and unit.sentence in split:
                continue  # judged by its clauses: a sentence of several is wrong when one of them is
            label = "" if unit.whole else labels.get(unit.sentence, "")
            # A compared thing the label names ("GQA：", not "训练效率：") is the subject of a clause that
            # names none itself; "GQA：…，MQA 缩小 h/g 倍" speaks of MQA.
            subject = " ".join(named(label, compared)) if label and not named(unit.text, compared) else ""
            # Wrong when it rewords a reference statement against it and rewords none in agreement: the
            # reference may say "A 支持 X" and "B 不支持 X", and "B 不支持 X" agrees with the second.
            aligned = [
                (prepared, j)
                for prepared, similarity in zip(alternatives, similarities, strict=True)
                for j in np.argsort(-similarity[i])[:3]
                if _aligned(unit.text, prepared.statements[j], float(similarity[i, j]), self.knobs)
            ]
            sentence = vectors[sentence_of.get(unit.sentence, i)]  # its own when the sentence was set aside
            if aligned and all(
                (
                    contradicts(unit.claim, prepared.statement_claims[j])
                    and (unit.whole or _same_sentence_topic(prepared, j, sentence, self.knobs))
                )
                or swapped_concept(unit.claim, prepared.statement_claims[j], prepared.vocabulary, subject)
                for prepared, j in aligned
            ):
                wrong.add(i)
        return wrong

    def _related(
        self, prepared: _Prepared, usable: list[Unit], vectors: np.ndarray, cosine: float | None = None
    ) -> list[bool]:
        """Statements from `cosine` (default: the `related` knob) with what the question is about, or mostly
        in its vocabulary."""
        if not usable:
            return []
        closeness = (vectors @ prepared.context_vectors.T).max(axis=1)
        at = self.knobs.related if cosine is None else cosine
        return [
            bool(c >= at) or _known_share(u.text, prepared.vocabulary) >= 0.3
            for u, c in zip(usable, closeness, strict=True)
        ]

    def _on_question(self, prepared: _Prepared, usable: list[Unit], vectors: np.ndarray) -> list[bool]:
        """Statements about this question, stricter than `_related`: padding from the same field (another
        question's answer) is near enough to the question's context to count as related, yet it uses none
        of the words of its prompt and comes less near."""
        near = self._related(prepared, usable, vectors, self.knobs.filler_related)
        return [
            close or not prepared.question_tokens.isdisjoint(tokens(u.text))
            for u, close in zip(usable, near, strict=True)
        ]

    def _padded(self, prepared: _Prepared, usable: list[Unit], vectors: np.ndarray, answer: str) -> bool:
        """Padding: text off the question, as long as a whole answer (the reference) or longer, or a
        paragraph or more near none of the reference's statements and points. Another topic's answer of the
        same field is near the question's context as a whole (the encoder puts a field's sentences close
        together), but not near what this reference says. A phrase or a sentence in other words than the
        question's ("优点：", "因为除了根结点外。") is no padding, however short the answer around it."""
        k = self.knobs
        if not usable:
            return False
        whole = len(compact(answer))
        off_question = _unrelated_characters(usable, self._on_question(prepared, usable, vectors))
        if off_question > k.filler_share * whole and off_question >= min(k.filler_chars, prepared.length):
            return True
        near = [bool(n) for n in (vectors @ prepared.said_vectors.T).max(axis=1) >= k.filler_far]
        far = _unrelated_characters(usable, near)
        return far >= k.filler_chars and far > k.filler_share * whole

    def _off_topic(
        self, prepared: _Prepared, usable: list[Unit], vectors: np.ndarray, related: float
    ) -> bool:
        """Mostly about something else, or partly so and what is related is far from the reference."""
        k = self.knobs
        sentences = vectors[[i for i, u in enumerate(usable) if u.whole]]
        close = sentences[(sentences @ prepared.context_vectors.T).max(axis=1) >= k.related]
        cosine = _cosine(close, prepared.reference_vector)
        return (related < k.off_topic_related and cosine < k.off_topic_close) or (
            cosine < k.off_topic and related < k.off_topic_mixed
        )

    def _off_vocabulary(self, judge_input: JudgeInput, answer: str) -> bool:
        """Written in the question's language but hardly in its words: about another question.

        Sentence embeddings hardly tell two questions of the same field apart; their vocabularies do. An
        answer in another language than the reference is left to the embeddings.
        """
        if is_chinese(answer) != is_chinese(judge_input.reference):
            return False
        vocabulary = _vocabulary(
            (judge_input.question, *judge_input.references, *(c.description for c in judge_input.criteria))
        )
        said = tokens(normalise(answer))
        weight = _characters(said)
        known = _characters(t for t in said if t in vocabulary)
        return weight >= self.knobs.off_topic_words and known / weight < self.knobs.off_topic_vocabulary

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
    point: _Point
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


@dataclass(frozen=True)
class _SaladUnits:
    sentences: frozenset[int]  # sentences (by index) that are salad, in every piece of them
    clauses: frozenset[int]  # clauses (by index in the units) that are salad, in a sentence that is not


def _salad(usable: list[Unit], alternatives: list[_Prepared]) -> _SaladUnits:
    """Word salad against any of the references: shuffled words of one are salad whichever the answer is
    graded against. A sentence of shuffled words is salad in every piece of it: its clauses, cut wherever a
    shuffled comma fell, are mostly too short to judge their word order on their own."""
    whole = [u for u in usable if u.whole]
    texts = [u.text for u in whole]
    sentences = frozenset(
        whole[i].sentence for prepared in alternatives for i in prepared.reference_text.salad(texts)
    )
    clauses = frozenset(
        i
        for i, u in enumerate(usable)
        if not u.whole
        and u.sentence not in sentences
        and any(prepared.reference_text.is_salad(u.text) for prepared in alternatives)
    )
    return _SaladUnits(sentences, clauses)


def _about_something_else(
    point: _Point, complexities: frozenset[str], quantities: frozenset[str], subjects: frozenset[str]
) -> bool:
    """A statement that states another complexity ("都为 O(n)" for "双链表 O(1)"), another result ("n/2" for
    "(2n+1)/3"; the same value in other writing is the same: "3*(n+1-i)" is "3(n-i+1)") or names only others
    of the things compared ("单链表不可以" for "双链表可以") is about something else than the point."""
    if point.complexities and complexities and not point.complexities & complexities:
        return True
    if (
        point.quantities
        and quantities
        and not any(same_quantity(w, q) for w in point.quantities for q in quantities)
    ):
        return True
    return bool(point.subjects and subjects and not point.subjects & subjects)


def _subjects(usable: list[Unit], compared: frozenset[str]) -> list[frozenset[str]]:
    """The compared things each unit speaks of: those it names, or, for a clause that names none, its
    sentence's subject ("GQA 把查询头分组，组内共享一组 K/V": the second clause is said of GQA, not MQA)."""
    if not compared:
        return [frozenset() for _ in usable]
    of_sentence = {u.sentence: point_subjects(u.text, compared) for u in usable if u.whole}
    return [
        named(u.text, compared) or (frozenset() if u.whole else of_sentence.get(u.sentence, frozenset()))
        for u in usable
    ]


def _aligned(statement: str, reference: str, cosine: float, knobs: Knobs) -> bool:
    """The statement rewords this reference statement: in the same words, mostly, or in the same meaning."""
    if cosine >= knobs.reworded:
        return True
    if cosine < knobs.aligned_cosine:
        return False
    said, meant = words(statement), words(reference)
    return SequenceMatcher(None, said, meant, autojunk=False).ratio() >= knobs.aligned_words


def _unit_vectors(usable: list[Unit]) -> np.ndarray:
    """Embeddings of the units. A sentence of several clauses is the normalised sum of its clauses' vectors
    (the encoder averages over its words, so this is close), which halves the text the model reads."""
    split = {u.sentence for u in usable if not u.whole}
    leaves = [i for i, u in enumerate(usable) if not (u.whole and u.sentence in split)]
    vectors = np.zeros((len(usable), semantic.DIMENSIONS), np.float32)
    if leaves:
        vectors[leaves] = semantic.embed([usable[i].text for i in leaves])
    for i, unit in enumerate(usable):
        if unit.whole and unit.sentence in split:
            parts = [j for j, u in enumerate(usable) if not u.whole and u.sentence == unit.sentence]
            total = vectors[parts].sum(axis=0)
            vectors[i] = total / (np.linalg.norm(total) or 1.0)
    return vectors


def _same_sentence_topic(prepared: _Prepared, statement: int, sentence: np.ndarray, knobs: Knobs) -> bool:
    """No other reference sentence is clearly nearer the answer's sentence than the one the statement is part
    of: a clause speaks of its sentence's subject. "对链表进行增删时，元素不需要移动" is nearest the
    reference's sentence on linked lists, and its clause "元素不需要移动" does not deny the sentence on
    arrays, "（在数组中）需要移动大量元素"."""
    similarity = prepared.sentence_vectors @ sentence
    own = float(similarity[prepared.statement_sentences[statement]])
    return float(similarity.max()) - own <= knobs.other_sentence


def _alternatives(judge_input: JudgeInput) -> list[tuple[str, tuple[CriterionInput, ...]]]:
    """(reference, points) pairs to grade against: one per reference answer, each with its own points."""
    references = [r for r in judge_input.references if r.strip()] or [judge_input.question]
    common = tuple(c for c in judge_input.criteria if c.alternative == 0)
    pairs = []
    for number, reference in enumerate(references, 1):
        own = tuple(c for c in judge_input.criteria if c.alternative == number)
        if own or common:
            pairs.append((reference, common + own))
    return pairs


def _all_missed(criteria: tuple[CriterionInput, ...]) -> list[CriterionResult]:
    chosen = _alternatives_of_first(criteria)
    return [
        CriterionResult(id=c.id, verdict="missed", points=Decimal(0), max_points=Decimal(c.points))
        for c in chosen
    ]


def _alternatives_of_first(criteria: tuple[CriterionInput, ...]) -> tuple[CriterionInput, ...]:
    first = min((c.alternative for c in criteria if c.alternative), default=0)
    return tuple(c for c in criteria if c.alternative in (0, first))


def _cosine(vectors: np.ndarray, unit: np.ndarray) -> float:
    """Cosine of the sum of some statement vectors with a unit vector (0 for none)."""
    total = vectors.sum(axis=0)
    return float(total @ unit / (np.linalg.norm(total) or 1.0)) if len(vectors) else 0.0


def _share_of_sentences(usable: list[Unit], chosen: set[int]) -> float:
    """Share of the answer's sentences (by characters) among `chosen` sentence indices."""
    sizes = {u.sentence: len(compact(u.text)) for u in usable if u.whole}
    return sum(size for index, size in sizes.items() if index in chosen) / max(1, sum(sizes.values()))


def _inside(text: str, segments: list[str]) -> bool:
    return any(text in segment for segment in segments)


def _share(usable: list[Unit], related: list[bool], answer: str) -> float:
    """Share of the answer's characters in whole sentences unrelated to the question."""
    return _unrelated_characters(usable, related) / max(1, len(compact(answer)))


def _unrelated_characters(usable: list[Unit], related: list[bool]) -> int:
    return sum(len(compact(u.text)) for u, r in zip(usable, related, strict=True) if u.whole and not r)


@lru_cache(maxsize=256)
def _vocabulary(texts: tuple[str, ...]) -> frozenset[str]:
    """Every content word of the question, its references and its rubric: what an answer about it uses.

    Cached by those texts, not by the judge input, which holds the answer and so never repeats.
    """
    return frozenset(t for text in texts for t in tokens(text))


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


def _characters(words: Iterable[str]) -> int:
    return sum(len(w) for w in words)


def _known_share(text: str, vocabulary: frozenset[str]) -> float:
    said = tokens(normalise(text))
    return sum(t in vocabulary for t in said) / len(said) if said else 0.0
