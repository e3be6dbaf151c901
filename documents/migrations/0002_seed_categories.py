"""The usual kinds of account document (the issue's list), in English and German."""

from django.db import migrations

# (order, English, German)
CATEGORIES = [
    (10, "Contract", "Vertrag"),
    (20, "Offer", "Angebot"),
    (30, "Price list", "Preisliste"),
    (40, "Presentation", "Präsentation"),
    (50, "Workshop", "Workshop"),
    (60, "Customer news", "Kundennachrichten"),
    (90, "Other", "Sonstiges"),
]


def seed(apps, schema_editor):
    DocumentCategory = apps.get_model("documents", "DocumentCategory")
    for order, name_en, name_de in CATEGORIES:
        DocumentCategory.objects.update_or_create(
            name_en=name_en, defaults={"name_de": name_de, "order": order}
        )


def unseed(apps, schema_editor):
    DocumentCategory = apps.get_model("documents", "DocumentCategory")
    DocumentCategory.objects.filter(
        name_en__in=[name for _order, name, _de in CATEGORIES], documents__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("documents", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
