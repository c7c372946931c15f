"""Importing questions from documents: a preview of what would happen, then the same plan applied at once.

Nothing is written until `import_apply`, which writes the whole plan in one transaction. New questions arrive
as drafts; where a document gives no rubric, points are proposed from the answer's own bullet points (and
wrong claims from the contrasts and 误区 it states) and marked `proposed` for an admin to accept. A prompt the
same as, or nearly the same as, one already in the bank (or earlier in the same file) is skipped as a
duplicate: Chinese has no spaces, so prompts are compared by their character bigrams.
"""

from __future__ import annotations

import hashlib
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import partial

from django.db import transaction
from django.utils.translation import gettext as _

from questionbank.bank_files import SUGGESTED_SECONDS, CriterionSpec, QuestionSpec
from questionbank.exports import question_draft
from questionbank.forms import RUBRIC_TOTAL
from questionbank.importers.types import SLUG, Draft, DraftMisconception, DraftPoint, LineError, ParseResult
from questionbank.models import Misconception, Question, RubricCriterion, Topic
from questionbank.services import content_fingerprint, question_content_write, question_spec, rubric_sync
from questionbank.signals import questions_imported

CREATE, UPDATE, UNCHANGED, DUPLICATE = "create", "update", "unchanged", "duplicate"
_NOT_WORD = re.compile(r"[\W_]+")
_BULLET = re.compile(r"^(?:[•\-*·]|\d{1,2}[.、)）])\s*(\S.*)$")
_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9\-]{2,}")
_LABEL = re.compile(r"^([^:：,，。]{2,24})[:：]")
# A wrong claim the answer itself names: "不是 X，而是 Y", "Y，而不是 X", "not X but Y", "rather than X", or
# "误区：X". Bare 错误 / "not" say too much else (错误率, "not easy") to count.
_WRONG_CLAIM = re.compile(
    r"(?:不是|并非)\s*(?P<a>[^，,。；;！？]{2,40}?)\s*[，,]?\s*而是"
    r"|而(?:不是|非)\s*(?P<b>[^，,。；;！？]{2,40})"
    r"|\bnot\s+(?P<c>[^,.;!?]{3,60}?),?\s+but\b"
    r"|\brather than\s+(?P<d>[^,.;!?]{3,60})"
    r"|(?:误区|误解|常见错误|misconceptions?|common mistakes?)\s*(?:是|is|are)?\s*[:：]\s*(?:认为)?"
    r"(?P<e>[^。；;！？]{2,80})",
    re.IGNORECASE,
)
MAX_PROPOSED_MISCONCEPTIONS = 4


@dataclass
class PlanRow:
    draft: Draft
    action: str
    # The question it updates, or the prompt it duplicates.
    existing: Question | None = None
    duplicate_of: str = ""
    similarity: float = 0.0

    @property
    def proposed(self) -> bool:
        return self.action == CREATE and not self.draft.rubric

    @property
    def rubric(self) -> list[DraftPoint]:
        """The rubric the question would have: the document's, or the one proposed from its answer."""
        return self.draft.rubric or (proposed_rubric(self.draft) if self.action == CREATE else [])


@dataclass
class ImportPlan:
    rows: list[PlanRow] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)
    # Shown, not blocking: e.g. a Moodle category that is no topic of the bank.
    warnings: list[LineError] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def _bigrams(text: str) -> set[str]:
    compact = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())
    return {compact[i : i + 2] for i in range(len(compact) - 1)} or {compact}


def prompt_similarity(a: str, b: str) -> float:
    """Jaccard similarity of the prompts' character bigrams, or a short one nearly contained in a long one."""
    x, y = _bigrams(a), _bigrams(b)
    return _similarity(len(x & y), len(x), len(y))


def _similarity(shared: int, size_a: int, size_b: int) -> float:
    """`prompt_similarity` from the counts of bigrams: shared, and of each prompt."""
    union = size_a + size_b - shared
    jaccard = shared / union if union else 0.0
    shorter = min(size_a, size_b)
    contained = shared / shorter if shorter >= 4 else 0.0
    return max(jaccard, contained if contained >= CONTAINED_AT else 0.0)


