"""The handbook's coaching questions, closing its success factors, in English and German."""

from django.db import migrations

# (topic EN, topic DE, question EN, question DE)
QUESTIONS = [
    (
        "Appreciation",
        "Wertschätzung",
        "When did you last thank your team members for their support?",
        "Wann haben Sie sich zuletzt bei Ihren Teammitgliedern für ihre Unterstützung bedankt?",
    ),
    (
        "Involvement",
        "Einbindung",
        "How do you involve your team members in decisions?",
        "Wie beziehen Sie Ihre Teammitglieder in Entscheidungen ein?",
    ),
    (
        "Knowing the team",
        "Das Team kennen",
        "What do you know about your team members: their goals, character and interests?",
        "Was wissen Sie über Ihre Teammitglieder: ihre Ziele, ihren Charakter, ihre Interessen?",
    ),
    (
        "Internal promotion",
        "Interne Vermarktung",
        "What do you do to make the account's importance known inside the company?",
        "Was tun Sie, um die Bedeutung des Kunden im eigenen Unternehmen bekannt zu machen?",
    ),
    (
        "Clear responsibilities",
        "Klare Verantwortlichkeiten",
        "Are tasks, roles and responsibilities in the account team clearly defined?",
        "Sind Aufgaben, Rollen und Verantwortlichkeiten im Account-Team klar definiert?",
    ),
    (
        "Shared plan",
        "Gemeinsamer Plan",
        "Did you work out the key account plan together with the core team?",
        "Haben Sie den Key-Account-Plan gemeinsam mit dem Kernteam erarbeitet?",
    ),
    (
        "Information",
        "Information",
        "Does everyone on the team get the information they need, in a form that is easy "
        "for them?",
        "Erhalten alle im Team die Informationen, die sie brauchen, in einer Form, die es "
        "ihnen leicht macht?",
    ),
    (
        "Meeting in person",
        "Persönliches Treffen",
        "When did the core team last meet in person?",
        "Wann hat sich das Kernteam zuletzt persönlich getroffen?",
    ),
]


def seed(apps, schema_editor):
    CoachingQuestion = apps.get_model("coaching", "CoachingQuestion")
    for order, (topic_en, topic_de, text_en, text_de) in enumerate(QUESTIONS, start=1):
        CoachingQuestion.objects.update_or_create(
            text_en=text_en,
            defaults={
                "text_de": text_de,
                "topic_en": topic_en,
                "topic_de": topic_de,
                "order": order * 10,
            },
        )


def unseed(apps, schema_editor):
    CoachingQuestion = apps.get_model("coaching", "CoachingQuestion")
    CoachingQuestion.objects.filter(text_en__in=[q[2] for q in QUESTIONS]).delete()


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]

    operations = [migrations.RunPython(seed, unseed)]
