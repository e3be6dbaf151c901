"""The top bar (core/jinja2/core/_nav.jinja through {% nav %}): what each viewer
sees in it, on which page, in which language."""

from __future__ import annotations

import re

import pytest
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse
from django.utils import translation

from tests.fixtures import World

pytestmark = pytest.mark.django_db


def _header(client: Client, path: str) -> str:
    html = client.get(path).content.decode()
    return html[html.index("<header>") : html.index("</header>")]


def _current(header: str) -> list[str]:
    return re.findall(r'aria-current="page" href="([^"]+)"', header)


def test_the_current_page_is_marked_and_only_it(world: World) -> None:
    client = world.client_for("lead")
    assert _current(_header(client, reverse("my_roles"))) == [reverse("my_roles")]
    assert _current(_header(client, reverse("home"))) == [reverse("home")]
    # A page the bar has no link for marks none.
    assert _current(_header(client, reverse("notifications:list"))) == []


def test_managers_see_the_portfolio_and_staff_the_administration(world: World) -> None:
    portfolio, admin = reverse("portfolio:portfolio"), reverse("admin:index")
    lead = _header(world.client_for("lead"), "/")
    manager = _header(world.client_for("manager"), "/")
    staff = _header(world.client_for("staff"), "/")
    assert portfolio not in lead and admin not in lead
    assert portfolio in manager and admin not in manager
    assert admin in staff
    assert world.lead.display_name in lead


def test_its_forms_carry_the_csrf_token_and_the_switch_returns_to_the_address(
    world: World,
) -> None:
    header = _header(world.client_for("lead"), "/accounts/?q=1&b='x")
    assert header.count('name="csrfmiddlewaretoken"') == 2  # language and log out
    # The address comes back as it was asked for, escaped in the attribute
    # (" < > arrive percent-encoded; & and ' are the template's to escape).
    assert 'name="next" value="/accounts/?q=1&amp;b=&#39;x"' in header


def test_in_german_every_label_is_german(world: World) -> None:
    client = world.client_for("manager")
    client.cookies["django_language"] = "de"
    header = _header(client, "/")
    for german in ("Meine Rollen", "Abmelden", "Verzeichnis", 'aria-pressed="true">'):
        assert german in header
    assert re.search(r'value="de"[^>]*class="btn btn-light"', header)
    assert "My roles" not in header and "Log out" not in header


def test_before_login_only_the_brand_and_the_language_switch(db: None) -> None:
    header = _header(Client(), reverse("login"))
    assert 'name="language"' in header and 'name="csrfmiddlewaretoken"' in header
    assert "notification-bell" not in header and "main-links" not in header


def test_the_bars_bell_is_the_one_htmx_swaps_in(world: World) -> None:
    header = _header(world.client_for("lead"), "/")
    with translation.override("en"):
        bell = render_to_string("notifications/_bell.html", {"count": 0})
    assert bell.strip() in header


def test_a_page_rendered_without_the_request_still_has_the_logged_out_bar(db: None) -> None:
    """An error page that middleware answers before the login is known renders
    base.html with a plain context: no request, no user."""
    html = render_to_string("404.html", {})
    header = html[html.index("<header>") : html.index("</header>")]
    assert 'name="language"' in header and 'name="next" value=""' in header
    assert "main-links" not in header