def _prefix(size: int, threshold: float) -> int:
    """How many of a prompt's bigrams, in the index's order, another prompt must share one of to have at least
    `threshold` of them (the prefix filter of set-similarity joins)."""
    return size - math.ceil(threshold * size - 1e-9) + 1


class _PromptIndex:
    """Prompts by their bigrams, to find a new prompt's duplicate without comparing it with every prompt (a
    preview of 1,500 rows took 22 s that way).

    Bigrams are ordered rarest first. Prompts with a Jaccard similarity of at least DUPLICATE_AT share one of
    the first bigrams of each (the Jaccard prefix); a prompt with CONTAINED_AT of its bigrams in another
    shares one of its own first ones with it (the containment prefix). Only those candidates are compared.
    """

    def __init__(self, prompts: Iterable[str], upcoming: Iterable[str] = ()) -> None:
        known = list(prompts)
        frequency = Counter(g for prompt in [*known, *upcoming] for g in _bigrams(prompt))
        self.rank = {gram: (count, gram) for gram, count in frequency.items()}
        self.prompts: list[str] = []
        self.grams: list[set[str]] = []
        self.by_any: dict[str, list[int]] = defaultdict(list)
        self.by_contained: dict[str, list[int]] = defaultdict(list)
        self.by_jaccard: dict[str, list[int]] = defaultdict(list)
        for prompt in known:
            self.add(prompt)

    def _ordered(self, grams: set[str]) -> list[str]:
        return sorted(grams, key=lambda gram: self.rank.get(gram, (0, gram)))

    def add(self, prompt: str) -> None:
        grams = _bigrams(prompt)
        ordered, index = self._ordered(grams), len(self.prompts)
        for gram in grams:
            self.by_any[gram].append(index)
        for gram in ordered[: _prefix(len(ordered), CONTAINED_AT)]:
            self.by_contained[gram].append(index)
        for gram in ordered[: _prefix(len(ordered), DUPLICATE_AT)]:
            self.by_jaccard[gram].append(index)
        self.prompts.append(prompt)
        self.grams.append(grams)

    def duplicate_of(self, prompt: str) -> tuple[str, float]:
        """The most similar prompt at DUPLICATE_AT or more (of equal ones, the first added); else ("", 0)."""
        grams = _bigrams(prompt)
        ordered = self._ordered(grams)
        candidates: set[int] = set()
        for gram in ordered[: _prefix(len(ordered), CONTAINED_AT)]:  # this prompt, in another
            candidates.update(self.by_any.get(gram, ()))
        for gram in grams:  # another prompt, in this one
            candidates.update(self.by_contained.get(gram, ()))
        for gram in ordered[: _prefix(len(ordered), DUPLICATE_AT)]:
            candidates.update(self.by_jaccard.get(gram, ()))
        scored = (
            (_similarity(len(grams & self.grams[i]), len(grams), len(self.grams[i])), -i) for i in candidates
        )
        score, first = max(scored, default=(0.0, 0))
        return (self.prompts[-first], score) if score >= DUPLICATE_AT else ("", 0.0)


DUPLICATE_AT = 0.6
CONTAINED_AT = 0.9  # a short prompt with this share of its bigrams in a longer one is a duplicate too


