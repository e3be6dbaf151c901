"""The issue's done-when checks, on the demo data (`manage.py demo`, once per test: slow)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from users.models import User


def _get(username: str, name: str, text: str) -> str:
    client = Client()
    client.force_login(User.objects.get(username=username))
    response = client.get(reverse(name), {"q": text})
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_demo_search_finds_what_each_person_may_open() -> None:
    call_command("demo", password="demo", stdout=StringIO())
    contact_link = 'href="/accounts/nordstern/contacts/'
    # kam finds Max Müller however the umlaut is written, and by a prefix.
    for text in ("mueller", "Muller", "Müller", "müll", "MUE"):
        html = _get("kam", "search", text)
        assert "Max <mark>M" in html and contact_link in html, text
    # The outsider finds no contact of an account they are not on ...
    html = _get("outsider", "search", "mueller")
    assert 'id="group-contacts"' not in html and contact_link not in html
    assert "Max <mark>M" not in html
    # ... and the account only as the directory shows it.
    html = _get("outsider", "search", "nordstern")
    assert "/directory/?q=Nordstern" in html
    assert 'href="/accounts/nordstern/' not in html
    for kind in ("tasks", "touchpoints", "plans", "contacts"):
        assert f'id="group-{kind}"' not in html
    # nkam finds the framework contract by the prefix of its German name.
    html = _get("nkam", "search", "rahmen")
    assert "Globaler <mark>Rahmen</mark>vertrag" in html
    assert reverse("raci:matrix", args=["nordstern"]) in html
    # The type-ahead lists Max Müller for "mue".
    html = _get("kam", "search_suggest", "mue")
    assert 'role="listbox"' in html
    assert "Max <mark>Mü</mark>ller" in html
