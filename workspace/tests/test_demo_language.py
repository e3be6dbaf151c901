"""Issue 13 point 22: a German team sees German demo examples.

`manage.py demo --language de` (or LANGUAGE_CODE=de) writes the demo texts in
German; switching the language rewrites the same rows instead of adding copies.
"""

from __future__ import annotations

import subprocess
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from accounts.models import CustomerContact, KeyAccount, PlanObjective
from raci.models import RaciTask
from tests.snapshot import current_content, database_snapshot, read_setting
from touchpoints.models import TeamMeeting, Touchpoint


def _demo(**options: str) -> None:
    call_command("demo", stdout=StringIO(), **options)


def _german(english: str) -> str:
    with translation.override("de"):
        german = translation.gettext(english)
    assert german != english, f"no German for {english!r}"
    return german


def _nordstern_texts() -> set[str]:
    nordstern = KeyAccount.objects.get(slug="nordstern")
    return {
        *PlanObjective.objects.filter(plan__account=nordstern).values_list("text", flat=True),
        *RaciTask.objects.filter(account=nordstern).values_list("name", flat=True),
        *Touchpoint.objects.filter(account=nordstern).values_list("title", flat=True),
        *TeamMeeting.objects.filter(account=nordstern).values_list("purpose", flat=True),
    }


@pytest.mark.django_db
def test_demo_in_german_writes_german_examples() -> None:
    _demo(language="de")
    texts = _nordstern_texts()
    assert _german("Renew the global framework contract") in texts
    assert "Renew the global framework contract" not in texts
    assert "Globaler Rahmenvertrag" in texts  # the handbook's own words
    assert _german("Annual review at headquarters") in texts
    assert _german("Video conference") in texts
    hoffmann = CustomerContact.objects.get(last_name="Hoffmann")
    assert hoffmann.department == _german("Procurement")
    nordstern = KeyAccount.objects.get(slug="nordstern")
    assert nordstern.industry == _german("Industrial machinery")
    # Amounts inside demo texts follow the language's number format.
    alpina = KeyAccount.objects.get(slug="alpina-foods").plans.get()
    assert "3.100.000" in alpina.strategy and "3,100,000" not in alpina.strategy


@pytest.mark.django_db
def test_demo_follows_language_code(settings) -> None:
    settings.LANGUAGE_CODE = "de"
    _demo()
    assert _german("Renew the global framework contract") in _nordstern_texts()


@pytest.mark.django_db
def test_switching_the_demo_language_rewrites_the_same_rows() -> None:
    """English, German, English again: the same rows as the first English run."""
    _demo(language="en")
    english = database_snapshot()
    _demo(language="de")
    german = database_snapshot()
    _demo(language="en")
    again = database_snapshot()
    assert _without_activity_versions(again) == _without_activity_versions(english)
    # Same rows (ids) in German, other texts.
    assert {k: len(v) for k, v in current_content(german).items()} == {
        k: len(v) for k, v in current_content(english).items()
    }
    assert _without_activity_versions(german) != _without_activity_versions(english)


def _without_activity_versions(snapshot: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """current_content, but an activity's edit counter (optimistic locking) left
    out: the demo writes its activities in German and back, so the counter
    moves; every other table's counter must not."""
    content = current_content(snapshot)
    content["activities.Activity"] = [
        {k: v for k, v in row.items() if k != "version"} for row in content["activities.Activity"]
    ]
    return content


@pytest.mark.django_db
def test_demo_refuses_a_language_the_app_does_not_speak() -> None:
    with pytest.raises(CommandError, match="invalid choice: 'fr'"):
        call_command("demo", "--language=fr", stdout=StringIO())


def _language_code(value: str) -> subprocess.CompletedProcess[str]:
    return read_setting("LANGUAGE_CODE", LANGUAGE_CODE=value)


def test_language_code_is_read_from_the_environment() -> None:
    result = _language_code(" DE ")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "de"


def test_a_language_the_app_does_not_speak_stops_the_start() -> None:
    result = _language_code("fr")
    assert result.returncode != 0
    assert "LANGUAGE_CODE must be en or de" in result.stderr