def import_preview(parsed: ParseResult) -> ImportPlan:
    """What importing would do: create, update (bank YAML naming an existing slug) or skip a duplicate."""
    plan = ImportPlan(errors=list(parsed.errors), warnings=list(parsed.warnings))
    existing = {q.slug: q for q in Question.objects.prefetch_related("topics", "rubric", "misconceptions")}
    known_topics = set(Topic.objects.values_list("slug", flat=True))
    index = _PromptIndex((q.prompt for q in existing.values()), (d.prompt for d in parsed.drafts))
    slugs: dict[str, int] = {}
    for draft in parsed.drafts:
        if problem := _draft_problem(draft):
            plan.errors.append(LineError(draft.line, problem))
            continue
        if draft.slug and not SLUG.match(draft.slug):
            plan.errors.append(
                LineError(
                    draft.line,
                    _("slug %(slug)s: use lower-case letters, digits and hyphens") % {"slug": draft.slug},
                )
            )
            continue
        if draft.slug in slugs:
            plan.errors.append(
                LineError(
                    draft.line,
                    _("slug %(slug)s is used twice (line %(line)d)")
                    % {"slug": draft.slug, "line": slugs[draft.slug]},
                )
            )
            continue
        if draft.slug:
            slugs[draft.slug] = draft.line
        unknown = [topic for topic in draft.topics if topic not in known_topics]
        if unknown:
            plan.warnings.append(
                LineError(
                    draft.line, _("unknown topics left out: %(topics)s") % {"topics": ", ".join(unknown)}
                )
            )
        if draft.slug and draft.slug in existing:
            question = existing[draft.slug]
            action = UNCHANGED if draft_matches(question, draft) else UPDATE
            plan.rows.append(PlanRow(draft, action, existing=question))
            continue
        best, score = index.duplicate_of(draft.prompt)
        if score >= DUPLICATE_AT:
            plan.rows.append(PlanRow(draft, DUPLICATE, duplicate_of=best, similarity=score))
        else:
            plan.rows.append(PlanRow(draft, CREATE))
        index.add(draft.prompt)
    # In the file's order, whichever parser or check found them.
    plan.errors.sort(key=lambda e: e.line)
    plan.warnings.sort(key=lambda e: e.line)
    return plan


def _draft_problem(draft: Draft) -> str:
    """What the bank's rows would refuse in a draft the document's format allowed; "" when nothing."""
    low, high = SUGGESTED_SECONDS
    if not low <= draft.suggested_seconds <= high:
        return _("suggested time %(value)d s: give between %(low)d and %(high)d seconds") % {
            "value": draft.suggested_seconds,
            "low": low,
            "high": high,
        }
    if draft.language not in Question.Language.values:
        return _("language %(value)s is not one of %(choices)s") % {
            "value": draft.language,
            "choices": ", ".join(Question.Language.values),
        }
    for number, point in enumerate(draft.rubric, 1):
        if point.points < 1:
            return _("rubric point %(n)d is worth %(points)d: a point is worth at least 1") % {
                "n": number,
                "points": point.points,
            }
    return ""


def draft_matches(question: Question, draft: Draft) -> bool:
    """Whether importing the draft would change nothing: compared on what the draft's format carries."""
    if draft.spec is not None:
        topics = [t.slug for t in question.topics.all()]
        return content_fingerprint(_content_of(draft.spec, question), draft.topics) == content_fingerprint(
            question_spec(question), topics
        )
    current = question_draft(question)
    same = (
        current.prompt == draft.prompt
        and current.reference_answer == draft.reference_answer
        and current.difficulty == draft.difficulty
    )
    if draft.topics:
        same = same and sorted(current.topics) == sorted(draft.topics)
    if draft.rubric:
        same = same and current.rubric == draft.rubric
    return same


