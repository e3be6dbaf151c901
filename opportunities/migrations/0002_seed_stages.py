"""The usual stages of a B2B deal, with their default probabilities, in English and German."""

from django.db import migrations

# (order, English, German, default probability in per cent)
STAGES = [
    (10, "Qualify", "Qualifizieren", 10),
    (20, "Develop", "Entwickeln", 30),
    (30, "Propose", "Angebot", 50),
    (40, "Negotiate", "Verhandeln", 75),
]


def seed(apps, schema_editor):
    OpportunityStage = apps.get_model("opportunities", "OpportunityStage")
    for order, name_en, name_de, probability in STAGES:
        OpportunityStage.objects.update_or_create(
            name_en=name_en,
            defaults={"name_de": name_de, "order": order, "default_probability": probability},
        )


def unseed(apps, schema_editor):
    OpportunityStage = apps.get_model("opportunities", "OpportunityStage")
    OpportunityStage.objects.filter(name_en__in=[s[1] for s in STAGES]).delete()


class Migration(migrations.Migration):
    dependencies = [("opportunities", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
