"""Seed Steven Reiss's 16 life motives, in his order, in English and German.

The handbook's list drops "Beziehungen" (social contact) and names
"Bequemlichkeit" instead; no Reiss source has that, so this follows Reiss.
"""

from django.db import migrations

MOTIVES = [
    # code, English, German, low pole EN, low pole DE, high pole EN, high pole DE
    ("power", "Power", "Macht",
     "Prefers to follow; leaves leading and influence to others.",
     "Folgt lieber; überlässt Führung und Einfluss anderen.",
     "Wants to lead, influence and take responsibility.",
     "Will führen, Einfluss nehmen und Verantwortung tragen."),
    ("independence", "Independence", "Unabhängigkeit",
     "Values closeness and teamwork; relies on others.",
     "Schätzt Nähe und Teamarbeit; verlässt sich auf andere.",
     "Wants autonomy and self-reliance; dislikes depending on others.",
     "Will Autonomie und Selbstständigkeit; mag keine Abhängigkeit."),
    ("curiosity", "Curiosity", "Neugier",
     "Practical; prefers action to theory.",
     "Praktisch veranlagt; handelt lieber, als zu theoretisieren.",
     "Wants knowledge; loves to learn and understand.",
     "Will Wissen; lernt und versteht gern."),
    ("acceptance", "Acceptance", "Anerkennung",
     "Self-confident; copes well with criticism.",
     "Selbstsicher; kommt gut mit Kritik zurecht.",
     "Needs approval; sensitive to criticism and rejection.",
     "Braucht Bestätigung; empfindlich gegenüber Kritik und Ablehnung."),
    ("order", "Order", "Ordnung",
     "Flexible and spontaneous; tolerates mess.",
     "Flexibel und spontan; verträgt Unordnung.",
     "Wants structure, plans and rules.",
     "Will Struktur, Pläne und Regeln."),
    ("saving", "Saving", "Sparen",
     "Generous; spends freely.",
     "Großzügig; gibt gern aus.",
     "Collects and saves; keeps things.",
     "Sammelt und spart; hebt Dinge auf."),
    ("honor", "Honor", "Ehre",
     "Pragmatic; does what serves the purpose.",
     "Pragmatisch; tut, was dem Zweck dient.",
     "Loyal to principles, traditions and duty.",
     "Prinzipien, Traditionen und Pflicht treu."),
    ("idealism", "Idealism", "Idealismus",
     "Realistic; concentrates on their own concerns.",
     "Realistisch; konzentriert sich auf eigene Anliegen.",
     "Wants social justice and to make the world better.",
     "Will soziale Gerechtigkeit und die Welt verbessern."),
    ("social-contact", "Social contact", "Beziehungen",
     "Private; enjoys being alone.",
     "Zurückgezogen; ist gern allein.",
     "Sociable; wants friendship and company.",
     "Gesellig; sucht Freundschaft und Gesellschaft."),
    ("family", "Family", "Familie",
     "Family plays a lesser part in their life.",
     "Familie spielt eine kleinere Rolle im Leben.",
     "Wants to care for their own family and children.",
     "Will für die eigene Familie und Kinder sorgen."),
    ("status", "Status", "Status",
     "Modest and egalitarian.",
     "Bescheiden und egalitär.",
     "Wants prestige, standing and attention.",
     "Will Prestige, Ansehen und Aufmerksamkeit."),
    ("vengeance", "Vengeance", "Rache",
     "Avoids conflict; seeks harmony.",
     "Meidet Konflikte; sucht Harmonie.",
     "Competitive; wants to win and fights back.",
     "Wettbewerbsorientiert; will gewinnen und schlägt zurück."),
    ("romance", "Romance (beauty)", "Romantik (Eros)",
     "Little interest in beauty and sensuality.",
     "Wenig Interesse an Schönheit und Sinnlichkeit.",
     "Values beauty, aesthetics and sensuality.",
     "Schätzt Schönheit, Ästhetik und Sinnlichkeit."),
    ("eating", "Eating", "Essen (Ernährung)",
     "Little interest in food.",
     "Wenig Interesse am Essen.",
     "Enjoys food and dining.",
     "Genießt Essen und gute Küche."),
    ("physical-activity", "Physical activity", "Körperliche Aktivität",
     "Prefers rest to exercise.",
     "Ruht lieber, als sich zu bewegen.",
     "Wants exercise, sport and fitness.",
     "Will Bewegung, Sport und Fitness."),
    ("tranquility", "Tranquility", "Ruhe",
     "Brave; copes well with stress and risk.",
     "Mutig; kommt gut mit Stress und Risiko zurecht.",
     "Cautious; avoids stress and risk.",
     "Vorsichtig; meidet Stress und Risiko."),
]


def seed(apps, schema_editor):
    Motive = apps.get_model("profiles", "Motive")
    for order, (code, en, de, low_en, low_de, high_en, high_de) in enumerate(MOTIVES, start=1):
        Motive.objects.update_or_create(
            code=code,
            defaults={
                "order": order,
                "name_en": en,
                "name_de": de,
                "low_en": low_en,
                "low_de": low_de,
                "high_en": high_en,
                "high_de": high_de,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("profiles", "0003_profiles_and_motives")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