def proposed_rubric(draft: Draft) -> list[DraftPoint]:
    """Rubric points from the answer's own outermost bullet points (else its sentences), at most five, worth
    10 together; a point's term is its label (`ReLU: …`) or its first Latin word the prompt does not use."""
    bullets = [
        (len(line) - len(line.lstrip()), m.group(1).strip())
        for line in draft.reference_answer.splitlines()
        if (m := _BULLET.match(line.strip()))
    ]
    outermost = min((indent for indent, _ in bullets), default=0)
    items = [text for indent, text in bullets if indent == outermost]
    if len(items) < 2:
        items = [s for s in _sentences(draft.reference_answer) if not s.endswith((":", "："))]
    items = items[:5] or [draft.reference_answer[:200]]
    shares = [RUBRIC_TOTAL // len(items)] * len(items)
    for i in range(RUBRIC_TOTAL - sum(shares)):
        shares[i] += 1
    prompt = _NOT_WORD.sub("", draft.prompt.lower())
    points = []
    for item, share in zip(items, shares, strict=True):
        label = _LABEL.match(item)
        candidates = [label.group(1).strip()] if label else _LATIN.findall(item)
        terms = [c for c in candidates if _NOT_WORD.sub("", c.lower()) not in prompt][:1]
        points.append(DraftPoint(description=item[:300], points=share, terms=terms))
    return points


def proposed_misconceptions(draft: Draft, rubric: list[DraftPoint]) -> list[DraftMisconception]:
    """Wrong claims the answer names itself (at most four), each against the rubric point whose text is
    nearest the sentence; the claim is the sentence, its phrasing the wrong part."""
    found = []
    for sentence in _sentences(draft.reference_answer):
        bullet = _BULLET.match(sentence)
        sentence = bullet.group(1) if bullet else sentence
        match = _WRONG_CLAIM.search(sentence)
        if not match:
            continue
        wrong = next(group for group in match.groups() if group).strip()
        nearest = max(range(len(rubric)), key=lambda i: prompt_similarity(sentence, rubric[i].description))
        found.append(DraftMisconception(claim=sentence[:300], phrasings=[wrong], contradicts=nearest + 1))
    return found[:MAX_PROPOSED_MISCONCEPTIONS]


def _sentences(text: str) -> list[str]:
    """The text's sentences and lines (a bullet's first sentence keeps its mark)."""
    return [s.strip() for s in re.split(r"(?<=[。！？.!?])|\n", text) if s.strip()]


@transaction.atomic
def import_apply(plan: ImportPlan) -> list[Question]:
    """Write the plan: drafts created, named questions updated (from the bank's YAML), duplicates skipped.
    Once it commits, `questions_imported` names the drafts with a proposed rubric (an LLM may propose a better
    one)."""
    written = []
    proposed_ids = []
    topics = {t.slug: t for t in Topic.objects.all()}
    for row in plan.rows:
        draft = row.draft
        if row.action == UPDATE and row.existing is not None:
            _update(row.existing, draft, topics)
            written.append(row.existing)
        elif row.action == CREATE:
            written.append(_create(draft, topics))
            if row.proposed:
                proposed_ids.append(written[-1].pk)
    if proposed_ids:
        transaction.on_commit(partial(questions_imported.send, sender=Question, proposed_ids=proposed_ids))
    return written


def _create(draft: Draft, topics: dict[str, Topic]) -> Question:
    question = Question.objects.create(
        slug=draft.slug or _slug(draft.prompt),
        prompt=draft.prompt,
        reference_answer=draft.reference_answer,
        difficulty=draft.difficulty,
        language=draft.language,
        suggested_seconds=draft.suggested_seconds,
        sources=draft.sources,
        status=Question.Status.DRAFT,
    )
    question.topics.set([topics[s] for s in draft.topics if s in topics])
    proposed = not draft.rubric
    rubric = draft.rubric or proposed_rubric(draft)
    criteria = [
        RubricCriterion.objects.create(
            question=question,
            order=order,
            description=p.description,
            points=p.points,
            terms=p.terms,
            proposed=proposed,
        )
        for order, p in enumerate(rubric)
    ]
    given = bool(draft.misconceptions)
    misconceptions = draft.misconceptions or (proposed_misconceptions(draft, rubric) if proposed else [])
    for order, m in enumerate(misconceptions):
        Misconception.objects.create(
            question=question,
            order=order,
            claim=m.claim,
            phrasings=m.phrasings,
            criterion=criteria[m.contradicts - 1],
            proposed=not given,
        )
    return question


def _update(question: Question, draft: Draft, topics: dict[str, Topic]) -> None:
    """The bank's YAML says all of a question; other formats change what they carry and keep the rest."""
    chosen = [topics[s] for s in draft.topics if s in topics]
    if draft.spec is not None:
        question_content_write(question, _content_of(draft.spec, question), chosen)
        return
    for name in ("prompt", "reference_answer", "difficulty", "language", "suggested_seconds"):
        setattr(question, name, getattr(draft, name))
    question.save()
    if chosen:
        question.topics.set(chosen)
    if draft.rubric:
        specs = [
            CriterionSpec.model_construct(description=p.description, points=p.points, terms=p.terms)
            for p in draft.rubric
        ]
        rubric_sync(question, list(question.rubric.all()), specs)


def _content_of(spec: QuestionSpec, question: Question) -> QuestionSpec:
    """What an import may change of a question: publishing is the admin's, with its checks, so the question's
    status stays whatever the file says."""
    return spec.model_copy(update={"status": question.status})


def _slug(prompt: str) -> str:
    return "imported-" + hashlib.sha256(prompt.encode()).hexdigest()[:10]
