"""Seed the team roles from the handbook and the buying-centre roles."""

from django.db import migrations

TEAM_ROLES = [
    # code, English, German, description EN, description DE, national, lead, order
    ("gkam", "GKAM", "GKAM", "Global key account manager", "Globaler Key Account Manager",
     False, True, 10),
    ("nkam", "NKAM", "NKAM", "National key account manager for one country",
     "Nationaler Key Account Manager für ein Land", True, True, 20),
    ("inside-sales", "Inside sales", "Innendienst", "Order handling, quotes and customer service",
     "Auftragsabwicklung, Angebote und Kundenservice", False, False, 30),
    ("management", "Management", "Management", "Signs framework contracts",
     "Unterzeichnet Rahmenverträge", False, False, 40),
    ("engineering", "Engineering", "Engineering", "Technical expertise for the customer",
     "Technische Expertise für den Kunden", False, False, 50),
]

BUYING_ROLES = ["user", "influencer", "buyer", "decider", "gatekeeper", "initiator", "approver"]


def seed(apps, schema_editor):
    TeamRole = apps.get_model("accounts", "TeamRole")
    BuyingCentreRole = apps.get_model("accounts", "BuyingCentreRole")
    for code, en, de, desc_en, desc_de, national, lead, order in TEAM_ROLES:
        TeamRole.objects.update_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_de": de,
                "description_en": desc_en,
                "description_de": desc_de,
                "is_national": national,
                "grants_lead": lead,
                "order": order,
            },
        )
    for order, code in enumerate(BUYING_ROLES):
        BuyingCentreRole.objects.update_or_create(code=code, defaults={"order": order})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
