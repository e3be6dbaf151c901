"""A form sent twice from the same page is saved once (core.form_guard, issue 13 point 11).

A browser's Back and second submit, or a double click, sends the same page's
token again (static/js/kamteam.js); here the test client sends it itself.
tests/test_browser_form_guard.py does the same in Chromium.
"""

from __future__ import annotations

import secrets
import time

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from accounts.models import BuyingCentreRole, CustomerContact, PlanPotential
from core.form_guard import (
    FORM_TOKEN,
    SENT_KEY,
    SENT_LIMIT,
    SENT_SECONDS,
    submission_digest,
)
from portfolio.models import PlanReview
from tests.fixtures import World

SENT_TWICE = "This form was already sent; nothing was saved twice."


def _token() -> str:
    return secrets.token_hex(16)


def _messages(client: Client, url: str) -> str:
    return client.get(url).content.decode()


def _review_url(world: World) -> str:
    return reverse("accounts:plan_review", args=[world.account.slug, world.plan.pk])


def test_plan_reviewed_back_and_sent_again_is_one_review(world: World) -> None:
    client = world.client_for("manager")
    data = {"comment": "Strong SWOT, targets missing.", FORM_TOKEN: _token()}

    first = client.post(_review_url(world), data)
    assert first.status_code == 302
    # Back, and "Mark as reviewed" again: the page's token comes again.
    again = client.post(_review_url(world), data)

    assert PlanReview.objects.count() == 1
    # Sent where the first submission led (the plan), with the reason.
    assert again.status_code == 303
    assert again["Location"] == first["Location"]
    assert SENT_TWICE in _messages(client, again["Location"])


def test_potential_created_twice_from_one_page_is_one_potential(world: World) -> None:
    client = world.client_for("lead")
    url = reverse("accounts:potential_create", args=[world.account.slug, world.plan.pk])
    before = PlanPotential.objects.count()
    data = {
        "description": "Service contracts in Suzhou",
        "estimated_value": "250000",
        "year": str(world.plan.start_year),
        FORM_TOKEN: _token(),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data, follow=True).status_code == 200
    assert PlanPotential.objects.count() == before + 1


def test_contact_created_twice_from_one_page_is_one_contact(world: World) -> None:
    client = world.client_for("lead")
    url = reverse("accounts:contact_create", args=[world.account.slug])
    roles = list(BuyingCentreRole.objects.values_list("pk", flat=True)[:2])
    data = {
        "first_name": "Erika",
        "last_name": "Muster",
        "position": "Head of Purchasing",
        "attitude": 1,
        "influence": 4,
        "buying_roles": roles,  # a list: every value counts as content
        FORM_TOKEN: _token(),
    }
    assert client.post(url, data).status_code == 302
    again = client.post(url, data, follow=True)
    assert SENT_TWICE in again.content.decode()
    assert CustomerContact.objects.filter(last_name="Muster").count() == 1


def test_a_new_page_of_the_same_form_is_a_new_submission(world: World) -> None:
    # Opening the form again (a link, not Back) is meant: a new token.
    client = world.client_for("manager")
    for _ in range(2):
        client.post(_review_url(world), {"comment": "Same words", FORM_TOKEN: _token()})
    assert PlanReview.objects.count() == 2


def test_back_changed_and_sent_is_saved(world: World) -> None:
    # Back, then the form changed: a new intent, not the same form twice.
    client = world.client_for("manager")
    token = _token()
    client.post(_review_url(world), {"comment": "First thought", FORM_TOKEN: token})
    client.post(_review_url(world), {"comment": "Second thought", FORM_TOKEN: token})
    assert sorted(PlanReview.objects.values_list("comment", flat=True)) == [
        "First thought",
        "Second thought",
    ]


def test_a_refused_submission_can_be_corrected_and_sent_again(world: World) -> None:
    client = world.client_for("manager")
    token = _token()
    assert client.post(_review_url(world), {"comment": "", FORM_TOKEN: token}).status_code == 400
    # The same page again, unchanged: still invalid, still shown as invalid.
    assert client.post(_review_url(world), {"comment": "", FORM_TOKEN: token}).status_code == 400
    ok = client.post(_review_url(world), {"comment": "Now with words", FORM_TOKEN: token})
    assert ok.status_code == 302
    assert PlanReview.objects.count() == 1


