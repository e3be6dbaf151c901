"""Folding, query terms, highlighting and the provider registry, without a database."""

from __future__ import annotations

import pytest

from search import registry
from search.text import Query, fold, highlight, snippet, stem


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Müller", "muller"),
        ("Mueller", "muller"),
        ("MULLER", "muller"),
        ("Straße", "strasse"),
        ("Björn Øst", "bjorn ost"),
        ("Æsir Œuvre", "asir ouvre"),
        ("Élodie", "elodie"),
        (None, None),
    ],
)
def test_fold(text: str | None, folded: str | None) -> None:
    assert fold(text) == folded


def test_terms_are_letters_and_digits_only() -> None:
    assert Query("müller & | !():* 'x' -- 2026").terms == ("muller", "x", "2026")
    assert Query("a:* | b:*").terms == ("a", "b")
    assert Query("!!!").terms == ()
    assert not Query("!!!").is_searchable
    assert not Query("a").is_searchable
    assert Query(" ".join(f"w{i}" for i in range(20))).terms == tuple(f"w{i}" for i in range(6))


def test_stems() -> None:
    assert stem("contracts") == "contract"
    assert stem("vertragen") == "vertrag"
    assert stem("max") == "max"


@pytest.mark.parametrize("text", ["mueller", "Müller", "muller"])
def test_highlight_marks_every_spelling(text: str) -> None:
    query = Query(text)
    assert highlight("Max Müller", query) == "Max <mark>Müller</mark>"
    assert highlight("Max Mueller", query) == "Max <mark>Mueller</mark>"


def test_highlight_escapes_everything_else() -> None:
    out = highlight('<b onclick="x">Müller</b> & co', Query("mull"))
    assert out == "&lt;b onclick=&quot;x&quot;&gt;<mark>Müll</mark>er&lt;/b&gt; &amp; co"
    assert highlight("<i>", Query("!!")) == "&lt;i&gt;"


def test_snippet_shows_the_match_of_a_long_text() -> None:
    text = "Lorem ipsum " * 30 + "the Rahmenvertrag " + "dolor sit " * 30
    out = snippet(text, Query("rahmen"))
    assert "<mark>Rahmen</mark>vertrag" in out
    assert out.startswith("… ") and out.endswith(" …")
    assert len(out) < 250


def test_snippet_cuts_between_words_not_inside_them() -> None:
    """It read "… anuary 2026: prices" and "We supply d …"."""
    text = "Xy " + "January 2026: prices rise by four percent. " * 3 + "Rahmen " + "delivery " * 30
    out = snippet(text, Query("rahmen"))
    words = set(text.split())
    inner = out.removeprefix("… ").removesuffix(" …").replace("<mark>Rahmen</mark>", "Rahmen")
    assert inner.split()[0] in words and inner.split()[-1] in words
    assert out.startswith("… ") and out.endswith(" …")


def test_a_long_word_beside_the_match_keeps_some_context() -> None:
    out = snippet("a " * 10 + "x" * 80 + " rahmen " + "y" * 200, Query("rahmen"))
    assert "xxxx <mark>rahmen</mark> yyyy" in out


def test_a_snippet_of_one_long_word_still_shows_the_match() -> None:
    out = snippet("x" * 100 + "rahmen" + "y" * 200, Query("rahmen"))
    assert "<mark>rahmen</mark>" in out


class _Provider:
    kind = "test-kind"
    label = "Test"
    order = 99

    def search(self, *, user, query, limit, offset=0):  # type: ignore[no-untyped-def]
        return registry.Found()


def test_registry_takes_a_provider_once_and_refuses_others() -> None:
    provider = _Provider()
    try:
        registry.register(provider)
        assert registry.provider("test-kind") is provider
        assert registry.register(provider) is provider  # again: harmless
        with pytest.raises(ValueError, match="two search providers"):
            registry.register(_Provider())
        with pytest.raises(TypeError):
            registry.register(object())  # type: ignore[arg-type]
    finally:
        registry._PROVIDERS.pop("test-kind", None)


def test_the_domain_apps_are_registered_in_order() -> None:
    ours = ["accounts", "contacts", "colleagues", "tasks", "touchpoints", "plans"]
    kinds = [p.kind for p in registry.providers()]
    assert [k for k in kinds if k in ours] == ours  # later apps may add their own
