"""The portfolio's rows, rendered with Jinja2 (kamteam/jinja2.py), read as the
Django template read them: in the viewer's language, escaped, dates local."""

from __future__ import annotations

import datetime
import re

from django.template import Context, Template
from django.urls import reverse
from django.utils import translation

from kamteam.jinja2 import date
from tests.factories import KeyAccountFactory
from tests.fixtures import World
from touchpoints.models import Touchpoint


def _row(html: str, name: str) -> str:
    """The table row of the account `name` (escaped as in the page)."""
    body = html[html.index("<tbody>") : html.index("</tbody>")]
    return next(row for row in body.split("<tr>") if f">{name}</a>" in row)


def _with_an_overdue_touchpoint(world: World) -> None:
    Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=1,
        title="Kick-off call",
        owner=world.lead_membership,
    )


def test_a_row_in_english(world: World) -> None:
    _with_an_overdue_touchpoint(world)
    response = world.client_for("manager").get(reverse("portfolio:portfolio"))
    row = _row(response.text, "Nordwind AG")
    assert re.search(r'title="Plan \d+ \+ responsibilities \d+ \+ execution \d+ \+ team \d+"', row)
    assert "(Nordwind AG: why)" in row
    assert 'Lena Lead</span> <span class="text-body-secondary text-nowrap">GKAM' in row
    assert "1 overdue" in row
    assert "no target" in row
    assert f'href="{reverse("accounts:health", args=["nordwind"])}"' in row
    assert f'href="{reverse("accounts:plan_detail", args=["nordwind", world.plan.pk])}"' in row


def test_the_same_row_in_german(world: World) -> None:
    _with_an_overdue_touchpoint(world)
    client = world.client_for("manager")
    client.cookies["django_language"] = "de"
    row = _row(client.get(reverse("portfolio:portfolio")).text, "Nordwind AG")
    assert re.search(r'title="Plan \d+ \+ Zuständigkeiten \d+ \+ Umsetzung \d+ \+ Team \d+"', row)
    assert "(Nordwind AG: warum)" in row
    assert "1 überfällig" in row
    assert "kein Ziel" in row
    assert "overdue" not in row and "no target" not in row
    # The last change as German writes a date (dd.mm.yyyy).
    assert re.search(r'<td class="small text-nowrap">\d\d\.\d\d\.\d{4}</td>', row)


def test_names_are_escaped(world: World) -> None:
    KeyAccountFactory(name='<b>Bold & "Co"</b>', slug="bold")
    html = world.client_for("manager").get(reverse("portfolio:portfolio")).text
    assert "<b>Bold" not in html
    # Jinja2 writes a quote as &#34; where Django writes &quot;: the same text.
    row = _row(html, "&lt;b&gt;Bold &amp; &#34;Co&#34;&lt;/b&gt;")
    assert "(&lt;b&gt;Bold &amp; &#34;Co&#34;&lt;/b&gt;: why)" in row


def test_the_date_filter_shows_the_local_day() -> None:
    """23:30 UTC on 4 December is already the 5th in Berlin (TIME_ZONE), as
    Django's own date filter shows it."""
    late = datetime.datetime(2026, 12, 4, 23, 30, tzinfo=datetime.UTC)
    django = Template("{{ d|date:'SHORT_DATE_FORMAT' }} {{ e|date:'DATE_FORMAT' }}")
    day = datetime.date(2026, 3, 1)
    for language in ("de", "en"):
        with translation.override(language):
            ours = f"{date(late, 'SHORT_DATE_FORMAT')} {date(day, 'DATE_FORMAT')}"
            assert ours == django.render(Context({"d": late, "e": day}))
    with translation.override("de"):
        assert date(late, "SHORT_DATE_FORMAT") == "05.12.2026"


def test_remembered_texts_follow_the_language_and_the_time_zone() -> None:
    """kamteam.jinja2 remembers texts and dates per language; a datetime is
    remembered as the local day it falls on, so another time zone shows its own
    day, and a format with the time is never cut to the day."""
    from django.template import engines
    from django.utils import timezone

    late = datetime.datetime(2026, 12, 4, 23, 30, tzinfo=datetime.UTC)
    with translation.override("de"):
        assert date(late, "SHORT_DATE_FORMAT") == "05.12.2026"
        with timezone.override("UTC"):
            assert date(late, "SHORT_DATE_FORMAT") == "04.12.2026"
            assert date(late, "H:i") == "23:30"
        assert date(late, "H:i") == "00:30"
    texts = '{{ _("no target") }}|{{ pgettext("plan", "expired") }}'
    template = engines["jinja2"].from_string(texts)
    shown = []
    for language in ("en", "de", "en"):
        with translation.override(language):
            shown.append(template.render({}))
    assert shown == ["no target|expired", "kein Ziel|abgelaufen", "no target|expired"]
