"""The offline judge's global knobs: one setting for every question, never one per question."""

from __future__ import annotations

from dataclasses import dataclass


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
