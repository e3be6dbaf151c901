"""What the home page does in place: mark a touchpoint done, mark a plan review read."""

from __future__ import annotations

import datetime
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from portfolio.models import PlanReview, PlanReviewRead
from tests.factories import KeyAccountFactory, PlanFactory
from tests.fixtures import World
from touchpoints.models import Touchpoint

TODAY = datetime.date(2026, 12, 2)
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _clock():
    with mock.patch("django.utils.timezone.localdate", return_value=TODAY):
        yield


@pytest.fixture
def overdue(world: World) -> Touchpoint:
    """An overdue call of the read-only member's own."""
    return Touchpoint.objects.create(
        account=world.account,
        contact=world.contact,
        year=2026,
        quarter=3,
        title="Call about the framework",
        kind="call",
        owner=world.membership,
    )


def _done_url(tp: Touchpoint) -> str:
    return reverse("touchpoints:done", args=[tp.account.slug, tp.pk])


# Mark done ------------------------------------------------------------------


def test_mark_done_in_place_answers_with_the_item(world: World, overdue: Touchpoint) -> None:
    response = world.client_for("member").post(
        _done_url(overdue), {"outcome": "Renewal in March.", "version": overdue.version}, **HTMX
    )
    assert response.status_code == 200
    assert f'id="due-tp-{overdue.pk}"' in response.text
    assert "“Call about the framework” is done." in response.text
    assert 'role="status"' in response.text
    overdue.refresh_from_db()
    assert (overdue.status, overdue.outcome) == ("done", "Renewal in March.")
    assert "Call about the framework" not in world.client_for("member").get("/").text


def test_mark_done_without_javascript_comes_back_home(world: World, overdue: Touchpoint) -> None:
    client = world.client_for("member")
    response = client.post(
        _done_url(overdue) + "?next=/", {"outcome": "Called.", "version": overdue.version}
    )
    assert response.status_code == 302 and response["Location"] == "/"
    overdue.refresh_from_db()
    assert overdue.status == "done"
    assert "“Call about the framework” is done." in client.get("/").text


def test_bad_input_stays_in_the_item_with_the_message_at_the_field(
    world: World, overdue: Touchpoint
) -> None:
    response = world.client_for("member").post(
        _done_url(overdue), {"outcome": "x" * 4001, "version": overdue.version}, **HTMX
    )
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.text
    assert f'id="outcome-{overdue.pk}-error"' in response.text
    assert '<details class="today-done" open>' in response.text
    overdue.refresh_from_db()
    assert overdue.status == "planned" and overdue.outcome == ""


def test_a_stale_version_is_refused_in_place(world: World, overdue: Touchpoint) -> None:
    loaded = overdue.version
    overdue.title = "Call about the framework renewal"
    overdue.version += 1
    overdue.save()
    response = world.client_for("member").post(
        _done_url(overdue), {"outcome": "Called.", "version": loaded}, **HTMX
    )
    assert response.status_code == 200
    assert "Someone else saved this" in response.text
    overdue.refresh_from_db()
    assert overdue.status == "planned"


def test_nobody_else_marks_my_touchpoint_done_in_place(world: World) -> None:
    # The lead's touchpoint: a read-only member may not mark it done; an outsider not see it.
    tp = world.touchpoint
    data = {"outcome": "Sent.", "version": tp.version}
    assert world.client_for("member").post(_done_url(tp), data, **HTMX).status_code == 403
    assert world.client_for("outsider").post(_done_url(tp), data, **HTMX).status_code == 404
    assert world.client_for("manager").post(_done_url(tp), data, **HTMX).status_code == 403
    tp.refresh_from_db()
    assert tp.status == "planned"


# Mark a review read ---------------------------------------------------------


@pytest.fixture
def review(world: World) -> PlanReview:
    return PlanReview.objects.create(
        plan=world.plan, reviewed_by=world.manager, comment="Add the service potential."
    )


def _read_url(review: PlanReview) -> str:
    return reverse(
        "accounts:review_read", args=[review.plan.account.slug, review.plan_id, review.pk]
    )


def test_a_lead_marks_a_review_read(world: World, review: PlanReview) -> None:
    client = world.client_for("lead")
    response = client.post(_read_url(review) + "?next=/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert PlanReviewRead.objects.filter(review=review, user=world.lead).count() == 1
    assert client.post(_read_url(review)).status_code == 302  # twice: still one row
    assert PlanReviewRead.objects.filter(review=review).count() == 1
    assert "Add the service potential." not in client.get("/").text


def test_mark_read_in_place_answers_with_the_item(world: World, review: PlanReview) -> None:
    response = world.client_for("lead").post(_read_url(review), **HTMX)
    assert response.status_code == 200
    assert f'id="review-{review.pk}"' in response.text
    assert "is marked read." in response.text
    assert PlanReviewRead.objects.filter(review=review, user=world.lead).exists()


def test_mark_read_goes_nowhere_else(world: World, review: PlanReview) -> None:
    response = world.client_for("lead").post(_read_url(review) + "?next=//evil.example/x")
    assert response["Location"] == "/"


@pytest.mark.parametrize(("actor", "status"), [("member", 403), ("manager", 403)])
def test_only_leads_mark_reviews_read(
    world: World, review: PlanReview, actor: str, status: int
) -> None:
    assert world.client_for(actor).post(_read_url(review)).status_code == status
    assert not PlanReviewRead.objects.exists()


def test_outsider_gets_404_and_get_is_refused(world: World, review: PlanReview) -> None:
    assert world.client_for("outsider").post(_read_url(review)).status_code == 404
    assert world.client_for("lead").get(_read_url(review)).status_code == 405
    assert Client().post(_read_url(review)).status_code == 302  # to the login page
    assert not PlanReviewRead.objects.exists()


def test_a_review_of_another_account_is_not_found(world: World) -> None:
    other = PlanFactory(account=KeyAccountFactory())
    foreign = PlanReview.objects.create(plan=other, reviewed_by=world.manager, comment="x")
    url = reverse("accounts:review_read", args=[world.account.slug, other.pk, foreign.pk])
    assert world.client_for("lead").post(url).status_code == 404
    assert not PlanReviewRead.objects.exists()


def test_opening_the_plan_marks_its_reviews_read_for_a_lead_only(
    world: World, review: PlanReview
) -> None:
    url = reverse("accounts:plan_detail", args=[world.account.slug, world.plan.pk])
    assert world.client_for("member").get(url).status_code == 200
    assert world.client_for("manager").get(url).status_code == 200
    assert not PlanReviewRead.objects.exists()
    assert world.client_for("lead").get(url).status_code == 200
    assert PlanReviewRead.objects.filter(review=review, user=world.lead).count() == 1
    # The account's current plan page is the plan's page too.
    PlanReviewRead.objects.all().delete()
    assert world.client_for("lead").get(reverse("accounts:plan", args=[world.account.slug]))
    assert PlanReviewRead.objects.filter(review=review, user=world.lead).count() == 1


def test_the_personal_export_holds_the_visits_and_the_reviews_read(
    world: World, review: PlanReview
) -> None:
    import json

    client = world.client_for("lead")
    client.get(reverse("home"))
    client.post(_read_url(review))
    data = json.loads(client.get(reverse("my_export")).content)
    [visit] = data["home_visits"]
    assert visit["last_seen_at"] and visit["visit_before"]
    [read] = data["plan_reviews_read"]
    assert (read["account"], read["plan"]) == ("Nordwind AG", "2026–2028")
    assert data["sources"]["workspace.homevisit"] == ["home_visits"]
