"""Whether an answer is about its question: off topic (another question's answer) and padding (text off the
question, as long as a whole answer). Read from the answer's statements (see clauses.py) and their embeddings
against what one reference and its points are about (prepared.py)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import numpy as np

from interviews.grading.clauses import Unit
from interviews.grading.knobs import Knobs
from interviews.grading.prepared import Prepared
from interviews.grading.text import compact, is_chinese, normalise, tokens
from interviews.grading.types import JudgeInput


def related(
    prepared: Prepared, usable: list[Unit], vectors: np.ndarray, knobs: Knobs, cosine: float | None = None
) -> list[bool]:
    """Statements from `cosine` (default: the `related` knob) with what the question is about, or mostly
    in its vocabulary."""
    if not usable:
        return []
    closeness = (vectors @ prepared.context_vectors.T).max(axis=1)
    at = knobs.related if cosine is None else cosine
    return [
        bool(c >= at) or _known_share(u.text, prepared.vocabulary) >= 0.3
        for u, c in zip(usable, closeness, strict=True)
    ]


def off_topic(
    judge_input: JudgeInput, prepared: Prepared, usable: list[Unit], vectors: np.ndarray, knobs: Knobs
) -> bool:
    """Mostly about something else, or partly so and what is related is far from the reference; or in the
    question's language but hardly in its words."""
    share = 1 - _unrelated_characters(usable, related(prepared, usable, vectors, knobs)) / max(
        1, len(compact(judge_input.answer))
    )
    sentences = vectors[[i for i, u in enumerate(usable) if u.whole]]
    close = sentences[(sentences @ prepared.context_vectors.T).max(axis=1) >= knobs.related]
    cosine = _cosine(close, prepared.reference_vector)
    return (
        (share < knobs.off_topic_related and cosine < knobs.off_topic_close)
        or (cosine < knobs.off_topic and share < knobs.off_topic_mixed)
        or _off_vocabulary(judge_input, knobs)
    )


def padded(prepared: Prepared, usable: list[Unit], vectors: np.ndarray, answer: str, knobs: Knobs) -> bool:
    """Padding: text off the question, as long as a whole answer (the reference) or longer, or a
    paragraph or more near none of the reference's statements and points. Another topic's answer of the
    same field is near the question's context as a whole (the encoder puts a field's sentences close
    together), but not near what this reference says. A phrase or a sentence in other words than the
    question's ("优点：", "因为除了根结点外。") is no padding, however short the answer around it."""
    if not usable:
        return False
    whole = len(compact(answer))
    off_question = _unrelated_characters(usable, _on_question(prepared, usable, vectors, knobs))
    if off_question > knobs.filler_share * whole and off_question >= min(knobs.filler_chars, prepared.length):
        return True
    near = [bool(n) for n in (vectors @ prepared.said_vectors.T).max(axis=1) >= knobs.filler_far]
    far = _unrelated_characters(usable, near)
    return far >= knobs.filler_chars and far > knobs.filler_share * whole


def characters(words: Iterable[str]) -> int:
    return sum(len(w) for w in words)


def _on_question(prepared: Prepared, usable: list[Unit], vectors: np.ndarray, knobs: Knobs) -> list[bool]:
    """Statements about this question, stricter than `related`: padding from the same field (another
    question's answer) is near enough to the question's context to count as related, yet it uses none
    of the words of its prompt and comes less near."""
    near = related(prepared, usable, vectors, knobs, knobs.filler_related)
    return [
        close or not prepared.question_tokens.isdisjoint(tokens(u.text))
        for u, close in zip(usable, near, strict=True)
    ]


def _off_vocabulary(judge_input: JudgeInput, knobs: Knobs) -> bool:
    """Written in the question's language but hardly in its words: about another question.

    Sentence embeddings hardly tell two questions of the same field apart; their vocabularies do. An
    answer in another language than the reference is left to the embeddings.
    """
    answer = judge_input.answer
    if is_chinese(answer) != is_chinese(judge_input.reference):
        return False
    vocabulary = _vocabulary(
        (judge_input.question, *judge_input.references, *(c.description for c in judge_input.criteria))
    )
    said = tokens(normalise(answer))
    weight = characters(said)
    known = characters(t for t in said if t in vocabulary)
    return weight >= knobs.off_topic_words and known / weight < knobs.off_topic_vocabulary


@lru_cache(maxsize=256)
def _vocabulary(texts: tuple[str, ...]) -> frozenset[str]:
    """Every content word of the question, its references and its rubric: what an answer about it uses.

    Cached by those texts, not by the judge input, which holds the answer and so never repeats.
    """
    return frozenset(t for text in texts for t in tokens(text))


def _cosine(vectors: np.ndarray, unit: np.ndarray) -> float:
    """Cosine of the sum of some statement vectors with a unit vector (0 for none)."""
    total = vectors.sum(axis=0)
    return float(total @ unit / (np.linalg.norm(total) or 1.0)) if len(vectors) else 0.0


def _unrelated_characters(usable: list[Unit], related: list[bool]) -> int:
    """Characters of the answer in whole sentences not related to the question."""
    return sum(len(compact(u.text)) for u, r in zip(usable, related, strict=True) if u.whole and not r)


def _known_share(text: str, vocabulary: frozenset[str]) -> float:
    said = tokens(normalise(text))
    return sum(t in vocabulary for t in said) / len(said) if said else 0.0
