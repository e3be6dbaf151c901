"""Each kind's sentence, written when it is read, in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from notifications import texts
from notifications.models import Kind, Notification
from notifications.texts import MISSING, in_every_language, render_text

ROLE = {"en": "Inside sales", "de": "Innendienst"}

# The names each kind's emitter stores (see the emitters and test_emitted.py).
PARAMS: dict[str, dict[str, object]] = {
    Kind.ADDED_TO_TEAM: {"account": "Nordwind AG", "role": ROLE},
    Kind.REMOVED_FROM_TEAM: {"account": "Nordwind AG", "role": ROLE},
    Kind.MADE_LEAD: {"account": "Nordwind AG", "role": ROLE},
    Kind.TOUCHPOINT_ASSIGNED: {
        "account": "Nordwind AG", "title": "Christmas gift", "contact": "Max Müller", "done": False,
    },
    Kind.TOUCHPOINT_CHANGED: {
        "account": "Nordwind AG", "title": "Christmas gift", "contact": "Max Müller", "done": True,
    },
    Kind.TOUCHPOINT_REMINDER: {
        "account": "Nordwind AG", "title": "Christmas gift", "contact": "Max Müller",
        "date": "2026-12-18", "touchpoint": 7,
    },
    Kind.RACI_LETTER_GIVEN: {
        "account": "Nordwind AG", "role": ROLE, "task": "Framework contract", "letter": "C",
    },
    Kind.RACI_LETTER_TAKEN: {
        "account": "Nordwind AG", "role": ROLE, "task": "Framework contract", "letter": "CI",
        "deleted": True,
    },
    Kind.MATRIX_AGREED: {"account": "Nordwind AG", "date": "2026-09-15"},
    Kind.PLAN_REVIEWED: {"account": "Nordwind AG", "period": "2026–2028"},
    Kind.HEALTH_BAND_DROPPED: {
        "account": "Nordwind AG",
        "previous": {"en": "healthy", "de": "gesund"},
        "band": {"en": "at risk", "de": "gefährdet"},
    },
    Kind.CUSTOMER_NEWS: {"account": "Nordwind AG", "title": "New plant in Wuhan"},
    Kind.MENTIONED: {
        "account": "Nordwind AG", "author": "Katrin Adler", "excerpt": "Can you call him?",
        "where": {"en": "Objective “Retrofit”", "de": "Ziel „Retrofit“"},
    },
    Kind.REVIEW_ANSWERED: {
        "account": "Nordwind AG", "author": "Katrin Adler", "excerpt": "Done by March.",
        "where": {"en": "The review of 3 Nov", "de": "Die Prüfung vom 3. Nov."},
    },
}  # fmt: skip


def _names(params: dict[str, object], language: str) -> list[str]:
    """The names a reader of `language` must find in the text."""
    found = []
    for key, value in params.items():
        if isinstance(value, dict):
            found.append(value[language])
        elif isinstance(value, str) and key != "date":
            found.append(value)
    return found


def test_every_kind_has_sample_names() -> None:
    assert set(PARAMS) == set(Kind.values)


@pytest.fixture
def german_catalogue(monkeypatch) -> None:
    """gettext as a German catalogue would answer: marked, so the test sees each
    text passed through it (the real German entries are added with the catalogue)."""

    def gettext(message: str) -> str:
        return f"[de] {message}" if translation.get_language() == "de" else message

    def ngettext(singular: str, plural: str, count: int) -> str:
        return gettext(singular if count == 1 else plural)

    monkeypatch.setattr(texts, "_", gettext)
    monkeypatch.setattr(texts, "ngettext", ngettext)


@pytest.mark.parametrize("kind", Kind.values)
def test_each_kind_reads_in_german_with_every_name_filled_in(german_catalogue, kind: str) -> None:
    params = PARAMS[kind]
    with translation.override("de"):
        text = Notification(kind=kind, params=params).text()
    assert text.startswith("[de] ")  # through gettext, in the reader's language
    assert "%(" not in text and ")s" not in text and MISSING not in text
    for name in _names(params, "de"):
        assert name in text, (name, text)
    with translation.override("en"):
        english = Notification(kind=kind, params=params).text()
    assert not english.startswith("[de]")
    for name in _names(params, "en"):
        assert name in english


def test_dates_are_written_as_the_readers_language_writes_them() -> None:
    params = PARAMS[Kind.MATRIX_AGREED]
    with translation.override("en"):
        assert render_text(Kind.MATRIX_AGREED, params).endswith("on 15 Sep 2026.")
    with translation.override("de"):
        assert "15. September 2026" in render_text(Kind.MATRIX_AGREED, params)


def test_the_english_sentences() -> None:
    with translation.override("en"):
        assert render_text(Kind.ADDED_TO_TEAM, PARAMS[Kind.ADDED_TO_TEAM]) == (
            "You were added to the team of Nordwind AG as Inside sales."
        )
        assert render_text(
            Kind.RACI_LETTER_GIVEN, {"account": "N", "template": "T", "count": 1}
        ) == ("The template “T” was applied to the RACI matrix of N: it gives you 1 letter.")
        assert render_text(Kind.TOUCHPOINT_CHANGED, PARAMS[Kind.TOUCHPOINT_CHANGED]) == (
            "Your touchpoint “Christmas gift” with Max Müller (Nordwind AG) was marked done."
        )


def test_a_missing_name_or_an_unknown_kind_never_shows_a_placeholder() -> None:
    with translation.override("en"):
        text = render_text(Kind.PLAN_REVIEWED, {"account": "Nordwind AG"})
        assert text == f"A manager reviewed the plan {MISSING} of Nordwind AG."
        assert render_text("gone_kind", {}) == f"Something changed in {MISSING}."
        assert MISSING in render_text(Kind.MATRIX_AGREED, {"date": "not a date"})


def test_in_every_language_asks_in_each_language() -> None:
    assert in_every_language(lambda: translation.get_language()) == {"en": "en", "de": "de"}
