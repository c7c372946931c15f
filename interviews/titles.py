"""The title of a session as the viewer reads it: a practice's title is built now, in the active language."""

from __future__ import annotations

from django.utils.translation import gettext as _

from interviews.models import Session


def session_title(session: Session) -> str:
    """Uses `practice_topics` and `items__question` as prefetched, when they are."""
    kind = session.practice_kind
    if kind == Session.PracticeKind.TOPICS:
        label = ", ".join(topic.name for topic in session.practice_topics.all())
    elif kind == Session.PracticeKind.MIX:
        label = _("random mix")
    elif kind == Session.PracticeKind.QUESTION:
        items = list(session.items.all())
        label = items[0].question.title if items and items[0].question else ""
    elif kind == Session.PracticeKind.REVIEW:
        return _("Spaced review")
    else:
        return session.title
    return _("Practice: %(label)s") % {"label": label}
