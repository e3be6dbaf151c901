"""The user's content type follows the model, so admin history and permissions keep pointing at it."""

from django.db import migrations


def move_content_type(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    if not content_types.filter(app_label="users", model="user").exists():
        content_types.filter(app_label="profiles", model="user").update(app_label="users")


def move_back(apps, schema_editor):
    content_types = apps.get_model("contenttypes", "ContentType").objects
    if not content_types.filter(app_label="profiles", model="user").exists():
        content_types.filter(app_label="users", model="user").update(app_label="profiles")


class Migration(migrations.Migration):
    dependencies = [
        ("users", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(move_content_type, move_back)]
