"""National plans: who may change which, nobody widening their own rights, query counts."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import NationalObjective
from accounts.tests.national_setup import (
    add_nkam,
    client_of,
    grow,
    make_national,
    national_url,
    plan_form,
)
from tests.factories import role
from tests.fixtures import World
from tests.snapshot import database_snapshot

# Who may change which -----------------------------------------------------------


def test_an_nkam_starts_and_edits_the_plan_of_their_own_country(world: World) -> None:
    seat = add_nkam(world, "nkam-de", "DE")
    client = client_of(seat.user)
    response = client.post(
        national_url(world, "national_plan_create"), plan_form(country="DE", target_2026="3000000")
    )
    assert response.status_code == 302
    national = world.plan.national_plans.get()
    assert national.country.code == "DE"
    assert national.targets.get().amount == Decimal(3000000)
    response = client.post(
        national_url(world, "national_plan_edit", "DE"),
        plan_form(notes="Plants first.", target_2026="3100000", version=national.version),
    )
    assert response.status_code == 302
    assert national.targets.get().amount == Decimal(3100000)


def test_an_nkam_cannot_start_a_plan_for_another_country_by_posting_it(world: World) -> None:
    seat = add_nkam(world, "nkam-de", "DE")
    before = database_snapshot()
    response = client_of(seat.user).post(
        national_url(world, "national_plan_create"), plan_form(country="CN")
    )
    assert response.status_code == 400
    assert "country" in response.context["form"].errors
    assert database_snapshot() == before


def test_the_nkam_of_another_country_reads_but_cannot_change(world: World) -> None:
    germany = add_nkam(world, "nkam-de", "DE")
    add_nkam(world, "nkam-cn", "CN")
    china = make_national(world, "CN", follows_framework=False, exception_reason="Local prices")
    objective = NationalObjective.objects.create(national_plan=china, text="Own offer")
    client = client_of(germany.user)
    page = client.get(national_url(world, "national_plan", "CN"))
    assert page.status_code == 200
    assert b"Local prices" in page.content
    assert national_url(world, "national_plan_edit", "CN").encode() not in page.content
    before = database_snapshot()
    for url in (
        national_url(world, "national_plan_edit", "CN"),
        national_url(world, "national_potential_create", "CN"),
        national_url(world, "national_objective_edit", "CN", pk=objective.pk),
        national_url(world, "national_objective_delete", "CN", pk=objective.pk),
    ):
        assert client.get(url).status_code == 403
        assert client.post(url, plan_form(version=1, text="Mine")).status_code == 403
    assert database_snapshot() == before


def test_the_global_lead_changes_every_national_plan(world: World) -> None:
    add_nkam(world, "nkam-cn", "CN")
    china = make_national(world, "CN")
    response = world.client_for("lead").post(
        national_url(world, "national_plan_edit", "CN"),
        plan_form(follows_framework=None, exception_reason="Local", version=china.version),
    )
    assert response.status_code == 302
    china.refresh_from_db()
    assert not china.follows_framework


@pytest.mark.parametrize("actor", ["member", "manager"])
def test_members_and_managers_read_national_plans_only(world: World, actor: str) -> None:
    national = make_national(world, "DE")
    client = world.client_for(actor)
    assert client.get(national_url(world, "national_plan", "DE")).status_code == 200
    before = database_snapshot()
    edit = client.post(national_url(world, "national_plan_edit", "DE"), plan_form(version=1))
    assert edit.status_code == 403
    assert (
        client.post(
            national_url(world, "national_plan_create"), plan_form(country="FR")
        ).status_code
        == 403
    )
    assert database_snapshot() == before
    assert national.get_absolute_url() == national_url(world, "national_plan", "DE")


def test_outsiders_get_404(world: World) -> None:
    make_national(world, "DE")
    client = world.client_for("outsider")
    assert client.get(national_url(world, "national_plan", "DE")).status_code == 404
    assert client.post(national_url(world, "national_plan_edit", "DE"), {}).status_code == 404


def test_an_archived_account_keeps_its_national_plans_read_only(world: World) -> None:
    seat = add_nkam(world, "nkam-de", "DE")
    national = make_national(world, "DE")
    world.account.status = "archived"
    world.account.archived_at = timezone.now()
    world.account.save()
    response = client_of(seat.user).post(
        national_url(world, "national_plan_edit", "DE"),
        plan_form(notes="x", version=national.version),
    )
    assert response.status_code == 403


def test_an_unknown_country_is_not_found(world: World) -> None:
    assert (
        world.client_for("lead").get(national_url(world, "national_plan", "FR")).status_code == 404
    )


@pytest.mark.parametrize(
    ("address", "actor", "pinned"),
    [
        # The plan page's own pin is in tests/test_query_counts.py; the roll-up's below.
        (lambda w: reverse("accounts:plan", args=[w.account.slug]), "member", None),
        (lambda w: national_url(w, "national_plan", "DE"), "member", 13),
        (lambda w: national_url(w, "national_plan_edit", "DE"), "lead", 9),
    ],
    ids=["plan-rollup", "national-plan", "national-plan-edit"],
)
def test_query_counts_do_not_grow_with_countries_and_rows(  # type: ignore[no-untyped-def]
    world: World, address, actor, pinned
) -> None:
    from tests.queries import page_queries

    grow(world, 0, 1)
    small = page_queries(world.client_for(actor), address(world))
    grow(world, 1, 24)
    large = page_queries(world.client_for(actor), address(world))
    assert small == large, f"{small} queries with 1 country and row, {large} with 25"
    assert pinned is None or large == pinned, f"pinned {pinned}, now {large}"


def test_the_rollup_costs_four_queries_with_national_plans_and_two_without(
    world: World, django_assert_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from accounts import selectors
    from accounts.access import account_access
    from accounts.national import rollup
    from accounts.plan_sections import PlanPage

    def page() -> PlanPage:
        plan = selectors.plans_with_rows(world.account).get()
        list(plan.revenue_targets.all())
        access = account_access(world.member, world.account.slug)
        return PlanPage(access=access, plan=plan, revenue=[], today=timezone.localdate())

    empty = page()
    with django_assert_num_queries(2):
        assert rollup(empty) is None
    grow(world, 0, 25)
    full = page()
    with django_assert_num_queries(4):
        assert len(rollup(full)["nationals"]) == 25


# Nobody widens their own rights through the team -------------------------------------


def test_an_nkam_cannot_give_themselves_another_country_or_a_global_seat(world: World) -> None:
    seat = add_nkam(world, "nkam-de", "DE")
    client = client_of(seat.user)
    before = database_snapshot()
    add = client.post(
        reverse("accounts:member_add", args=[world.account.slug]),
        {"user": seat.user.pk, "role": role("nkam").pk, "team": "core", "country": "CN"},
    )
    assert add.status_code == 400
    edit = client.post(
        reverse("accounts:member_edit", args=[world.account.slug, seat.pk]),
        {"role": role("gkam").pk, "team": "core", "country": "", "version": seat.version},
    )
    assert edit.status_code == 400
    assert "another lead" in str(edit.context["form"].errors)
    assert database_snapshot() == before


def test_an_nkam_still_edits_their_own_seat_and_the_gkam_may_take_a_national_one(
    world: World,
) -> None:
    seat = add_nkam(world, "nkam-de", "DE")
    response = client_of(seat.user).post(
        reverse("accounts:member_edit", args=[world.account.slug, seat.pk]),
        {
            "role": role("nkam").pk,
            "team": "core",
            "country": "DE",
            "responsibilities": "Offers in Germany",
            "version": seat.version,
        },
    )
    assert response.status_code == 302
    response = world.client_for("lead").post(
        reverse("accounts:member_add", args=[world.account.slug]),
        {"user": world.lead.pk, "role": role("nkam").pk, "team": "core", "country": "CN"},
    )
    assert response.status_code == 302
