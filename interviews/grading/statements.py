"""What each statement of an answer says before it is weighed against any point: wrong against a reference
(a negation, an antonym or a swapped concept of a statement it rewords), word salad, or about another of the
things a question compares, complexities or results. Statements are the answer's units (clauses.py); their
vectors come from `unit_vectors`."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

import numpy as np

from interviews.grading import semantic
from interviews.grading.clauses import Unit, sentence_label
from interviews.grading.compared import named, point_subjects
from interviews.grading.contradiction import contradicts, swapped_concept
from interviews.grading.formulas import same_quantity
from interviews.grading.knobs import Knobs
from interviews.grading.prepared import Point, Prepared
from interviews.grading.text import words


def wrong_units(
    alternatives: list[Prepared], usable: list[Unit], vectors: np.ndarray, knobs: Knobs
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
            if _aligned(unit.text, prepared.statements[j], float(similarity[i, j]), knobs)
        ]
        sentence = vectors[sentence_of.get(unit.sentence, i)]  # its own when the sentence was set aside
        if aligned and all(
            (
                contradicts(unit.claim, prepared.statement_claims[j])
                and (unit.whole or _same_sentence_topic(prepared, j, sentence, knobs))
            )
            or swapped_concept(unit.claim, prepared.statement_claims[j], prepared.vocabulary, subject)
            for prepared, j in aligned
        ):
            wrong.add(i)
    return wrong


@dataclass(frozen=True)
class SaladUnits:
    sentences: frozenset[int]  # sentences (by index) that are salad, in every piece of them
    clauses: frozenset[int]  # clauses (by index in the units) that are salad, in a sentence that is not


def salad(usable: list[Unit], alternatives: list[Prepared]) -> SaladUnits:
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
    return SaladUnits(sentences, clauses)


def about_something_else(
    point: Point, complexities: frozenset[str], quantities: frozenset[str], subjects: frozenset[str]
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


def subjects(usable: list[Unit], compared: frozenset[str]) -> list[frozenset[str]]:
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


def unit_vectors(usable: list[Unit]) -> np.ndarray:
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


def _same_sentence_topic(prepared: Prepared, statement: int, sentence: np.ndarray, knobs: Knobs) -> bool:
    """No other reference sentence is clearly nearer the answer's sentence than the one the statement is part
    of: a clause speaks of its sentence's subject. "对链表进行增删时，元素不需要移动" is nearest the
    reference's sentence on linked lists, and its clause "元素不需要移动" does not deny the sentence on
    arrays, "（在数组中）需要移动大量元素"."""
    similarity = prepared.sentence_vectors @ sentence
    own = float(similarity[prepared.statement_sentences[statement]])
    return float(similarity.max()) - own <= knobs.other_sentence
