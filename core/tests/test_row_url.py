"""{% row_url %}: the link of each row of a long table, reversed once per request
and written in per row; the same text as {% url %}, or {% url %} itself where it
cannot place the id."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

ROW = Template(
    "{% load kam %}{% for pk in ids %}{% row_url 'raci:task_edit' slug pk %}|{% endfor %}"
)


def _render(template: Template, request=None, **values) -> list[str]:
    context = Context({"request": request, **values}) if request else Context(values)
    return template.render(context).split("|")[:-1]


@pytest.mark.parametrize("slug", ["nordwind", "a0b", "zero-0-x"])
def test_each_row_gets_what_reverse_gives(slug: str) -> None:
    request = RequestFactory().get("/")
    ids = [0, 1, 7, 10, 12345, 0]
    got = _render(ROW, request, ids=ids, slug=slug)
    assert got == [reverse("raci:task_edit", args=[slug, pk]) for pk in ids]


def test_two_patterns_and_two_accounts_on_one_page_do_not_mix() -> None:
    request = RequestFactory().get("/")
    page = Template(
        "{% load kam %}{% row_url 'raci:task_edit' 'one' 3 %}|"
        "{% row_url 'raci:task_delete' 'one' 3 %}|{% row_url 'raci:task_edit' 'two' 3 %}|"
        "{% row_url 'comments:thread' 'one' 'task' 3 %}|"
        "{% row_url 'comments:thread' 'one' 'plan' 3 %}|"
    )
    assert _render(page, request) == [
        reverse("raci:task_edit", args=["one", 3]),
        reverse("raci:task_delete", args=["one", 3]),
        reverse("raci:task_edit", args=["two", 3]),
        reverse("comments:thread", args=["one", "task", 3]),
        reverse("comments:thread", args=["one", "plan", 3]),
    ]


def test_what_it_cannot_place_is_reversed_as_the_url_tag_would() -> None:
    request = RequestFactory().get("/")
    page = Template(
        "{% load kam %}{% row_url 'accounts:detail' 'nordwind' %}|"
        "{% row_url 'raci:task_edit' 'nordwind' '4' %}|"
    )
    assert _render(page, request) == [
        reverse("accounts:detail", args=["nordwind"]),
        reverse("raci:task_edit", args=["nordwind", "4"]),
    ]
    # No request in the context (a mail, a plain Template): reverse() for each.
    assert _render(ROW, ids=[5], slug="nordwind") == [
        reverse("raci:task_edit", args=["nordwind", 5])
    ]


def test_output_is_escaped_like_the_url_tag() -> None:
    request = RequestFactory().get("/", SCRIPT_NAME="")
    got = Template("{% load kam %}{% row_url 'raci:task_edit' 'a' 1 %}").render(
        Context({"request": request})
    )
    assert got == Template("{% url 'raci:task_edit' 'a' 1 %}").render(Context({}))
