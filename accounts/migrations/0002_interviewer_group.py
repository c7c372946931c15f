from django.db import migrations

INTERVIEWER_GROUP = "interviewer"


def create_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.get_or_create(name=INTERVIEWER_GROUP)


def delete_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=INTERVIEWER_GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_group, delete_group)]
