"""Actions under the objectives of a national plan: the country's NKAM and the global
leads change them, the owner marks them done, readers read them on the national page,
outsiders find nothing; the page's queries do not grow with them."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import NationalObjective
from accounts.tests.national_setup import add_nkam, client_of, grow, make_national, national_url
from actions.models import PlanAction
from actions.tests.factories import PlanActionFactory
from tests.fixtures import World

pytestmark = pytest.mark.django_db


def _germany_objective(world: World) -> NationalObjective:
    national = make_national(world, "DE")
    return national.objectives.create(text="Retrofit offers", serves=world.plan.objectives.get())


def _national_action(world: World, objective: NationalObjective, **kwargs) -> PlanAction:
    return PlanActionFactory(
        objective=None,
        national_objective=objective,
        account=world.account,
        owner=kwargs.pop("owner", world.membership),
        **kwargs,
    )


def _form(owner_pk: int, **overrides) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Survey the Hamburg machines",
        "owner": owner_pk,
        "due_date": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
        "status": "open",
        "done_on": "",
        "contact": "",
        "note": "",
    }
    data.update(overrides)
    return data


def _create_url(world: World, objective: NationalObjective) -> str:
    return reverse("actions:national_create", args=[world.account.slug, objective.pk])


def test_the_countrys_nkam_adds_an_action_under_a_national_objective(world: World) -> None:
    seat = add_nkam(world, "nkam-de", "DE")
    objective = _germany_objective(world)
    response = client_of(seat.user).post(_create_url(world, objective), _form(seat.pk))
    assert response.status_code == 302
    action = PlanAction.objects.get()
    assert (action.national_objective, action.objective, action.account, action.owner) == (
        objective,
        None,
        world.account,
        seat,
    )
    assert response["Location"] == (
        national_url(world, "national_plan", "DE") + f"#nobjective-{objective.pk}"
    )
    assert action.history.count() == 1
    page = client_of(seat.user).get(national_url(world, "national_plan", "DE"))
    assert "Survey the Hamburg machines" in page.content.decode()


def test_another_countrys_nkam_may_not_change_its_actions(world: World) -> None:
    china = add_nkam(world, "nkam-cn", "CN")
    objective = _germany_objective(world)
    action = _national_action(world, objective)
    client = client_of(china.user)
    assert client.post(_create_url(world, objective), _form(china.pk)).status_code == 403
    edit = reverse("actions:edit", args=[world.account.slug, action.pk])
    assert client.post(edit, _form(china.pk, version=action.version)).status_code == 403
    delete = reverse("actions:delete", args=[world.account.slug, action.pk])
    assert client.post(delete).status_code == 403
    assert (
        client.post(
            reverse("actions:done", args=[world.account.slug, action.pk]),
            {"version": action.version},
        ).status_code
        == 403
    )
    assert list(PlanAction.objects.values_list("title", "status")) == [(action.title, "open")]
    # Nor does the page offer it.
    page = client.get(national_url(world, "national_plan", "DE")).content.decode()
    assert _create_url(world, objective) not in page
    assert edit not in page


def test_the_global_lead_edits_and_deletes_a_national_action(world: World) -> None:
    objective = _germany_objective(world)
    action = _national_action(world, objective)
    client = world.client_for("lead")
    edit = reverse("actions:edit", args=[world.account.slug, action.pk])
    data = _form(world.membership.pk, title="Renamed", version=action.version)
    assert client.post(edit, data).status_code == 302
    action.refresh_from_db()
    assert action.title == "Renamed"
    delete = reverse("actions:delete", args=[world.account.slug, action.pk])
    assert "Renamed" in client.get(delete).content.decode()
    assert client.post(delete).status_code == 302
    assert not PlanAction.objects.exists()


@pytest.mark.parametrize("actor", ["member", "manager"])
def test_readers_cannot_add_national_actions(world: World, actor: str) -> None:
    objective = _germany_objective(world)
    url = _create_url(world, objective)
    assert world.client_for(actor).post(url, _form(world.membership.pk)).status_code == 403
    assert not PlanAction.objects.exists()
    page = world.client_for(actor).get(national_url(world, "national_plan", "DE"))
    assert url not in page.content.decode()


def test_outsider_gets_404_for_every_national_action_page(world: World) -> None:
    objective = _germany_objective(world)
    action = _national_action(world, objective)
    client = world.client_for("outsider")
    slug = world.account.slug
    for url in (
        _create_url(world, objective),
        reverse("actions:edit", args=[slug, action.pk]),
        reverse("actions:delete", args=[slug, action.pk]),
        reverse("actions:done", args=[slug, action.pk]),
    ):
        assert client.get(url).status_code == 404
        assert client.post(url).status_code == 404
    assert PlanAction.objects.get().status == "open"


def test_another_accounts_national_objective_is_not_found(world: World) -> None:
    other = NationalObjective.objects.create(
        national_plan=make_national_elsewhere(), text="Elsewhere"
    )
    url = reverse("actions:national_create", args=[world.account.slug, other.pk])
    assert world.client_for("lead").get(url).status_code == 404


def make_national_elsewhere():  # type: ignore[no-untyped-def]
    from accounts.models import NationalPlan
    from tests.factories import PlanFactory

    return NationalPlan.objects.create(plan=PlanFactory(), country="FR")


def test_the_owner_marks_a_national_action_done_from_the_page(world: World) -> None:
    objective = _germany_objective(world)
    action = _national_action(world, objective)
    client = world.client_for("member")
    page = client.get(national_url(world, "national_plan", "DE")).content.decode()
    done = reverse("actions:done", args=[world.account.slug, action.pk])
    assert done in page
    assert client.post(done, {"version": action.version}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.done_on) == ("done", timezone.localdate())


def test_deleting_a_national_objective_says_how_many_actions_go_with_it(world: World) -> None:
    objective = _germany_objective(world)
    _national_action(world, objective)
    _national_action(world, objective)
    url = national_url(world, "national_objective_delete", "DE", pk=objective.pk)
    client = world.client_for("lead")
    assert "Its 2 actions are deleted with it." in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not PlanAction.objects.exists()


def test_the_owners_home_links_a_national_action_to_its_national_plan(world: World) -> None:
    objective = _germany_objective(world)
    _national_action(world, objective, title="Send the Leipzig offer")
    home = world.client_for("member").get(reverse("home")).content.decode()
    assert "Send the Leipzig offer" in home
    assert f"#nobjective-{objective.pk}" in home
    assert "Retrofit offers" in home
    assert national_url(world, "national_plan", "DE") + f"#nobjective-{objective.pk}" in home


def test_an_actions_address_from_its_account_is_the_one_of_its_plan(world: World) -> None:
    """url_in (the home page's list, no plan read) and get_absolute_url agree."""
    national = _national_action(world, _germany_objective(world))
    global_one = PlanActionFactory(objective=world.plan.objectives.get(), owner=world.membership)
    for action in (national, global_one):
        action = PlanAction.objects.get(pk=action.pk)
        assert action.url_in(world.account.slug) == action.get_absolute_url()
    assert national.get_absolute_url().startswith(national_url(world, "national_plan", "DE"))
    assert global_one.get_absolute_url().startswith(world.plan.get_absolute_url() + "#objective-")


def test_an_action_has_exactly_one_objective(world: World) -> None:
    objective = _germany_objective(world)
    both = PlanActionFactory.build(
        objective=world.plan.objectives.get(),
        national_objective=objective,
        account=world.account,
        owner=world.membership,
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()
    neither = PlanActionFactory.build(objective=None, account=world.account, owner=world.membership)
    with pytest.raises(IntegrityError), transaction.atomic():
        neither.save()


def test_the_national_page_queries_do_not_grow_with_actions(world: World) -> None:
    from tests.queries import page_queries

    def more(start: int, n: int) -> None:
        grow(world, start, n)
        for objective in NationalObjective.objects.filter(
            national_plan__country="DE", actions__isnull=True
        ):
            _national_action(world, objective, contact=world.contact)

    client = world.client_for("member")
    more(0, 1)
    small = page_queries(client, national_url(world, "national_plan", "DE"))
    more(1, 24)
    large = page_queries(client, national_url(world, "national_plan", "DE"))
    assert small == large, f"{small} queries with 1 action, {large} with 25"
