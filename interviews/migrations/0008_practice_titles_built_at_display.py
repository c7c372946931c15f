"""Practice sessions made before titles were built at display time: their stored "练习: 注意力机制" becomes
practice_kind + practice_topics (and a blank title), so that it reads in the viewer's language. A title that
does not parse (an edited one) is left as it is."""

from django.db import migrations

PREFIXES = ("练习: ", "Practice: ")
MIX = {"随机组合", "random mix"}


def titles_to_kinds(apps, schema_editor):
    Session = apps.get_model("interviews", "Session")
    Topic = apps.get_model("questionbank", "Topic")
    topics = {}
    for topic in Topic.objects.all():
        topics[topic.name_zh] = topic
        topics[topic.name_en] = topic
    for session in Session.objects.filter(kind="practice", practice_kind="").iterator():
        prefix = next((p for p in PREFIXES if session.title.startswith(p)), None)
        if prefix is None:
            continue
        label = session.title[len(prefix) :]
        if label in MIX:
            session.practice_kind, session.title = "mix", ""
            session.save(update_fields=["practice_kind", "title"])
            continue
        names = label.split(", ")
        if all(name in topics for name in names):
            session.practice_kind, session.title = "topics", ""
            session.save(update_fields=["practice_kind", "title"])
            session.practice_topics.set([topics[name] for name in names])


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0007_answer_enqueue_failed_at"),
        ("questionbank", "0004_labels_history_proposed_points"),
    ]

    operations = [migrations.RunPython(titles_to_kinds, migrations.RunPython.noop)]