def test_a_submission_still_in_progress_is_not_run_twice(world: World) -> None:
    """A double click reaching the same worker while the first is processed."""
    client = world.client_for("manager")
    data = {"comment": "Double click", FORM_TOKEN: _token()}
    request = client.post(_review_url(world), data).wsgi_request
    digest = submission_digest(request)
    assert digest is not None
    # The first is done and remembered; a second client (no session memory)
    # finds only the in-flight claim, as a parallel request would.
    cache.add(f"form-in-flight:{digest}", 1, 60)
    other = Client()
    other.force_login(world.manager)
    response = other.post(_review_url(world), data)
    assert response.status_code == 303
    assert PlanReview.objects.count() == 1


def test_the_in_flight_claim_is_released_after_the_answer(world: World) -> None:
    client = world.client_for("manager")
    data = {"comment": "", FORM_TOKEN: _token()}
    request = client.post(_review_url(world), data).wsgi_request
    assert cache.get(f"form-in-flight:{submission_digest(request)}") is None


def test_without_a_token_nothing_changes(world: World) -> None:
    # The admin, a browser without JavaScript, the test suite's own clients.
    client = world.client_for("manager")
    for _ in range(2):
        client.post(_review_url(world), {"comment": "No script"})
    assert PlanReview.objects.count() == 2


@pytest.mark.parametrize("token", ["x" * 32, "0" * 31, "A" * 32, "0" * 33, "\x00" * 32])
def test_a_malformed_token_is_no_token(world: World, token: str) -> None:
    client = world.client_for("manager")
    for _ in range(2):
        response = client.post(_review_url(world), {"comment": "Odd", FORM_TOKEN: token})
        assert response.status_code == 302
    assert PlanReview.objects.count() == 2


def test_htmx_requests_are_not_guarded(world: World) -> None:
    # A RACI letter clicked on and off sends the same content twice, meant.
    client = world.client_for("manager")
    data = {"comment": "Via htmx", FORM_TOKEN: _token()}
    for _ in range(2):
        client.post(_review_url(world), data, headers={"HX-Request": "true"})
    assert PlanReview.objects.count() == 2


def test_the_language_switch_is_not_guarded(world: World) -> None:
    client = world.client_for("member")
    data = {"language": "de", "next": "/", FORM_TOKEN: _token()}
    for _ in range(2):
        response = client.post(reverse("set_language"), data)
        assert response.status_code == 302
        assert response["Location"] == "/"


def test_csrf_and_access_answers_come_first(world: World) -> None:
    data = {"comment": "Not mine to give", FORM_TOKEN: _token()}
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.manager)
    assert strict.post(_review_url(world), data).status_code == 403
    member = world.client_for("member")
    assert member.post(_review_url(world), data).status_code == 403
    assert member.post(_review_url(world), data).status_code == 403
    outsider = world.client_for("outsider")
    assert outsider.post(_review_url(world), data).status_code == 404
    assert PlanReview.objects.count() == 0


def test_sent_forms_are_forgotten_after_a_while(world: World, monkeypatch) -> None:
    client = world.client_for("manager")
    data = {"comment": "Again next quarter", FORM_TOKEN: _token()}
    client.post(_review_url(world), data)
    later = time.time() + SENT_SECONDS + 1
    monkeypatch.setattr("core.form_guard.time.time", lambda: later)
    assert client.post(_review_url(world), data).status_code == 302
    assert PlanReview.objects.count() == 2


def test_the_session_keeps_only_the_latest_sent_forms(world: World) -> None:
    client = world.client_for("manager")
    for n in range(SENT_LIMIT + 5):
        client.post(_review_url(world), {"comment": f"Review {n}", FORM_TOKEN: _token()})
    assert len(client.session[SENT_KEY]) == SENT_LIMIT
