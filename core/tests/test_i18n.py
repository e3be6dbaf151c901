"""core.i18n: texts of both languages, and lazy labels translated once a page."""

from __future__ import annotations

from django.utils import translation
from django.utils.functional import lazy
from django.utils.translation import pgettext_lazy

from core.i18n import Labels, country_name


def test_labels_translate_each_label_once_in_the_active_language() -> None:
    made: list[str] = []

    def make() -> str:
        made.append("healthy")
        return "healthy"

    label = lazy(make, str)()
    once = Labels()
    assert [once(label), once(label)] == ["healthy", "healthy"]
    assert made == ["healthy"]  # one translation for every row
    with translation.override("de"):
        # A new page in German: its own Labels, its own texts.
        assert Labels()(pgettext_lazy("health", "healthy")) == "gesund"


def test_labels_hold_their_labels_so_that_no_other_takes_their_id() -> None:
    once = Labels()
    for i in range(200):  # temporaries: without the hold, ids would come again
        assert once(lazy(lambda i=i: f"label {i}", str)()) == f"label {i}"


def test_country_names_follow_the_language() -> None:
    assert country_name("DE") == "Germany"
    with translation.override("de"):
        assert country_name("DE") == "Deutschland"
    assert country_name("") == ""
