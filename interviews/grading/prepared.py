"""What one question, one reference answer and its rubric points give the offline judge: the points' claims,
key words and terms, the reference's statements and their embeddings, the question's vocabulary. Computed once
per (question, reference, points) and reused for every answer."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from interviews.grading import semantic
from interviews.grading.clauses import explains, statement_units, units
from interviews.grading.compared import compared_items, point_subjects
from interviews.grading.contradiction import complexities, denies_ability
from interviews.grading.fluency import ReferenceText
from interviews.grading.formulas import quantities
from interviews.grading.text import compact, sentences, tokens
from interviews.grading.types import CriterionInput, JudgeInput
from interviews.grading.verdicts import only_verdict, verdict


@dataclass(frozen=True)
class Point:
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
class Prepared:
    """What one question, one reference and its points give, computed once and reused for every answer."""

    points: list[Point]
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


@lru_cache(maxsize=256)
def prepare(question: str, reference: str, criteria: tuple[CriterionInput, ...]) -> Prepared:
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
            Point(
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
    return Prepared(
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


def reference_points(judge_input: JudgeInput) -> list[tuple[str, tuple[CriterionInput, ...]]]:
    """(reference, points) pairs to grade against: one per reference answer, each with its own points."""
    references = [r for r in judge_input.references if r.strip()] or [judge_input.question]
    common = tuple(c for c in judge_input.criteria if c.alternative == 0)
    pairs = []
    for number, reference in enumerate(references, 1):
        own = tuple(c for c in judge_input.criteria if c.alternative == number)
        if own or common:
            pairs.append((reference, common + own))
    return pairs
