"""English and German, complete: catalogue, compiled file, and pages."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from django.urls import reverse

from tests.fixtures import World

PO = Path(__file__).resolve().parent.parent / "locale/de/LC_MESSAGES/django.po"
MO = PO.with_suffix(".mo")

needs_msgfmt = pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext not installed")


@needs_msgfmt
def test_german_catalogue_is_complete() -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


@needs_msgfmt
def test_every_translatable_string_is_in_the_catalogue(tmp_path: Path) -> None:
    """makemessages finds no msgid that the committed catalogue lacks."""
    root = PO.parent.parent.parent.parent
    from django.core.management import call_command

    work = tmp_path / "project"
    shutil.copytree(
        root,
        work,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "staticfiles", "test-artifacts", "*.sqlite3", "node_modules"
        ),
    )
    import os

    cwd = os.getcwd()
    os.chdir(work)
    try:
        call_command(
            "makemessages",
            locale=["de"],
            ignore_patterns=[".venv", "staticfiles"],
            no_obsolete=True,
            verbosity=0,
        )
    finally:
        os.chdir(cwd)
    stats = subprocess.run(
        [
            "msgfmt",
            "--statistics",
            "-o",
            "/dev/null",
            str(work / "locale/de/LC_MESSAGES/django.po"),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert "untranslated" not in stats and "fuzzy" not in stats, (
        f"run `make makemessages` and translate the new strings: {stats}"
    )
    # Nor does it drop one: the messages of the Jinja2 partials (*.jinja,
    # core/management/commands/makemessages.py) stay with the Django ones.
    committed = subprocess.run(
        ["msgfmt", "--statistics", "-o", "/dev/null", str(PO)],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    assert stats == committed, (committed, stats)


@needs_msgfmt
def test_compiled_catalogue_matches_the_source(tmp_path: Path) -> None:
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "-o", str(compiled), str(PO)], check=True)
    assert MO.read_bytes() == compiled.read_bytes(), "run `make messages` and commit django.mo"


def test_pages_speak_german_when_asked(world: World) -> None:
    client = world.client_for("lead")
    client.cookies["django_language"] = "de"
    page = client.get(reverse("accounts:detail", args=[world.account.slug]))
    text = page.content.decode()
    assert '<html lang="de">' in text
    assert "Übersicht" in text and "Ansprechpartner" in text
    assert "Overview" not in text


def test_numbers_and_dates_are_localised(world: World) -> None:
    client = world.client_for("lead")
    english = client.get(reverse("accounts:list")).content.decode()
    assert "€1,000,000" in english  # the currency where each language writes it
    client.cookies["django_language"] = "de"
    german = client.get(reverse("accounts:list")).content.decode()
    assert "1.000.000\u00a0€" in german


def test_team_role_names_follow_the_language(world: World) -> None:
    client = world.client_for("lead")
    client.cookies["django_language"] = "de"
    page = client.get(reverse("accounts:team", args=[world.account.slug])).content.decode()
    assert "Innendienst" in page
